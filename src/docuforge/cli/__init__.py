"""The `docuforge` command: one module per command group, each registering on the one Typer app."""

from __future__ import annotations

import sys

from docuforge.cli import (  # noqa: F401  (each registers its commands)
    admin,
    db,
    extract,
    logs,
    operations,
    parse,
    pipelines,
    service,
    settings,
    statements,
    workspaces,
)
from docuforge.cli.app import app

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app(prog_name="docuforge")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
