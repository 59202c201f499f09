"""Parse speed on a list of PDFs, for comparing two checkouts in the same period of load.

    PYTHONPATH=OTHER/src python -m benchmarks.tables.speed --out before.json FILES...
    PYTHONPATH=src python -m benchmarks.tables.speed --out after.json FILES...

Run the two at the same time (each then sees the same load), or one after the other on a quiet
machine. Each file is parsed `--runs` times; the median per file is summed and divided by the
pages.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    import docuforge

    docuforge.parse(Path(args.files[0]).read_bytes())  # load before timing
    total = 0.0
    pages = 0
    for name in args.files:
        data = Path(name).read_bytes()
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            document = docuforge.parse(data)
            times.append(time.perf_counter() - started)
        total += statistics.median(times)
        pages += len(document.pages)
    result = {"files": len(args.files), "pages": pages, "ms_per_page": round(1000 * total / pages, 2)}
    Path(args.out).write_text(json.dumps(result))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
