"""Instructions to fields: keys, bare phrases, values in the field's terms, and meaning."""

from __future__ import annotations

from docuforge.editing.instructions import Target, assign, clauses

TARGETS = [
    Target("vessel_name", "Vessel name"),
    Target("imo", "IMO number"),
    Target("eta", "Arrival date"),
    Target("haz", "Hazardous cargo", "checkbox"),
    Target("port", "Port of call", "dropdown", ("Rotterdam", "Hamburg", "Antwerp")),
    Target("fuel", "Fuel type", "radio", ("HFO", "LNG", "MGO")),
]


def _values(text: str, **kwargs) -> dict[str, str]:
    return {key: found.value for key, found in assign(text, TARGETS, **kwargs).items()}


def test_clauses_keep_names_and_numbers_whole() -> None:
    parts = clauses("master is J. Smith, amount 1,240.00; the vessel is Northwind\nflag: Panama")
    assert [(c.key, c.value) for c in parts] == [
        ("master", "J. Smith"),
        (None, "amount 1,240.00"),
        ("the vessel", "Northwind"),
        ("flag", "Panama"),
    ]


def test_keys_bare_phrases_and_field_terms() -> None:
    found = _values(
        "the vessel is Northwind, IMO 9321483, arriving 2026-04-02, hazardous cargo: no, "
        "port of call hamburg, fuel lng",
        meaning_floor=None,
    )
    assert found == {
        "vessel_name": "Northwind",
        "imo": "9321483",
        "eta": "2026-04-02",
        "haz": "Off",
        "port": "Hamburg",
        "fuel": "LNG",
    }
    assert _values("hazardous cargo on board", meaning_floor=None) == {"haz": "Yes"}
    assert _values("port of call: Lisbon", meaning_floor=None) == {}  # not one of its options
    assert _values("burns MGO", meaning_floor=None) == {"fuel": "MGO"}  # the clause names an option


def test_meaning_pairs_what_words_leave() -> None:
    text = "the ship is the Sea Lark, carries no dangerous goods"
    assert _values(text, meaning_floor=None) == {}
    found = _values(text)
    assert found == {"vessel_name": "Sea Lark", "haz": "Off"}
