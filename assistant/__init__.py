"""Retrieval-grounded facilitation assistant for school-district leaders."""

__version__ = "0.1.0"
