"""Document to chunks for retrieval, in six modes.

variable: blocks gathered toward chunk_size (default about 1,000 characters), never splitting a
heading from what follows it or a figure from its caption, and starting afresh at a section
when the chunk is already half full. section: a chunk per Title or Section Header. page: a
chunk per page. page_sections: per page, then per section. block: a chunk per block.
disabled: the whole document as one chunk.
"""

from __future__ import annotations

from collections.abc import Iterable

from docuforge.chunk.options import ChunkOptions
from docuforge.document.model import Block, BlockType, Chunk, Document
from docuforge.render.markdown import block_markdown

DEFAULT_SIZE = 1000
HEADINGS = frozenset({BlockType.TITLE, BlockType.SECTION_HEADER})


def _blocks(document: Document) -> list[Block]:
    return [b for b in document.blocks() if not b.extra.get("merged_into")]


def _by_page(blocks: Iterable[Block]) -> list[list[Block]]:
    pages: dict[int, list[Block]] = {}
    for block in blocks:
        pages.setdefault(block.bbox.page, []).append(block)
    return [pages[number] for number in sorted(pages)]


def _by_section(blocks: list[Block]) -> list[list[Block]]:
    groups: list[list[Block]] = []
    for block in blocks:
        if block.type in HEADINGS or not groups:
            groups.append([block])
        else:
            groups[-1].append(block)
    return groups


def _units(blocks: list[Block]) -> list[list[Block]]:
    """Runs that never split: a heading with what follows it, a figure or table with its caption."""
    units: list[list[Block]] = []
    pending: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        seen.add(block.id)
        if block.caption_of and block.caption_of in seen and units and not pending:
            if any(b.id == block.caption_of for b in units[-1]):
                units[-1].append(block)  # a caption under its figure
                continue
        pending.append(block)
        if block.type in HEADINGS or (block.caption_of and block.caption_of not in seen):
            continue  # wait for what the heading introduces, or the table the caption heads
        units.append(pending)
        pending = []
    if pending:
        units.append(pending)
    return units


def _variable(blocks: list[Block], size: int, table_format: str) -> list[list[Block]]:
    groups: list[list[Block]] = []
    length = 0
    low, high = int(size * 0.75), int(size * 1.25)
    for unit in _units(blocks):
        unit_length = sum(len(block_markdown(b, table_format)) for b in unit)
        starts_section = unit[0].type in HEADINGS
        if groups and (
            length + unit_length > high or (starts_section and length >= size // 2) or length >= low
        ):
            groups.append([])
            length = 0
        if not groups:
            groups.append([])
        groups[-1].extend(unit)
        length += unit_length
    return [g for g in groups if g]


def group(document: Document, options: ChunkOptions) -> list[list[Block]]:
    blocks = _blocks(document)
    mode = options.mode
    if mode == "disabled" or not blocks:
        return [blocks]
    if mode == "block":
        return [[b] for b in blocks]
    if mode == "page":
        return _by_page(blocks)
    if mode == "section":
        return _by_section(blocks)
    if mode == "page_sections":
        return [section for page in _by_page(blocks) for section in _by_section(page)]
    return _variable(blocks, options.size or DEFAULT_SIZE, options.table_format)


def _content(blocks: list[Block], options: ChunkOptions, embed: bool) -> str:
    hidden = set(options.filter_blocks)
    table_format = options.table_format
    parts: list[str] = []
    page = None
    for block in blocks:
        if options.page_markers and not embed and block.bbox.page != page:
            if page is not None:
                parts.append(f"<!-- page {page} end -->")
            page = block.bbox.page
            parts.append(f"<!-- page {page} start -->")
        if block.type in hidden:
            continue
        if embed and block.type is BlockType.TABLE and options.embedding_optimized and block.table:
            parts.append(_table_sentences(block))
            continue
        rendered = block_markdown(block, table_format)
        if rendered:
            parts.append(rendered)
    if options.page_markers and not embed and page is not None:
        parts.append(f"<!-- page {page} end -->")
    return "\n\n".join(parts)


def _table_sentences(block: Block) -> str:
    """A table as 'header: value' lines, which embedding models read better than markup."""
    assert block.table is not None
    grid = [["" for _ in range(block.table.n_cols)] for _ in range(block.table.n_rows)]
    for cell in block.table.cells:
        grid[cell.row][cell.col] = cell.text
    header, rows = grid[0], grid[1:]
    lines = [
        "; ".join(f"{h}: {v}" if h else v for h, v in zip(header, row, strict=True) if v) for row in rows
    ]
    return "\n".join(line for line in lines if line)


def _overlap(previous: str, size: int) -> str:
    if size <= 0 or not previous:
        return ""
    tail = previous[-size:]
    cut = tail.find(" ")
    return tail[cut + 1 :] if 0 <= cut < len(tail) - 1 and len(tail) == size else tail


def chunk(document: Document, options: ChunkOptions | None = None) -> list[Chunk]:
    options = options or ChunkOptions()
    overlap = options.overlap
    chunks: list[Chunk] = []
    previous = ""
    for blocks in group(document, options):
        content = _content(blocks, options, embed=False)
        embed = _content(blocks, options, embed=True)
        shared = _overlap(previous, overlap)
        previous = content
        if shared:
            content = shared + "\n\n" + content
            embed = shared + "\n\n" + embed
        chunks.append(Chunk(content=content, embed=embed, blocks=blocks))
    return chunks
