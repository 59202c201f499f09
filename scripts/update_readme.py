"""Rewrite the README's generated parts from the code (`make docs`): the settings table and the
command-line reference."""

from pathlib import Path

from docuforge.cli.reference import cli_reference
from docuforge.config import settings_reference

README = Path(__file__).parents[1] / "README.md"


def replace(text: str, marker: str, content: str) -> str:
    start = text.index("\n", text.index(f"<!-- {marker}")) + 1
    end = text.index(f"<!-- /{marker} -->")
    return text[:start] + content + "\n" + text[end:]


text = README.read_text()
text = replace(text, "settings-table", settings_reference())
text = replace(text, "cli-reference", cli_reference())
README.write_text(text)
