"""The composition root: builds the app from settings. Nothing else imports it."""

from docuforge.server.app import create_app

__all__ = ["create_app"]
