#!/usr/bin/env bash
# The peers' own environment for side-by-side benchmark runs. These tools are
# measured, never used by Docuforge: they live in benchmarks/.venv-peers, not in
# pyproject.toml (pymupdf is AGPL).
set -euo pipefail
cd "$(dirname "$0")"
V=.venv-peers
[ -x "$V/bin/python" ] || python3 -m venv "$V"
"$V/bin/pip" install --quiet --upgrade pip
"$V/bin/pip" install --quiet 'pymupdf>=2.0,<3' 'pymupdf4llm>=2.0,<3' 'markitdown[pdf]>=0.1.8,<0.2' 'pdfplumber>=0.11,<0.12'
"$V/bin/python" -c "import pymupdf4llm, markitdown; print('peers ready:', pymupdf4llm.__name__, markitdown.__name__)"
