"""The audit trail: one structured line per security-relevant event, on the docuforge.audit logger."""

from __future__ import annotations

from typing import Any

from docuforge.auth.principal import Principal
from docuforge.observability import get_logger

_log = get_logger("docuforge.audit")


def audit(event: str, principal: Principal | None = None, **fields: Any) -> None:
    if principal is not None:
        fields.setdefault("actor", principal.subject)
        fields.setdefault("organization_id", str(principal.organization_id))
        fields.setdefault("role", str(principal.role))
    _log.info(event, audit=True, **fields)
