"""PPTX (python-pptx, MIT): each slide a page, each shape a block with its real box on the slide.

Slides are paged, so boxes are true page boxes (normalized to the slide). Shapes come top to
bottom, left to right, the title first (the parse stage orders them as a page's blocks); speaker
notes close the slide as a Comment block.
"""

from __future__ import annotations

from pathlib import Path

from docuforge.document.model import BBox, Block, BlockType, Document, Page
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.flow import chart_table, open_zip, properties, table

EMU_PER_POINT = 12700


def read_pptx(source: Path | bytes) -> Document:
    import pptx
    from pptx.exc import PackageNotFoundError

    archive = open_zip(source)
    try:
        deck = pptx.Presentation(archive.fp if isinstance(source, bytes) else str(source))  # type: ignore[arg-type]
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise DocumentError(f"the PPTX cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT) from None
    finally:
        archive.close()
    width, height = (deck.slide_width or 9144000), (deck.slide_height or 6858000)
    document = Document(format="pptx", total_pages=len(deck.slides), layout="page")
    for number, slide in enumerate(deck.slides, start=1):
        page = Page(
            number=number,
            original_number=number,
            width=width / EMU_PER_POINT,
            height=height / EMU_PER_POINT,
        )
        items: list[tuple] = []
        for shape in _shapes(slide.shapes):
            box = _box(shape, width, height, number)
            if box is None:
                continue
            for kind, content, grid, extra in _blocks(shape, number == 1):
                first = 0 if extra.get("slide_title") else 1
                items.append(((first, box.top, box.left), kind, content, grid, extra, box))
        items.sort(key=lambda item: item[0])
        for kind, content, grid, extra, box in (item[1:] for item in items):
            if kind is BlockType.TITLE or kind is BlockType.SECTION_HEADER:
                page.name = page.name or content
            page.blocks.append(
                Block(
                    id=f"p{number}-b{len(page.blocks)}",
                    type=kind,
                    bbox=box,
                    content=content,
                    level=1 if kind is BlockType.TITLE else 2 if kind is BlockType.SECTION_HEADER else None,
                    table=grid,
                    extra=extra,
                )
            )
        notes = slide.notes_slide.notes_text_frame.text.strip() if slide.has_notes_slide else ""
        if notes and slide.notes_slide.notes_text_frame is not None:
            # Notes are not on the slide: their box is a line along its bottom edge.
            page.blocks.append(
                Block(
                    id=f"p{number}-b{len(page.blocks)}",
                    type=BlockType.COMMENT,
                    bbox=BBox(left=0, top=1, width=1, height=0, page=number, original_page=number),
                    content=notes,
                    extra={"speaker_notes": True},
                )
            )
        document.pages.append(page)
    if not any(page.blocks for page in document.pages):
        raise DocumentError("the presentation has no content", code=ErrorCode.DOCUMENT_EMPTY)
    document.properties = properties(deck.core_properties)
    return document


def _shapes(shapes):
    """Every shape, groups opened (their children carry positions on the slide)."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _box(shape, width: int, height: int, number: int) -> BBox | None:
    if shape.left is None or shape.top is None or not shape.width or not shape.height:
        return None
    x0 = min(max(shape.left / width, 0.0), 1.0)
    y0 = min(max(shape.top / height, 0.0), 1.0)
    x1 = min(max((shape.left + shape.width) / width, 0.0), 1.0)
    y1 = min(max((shape.top + shape.height) / height, 0.0), 1.0)
    return BBox(
        left=round(x0, 5),
        top=round(y0, 5),
        width=round(x1 - x0, 5),
        height=round(y1 - y0, 5),
        page=number,
        original_page=number,
    )


def _blocks(shape, first_slide: bool):
    """(type, content, table, extra) for what one shape holds."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    if getattr(shape, "has_table", False):
        yield BlockType.TABLE, "", _grid(shape.table), {}
        return
    if getattr(shape, "has_chart", False):
        yield from _chart(shape.chart)
        return
    if shape.shape_type is not None and "PICTURE" in str(shape.shape_type):
        alt = shape._element.xpath("./*/p:cNvPr/@descr")
        yield BlockType.FIGURE, (alt[0] if alt else ""), None, {}
        return
    if not getattr(shape, "has_text_frame", False) or not shape.text_frame.text.strip():
        return
    kind = None
    if shape.is_placeholder:
        placeholder = shape.placeholder_format.type
        if placeholder in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            kind = BlockType.TITLE if first_slide else BlockType.SECTION_HEADER
            yield kind, " ".join(shape.text_frame.text.split()), None, {"slide_title": True}
            return
        if placeholder == PP_PLACEHOLDER.SUBTITLE:
            kind = BlockType.SECTION_HEADER
        elif placeholder in (PP_PLACEHOLDER.FOOTER,):
            kind = BlockType.FOOTER
        elif placeholder == PP_PLACEHOLDER.SLIDE_NUMBER:
            kind = BlockType.PAGE_NUMBER
    if kind is not None:
        yield kind, " ".join(shape.text_frame.text.split()), None, {}
        return
    body = shape.is_placeholder and shape.placeholder_format.type in (
        PP_PLACEHOLDER.BODY,
        PP_PLACEHOLDER.OBJECT,
    )
    paragraphs = [p for p in shape.text_frame.paragraphs if "".join(r.text for r in p.runs).strip()]
    numbers: dict[int, int] = {}
    for paragraph in paragraphs:
        text = " ".join("".join(r.text for r in paragraph.runs).split())
        properties = paragraph._p.pPr
        marker = _bullet(properties)
        if marker is None and (paragraph.level > 0 or body):
            marker = "bullet"  # a body placeholder's paragraphs inherit the layout's bullets
        if marker in (None, "none"):
            yield BlockType.TEXT, text, None, {}
            continue
        level = paragraph.level
        for deeper in [k for k in numbers if k > level]:
            del numbers[deeper]
        if marker == "number":
            numbers[level] = numbers.get(level, 0) + 1
            prefix = f"{numbers[level]}."
        else:
            prefix = "-"
        yield BlockType.LIST_ITEM, f"{prefix} {text}", None, {"list_level": level}


def _bullet(properties) -> str | None:
    """ "bullet", "number", "none" from a paragraph's own bullet properties; None when it inherits."""
    if properties is None:
        return None
    for child in properties:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "buNone":
            return "none"
        if tag == "buAutoNum":
            return "number"
        if tag in ("buChar", "buBlip"):
            return "bullet"
    return None


def _chart(chart):
    """A chart as a Figure (its title, or its kind) and the table of the data it plots."""
    title = ""
    if chart.has_title and chart.chart_title.has_text_frame:
        title = " ".join(chart.chart_title.text_frame.text.split())
    try:
        kind = str(chart.chart_type).split(".")[-1].split(" ")[0].replace("_", " ").lower()
    except (ValueError, KeyError):  # a plot kind python-pptx does not model (3-D bars, ...)
        kind = ""
    yield BlockType.FIGURE, title or " ".join(filter(None, (kind, "chart"))), None, {"is_chart": True}
    try:
        categories = [str(c) for c in chart.plots[0].categories] if len(chart.plots) else []
        series = [(s.name or "", list(s.values)) for plot in chart.plots for s in plot.series]
    except (KeyError, ValueError, IndexError, AttributeError):
        return  # a chart whose data part is missing or malformed: the figure is all there is
    grid = chart_table(categories, series)
    if grid is not None:
        yield BlockType.TABLE, "", grid, {"chart_data": True}


def _grid(source_table):
    rows = []
    for r, row in enumerate(source_table.rows):
        cells = []
        for cell in row.cells:
            if cell.is_spanned:
                continue  # covered by a merge origin to its left or above
            rows_down = cell.span_height if cell.is_merge_origin else 1
            cols_across = cell.span_width if cell.is_merge_origin else 1
            cells.append((" ".join(cell.text.split()), rows_down, cols_across, r == 0))
        rows.append(cells)
    return table(rows)
