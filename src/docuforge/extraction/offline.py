"""The offline engine: fill the schema from the Document's structure, no LLM.

For each leaf field, every label/value pair on the page is scored: how well the label names the
field (words, synonyms, meaning) times how cleanly the value reads as the field's type. Values
are then assigned best first, one field per value. Fields no label names fall back on where such
values sit (the issuer's name at the top, its address under it, the first date). Arrays of
objects come from tables; objects whose name heads a section ("Bill to") are read inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from docuforge.document.model import Document
from docuforge.extraction import kinds, values
from docuforge.extraction.candidates import Layout, Segment, Span, read_layout
from docuforge.extraction.citations import cite
from docuforge.extraction.kinds import kind_of, read
from docuforge.extraction.matching import FieldTerms, Scorer, field_terms, lexical
from docuforge.extraction.options import ExtractOptions, Leaf
from docuforge.extraction.schema import Field
from docuforge.extraction.tables import table_items
from docuforge.extraction.totals import is_grand_total, rerank

Path = tuple[str | int, ...]


@dataclass
class Choice:
    path: Path
    value: Any
    span: Span | None
    score: float
    extra_spans: tuple[Span, ...] = ()


@dataclass
class Context:
    layout: Layout
    options: ExtractOptions
    scorer: Scorer
    date_order: str
    choices: dict[Path, Choice]
    used: set[tuple[int, int]]
    labels: list[FieldTerms]  # every leaf's terms: a value that reads as a label is no value
    # First every field takes what a label names; only then do the others fall back on position,
    # so an issuer's name found by position cannot take the line a "Bill to" label names.
    phase: str = "labels"
    arrays: dict[Path, list[Any]] = dataclass_field(default_factory=dict)

    def labelness(self, text: str) -> float:
        stripped = text.strip().rstrip(":\uff1a")
        if not stripped or any(ch.isdigit() for ch in stripped) or len(stripped.split()) > 5:
            return 0.0
        return max((lexical(terms, stripped) for terms in self.labels), default=0.0)


def _date_order(document: Document, options: ExtractOptions) -> str:
    if options.date_order != "auto":
        return options.date_order
    texts = [b.content for b in document.blocks()]
    return values.date_order_of(texts) or "DMY"


def _label_candidates(
    field: Field, parents: list[str], ctx: Context, segments: set[int] | None
) -> list[Choice]:
    terms = field_terms(field, parents)
    kind = kind_of(field)
    found: list[Choice] = []
    for pair in ctx.layout.pairs:
        if pair.value is None or pair.source == "column":
            continue  # a column's cells are an array's items (tables.py), not one field's value
        if segments is not None and pair.value.segment.order not in segments:
            continue
        if kind == "boolean" and pair.checked is None and pair.source == "checkbox":
            continue
        label = (
            ctx.scorer.score(terms, pair.label)
            if pair.source != "prefix"
            else _lexical_only(ctx, terms, pair.label)
        )
        if label < ctx.options.min_score:
            continue
        reading = read(kind, field, pair.value, ctx.date_order, pair.checked)
        if reading is None:
            continue
        score = label * pair.prior * reading.quality
        if (
            kind == "organisation"
            and ctx.options.name_lines
            and (kinds.registration_like(pair.value.text) or kinds.generic_only(pair.value.text))
        ):
            # "Company Reg #1101083-T", "Acme Stores | Sdn Bhd": a number or a name's tail, no name.
            continue
        if kind in ("text", "organisation", "address", "enum") and ctx.labelness(pair.value.text) >= 0.4:
            score *= 0.3  # "Customer | INVOICE NUMBER": the cell beside a label is another label
        span = reading.span
        extra: tuple[Span, ...] = ()
        value = reading.value
        if kind == "address" and pair.source in ("below", "inline", "right"):
            value, extra = _continue_lines(pair.value.segment, value, ctx)
        found.append(Choice((), value, span, score, extra))
    return found


def _lexical_only(ctx: Context, terms: Any, label: str) -> float:
    # Prefix labels are every head of every line: too many to embed, and words suffice for them.
    return lexical(terms, label)


def _continue_lines(first: Segment, value: str, ctx: Context) -> tuple[str, tuple[Span, ...]]:
    """An address goes on over the next lines of its block until something else begins."""
    segments = ctx.layout.segments
    more: list[Span] = []
    parts = [value]
    for seg in segments[first.order + 1 : first.order + 6]:
        if seg.block_id != first.block_id or ":" in seg.text or kinds._STOP.search(seg.text):
            break
        parts.append(values.clean_string(seg.text))
        more.append(Span(seg, 0, len(seg.text)))
    return " ".join(p for p in parts if p), tuple(more)


def _issuer(
    ctx: Context, segments: list[Segment], for_name: bool = True
) -> tuple[list[Segment], float] | None:
    """The issuer's name lines, found by position: one line, or two with `name_lines`.

    For a name field, lines another field took (the customer under "Bill to") are no candidates;
    for the address that follows the issuer's name, they are (the name field took the name).
    """
    segments_all = ctx.layout.segments
    taken = frozenset(
        c.span.segment.order
        for c in ctx.choices.values()
        if ctx.options.name_lines
        and for_name
        and c.span is not None
        and c.span.segment.order < len(segments_all)
        and segments_all[c.span.segment.order] is c.span.segment  # table items number their own
    )
    found = kinds.organisation(segments, legal_forms=ctx.options.name_lines, taken=taken)
    if found is None:
        return None
    seg, confidence = found
    return (kinds.name_lines(segments, seg) if ctx.options.name_lines else [seg]), confidence


def _fallback(field: Field, ctx: Context, segments: list[Segment]) -> Choice | None:
    kind = kind_of(field)
    if kind == "organisation" or (kind == "text" and "name" in field.name.lower() and not segments):
        found = _issuer(ctx, segments)
        if found:
            lines, confidence = found
            last = lines[-1]
            reading = read("organisation", field, Span(last, 0, len(last.text)), ctx.date_order)
            if reading:
                name = kinds.without_registration(str(reading.value))
                if ctx.options.name_lines:
                    name = kinds.through_legal_form(name)
                span = Span(reading.span.segment, reading.span.start, reading.span.start + len(name))
                if len(lines) == 1:
                    return Choice((), name, span, confidence)
                head = tuple(Span(s, 0, len(s.text)) for s in lines[:-1])
                text = " ".join([*(values.clean_string(s.text) for s in lines[:-1]), name])
                return Choice((), text, head[0], confidence, (*head[1:], span))
    if kind == "address":
        org = _issuer(ctx, segments, for_name=False)
        lines = kinds.address_lines(segments, org[0][-1] if org else None, block=ctx.options.address_block)
        if lines:
            text = " ".join(s.text.strip() for s in lines).strip(" ,;")
            spans = tuple(Span(s, 0, len(s.text)) for s in lines)
            return Choice((), text, spans[0], 0.55, spans[1:])
    if kind in ("date", "email", "phone"):
        for seg in segments:
            reading = read(kind, field, Span(seg, 0, len(seg.text)), ctx.date_order)
            if reading is not None and (seg.order, reading.span.start) not in ctx.used:
                return Choice((), reading.value, reading.span, 0.5)
    if kind == "boolean":
        return None
    return None


def _section(field: Field, ctx: Context) -> list[Segment] | None:
    """The lines under a heading that names the object ("Bill to", "Vendor"), in its column."""
    terms = field_terms(field)
    best: tuple[float, Segment] | None = None
    for seg in ctx.layout.segments:
        text = seg.text.strip().rstrip(":\uff1a")
        if not text or len(text.split()) > 5:
            continue
        score = ctx.scorer.score(terms, text)
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, seg)
    if best is None:
        return None
    anchor = best[1]
    lines: list[Segment] = []
    for seg in ctx.layout.segments[anchor.order + 1 :]:
        if seg.page != anchor.page or len(lines) >= 8:
            break
        overlaps = min(seg.box.right, anchor.box.right + 0.25) - max(seg.box.left, anchor.box.left - 0.02) > 0
        if not overlaps:
            continue
        last = lines[-1].box if lines else anchor.box
        if seg.box.top - last.bottom > 2.2 * max(seg.box.height, 0.008) or seg.box.top < anchor.box.top:
            break
        lines.append(seg)
    return lines or None


def _fill_object(
    field: Field, path: Path, parents: list[str], ctx: Context, within: list[Segment] | None
) -> dict[str, Any]:
    section = _section(field, ctx) if path and field.name else None
    scope = section if section is not None else within
    out: dict[str, Any] = {}
    for prop in field.properties:
        child_path = (*path, prop.name)
        names = [*parents, field.name] if field.name else parents
        out[prop.name] = _fill(prop, child_path, names, ctx, scope)
    if section is not None and ctx.phase == "fallback":
        _fill_from_section(field, path, section, ctx, out)
    return out


def _fill_from_section(
    field: Field, path: Path, section: list[Segment], ctx: Context, out: dict[str, Any]
) -> None:
    """Inside a section, an unlabelled name is its first line and an address the lines after it."""
    rest = [s for s in section if (s.order, 0) not in ctx.used]
    for prop in field.properties:
        if out.get(prop.name) is not None or not prop.leaf or not rest:
            continue
        kind = kind_of(prop)
        child = (*path, prop.name)
        if kind in ("organisation", "text") and "name" in prop.name.lower():
            seg = rest.pop(0)
            _choose(ctx, Choice(child, values.clean_string(seg.text), Span(seg, 0, len(seg.text)), 0.6))
            out[prop.name] = ctx.choices[child].value
        elif kind == "address":
            lines = [s for s in rest if not kinds._STOP.search(s.text) and not kinds.EMAIL.search(s.text)]
            lines = [s for s in lines if not kinds.PHONE.fullmatch(s.text.strip())][:4]
            if lines:
                text = " ".join(s.text.strip() for s in lines).strip(" ,;")
                spans = [Span(s, 0, len(s.text)) for s in lines]
                _choose(ctx, Choice(child, text, spans[0], 0.55, tuple(spans[1:])))
                out[prop.name] = text
                rest = [s for s in rest if s not in lines]


def _choose(ctx: Context, choice: Choice) -> None:
    ctx.choices[choice.path] = choice
    if choice.span is not None:
        ctx.used.add((choice.span.segment.order, choice.span.start))


def _fill(field: Field, path: Path, parents: list[str], ctx: Context, within: list[Segment] | None) -> Any:
    if field.type == "object":
        return _fill_object(field, path, parents, ctx, within)
    if field.type == "array":
        return _fill_array(field, path, parents, ctx)
    if path in ctx.choices:
        return ctx.choices[path].value
    if ctx.phase == "labels":
        allowed = {s.order for s in within} if within is not None else None
        candidates = _label_candidates(field, parents, ctx, allowed)
        if ctx.options.total_evidence and kind_of(field) == "amount" and is_grand_total(field):
            candidates = rerank(candidates, ctx.layout)
        candidates.sort(key=lambda c: -c.score)
        for candidate in candidates:
            key = (candidate.span.segment.order, candidate.span.start) if candidate.span else None
            if key is not None and key in ctx.used:
                continue
            candidate.path = path
            _choose(ctx, candidate)
            return candidate.value
        return None
    fallback = _fallback(field, ctx, within if within is not None else ctx.layout.segments)
    if fallback is not None:
        fallback.path = path
        _choose(ctx, fallback)
        return fallback.value
    return None


def _fill_array(field: Field, path: Path, parents: list[str], ctx: Context) -> list[Any]:
    if path not in ctx.arrays:
        ctx.arrays[path] = _read_array(field, path, parents, ctx)
    return ctx.arrays[path]


def _read_array(field: Field, path: Path, parents: list[str], ctx: Context) -> list[Any]:
    item = field.items
    if item is None:
        return []
    if item.type == "object":
        found = table_items(
            ctx.layout.tables,
            item,
            ctx.scorer,
            ctx.date_order,
            ctx.options.min_score,
            ctx.options.split_headers,
        )
        if found is None:
            return []
        out = []
        for i, row in enumerate(found.items):
            obj: dict[str, Any] = {}
            for prop in item.properties:
                cell = row.get(prop.name)
                if cell is None:
                    obj[prop.name] = [] if prop.type == "array" else ({} if prop.type == "object" else None)
                    continue
                value, span, score = cell
                _choose(ctx, Choice((*path, i, prop.name), value, span, score))
                obj[prop.name] = value
            out.append(obj)
        return out
    if item.leaf:
        # A list of scalars: the column of any table whose header names the field.
        wrapper = Field(
            name=field.name,
            type="object",
            properties=[
                Field(
                    name=field.name,
                    type=item.type,
                    description=field.description,
                    format=item.format,
                    enum=item.enum,
                )
            ],
        )
        found = table_items(
            ctx.layout.tables,
            wrapper,
            ctx.scorer,
            ctx.date_order,
            ctx.options.min_score,
            ctx.options.split_headers,
        )
        if found is None:
            return []
        out_values = []
        for row in found.items:
            cell = row.get(field.name)
            if cell is not None:
                value, span, score = cell
                _choose(ctx, Choice((*path, len(out_values)), value, span, score))
                out_values.append(value)
        return out_values
    return []


def _leaf_terms(field: Field, parents: list[str]) -> list[FieldTerms]:
    if field.leaf:
        return [field_terms(field, parents)]
    if field.type == "array":
        return _leaf_terms(field.items, [*parents, field.name]) if field.items else []
    return [
        t for p in field.properties for t in _leaf_terms(p, [*parents, field.name] if field.name else parents)
    ]


def extract_offline(
    document: Document, root: Field, options: ExtractOptions, scorer: Scorer
) -> tuple[Any, list[Leaf]]:
    layout = read_layout(document, columns=options.table_headers, dates=options.dates_not_labels)
    ctx = Context(layout, options, scorer, _date_order(document, options), {}, set(), _leaf_terms(root, []))
    if scorer.embed is not None:
        # Every text the scorer may compare, embedded in one batch: the fields, the labels, the
        # short lines that may head a section, the table cells that may head a column.
        nested = any(not f.leaf for f in root.properties) or root.type == "array"
        short = [s.text.strip().rstrip(":\uff1a") for s in layout.segments if len(s.text.split()) <= 5]
        short = short if nested else []  # only sections and table headers are matched on bare lines
        scorer.prepare(
            [t.text for t in ctx.labels]
            + [p.label for p in layout.pairs if p.source not in ("prefix", "column")]
            + [t for t in short if t and len(t) <= 80]
        )
    value: Any = None
    for phase in ("labels", "fallback"):
        ctx.phase = phase
        value = (
            _fill_array(root, (), [], ctx) if root.type == "array" else _fill_object(root, (), [], ctx, None)
        )
    leaves = []
    for choice in ctx.choices.values():
        confidence = max(0.0, min(1.0, choice.score))
        citations = []
        if choice.span is not None:
            citations.append(cite(choice.span, confidence))
            citations += [cite(extra, confidence) for extra in choice.extra_spans]
        leaves.append(
            Leaf(path=list(choice.path), value=choice.value, citations=citations, confidence=confidence)
        )
    return value, leaves
