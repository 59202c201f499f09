"""Every SQLAlchemy table, one module each; importing this package registers them all."""

from docuforge.db import Base
from docuforge.models.api_key import ApiKey
from docuforge.models.file import File
from docuforge.models.job import Job
from docuforge.models.organization import Organization, OrganizationOwned
from docuforge.models.pipeline import Pipeline
from docuforge.models.refresh_token import RefreshToken, RevokedAccessToken
from docuforge.models.statement import Consolidation, FinancialStatement
from docuforge.models.user import User
from docuforge.models.webhook import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from docuforge.models.workspace import (
    QuestionResult,
    QuestionSet,
    Workspace,
    WorkspaceDocument,
    WorkspaceJob,
)

__all__ = [
    "ApiKey",
    "Base",
    "Consolidation",
    "File",
    "FinancialStatement",
    "Job",
    "Organization",
    "OrganizationOwned",
    "Pipeline",
    "QuestionResult",
    "QuestionSet",
    "RefreshToken",
    "RevokedAccessToken",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Workspace",
    "WorkspaceDocument",
    "WorkspaceJob",
]
