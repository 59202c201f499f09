"""Parse a fixed sample of the bench corpus and write each Document's JSON: a refactoring check.

Run it before and after a change that must not change behaviour, into two folders, and diff
them: every file must be identical. The sample mixes receipts, forms, scans turned every way,
photos of pages, table images, image-only and born-digital PDFs, one multi-page scan (read by
the page workers) and the fast and Tesseract engines on a few of them.

    python -m benchmarks.parse.golden_ocr /tmp/golden-before
    python -m benchmarks.parse.golden_ocr /tmp/golden-after
    diff -r /tmp/golden-before /tmp/golden-after

The inputs are read in place from ../shared/bench; only the multi-page TIFF is made, in the
output folder's `inputs/`.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.parse.corpus import BENCH

# (path under the bench folder, OCR engine)
SAMPLE: tuple[tuple[str, str], ...] = (
    ("sroie_receipts/img/002.jpg", "rapidocr"),
    ("sroie_receipts/img/038.jpg", "rapidocr"),
    ("sroie_receipts/img/053.jpg", "rapidocr"),
    ("sroie_receipts/img/067.jpg", "rapidocr-fast"),
    ("funsd_test/images/82092117.png", "rapidocr"),
    ("funsd_test/images/82250337_0338.png", "rapidocr"),
    ("funsd_test/images/82254765.png", "rapidocr-fast"),
    ("funsd_test/images/82252956_2958.png", "tesseract"),
    ("docling/ocr/ocr_test.pdf", "rapidocr"),
    ("docling/ocr/ocr_test_rotated_90.pdf", "rapidocr"),
    ("docling/ocr/ocr_test_rotated_180.pdf", "rapidocr"),
    ("docling/ocr/ocr_test_rotated_270.pdf", "rapidocr-fast"),
    ("docling/ocr/webp-test.webp", "rapidocr"),
    ("olmocr_bench_sample/pdfs/lincoln_letter.pdf", "rapidocr"),
    ("olmocr_bench_sample/pdfs/buildingnotes.pdf", "rapidocr"),
    ("omnidocbench_demo/images/jiaocaineedrop_jiaocai_needrop_en_1898.jpg", "rapidocr"),
    (
        "docling_eval_sdg_tables/data_none__seed_teds_0.611_table_canva_set_a_canva_beige_26_brown_"
        "minimalist_school_admission_invoice_SBRuYwUEsiQ.jpg_doc20_t000_row4_col3__0784.png",
        "rapidocr",
    ),
    ("docling/pdf/2305.03393v1-pg9.pdf", "rapidocr"),
    ("docling/pdf/right_to_left_01.pdf", "rapidocr"),
)
# Pages of one multi-page TIFF, read side by side by the page workers.
MULTI_PAGE = (
    "funsd_test/images/82253245_3247.png",
    "sroie_receipts/img/082.jpg",
    "funsd_test/images/82250337_0338.png",
)


# Born-digital pages rendered at 200 dpi and read as scans: clean print, where the default engine's
# small recogniser reads only the words its tiny one doubts.
RENDERED = ("docling/pdf/2305.03393v1-pg9.pdf", "docling/pdf/amt_handbook_sample.pdf")


def _parse(path: Path, engine: str) -> Any:
    import docuforge.parsing.pipeline as pipeline

    # The engine is named as the code of the day takes it: inside the options, as its own
    # argument, or by its name.
    from docuforge.parsing.ocr.options import OcrOptions
    from docuforge.parsing.options import ParseOptions

    if "ocr" in ParseOptions.model_fields:
        return pipeline.parse(path, ParseOptions(ocr=OcrOptions(engine=engine)))
    if "ocr" in inspect.signature(pipeline.parse).parameters:
        return pipeline.parse(path, ocr=OcrOptions(engine=engine))
    return pipeline.parse(path, ocr_engine=engine)


def _tiff(folder: Path) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "multi_page.tiff"
    pages = [Image.open(BENCH / name).convert("RGB") for name in MULTI_PAGE]
    pages[0].save(target, save_all=True, append_images=pages[1:], compression="tiff_lzw")
    return target


def _rendered(folder: Path) -> list[Path]:
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in RENDERED:
        document = pdfium.PdfDocument(BENCH / name)
        try:
            target = folder / f"rendered_{Path(name).stem}.png"
            document[0].render(scale=200 / 72).to_pil().convert("RGB").save(target)
        finally:
            document.close()
        paths.append(target)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="folder for the Documents' JSON")
    parser.add_argument("--only", help="only the inputs whose path holds this text")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    inputs = [(BENCH / name, engine) for name, engine in SAMPLE] + [(_tiff(out / "inputs"), "rapidocr")]
    inputs += [(path, "rapidocr") for path in _rendered(out / "inputs")]
    for path, engine in inputs:
        if args.only and args.only not in str(path):
            continue
        began = time.perf_counter()
        document = _parse(path, engine)
        name = f"{path.parent.name}__{path.name}__{engine}.json"
        (out / name).write_text(document.model_dump_json(indent=1) + "\n", encoding="utf-8")
        print(f"{name}: {len(document.pages)} pages, {time.perf_counter() - began:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
