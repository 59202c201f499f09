"""The command-line reference in Markdown, generated from the Typer app so the README cannot drift."""

from __future__ import annotations

import enum
from typing import Any

import typer.main

from docuforge.cli.app import app


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    if hasattr(command, "commands"):
        found: list[tuple[list[str], Any]] = []
        for name, sub in sorted(command.commands.items()):
            found.extend(_commands(sub, [*path, name]))
        return found
    return [(path, command)]


def _default(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if value is None or value == "" or value is False or (isinstance(value, tuple | list) and not value):
        return ""
    return f"`{value}`"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def cli_reference() -> str:
    """Every command with its arguments and options, as Markdown."""
    import docuforge.cli  # noqa: F401 - the command modules register themselves on import

    sections: list[str] = []
    for path, command in _commands(typer.main.get_command(app), ["docuforge"]):
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        options = [p for p in command.params if p.param_type_name == "option"]
        usage = " ".join([*path, *(p.name.upper() for p in arguments), *(["[OPTIONS]"] if options else [])])
        lines = [f"#### `{usage}`", "", _cell((command.help or "").split("\n\n")[0])]
        if arguments or options:
            lines += ["", "| argument or option | default | meaning |", "|---|---|---|"]
            for param in arguments:
                lines.append(f"| `{param.name.upper()}` | {_default(param.default)} | {_cell(param.help)} |")
            for param in options:
                names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
                envvar = f" (env `{param.envvar}`)" if isinstance(param.envvar, str) else ""
                default = "" if param.is_flag and not param.default else _default(param.default)
                lines.append(f"| {names} | {default} | {_cell(param.help)}{envvar} |")
        sections.append("\n".join(lines))
    return "\n\n".join(sections)
