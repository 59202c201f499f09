"""`docuforge config`: the settings in effect."""

from __future__ import annotations

import json

import typer

from docuforge.cli.app import (
    config_app,
    load_settings,
)


@config_app.command("show")
def config_show() -> None:
    """Print the settings in effect as JSON, secrets masked."""
    settings = load_settings()
    typer.echo(json.dumps(settings.model_dump(mode="json"), indent=2, default=str))


@config_app.command("docs")
def config_docs() -> None:
    """Print every setting as a Markdown table (the one in the README, which `make docs` rewrites)."""
    from docuforge.config import settings_reference

    typer.echo(settings_reference())
