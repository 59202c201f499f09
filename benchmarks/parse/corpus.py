"""The inputs of the parse benchmarks: what ../shared/bench holds, read in place, plus generated PDFs.

Generated (under benchmarks/.cache/corpus, rebuilt when missing):
- `text/synth50.pdf` and its exact ground truth, by the team's synthetic-corpus script in
  ../shared/tools/peers/make_corpus.py (the same corpus the peers were measured on in
  ../shared/research/peers.md, so the figures compare);
- `synth_2col.pdf`: its two-column pages 41-50 alone, for reading order;
- `pages1000.pdf`: synth50 imported twenty times, for speed and memory on a long document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
BENCH = SHARED / "bench"
CACHE = ROOT / "benchmarks" / ".cache" / "corpus"


@dataclass
class Set:
    """A group of input files scored the same way."""

    name: str
    files: list[Path]
    runs: int = 3
    notes: dict[str, object] = field(default_factory=dict)


def build() -> None:
    synth = CACHE / "text" / "synth50.pdf"
    if not synth.exists():
        script = SHARED / "tools" / "peers" / "make_corpus.py"
        command = [sys.executable, str(script), "--out", str(CACHE)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    import pypdfium2 as pdfium

    two_col = CACHE / "synth_2col.pdf"
    if not two_col.exists():
        out = pdfium.PdfDocument.new()
        out.import_pages(pdfium.PdfDocument(synth), list(range(40, 50)))
        out.save(two_col)
    big = CACHE / "pages1000.pdf"
    if not big.exists():
        source = pdfium.PdfDocument(synth)
        out = pdfium.PdfDocument.new()
        for _ in range(20):
            out.import_pages(source)
        out.save(big)


def synth_truth() -> list[dict]:
    return json.loads((CACHE / "gt" / "synth50.json").read_text())


def sets() -> list[Set]:
    build()
    olmocr = sorted((BENCH / "olmocr_bench_sample" / "pdfs").rglob("*.pdf"))
    return [
        Set("synth50", [CACHE / "text" / "synth50.pdf"]),
        Set("synth_2col", [CACHE / "synth_2col.pdf"]),
        Set("olmocr", olmocr),
        Set("docling", sorted((BENCH / "docling" / "pdf").glob("*.pdf"))),
        Set("icdar2013", sorted((BENCH / "icdar2013_tables").glob("*.pdf"))),
        Set("pdfplumber", sorted((BENCH / "pdfplumber_tables").glob("*.pdf"))),
        Set("pages1000", [CACHE / "pages1000.pdf"], runs=1),
    ]
