"""The offline answer engine and the fragment score, on passages written here."""

from __future__ import annotations

import pytest

from docuforge.index.store import Hit
from docuforge.workspaces.answer import AnswerOptions, answer, question_kind
from docuforge.workspaces.fragments import fragment_confidence


def _hit(text: str, page: int = 1, score: float = 0.9, row: int | None = None) -> Hit:
    return Hit(id=f"d:{page}", document_id="d", filename="t.pdf", page=page, text=text, score=score, row=row)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the total contract value?", "amount"),
        ("How much is the bid bond?", "amount"),
        ("When must tenders be submitted?", "date"),
        ("What is the submission deadline?", "date"),
        ("Is there a penalty clause?", "yes_no"),
        ("Does the contract allow subcontracting?", "yes_no"),
        ("Who is the contracting authority?", "party"),
        ("What percentage of the price is retained?", "percentage"),
        ("How many buses are required?", "count"),
        ("Describe the scope of work.", "text"),
    ],
)
def test_question_kinds(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_typed_values_lead_the_answer() -> None:
    hits = [
        _hit("Scope. The works cover three bridges. The contract value is EUR 2.4 million including VAT.", 1),
        _hit("Offers are due on 3 April 2027. Late offers are rejected.", 2, 0.5),
    ]
    found = answer("What is the contract value?", hits)
    assert found.kind == "amount" and found.value == "EUR 2.4 million"
    assert found.answer.startswith("EUR 2.4 million") and found.cited[0].page == 1
    dated = answer("When are offers due?", hits)
    assert dated.value == "3 April 2027" and dated.cited[0].page == 2
    # Switched off, the answer is the supporting sentence alone.
    plain = answer("When are offers due?", hits, AnswerOptions(typed_values=False))
    assert plain.value is None and plain.answer == "Offers are due on 3 April 2027."


def test_yes_no_reads_negation() -> None:
    allowed = [_hit("Subcontracting is allowed up to 30% of the works.")]
    refused = [_hit("Subcontracting is not permitted under this contract.")]
    assert answer("Is subcontracting allowed?", allowed).answer.startswith("Yes")
    assert answer("Is subcontracting allowed?", refused).answer.startswith("No")


def test_records_answer_from_their_fields() -> None:
    hits = [_hit("bidder: Acme Transport NV; country: Belgium; price: 1190000", row=1)]
    found = answer("Which bidder is from Belgium?", hits)
    assert "Acme Transport NV" in found.answer and found.cited[0].row == 1


def test_no_passages_no_confidence() -> None:
    found = answer("What is the value?", [])
    assert found.confidence == 0 and found.cited == []


def test_fragment_confidence_is_the_share_found_nearly_or_exactly() -> None:
    score, found = fragment_confidence(
        ["1,250,000", "City of Ghent", "2027"], "EUR 1 250 000", ["Issued by the City of Gent in 2026"]
    )
    assert found == ["1,250,000", "City of Ghent"] and score == pytest.approx(2 / 3, abs=1e-3)
    assert fragment_confidence([], "anything", []) == (None, [])


def test_a_table_row_answers_with_the_cell_under_the_asked_column() -> None:
    hits = [
        _hit(
            "Table 3 - Issuance by quarter\n"
            "2007; Q1: 148.8; Q2: 142.3; Total: 633.9\n"
            "2006; Q1: 74.7; Q2: 84.1; Total: 367.1"
        )
    ]
    found = answer("What was total issuance in 2006?", hits)
    assert found.value == "367.1" and "2006; Q1: 74.7" in found.answer
    # Switched off: the first number of the row, which is the year asked about.
    first = answer(
        "What was total issuance in 2006?", hits, AnswerOptions(nearest_value=False, skip_years=False)
    )
    assert first.value == "2006"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the docket number of the case?", "identifier"),
        ("What is the number of this publication?", "identifier"),
        ("What is the invoice no. of the last delivery?", "identifier"),
        ("How many people had a disability?", "count"),
        ("At what time did the hearing begin?", "time"),
    ],
)
def test_identifier_and_time_questions(question: str, kind: str) -> None:
    assert question_kind(question) == kind


def test_an_identifier_is_read_after_its_label_and_a_time_keeps_its_pm() -> None:
    docket = [_hit("No. 07-1315 MICHAEL A. KNOWLES, WARDEN, Petitioner, v. ALEXANDRE MIRZAYANCE.")]
    assert answer("What is the docket number of the case?", docket).value == "07-1315"
    report = [_hit("IBM Redpaper REDP-5110-00 describes Row and Column Access Control in IBM i 7.2.")]
    assert answer("What is the number of this Redpaper publication?", report).value == "REDP-5110-00"
    hearing = [_hit("The above-entitled matter came on for oral argument at 1:01 p.m. in Washington.")]
    assert answer("At what time did the oral argument begin?", hearing).value == "1:01 p.m."


def test_names_with_initials_are_read_whole() -> None:
    hits = [_hit("The fax was signed by Attorney General Betty D. Montgomery of Ohio.")]
    assert "Betty D. Montgomery" in answer("Who is the Attorney General on the fax?", hits).value


@pytest.mark.parametrize(
    ("sentence", "question", "expected"),
    [
        ("The mix draws on Dolma 1.7 and holds 3.9 trillion tokens.", "How many tokens does it hold?",
         "3.9 trillion"),
        ("Of the 1992\u201393 class, 7,400 students borrowed.", "How many students borrowed?", "7,400"),
        ("In 2003, 1992\u201393 graduates numbered 41,000.", "How many graduates were there?", "41,000"),
    ],
)  # fmt: skip
def test_versions_and_ranges_of_years_are_not_amounts_or_counts(
    sentence: str, question: str, expected: str
) -> None:
    assert answer(question, [_hit(sentence)]).value == expected
    # Switched off (and the first value taken), a version or a year's part is taken as the value.
    plain = AnswerOptions(skip_years=False, nearest_value=False, normalize_terms=False)
    assert answer(question, [_hit(sentence)], plain).value != expected


def test_a_count_is_the_number_before_the_noun_counted_or_under_its_column() -> None:
    hits = [
        _hit("The survey covered 12 regions and 4,200 households in 2019."),
        _hit("Source: Web crawl; Documents: 3.1M; Tokens: 3.71T; Bytes: 12TB", page=2, score=0.5),
    ]
    assert answer("How many households were surveyed?", hits[:1]).value == "4,200"
    assert answer("How many tokens come from the web crawl?", hits[1:]).value == "3.71T"
    # Switched off (and the first value taken), the regions are counted.
    plain = AnswerOptions(normalize_terms=False, nearest_value=False)
    assert answer("How many households were surveyed?", hits[:1], plain).value == "12"


def test_a_table_row_is_found_by_its_label_not_by_its_values() -> None:
    hits = [
        _hit("4 reclassifications; Companies: 1; Share of companies: 3%", score=0.9),
        _hit("1 reclassification; Companies: 28; Share of companies: 18%", page=2, score=0.8),
    ]
    question = "What share of companies made one reclassification?"
    assert answer(question, hits).value == "18%"
    assert answer(question, hits, AnswerOptions(row_labels=False, normalize_terms=False)).value == "3%"
