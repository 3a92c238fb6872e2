"""Build a long table from a hostile case file, for stage-level tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from elternkit.schema import conform_long

CASES = Path(__file__).parent / "fixtures" / "cases"

#: Headers of the case files and the long-table column each one maps to.
CASE_HEADERS = {
    "Vorname": "vorname",
    "Nachname": "nachname",
    "Name": "nachname",
    "E-Mail": "email",
    "Telefon": "telefon",
    "Kind-ID": "kind_id",
}


def long_frame_from_case(name: str) -> pl.DataFrame:
    """Read ``name`` from the case folder as text and conform it to the long table.

    The header is row 1, so the first data row is ``zeile`` 2; ``slot`` is "1".
    """
    raw = pl.read_csv(CASES / name, separator=";", infer_schema=False)
    renamed = raw.rename({c: CASE_HEADERS[c] for c in raw.columns if c in CASE_HEADERS})
    return conform_long(
        renamed.with_columns(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
            (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("zeile"),
            pl.lit(name).alias("quelle"),
            pl.lit("1").alias("slot"),
        )
    )


def long_frame(**columns: list[str | None]) -> pl.DataFrame:
    """Build a small long table from column lists (``zeile`` from 2, ``slot`` "1")."""
    height = len(next(iter(columns.values())))
    return conform_long(
        pl.DataFrame(
            {
                "_row": list(range(height)),
                "zeile": list(range(2, height + 2)),
                "quelle": ["test.csv"] * height,
                "slot": ["1"] * height,
                **columns,
            }
        )
    )


def table(cases: list[tuple]) -> dict[str, list]:
    """Turn rows ``(id, *values)`` into ``argvalues`` and ``ids`` for parametrize.

    Use as ``@pytest.mark.parametrize(("messy", "clean"), **table(CASES))``.
    """
    return {
        "argvalues": [case[1:] if len(case) > 2 else case[1] for case in cases],
        "ids": [case[0] for case in cases],
    }
