"""Admission counts the queue only where the count can matter: far from a bound a recent count
(and this process's admissions since) answers; near a bound every submission counts afresh."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from docuforge.admission import service as admission
from docuforge.config import Settings
from tests.fixtures.identity import Tenant


async def test_the_queue_is_counted_once_far_from_a_bound_and_every_time_near_it(
    db_session: AsyncSession, tenant: Tenant, settings: Settings
) -> None:
    bounded = settings.model_copy(
        update={"admission": settings.admission.model_copy(update={"max_queued_per_organization": 5})}
    )
    counts: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "count(job.id)" in statement.lower():
            counts.append(statement)

    connection = (await db_session.connection()).sync_connection
    assert connection is not None
    event.listen(connection, "before_cursor_execute", seen)
    try:
        organization = tenant.organization.id
        for _ in range(4):  # 0, 1, 2, 3 queued by this process's count: well below 5
            await admission.admit(db_session, bounded, organization)
        assert len(counts) == 1
        await admission.admit(db_session, bounded, organization)  # 4 of 5: counted afresh
        assert len(counts) == 2
        await admission.admit(db_session, settings, organization)  # the default bound: far away
        assert len(counts) == 2
    finally:
        event.remove(connection, "before_cursor_execute", seen)
