"""Find the header row of a raw grid and turn the grid into a table.

Shared by the text and the spreadsheet reader (helpers of :mod:`read`).

The header is the first row among the first 30 non-empty rows that

- has at least two non-empty cells, all of them text-like: a letter, at
  least as many letters as digits, no ``@`` (when it holds two whole column
  names such as Vorname and Kind-ID, more than half text-like is enough);
- is followed by rows that fit under it: at least half of the next five
  non-empty rows end at or before the header's last cell (or there are none:
  a file with a header only).

When the next non-empty row passes too and holds more cells that name a
typical column (Vorname, Kind-ID, PLZ, …), that row is taken instead: a title
line such as ``Schülerliste;Klasse 5a`` above ``Vorname;Nachname`` is skipped.
A grid of a single column takes its first non-empty row as the header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from elternkit.findings import define_code, finding_rows
from elternkit.read_csv import text_like
from elternkit.read_split import Records
from elternkit.schema import empty_findings
from elternkit.text import fold_name

TOO_MANY = define_code(
    "zeile_zu_viele_felder",
    "fehler",
    "Zeile hat mehr Felder als die Kopfzeile",
    "{detail}: die Zeile hat mehr Felder als die Kopfzeile; überzähliger Wert "
    "„{wert}“. Meist hat ein Trennzeichen in einem Wert (etwa ein Semikolon in "
    "der Adresse) die Felder dahinter verschoben, sodass Namen oder Kind-ID in "
    "der falschen Spalte stehen; die Zeile wird deshalb nicht exportiert. Bitte "
    "die Zeile in der Quelldatei prüfen, den Wert in Anführungszeichen setzen "
    "oder das Trennzeichen entfernen und neu einlesen.",
)
TOO_FEW = define_code(
    "zeile_zu_wenige_felder",
    "warnung",
    "Zeile hat weniger Felder als die Kopfzeile",
    "{detail}: der Zeile fehlen Felder (Inhalt: „{wert}“). Die Werte können in "
    "falschen Spalten stehen und Pflichtangaben fehlen; meist steckt ein "
    "Zeilenumbruch ohne Anführungszeichen in einem Feld. Bitte die Zeile in der "
    "Quelldatei prüfen, den Umbruch entfernen und neu einlesen.",
)

#: How many non-empty rows are searched for the header.
HEADER_WINDOW = 30

_BLANK = r"^[\s\x{200B}-\x{200D}\x{2060}\x{FEFF}]*$"
_EDGE = "\u200b\u200c\u200d\u2060\ufeff"
_SPACES = re.compile(r"\s+")
_KEYWORDS = (
    "vorname", "nachname", "name", "kind", "schueler", "mail", "telefon", "tel",
    "handy", "mobil", "plz", "ort", "strasse", "hausnummer", "klasse", "anrede",
    "geburt", "erz", "sorge", "mutter", "vater", "adresse", "anschrift", "id",
)  # fmt: skip
_EXACT = {*_KEYWORDS, "kindid", "email", "emailadresse", "telefonnummer", "nr"}


def clean_header_text(value: str | None) -> str:
    """Strip a header cell: whitespace, zero-width characters, inner runs.

    >>> clean_header_text("\\ufeff Kind-\\nID  ")
    'Kind- ID'
    """
    if value is None:
        return ""
    return _SPACES.sub(" ", value.strip().strip(_EDGE).strip())


def is_blank(value: str | None) -> bool:
    """Tell whether a cell is empty: None, whitespace or zero-width characters.

    >>> is_blank(" \u00a0\u200b"), is_blank(" x")
    (True, False)
    """
    return value is None or not value.strip().strip(_EDGE).strip()


def _filled(row: Sequence[str | None]) -> list[tuple[int, str]]:
    return [(i, v.strip()) for i, v in enumerate(row) if not is_blank(v)]


def keyword_hits(cells: list[tuple[int, str]]) -> int:
    """Score cells that name a typical column: 2 for a whole name, 1 for a part.

    >>> keyword_hits([(0, "Vorname"), (1, "Klasse 5a"), (2, "Anna")])
    3
    """
    folded = [fold_name(v) for _, v in cells]
    return sum(2 if f in _EXACT else any(k in f for k in _KEYWORDS) for f in folded)


def _fits(cells: list[tuple[int, str]], following: list[list[tuple[int, str]]]) -> bool:
    texts = sum(text_like(v) for _, v in cells)
    if len(cells) < 2:
        return False
    if keyword_hits(cells) >= 4 and 2 * texts >= len(cells):
        # two or more whole column names: a header even when many of the
        # following rows carry surplus fields, or a few names are not words
        # (``#``, ``K10``, ``2024/25``)
        return True
    if texts < len(cells):
        return False
    last = cells[-1][0]
    fitting = sum(row[-1][0] <= last for row in following)
    return 2 * fitting >= len(following)


def find_header(rows: Sequence[Sequence[str | None]]) -> tuple[int, bool] | None:
    """Return the index of the header row and whether it is a sure table header.

    ``False`` means a single-column grid (its first non-empty row); ``None``
    that no row looks like a header.

    >>> find_header([["Liste 5a"], [], ["Vorname", "Nachname"], ["Anna", "B"]])
    (2, True)
    >>> find_header([["E-Mail"], ["anna@example.org"]])
    (0, False)
    """
    filled = [(i, _filled(r)) for i, r in enumerate(rows)]
    filled = [(i, cells) for i, cells in filled if cells][: HEADER_WINDOW + 5]
    if not filled:
        return None
    for pos, (index, cells) in enumerate(filled[:HEADER_WINDOW]):
        following = [c for _, c in filled[pos + 1 : pos + 6]]
        if not _fits(cells, following):
            continue
        while pos + 1 < len(filled):
            nxt_index, nxt = filled[pos + 1]
            if not (
                _fits(nxt, [c for _, c in filled[pos + 2 : pos + 7]])
                and keyword_hits(nxt) > keyword_hits(cells)
            ):
                break
            pos, index, cells = pos + 1, nxt_index, nxt
        return index, True
    if max(len(cells) for _, cells in filled) <= 1:
        return filled[0][0], False
    return None


def blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Turn empty and whitespace-only cells (also zero-width spaces) into nulls.

    >>> blank_to_null(pl.DataFrame({"a": ["", " \\u00a0", " x "]}))["a"].to_list()
    [None, None, ' x ']
    """
    return frame.with_columns(
        pl.when(pl.col(c).str.contains(_BLANK)).then(None).otherwise(pl.col(c)).alias(c)
        for c in frame.columns
    )


@dataclass
class Table:
    """A read table: the frame, the original header texts and German notes."""

    frame: pl.DataFrame
    columns: list[str]
    notes: list[str] = field(default_factory=list)
    findings: pl.DataFrame = field(default_factory=empty_findings)


def _unique_names(names: list[str]) -> tuple[list[str], list[str]]:
    taken = {"zeile"}
    seen: dict[str, int] = {}
    out, renamed = [], []
    for name in names:
        count = seen.get(name, 1 if name != "zeile" else 2)
        new = name if count == 1 else f"{name} ({count})"
        while new in taken:
            count += 1
            new = f"{name} ({count})"
        seen[name] = count + 1
        taken.add(new)
        out.append(new)
        if new != name:
            renamed.append(f"{name} → {new}")
    return out, renamed


def finish_table(
    raw: pl.DataFrame,
    zeilen: Sequence[int],
    header: Sequence[str | None],
    numbers: Sequence[int],
) -> Table:
    """Name the columns of ``raw`` and drop what is empty.

    ``raw`` holds the data rows below the header, one String column per source
    column; ``numbers`` are the 1-based column numbers a person sees.
    """
    raw = blank_to_null(raw)
    notes: list[str] = []
    texts = [clean_header_text(h) for h in header]
    keep = [
        i
        for i, (text, col) in enumerate(zip(texts, raw.columns, strict=True))
        if text or raw.get_column(col).null_count() < raw.height
    ]
    unnamed = [numbers[i] for i in keep if not texts[i]]
    if unnamed:
        listed = ", ".join(f"Spalte {n}" for n in unnamed)
        notes.append(
            f"Spalten ohne Überschrift, aber mit Daten, übernommen als: {listed}. "
            "Bitte prüfen, ob diese Spalten gebraucht werden."
        )
    names, renamed = _unique_names([texts[i] or f"Spalte {numbers[i]}" for i in keep])
    if renamed:
        notes.append("Doppelte Spaltennamen unterschieden: " + ", ".join(renamed) + ".")

    frame = raw.select(
        pl.Series("zeile", list(zeilen), dtype=pl.Int64),
        *(
            raw.get_column(raw.columns[i]).alias(n)
            for i, n in zip(keep, names, strict=True)
        ),
    )
    if names:
        empty = ~pl.any_horizontal(pl.col(names).is_not_null())
        dropped = frame.select(empty.sum()).item()
        if dropped:
            frame = frame.filter(~empty)
            notes.append(f"{dropped} leere Zeile(n) übersprungen.")
    return Table(frame, [texts[i] for i in keep], notes)


def _short_detail(name: str, zeile: int, have: int, need: int, nxt: int | None) -> str:
    detail = f"Datei {name}, Zeile {zeile}: {have} von {need} Feldern"
    if nxt is not None:
        detail += (
            f"; zusammen mit Zeile {nxt} ergibt sich genau ein Datensatz, die Zeile "
            "ist also vermutlich mitten in einem Feld umgebrochen"
        )
    return detail


def _column(fields: pl.Series, patches: dict[int, list[str]], j: int) -> pl.Series:
    """Field ``j`` of every record: null where missing, ``patches`` applied."""
    column = fields.list.get(j, null_on_oob=True)
    if patches:
        column = column.scatter(
            list(patches),
            [row[j] if j < len(row) else None for row in patches.values()],
        )
    return column.alias(f"c{j}")


def table_from_records(records: Records, header_index: int, *, name: str) -> Table:
    """Build the table of a text export below its header record.

    Fields beyond the header's field count are reported (never kept silently);
    trailing empty fields and empty records are dropped. A one-line record with
    too many fields is split again with quotes counting anywhere in a field
    (``=LINK("a";"b")``); if that fits the header, it is used and noted. Only
    the records whose field count differs from the header's are looked at one
    by one.
    """
    header = records.row(header_index)
    width = len(header)
    needed = max(
        (i + 1 for i, h in enumerate(header) if clean_header_text(h)), default=1
    )
    start = header_index + 1
    fields = records.fields.slice(start)
    data_zeilen = records.zeilen[start:]
    patches = {k - start: row for k, row in records.patches.items() if k >= start}
    lengths = fields.list.len()
    if patches:
        lengths = lengths.scatter(list(patches), [len(r) for r in patches.values()])
    odd_positions = (lengths != width).arg_true().to_list()
    plain = [pos for pos in odd_positions if pos not in patches]
    odd = dict(zip(plain, fields.gather(plain).to_list(), strict=True))
    odd = {pos: patches[pos] if pos in patches else odd[pos] for pos in odd_positions}

    found: list[dict[str, object]] = []
    short: list[int] = []
    repaired: dict[int, list[str]] = {}
    nonblank = len(fields) - len(odd)  # the usual record: neither surplus nor short
    for pos, row in odd.items():
        if all(is_blank(v) for v in row):
            continue
        nonblank += 1
        surplus = [v for v in row[width:] if not is_blank(v)]
        if surplus:
            again = records.resplit(header_index + 1 + pos)
            if again is not None and all(is_blank(v) for v in again[width:]):
                odd[pos] = repaired[pos] = row = again
                surplus = []
        if surplus:
            zeile = data_zeilen[pos]
            detail = f"Datei {name}, Zeile {zeile} ({len(row)} statt {width} Felder)"
            found.append(
                {"zeile": data_zeilen[pos], "quelle": name, "code": TOO_MANY.code,
                 "wert": "; ".join(surplus), "detail": detail}
            )  # fmt: skip
        if len(row) < needed:
            short.append(pos)
    notes = []
    if short and 2 * len(short) > nonblank:
        notes.append(
            f"In {len(short)} Zeile(n) fehlen Felder am Zeilenende; das Exportprogramm "
            "lässt leere Felder am Ende weg. Sie wurden als leer gelesen."
        )
        short = []  # a habit of the exporter, not a fault of single rows
    short_set = set(short)
    for pos in short:
        nxt = pos + 1 if pos + 1 in short_set else None
        joins = nxt is not None and len(odd[pos]) + len(odd[nxt]) == needed + 1
        detail = _short_detail(
            name,
            data_zeilen[pos],
            len(odd[pos]),
            needed,
            data_zeilen[nxt] if joins else None,
        )
        found.append(
            {"zeile": data_zeilen[pos], "quelle": name, "code": TOO_FEW.code,
             "wert": "; ".join(odd[pos]), "detail": detail}
        )  # fmt: skip

    patches.update(repaired)
    raw = pl.DataFrame([_column(fields, patches, j) for j in range(width)])
    table = finish_table(raw, data_zeilen, header, list(range(1, width + 1)))
    table.notes.extend(notes)
    if repaired:
        lines = [data_zeilen[pos] for pos in repaired]
        listed = ", ".join(map(str, lines[:10])) + (" …" if len(lines) > 10 else "")
        table.notes.append(
            f"Zeile(n) {listed}: Trennzeichen in einer Formel oder zwischen "
            "Anführungszeichen mitten im Feld als Text gelesen; bitte die Werte prüfen."
        )
    if found:
        table.findings = finding_rows(found).sort("zeile", maintain_order=True)
    return table
