"""A small tender, as a procurement team would drop it in a workspace: a ZIP of PDFs, a JSON
file and a CSV file, and the questions they ask of it with the fragments a right answer holds."""

from __future__ import annotations

import io
import json
import zipfile

from tests.fixtures.pdfs import Heading, KeyValues, Page, Paragraph, make_pdf


def notice_pdf() -> bytes:
    return make_pdf(
        [
            Page(
                [
                    Heading("Contract notice GH-2027-14"),
                    Paragraph("The contracting authority is the City of Ghent, Department of Mobility."),
                    Paragraph("The estimated contract value is EUR 1,250,000 excluding VAT."),
                    Paragraph("The contract covers the supply and maintenance of electric buses."),
                ],
                header="Tender GH-2027-14",
            ),
            Page(
                [
                    Heading("Submission and penalties"),
                    Paragraph("Tenders must be received by 15 March 2027 at noon."),
                    Paragraph(
                        "A penalty of 0.5% of the contract price per day of delay applies to late delivery."
                    ),
                ],
                header="Tender GH-2027-14",
            ),
        ]
    )


def specs_pdf() -> bytes:
    return make_pdf(
        [
            Page(
                [
                    Heading("Technical specifications"),
                    Paragraph(
                        "The supplier shall deliver 40 electric buses with a range of at least 300 km."
                    ),
                    KeyValues(
                        [("Warranty", "5 years on the battery"), ("Charging", "overnight depot charging")]
                    ),
                ]
            )
        ]
    )


LOTS = {
    "tender": "GH-2027-14",
    "lots": [
        {"lot": 1, "title": "Bus supply", "budget": "EUR 950,000"},
        {"lot": 2, "title": "Road maintenance", "budget": "EUR 300,000"},
    ],
}
BIDDERS = "bidder,country,price\nAcme Transport NV,Belgium,1190000\nNordic Mobility AB,Sweden,1240000\n"


def tender_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tender/notice.pdf", notice_pdf())
        archive.writestr("tender/specs.pdf", specs_pdf())
        archive.writestr("data/lots.json", json.dumps(LOTS))
        archive.writestr("data/bidders.csv", BIDDERS)
    return buffer.getvalue()


QUESTIONS = [
    {"id": "value", "question": "What is the estimated contract value?", "expected_fragments": ["1,250,000"]},
    {
        "id": "authority",
        "question": "Who is the contracting authority?",
        "expected_fragments": ["City of Ghent"],
    },
    {
        "id": "deadline",
        "question": "When is the deadline for tenders?",
        "expected_fragments": ["15 March 2027"],
    },
    {
        "id": "penalty",
        "question": "Is there a penalty for late delivery?",
        "expected_fragments": ["Yes", "0.5%"],
    },
    {"id": "buses", "question": "How many electric buses must be delivered?", "expected_fragments": ["40"]},
    {
        "id": "lot2",
        "question": "What is the budget of the road maintenance lot?",
        "expected_fragments": ["300,000"],
        "document_type": "json",
    },
    {
        "id": "belgian",
        "question": "Which bidder is from Belgium?",
        "expected_fragments": ["Acme Transport"],
        "document_type": "csv",
    },
]
