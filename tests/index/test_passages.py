"""Documents and records into passages that each cite one page (or one row)."""

from __future__ import annotations

import json

import pytest

from docuforge.document.model import BBox, Block, BlockType, Cell, Document, Page, Table
from docuforge.index.passages import passages
from docuforge.index.records import RecordsError, csv_records, json_records, record_passages


def _box(page: int, top: float, height: float = 0.05) -> BBox:
    return BBox(left=0.1, top=top, width=0.8, height=height, page=page, original_page=page)


def _document() -> Document:
    table = Table(
        n_rows=3,
        n_cols=2,
        cells=[
            Cell(row=0, col=0, text="Lot", bbox=_box(2, 0.3, 0.02)),
            Cell(row=0, col=1, text="Budget", bbox=_box(2, 0.3, 0.02)),
            Cell(row=1, col=0, text="Roads", bbox=_box(2, 0.33, 0.02)),
            Cell(row=1, col=1, text="300,000", bbox=_box(2, 0.33, 0.02)),
            Cell(row=2, col=0, text="Bridges", bbox=_box(2, 0.36, 0.02)),
            Cell(row=2, col=1, text="450,000", bbox=_box(2, 0.36, 0.02)),
        ],
    )
    return Document(
        pages=[
            Page(
                number=1,
                original_number=1,
                width=612,
                height=792,
                blocks=[
                    Block(id="p1-b0", type=BlockType.HEADER, bbox=_box(1, 0.01), content="Tender 2027/14"),
                    Block(
                        id="p1-b1", type=BlockType.SECTION_HEADER, bbox=_box(1, 0.1), content="Price", level=2
                    ),
                    Block(
                        id="p1-b2", type=BlockType.TEXT, bbox=_box(1, 0.2), content="The value is EUR 1,000."
                    ),
                ],
            ),
            Page(
                number=2,
                original_number=2,
                width=612,
                height=792,
                blocks=[
                    Block(id="p2-b0", type=BlockType.TEXT, bbox=_box(2, 0.1), content="Lots follow."),
                    Block(id="p2-b1", type=BlockType.TABLE, bbox=_box(2, 0.3, 0.1), table=table),
                ],
            ),
        ]
    )


def test_passages_stay_on_their_page_with_the_box_they_cover() -> None:
    found = passages(_document(), "doc", "tender.pdf")
    assert [p.page for p in found] == [1, 2]
    first, second = found
    assert "Tender 2027/14" not in first.text  # running header left out
    assert first.text.startswith("## Price") and "EUR 1,000" in first.text
    assert (
        first.bbox is not None
        and first.bbox.top == pytest.approx(0.1)
        and first.bbox.height == pytest.approx(0.15)
    )
    # The section heading goes with the next page's passage as context; tables read as rows.
    assert second.text.splitlines()[0] == "Price"
    assert "Lot: Roads; Budget: 300,000" in second.text and "Lot: Bridges; Budget: 450,000" in second.text
    assert [p.id for p in found] == ["doc:0", "doc:1"] and first.filename == "tender.pdf"


def test_small_passage_size_cuts_between_blocks() -> None:
    found = passages(_document(), "doc", size=20)
    assert len(found) > 2 and all(p.page in (1, 2) for p in found)


def test_json_records_from_a_list_or_the_largest_list_of_an_object() -> None:
    data = {
        "tender": "T-14",
        "buyer": {"name": "City"},
        "lots": [{"lot": 1, "budget": 5}, {"lot": 2, "budget": 7}],
    }
    records = json_records(json.dumps(data).encode())
    assert records[0] == [("tender", "T-14"), ("buyer.name", "City")]
    assert records[1:] == [[("lot", "1"), ("budget", "5")], [("lot", "2"), ("budget", "7")]]
    assert json_records(b'[{"a": [1, 2]}, {}]') == [[("a", "1, 2")]]
    with pytest.raises(RecordsError):
        json_records(b"{not json")


def test_csv_rows_become_records_with_their_fields() -> None:
    records = csv_records(b"lot;description;budget\n1;roads;300000\n\n2;bridges;\n")
    assert records == [
        [("lot", "1"), ("description", "roads"), ("budget", "300000")],
        [("lot", "2"), ("description", "bridges")],
    ]
    found = record_passages(records, "d", "lots.csv", "csv")
    assert found[1].text == "lot: 2; description: bridges" and found[1].row == 2 and found[1].page == 1


def test_rows_of_a_table_merged_across_pages_cite_their_own_page() -> None:
    cells = [
        Cell(row=0, col=0, text="Company", bbox=_box(1, 0.8, 0.02)),
        Cell(row=0, col=1, text="Staff", bbox=_box(1, 0.8, 0.02)),
    ]
    for row, (page, name) in enumerate([(1, "Boeing"), (2, "Safeway"), (2, "Oakley")], start=1):
        cells += [
            Cell(row=row, col=0, text=name, bbox=_box(page, 0.1 * row, 0.02)),
            Cell(row=row, col=1, text=str(10 * row), bbox=_box(page, 0.1 * row, 0.02)),
        ]
    table = Table(n_rows=4, n_cols=2, cells=cells)
    document = Document(
        pages=[
            Page(number=1, original_number=1, width=612, height=792,
                 blocks=[Block(id="p1-b0", type=BlockType.TABLE, bbox=_box(1, 0.8, 0.15), table=table)]),
            Page(number=2, original_number=2, width=612, height=792,
                 blocks=[Block(id="p2-b0", type=BlockType.TABLE, bbox=_box(2, 0.1, 0.2),
                               table=table.model_copy(), extra={"merged_into": "p1-b0"})]),
        ]
    )  # fmt: skip
    found = passages(document, "w")
    assert [(p.page, p.text) for p in found] == [
        (1, "Company: Boeing; Staff: 10"),
        (2, "Company: Safeway; Staff: 20\nCompany: Oakley; Staff: 30"),
    ]
    assert found[1].bbox is not None and found[1].bbox.top == pytest.approx(0.2)


def _grouped_table(title: bool) -> Table:
    """A title over the table, then a two-line header: a group name over two sub-columns."""
    rows = [
        ["State", "Handgun", "Long Gun", "Totals"],
        ["Alabama", "5", "7", "12"],
        ["Alaska", "1,204", "2", "1,206"],
    ]
    cells = [Cell(row=0, col=0, col_span=4, text="Checks by state", header=True)] if title else []
    top = 1 if title else 0
    cells += [
        Cell(row=top, col=0, text=""),
        Cell(row=top, col=1, col_span=2, text="Rentals"),
        Cell(row=top, col=3, text=""),
    ]
    for r, values in enumerate(rows, start=top + 1):
        cells += [
            Cell(row=r, col=c, text=text, bbox=_box(1, 0.3 + 0.03 * r, 0.02)) for c, text in enumerate(values)
        ]
    return Table(n_rows=top + 4, n_cols=4, cells=cells)


@pytest.mark.parametrize("title", [True, False])
def test_a_title_row_and_a_group_header_name_the_columns(title: bool) -> None:
    document = Document(
        pages=[
            Page(number=1, original_number=1, width=612, height=792,
                 blocks=[Block(id="p1-b0", type=BlockType.TABLE, bbox=_box(1, 0.3, 0.2),
                               table=_grouped_table(title))])
        ]
    )  # fmt: skip
    lines = passages(document, "w")[0].text.split("\n")
    assert lines[-2:] == [
        "State: Alabama; Rentals Handgun: 5; Rentals Long Gun: 7; Totals: 12",
        "State: Alaska; Rentals Handgun: 1,204; Rentals Long Gun: 2; Totals: 1,206",
    ]
    assert (lines[0] == "Checks by state") is title and len(lines) == 2 + title


def test_a_plain_header_row_stays_one_row() -> None:
    # Body rows of text only: the first row alone is the header, the second is a row.
    table = Table(
        n_rows=3,
        n_cols=2,
        cells=[
            Cell(row=0, col=0, text="Name"), Cell(row=0, col=1, text="Role"),
            Cell(row=1, col=0, text="Ada"), Cell(row=1, col=1, text="Engineer"),
            Cell(row=2, col=0, text="Grace"), Cell(row=2, col=1, text="Admiral"),
        ],
    )  # fmt: skip
    document = Document(
        pages=[Page(number=1, original_number=1, width=612, height=792,
                    blocks=[Block(id="p1-b0", type=BlockType.TABLE, bbox=_box(1, 0.3, 0.2), table=table)])]
    )  # fmt: skip
    assert passages(document, "w")[0].text == "Name: Ada; Role: Engineer\nName: Grace; Role: Admiral"
