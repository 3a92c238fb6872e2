"""Compare two IServ import files: last year's and this year's.

An IServ follow-up import is a full sync: a parent missing from the new file
loses the account (after the grace period IServ gives). So before the upload
the school should see who is new, who is gone, and whose auxiliary fields
changed. Rows are matched by Kind-ID plus folded Vorname and Nachname (the
fingerprint of :func:`elternkit.rezept.row_key`); a drop of more than
:data:`DROP_WARNING` of the rows is a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from elternkit.errors import InputError
from elternkit.persons_keys import fingerprint_expr
from elternkit.schema import IMPORT_HEADER, IMPORT_SOURCE

#: Share of rows lost from one year to the next that is warned about.
DROP_WARNING = 0.20
#: Fields compared between the two years for a parent found in both.
COMPARED = ("adresse", "email", "telefon", "vorname", "nachname")


@dataclass
class Comparison:
    """Result of :func:`compare_imports`.

    ``neu`` and ``weg`` hold rows of the new and old file; ``geaendert`` one
    row per changed field with ``vorher`` and ``nachher``.
    """

    alt_zeilen: int
    neu_zeilen: int
    neu: pl.DataFrame
    weg: pl.DataFrame
    geaendert: pl.DataFrame

    @property
    def drop(self) -> float:
        """Share of rows lost (0 when the file grew)."""
        if not self.alt_zeilen:
            return 0.0
        return max(0.0, 1 - self.neu_zeilen / self.alt_zeilen)

    @property
    def gone(self) -> float:
        """Share of last year's rows that are missing now (0 to 1)."""
        if not self.alt_zeilen:
            return 0.0
        return self.weg.height / self.alt_zeilen

    def warnings(self) -> list[str]:
        """German warnings: a sharp drop in rows, or many of last year's rows gone.

        The second catches a file of the same length whose Kind-IDs or names
        all changed (leading zeros lost, another school's file): counting rows
        alone would not notice it.
        """
        found = []
        if self.drop > DROP_WARNING:
            found.append(
                f"Die neue Importdatei hat {self.neu_zeilen} Zeilen, die alte "
                f"{self.alt_zeilen}: {self.drop:.0%} weniger."
            )
        if self.gone > DROP_WARNING:
            found.append(
                f"{self.weg.height} von {self.alt_zeilen} Zeilen des Vorjahres "
                f"({self.gone:.0%}) fehlen in der neuen Importdatei – mehr als "
                "Schulabgänge erklären. Haben sich Kind-IDs geändert (führende "
                "Nullen?) oder ist es die Datei einer anderen Schule?"
            )
        if not found:
            return []
        return [
            " ".join(found)
            + " Ein Folgeimport in IServ ist ein Abgleich – wer in der Datei "
            "fehlt, verliert sein Elternkonto. Bitte prüfen, ob der Export "
            "vollständig und richtig ist (alle Klassen, alle Jahrgänge), bevor "
            "Sie hochladen."
        ]

    def summary(self) -> list[str]:
        """German lines with the counts only (no personal data)."""
        changed_rows = self.geaendert.select("kind_id", "schluessel").n_unique()
        return [
            f"Zeilen im Vorjahr: {self.alt_zeilen}, jetzt: {self.neu_zeilen}.",
            f"Neu hinzugekommen: {self.neu.height} Zeilen (Elternteil und Kind).",
            f"Nicht mehr enthalten: {self.weg.height} Zeilen – diese Konten oder "
            "Kind-Zuordnungen entfernt IServ beim Abgleich.",
            f"Mit geänderten Angaben: {changed_rows} Zeilen "
            f"({self.geaendert.height} geänderte Felder).",
        ]

    def details(self) -> pl.DataFrame:
        """One table for a review file: ``art;kind_id;feld;vorher;nachher``."""
        full = pl.concat_str("vorname", "nachname", separator=" ", ignore_nulls=True)
        return pl.concat(
            [
                self.neu.select(
                    pl.lit("neu").alias("art"),
                    "kind_id",
                    pl.lit("Name").alias("feld"),
                    pl.lit(None, pl.String).alias("vorher"),
                    full.alias("nachher"),
                ),
                self.weg.select(
                    pl.lit("weg").alias("art"),
                    "kind_id",
                    pl.lit("Name").alias("feld"),
                    full.alias("vorher"),
                    pl.lit(None, pl.String).alias("nachher"),
                ),
                self.geaendert.select(
                    pl.lit("geaendert").alias("art"),
                    "kind_id",
                    "feld",
                    "vorher",
                    "nachher",
                ),
            ]
        )


def read_import(path: str | Path) -> pl.DataFrame:
    """Read an ``eltern_import.csv`` as text with the long-table column names."""
    path = Path(path)
    try:
        frame = pl.read_csv(
            path, separator=";", infer_schema=False, encoding="utf8-lossy"
        )
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise InputError(
            f"Die Importdatei {path} lässt sich nicht lesen ({type(exc).__name__}). "
            "Für den Vergleich werden zwei von elternkit geschriebene "
            "eltern_import.csv gebraucht."
        ) from None
    missing = [h for h in IMPORT_HEADER if h not in frame.columns]
    if missing:
        raise InputError(
            f"{path.name}: Es fehlen die Spalten {', '.join(missing)}. Erwartet "
            f"wird die Kopfzeile {';'.join(IMPORT_HEADER)} einer eltern_import.csv; "
            "bitte die richtige Datei angeben."
        )
    return rename_to_source(frame)


def rename_to_source(imports: pl.DataFrame) -> pl.DataFrame:
    """Select the IServ columns of an import table under their long-table names.

    >>> from elternkit.schema import IMPORT_HEADER
    >>> t = pl.DataFrame({h: ["x"] for h in IMPORT_HEADER})
    >>> rename_to_source(t).columns
    ['vorname', 'nachname', 'adresse', 'email', 'telefon', 'kind_id']
    """
    return imports.select(
        pl.col(h).alias(s) for h, s in zip(IMPORT_HEADER, IMPORT_SOURCE, strict=True)
    )


def compare_imports(old: pl.DataFrame, new: pl.DataFrame) -> Comparison:
    """Compare two import tables (see :func:`read_import`).

    Examples
    --------
    >>> old = pl.DataFrame({"vorname": ["Anna", "Lars"], "nachname": ["Beispiel"] * 2,
    ...     "adresse": ["Hauptstr. 1", None], "email": [None, None],
    ...     "telefon": [None, None], "kind_id": ["1001", "1002"]})
    >>> new = old.with_columns(adresse=pl.lit("Am Markt 2")).head(1)
    >>> c = compare_imports(old, new)
    >>> c.neu.height, c.weg.height, c.geaendert.select("feld", "nachher").rows()
    (0, 1, [('adresse', 'Am Markt 2')])
    >>> round(c.drop, 2)
    0.5
    """
    a = old.with_columns(fingerprint_expr().alias("schluessel"))
    b = new.with_columns(fingerprint_expr().alias("schluessel"))
    neu = b.join(a, on="schluessel", how="anti")
    weg = a.join(b, on="schluessel", how="anti")
    both = a.unique("schluessel").join(
        b.unique("schluessel"), on="schluessel", suffix="_neu"
    )
    changed = [
        both.filter(pl.col(f).ne_missing(pl.col(f"{f}_neu"))).select(
            "kind_id",
            "schluessel",
            pl.lit(f).alias("feld"),
            pl.col(f).alias("vorher"),
            pl.col(f"{f}_neu").alias("nachher"),
        )
        for f in COMPARED
    ]
    geaendert = pl.concat(changed).sort("kind_id", "schluessel", "feld")
    return Comparison(old.height, new.height, neu, weg, geaendert)


def compare_files(old: str | Path, new: str | Path) -> Comparison:
    """Read and compare two ``eltern_import.csv`` files."""
    return compare_imports(read_import(old), read_import(new))


def render_comparison(comparison: Comparison, *, old_name: str) -> str:
    """German Markdown section for the report (counts only)."""
    lines = ["## Vergleich mit dem Vorjahr", "", f"Verglichen mit `{old_name}`:", ""]
    lines += [f"- {line}" for line in comparison.summary()]
    lines.append("")
    lines += [f"**Warnung:** {w}" for w in comparison.warnings()]
    if comparison.warnings():
        lines.append("")
    lines += [
        "Die einzelnen Zeilen stehen in `vergleich.csv` im Ausgabeordner. "
        "Verglichen wird über Kind-ID und Namen; wer den Namen geändert hat, "
        "erscheint als weg und neu.",
        "",
    ]
    return "\n".join(lines)


__all__ = [
    "DROP_WARNING",
    "Comparison",
    "compare_files",
    "compare_imports",
    "read_import",
    "rename_to_source",
    "render_comparison",
]
