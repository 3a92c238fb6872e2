"""The report ``protokoll.md``: what was read, the counts, findings, next steps.

Written in German prose for the school admin and the data-protection officer.
It never contains names or contact data of parents; only counts, file names,
column names and finding codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import polars as pl

from elternkit.findings import all_codes
from elternkit.mapping import describe_mapping
from elternkit.pipeline import JobResult

_FORMAT_NAMES = {
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
    "xls": "Excel (XLS)",
    "ods": "OpenDocument (ODS)",
}
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 mit BOM",
    "cp1252": "Windows-1252",
    "iso8859_15": "ISO 8859-15",
}
_DELIMITER_NAMES = {
    ";": "Semikolon (;)",
    ",": "Komma (,)",
    "\t": "Tabulator",
    "|": "senkrechter Strich (|)",
}
_LAYOUT_NAMES = {
    "lang": "eine Zeile je Elternteil und Kind",
    "breit": "mehrere Elternblöcke nebeneinander in einer Schülerzeile",
    "schueler": "Schülerdatei (ergänzt Namen und Klassen der Kinder)",
}


def count_by_severity(findings: pl.DataFrame) -> dict[str, int]:
    """Return how many findings there are of each severity.

    A severity with no finding is missing; ask with ``.get(s, 0)``.

    >>> f = pl.DataFrame({"schwere": ["fehler", "hinweis", "hinweis"]})
    >>> sorted(count_by_severity(f).items())
    [('fehler', 1), ('hinweis', 2)]
    """
    return dict(findings.group_by("schwere").len().iter_rows())


def count(number: int, singular: str, plural: str) -> str:
    """Return ``number`` with the German noun in the right number.

    >>> count(1, "Datei", "Dateien"), count(0, "Datei", "Dateien")
    ('1 Datei', '0 Dateien')
    """
    return f"{number} {singular if number == 1 else plural}"


def summary_lines(result: JobResult) -> list[str]:
    """Return the German summary of one run: counts, then findings by severity.

    Shown on the console after a run and for each school of a batch.
    """
    c = result.counts
    by_sev = count_by_severity(result.findings)
    lines = [
        f"{count(c.gelesen, 'Elternzeile', 'Elternzeilen')} gelesen, "
        f"{c.exportiert} exportiert "
        f"({count(c.konten, 'Elternkonto', 'Elternkonten')}), "
        f"{c.zurueckgehalten} zurückgehalten, {c.zusammengefasst} zusammengefasst, "
        f"{c.geteilt} durch Aufteilen hinzugekommen.",
        f"Befunde: {by_sev.get('fehler', 0)} Fehler, "
        f"{count(by_sev.get('warnung', 0), 'Warnung', 'Warnungen')}, "
        f"{count(by_sev.get('hinweis', 0), 'Hinweis', 'Hinweise')}.",
    ]
    if not c.adds_up():
        lines.append("Achtung: Die Zahlen gehen nicht auf. Bitte als Fehler melden.")
    return lines


def render_report(
    result: JobResult,
    *,
    school: str | None = None,
    preview_markdown: str = "",
    extra_sections: Sequence[str] = (),
    now: datetime | None = None,
) -> str:
    """Return the German Markdown report of a run."""
    now = now or datetime.now()
    c = result.counts
    lines = [
        f"# Protokoll elternkit{f' – {school}' if school else ''}",
        "",
        f"Erstellt am {now:%d.%m.%Y um %H:%M} Uhr.",
        "",
        "## Gelesene Dateien",
        "",
    ]
    for s in result.sources:
        info = s.export.info
        lines.append(f"### {s.name}")
        lines.append("")
        lines.append(f"- Format: {_FORMAT_NAMES.get(info.format, info.format)}")
        if info.encoding:
            encoding = _ENCODING_NAMES.get(info.encoding, info.encoding)
            lines.append(f"- Zeichenkodierung: {encoding}")
        if info.format == "csv":
            lines.append(
                "- Trennzeichen: "
                + _DELIMITER_NAMES.get(info.delimiter or "", "keines (nur eine Spalte)")
            )
        if info.sheet:
            lines.append(f"- Tabellenblatt: {info.sheet}")
        lines.append(f"- Kopfzeile in Zeile {info.header_row}")
        lines.append(f"- Datenzeilen: {s.export.frame.height}")
        lines.append(
            f"- Aufbau: {_LAYOUT_NAMES.get(s.mapping.layout, s.mapping.layout)}"
        )
        shown = ("Zeichenkodierung:", "Trennzeichen:", "Kopfzeile:")
        notes = [n for n in info.notes if not n.startswith(shown)]
        lines.extend(f"- {note}" for note in [*notes, *s.mapping.notes])
        lines.append("")
        lines.append("Spaltenzuordnung:")
        lines.append("")
        lines.extend(f"- {line}" for line in describe_mapping(s.mapping))
        lines.append("")
    lines += [
        "## Zahlen",
        "",
        "| Angabe | Anzahl |",
        "|---|---:|",
        f"| Elternzeilen gelesen (je Elternteil und Kind) | {c.gelesen} |",
        f"| zusätzliche Zeilen durch Aufteilen (zwei Personen in einer Zelle) | "
        f"{c.geteilt} |",
        f"| zusammengefasst (genaue Wiederholungen) | {c.zusammengefasst} |",
        f"| zurückgehalten (siehe probleme.csv, Schwere „fehler“) | "
        f"{c.zurueckgehalten} |",
        f"| **exportiert nach eltern_import.csv** | **{c.exportiert}** |",
        f"| Elternkonten, die IServ anlegen wird | {c.konten} |",
        f"| Kinder mit mindestens einem Elternteil | {c.kinder} |",
        "",
        (
            f"Die Rechnung geht auf: {c.gelesen} gelesen + {c.geteilt} geteilt = "
            f"{c.exportiert} exportiert + {c.zurueckgehalten} zurückgehalten + "
            f"{c.zusammengefasst} zusammengefasst."
            if c.adds_up()
            else "**Achtung: Die Zahlen gehen nicht auf. Bitte melden Sie das als "
            "Fehler von elternkit.**"
        ),
        "",
    ]
    lines += _findings_section(result.findings)
    if preview_markdown:
        lines += [preview_markdown.rstrip(), ""]
    lines += list(extra_sections)
    lines += _next_steps()
    return "\n".join(lines).rstrip() + "\n"


def _findings_section(findings: pl.DataFrame) -> list[str]:
    lines = ["## Befunde nach Art", ""]
    if findings.is_empty():
        return [*lines, "Keine Befunde.", ""]
    counts = dict(findings.group_by("code").len().iter_rows())
    lines += ["| Code | Schwere | Bedeutung | Anzahl |", "|---|---|---|---:|"]
    for code in all_codes():
        if code.code in counts:
            lines.append(
                f"| `{code.code}` | {code.severity} | {code.title} | "
                f"{counts[code.code]} |"
            )
    lines += [
        "",
        "„fehler“: Die Zeile wurde nicht exportiert. „warnung“: exportiert, aber ein "
        "Wert fehlt oder sollte geprüft werden. „hinweis“: zur Information. Jede "
        "Zeile steht mit Zeilennummer und Erklärung in probleme.csv und in der "
        "Prüfdatei eltern_pruefung.xlsx.",
        "",
    ]
    return lines


def _next_steps() -> list[str]:
    return [
        "## Nächste Schritte in IServ",
        "",
        "1. Prüfen Sie die Befunde in `eltern_pruefung.xlsx` (Blatt „Probleme“). "
        "Korrigieren Sie Fehler möglichst im Schulverwaltungsprogramm und lassen "
        "Sie elternkit erneut laufen.",
        "2. Legen Sie in IServ ein Importprofil für Eltern an (Verwaltung → "
        "Benutzer → Import → Importprofile). Unter „Quelldatei“: Zeichenkodierung "
        "UTF-8, Trennzeichen Semikolon, erste Zeile ist Kopfzeile.",
        "3. Ordnen Sie im Profil die Spalten zu: Vorname → Vorname, Nachname → "
        "Nachname, Adresse, E-Mail und Telefonnummer als Hilfsmerkmale, Kind-ID → "
        "Import-ID des Kindes. Die Namen der übrigen Reiter und Felder können je "
        "nach IServ-Version abweichen – bitte in Ihrem IServ nachsehen.",
        "4. Laden Sie `eltern_import.csv` mit diesem Profil hoch und prüfen Sie die "
        "Vorschau der Änderungen genau, bevor Sie übernehmen. Ein Folgeimport ist "
        "ein Abgleich: Laden Sie immer die vollständige aktuelle Liste hoch.",
        "5. Drucken Sie die Registrierungsbriefe; die Eltern registrieren sich mit "
        "ihrer eigenen E-Mail-Adresse.",
        "",
        "Nicht geprüft (bitte selbst in Ihrem IServ nachsehen): ob eine "
        "Byte-Reihenfolge-Markierung (BOM) angenommen wird, wie streng IServ "
        "Personen vergleicht, und ob es eine Größenbeschränkung für die Datei gibt.",
        "",
        "Datenschutz: Die Dateien enthalten personenbezogene Daten. Bewahren Sie sie "
        "nur so lange auf wie nötig und löschen Sie den Ausgabeordner nach dem "
        "Import.",
    ]
