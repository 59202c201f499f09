"""The OCR settings reach the engine as typed options: Settings build them, the parse task hands
them to its worker process as data, and the engine, which never reads the environment, is built
from them (one engine per distinct set of options)."""

from __future__ import annotations

import io
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from tests.fixtures.images import page

from docuforge.config import Settings
from docuforge.parsing import pipeline
from docuforge.parsing.ocr import engine, orienter
from docuforge.parsing.ocr.options import OcrOptions
from docuforge.parsing.ocr.rapid import RapidEngine
from docuforge.parsing.options import ParseOptions
from docuforge.reducto.parse.tasks import parse_in_worker


def _two_page_scan(folder: Path) -> Path:
    images = [
        page(title=title, paragraphs=(f"{title} rose this quarter.",), size=(1700, 900)).image
        for title in ("Harbor Traffic", "Rail Freight")
    ]
    out = io.BytesIO()
    images[0].save(out, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    path = folder / "scan.tiff"
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def pages_read(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, OcrOptions]]:
    """Each page read by the pipeline: the thread that read it and the options it was read with."""
    read: list[tuple[str, OcrOptions]] = []
    read_page = pipeline.read_page

    def watched(image, dpi, index, *, ocr, **options):  # type: ignore[no-untyped-def]
        read.append((threading.current_thread().name, ocr))
        return read_page(image, dpi, index, ocr=ocr, **options)

    monkeypatch.setattr(pipeline, "read_page", watched)
    return read


def test_the_ocr_settings_reach_the_engine_through_the_parse_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages_read: list[tuple[str, OcrOptions]]
) -> None:
    monkeypatch.setenv("DOCUFORGE_OCR__ENGINE", "rapidocr-fast")
    monkeypatch.setenv("DOCUFORGE_OCR__RUNTIME", "onnxruntime")
    monkeypatch.setenv("DOCUFORGE_OCR__PAGE_WORKERS", "1")
    options = Settings().ocr.options()
    assert (options.engine, options.runtime, options.page_workers) == ("rapidocr-fast", "onnxruntime", 1)

    scan = _two_page_scan(tmp_path)
    parsed = parse_in_worker(str(scan), "tiff", ParseOptions(ocr=options).model_dump_json(), str(tmp_path))
    assert parsed["pages"] == 2
    # One page worker: no page pool, every page read here, with the settings as they were given.
    assert pages_read == [(threading.current_thread().name, options)] * 2
    # The engine that read them runs on the runtime the settings name.
    fast = engine(options)
    assert isinstance(fast, RapidEngine) and fast.runtime == "onnxruntime"
    assert orienter(options) is fast  # the fast engine settles orientation itself

    # Two page workers: the pages are read side by side, on the pool's threads.
    pages_read.clear()
    two = replace(options, page_workers=2)
    parse_in_worker(str(scan), "tiff", ParseOptions(ocr=two).model_dump_json(), str(tmp_path))
    assert len(pages_read) == 2 and all(name.startswith("docuforge-ocr") for name, _ in pages_read)


def test_engines_are_one_per_distinct_set_of_options() -> None:
    fast = OcrOptions(engine="rapidocr-fast", runtime="onnxruntime")
    # How many pages are read at once, or Tesseract's languages, make no other RapidOCR engine.
    assert engine(fast) is engine(replace(fast, page_workers=3, tesseract_lang="deu"))
    other = engine(replace(fast, runtime="openvino"))
    assert other is not engine(fast)
    assert isinstance(other, RapidEngine) and other.runtime == "openvino"
