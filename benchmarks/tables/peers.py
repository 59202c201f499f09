"""The peers' tables, run in benchmarks/.venv-peers (where Docuforge is not installed).

    benchmarks/.venv-peers/bin/python benchmarks/tables/peers.py --tool pdfplumber \
        --files FILES.json --out OUT.json

FILES.json is a list of PDF paths. OUT.json gets, per file, the tables found (each a list of
rows of cell texts, "" for empty or covered cells) and the wall time of the conversion in ms.
pdfplumber's tables are those of `Page.extract_tables()` (its default, from ruling lines;
pdfplumber-text: with the text strategy for both directions); pymupdf4llm's are the pipe tables of
its Markdown. Only the standard library is imported at the top.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
PLACEHOLDER = re.compile(r"^Col\d+$")


def markdown_tables(markdown: str) -> list[list[list[str]]]:
    """The pipe tables of a Markdown text, rows of cell texts (<br> read as a space)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            if SEPARATOR.match(stripped):
                continue
            cells = [c.strip().replace("<br>", " ") for c in stripped[1:-1].split("|")]
            cells = [re.sub(r"\*\*|__", "", c) for c in cells]
            current.append(cells)
            continue
        if current:
            if all(PLACEHOLDER.match(c) for c in current[0] if c):
                current[0] = ["" for _ in current[0]]
            tables.append(current)
            current = []
    return tables


def run_pdfplumber(path: str) -> list[list[list[str]]]:
    import pdfplumber

    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                found.append([[cell or "" for cell in row] for row in table])
    return found


def run_pdfplumber_text(path: str) -> list[list[list[str]]]:
    """pdfplumber with columns and rows from the words' alignment, for tables without rules."""
    import pdfplumber

    settings = {"vertical_strategy": "text", "horizontal_strategy": "text"}
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables(table_settings=settings):
                found.append([[cell or "" for cell in row] for row in table])
    return found


def run_pymupdf4llm(path: str) -> list[list[list[str]]]:
    import pymupdf4llm

    try:
        markdown = pymupdf4llm.to_markdown(path, use_ocr=False, show_progress=False)
    except TypeError:
        markdown = pymupdf4llm.to_markdown(path, show_progress=False)
    return markdown_tables(markdown)


TOOLS = {"pdfplumber": run_pdfplumber, "pdfplumber-text": run_pdfplumber_text, "pymupdf4llm": run_pymupdf4llm}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tool", choices=sorted(TOOLS), required=True)
    parser.add_argument("--files", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.files) as handle:
        files = json.load(handle)
    convert = TOOLS[args.tool]
    convert(files[0])  # load the tool before timing
    results = {}
    for path in files:
        started = time.perf_counter()
        try:
            tables, error = convert(path), None
        except Exception as exc:  # a peer's failure on one file is its result for that file
            tables, error = [], f"{type(exc).__name__}: {exc}"
        results[path] = {"tables": tables, "ms": (time.perf_counter() - started) * 1000, "error": error}
    with open(args.out, "w") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main()
