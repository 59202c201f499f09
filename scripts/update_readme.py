"""Rewrite the README's settings table from the code (`make docs`)."""

from pathlib import Path

from docuforge.config import settings_reference

README = Path(__file__).parents[1] / "README.md"
text = README.read_text()
start = text.index("\n", text.index("<!-- settings-table")) + 1
end = text.index("<!-- /settings-table -->")
README.write_text(text[:start] + settings_reference() + "\n" + text[end:])
