"""The LLM answer engine: the retrieved passages, numbered, to the model through docuforge.llm;
the answer must cite them, and is kept only if the passages it cites support it.

Support is checked, not trusted: every number in the answer must be written in a cited passage,
and most of its other words must be there too. An answer that fails falls back to the offline
engine (and says so in `engine`), so a small or confused model never invents a cited figure.
"""

from __future__ import annotations

import json
import re
from typing import Any

from docuforge import llm
from docuforge.index.bm25 import tokens
from docuforge.index.store import Hit
from docuforge.llm.types import LlmOptions, Message
from docuforge.workspaces.answer import Answer

DEFAULT_PROMPT = (
    "You answer questions about a collection of documents using only the numbered passages given. "
    "Cite the numbers of the passages your answer comes from. If the passages do not answer the "
    "question, say that they do not."
)
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "passages": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["answer", "passages"],
}
MIN_SUPPORT = 0.6  # share of the answer's words that its cited passages must hold
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def _parsed(completion: llm.Completion) -> dict[str, Any] | None:
    value = completion.parsed
    if value is None:
        try:
            value = json.loads(completion.text[completion.text.find("{") : completion.text.rfind("}") + 1])
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def support(answer: str, cited: list[Hit]) -> float:
    """Share of the answer's words found in the cited passages; 0 if a number of it is in none."""
    text = "\n".join(hit.text for hit in cited)
    digits = re.sub(r"[,\s]", "", text)
    for number in _NUMBER.findall(answer):
        if re.sub(r"[,\s]", "", number).strip(".") not in digits:
            return 0.0
    words = set(tokens(answer))
    if not words:
        return 0.0
    present = set(tokens(text))
    return len(words & present) / len(words)


def answer_with_llm(
    question: str, hits: list[Hit], options: LlmOptions, prompt: str | None = None, max_tokens: int = 512
) -> Answer | None:
    """The model's answer with the passages it cites, or None when it cites none or they do not hold it."""
    if not hits:
        return None
    numbered = "\n\n".join(
        f"[{number}] ({hit.filename}, page {hit.page})\n{hit.text[:1500]}"
        for number, hit in enumerate(hits, 1)
    )
    messages = [
        Message(role="system", content=prompt or DEFAULT_PROMPT),
        Message(
            role="user",
            content=f"Passages:\n\n{numbered}\n\nQuestion: {question}\n\n"
            'Reply as JSON: {"answer": "...", "passages": [numbers of the passages used]}',
        ),
    ]
    completion = llm.client(options).complete(messages, json_schema=SCHEMA, max_tokens=max_tokens)
    parsed = _parsed(completion)
    if parsed is None or not isinstance(parsed.get("answer"), str) or not parsed["answer"].strip():
        return None
    numbers = [n for n in parsed.get("passages") or [] if isinstance(n, int) and 1 <= n <= len(hits)]
    cited = [hits[n - 1] for n in dict.fromkeys(numbers)]
    if not cited:
        return None
    share = support(parsed["answer"], cited)
    if share < MIN_SUPPORT:
        return None
    return Answer(answer=parsed["answer"].strip(), confidence=round(share, 4), cited=cited)
