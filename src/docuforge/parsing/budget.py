"""options.time_budget: a parse that runs out of time keeps the pages it finished."""

from __future__ import annotations

import time

from docuforge.document.model import Document


class Budget:
    """options.time_budget: once spent, no further page starts; the first page always does."""

    def __init__(self, seconds: float | None) -> None:
        self.deadline = None if seconds is None else time.monotonic() + seconds

    def spent(self, document: Document, started: int, selected: list[int]) -> bool:
        if self.deadline is None or started == 0 or time.monotonic() < self.deadline:
            return False
        left = selected[started:]
        document.warnings.append(
            f"the time budget ran out: {len(left)} of {len(selected)} pages not parsed "
            f"(pages {', '.join(str(index + 1) for index in left)})"
        )
        return True
