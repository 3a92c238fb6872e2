"""Synthetic guardian exports of invented schools, with planted faults.

Run ``uv run python sample_data/generate.py`` to rebuild the committed files;
the benchmark imports :func:`sample_data.generate.generate_school`.
"""
