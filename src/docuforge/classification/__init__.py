"""Classifying documents into caller-given categories, offline (engine: no web, no database)."""

from docuforge.classification.engine import Category, Classification, ClassifyOptions, classify

__all__ = ["Category", "Classification", "ClassifyOptions", "classify"]
