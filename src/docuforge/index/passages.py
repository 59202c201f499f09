"""Documents into passages: runs of blocks on one page, each with the box it covers.

A passage never crosses a page (so it cites one page), keeps a heading with what follows it,
carries its section's heading as context, and is cut near `size` characters. Running headers,
footers and page numbers are left out. Tables become one line per row, `header: value; ...`,
which both BM25 and the embeddings read better than markup, cut between rows when large.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docuforge.document.model import FURNITURE, BBox, Block, BlockType, Document
from docuforge.index.store import Box, Passage
from docuforge.render.markdown import block_markdown

HEADINGS = frozenset({BlockType.TITLE, BlockType.SECTION_HEADER})


@dataclass
class _Run:
    page: int
    texts: list[str] = field(default_factory=list)
    boxes: list[BBox] = field(default_factory=list)
    heading: str = ""

    def length(self) -> int:
        return sum(len(text) for text in self.texts)


def _union(boxes: list[BBox]) -> Box | None:
    if not boxes:
        return None
    left = min(b.left for b in boxes)
    top = min(b.top for b in boxes)
    right = max(b.right for b in boxes)
    bottom = max(b.bottom for b in boxes)
    return Box(
        left=round(left, 5), top=round(top, 5), width=round(right - left, 5), height=round(bottom - top, 5)
    )


def _table_rows(
    block: Block, inherited: list[str] | None = None
) -> tuple[list[str], list[tuple[str, list[BBox]]]]:
    """Each body row as 'header: value; ...' with the boxes of its cells, and the header used.

    A table continued from an earlier page has no header row of its own: it gets the first's.
    """
    assert block.table is not None
    grid = block.table.grid()
    if not grid:
        return inherited or [], []
    if inherited is not None and len(inherited) == len(grid[0]):
        header, body = inherited, grid
    else:
        header = [cell.text.strip() if cell is not None else "" for cell in grid[0]]
        body = grid[1:] if len(grid) > 1 else grid
    rows: list[tuple[str, list[BBox]]] = []
    for line in body:
        parts, boxes, seen = [], [], set()
        for name, cell in zip(header, line, strict=False):
            if cell is None or id(cell) in seen or not cell.text.strip():
                continue
            seen.add(id(cell))
            parts.append(
                f"{name}: {cell.text.strip()}" if name and name != cell.text.strip() else cell.text.strip()
            )
            if cell.bbox is not None:
                boxes.append(cell.bbox)
        if parts:
            rows.append(("; ".join(parts), boxes or [block.bbox]))
    return header, rows


def passages(
    document: Document,
    document_id: str,
    filename: str = "",
    document_type: str = "document",
    size: int = 700,
) -> list[Passage]:
    """The document's passages, in reading order, ids `<document_id>:<n>`."""
    runs: list[_Run] = []
    heading = ""
    headers: dict[str, list[str]] = {}  # table block id -> its header row, for its continuations

    def flush(run: _Run | None) -> None:
        if run is not None and run.texts:
            runs.append(run)

    for page in document.pages:
        run: _Run | None = None
        for block in page.blocks:
            if block.type in FURNITURE or block.extra.get("merged_into"):
                continue
            if block.type in HEADINGS:
                flush(run)
                heading = block.content.strip()
                run = _Run(page.number, [block_markdown(block)], [block.bbox], heading="")
                continue
            if block.type is BlockType.TABLE and block.table is not None:
                inherited = headers.get(block.continued_from) if block.continued_from else None
                headers[block.id], pieces = _table_rows(block, inherited)
                if block.caption:
                    pieces.insert(0, (block.caption, [block.bbox]))
            else:
                text = block_markdown(block).strip()
                pieces = [(text, [block.bbox])] if text else []
            for text, boxes in pieces:
                # Rows of a table merged across pages keep their own page: cite where they are.
                where = boxes[0].page if boxes else page.number
                full = run is not None and run.length() + len(text) > size and run.length() > size // 3
                if run is None or full or run.page != where:
                    flush(run)
                    run = _Run(where, heading=heading)
                run.texts.append(text)
                run.boxes.extend(boxes)
        flush(run)
    out: list[Passage] = []
    for number, run in enumerate(runs):
        body = "\n".join(run.texts)
        if run.heading and run.heading not in body:
            body = f"{run.heading}\n{body}"
        out.append(
            Passage(
                id=f"{document_id}:{number}",
                document_id=document_id,
                filename=filename,
                document_type=document_type,
                page=run.page,
                bbox=_union(run.boxes) if document.layout == "page" else None,
                text=body,
            )
        )
    return out
