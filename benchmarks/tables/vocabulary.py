"""The words drawn tables are filled with: labels and headers in several languages, items,
titles, texts that wrap, words whose hyphen belongs to them, periods and their sub-columns."""

from __future__ import annotations

import random

LABELS = {
    "en": [
        "North",
        "South",
        "East",
        "West",
        "Central",
        "Coastal",
        "Mountain",
        "Urban areas",
        "Rural areas",
        "Manufacturing",
        "Retail trade",
        "Construction",
        "Agriculture",
        "Public sector",
        "Transport",
        "Health care",
        "Education",
        "Finance",
        "Energy",
        "Tourism",
        "Mining",
        "Fisheries",
        "Housing",
    ],
    "de": [
        "Nord",
        "Süd",
        "Ost",
        "West",
        "Mitte",
        "Industrie",
        "Handel",
        "Bauwesen",
        "Landwirtschaft",
        "Verkehr",
        "Gesundheit",
        "Bildung",
        "Energie",
        "Tourismus",
        "Bergbau",
        "Wohnungsbau",
    ],
    "fr": [
        "Nord",
        "Sud",
        "Est",
        "Ouest",
        "Centre",
        "Industrie",
        "Commerce",
        "Construction",
        "Agriculture",
        "Transports",
        "Santé",
        "Éducation",
        "Énergie",
        "Tourisme",
        "Logement",
        "Pêche",
    ],
    "es": [
        "Norte",
        "Sur",
        "Este",
        "Oeste",
        "Centro",
        "Industria",
        "Comercio",
        "Construcción",
        "Agricultura",
        "Transporte",
        "Salud",
        "Educación",
        "Energía",
        "Turismo",
        "Vivienda",
        "Minería",
    ],
}
MEASURES = {
    "en": ["Sales", "Costs", "Margin", "Units", "Share", "Growth", "Staff", "Hours"],
    "de": ["Umsatz", "Kosten", "Marge", "Stück", "Anteil", "Wachstum", "Personal", "Stunden"],
    "fr": ["Ventes", "Coûts", "Marge", "Unités", "Part", "Croissance", "Effectif", "Heures"],
    "es": ["Ventas", "Costes", "Margen", "Unidades", "Cuota", "Crecimiento", "Plantilla", "Horas"],
}
LABEL_HEAD = {"en": "Region", "de": "Region", "fr": "Région", "es": "Región"}
HEBREW_LABELS = [
    "צפון",
    "דרום",
    "מרכז",
    "ירושלים",
    "חיפה",
    "תל אביב",
    "באר שבע",
    "הגליל העליון",
    "השרון",
    "השפלה",
    "הנגב המערבי",
    "עמק יזרעאל",
    "אילת",
    "נתניה",
]
HEBREW_HEADS = ["אזור", "הכנסות", "הוצאות", "רווח", "עובדים", "שינוי", "סך הכל", "יחידות"]
ARABIC_LABELS = [
    "الشمال",
    "الجنوب",
    "الوسط",
    "القدس",
    "عمان",
    "دمشق",
    "بيروت",
    "القاهرة الجديدة",
    "الرياض",
    "جدة",
    "الدار البيضاء",
    "تونس",
    "الخرطوم",
    "بغداد",
]
ARABIC_HEADS = ["المنطقة", "الإيرادات", "المصروفات", "الربح", "العاملون", "التغير", "المجموع", "الوحدات"]
ITEMS = [
    "Consulting services",
    "Hosting (monthly)",
    "Support plan",
    "Licence fee",
    "Training day",
    "Travel expenses",
    "Hardware module",
    "Installation",
    "Data migration",
    "Design work",
    "Cable set",
    "Spare parts kit",
    "Maintenance",
    "Shipping",
]
TITLES = [
    "Table {n}. Employment by sector and region",
    "Table {n}: Results of the survey",
    "TABLE {n} Summary of operating figures",
    "Annual figures by segment",
    "Tabelle {n}. Beschäftigte nach Branche",
]
SIDE_LABELS = ["Panel A", "Panel B", "Notes", "Source", "Part I", "Part II", "Group 1", "Group 2"]
WRAP_TEXTS = [
    "Annual maintenance of the ventilation system including filters",
    "Replacement of the main water pipe in the north wing",
    "Survey of the roof and gutters after the winter storms",
    "Training of new staff on the safety procedures of the site",
    "Installation of solar panels on the south facing roof",
    "Repair of the car park lighting and the entrance gate",
    "Cleaning of the facade and the windows of all floors",
    "Inspection of fire doors and emergency exits in every building",
    "Upgrade of the network switches in the server room",
    "Painting of the corridors and stairwells in block C",
]
HYPHENATED = [
    "COVID-19",
    "long-term",
    "state-of-the-art",
    "X-ray",
    "follow-up",
    "non-EU",
    "2019-2020",
    "e-mail",
    "Jean-Luc",
    "well-being",
    "cost-effective",
    "low-income",
    "part-time",
    "H-1B",
    "re-entry",
    "self-employed",
    "high-speed",
    "up-to-date",
    "Baden-Württemberg",
    "Rhein-Main",
]
HYPHEN_CONTEXT = [
    "cases of",
    "review of",
    "support for",
    "programme",
    "plan for",
    "workers",
    "imports",
    "users",
    "contracts",
    "households",
]
PERIODS = [
    ["2022", "2023", "2024"],
    ["Q1", "Q2", "Q3", "Q4"],
    ["2019", "2020"],
    ["H1 2024", "H2 2024"],
    ["Men", "Women"],
    ["Budget", "Actual"],
    ["Domestic", "Export", "Total"],
]
SUBS = [
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun"],
    ["Min", "Max", "Mean", "SD", "N", "Med"],
    ["Q1", "Q2", "Q3", "Q4", "Total", "Avg"],
    ["Low", "Mid", "High", "All", "n", "%"],
    ["A", "B", "C", "D", "E", "F"],
]
MARKS = ["1", "2", "3", "a", "b", "*", "†"]


def number(rng: random.Random, style: str) -> str:
    if style == "int":
        return f"{rng.randint(1, 9999):,}"
    if style == "small":
        return str(rng.randint(0, 99))
    if style == "dec":
        return f"{rng.uniform(0, 100):.1f}"
    if style == "pct":
        return f"{rng.uniform(-20, 40):.1f}%"
    if style == "money":
        return f"{rng.uniform(10, 20000):,.2f}"
    return f"{rng.randint(-999, 999):,}"
