"""The finance benchmark's statements: generated with exact ground truth in many styles, some scanned.

Case i is drawn from random.Random(i); even cases tune, odd cases report. Files go to
benchmarks/.cache/finance/ (PDFs, and PNG renderings for the scanned ones).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.statements import GStatement, Style, build, make_pdf

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "benchmarks" / ".cache" / "finance"
KINDS = ("income_statement", "balance_sheet", "cash_flow", "equity")
PERIOD_STYLES = ("years", "years", "fy", "dates", "quarters", "three_months")


@dataclass
class Case:
    index: int
    path: Path
    statements: list[tuple[GStatement, int]]  # ground truth and the page it is on
    style: Style
    scanned: bool
    split: str  # tune or report


def random_style(rng: random.Random) -> Style:
    cue = rng.choice(("indent", "bold", "both"))
    return Style(
        layout=rng.choice(("plain", "plain", "ruled", "accounting")),
        indent=cue in ("indent", "both"),
        bold=cue in ("bold", "both"),
        leaders=rng.random() < 0.3,
        notes=rng.random() < 0.35,
        negative=rng.choice(("parens", "parens", "minus", "trailing")),
        separators=rng.choice(("us", "us", "eu", "space")),
        dash_zero=rng.random() < 0.7,
        signed_expenses=rng.random() < 0.4,
        currency_marks=rng.random() < 0.3,
        footnotes=rng.random() < 0.2,
        font=rng.choice(("Helvetica", "Times-Roman", "Helvetica", "Courier")),
        size=rng.choice((8.5, 9, 9.5)),
        scale_phrase=rng.randrange(4),
    )


def make_case(index: int, scanned_every: int = 5) -> Case:
    rng = random.Random(index)
    style = random_style(rng)
    scanned = index % scanned_every == 3
    n_statements = 1 if scanned else rng.choice((1, 1, 2, 3))
    kinds = rng.sample(KINDS, n_statements)
    n_periods = rng.choice((2, 2, 3, 4, 5))
    scale = rng.choice((1, 1000, 1000, 1_000_000))
    currency = rng.choice(("USD", "USD", "EUR", "GBP", "CHF"))
    period_style = rng.choice(PERIOD_STYLES)
    company = None
    statements = []
    cover = (
        None
        if scanned or rng.random() < 0.5
        else "Annual report\n\nLetter to shareholders.\nWe had a good year."
    )
    page = 2 if cover else 1
    for kind in kinds:
        gs = build(
            kind,
            rng,
            n_periods=n_periods,
            scale=scale,
            currency=currency,
            period_style=period_style
            if kind != "balance_sheet" or period_style != "three_months"
            else "dates",
            style=style,
            company=company,
        )
        company = gs.company
        statements.append((gs, page))
        page += 1
    CACHE.mkdir(parents=True, exist_ok=True)
    pdf = make_pdf([(gs, style) for gs, _ in statements], cover=cover)
    path = CACHE / f"case{index:03d}.pdf"
    path.write_bytes(pdf)
    if scanned:
        path = _scan(pdf, CACHE / f"case{index:03d}.png", rng)
    return Case(index, path, statements, style, scanned, "tune" if index % 2 == 0 else "report")


def _scan(pdf: bytes, out: Path, rng: random.Random) -> Path:
    """The first page rendered at 200 dpi, greyed and speckled like a scan."""
    import numpy as np
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=200 / 72).to_pil().convert("L")
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 12, pixels.shape)
    pixels = np.clip(pixels * 0.92 + 10 + noise, 0, 255).astype("uint8")
    scan = Image.fromarray(pixels).rotate(rng.uniform(-0.4, 0.4), fillcolor=235)
    buffer = io.BytesIO()
    scan.save(buffer, format="PNG")
    out.write_bytes(buffer.getvalue())
    return out


def cases(n: int) -> list[Case]:
    return [make_case(i) for i in range(n)]
