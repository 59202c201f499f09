"""The finance benchmark's statements: generated with exact ground truth in many styles, some scanned.

Case i is drawn from random.Random(i); even cases tune, odd cases report. Files go to
benchmarks/.cache/finance/ (PDFs, and PNG renderings for the scanned ones). scan_cases() adds statements
that are all scanned, each with its own degradation (resolution 150-300 dpi, skew, noise, blur), drawn
from seeds of their own so the main cases stay as they were.
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
    degradation: Degradation | None = None  # set for scan_cases


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


@dataclass
class Degradation:
    """How a page is scanned: resolution, skew in degrees, noise (grey levels), blur radius (pixels)."""

    dpi: int = 200
    skew: float = 0.0
    noise: float = 12.0
    blur: float = 0.0

    def __str__(self) -> str:
        return f"{self.dpi}dpi skew {self.skew:+.2f} noise {self.noise:.0f} blur {self.blur:.1f}"


SCAN_SEED = 100_000  # scan_cases draw from seeds past the main cases'


def random_degradation(rng: random.Random) -> Degradation:
    return Degradation(
        dpi=rng.choice((150, 200, 200, 300)),
        skew=rng.uniform(-1.2, 1.2),
        noise=rng.uniform(4, 20),
        blur=rng.choice((0.0, 0.0, 0.6, 1.0)),
    )


def make_case(
    index: int, scanned_every: int = 5, degradation: Degradation | None = None, write: bool = True
) -> Case:
    rng = random.Random(index)
    style = random_style(rng)
    scanned = index % scanned_every == 3 or degradation is not None
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
    path = CACHE / f"case{index:03d}.pdf"
    if write:  # else only the ground truth is wanted (the files are there)
        CACHE.mkdir(parents=True, exist_ok=True)
        pdf = make_pdf([(gs, style) for gs, _ in statements], cover=cover)
        path.write_bytes(pdf)
        if scanned:
            path = _scan(pdf, CACHE / f"case{index:03d}.png", rng, degradation)
    elif scanned:
        path = CACHE / f"case{index:03d}.png"
    return Case(index, path, statements, style, scanned, "tune" if index % 2 == 0 else "report", degradation)


def _scan(pdf: bytes, out: Path, rng: random.Random, degradation: Degradation | None = None) -> Path:
    """The first page rendered, greyed, speckled and turned like a scan (200 dpi and a slight skew unless
    a degradation says otherwise)."""
    import numpy as np
    import pypdfium2
    from PIL import Image, ImageFilter

    d = degradation or Degradation()
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=d.dpi / 72).to_pil().convert("L")
    if d.blur:
        image = image.filter(ImageFilter.GaussianBlur(d.blur))
    pixels = np.asarray(image, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, d.noise, pixels.shape)
    pixels = np.clip(pixels * 0.92 + 10 + noise, 0, 255).astype("uint8")
    skew = d.skew if degradation is not None else rng.uniform(-0.4, 0.4)
    resample = Image.Resampling.BILINEAR if degradation is not None else Image.Resampling.NEAREST
    scan = Image.fromarray(pixels).rotate(skew, fillcolor=235, resample=resample)
    buffer = io.BytesIO()
    scan.save(buffer, format="PNG")
    out.write_bytes(buffer.getvalue())
    return out


def cases(n: int) -> list[Case]:
    return [make_case(i) for i in range(n)]


def scan_cases(n: int, write: bool = True) -> list[Case]:
    """n statements, every one scanned with a degradation of its own; even tune, odd report."""
    out = []
    for i in range(n):
        index = SCAN_SEED + i
        degradation = random_degradation(random.Random(f"scan{index}"))
        out.append(make_case(index, degradation=degradation, write=write))
    return out
