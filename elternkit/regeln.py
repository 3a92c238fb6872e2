"""German explanations of the rule names in ``aenderungen.csv`` (column ``regel``).

A person reading ``aenderungen.csv`` or the workbook sees *why* a cell changed:
:func:`explain_rule` turns a rule name (or several joined with ``+``) into a
German sentence. :func:`describe_rules` documents every rule for the README and
``docs/regeln.md``.
"""

from __future__ import annotations

import re

#: Rule name → German explanation.
RULE_TEXTS: dict[str, str] = {
    "leerzeichen": "Leerzeichen am Anfang oder Ende entfernt, doppelte "
    "Leerzeichen zusammengefasst.",
    "unsichtbare_zeichen": "Unsichtbare Zeichen (geschütztes Leerzeichen, "
    "Nullbreite-Zeichen, Tabulator, Zeilenumbruch) entfernt oder durch ein "
    "Leerzeichen ersetzt.",
    "unicode_nfc": "Zeichen in die übliche Unicode-Form gebracht (z. B. ein "
    "„ü“ aus zwei Zeichen in ein Zeichen), sieht gleich aus, vergleicht aber "
    "richtig.",
    "doppelt_kodiert": "Doppelt kodierte Umlaute repariert (z. B. „JÃ¼rgen“ → "
    "„Jürgen“); nur wenn die Rückumwandlung genau aufgeht.",
    "platzhalter_entfernt": "Platzhalter oder Excel-Fehlerwert statt eines "
    "Werts (z. B. „#NV“, „nan“, „NULL“, „N/A“, „-“) entfernt; das Feld ist "
    "jetzt leer.",
    "gross_klein": "Groß- und Kleinschreibung des Namens angepasst (NUR "
    "GROSSBUCHSTABEN oder nur kleinbuchstaben → Name; von, van, de bleiben "
    "klein).",
    "titel_entfernt": "Akademischen Titel vor dem Namen entfernt (z. B. „Dr. "
    "Thomas“ → „Thomas“); IServ hat kein Feld dafür, und mit und ohne Titel "
    "würde ein Elternteil sonst zu zwei Konten.",
    "namenszusatz_verbunden": "Namenszusatz (von, van, de …) aus eigener Spalte "
    "vor den Nachnamen gesetzt.",
    "zwei_personen_geteilt": "Zwei Personen in einem Namensfeld (und, &, u., +, "
    "/, Komma) auf zwei Zeilen aufgeteilt; bitte prüfen.",
    "name_aufgeteilt": "Ganzer Name aus einer Spalte in Vor- und Nachname aufgeteilt.",
    "namen_getauscht": "Vor- und Nachname getauscht (nur mit der Option "
    "„Namen tauschen“).",
    "strasse_hausnummer_getrennt": "Straße und Hausnummer getrennt, damit die "
    "Adresse einheitlich zusammengesetzt wird.",
    "strasse_abkuerzung": "Schreibweise von Straße/Str. vereinheitlicht.",
    "strasse_format": "Schreibweise der Straße vereinheitlicht (Leerzeichen, Punkt).",
    "hausnummer_format": "Hausnummer vereinheitlicht (ohne Leerzeichen, Zusatz "
    "klein: „12 B“ → „12b“).",
    "ort_format": "Ortsname vereinheitlicht.",
    "ort_plz_getrennt": "PLZ aus dem Ortsfeld in die PLZ übernommen.",
    "plz_format": "PLZ auf ihre Ziffern gebracht (z. B. „D-01067“ → „01067“).",
    "plz_fuehrende_null": "Führende Null der PLZ ergänzt, die eine "
    "Tabellenkalkulation entfernt hatte (1067 → 01067).",
    "adresse_format": "Adresse in die Form „Straße Nr., PLZ Ort“ gebracht.",
    "adresse_zusammengesetzt": "Adresse aus Straße, Hausnummer, PLZ und Ort "
    "zusammengesetzt.",
    "email_kleinschreibung": "E-Mail-Adresse kleingeschrieben (Groß-/"
    "Kleinschreibung spielt bei Adressen keine Rolle, beim Vergleich schon).",
    "email_format": "E-Mail-Adresse von Beiwerk befreit (z. B. „mailto:“, "
    "spitze Klammern).",
    "email_mehrere": "Von mehreren E-Mail-Adressen in einer Zelle nur die erste "
    "gültige übernommen; die übrigen stehen in probleme.csv.",
    "email_bemerkung": "Bemerkung neben der E-Mail-Adresse entfernt.",
    "email_ungueltig": "Ungültige E-Mail-Adresse nicht übernommen (siehe "
    "probleme.csv).",
    "email_geteilt_entfernt": "E-Mail-Adresse entfernt, weil sie mehreren "
    "Personen gehört (Option „geteilte E-Mail“).",
    "telefon_format": "Telefonnummer in eine einheitliche internationale Form "
    "gebracht (+49…), damit gleiche Nummern gleich aussehen.",
    "telefon_fuehrende_null": "Führende Null der Telefonnummer ergänzt, die eine "
    "Tabellenkalkulation entfernt hatte.",
    "telefon_plus_ergaenzt": "Fehlendes „+“ vor der Ländervorwahl ergänzt.",
    "telefon_ungueltig": "Ungültige Telefonnummer nicht übernommen (siehe "
    "probleme.csv).",
    "telefon_ziffern_verloren": "Telefonnummer, deren Ziffern Excel zerstört "
    "hat (z. B. 4,91511E+12), nicht übernommen.",
    "telefon_mehrere": "Von mehreren Telefonnummern in einer Zelle nur die erste "
    "übernommen.",
    "telefon_mehrdeutig": "Mehrdeutige Telefonnummer nicht übernommen (siehe "
    "probleme.csv).",
    "telefon_bemerkung": "Bemerkung neben der Telefonnummer entfernt.",
    "kind_id_nachkomma_entfernt": "„.0“ an einer Kind-ID entfernt, die ein "
    "Tabellenprogramm als Zahl gespeichert hatte (20221048.0 → 20221048).",
    "vereinheitlicht": "An die übrigen Zeilen derselben Person angeglichen, "
    "damit IServ nur ein Konto anlegt (Regel: häufigster Wert, siehe "
    "probleme.csv „abweichende_angaben“).",
    "rezept": "Wert aus einer Entscheidung im Rezept der Schule gesetzt.",
    "bereinigung": "Wert bereinigt.",
}


def explain_rule(rule: str | None) -> str:
    """Return the German explanation of a rule name (``a+b`` explains both).

    >>> explain_rule("leerzeichen+gross_klein")[:40]
    'Leerzeichen am Anfang oder Ende entfernt'
    >>> explain_rule("unbekannt")
    'Regel „unbekannt“.'
    """
    if not rule:
        return ""
    parts = [RULE_TEXTS.get(part, f"Regel „{part}“.") for part in split_rules(rule)]
    return " ".join(parts)


def split_rules(rule: str) -> list[str]:
    """Split a combined rule (``a+b`` or ``a, b``) into its names.

    >>> split_rules("unsichtbare_zeichen+leerzeichen")
    ['unsichtbare_zeichen', 'leerzeichen']
    """
    return [part for part in re.split(r"\s*[+,]\s*", rule) if part]


def render_rules_markdown() -> str:
    """Return ``docs/regeln.md``: every rule name of ``aenderungen.csv``."""
    return (
        "# Regeln in aenderungen.csv\n\n"
        "Jede geänderte Zelle steht in `aenderungen.csv` mit der Regel, die sie "
        "geändert hat (mehrere Regeln mit `+` verbunden). Diese Seite wird aus "
        "`elternkit/regeln.py` erzeugt: `uv run python -m elternkit.regeln`.\n\n"
        + describe_rules()
        + "\n"
    )


def describe_rules() -> str:
    """Return a German Markdown table of every rule name and its meaning."""
    lines = ["| Regel | Bedeutung |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in sorted(RULE_TEXTS.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parent.parent / "docs" / "regeln.md"
    target.write_text(render_rules_markdown(), encoding="utf-8")
