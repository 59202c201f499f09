"""Filling PDF forms from plain-language instructions (engine: no web, no database)."""

from docuforge.editing.engine import fill
from docuforge.editing.model import FillOptions, FillResult, Widget

__all__ = ["FillOptions", "FillResult", "Widget", "fill"]
