"""Emails when a statement or consolidation job finishes (stdlib smtplib, in a thread)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

import anyio

from docuforge.config import SmtpSettings
from docuforge.errors import DocuforgeError, ErrorCode
from docuforge.observability import get_logger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = get_logger(__name__)


def build_message(
    settings: SmtpSettings,
    to: str,
    subject: str,
    text: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    for name, data, mime in attachments or []:
        main, sub = mime.split("/", 1)
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message


def _send(settings: SmtpSettings, message: EmailMessage) -> None:
    assert settings.host is not None
    context = ssl.create_default_context()
    smtp_class = smtplib.SMTP_SSL if settings.security == "tls" else smtplib.SMTP
    kwargs = {"context": context} if settings.security == "tls" else {}
    with smtp_class(settings.host, settings.port, timeout=settings.timeout, **kwargs) as client:
        if settings.security == "starttls":
            client.starttls(context=context)
        if settings.username:
            password = settings.password.get_secret_value() if settings.password else ""
            client.login(settings.username, password)
        client.send_message(message)


async def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send, or raise a DocuforgeError the job records (the work itself is already stored)."""
    if not settings.host:
        raise DocuforgeError(
            "an email was asked for but no SMTP server is configured (DOCUFORGE_SMTP__HOST)",
            code=ErrorCode.INVALID_CONFIG,
            status_code=400,
        )
    try:
        await anyio.to_thread.run_sync(_send, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DocuforgeError(
            f"the notification email could not be sent: {exc}",
            code=ErrorCode.SERVICE_UNAVAILABLE,
            status_code=503,
        ) from exc
    log.info("notification sent", to=message["To"], subject=message["Subject"])
