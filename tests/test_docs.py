"""The README stays true: its settings table is the one the code generates."""

from pathlib import Path

from docuforge.config import settings_reference

README = Path(__file__).parents[1] / "README.md"


def test_readme_lists_every_setting() -> None:
    text = README.read_text()
    start = text.index("<!-- settings-table")
    start = text.index("\n", start) + 1
    end = text.index("<!-- /settings-table -->")
    assert text[start:end].strip() == settings_reference().strip(), (
        "README's settings table is stale: regenerate it with `docuforge config docs`"
    )


def test_readme_has_exactly_two_setup_commands() -> None:
    section = README.read_text().split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in section.splitlines() if line.startswith("make ")]
    assert [c.split("#")[0].strip() for c in commands] == ["make serve", "make test"]
