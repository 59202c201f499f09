"""The "split" job: the packet's Document (parsed, or an earlier parse's), then the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.reducto import submission
from docuforge.reducto.split.schemas import SplitRequest


def split_in_worker(document_path: str, sections_json: str, options_json: str) -> dict[str, Any]:
    from docuforge.document.model import Document
    from docuforge.splitting import Section, SplitOptions, split

    document = Document.model_validate_json(Path(document_path).read_bytes())
    sections = [Section.model_validate(s) for s in json.loads(sections_json)]
    return split(document, sections, SplitOptions.model_validate_json(options_json)).model_dump()


def _conf(value: float) -> str:
    return "high" if value >= 0.6 else "low"


def _evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"page_number": e["page_number"], "evidence": e["evidence"], "confidence": e["confidence"]}
        for e in items
    ]


def to_result(found: dict[str, Any], deep: bool) -> dict[str, Any]:
    """Reducto's SplitResult (or DeepSplitResult) from the engine's SplitResult."""
    splits = []
    for item in found["splits"]:
        if deep:
            entry: dict[str, Any] = {"name": item["name"], "pages": _evidence(item["evidence"])}
            if item["partitions"] is not None:
                entry["partitions"] = [
                    {"name": p["name"], "pages": _evidence(p["evidence"])} for p in item["partitions"]
                ]
        else:
            entry = {"name": item["name"], "pages": item["pages"], "conf": _conf(item["confidence"])}
            if item["partitions"] is not None:
                entry["partitions"] = [
                    {"name": p["name"], "pages": p["pages"], "conf": _conf(p["confidence"])}
                    for p in item["partitions"]
                ]
        splits.append(entry)
    toc = found["toc"]
    result: dict[str, Any] = {"splits": splits, "table_of_contents": toc}
    if not deep:
        mapping: dict[str, list[int]] = {}
        for entry in toc:
            key, n = entry["title"], 1
            while key in mapping:
                n += 1
                key = f"{entry['title']} ({n})"
            mapping[key] = list(range(entry["start_page"], entry["end_page"] + 1))
        result["section_mapping"] = mapping
    return result


def options_of(request: SplitRequest, embeddings: bool) -> dict[str, Any]:
    return {
        "rules": request.split_rules,
        "allow_page_overlap": request.settings.allow_page_overlap,
        "auto_partition": request.settings.auto_partition,
        "table_cutoff": request.settings.table_cutoff,
        "embeddings": embeddings,
    }


async def run_split(ctx: JobContext, request: SplitRequest, document_path: Path) -> tuple[dict, int]:
    """The engine's answer in Reducto's shape, and the pages it read (pipelines call this too)."""
    sections = [s.model_dump() for s in request.split_description]
    options = options_of(request, ctx.settings.document_ops.embeddings)
    found = await ctx.run_cpu(split_in_worker, str(document_path), json.dumps(sections), json.dumps(options))
    pages = len({e["page_number"] for s in found["splits"] for e in s["evidence"]})
    return to_result(found, request.settings.deep_split), pages


def usage(pages: int, deep: bool) -> dict[str, Any]:
    return {
        "num_pages": pages,
        "credits": float(pages),
        "usage_breakdown": {"split_model": "Deep Split" if deep else "Split", "split_pages": pages},
    }


@task("split", reducto_type="Split")
async def split_job(ctx: JobContext) -> TaskResult:
    request = SplitRequest.model_validate(ctx.config)
    document, path = await submission.document_of(ctx, request.parsing)
    result, _ = await run_split(ctx, request, path)
    ctx.progress(1.0)
    pages = len(document.pages)
    return TaskResult(
        response={"response_type": "split", "usage": usage(pages, request.settings.deep_split)},
        payload=result,
        num_pages=pages,
    )
