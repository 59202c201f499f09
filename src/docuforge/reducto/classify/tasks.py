"""The "classify" job: the document's first pages (parsed, or an earlier parse's), then the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docuforge.jobs.registry import JobContext, TaskResult, task
from docuforge.parsing.options import select_pages
from docuforge.reducto import submission
from docuforge.reducto.classify.schemas import DEFAULT_PAGES, MAX_PAGES, ClassifyRequest
from docuforge.reducto.parse.options import ParseOptions, page_specs


def classify_in_worker(document_path: str, categories_json: str, options_json: str) -> dict[str, Any]:
    from docuforge.classification import Category, ClassifyOptions, classify
    from docuforge.document.model import Document

    document = Document.model_validate_json(Path(document_path).read_bytes())
    categories = [Category.model_validate(c) for c in json.loads(categories_json)]
    return classify(document, categories, ClassifyOptions.model_validate_json(options_json)).model_dump()


def page_spec(request: ClassifyRequest) -> Any:
    if request.page_range is None:
        return {"start": 1, "end": DEFAULT_PAGES}
    return (
        request.page_range.model_dump()
        if hasattr(request.page_range, "model_dump")
        else [item.model_dump() if hasattr(item, "model_dump") else item for item in request.page_range]
    )


def to_response(request: ClassifyRequest, found: dict[str, Any], pages: int) -> tuple[dict, dict]:
    """Reducto's envelope and its `result` from the engine's Classification."""
    confidences = [
        {
            "category": score["category"],
            "confidence": score["confidence"],
            "criteria_confidence": [
                {"criterion": c["criterion"], "confidence": "high" if c["score"] >= 0.5 else "low"}
                for c in score["criteria"]
            ],
        }
        for score in found["scores"]
    ]
    response: dict[str, Any] = {
        "response_type": "classify",
        "response_confidence": {"categories": confidences},
        "usage": {
            "num_categories": len(confidences),
            "num_pages": pages,
            "credits": float(pages),
            "usage_breakdown": {
                "classify_model": "Deep Classify" if request.model == "accurate" else "Classify",
                "classify_pages": pages,
            },
        },
    }
    extra = {"evidence": "; ".join(found["evidence"])[:2000]} if found["evidence"] else {}
    if request.category_groups is not None:
        extra["grouping"] = next(
            (g for g, members in request.category_groups.items() if found["category"] in members), "ungrouped"
        )
    if extra:
        response["extra_metadata"] = extra
    return response, {"category": found["category"]}


@task("classify", reducto_type="Classify")
async def classify_job(ctx: JobContext) -> TaskResult:
    request = ClassifyRequest.model_validate(ctx.config)
    spec = page_spec(request)
    parsing = ParseOptions.model_validate({"settings": {"page_range": spec}})
    document, path = await submission.document_of(ctx, parsing)
    total = document.total_pages or len(document.pages)
    pages = [p + 1 for p in select_pages(page_specs(parsing.settings.page_range), total)][:MAX_PAGES]
    categories = [{"name": c.category, "criteria": c.criteria} for c in request.classification_schema or []]
    options = {
        "pages": pages,
        "max_pages": MAX_PAGES,
        "metadata": request.document_metadata,
        "accurate": request.model == "accurate",
        # Deep Classify adds the sentence embeddings and per-page scores; the default: words and layout.
        "embeddings": ctx.settings.document_ops.embeddings and request.model == "accurate",
    }
    found = await ctx.run_cpu(classify_in_worker, str(path), json.dumps(categories), json.dumps(options))
    ctx.progress(1.0)
    response, result = to_response(request, found, len(found["pages"]))
    return TaskResult(response=response, payload=result, num_pages=len(found["pages"]))
