"""Guided notebooks (a package only so that their conftest has its own name)."""
