"""Notebook widgets of elternkit (ipywidgets); each is tested headlessly."""

from elternkit.widgets.review import ReviewWidget, evidence_html

__all__ = ["ReviewWidget", "evidence_html"]
