"""POST /configure_webhook (Reducto's), and /webhooks to see and change the endpoint and deliveries."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body, Query

from docuforge.auth.deps import CanManageWebhooks
from docuforge.db import SessionDep
from docuforge.deps import SettingsDep
from docuforge.routing import router as make_router
from docuforge.webhooks import service
from docuforge.webhooks.schemas import AttemptRead, DeliveryList, DeliveryRead, EndpointConfig, EndpointRead

router = make_router(tags=["webhooks"])


@router.post("/configure_webhook", response_model=str)
async def configure_webhook(
    principal: CanManageWebhooks,
    session: SessionDep,
    settings: SettingsDep,
    body: Annotated[EndpointConfig | None, Body()] = None,
) -> str:
    """Set the organization's endpoint (optional JSON body) and make sure it has a signing secret.

    Answers, as Reducto does, with a JSON string: the URL where the endpoint and its secret are kept.
    """
    await service.endpoint(session, principal.organization_id)
    if body is not None:
        await service.configure(session, principal, body, settings)
    return f"{settings.server.base_url}/webhooks"


@router.get("/webhooks", response_model=EndpointRead)
async def get_endpoint(principal: CanManageWebhooks, session: SessionDep) -> EndpointRead:
    """The endpoint job events go to (svix mode) and the secret they are signed with."""
    return EndpointRead.model_validate(await service.endpoint(session, principal.organization_id))


@router.put("/webhooks", response_model=EndpointRead)
async def put_endpoint(
    body: EndpointConfig, principal: CanManageWebhooks, session: SessionDep, settings: SettingsDep
) -> EndpointRead:
    return EndpointRead.model_validate(await service.configure(session, principal, body, settings))


@router.post("/webhooks/secret", response_model=EndpointRead)
async def rotate_secret(principal: CanManageWebhooks, session: SessionDep) -> EndpointRead:
    """Replace the signing secret; deliveries from now on use the new one."""
    return EndpointRead.model_validate(await service.rotate_secret(session, principal))


@router.get("/webhooks/deliveries", response_model=DeliveryList)
async def list_deliveries(
    principal: CanManageWebhooks,
    session: SessionDep,
    job_id: Annotated[uuid.UUID | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryList:
    """Deliveries, newest first, with every attempt."""
    found = await service.list_deliveries(session, principal, job_id, limit)
    return DeliveryList(
        deliveries=[
            DeliveryRead.model_validate(delivery).model_copy(
                update={"history": [AttemptRead.model_validate(a) for a in attempts]}
            )
            for delivery, attempts in found
        ]
    )
