"""The README stays true: its settings table and command-line reference are the ones the code generates."""

from pathlib import Path

from docuforge.cli.reference import cli_reference
from docuforge.config import settings_reference

README = Path(__file__).parents[1] / "README.md"


def generated(marker: str) -> str:
    text = README.read_text()
    start = text.index("\n", text.index(f"<!-- {marker}")) + 1
    end = text.index(f"<!-- /{marker} -->")
    return text[start:end].strip()


def test_readme_lists_every_setting() -> None:
    assert generated("settings-table") == settings_reference().strip(), (
        "README's settings table is stale: regenerate it with `make docs`"
    )


def test_readme_lists_every_command_and_option() -> None:
    assert generated("cli-reference") == cli_reference().strip(), (
        "README's command-line reference is stale: regenerate it with `make docs`"
    )


def test_enumerated_settings_name_their_values() -> None:
    assert "`DOCUFORGE_OCR__RUNTIME` | `auto` |" in settings_reference()
    assert "One of: `auto`, `openvino`, `onnxruntime`." in settings_reference()


def test_the_architecture_the_readme_points_at_is_in_the_repository() -> None:
    text = README.read_text()
    assert "DESIGN.md" not in text
    assert "docs/architecture.md" in text and (README.parent / "docs" / "architecture.md").is_file()


def test_readme_has_exactly_two_setup_commands() -> None:
    section = README.read_text().split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in section.splitlines() if line.startswith("make ")]
    assert [c.split("#")[0].strip() for c in commands] == ["make serve", "make test"]
