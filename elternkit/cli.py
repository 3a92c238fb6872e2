"""Command line ``elternkit`` (German): a thin layer over :mod:`elternkit.job`.

Exit codes: 0 when an import file was written, 2 for unusable input or
arguments (a German message, never a traceback), 1 for an internal error.
"""

from __future__ import annotations

import argparse
import errno
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from elternkit import cli_batch, cli_rezept
from elternkit.batch import is_batch_folder
from elternkit.cli_batch import say
from elternkit.errors import ElternkitError, InputError
from elternkit.job import find_school_inputs, run_job
from elternkit.mapping_user import parse_user_mapping
from elternkit.options import Options
from elternkit.pipeline import JobResult
from elternkit.report import summary_lines
from elternkit.write import os_reason

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INPUT = 2


def sample_data_dir() -> Path:
    """Return the folder with the bundled synthetic sample data."""
    return Path(__file__).resolve().parent.parent / "sample_data"


#: argparse's English texts (Python 3.11) and their German wording.
ARGPARSE_GERMAN = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Angaben",
    "options": "Optionen",
    "optional arguments": "Optionen",
    "subcommands": "Befehle",
    "show this help message and exit": "diese Hilfe zeigen",
    "show program's version number and exit": "Versionsnummer zeigen",
    "the following arguments are required: %s": "Folgende Angaben fehlen: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "%(value)r gibt es nicht (möglich sind: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ungültiger Wert %(value)r (%(type)s)",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "expected one argument": "hier fehlt der Wert",
    "expected at most one argument": "höchstens ein Wert erlaubt",
    "expected at least one argument": "mindestens ein Wert nötig",
    "expected %s argument": "%s Wert nötig",
    "expected %s arguments": "%s Werte nötig",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Angabe: %(option)s passt zu %(matches)s"
    ),
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "Wert %r wird hier nicht erwartet",
    "one of the arguments %s is required": "eine dieser Angaben fehlt: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "unbekannter Befehl %(parser_name)r (möglich sind: %(choices)s)"
    ),
    "unexpected option string: %s": "unerwartete Angabe: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
}


def _german(text: str | None) -> str | None:
    return ARGPARSE_GERMAN.get(text, text) if text is not None else None


def _german_n(singular: str, plural: str, n: int) -> str:
    return ARGPARSE_GERMAN.get(singular if n == 1 else plural) or (
        singular if n == 1 else plural
    )


@contextmanager
def german_argparse() -> Iterator[None]:
    """Let argparse speak German while the block runs.

    argparse looks up its texts through the module-level ``_`` and
    ``ngettext`` (gettext) each time it builds a parser, formats help or
    reports an error; both are swapped for the table :data:`ARGPARSE_GERMAN`
    and put back afterwards, so other users of argparse are not affected.
    """
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _german  # type: ignore[attr-defined]
    argparse.ngettext = _german_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with German errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _err(f"Fehler in den Angaben: {message}. Hilfe: {self.prog} --help")
        raise SystemExit(EXIT_INPUT)


def _row_number(text: str) -> int:
    """``--kopfzeile``: a positive whole number, with a German error."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"„{text}“ ist keine Zahl; erwartet wird die Zeilennummer der "
            "Kopfzeile, z. B. --kopfzeile 3"
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError(
            f"{number} ist keine Zeilennummer; die erste Zeile der Datei ist 1"
        )
    return number


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
        type=_row_number,
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
    run.add_argument(
        "--teilweise",
        action="store_true",
        help="auch schreiben, wenn mehr als die Hälfte der Elternzeilen "
        "zurückgehalten wird (sonst Abbruch: ein Folgeimport würde die meisten "
        "Konten sperren)",
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


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _options(args: argparse.Namespace, base: Options | None = None) -> Options:
    return cli_rezept.merged_options(args, base or Options())


def _summary(result: JobResult, out: Path, *, title: str | None = None) -> None:
    if title:
        say(f"== {title} ==")
    lines = summary_lines(result)
    for line in lines[:2]:
        say(line)
    say(
        f"Dateien in {out}/: eltern_import.csv (für IServ), probleme.csv, "
        "aenderungen.csv, eltern_pruefung.xlsx, protokoll.md"
    )
    for warning in result.warnings:
        _err(f"Achtung: {warning}")
    for line in lines[2:]:  # the counts do not add up: an error of elternkit
        _err(line)


def _check_pupil_list(path: str | None) -> None:
    if path is not None and not Path(path).exists():
        raise InputError(
            f"Die Schülerliste {path} (--schueler) wurde nicht gefunden. Ohne sie "
            "lassen sich die Kind-IDs nicht gegen die Schülerdaten prüfen. Bitte "
            "Pfad und Dateinamen prüfen oder --schueler weglassen."
        )


def _cmd_run(args: argparse.Namespace) -> int:
    delimiter = cli_rezept.given_delimiter(args)
    if is_batch_folder(args.exporte):  # a media centre's batch: one folder a school
        return cli_batch.cmd_batch(
            args, options_for=lambda base: _options(args, base), delimiter=delimiter
        )
    _check_pupil_list(args.schueler)
    out = Path(args.out)
    rezept, is_new = (
        cli_rezept.load_or_start(args.rezept) if args.rezept else (None, False)
    )
    result = run_job(
        args.exporte,
        out=out,
        pupil_list=args.schueler,
        user_mapping=parse_user_mapping(args.zuordnung),
        options=_options(args, rezept.options if rezept else None),
        rezept=None if is_new else rezept,
        vorjahr=args.vorjahr,
        allow_partial=args.teilweise,
        encoding=args.kodierung,
        delimiter=delimiter,
        sheet=args.blatt,
        header_row=args.kopfzeile,
    )
    _summary(result, out)
    if rezept is not None and is_new:
        cli_rezept.record_run(rezept, result, args)
        rezept.save(args.rezept)
        cli_rezept.say_new_rezept(args.rezept)
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
        say()
    return EXIT_OK


def _cmd_codes(_: argparse.Namespace) -> int:
    from elternkit.codes_doc import load_all_codes
    from elternkit.findings import describe_codes

    load_all_codes()

    say(describe_codes())
    return EXIT_OK


#: Error numbers of a plain ``OSError`` that are the user's to fix (disk full,
#: read-only drive); any other plain ``OSError`` is an internal error.
KNOWN_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM}
    | {errno.ENAMETOOLONG, errno.ENOENT}
)


def describe_os_error(exc: OSError | UnicodeDecodeError) -> str | None:
    """Return the German message for a file error that reached the command line.

    None for an ``OSError`` that is no problem of the user's files or folders.
    """
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"Eine Datei ist kein Text in der Kodierung {exc.encoding} (Byte "
            f"{exc.start}). Ohne lesbaren Text lässt sie sich nicht verarbeiten. "
            "Bitte prüfen, ob die richtige Datei angegeben ist, oder die Kodierung "
            "mit --kodierung angeben (utf-8, cp1252, iso8859_15)."
        )
    name = exc.filename if exc.filename is not None else "eine Datei"
    if isinstance(exc, FileNotFoundError):
        return (
            f"{name} wurde nicht gefunden. Ohne diese Datei bzw. diesen Ordner "
            "kann der Lauf nicht weitergehen. Bitte Pfad und Namen prüfen."
        )
    if isinstance(exc, PermissionError):
        return (
            f"Keine Berechtigung für {name}. elternkit darf die Datei bzw. den "
            "Ordner nicht lesen oder schreiben. Bitte die Rechte prüfen oder einen "
            "anderen Ort wählen (z. B. --out ausgabe)."
        )
    if isinstance(exc, IsADirectoryError):
        return (
            f"{name} ist ein Ordner, gebraucht wird hier eine Datei. Bitte die "
            "Datei selbst angeben."
        )
    if isinstance(exc, NotADirectoryError):
        return (
            f"{name}: Ein Teil dieses Pfades ist eine Datei, gebraucht wird hier "
            "ein Ordner. Bitte den Pfad prüfen."
        )
    if isinstance(exc, FileExistsError):
        return (
            f"{name} gibt es schon (als Datei oder Ordner), elternkit kann es "
            "deshalb nicht anlegen. Bitte einen anderen Namen oder Ordner wählen."
        )
    if exc.errno not in KNOWN_ERRNOS:
        return None
    return (
        f"{name} lässt sich nicht lesen oder schreiben ({os_reason(exc)}). "
        "Die Ergebnisdateien wurden nicht vollständig geschrieben. Bitte Laufwerk "
        "und Rechte prüfen und den Lauf wiederholen."
    )


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler so cleanup code (``finally``) runs."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


@contextmanager
def _sigterm_cleans_up() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the block runs.

    Without this a killed run leaves its staging folder (with parents' data)
    in the output folder. Only the main thread can install signal handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: Callable[..., object] | int | None = signal.signal(
        signal.SIGTERM, _on_sigterm
    )
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``elternkit`` command."""
    with german_argparse():
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.befehl is None:
            parser.print_help()
            return EXIT_INPUT
    logging.basicConfig(
        level=logging.INFO if args.ausfuehrlich else logging.WARNING,
        format="%(message)s" if not args.ausfuehrlich else "%(name)s: %(message)s",
    )
    commands = {"run": _cmd_run, "demo": _cmd_demo, "codes": _cmd_codes}
    commands |= {
        "vergleich": cli_rezept.cmd_vergleich,
        "aufraeumen": cli_rezept.cmd_aufraeumen,
    }
    try:
        with _sigterm_cleans_up():
            return commands[args.befehl](args)
    except ElternkitError as exc:
        _err(f"Fehler: {exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err(
            "Abgebrochen. Angefangene Ergebnisdateien wurden entfernt; fertige "
            "Dateien eines früheren Laufs sind unverändert."
        )
        return EXIT_INPUT
    except (OSError, UnicodeDecodeError) as exc:
        message = describe_os_error(exc)
        if args.ausfuehrlich or message is None:
            return _internal_error(exc, verbose=args.ausfuehrlich)
        _err(f"Fehler: {message}")
        return EXIT_INPUT
    except Exception as exc:
        return _internal_error(exc, verbose=args.ausfuehrlich)


def _internal_error(exc: Exception, *, verbose: bool) -> int:
    if verbose:
        raise exc
    _err(
        f"Interner Fehler von elternkit ({type(exc).__name__}). Ihre Dateien "
        "wurden nicht verändert. Bitte mit „elternkit --ausfuehrlich …“ (die "
        "Angabe vor dem Befehl) wiederholen und den Fehler (ohne Personendaten) "
        "melden."
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
