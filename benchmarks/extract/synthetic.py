"""Generated business documents with exact ground truth: invoices, purchase orders and forms.

Several templates (label beside value, label over value, colon lines), three fonts, three table
styles and several wordings per label, drawn with reportlab from a seeded random generator.
Even seeds are the tuning half, odd seeds the reporting half.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any

from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen.canvas import Canvas

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "document_number": {"type": "string", "description": "The invoice or purchase order number"},
        "issue_date": {"type": "string", "format": "date", "description": "Date the document was issued"},
        "due_date": {"type": "string", "format": "date", "description": "Payment due date"},
        "vendor_name": {"type": "string", "description": "Company issuing the document (seller)"},
        "customer_name": {"type": "string", "description": "Company billed (buyer)"},
        "subtotal": {"type": "number"},
        "tax": {"type": "number", "description": "Tax amount (VAT, GST or sales tax)"},
        "total": {"type": "number", "description": "Total amount due"},
        "line_items": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "description": {"type": "string"},
                    "quantity": {"type": "integer"},
                    "unit_price": {"type": "number"},
                    "amount": {"type": "number", "description": "Line total"},
                },
            },
        },
    },
}

WORDING = {
    "document_number": {
        "invoice": ["Invoice No", "Invoice #", "Invoice Number", "Inv. No.", "Reference"],
        "po": ["PO Number", "Purchase Order No", "P.O. #", "Order Number"],
    },
    "issue_date": ["Date", "Invoice Date", "Issue Date", "Date of Issue", "Dated"],
    "due_date": ["Due Date", "Payment Due", "Due By", "Pay By"],
    "customer": ["Bill To", "Billed To", "Customer", "Sold To", "Client"],
    "subtotal": ["Subtotal", "Sub-total", "Net Amount", "Total before tax"],
    "tax": ["Tax", "VAT", "GST", "Sales Tax"],
    "total": ["Total", "Total Due", "Amount Due", "Grand Total", "Balance Due"],
    "columns": [
        ["Description", "Qty", "Unit Price", "Amount"],
        ["Item", "Quantity", "Rate", "Total"],
        ["Product", "Units", "Price", "Line Total"],
        ["Details", "Qty", "Unit Cost", "Amount"],
    ],
}
COMPANIES = [
    "Northwind Traders Ltd",
    "Contoso Pharmaceuticals Inc",
    "Blue Yonder Airlines LLC",
    "Fabrikam Tools GmbH",
    "Tailspin Toys Corp",
    "Litware Software Co.",
    "Adventure Works Cycles",
    "Wide World Importers Ltd",
    "Proseware Media Inc",
    "Alpine Ski House",
    "Coho Winery Ltd",
    "Margie's Travel LLC",
    "Lucerne Publishing",
    "Woodgrove Bank PLC",
    "Humongous Insurance",
    "Trey Research Inc",
]
ITEMS = [
    "Steel bracket",
    "Copper wire 2mm",
    "Hex bolts M8",
    "Office chair",
    "Laptop stand",
    "USB-C cable",
    "Printer toner",
    "Safety gloves",
    "LED panel 60x60",
    "Cable ties (100)",
    "Paint, white 5L",
    "Drill bits set",
    "Consulting hours",
    "Site survey",
    "Installation service",
    "Annual support plan",
]
STREETS = ["Harbour Road", "Elm Street", "Market Square", "Station Avenue", "Mill Lane", "Park Drive"]
FONTS = [("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"), ("Courier", "Courier-Bold")]
DATE_STYLES = ["%d/%m/%Y", "%Y-%m-%d", "%B %d, %Y", "%d %b %Y", "%m/%d/%Y"]


@dataclass
class Generated:
    name: str
    pdf: bytes
    truth: dict[str, Any]
    split: str  # tuning or reporting
    template: str


def _money(value: float, style: int) -> str:
    if style == 0:
        return f"{value:,.2f}"
    if style == 1:
        return f"${value:,.2f}"
    # 1.234,56 EUR: the comma-decimal convention
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + " EUR"


def _date(rng: random.Random, us: bool) -> tuple[str, str]:
    import datetime as dt

    day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
    style = rng.choice(
        [s for s in DATE_STYLES if us or s != "%m/%d/%Y"] if not us else ["%m/%d/%Y", "%B %d, %Y", "%Y-%m-%d"]
    )
    return day.strftime(style), day.isoformat()


def generate(seed: int) -> Generated:
    rng = random.Random(seed)
    kind = rng.choice(["invoice", "invoice", "po"])
    template = rng.choice(["beside", "over", "colon"])
    regular, bold = rng.choice(FONTS)
    table_style = rng.choice(["grid", "rules", "none"])
    us = rng.random() < 0.4
    money_style = rng.choice([0, 1]) if us else rng.choice([0, 1, 2])
    vendor, customer = rng.sample(COMPANIES, 2)
    number = f"{'INV' if kind == 'invoice' else 'PO'}-{rng.randrange(1000, 99999)}"
    issued_text, issued = _date(rng, us)
    due_text, due = _date(rng, us)
    columns = rng.choice(WORDING["columns"])
    n_items = rng.randrange(2, 9)
    items = []
    for name in rng.sample(ITEMS, n_items):
        qty = rng.randrange(1, 40)
        price = round(rng.uniform(2, 900), 2)
        items.append(
            {"description": name, "quantity": qty, "unit_price": price, "amount": round(qty * price, 2)}
        )
    subtotal = round(sum(i["amount"] for i in items), 2)
    tax = round(subtotal * rng.choice([0.05, 0.08, 0.1, 0.2]), 2)
    total = round(subtotal + tax, 2)
    labels = {
        "document_number": rng.choice(WORDING["document_number"][kind]),
        "issue_date": rng.choice(WORDING["issue_date"]),
        "due_date": rng.choice(WORDING["due_date"]),
        "customer": rng.choice(WORDING["customer"]),
        "subtotal": rng.choice(WORDING["subtotal"]),
        "tax": rng.choice(WORDING["tax"]),
        "total": rng.choice(WORDING["total"]),
    }
    size = letter if us else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, invariant=True)
    width, height = size
    y = height - 60
    canvas.setFont(bold, 18)
    canvas.drawString(50, y, vendor)
    canvas.setFont(regular, 9)
    canvas.drawString(
        50,
        y - 16,
        f"{rng.randrange(1, 300)} {rng.choice(STREETS)}, Springfield {rng.randrange(10000, 99999)}",
    )
    canvas.setFont(bold, 14)
    canvas.drawRightString(width - 50, y, "INVOICE" if kind == "invoice" else "PURCHASE ORDER")
    fields = [
        (labels["document_number"], number),
        (labels["issue_date"], issued_text),
        (labels["due_date"], due_text),
    ]
    y -= 60
    x = width - 260
    for label, value in fields:
        if template == "beside":
            canvas.setFont(bold, 10)
            canvas.drawString(x, y, label)
            canvas.setFont(regular, 10)
            canvas.drawString(x + 110, y, value)
            y -= 16
        elif template == "over":
            canvas.setFont(regular, 7)
            canvas.drawString(x, y, label.upper())
            canvas.setFont(regular, 10)
            canvas.drawString(x, y - 11, value)
            y -= 28
        else:
            canvas.setFont(regular, 10)
            canvas.drawString(x, y, f"{label}: {value}")
            y -= 15
    by = height - 120
    canvas.setFont(bold, 11)
    canvas.drawString(50, by, labels["customer"] + (":" if template == "colon" else ""))
    canvas.setFont(regular, 10)
    canvas.drawString(50, by - 14, customer)
    canvas.drawString(50, by - 27, f"{rng.randrange(1, 300)} {rng.choice(STREETS)}")
    ty = min(y, by - 60) - 20
    widths = [230, 60, 90, 100]
    xs = [50]
    for w in widths[:-1]:
        xs.append(xs[-1] + w)
    right = xs[-1] + widths[-1]
    row_h = 18
    canvas.setFont(bold, 9)
    for c, title in enumerate(columns):
        canvas.drawString(xs[c] + 4, ty - 12, title)
    rows = [
        [
            i["description"],
            str(i["quantity"]),
            _money(i["unit_price"], money_style),
            _money(i["amount"], money_style),
        ]
        for i in items
    ]
    canvas.setFont(regular, 9)
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            if c == 0:
                canvas.drawString(xs[c] + 4, ty - 12 - r * row_h, text)
            else:
                canvas.drawRightString(xs[c] + widths[c] - 4, ty - 12 - r * row_h, text)
    bottom = ty - (len(rows) + 1) * row_h
    if table_style == "grid":
        for r in range(len(rows) + 2):
            canvas.line(50, ty - r * row_h + 4, right, ty - r * row_h + 4)
        for xv in [*xs, right]:
            canvas.line(xv, ty + 4, xv, bottom + 4)
    elif table_style == "rules":
        canvas.line(50, ty + 4, right, ty + 4)
        canvas.line(50, ty - row_h + 4, right, ty - row_h + 4)
        canvas.line(50, bottom + 4, right, bottom + 4)
    sy = bottom - 20
    for key in ("subtotal", "tax", "total"):
        value = {"subtotal": subtotal, "tax": tax, "total": total}[key]
        canvas.setFont(bold if key == "total" else regular, 10)
        label = labels[key] + (":" if template == "colon" else "")
        canvas.drawString(right - 220, sy, label)
        canvas.drawRightString(right - 4, sy, _money(value, money_style))
        sy -= 16
    canvas.setFont(regular, 8)
    canvas.drawString(50, 40, "Thank you for your business.")
    canvas.showPage()
    canvas.save()
    truth = {
        "document_number": number,
        "issue_date": issued,
        "due_date": due,
        "vendor_name": vendor,
        "customer_name": customer,
        "subtotal": subtotal,
        "tax": tax,
        "total": total,
        "line_items": items,
    }
    return Generated(
        f"synthetic-{seed:03d}",
        buffer.getvalue(),
        truth,
        "tuning" if seed % 2 == 0 else "reporting",
        template,
    )
