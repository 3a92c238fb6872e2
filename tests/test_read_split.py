"""The fast record split (polars) agrees with the plain csv reader on any text."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from elternkit import read_csv, read_split
from elternkit.errors import InputError
from elternkit.read import read_export
from elternkit.read_csv import line_ending_note
from elternkit.read_split import (
    line_end_counts,
    physical_lines,
    split_records,
    split_records_csv,
)
from elternkit.read_table import table_from_records

# every character the csv reader or str.splitlines treats specially, and some
# that are blank to the reader (zero-width space, no-break space)
_ALPHABET = 'ab;,\t|" \r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u200b\u00a0ä='
_TEXTS = st.text(alphabet=_ALPHABET, max_size=120)
_DELIMITERS = st.sampled_from([";", ",", "\t", "|", None])


@contextlib.contextmanager
def _limits(*, field_limit: int, record_lines: int) -> Iterator[None]:
    """Lower csv's field limit and the record span, so short texts reach them."""
    before = csv.field_size_limit(field_limit)
    try:
        with mock.patch.object(read_split, "MAX_RECORD_LINES", record_lines):
            yield
    finally:
        csv.field_size_limit(before)


def _split_both(text: str, delimiter: str | None) -> tuple[object, object]:
    """Split with both paths: (fields, zeilen) or the German error message."""
    results = []
    for split in (split_records, split_records_csv):
        try:
            records = split(text, name="x.csv", delimiter=delimiter)
        except InputError as exc:
            results.append(str(exc))
        else:
            records.text = text
            results.append(records)
    return results[0], results[1]


@pytest.mark.parametrize(
    ("text", "lines", "ends"),
    [
        ("a;b\r\nc;d\r\n", ["a;b", "c;d"], ["\r\n", "\r\n"]),
        ("a\nb", ["a", "b"], ["\n", ""]),
        ("a\rb\r", ["a", "b"], ["\r", "\r"]),
        ("a\r\nb\nc\rd", ["a", "b", "c", "d"], ["\r\n", "\n", "\r", ""]),
        ("\n\n", ["", ""], ["\n", "\n"]),
        ("a\x0bb\x0cc\x1cd\x85e\u2028f", ["a\x0bb\x0cc\x1cd\x85e\u2028f"], [""]),
        ("a\n\r", ["a", ""], ["\n", "\r"]),
        ("", [], []),
    ],
    ids=[
        "crlf",
        "lf-no-final-end",
        "cr",
        "mixed",
        "blank-lines",
        "other-breaks-stay-in-line",
        "lf-then-cr-two-ends",
        "empty",
    ],
)
def test_physical_lines_split_like_csv(text, lines, ends):
    assert physical_lines(text) == (lines, ends)
    kept = [line + end for line, end in zip(lines, ends, strict=True)]
    assert kept == io.StringIO(text, newline="").readlines()  # what csv reads


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("a\r\nb\r\n", None),
        ("a\nb\n", None),
        ("a\rb", None),
        ("a\r\nb\nc", "CRLF, LF"),
        ("a\n\rb\r\n", "CRLF, LF, CR"),
    ],
    ids=["crlf", "lf", "cr", "crlf-lf", "all-three"],
)  # fmt: skip
def test_line_ending_note_names_the_mixed_kinds(text, note):
    expected = (
        note and f"Gemischte Zeilenenden ({note}) gefunden und einheitlich gelesen."
    )

    assert line_ending_note(line_end_counts(text)) == expected


@pytest.mark.parametrize(
    ("text", "delimiter", "rows", "zeilen"),
    [
        ("a;b\r\n\r\nc\r\n", ";", [["a", "b"], [], ["c"]], [1, 2, 3]),
        ('a;"x\r\ny";b\r\nc;d', ";", [["a", "x\r\ny", "b"], ["c", "d"]], [1, 3]),
        ('"a;b";"c""d"\n;\n', ";", [["a;b", 'c"d'], ["", ""]], [1, 2]),
        ('Mail\n\na@b\n"x"\n', None, [["Mail"], [], ["a@b"], ["x"]], [1, 2, 3, 4]),
        ('a"b;c\nd', ";", [['a"b', "c"], ["d"]], [1, 2]),
        ("a\u2028b;c\x0bd\n", ";", [["a\u2028b", "c\x0bd"]], [1]),
    ],
    ids=["blank-line", "quoted-line-break", "quoted-delimiter", "one-column",
         "quote-inside-field", "unicode-breaks-stay"],
)  # fmt: skip
def test_split_records_reads_like_csv(text, delimiter, rows, zeilen):
    records = split_records(text, name="x.csv", delimiter=delimiter)

    assert (records.head(), records.zeilen) == (rows, zeilen)


def test_unclosed_quote_names_its_line():
    text = "Vorname;Nachname\nAnna;B\n" + 'Ben;"offen\n' + "x;y\n" * 60

    with pytest.raises(InputError, match="beginnt in Zeile 3 ein Feld mit einem"):
        split_records(text, name="x.csv", delimiter=";")


@pytest.mark.parametrize(
    ("span", "fails"), [(3, False), (4, True)], ids=["at-limit", "over-limit"]
)
@pytest.mark.parametrize("split", [split_records, split_records_csv])
def test_record_span_limit_is_the_same_on_both_paths(split, span, fails):
    text = 'a;b\nc;"' + "x\n" * (span - 1) + 'y"\ne;f\n'

    with _limits(field_limit=131072, record_lines=3):
        if fails:
            with pytest.raises(InputError, match=f"Zeile 2 .* über {span} Zeilen"):
                split(text, name="x.csv", delimiter=";")
        else:
            assert split(text, name="x.csv", delimiter=";").zeilen == [1, 2, span + 2]


def test_overlong_field_names_its_line():
    text = "a;b\nc;" + "d" * 30 + "\ne;f\n"

    with (
        _limits(field_limit=20, record_lines=50),
        pytest.raises(InputError, match="ab Zeile 2 nicht als Tabelle lesen"),
    ):
        split_records(text, name="x.csv", delimiter=";")


@settings(max_examples=400, deadline=None)
@given(
    text=_TEXTS,
    delimiter=_DELIMITERS,
    field_limit=st.sampled_from([6, 131072]),
    record_lines=st.sampled_from([2, 50]),
)
@example(
    text='a;"b\n\nc";d\r\n\r\ne', delimiter=";", field_limit=131072, record_lines=50
)
@example(
    text="a;b\r\n\u200b;\n;;;x\n", delimiter=";", field_limit=131072, record_lines=50
)
@example(
    text='a;b\r\n"\r\n\r\n\r\nx;y\r\n',
    delimiter=";",
    field_limit=131072,
    record_lines=50,
)
def test_fast_split_equals_csv_reader(text, delimiter, field_limit, record_lines):
    with _limits(field_limit=field_limit, record_lines=record_lines):
        fast, plain = _split_both(text, delimiter)

    if isinstance(plain, str) or isinstance(fast, str):
        assert fast == plain
        return
    assert fast.head() == plain.head()
    assert all(0 <= k < len(fast.zeilen) for k in fast.patches)
    assert fast.zeilen == plain.zeilen
    for index in range(min(len(plain.zeilen), 3)):  # a header on each of them
        tables = [table_from_records(r, index, name="x.csv") for r in (fast, plain)]
        assert tables[0].frame.equals(tables[1].frame)
        assert tables[0].notes == tables[1].notes
        assert tables[0].findings.equals(tables[1].findings)


_CELLS = st.text(alphabet='ab ;"\n\u200bä', max_size=6)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(_CELLS, min_size=1, max_size=5), max_size=8),
    end=st.sampled_from(["\r\n", "\n", "\r"]),
)
def test_read_export_equals_csv_reader_path(rows, end):
    lines = ["Vorname;Nachname;Kind-ID"] + [";".join(row) for row in rows]
    data = end.join(lines).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "eltern.csv"
        path.write_bytes(data)
        results = []
        for split in (split_records, _reference_split):
            with mock.patch.object(read_csv, "split_records", split):
                try:
                    export = read_export(path)
                except InputError as exc:
                    results.append(str(exc))
                else:
                    results.append((export.frame, export.info, export.findings))

    fast, plain = results
    if isinstance(plain, str) or isinstance(fast, str):
        assert fast == plain
        return
    assert fast[0].equals(plain[0])
    assert fast[1] == plain[1]
    assert fast[2].equals(plain[2])


def _reference_split(text, *, name, delimiter, lines=None):
    return split_records_csv(text, name=name, delimiter=delimiter)
