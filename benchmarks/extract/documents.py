"""Parsed Documents of the extract benchmarks, cached under benchmarks/.cache/extract."""

from __future__ import annotations

import json
import time
from pathlib import Path

from docuforge.document.model import Document

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"
CACHE = ROOT / "benchmarks" / ".cache" / "extract"


def parsed(source: Path, group: str) -> tuple[Document, float]:
    """The source's Document and the seconds its parse took (read from the cache when there)."""
    target = CACHE / group / f"{source.stem}.json"
    timing = target.with_suffix(".seconds")
    if target.exists() and timing.exists():
        return Document.model_validate_json(target.read_text()), float(timing.read_text())
    from docuforge.parsing.options import ParseOptions
    from docuforge.parsing.pipeline import parse

    options = ParseOptions(word_boxes=True)
    started = time.perf_counter()
    document = parse(source, options)
    seconds = time.perf_counter() - started
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(document.model_dump_json())
    timing.write_text(json.dumps(round(seconds, 4)))
    return document, seconds


def sroie() -> list[tuple[Path, dict[str, str]]]:
    folder = BENCH / "sroie_receipts"
    return [
        (image, json.loads((folder / "key" / f"{image.stem}.json").read_text()))
        for image in sorted((folder / "img").glob("*.jpg"))
    ]


def funsd() -> list[tuple[Path, dict]]:
    folder = BENCH / "funsd_test"
    return [
        (image, json.loads((folder / "annotations" / f"{image.stem}.json").read_text()))
        for image in sorted((folder / "images").glob("*.png"))
    ]


if __name__ == "__main__":
    for path, _ in sroie():
        parsed(path, "sroie")
    for path, _ in funsd():
        parsed(path, "funsd")
