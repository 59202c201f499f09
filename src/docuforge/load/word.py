"""DOCX (python-docx, MIT): paragraphs and tables in body order, with their real structure.

Headings come from paragraph styles (Title, Heading N) or outline levels, list items from
numbering properties, merged cells from gridSpan and vMerge, running headers and footers from
the first section. python-docx offers paragraphs and tables as separate lists, so the body's
XML children are walked directly to keep them interleaved as written.
"""

from __future__ import annotations

from pathlib import Path

from docuforge.document.model import BlockType
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.flow import Draft, document, open_zip, properties, table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def read_docx(source: Path | bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    archive = open_zip(source)  # refuses bombs before python-docx inflates anything
    try:
        word = docx.Document(archive.fp if isinstance(source, bytes) else str(source))  # type: ignore[arg-type]
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise DocumentError(f"the DOCX cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT) from None
    finally:
        archive.close()
    drafts: list[Draft] = []
    section = word.sections[0] if word.sections else None
    if section is not None and not section.header.is_linked_to_previous:
        text = " ".join(p.text.strip() for p in section.header.paragraphs if p.text.strip())
        if text:
            drafts.append(Draft(BlockType.HEADER, text))
    counters: dict[tuple[str, int], int] = {}
    for child in word.element.body.iterchildren():
        if child.tag == f"{_W}p":
            draft = _paragraph(child, word, counters)
            if draft is not None:
                drafts.append(draft)
        elif child.tag == f"{_W}tbl":
            grid = _table(child)
            if grid is not None:
                drafts.append(Draft(BlockType.TABLE, table=grid))
    if section is not None and not section.footer.is_linked_to_previous:
        text = " ".join(p.text.strip() for p in section.footer.paragraphs if p.text.strip())
        if text:
            drafts.append(Draft(BlockType.FOOTER, text))
    result = document(drafts, "docx")
    result.properties = properties(word.core_properties)
    return result


def _text(element) -> str:
    """A paragraph's text with tabs and breaks as spaces; deleted (tracked) runs left out."""
    parts: list[str] = []
    # Text boxes come twice, as a drawing and as its legacy fallback: the fallback is skipped.
    boxed = element.find(f".//{_MC}Fallback") is not None
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}delText"):
        if boxed and any(True for _ in node.iterancestors(f"{_MC}Fallback")):
            continue
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{_W}tab", f"{_W}br"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _paragraph(element, word, counters: dict[tuple[str, int], int]) -> Draft | None:
    text = _text(element)
    alt = [d.get("descr") or d.get("title") or "" for d in element.iter() if d.tag.endswith("}docPr")]
    if not text:
        if alt:  # a picture on a line of its own
            return Draft(BlockType.FIGURE, " ".join(a for a in alt if a) or "")
        return None
    properties = element.find(f"{_W}pPr")
    style_id = ""
    outline: int | None = None
    numbered: tuple[str, int] | None = None
    if properties is not None:
        style = properties.find(f"{_W}pStyle")
        style_id = style.get(f"{_W}val", "") if style is not None else ""
        level = properties.find(f"{_W}outlineLvl")
        if level is not None:
            outline = int(level.get(f"{_W}val", "9"))
        numbering = properties.find(f"{_W}numPr")
        if numbering is not None:
            num = numbering.find(f"{_W}numId")
            ilvl = numbering.find(f"{_W}ilvl")
            if num is not None and num.get(f"{_W}val", "0") != "0":
                depth = int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0
                numbered = (num.get(f"{_W}val", ""), depth)
    name = _style_name(word, style_id).lower()
    if name == "title":
        return Draft(BlockType.TITLE, text, level=1)
    heading = _heading_level(name, outline)
    if heading is not None:
        return Draft(BlockType.SECTION_HEADER, text, level=min(6, heading + 1))
    if numbered is not None or name.startswith("list"):
        list_id, level = numbered or (name, 0)
        key = (list_id, level)
        counters[key] = counters.get(key, 0) + 1
        for deeper in [k for k in counters if k[0] == list_id and k[1] > level]:
            del counters[deeper]  # a new item restarts the numbering of the levels under it
        marker = f"{counters[key]}." if "number" in name or _is_decimal(word, list_id, level) else "-"
        return Draft(BlockType.LIST_ITEM, f"{marker} {text}", extra={"list_level": level})
    if name in ("caption",):
        return Draft(BlockType.TEXT, text, extra={"caption": True})
    return Draft(BlockType.TEXT, text)


def _style_name(word, style_id: str) -> str:
    if not style_id:
        return ""
    for style in word.styles:
        if style.style_id == style_id:
            return style.name or style_id
    return style_id


def _heading_level(name: str, outline: int | None) -> int | None:
    if name.startswith("heading"):
        digits = "".join(ch for ch in name if ch.isdigit())
        return int(digits) if digits else 1
    if outline is not None and outline < 9:
        return outline + 1
    return None


def _is_decimal(word, list_id: str, level: int) -> bool:
    """Whether a list is numbered (1., 2., ...) rather than bulleted, from the numbering part."""
    try:
        numbering = word.part.numbering_part.element
    except (NotImplementedError, KeyError, AttributeError):
        return False
    abstract_id = None
    for num in numbering.iter(f"{_W}num"):
        if num.get(f"{_W}numId") == list_id:
            ref = num.find(f"{_W}abstractNumId")
            abstract_id = ref.get(f"{_W}val") if ref is not None else None
    for abstract in numbering.iter(f"{_W}abstractNum"):
        if abstract.get(f"{_W}abstractNumId") != abstract_id:
            continue
        for lvl in abstract.iter(f"{_W}lvl"):
            if lvl.get(f"{_W}ilvl") == str(level):
                fmt = lvl.find(f"{_W}numFmt")
                return fmt is not None and fmt.get(f"{_W}val") not in ("bullet", "none")
    return False


def _table(element):
    """Rows of cells with gridSpan as column spans and vMerge runs as row spans."""
    rows: list[list[tuple[str, int, int, str | None]]] = []  # text, column, span, vMerge
    for tr in element.iterchildren(f"{_W}tr"):
        column = 0
        row = []
        for tc in tr.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            span, merge = 1, None
            if properties is not None:
                grid_span = properties.find(f"{_W}gridSpan")
                span = int(grid_span.get(f"{_W}val", "1")) if grid_span is not None else 1
                v_merge = properties.find(f"{_W}vMerge")
                if v_merge is not None:
                    merge = v_merge.get(f"{_W}val", "continue")
            text = " ".join(_text(p) for p in tc.iterchildren(f"{_W}p") if _text(p))
            row.append((text, column, span, merge))
            column += span
        rows.append(row)
    header_rows = 1 if rows else 0
    out: list[list[tuple[str, int, int, bool]]] = []
    for r, row in enumerate(rows):
        kept = []
        for text, column, span, merge in row:
            if merge == "continue":
                continue
            down = 1
            if merge == "restart":
                for below in rows[r + 1 :]:
                    match = [c for c in below if c[1] == column]
                    if match and match[0][3] == "continue":
                        down += 1
                    else:
                        break
            kept.append((text, down, span, r < header_rows))
        out.append(kept)
    return table(out)
