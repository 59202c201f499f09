"""Tables drawn with exact ground-truth grids, one family per kind of table the finder must read.

Every sample is deterministic from its seed: fonts, sizes, column counts, row counts, languages,
rule styles and the words drawn all come from one `random.Random(seed)`. A sample's grid is the
table as a reader writes it down: rows top to bottom, columns in reading order (right to left for
Hebrew and Arabic), each cell's text in logical order, a spanning cell's text at its first
position and "" at the positions it covers.

Kinds:
- spanning: group headers (periods, categories) over three to six sub-columns each;
- numeric: unruled tables of many narrow numeric columns, and plain invoices;
- footnote: superscripts and footnote marks in the header and row labels;
- partial: rules only under the header, or only a frame around the table, with a title above
  and a column of labels outside the rules;
- rtl: Hebrew and Arabic tables (columns right to left, words drawn right to left);
- rotated: a table on a page turned a quarter turn;
- multiline: header cells set on two or three lines;
- wrapped: body cells whose text wraps onto several lines;
- hyphen: cell text wrapped after a hyphen that is part of the text (COVID-19, long-term).
"""

from __future__ import annotations

import dataclasses
import io
import random
from collections.abc import Callable

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen import canvas as rl_canvas

from benchmarks.tables.drawing import (
    INTRO,
    RTL_WHOLE,
    SUPERSCRIPT,
    DCell,
    Layout,
    draw_layout,
    face,
    grid_of,
    make_pdf,
    page_with,
    paragraph,
    plain,
    register,
    wrap,
)
from benchmarks.tables.vocabulary import (
    ARABIC_HEADS,
    ARABIC_LABELS,
    HEBREW_HEADS,
    HEBREW_LABELS,
    HYPHEN_CONTEXT,
    HYPHENATED,
    ITEMS,
    LABEL_HEAD,
    LABELS,
    MARKS,
    MEASURES,
    PERIODS,
    SIDE_LABELS,
    SUBS,
    TITLES,
    WRAP_TEXTS,
    number,
)

KINDS = ("spanning", "numeric", "footnote", "partial", "rtl", "rotated", "multiline", "wrapped", "hyphen")


@dataclasses.dataclass
class Sample:
    kind: str
    seed: int
    variant: str
    pdf: bytes
    grid: list[list[str]]  # logical reading order; covered positions ""
    spans: list[
        tuple[int, int, int, int]
    ]  # (row, col, row_span, col_span) of every cell spanning more than one
    header_rows: int
    rtl: bool = False

    @property
    def half(self) -> str:
        """Even seeds tune, odd seeds report."""
        return "tune" if self.seed % 2 == 0 else "report"

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.seed:03d}-{self.variant}"


def _body_rows(rng: random.Random, lang: str, n: int) -> list[str]:
    return rng.sample(LABELS[lang], min(n, len(LABELS[lang])))


def spanning(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    lang = rng.choice(list(LABELS))
    groups = rng.choice(PERIODS)
    n_sub = rng.randint(3, 6)
    subs = rng.choice(SUBS)[:n_sub]
    n_body = rng.randint(4, 12)
    style = rng.choice(["int", "small", "dec", "pct"])
    rules = rng.choice(["none", "booktabs", "header"])
    label_row = rng.choice([0, 1])  # the label column's head beside the groups or beside the subs
    cells = [DCell(LABEL_HEAD[lang], plain(LABEL_HEAD[lang]), label_row, 0, bold=True)]
    n_cols = 1 + n_sub * len(groups)
    for g, group in enumerate(groups):
        cells.append(DCell(group, plain(group), 0, 1 + g * n_sub, col_span=n_sub, align="center", bold=True))
        for s, sub in enumerate(subs):
            cells.append(DCell(sub, plain(sub), 1, 1 + g * n_sub + s, align="right", bold=True))
    for r, label in enumerate(_body_rows(rng, lang, n_body)):
        cells.append(DCell(label, plain(label), 2 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 2 + r, k, align="right"))
    n_rows = 2 + min(n_body, len(LABELS[lang]))
    layout = Layout(
        cells,
        n_rows,
        n_cols,
        2,
        font,
        bold,
        size if n_cols < 14 else 7.0,
        rules,
        col_gap=rng.choice([8.0, 10.0, 14.0]),
    )
    page = letter if n_cols < 12 else (842, 595)
    pdf = make_pdf(page_with(layout, rng, size=page), size=page)
    grid, spans = grid_of(layout)
    return Sample("spanning", seed, f"{len(groups)}x{n_sub}-{rules}-{lang}", pdf, grid, spans, 2)


def numeric(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    if rng.random() < 0.4:
        return _invoice(seed, rng, font, bold, size)
    lang = rng.choice(list(LABELS))
    n_cols = rng.randint(6, 12)
    n_body = rng.randint(4, 14)
    style = rng.choice(["int", "small", "dec", "pct", "signed"])
    heads = [LABEL_HEAD[lang]] + [str(2010 + k) for k in range(n_cols - 1)]
    cells = [
        DCell(h, plain(h), 0, k, align="left" if k == 0 else "right", bold=True) for k, h in enumerate(heads)
    ]
    labels = _body_rows(rng, lang, n_body)
    for r, label in enumerate(labels):
        cells.append(DCell(label, plain(label), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 1 + r, k, align="right"))
    layout = Layout(
        cells,
        1 + len(labels),
        n_cols,
        1,
        font,
        bold,
        size if n_cols < 10 else 7.5,
        "none",
        col_gap=rng.choice([6.0, 8.0, 12.0]),
    )
    page = letter if n_cols < 10 else (842, 595)
    pdf = make_pdf(page_with(layout, rng, size=page), size=page)
    grid, spans = grid_of(layout)
    return Sample("numeric", seed, f"{n_cols}cols-{style}-{lang}", pdf, grid, spans, 1)


def _invoice(seed: int, rng: random.Random, font: str, bold: str, size: float) -> Sample:
    heads = rng.choice(
        [
            ["Description", "Qty", "Unit price", "Amount"],
            ["Item", "Quantity", "Price", "Total"],
            ["Description", "Qty", "Unit", "Unit price", "VAT %", "Amount"],
        ]
    )
    n_body = rng.randint(3, 10)
    cells = [
        DCell(h, plain(h), 0, k, align="left" if k == 0 else "right", bold=True) for k, h in enumerate(heads)
    ]
    for r, item in enumerate(rng.sample(ITEMS, n_body)):
        qty = rng.randint(1, 40)
        price = rng.uniform(5, 900)
        row = {
            "Description": item,
            "Item": item,
            "Qty": str(qty),
            "Quantity": str(qty),
            "Unit": rng.choice(["h", "pcs", "day", "kg"]),
            "Unit price": f"{price:,.2f}",
            "Price": f"{price:,.2f}",
            "VAT %": rng.choice(["7", "19", "20"]),
            "Amount": f"{qty * price:,.2f}",
            "Total": f"{qty * price:,.2f}",
        }
        for k, h in enumerate(heads):
            cells.append(
                DCell(row[h], plain(row[h]), 1 + r, k, align="left" if k == 0 or h == "Unit" else "right")
            )
    layout = Layout(
        cells,
        1 + n_body,
        len(heads),
        1,
        font,
        bold,
        size,
        rng.choice(["none", "header"]),
        col_gap=rng.choice([6.0, 8.0, 12.0]),
    )

    def draw(c: rl_canvas.Canvas) -> None:
        c.setFont(bold, 18)
        c.drawString(60, 770, "INVOICE")
        c.setFont(font, 9)
        c.drawString(60, 750, f"Invoice no. {seed:05d}    Date: 2026-{1 + seed % 12:02d}-15")
        c.drawString(60, 738, "Bill to: Example Trading Ltd, 12 Harbour Road")
        draw_layout(c, layout, 60, 700)

    pdf = make_pdf(draw, size=letter)
    grid, spans = grid_of(layout)
    return Sample("numeric", seed, f"invoice{len(heads)}", pdf, grid, spans, 1)


def footnote(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    lang = rng.choice(list(LABELS))
    n_cols = rng.randint(3, 7)
    n_body = rng.randint(3, 12)
    rules = rng.choice(["none", "booktabs", "header"])
    measures = rng.sample(MEASURES[lang], n_cols - 1)
    cells = [DCell(LABEL_HEAD[lang], plain(LABEL_HEAD[lang]), 0, 0, bold=True)]
    for k, m in enumerate(measures):
        if rng.random() < 0.6:
            mark = rng.choice(MARKS)
            cells.append(DCell(m + mark, [[(m, False), (mark, True)]], 0, 1 + k, align="right", bold=True))
        else:
            cells.append(DCell(m, plain(m), 0, 1 + k, align="right", bold=True))
    style = rng.choice(["int", "dec", "pct"])
    marked_values = rng.random() < 0.5
    for r, label in enumerate(_body_rows(rng, lang, n_body)):
        if rng.random() < 0.25:
            mark = rng.choice(MARKS)
            cells.append(DCell(label + mark, [[(label, False), (mark, True)]], 1 + r, 0))
        else:
            cells.append(DCell(label, plain(label), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            if marked_values and rng.random() < 0.15:
                mark = rng.choice(MARKS)
                cells.append(DCell(v + mark, [[(v, False), (mark, True)]], 1 + r, k, align="right"))
            else:
                cells.append(DCell(v, plain(v), 1 + r, k, align="right"))
    n_rows = 1 + min(n_body, len(LABELS[lang]))
    layout = Layout(cells, n_rows, n_cols, 1, font, bold, size, rules, col_gap=rng.choice([10.0, 14.0, 20.0]))
    page = letter

    rise, small = rng.choice([(0.33, 0.6), (0.45, 0.6), (0.6, 0.5)])

    def draw(c: rl_canvas.Canvas) -> None:
        page_with(layout, rng, size=page)(c)
        c.setFont(font, 7)
        c.drawString(60, 90, "1 Provisional.  2 Revised.  a Estimate.  * Break in series.")

    SUPERSCRIPT.update(size=small, rise=rise)
    try:
        pdf = make_pdf(draw, size=page)
    finally:
        SUPERSCRIPT.update(size=0.6, rise=0.4)
    grid, spans = grid_of(layout)
    return Sample("footnote", seed, f"{n_cols}cols-{rules}-rise{int(rise * 100)}-{lang}", pdf, grid, spans, 1)


def partial(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    lang = rng.choice(list(LABELS))
    n_cols = rng.randint(3, 6)
    n_body = rng.randint(3, 10)
    rules = rng.choice(["header", "frame"])
    measures = rng.sample(MEASURES[lang], n_cols - 1)
    cells = [DCell(LABEL_HEAD[lang], plain(LABEL_HEAD[lang]), 0, 0, bold=True)]
    cells += [DCell(m, plain(m), 0, 1 + k, align="right", bold=True) for k, m in enumerate(measures)]
    style = rng.choice(["int", "dec", "pct", "money"])
    labels = _body_rows(rng, lang, n_body)
    for r, label in enumerate(labels):
        cells.append(DCell(label, plain(label), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 1 + r, k, align="right"))
    layout = Layout(
        cells,
        1 + len(labels),
        n_cols,
        1,
        font,
        bold,
        size,
        rules,
        col_gap=rng.choice([10.0, 14.0]),
        row_gap=rng.choice([3.0, 5.0]),
    )
    title = rng.choice(TITLES).format(n=rng.randint(1, 12))
    side = rng.random() < 0.8
    sub_title = rng.random() < 0.5

    def draw(c: rl_canvas.Canvas) -> None:
        width, height = letter
        y = height - 80
        y = paragraph(c, INTRO, 60, y, font, 10, width - 120) - 16
        left = 150 if side else 60
        c.setFont(bold, size + 1)
        c.drawString(left, y, title)
        y -= (size + 1) * 1.4
        if sub_title:
            c.setFont(font, size)
            c.drawString(left, y, "(thousands, current prices)")
            y -= size * 1.4
        y -= size * 0.6
        box = draw_layout(c, layout, left, y)
        if side:
            # A column of labels outside the table, level with some of its rows.
            lead = size * 1.25 + layout.row_gap
            c.setFont(bold, size)
            picks = rng.sample(SIDE_LABELS, 2)
            c.drawString(60, y - lead * 1 - size, picks[0])
            c.drawString(60, y - lead * (1 + max(1, len(labels) // 2)) - size, picks[1])
        c.setFont(font, 8)
        c.drawString(left, box[1] - 14, "Source: national statistics office.")

    pdf = make_pdf(draw, size=letter)
    grid, spans = grid_of(layout)
    return Sample("partial", seed, f"{rules}-{'side' if side else 'noside'}-{lang}", pdf, grid, spans, 1)


def rtl(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng, rtl=True)
    hebrew = rng.random() < 0.5
    labels_all, heads_all = (HEBREW_LABELS, HEBREW_HEADS) if hebrew else (ARABIC_LABELS, ARABIC_HEADS)
    n_cols = rng.randint(3, 6)
    n_body = rng.randint(3, 12)
    heads = [heads_all[0], *rng.sample(heads_all[1:], n_cols - 1)]
    cells = [
        DCell(h, plain(h), 0, k, align="left" if k == 0 else "right", bold=True) for k, h in enumerate(heads)
    ]
    style = rng.choice(["int", "dec", "small", "pct"])
    labels = rng.sample(labels_all, min(n_body, len(labels_all)))
    for r, label in enumerate(labels):
        cells.append(DCell(label, plain(label), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 1 + r, k, align="center"))
    rules = rng.choice(["none", "grid", "booktabs", "header"])
    whole = rng.random() < 0.5
    layout = Layout(
        cells,
        1 + len(labels),
        n_cols,
        1,
        font,
        bold,
        size,
        rules,
        rtl=True,
        col_gap=rng.choice([12.0, 16.0, 24.0]),
        row_gap=rng.choice([1.5, 4.0]),
    )

    def draw(c: rl_canvas.Canvas) -> None:
        width, height = letter
        # Place the table against the right margin, as a right-to-left page sets it.
        probe = io.BytesIO()
        scratch = rl_canvas.Canvas(probe)
        x0, _, x1, _ = draw_layout(scratch, layout, 0, 700)
        draw_layout(c, layout, width - 60 - (x1 - x0), height - 100)

    RTL_WHOLE["on"] = whole
    try:
        pdf = make_pdf(draw, size=letter)
    finally:
        RTL_WHOLE["on"] = False
    grid, spans = grid_of(layout)
    name = f"{'he' if hebrew else 'ar'}-{n_cols}cols-{rules}-{'whole' if whole else 'words'}"
    return Sample("rtl", seed, name, pdf, grid, spans, 1, rtl=True)


def rotated(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    lang = rng.choice(list(LABELS))
    n_cols = rng.randint(4, 10)
    n_body = rng.randint(4, 14)
    heads = [LABEL_HEAD[lang]] + [str(2012 + k) for k in range(n_cols - 1)]
    cells = [
        DCell(h, plain(h), 0, k, align="left" if k == 0 else "right", bold=True) for k, h in enumerate(heads)
    ]
    style = rng.choice(["int", "dec", "pct", "signed"])
    labels = _body_rows(rng, lang, n_body)
    for r, label in enumerate(labels):
        cells.append(DCell(label, plain(label), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 1 + r, k, align="right"))
    rules = rng.choice(["none", "booktabs", "grid", "header"])
    layout = Layout(
        cells, 1 + len(labels), n_cols, 1, font, bold, size, rules, col_gap=rng.choice([10.0, 14.0])
    )
    # The page is portrait; the table is set landscape, turned a quarter turn either way, or the
    # page carries a /Rotate that turns it back upright for display.
    how = rng.choice(["ccw", "cw", "page-rotate", "mixed"])

    def draw(c: rl_canvas.Canvas) -> None:
        width, height = A4
        if how == "mixed":
            # Upright text on the page (a running head, a paragraph, a footer) beside the
            # turned table.
            c.setFont(font, 9)
            c.drawString(60, height - 40, "Statistical annex: regional accounts, second edition")
            paragraph(c, INTRO + " " + INTRO, 60, 60, font, 9, width - 120)
            c.drawString(width / 2, 24, f"- {seed + 1} -")
        c.saveState()
        if how in ("ccw", "mixed"):  # text runs bottom to top
            c.translate(width, 0)
            c.rotate(90)
        else:  # text runs top to bottom
            c.translate(0, height)
            c.rotate(-90)
        c.setFont(bold, 12)
        c.drawString(60, width - 60, "Appendix table: figures by region and year")
        draw_layout(c, layout, 60, width - 90)
        c.restoreState()

    pdf = make_pdf(draw, size=A4, rotate=90 if how == "page-rotate" else 0)
    grid, spans = grid_of(layout)
    return Sample("rotated", seed, f"{how}-{n_cols}cols-{rules}", pdf, grid, spans, 1)


def multiline(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    register()
    heads = rng.sample(
        [
            "Net income",
            "Operating expenses",
            "Number of employees",
            "Average hourly wage",
            "Change on previous year",
            "Share of total output",
            "Capital expenditure",
            "Units sold",
            "Gross margin ratio",
            "Return on equity",
        ],
        rng.randint(3, 6),
    )
    n_cols = 1 + len(heads)
    head_width = rng.choice([40.0, 50.0, 60.0])
    label = rng.choice(["Segment", "Business line", "Country"])
    cells = [DCell(label, plain(label), 0, 0, bold=True)]
    for k, h in enumerate(heads):
        lines = wrap(h, bold, size, head_width)
        cells.append(DCell(h, [[(line, False)] for line in lines], 0, 1 + k, align="right", bold=True))
    style = rng.choice(["int", "dec", "pct", "money"])
    lang = rng.choice(list(LABELS))
    labels = _body_rows(rng, lang, rng.randint(3, 12))
    for r, lab in enumerate(labels):
        cells.append(DCell(lab, plain(lab), 1 + r, 0))
        for k in range(1, n_cols):
            v = number(rng, style)
            cells.append(DCell(v, plain(v), 1 + r, k, align="right"))
    rules = rng.choice(["none", "booktabs", "header", "grid"])
    layout = Layout(
        cells,
        1 + len(labels),
        n_cols,
        1,
        font,
        bold,
        size,
        rules,
        col_gap=rng.choice([10.0, 16.0]),
        valign_header=rng.choice(["bottom", "top"]),
    )
    pdf = make_pdf(page_with(layout, rng, size=letter), size=letter)
    grid, spans = grid_of(layout)
    return Sample("multiline", seed, f"{n_cols}cols-{rules}-{layout.valign_header}", pdf, grid, spans, 1)


def wrapped(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    register()
    width = rng.choice([110.0, 140.0, 180.0])
    heads = (
        ["No.", "Description", "Hours", "Rate", "Amount"]
        if rng.random() < 0.5
        else ["Task", "Details", "Status", "Cost"]
    )
    n_body = rng.randint(3, 8)
    cells = [
        DCell(h, plain(h), 0, k, bold=True, align="left" if k < 2 else "right") for k, h in enumerate(heads)
    ]
    texts = rng.sample(WRAP_TEXTS, n_body)
    for r, text in enumerate(texts):
        lines = wrap(text, font, size, width)
        row = [str(r + 1) if heads[0] == "No." else f"T-{100 + r}", text]
        if len(heads) == 5:
            hours = rng.randint(1, 60)
            rate = rng.choice([45, 60, 85, 120])
            row += [str(hours), f"{rate:.2f}", f"{hours * rate:,.2f}"]
        else:
            row += [rng.choice(["Open", "Done", "Planned"]), f"{rng.uniform(100, 9000):,.2f}"]
        for k, v in enumerate(row):
            dl = [[(line, False)] for line in lines] if k == 1 else plain(v)
            cells.append(
                DCell(v, dl, 1 + r, k, align="left" if k < 2 or v in ("Open", "Done", "Planned") else "right")
            )
    widths = None
    layout = Layout(
        cells,
        1 + n_body,
        len(heads),
        1,
        font,
        bold,
        size,
        rng.choice(["none", "grid", "booktabs", "header"]),
        col_gap=rng.choice([12.0, 16.0]),
        row_gap=rng.choice([4.0, 6.0, 8.0]),
        widths=widths,
    )
    pdf = make_pdf(page_with(layout, rng, size=letter), size=letter)
    grid, spans = grid_of(layout)
    return Sample("wrapped", seed, f"{len(heads)}cols-{layout.rules}-w{int(width)}", pdf, grid, spans, 1)


def hyphen(seed: int) -> Sample:
    rng = random.Random(seed)
    font, bold, size = face(rng)
    register()
    heads = ["Item", "Topic", "Count", "Share"]
    n_body = rng.randint(3, 8)
    cells = [
        DCell(h, plain(h), 0, k, bold=True, align="left" if k < 2 else "right") for k, h in enumerate(heads)
    ]
    words = rng.sample(HYPHENATED, n_body)
    for r, word in enumerate(words):
        context = rng.choice(HYPHEN_CONTEXT)
        before = rng.random() < 0.5
        text = f"{context} {word}" if before else f"{word} {context}"
        # Break the line after the hyphen that belongs to the word.
        head, _, tail = word.partition("-")
        if before:
            lines = [f"{context} {head}-", tail]
        else:
            lines = [f"{head}-", f"{tail} {context}"]
        row = [f"{r + 1}.", text, str(rng.randint(1, 900)), f"{rng.uniform(0, 100):.1f}"]
        for k, v in enumerate(row):
            dl = [[(line, False)] for line in lines] if k == 1 else plain(v)
            cells.append(DCell(v, dl, 1 + r, k, align="left" if k < 2 else "right"))
    layout = Layout(
        cells,
        1 + n_body,
        4,
        1,
        font,
        bold,
        size,
        rng.choice(["none", "grid", "booktabs"]),
        col_gap=rng.choice([14.0, 20.0]),
        row_gap=rng.choice([5.0, 8.0]),
    )
    pdf = make_pdf(page_with(layout, rng, size=letter), size=letter)
    grid, spans = grid_of(layout)
    return Sample("hyphen", seed, f"{layout.rules}", pdf, grid, spans, 1)


FAMILIES: dict[str, Callable[[int], Sample]] = {
    "spanning": spanning,
    "numeric": numeric,
    "footnote": footnote,
    "partial": partial,
    "rtl": rtl,
    "rotated": rotated,
    "multiline": multiline,
    "wrapped": wrapped,
    "hyphen": hyphen,
}


def samples(kind: str, count: int, base: int = 0) -> list[Sample]:
    """`count` samples of a kind, seeds base .. base+count-1 (even seeds tune, odd report)."""
    return [FAMILIES[kind](base + i) for i in range(count)]
