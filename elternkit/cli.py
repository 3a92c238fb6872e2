"""Command line ``elternkit`` (German): a thin layer over :mod:`elternkit.job`.

Exit codes: 0 when an import file was written, 2 for unusable input or
arguments (a German message, never a traceback), 1 for an internal error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from elternkit import cli_batch, cli_rezept
from elternkit.batch import is_batch_folder
from elternkit.errors import ElternkitError
from elternkit.job import find_school_inputs, run_job
from elternkit.mapping import parse_user_mapping
from elternkit.options import Options
from elternkit.pipeline import JobResult
from elternkit.rezept import Rezept

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2


def sample_data_dir() -> Path:
    """Return the folder with the bundled synthetic sample data."""
    return Path(__file__).resolve().parent.parent / "sample_data"


class _Parser(argparse.ArgumentParser):
    """argparse with German errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _err(f"Fehler in den Angaben: {message}. Hilfe: elternkit --help")
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """Return the German argument parser."""
    parser = _Parser(
        prog="elternkit",
        description=(
            "Bereitet Elterndaten aus dem Schulverwaltungsprogramm für den "
            "IServ-Elternimport vor."
        ),
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    parser.add_argument(
        "-v",
        "--ausfuehrlich",
        action="store_true",
        help="Fortschritt ausführlich melden (ohne Personendaten)",
    )
    sub = parser.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=_Parser)

    run = sub.add_parser(
        "run",
        help="Exportdatei(en) verarbeiten und die IServ-Importdatei schreiben",
        description="Liest den Export, bereinigt ihn und schreibt eltern_import.csv, "
        "probleme.csv, aenderungen.csv, eltern_pruefung.xlsx und protokoll.md.",
        add_help=False,
    )
    run.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    run.add_argument(
        "exporte",
        nargs="+",
        metavar="EXPORT",
        help="Exportdatei(en) (CSV, XLSX, XLS, ODS); eine Schüler- und "
        "eine Elterndatei werden über die Kind-ID verbunden; oder ein Ordner "
        "mit einem Unterordner je Schule (Stapel, Ausgabe nach ORDNER/<schule>/)",
    )
    run.add_argument(
        "--schueler",
        metavar="SCHUELERLISTE",
        help="Liste der Kind-IDs (CSV oder Tabelle); jede Kind-ID wird damit geprüft",
    )
    run.add_argument(
        "--out",
        metavar="ORDNER",
        default="ausgabe",
        help="Ausgabeordner (Vorgabe: ausgabe)",
    )
    run.add_argument(
        "--zuordnung",
        metavar="FELD=SPALTE",
        action="append",
        default=[],
        help="Spalte von Hand zuordnen, z. B. "
        '"Kind-ID=SchülerNr" oder "Vorname:2=Mutter Vorname"; '
        "mehrfach möglich",
    )
    run.add_argument(
        "--kodierung",
        metavar="KODIERUNG",
        help="Zeichenkodierung erzwingen (utf-8, cp1252, iso8859_15)",
    )
    run.add_argument(
        "--trennzeichen",
        metavar="ZEICHEN",
        help="Trennzeichen erzwingen (; , | oder tab)",
    )
    run.add_argument("--blatt", metavar="NAME", help="Tabellenblatt erzwingen")
    run.add_argument(
        "--kopfzeile",
        metavar="NR",
        type=int,
        help="Zeilennummer der Kopfzeile erzwingen",
    )
    run.add_argument(
        "--namen-tauschen",
        action="store_true",
        default=None,
        help="sicher erkannte vertauschte Vor-/Nachnamen tauschen (sonst nur melden)",
    )
    run.add_argument(
        "--telefon-format",
        choices=["e164", "international"],
        help="Telefonnummern als +493511234567 (e164, "
        "Vorgabe) oder +49 351 1234567 (international)",
    )
    run.add_argument(
        "--geteilte-email",
        choices=["beide", "keine", "erste"],
        help="eine E-Mail-Adresse bei zwei Personen: "
        "bei beiden lassen (Vorgabe), bei keiner, nur bei der ersten",
    )
    run.add_argument(
        "--sperre-zurueckhalten",
        action="store_true",
        default=None,
        help="Eltern mit Auskunftssperre nicht exportieren (sonst nur melden)",
    )
    cli_rezept.add_run_options(run)

    demo = sub.add_parser(
        "demo",
        help="die mitgelieferten Beispieldaten verarbeiten (nach ausgabe/)",
        add_help=False,
    )
    demo.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    demo.add_argument(
        "--out",
        metavar="ORDNER",
        default="ausgabe",
        help="Ausgabeordner (Vorgabe: ausgabe)",
    )

    codes = sub.add_parser(
        "codes", help="alle Befund-Codes mit Bedeutung zeigen", add_help=False
    )
    codes.add_argument("-h", "--help", action="help", help="diese Hilfe zeigen")
    cli_rezept.add_commands(sub)
    return parser


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _options(args: argparse.Namespace, base: Options | None = None) -> Options:
    return cli_rezept.merged_options(args, base or Options())


def _summary(result: JobResult, out: Path, *, title: str | None = None) -> None:
    c = result.counts
    by_sev = dict(result.findings.group_by("schwere").len().iter_rows())
    if title:
        _say(f"== {title} ==")
    _say(
        f"{c.gelesen} Elternzeilen gelesen, {c.exportiert} exportiert "
        f"({c.konten} Elternkonten), {c.zurueckgehalten} zurückgehalten, "
        f"{c.zusammengefasst} zusammengefasst, {c.geteilt} durch Aufteilen "
        "hinzugekommen."
    )
    _say(
        f"Befunde: {by_sev.get('fehler', 0)} Fehler, {by_sev.get('warnung', 0)} "
        f"Warnungen, {by_sev.get('hinweis', 0)} Hinweise."
    )
    _say(
        f"Dateien in {out}/: eltern_import.csv (für IServ), probleme.csv, "
        "aenderungen.csv, eltern_pruefung.xlsx, protokoll.md"
    )
    if not c.adds_up():
        _err("Achtung: Die Zahlen gehen nicht auf. Bitte als Fehler melden.")


def _cmd_run(args: argparse.Namespace) -> int:
    delimiter = {"tab": "\t", "\\t": "\t"}.get(
        args.trennzeichen or "", args.trennzeichen
    )
    if is_batch_folder(args.exporte):  # a media centre's batch: one folder a school
        return cli_batch.cmd_batch(
            args, options_for=lambda base: _options(args, base), delimiter=delimiter
        )
    out = Path(args.out)
    rezept = Rezept.load(args.rezept) if args.rezept else None
    result = run_job(
        args.exporte,
        out=out,
        pupil_list=args.schueler,
        user_mapping=parse_user_mapping(args.zuordnung),
        options=_options(args, rezept.options if rezept else None),
        rezept=rezept,
        vorjahr=args.vorjahr,
        encoding=args.kodierung,
        delimiter=delimiter,
        sheet=args.blatt,
        header_row=args.kopfzeile,
    )
    _summary(result, out)
    cli_rezept.say_replay(result.replay)
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    base = sample_data_dir()
    schools = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    if not schools:
        _err(
            f"Keine Beispieldaten gefunden in {base}. Bitte das Repository "
            "vollständig klonen."
        )
        return EXIT_INPUT
    out = Path(args.out)
    for folder in schools:
        inputs = find_school_inputs(folder)
        target = out / inputs.name
        result = run_job(
            inputs.exports, out=target, pupil_list=inputs.pupil_list, school=inputs.name
        )
        _summary(result, target, title=inputs.name)
        _say()
    return EXIT_OK


def _cmd_codes(_: argparse.Namespace) -> int:
    from elternkit.codes_doc import load_all_codes
    from elternkit.findings import describe_codes

    load_all_codes()

    _say(describe_codes())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``elternkit`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.ausfuehrlich else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    commands = {"run": _cmd_run, "demo": _cmd_demo, "codes": _cmd_codes}
    commands |= {
        "vergleich": cli_rezept.cmd_vergleich,
        "aufraeumen": cli_rezept.cmd_aufraeumen,
    }
    if args.befehl not in commands:
        parser.print_help()
        return EXIT_INPUT
    try:
        return commands[args.befehl](args)
    except ElternkitError as exc:
        _err(f"Fehler: {exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("Abgebrochen.")
        return EXIT_INPUT
    except Exception as exc:
        if args.ausfuehrlich:
            raise
        _err(
            f"Interner Fehler von elternkit ({type(exc).__name__}). Ihre Dateien "
            "wurden nicht verändert. Bitte mit --ausfuehrlich wiederholen und den "
            "Fehler (ohne Personendaten) melden."
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
