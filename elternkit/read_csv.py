"""Decode a text export and split it into records (helpers of :mod:`read`).

Encoding rule (deterministic, first match wins):

1. A byte-order mark decides: UTF-8 BOM → ``utf-8-sig``, UTF-16 BOM → ``utf-16``
   (Excel's "Unicode-Text" export).
2. Bytes that are valid UTF-8 → ``utf-8``.
3. Otherwise a single-byte encoding. Windows-1252 (``cp1252``) is the default,
   since Excel and the administration programs on Windows write it.
   ISO 8859-15 (``iso8859_15``) is chosen only when it is clearly better: no
   byte in 0x80–0x9F occurs (those are printable in Windows-1252 but control
   characters in ISO 8859-15), and the bytes 0xA4, 0xA6, 0xA8, 0xB4, 0xB8,
   0xBC, 0xBD, 0xBE (``€ Š š Ž ž Œ œ Ÿ`` in ISO 8859-15, rare symbols such as
   ``¤ ¦ ´ ½`` in Windows-1252) more often sit inside a word (a letter on both
   sides, or a letter after it at the start of a word) than not. ``´`` used as
   an apostrophe after a single capital (``D´Angelo``) and ``½`` after a digit
   count for Windows-1252.

The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D)
are decoded as the control characters of the same number, never as ``�``.

Records are split as :mod:`csv` splits them (see :mod:`read_split`). A first
line ``sep=;`` (written by Excel) sets the delimiter and is skipped like a
title line.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from elternkit.errors import InputError, OptionError
from elternkit.read_split import (
    LINE_BREAK,
    Records,
    line_end_counts,
    physical_lines,
    split_records,
)

logger = logging.getLogger(__name__)

#: Delimiters considered, in order of preference on a tie.
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "Semikolon (;)", ",": "Komma (,)", "\t": "Tabulator", "|": "|"}

#: Longest physical line accepted, in characters (a guard against files that
#: are not line-oriented, such as one 50 MB line).
MAX_LINE_CHARS = 1_000_000

ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 mit BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "iso8859_15": "ISO 8859-15",
}

_ISO_ONLY = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")
#: 1 for the bytes 0x80-0x9F, 2 for the ISO 8859-15 candidates, else 0
_BYTE_CLASS = bytes(
    1 if 0x80 <= b <= 0x9F else 2 if b in _ISO_ONLY else 0 for b in range(256)
)
_ISO_CANDIDATES = re.compile(rb"[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]")
_SEP_HINT = re.compile(r'"?sep=([^\r\n"])"?(?:\r\n|\r|\n)')
_UNDEFINED_CP1252 = {0xDC00 + b: chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _is_letter(byte: int) -> bool:
    return chr(byte).isalpha() or byte >= 0xC0 or byte in _ISO_ONLY - {0xA4}


def _prefers_iso8859_15(data: bytes) -> bool:
    """Apply the ISO 8859-15 rule of the module docstring to undecodable bytes."""
    classes = data.translate(_BYTE_CLASS)
    if b"\x01" in classes or b"\x02" not in classes:
        return False  # a byte 0x80-0x9F, or no candidate at all
    iso = cp = 0
    for match in _ISO_CANDIDATES.finditer(data):
        pos, byte = match.start(), data[match.start()]
        before = data[pos - 1] if pos > 0 else 0x20
        after = data[pos + 1] if pos + 1 < len(data) else 0x20
        second = data[pos - 2] if pos > 1 else 0x20
        if byte == 0xB4 and chr(before).isupper() and not _is_letter(second):
            cp += 1  # D´Angelo: an apostrophe typed as an acute accent
        elif byte in b"\xbc\xbd\xbe" and chr(before).isdigit():
            cp += 1  # 12½
        elif byte == 0xA4 or _is_letter(after):
            iso += 1  # € (¤ is never meant), or a letter inside or starting a word
        else:
            cp += 1
    return iso > cp


def _cp1252_lenient(data: bytes) -> str:
    text = data.decode("cp1252", errors="surrogateescape")
    if any(chr(code) in text for code in _UNDEFINED_CP1252):  # rare: skip the
        return text.translate(_UNDEFINED_CP1252)  # slow per-character pass
    return text


def normalize_encoding(encoding: str) -> str:
    """Return the canonical name of a forced encoding, or raise ``OptionError``.

    >>> normalize_encoding("ISO-8859-15"), normalize_encoding("Windows-1252")
    ('iso8859_15', 'cp1252')
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        msg = (
            f"Die Zeichenkodierung {encoding!r} ist unbekannt. Ohne passende Kodierung "
            "werden Umlaute falsch gelesen. Bitte eine der Kodierungen utf-8, "
            "utf-8-sig, cp1252 (Windows-1252) oder iso8859_15 angeben."
        )
        raise OptionError(msg) from None
    return name.replace("-", "_") if name.startswith("iso8859") else name


def decode_bytes(
    data: bytes, *, name: str, encoding: str | None
) -> tuple[str, str, str]:
    """Decode ``data``; return the text, the encoding used and a German note."""
    if encoding is not None:
        used = normalize_encoding(encoding)
        try:
            text = data.decode(used)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            msg = (
                f"Die Datei {name} lässt sich nicht als {used} lesen: Byte "
                f"0x{data[exc.start]:02X} in Zeile {line} gehört nicht zu dieser "
                "Kodierung. Mit der falschen Kodierung würden Namen verfälscht "
                "importiert. Bitte die Kodierung weglassen (automatische Erkennung) "
                "oder die richtige angeben."
            )
            raise InputError(msg) from None
        if text.startswith("\ufeff"):
            text = text[1:]
        return (
            text,
            used,
            f"Zeichenkodierung: {ENCODING_NAMES.get(used, used)} (vorgegeben).",
        )
    bom_note = ""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return (
                data[3:].decode("utf-8"),
                "utf-8-sig",
                "Zeichenkodierung: UTF-8 mit BOM erkannt.",
            )
        except UnicodeDecodeError:
            # a BOM put before Windows text by some tool: read the text itself
            data = data[3:]
            bom_note = (
                " Die Datei beginnt mit einer UTF-8-Kennung (BOM), ist aber kein UTF-8."
            )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
        return (
            text,
            "utf-16",
            "Zeichenkodierung: UTF-16 erkannt (Excel „Unicode-Text“).",
        )
    try:
        return data.decode("utf-8"), "utf-8", "Zeichenkodierung: UTF-8 erkannt."
    except UnicodeDecodeError:
        pass
    if _prefers_iso8859_15(data):
        note = (
            "Zeichenkodierung: ISO 8859-15 erkannt (kein gültiges UTF-8; Bytes für "
            "€, Š, Ž, Œ innerhalb von Wörtern)."
        )
        return data.decode("iso8859_15"), "iso8859_15", note + bom_note
    note = "Zeichenkodierung: Windows-1252 erkannt (kein gültiges UTF-8)."
    return _cp1252_lenient(data), "cp1252", note + bom_note


def looks_binary(text: str) -> bool:
    """Tell whether decoded text is rather binary data: NUL or many controls.

    >>> looks_binary("Vorname;Nachname"), looks_binary(bytes(range(1, 20)).decode())
    (False, True)
    >>> looks_binary("Vorname;Nachname;" + chr(7) + "Anna")
    False
    """
    head = text[:65536]
    controls = sum(ch < " " and ch not in "\t\n\r\x0c\x1a" for ch in head)
    # a stray control character in a small, otherwise normal export is damage
    # inside a cell, not a binary file: demand a few of them as well as a share
    return "\x00" in text or (controls > 8 and controls * 100 > len(head))


def check_text(text: str, *, name: str, lines: list[str] | None = None) -> None:
    """Raise ``InputError`` for text that is not a table export.

    ``lines`` are the text's lines without their line ends, when known.
    """
    if looks_binary(text):
        msg = (
            f"Die Datei {name} ist keine Textdatei (sie enthält Steuerzeichen), obwohl "
            "sie wie eine CSV-Datei heißt. So kann sie nicht für den IServ-Import "
            "gelesen werden. Bitte die Datei im Schulverwaltungsprogramm erneut als "
            "CSV exportieren oder die Excel-Datei mit ihrer richtigen Endung angeben."
        )
        raise InputError(msg)
    if not text or text.isspace():
        msg = (
            f"Die Datei {name} enthält keine Daten (nur Leerzeichen oder "
            "Leerzeilen). Ohne Daten entsteht keine Importdatei. Bitte den Export im "
            "Schulverwaltungsprogramm wiederholen und die richtige Datei angeben."
        )
        raise InputError(msg)
    if len(text) <= MAX_LINE_CHARS:
        return  # no line can be too long
    longest = max(map(len, LINE_BREAK.split(text) if lines is None else lines))
    if longest > MAX_LINE_CHARS:
        msg = (
            f"Die Datei {name} enthält eine Zeile mit {longest:,} Zeichen "
            f"(erlaubt sind höchstens {MAX_LINE_CHARS:,}). Das ist keine Tabelle "
            "mit einer Zeile je Person; vermutlich ist es die falsche Datei oder die "
            "Zeilenumbrüche fehlen. Bitte den Export als CSV mit einer Zeile je "
            "Datensatz wiederholen."
        ).replace(",", ".")
        raise InputError(msg)


def line_ending_note(counts: Mapping[str, int]) -> str | None:
    """Return a note when the text mixes CRLF, LF and CR line endings.

    ``counts`` are the text's :func:`line_end_counts`.
    """
    kinds = [kind for kind, count in counts.items() if count]
    if len(kinds) < 2:
        return None
    names = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}
    found = ", ".join(names[k] for k in ("\r\n", "\n", "\r") if k in kinds)
    return f"Gemischte Zeilenenden ({found}) gefunden und einheitlich gelesen."


def text_like(value: str) -> bool:
    """Tell whether a cell reads like a column name: letters, not mostly digits.

    >>> text_like("Kind-ID"), text_like("Telefon 2"), text_like("01.08.2024")
    (True, True, False)
    >>> text_like("anna@example.org"), text_like(";")
    (False, False)
    """
    letters = sum(ch.isalpha() for ch in value)
    digits = sum(ch.isdigit() for ch in value)
    return letters > 0 and letters >= digits and "@" not in value


@dataclass
class _Split:
    counts: list[int]  # field counts of the non-blank records
    split: list[bool]  # whether the delimiter occurs in the record
    quoted: int  # fields still holding a quote character
    headerish: bool  # the first split record has text-like cells, no quotes


def _field_counts(sample: str, delimiter: str) -> _Split:
    result = _Split([], [], 0, False)
    for row in _sample_rows(sample, delimiter):
        split_here = len(row) > 1
        if split_here and not any(result.split):
            cells = [v.strip() for v in row if v.strip()]
            result.headerish = len(cells) > 1 and all(
                text_like(c) and '"' not in c for c in cells
            )  # a column name never holds a quote: a wrongly split value does
        if any(v.strip() for v in row):
            result.counts.append(len(row))
            result.split.append(split_here)
            result.quoted += sum('"' in value for value in row)
    return result


def _sample_rows(sample: str, delimiter: str) -> Iterator[list[str]]:
    """The sample's records split at ``delimiter``; stops at an overlong field.

    A field beyond the csv module's size limit (a line of 300,000 characters
    that this delimiter does not split) ends the sample for this delimiter.
    """
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        return


def normalize_delimiter(delimiter: str) -> str:
    """Return a forced delimiter as one character, or raise ``OptionError``.

    >>> normalize_delimiter("tab"), normalize_delimiter(";")
    ('\\t', ';')
    """
    value = {"tab": "\t", "\\t": "\t", "tabulator": "\t"}.get(
        delimiter.lower(), delimiter
    )
    if len(value) != 1 or value.isalnum() or value in "\"'\r\n ":
        msg = (
            f"Das Trennzeichen {delimiter!r} kann nicht verwendet werden: es muss ein "
            "einzelnes Satzzeichen sein. Bitte eines von ';', ',', 'tab' oder '|' "
            "angeben."
        )
        raise OptionError(msg)
    return value


def detect_delimiter(sample: str) -> str | None:
    """Pick the delimiter whose field counts agree best over the sample lines.

    Each candidate splits the sample (quotes respected, blank lines and lines
    of empty fields skipped). It qualifies when at least half of the
    lines from the first line it splits on are split by it (title lines above
    the header do not count against it, a few values with a comma in a
    one-column file do not make a delimiter). Among those wins, in order:
    the one whose first split line looks like a header (text cells only);
    the number of lines sharing the most common field count (of at least 2),
    less the number of fields that still hold a quote character (the sign of
    a wrong delimiter splitting a quoted field); the higher count; the earlier
    in ``; , tab |``. None qualifies: a single column (None).

    >>> detect_delimiter("Vorname;Nachname\\nAnna;Beispiel, Dr.\\n")
    ';'
    >>> detect_delimiter("E-Mail\\nanna@example.org\\n") is None
    True
    """
    best: tuple[bool, int, int] | None = None
    chosen = None
    for delimiter in DELIMITERS:
        found = _field_counts(sample, delimiter)
        wide = Counter(c for c in found.counts if c >= 2)
        if not wide:
            continue
        mode, hits = max(wide.items(), key=lambda item: (item[1], item[0]))
        first = found.split.index(True)
        qualifies = 2 * sum(found.split) >= len(found.split) - first
        score = (found.headerish, hits - found.quoted, mode)
        if qualifies and (best is None or score > best):
            best, chosen = score, delimiter
    return chosen


def read_records(
    data: bytes, *, name: str, encoding: str | None, delimiter: str | None
) -> Records:
    """Decode ``data`` and split it into records, detecting what is not given."""
    text, used, note = decode_bytes(data, name=name, encoding=encoding)
    text = text.rstrip("\x1a")  # DOS end-of-file mark of old exports
    counts = line_end_counts(text)
    lines = physical_lines(text, counts)
    check_text(text, name=name, lines=lines[0])
    notes = [note]
    mixed = line_ending_note(counts)
    if mixed:
        notes.append(mixed)

    hint = _SEP_HINT.match(text)
    if delimiter is None and hint is not None:
        chosen: str | None = normalize_delimiter(hint.group(1))
        notes.append(
            f"Trennzeichen: {DELIMITER_NAMES.get(chosen, chosen)} "
            "(laut Zeile 1 „sep=“)."
        )
    elif delimiter is not None:
        chosen = normalize_delimiter(delimiter)
        notes.append(
            f"Trennzeichen: {DELIMITER_NAMES.get(chosen, chosen)} (vorgegeben)."
        )
    else:
        sample = "\n".join(LINE_BREAK.split(text, maxsplit=200)[:200])
        chosen = detect_delimiter(sample)
        if chosen is None:
            notes.append(
                "Kein Trennzeichen gefunden: die Datei hat eine einzige Spalte."
            )
        else:
            notes.append(f"Trennzeichen: {DELIMITER_NAMES[chosen]} erkannt.")
    logger.debug("csv: encoding=%s delimiter=%r", used, chosen)

    records = split_records(text, name=name, delimiter=chosen, lines=lines)
    records.encoding = used
    records.notes = notes
    records.text = text
    return records
