"""Tenant isolation: the one place queries for organization-owned rows are scoped.

Another organization's row answers exactly as a missing one does (404), and the attempt is
audited.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.auth.audit import audit
from docuforge.auth.principal import Principal
from docuforge.errors import NotFound
from docuforge.models import OrganizationOwned

M = TypeVar("M", bound=OrganizationOwned)


def scoped(statement: Select[Any], model: type[OrganizationOwned], principal: Principal) -> Select[Any]:
    return statement.where(model.organization_id == principal.organization_id)


async def get_owned(session: AsyncSession, model: type[M], ident: uuid.UUID | str, principal: Principal) -> M:
    """The row with this id if the principal's organization owns it; NotFound otherwise."""
    label = getattr(model, "__tablename__", model.__name__)
    try:
        key = ident if isinstance(ident, uuid.UUID) else uuid.UUID(str(ident))
    except ValueError:
        raise NotFound(f"{label} {ident} not found") from None
    row = await session.get(model, key)
    if row is None:
        raise NotFound(f"{label} {ident} not found")
    if row.organization_id != principal.organization_id:
        audit("access.denied", principal, reason="other_organization", resource=label, resource_id=str(key))
        raise NotFound(f"{label} {ident} not found")
    return row
