"""Crops (settings.return_images) of scans and of office files laid out by LibreOffice."""

from __future__ import annotations

import io

from PIL import Image
from tests.fixtures.images import encoded, page

import docuforge
from docuforge.document.model import BlockType
from docuforge.render.images import crops


def test_a_scan_is_cropped_from_its_own_pixels():
    drawn = page(table=[["Region", "Units"], ["North", "1200"]])
    png = encoded(drawn.image, "PNG")
    document = docuforge.parse(png)
    found = dict(crops(png, document, ["page", "table"]))
    table = next(b for b in document.blocks() if b.type is BlockType.TABLE)
    assert set(found) == {"page-1", table.id}
    whole = Image.open(io.BytesIO(found["page-1"]))
    assert whole.size == drawn.image.size
    cut = Image.open(io.BytesIO(found[table.id]))
    x0, y0, x1, y1 = drawn.boxes["table"]
    assert abs(cut.width - (x1 - x0)) < 40 and abs(cut.height - (y1 - y0)) < 40


def test_files_without_pages_have_nothing_to_crop():
    document = docuforge.parse(b"# Title\n\nSome text.\n", extension="md")
    assert list(crops(b"# Title\n\nSome text.\n", document, ["page"])) == []
