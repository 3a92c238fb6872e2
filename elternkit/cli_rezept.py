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

from elternkit.cli_batch import say
from elternkit.compare import compare_files
from elternkit.errors import RezeptError
from elternkit.job import write_review_csv
from elternkit.options import Options
from elternkit.pipeline import JobResult
from elternkit.replay import ReplayLog
from elternkit.replay_rows import APPLIED, CONFLICT, DONE
from elternkit.report import count
from elternkit.rezept import Rezept, SourceSettings
from elternkit.school import delete_working_data, school_folder

#: Command-line destination → attribute of :class:`Options`.
OPTION_ARGS = {
    "namen_tauschen": "apply_swaps",
    "telefon_format": "phone_format",
    "geteilte_email": "shared_email",
    "sperre_zurueckhalten": "hold_auskunftssperre",
}

#: Spellings of the tab accepted by ``--trennzeichen``.
_DELIMITERS = {"tab": "\t", "\\t": "\t"}


def given_delimiter(args: argparse.Namespace) -> str | None:
    """The ``--trennzeichen`` given, with ``tab`` (or ``\\t``) as a tab."""
    return _DELIMITERS.get(args.trennzeichen or "", args.trennzeichen)


def add_run_options(run: argparse.ArgumentParser) -> None:
    """Add ``--rezept`` and ``--vorjahr`` to the ``run`` command."""
    run.add_argument(
        "--rezept",
        metavar="REZEPT",
        help="rezept.toml der Schule anwenden (Zuordnung, Optionen, "
        "Entscheidungen); Angaben auf der Befehlszeile haben Vorrang; gibt es "
        "die Datei noch nicht, wird sie nach dem Lauf neu angelegt",
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
    say(
        f"Rezept: {count(log.count(APPLIED), 'Entscheidung', 'Entscheidungen')}"
        f" angewendet, {log.count(DONE)} nicht mehr nötig, "
        f"{log.count(CONFLICT)} nicht anwendbar (Einzelheiten in protokoll.md)."
    )


def load_or_start(path: str | Path) -> tuple[Rezept, bool]:
    """Read the Rezept at ``path``, or start a new one when there is no file yet.

    Returns the Rezept and whether it is new. A new Rezept is named after the
    folder it lies in (``schulen/gs/rezept.toml`` → ``gs``); its folder must
    exist so that it can be saved after the run.
    """
    path = Path(path)
    if path.exists():
        return Rezept.load(path), False
    if not path.parent.is_dir():
        raise RezeptError(
            f"Das Rezept {path} gibt es noch nicht, und auch den Ordner "
            f"{path.parent} gibt es nicht, also kann dort kein neues Rezept "
            "angelegt werden. Bitte den Pfad prüfen oder den Ordner der Schule "
            "zuerst anlegen, z. B. schulen/<name>/."
        )
    school = path.resolve().parent.name or "schule"
    return Rezept.new(school), True


def record_run(rezept: Rezept, result: JobResult, args: argparse.Namespace) -> None:
    """Record the mapping, options and forced read settings of this run."""
    for source in result.sources:
        rezept.set_mapping(source.mapping, datei=source.name)
    rezept.options = result.options
    rezept.source = SourceSettings(
        encoding=args.kodierung,
        delimiter=given_delimiter(args),
        sheet=args.blatt,
        header_row=args.kopfzeile,
    )


def say_new_rezept(path: str | Path) -> None:
    """Tell the user that a new Rezept was written and what it holds."""
    say(
        f"Neues Rezept angelegt: {path} (es gab noch keines). Darin stehen die "
        "Spaltenzuordnung, die Optionen und die erzwungenen Leseeinstellungen "
        f"dieses Laufs; mit --rezept {path} werden sie im nächsten Jahr wieder "
        "angewendet. Entscheidungen zu Dubletten und Namen kommen im Notebook "
        "hinzu (04_Dubletten_pruefen)."
    )


def cmd_vergleich(args: argparse.Namespace) -> int:
    """``elternkit vergleich ALT.csv NEU.csv``."""
    comparison = compare_files(args.alt, args.neu)
    for line in comparison.summary():
        say(line)
    for warning in comparison.warnings():
        say(f"Warnung: {warning}")
    if args.csv:
        write_review_csv(comparison.details(), Path(args.csv))
        say(f"Einzelheiten in {args.csv}")
    return 0


def cmd_aufraeumen(args: argparse.Namespace) -> int:
    """``elternkit aufraeumen ORDNER [--ja]``."""
    folder = school_folder(args.ordner)
    files = folder.working_files()
    if not files:
        say(f"In {folder.root} gibt es keine Arbeitsdaten (daten/, ausgabe/).")
        return 0
    say(
        f"{count(len(files), 'Datei', 'Dateien')} in {folder.root}/daten und "
        f"{folder.root}/ausgabe {'wird' if len(files) == 1 else 'werden'} "
        "gelöscht; das Rezept bleibt erhalten."
    )
    if not args.ja and not _confirmed():
        say("Nichts gelöscht. Zum Löschen ohne Rückfrage: --ja")
        return 2
    deleted = delete_working_data(folder)
    say(f"{count(len(deleted), 'Datei', 'Dateien')} gelöscht.")
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
    "given_delimiter",
    "load_or_start",
    "merged_options",
    "record_run",
    "say_new_rezept",
    "say_replay",
]
