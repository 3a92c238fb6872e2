"""Command-line parts of the Rezept: ``run --rezept/--vorjahr``, ``vergleich``,
``aufraeumen``; :mod:`elternkit.cli` wires them in.

The Rezept's options are the defaults of a run; an option given on the
command line wins (:func:`merged_options`).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from elternkit.compare import compare_files
from elternkit.options import Options
from elternkit.replay import ReplayLog
from elternkit.school import delete_working_data, school_folder
from elternkit.write import write_csv

#: Command-line destination → attribute of :class:`Options`.
OPTION_ARGS = {
    "namen_tauschen": "apply_swaps",
    "telefon_format": "phone_format",
    "geteilte_email": "shared_email",
    "sperre_zurueckhalten": "hold_auskunftssperre",
}


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def add_run_options(run: argparse.ArgumentParser) -> None:
    """Add ``--rezept`` and ``--vorjahr`` to the ``run`` command."""
    run.add_argument(
        "--rezept",
        metavar="REZEPT",
        help="rezept.toml der Schule anwenden (Zuordnung, Optionen, "
        "Entscheidungen); Angaben auf der Befehlszeile haben Vorrang",
    )
    run.add_argument(
        "--vorjahr",
        metavar="ALT.csv",
        help="eltern_import.csv des Vorjahres: neue, weggefallene und geänderte "
        "Eltern zeigen (Protokoll und vergleich.csv)",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``vergleich`` and ``aufraeumen`` commands."""
    cmp = sub.add_parser(
        "vergleich",
        help="zwei eltern_import.csv vergleichen (Vorjahr und neu)",
        add_help=False,
    )
    cmp.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    cmp.add_argument("alt", metavar="ALT.csv", help="Importdatei des Vorjahres")
    cmp.add_argument("neu", metavar="NEU.csv", help="neue Importdatei")
    cmp.add_argument(
        "--csv", metavar="DATEI", help="die einzelnen Zeilen in diese Datei schreiben"
    )
    clean = sub.add_parser(
        "aufraeumen",
        help="Arbeitsdaten einer Schule (daten/, ausgabe/) nach dem Upload "
        "löschen; das Rezept bleibt",
        add_help=False,
    )
    clean.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    clean.add_argument("ordner", metavar="ORDNER", help="z. B. schulen/gs-am-see")
    clean.add_argument("--ja", action="store_true", help="ohne Rückfrage löschen")


def merged_options(args: argparse.Namespace, base: Options) -> Options:
    """``base`` (the Rezept's options) with every option given on the line."""
    given = {
        attr: getattr(args, dest)
        for dest, attr in OPTION_ARGS.items()
        if getattr(args, dest, None) is not None
    }
    return dataclasses.replace(base, **given)


def say_replay(log: ReplayLog | None) -> None:
    """One line on the replay for the terminal."""
    if log is None:
        return
    _say(
        f"Rezept: {log.count('angewendet')} Entscheidungen angewendet, "
        f"{log.count('erledigt')} nicht mehr nötig, {log.count('konflikt')} nicht "
        "anwendbar (Einzelheiten in protokoll.md)."
    )


def cmd_vergleich(args: argparse.Namespace) -> int:
    """``elternkit vergleich ALT.csv NEU.csv``."""
    comparison = compare_files(args.alt, args.neu)
    for line in comparison.summary():
        _say(line)
    for warning in comparison.warnings():
        _say(f"Warnung: {warning}")
    if args.csv:
        write_csv(comparison.details(), Path(args.csv))
        _say(f"Einzelheiten in {args.csv}")
    return 0


def cmd_aufraeumen(args: argparse.Namespace) -> int:
    """``elternkit aufraeumen ORDNER [--ja]``."""
    folder = school_folder(args.ordner)
    files = folder.working_files()
    if not files:
        _say(f"In {folder.root} gibt es keine Arbeitsdaten (daten/, ausgabe/).")
        return 0
    _say(
        f"{len(files)} Dateien in {folder.root}/daten und {folder.root}/ausgabe "
        "werden gelöscht; das Rezept bleibt erhalten."
    )
    if not args.ja and not _confirmed():
        _say("Nichts gelöscht. Zum Löschen ohne Rückfrage: --ja")
        return 2
    deleted = delete_working_data(folder)
    _say(f"{len(deleted)} Dateien gelöscht.")
    return 0


def _confirmed() -> bool:
    sys.stdout.write("Wirklich löschen? [j/N] ")
    sys.stdout.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


__all__ = [
    "add_commands",
    "add_run_options",
    "cmd_aufraeumen",
    "cmd_vergleich",
    "merged_options",
    "say_replay",
]
