"""HTML (lxml, BSD): headings, paragraphs, lists, tables with spans, figures, in document order.

lxml's HTML parser is given no network and no entity expansion: a page is data, never a fetch.
"""

from __future__ import annotations

import re
from pathlib import Path

from docuforge.document.model import BlockType, Document, DocumentProperties
from docuforge.errors import DocumentError, ErrorCode
from docuforge.load.flow import Draft, document, table

_SKIP = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "button"})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "pre",
    "blockquote", "address", "figcaption", "dd", "dt", "body", "form", "fieldset",
})  # fmt: skip
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode(data: bytes) -> str:
    """Bytes as text: a BOM, then a <meta> charset, then UTF-8, else Windows-1252."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_html(source: Path | bytes) -> Document:
    import lxml.html
    from lxml import etree

    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = decode(data)
    if not text.strip():
        raise DocumentError("the HTML document is empty", code=ErrorCode.DOCUMENT_EMPTY)
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise DocumentError(f"the HTML cannot be read: {error}", code=ErrorCode.DOCUMENT_CORRUPT) from None
    drafts: list[Draft] = []
    _walk(root.find("body") if root.find("body") is not None else root, drafts, [], 0)
    result = document(drafts, "html")
    title = root.findtext(".//title")
    if title and title.strip():
        result.properties = DocumentProperties(title=" ".join(title.split()))
    return result


def _walk(element, drafts: list[Draft], pending: list[str], depth: int) -> None:
    """Block elements become blocks; inline text gathers in `pending` until a block boundary."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP or not tag:
            _tail(child, pending)
            continue
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            _flush(drafts, pending)
            level = int(tag[1])
            kind = (
                BlockType.TITLE if level == 1 and not any(d.type is BlockType.TITLE for d in drafts) else None
            )
            drafts.append(Draft(kind or BlockType.SECTION_HEADER, _inline(child), level=1 if kind else level))
        elif tag in ("ul", "ol"):
            _flush(drafts, pending)
            _list(child, drafts, depth)
        elif tag == "table":
            _flush(drafts, pending)
            grid = _table(child)
            if grid is not None:
                drafts.append(Draft(BlockType.TABLE, table=grid))
        elif tag == "img":
            _flush(drafts, pending)
            drafts.append(Draft(BlockType.FIGURE, child.get("alt", "")))
        elif tag == "pre":
            _flush(drafts, pending)
            drafts.append(Draft(BlockType.TEXT, child.text_content().strip("\n")))
        elif tag == "br":
            pending.append("\n")
        elif tag in _BLOCKS or tag in ("li", "figure", "hr"):
            _flush(drafts, pending)
            if child.text and child.text.strip():
                pending.append(child.text)
            _walk(child, drafts, pending, depth)
            _flush(drafts, pending)
        else:
            pending.append(_inline(child, keep_space=True))
        _tail(child, pending)


def _tail(child, pending: list[str]) -> None:
    if child.tail and child.tail.strip():
        pending.append(child.tail)


def _flush(drafts: list[Draft], pending: list[str]) -> None:
    text = " ".join("".join(pending).replace("\n", " \n ").split(" "))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    if text:
        drafts.append(Draft(BlockType.TEXT, text))
    pending.clear()


def _inline(element, keep_space: bool = False) -> str:
    text = element.text_content()
    collapsed = " ".join(text.split())
    if keep_space and text[:1].isspace():
        collapsed = " " + collapsed
    if keep_space and text[-1:].isspace():
        collapsed += " "
    return collapsed


def _list(element, drafts: list[Draft], depth: int) -> None:
    number = 0
    ordered = element.tag == "ol"
    for item in element:
        if not isinstance(item.tag, str) or item.tag != "li":
            continue
        number += 1
        own = [item.text or ""]
        nested = []
        for child in item:
            if isinstance(child.tag, str) and child.tag in ("ul", "ol"):
                nested.append(child)
            elif isinstance(child.tag, str) and child.tag not in _SKIP:
                own.append(child.text_content())
            own.append(child.tail or "")
        text = " ".join("".join(own).split())
        if text:
            marker = f"{number}." if ordered else "-"
            drafts.append(Draft(BlockType.LIST_ITEM, f"{marker} {text}", extra={"list_level": depth}))
        for child in nested:
            _list(child, drafts, depth + 1)


def _table(element):
    rows = []
    for tr in element.iter("tr"):
        if tr.getparent() is not None and _owner(tr) is not element:
            continue  # a nested table's row: its text is in the cell that holds it
        cells = []
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            cells.append(
                (_inline(cell), _span(cell.get("rowspan")), _span(cell.get("colspan")), cell.tag == "th")
            )
        if cells:
            rows.append(cells)
    return table(rows)


def _owner(row):
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1
