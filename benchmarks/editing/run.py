"""Form-fill accuracy on forms generated here, with AcroForm fields and flat (benchmarks/results/editing.*).

    python -m benchmarks.editing.run [--forms 40]

Each form (reportlab, a fixed seed per form) carries 5 to 8 fields drawn from a vocabulary of
labels: text fields (names, dates, numbers, e-mail addresses), checkboxes, radio groups and
dropdowns on AcroForm forms; labelled blanks ("Label: ____" or "Label:" with room after it) on flat
ones. The fill instructions are written in one sentence with varied phrasings ("the X is V",
"X: V", "X V"), and about a third of the fields paraphrased without the label's words ("born on
...", "works at ...", "not a smoker"). A field counts as right when the filled PDF, read back
(pypdf's field values; pdfium's text on the label's row for flat forms), holds the expected value.
Even seeds form the tuning half, odd seeds the reporting half.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from docuforge.editing import FillOptions, fill

RESULTS = Path(__file__).resolve().parents[1] / "results"
VARIANTS = {"words + meaning": True, "words only": False}  # the sentence embeddings on or off
TEXT = {
    "Full name": ["Maria Lopez", "J. Smith", "Chen Wei", "Amara Okafor"],
    "Date of birth": ["1984-03-12", "12/05/1990", "2001-11-30"],
    "Email address": ["maria@example.org", "jsmith@mail.test", "c.wei@corp.example"],
    "Phone number": ["+44 20 7946 0958", "555-0142", "030 1234567"],
    "Policy number": ["PN-448812", "77-1930-A", "X990321"],
    "Vessel name": ["Northwind", "Sea Lark", "Aurora Borealis"],
    "IMO number": ["9321483", "9074729", "9811000"],
    "Arrival date": ["2026-04-02", "2026-12-24", "03/01/2027"],
    "Employer": ["Harbor Logistics Ltd", "Acme Corp", "Blue River Farms"],
    "Annual income": ["52,000", "118,400.00", "31500"],
    "City": ["Rotterdam", "Lagos", "Osaka"],
    "Postal code": ["3011 AA", "10115", "SW1A 1AA"],
}
CHECKS = ["Hazardous cargo", "Smoker", "First application", "Signed consent"]
RADIOS = {"Fuel type": ["HFO", "LNG", "MGO"], "Marital status": ["Single", "Married", "Divorced"]}
DROPDOWNS = {
    "Country": ["Netherlands", "Germany", "Nigeria", "Japan"],
    "Plan": ["Basic", "Standard", "Premium"],
}
PHRASES = ["{label} is {value}", "{label}: {value}", "the {lower} is {value}", "{label} = {value}"]
# How people say it without the label's words (used for about a third of the fields).
PARAPHRASES = {
    "Full name": "my name is {value}",
    "Date of birth": "born on {value}",
    "Email address": "e-mail {value}",
    "Phone number": "call {value}",
    "Vessel name": "the ship is the {value}",
    "Arrival date": "arriving {value}",
    "Employer": "works at {value}",
    "Annual income": "earns {value} a year",
    "City": "lives in {value}",
    "Postal code": "postcode {value}",
    "Hazardous cargo": "{yesno} dangerous goods",
    "Smoker": "{yesno} smoker",
    "Fuel type": "burns {value}",
    "Country": "based in {value}",
}


def _spec(rng: random.Random, acroform: bool) -> list[tuple[str, str, list[str], str]]:
    """(label, kind, options, value) for each field of one form."""
    labels = rng.sample(list(TEXT), rng.randint(4, 6) if acroform else rng.randint(5, 8))
    fields = [(label, "text", [], rng.choice(TEXT[label])) for label in labels]
    if acroform:
        check = rng.choice(CHECKS)
        fields.append((check, "checkbox", [], rng.choice(["yes", "no"])))
        radio = rng.choice(list(RADIOS))
        fields.append((radio, "radio", RADIOS[radio], rng.choice(RADIOS[radio])))
        drop = rng.choice(list(DROPDOWNS))
        fields.append((drop, "dropdown", DROPDOWNS[drop], rng.choice(DROPDOWNS[drop])))
    rng.shuffle(fields)
    return fields


def _form(fields: list[tuple[str, str, list[str], str]], acroform: bool, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(72, 760, rng.choice(["Application Form", "Port Arrival Notice", "Registration"]))
    canvas.setFont("Helvetica", 11)
    tooltips = rng.random() < 0.5
    for index, (label, kind, options, _) in enumerate(fields):
        y = 720 - 34 * index
        name = label.lower().replace(" ", "_") if rng.random() < 0.5 else f"field{index + 1}"
        if not acroform:
            canvas.drawString(72, y, f"{label}: " + ("_" * 34 if rng.random() < 0.6 else ""))
            continue
        canvas.drawString(72, y, label)
        tip = label if tooltips else None
        if kind == "text":
            canvas.acroForm.textfield(name=name, tooltip=tip, x=220, y=y - 6, width=240, height=20)
        elif kind == "checkbox":
            canvas.acroForm.checkbox(name=name, tooltip=tip, x=220, y=y - 3, size=14)
        elif kind == "radio":
            for offset, option in enumerate(options):
                canvas.drawString(240 + 90 * offset, y, option)
                canvas.acroForm.radio(
                    name=name, tooltip=tip, value=option, x=222 + 90 * offset, y=y - 3, size=12
                )
        else:
            canvas.acroForm.choice(
                name=name,
                tooltip=tip,
                options=options,
                value=options[0],
                x=220,
                y=y - 6,
                width=160,
                height=20,
            )
    canvas.save()
    return buffer.getvalue()


def _instructions(
    fields: list[tuple[str, str, list[str], str]], rng: random.Random
) -> tuple[str, list[bool]]:
    """The instructions, and for each field whether it was paraphrased."""
    parts, paraphrased = [], []
    for label, _, _, value in fields:
        if label in PARAPHRASES and rng.random() < 0.35:
            yesno = (
                {"yes": "carries", "no": "no"}.get(value, "")
                if label == "Hazardous cargo"
                else ({"yes": "a", "no": "not a"}.get(value, ""))
            )
            parts.append(PARAPHRASES[label].format(value=value, yesno=yesno).strip())
            paraphrased.append(True)
            continue
        phrase = rng.choice(PHRASES + (["{label} {value}"] if value[:1].isdigit() else []))
        parts.append(phrase.format(label=label, lower=label.lower(), value=value))
        paraphrased.append(False)
    return rng.choice([", ", "; ", "\n"]).join(parts), paraphrased


def _right_acroform(pdf: bytes, fields, result) -> list[bool]:
    values = {w.description: w for w in result.widgets}
    stored = {name: f.get("/V") for name, f in PdfReader(io.BytesIO(pdf)).get_fields().items()}
    verdicts = []
    for label, kind, _, value in fields:
        widget = values.get(label)
        if widget is None or widget.field_name is None:
            verdicts.append(False)
            continue
        found = stored.get(widget.field_name)
        if kind == "checkbox":
            verdicts.append((str(found) != "/Off" and found is not None) == (value == "yes"))
        elif kind == "radio":
            verdicts.append(str(found) == "/" + value)
        else:
            verdicts.append(str(found) == value)
    return verdicts


def _right_flat(pdf: bytes, fields) -> list[bool]:
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage()
    width = page.get_width()
    verdicts = []
    for label, _, _, value in fields:
        hit = text.search(f"{label}:", match_case=True).get_next()
        if not hit:
            verdicts.append(False)
            continue
        _, bottom, _, top = text.get_charbox(hit[0])
        row = text.get_text_bounded(0, bottom - 3, width, top + 3)
        verdicts.append(value in row)
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=40)
    args = parser.parse_args()
    rows = []
    for seed in range(args.forms):
        for acroform in (True, False):
            rng = random.Random(seed * 2 + acroform)
            fields = _spec(rng, acroform)
            original = _form(fields, acroform, rng)
            instructions, paraphrased = _instructions(fields, rng)
            for variant, embeddings in VARIANTS.items():
                started = time.monotonic()
                result = fill(original, instructions, options=FillOptions(embeddings=embeddings))
                seconds = time.monotonic() - started
                if acroform:
                    verdicts = _right_acroform(result.pdf, fields, result)
                else:
                    verdicts = _right_flat(result.pdf, fields)
                rows.append(
                    {
                        "seed": seed,
                        "variant": variant,
                        "half": "tune" if seed % 2 == 0 else "report",
                        "kind": "acroform" if acroform else "flat",
                        "fields": len(fields),
                        "right": sum(verdicts),
                        "paraphrased": sum(paraphrased),
                        "paraphrased_right": sum(
                            ok for ok, p in zip(verdicts, paraphrased, strict=True) if p
                        ),
                        "prefix_kept": result.pdf.startswith(original),
                        "wrong": [
                            f"{f[0]}={f[3]!r}" for f, ok in zip(fields, verdicts, strict=True) if not ok
                        ],
                        "instructions": instructions,
                        "s": round(seconds, 3),
                    }
                )
                print(
                    variant,
                    rows[-1]["kind"],
                    seed,
                    rows[-1]["right"],
                    "/",
                    rows[-1]["fields"],
                    rows[-1]["wrong"],
                )
    summary: dict[str, dict] = {}
    for name in [f"{kind}, {variant}" for variant in VARIANTS for kind in ("acroform", "flat")]:
        summary[name] = {}
        for part in ("report", "tune", "all"):
            chosen = [
                r
                for r in rows
                if f"{r['kind']}, {r['variant']}" == name and (part == "all" or r["half"] == part)
            ]
            right, total = sum(r["right"] for r in chosen), sum(r["fields"] for r in chosen)
            paraphrased = sum(r["paraphrased"] for r in chosen)
            paraphrased_right = sum(r["paraphrased_right"] for r in chosen)
            summary[name][part] = {
                "field_accuracy": round(right / max(1, total), 3),
                "forms_all_right": sum(r["right"] == r["fields"] for r in chosen),
                "labelled_accuracy": round((right - paraphrased_right) / max(1, total - paraphrased), 3),
                "paraphrased_accuracy": round(paraphrased_right / max(1, paraphrased), 3),
                "forms": len(chosen),
                "fields": total,
                "original_bytes_kept": all(r["prefix_kept"] for r in chosen),
                "median_s": sorted(r["s"] for r in chosen)[len(chosen) // 2] if chosen else None,
            }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "editing.json").write_text(json.dumps({"summary": summary, "forms": rows}, indent=2))
    intro = (
        f"{args.forms} AcroForm forms (text fields, a checkbox, a radio group and a dropdown; half "
        f"the fields named after their label, half `fieldN`; half the forms with tooltips, the rest "
        f"labelled only by the page's text) and {args.forms} flat forms (labelled blanks), with one-"
        f"sentence instructions in varied phrasings (benchmarks/editing/run.py); about a third of "
        f'the fields are paraphrased without the label\'s words ("born on 1984-03-12", "works at Acme'
        f' Corp", "not a smoker"). A field is right when the filled PDF, read back, holds its value '
        f"(pypdf field values; pdfium's text on the label's row for flat forms). Offline mapping, no"
        f" LLM; the embedding variant pairs what words leave unpaired by meaning (all-MiniLM-L6-v2)."
        f" Even seeds form the tuning half, odd seeds the reporting half."
    )
    lines = [
        "# Edit: form-fill accuracy on generated forms",
        "",
        intro,
        "",
        "| form | report: field accuracy | report: labelled / paraphrased | report: forms all right "
        "| all: field accuracy | original bytes kept | median s a form |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, parts in summary.items():
        r, a = parts["report"], parts["all"]
        lines.append(
            f"| {name} | {r['field_accuracy']:.3f} ({r['fields']} fields) | "
            f"{r['labelled_accuracy']:.3f} / {r['paraphrased_accuracy']:.3f} | "
            f"{r['forms_all_right']}/{r['forms']} | "
            f"{a['field_accuracy']:.3f} | {a['original_bytes_kept']} | {a['median_s']} |"
        )
    (RESULTS / "editing.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
