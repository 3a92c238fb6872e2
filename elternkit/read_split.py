"""Split decoded text into records exactly as :mod:`csv` does, but fast.

Helpers of :mod:`read_csv`. Records are split with double quotes (doubled
quotes inside), so a quoted field may hold the delimiter or a line break.
CRLF, LF and CR line endings may be mixed; other characters that
``str.splitlines`` breaks at (``\\v``, ``\\f``, ``\\x1c``, ``\\u2028`` …) stay
inside a line. A record's row number (``zeile``) is the physical line on
which it starts, counting blank lines, as a text editor shows it.

Lines without a quote character are one record each and are split with
polars (:func:`split_records`); only the records starting on a line with a
quote (or a line longer than csv's field limit) go through :mod:`csv`.
:func:`split_records_csv` is the plain :mod:`csv` reference the fast path is
tested against.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import polars as pl

from elternkit.errors import InputError

#: A record spanning more physical lines than this means an unclosed quote.
MAX_RECORD_LINES = 50

#: A line end as :mod:`csv` reads it.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_KEPT = re.compile(r"(\r\n|\r|\n)")


@dataclass
class Records:
    """Records of a text export: fields and the line each record starts on.

    ``fields`` holds one list of fields per record (``List(String)``), except
    for the records in ``patches`` (by index: those read with :mod:`csv`, and
    blank lines as empty lists), whose entry in ``fields`` is not used. Kept
    apart so that a few quoted records do not cost a copy of all fields.
    """

    fields: pl.Series
    zeilen: list[int]
    encoding: str
    delimiter: str | None
    notes: list[str]
    text: str = ""
    patches: dict[int, list[str]] = field(default_factory=dict)
    _lines: list[str] | None = None

    def resplit(self, index: int) -> list[str] | None:
        """Split record ``index`` again, with quotes counting anywhere in a field.

        Returns None when the record spans several lines.
        """
        if self.delimiter is None:
            return None
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.text)
        line = self._lines[self.zeilen[index] - 1]
        if next(csv.reader([line], delimiter=self.delimiter)) != self.row(index):
            return None
        return split_quotes_anywhere(line, self.delimiter)

    def row(self, index: int) -> list[str]:
        """Return the fields of record ``index``."""
        if index in self.patches:
            return self.patches[index]
        return self.fields[index].to_list()

    def head(self, count: int | None = None) -> list[list[str]]:
        """Return the fields of the first ``count`` records (None: all)."""
        rows = (self.fields if count is None else self.fields.head(count)).to_list()
        for index, row in self.patches.items():
            if index < len(rows):
                rows[index] = row
        return rows


def split_quotes_anywhere(line: str, delimiter: str) -> list[str]:
    """Split one line, letting quotes and formula brackets protect delimiters.

    A quote anywhere in a field starts or ends protected text; in a field that
    starts with ``=`` (a formula) so does a pair of brackets. Quotes that
    enclose a whole field are removed (doubled quotes undone).

    >>> split_quotes_anywhere('=LINK("a";"b");Beispiel;"x""y";a"b;c"', ";")
    ['=LINK("a";"b")', 'Beispiel', 'x"y', 'a"b;c"']
    """
    fields: list[str] = []
    current: list[str] = []
    quoted, depth = False, 0
    for char in line:
        if char == '"':
            quoted = not quoted
        elif current and current[0] == "=" and not quoted and char in "()":
            depth = max(0, depth + (1 if char == "(" else -1))
        if char == delimiter and not quoted and depth == 0:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return [
        f[1:-1].replace('""', '"') if len(f) >= 2 and f[0] == f[-1] == '"' else f
        for f in fields
    ]


def line_end_counts(text: str) -> dict[str, int]:
    """Count the line ends of each kind as :mod:`csv` reads them.

    >>> line_end_counts("a\\r\\nb\\rc\\n\\r\\n")
    {'\\r\\n': 2, '\\n': 1, '\\r': 1}
    """
    crlf = text.count("\r\n") if "\r" in text and "\n" in text else 0
    return {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}


def physical_lines(
    text: str, counts: Mapping[str, int] | None = None
) -> tuple[list[str], list[str]]:
    """Split ``text`` into lines as :mod:`csv` reads them: contents and ends.

    A line ends at CRLF, CR or LF (not at the other breaks of
    ``str.splitlines``); a final line end starts no further line.

    >>> physical_lines("a;b\\r\\n\\rc")
    (['a;b', '', 'c'], ['\\r\\n', '\\r', ''])
    """
    kinds = [k for k, n in (counts or line_end_counts(text)).items() if n]
    if len(kinds) > 1:
        parts = _LINE_BREAK_KEPT.split(text)
        contents, ends = parts[0::2], [*parts[1::2], ""]
    else:
        contents = text.split(kinds[0] if kinds else "\n")
        ends = [kinds[0] if kinds else ""] * len(contents)
    if contents[-1] == "":  # the text ends with a line end (or is empty)
        contents.pop()
        ends.pop()
    else:
        ends[-1] = ""
    return contents, ends


def _unclosed_quote(name: str, start: int, lines: int) -> InputError:
    return InputError(
        f"In der Datei {name} beginnt in Zeile {start} ein Feld mit einem "
        "Anführungszeichen, das nicht geschlossen wird; es reicht über "
        f"{lines} Zeilen. So würden viele Datensätze "
        "zu einem verschmelzen. Bitte das Anführungszeichen in dieser "
        "Zeile entfernen oder schließen und die Datei erneut einlesen."
    )


def _not_a_table(name: str, start: int, exc: csv.Error) -> InputError:
    reason = str(exc)
    if "field limit" in reason:
        reason = (
            f"ein Feld ist länger als {csv.field_size_limit():,} Zeichen; so "
            "lang ist keine Angabe zu einem Elternteil"
        ).replace(",", ".")
    return InputError(
        f"Die Datei {name} lässt sich ab Zeile {start} nicht als Tabelle lesen "
        f"({reason}). Ohne lesbare Zeilen entsteht keine Importdatei. Bitte die "
        "Zeile prüfen oder den Export wiederholen."
    )


def _csv_reader(lines: Iterable[str], delimiter: str | None) -> Iterator[list[str]]:
    return csv.reader(
        lines,
        delimiter=delimiter or "\x00",
        quotechar='"',
        doublequote=True,
        strict=False,
    )


def split_records_csv(text: str, *, name: str, delimiter: str | None) -> Records:
    """Split ``text`` into records with :mod:`csv` alone (the reference path).

    :func:`split_records` gives the same records faster.
    """
    reader = _csv_reader(io.StringIO(text, newline=""), delimiter)
    rows: list[list[str]] = []
    zeilen: list[int] = []
    start = 1
    try:
        for row in reader:
            if reader.line_num - start >= MAX_RECORD_LINES:
                raise _unclosed_quote(name, start, reader.line_num - start + 1)
            rows.append(row)
            zeilen.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _not_a_table(name, start, exc) from None
    fields = pl.Series("fields", rows, pl.List(pl.String))
    return Records(fields, zeilen, "", delimiter, [])


def _csv_records(
    contents: list[str],
    ends: list[str],
    starts: list[int],
    *,
    name: str,
    delimiter: str | None,
) -> tuple[dict[int, list[str]], list[int]]:
    """Read the records starting on the lines ``starts`` (0-based) with csv.

    Returns the records by their first line and the further lines they span.
    Consecutive records are read by one reader; a start inside an earlier
    record is skipped.
    """
    records: dict[int, list[str]] = {}
    inner: list[int] = []
    wanted = set(starts)
    done = 0  # the first line not read yet
    for first in starts:
        if first < done:
            continue
        lines = (contents[k] + ends[k] for k in range(first, len(contents)))
        reader = _csv_reader(lines, delimiter)
        start = first
        while start in wanted:
            try:
                row = next(reader)
            except csv.Error as exc:
                raise _not_a_table(name, start + 1, exc) from None
            end = first + reader.line_num
            if end - start > MAX_RECORD_LINES:
                raise _unclosed_quote(name, start + 1, end - start)
            records[start] = row
            inner.extend(range(start + 1, end))
            start = end
        done = start
    return records, inner


def split_records(
    text: str,
    *,
    name: str,
    delimiter: str | None,
    lines: tuple[list[str], list[str]] | None = None,
) -> Records:
    """Split ``text`` into records; ``delimiter`` None means one column.

    ``lines`` are the text's :func:`physical_lines`, when known. A line
    without a quote character is one record, split at the delimiter; records
    starting on a line with a quote (or longer than csv's field limit) are
    read with :mod:`csv`. The result equals :func:`split_records_csv`.

    >>> split_records('a;"b\\nc"\\n\\nd', name="x", delimiter=";").head()
    [['a', 'b\\nc'], [], ['d']]
    """
    contents, ends = lines or physical_lines(text)
    line = pl.Series("fields", contents, pl.String)
    hard = line.str.contains('"', literal=True) | (
        line.str.len_chars() > csv.field_size_limit()
    )
    found, inner = _csv_records(
        contents, ends, hard.arg_true().to_list(), name=name, delimiter=delimiter
    )
    blank = (line == "").arg_true().to_list()
    inside = set(inner)  # lines inside a quoted field start no record
    found.update((k, []) for k in blank if k not in found and k not in inside)
    if delimiter is None:
        fields = pl.select(pl.concat_list(line)).to_series()
    else:
        fields = line.str.split(delimiter)
    zeilen = list(range(1, len(contents) + 1))
    if inner:
        keep = [k not in inside for k in range(len(contents))]
        fields = fields.filter(pl.Series(keep, dtype=pl.Boolean))
        zeilen = [z for z, kept in zip(zeilen, keep, strict=True) if kept]
        found = {k - bisect_left(inner, k): row for k, row in found.items()}
    return Records(fields, zeilen, "", delimiter, [], patches=found, _lines=contents)
