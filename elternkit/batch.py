"""A media centre's batch: many schools in one call, one folder per school.

Layout of a batch folder::

    stapel/<schule>/            one folder per school
        export.csv …            the school's export(s)
        schueler_ids.csv        optional: the pupils' Kind-IDs
        rezept.toml             optional: the school's Rezept

:func:`run_batch` runs the whole job for every school folder and writes
``<out>/<schule>/…``. A school that fails (unreadable export, missing column,
even an internal error) is recorded with its German message and never stops
the others. :func:`render_batch_table` gives the final table;
:class:`ProgressBar` draws a one-line bar on a terminal.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from elternkit.errors import ElternkitError, InputError
from elternkit.job import TABLE_SUFFIXES, find_school_inputs, run_job
from elternkit.options import Options
from elternkit.pipeline import JobResult
from elternkit.report import count_by_severity, summary_lines
from elternkit.rezept import Rezept
from elternkit.school import REZEPT_FILE

logger = logging.getLogger(__name__)

#: Folders below a batch folder that are never schools.
SKIPPED_FOLDERS = ("ausgabe", "arbeitsdaten")


@dataclass
class SchoolRun:
    """The outcome of one school of a batch."""

    name: str
    folder: Path
    out: Path
    seconds: float = 0.0
    result: JobResult | None = None
    error: str | None = None  # German message when the school failed

    @property
    def ok(self) -> bool:
        """Tell whether the school's import file was written."""
        return self.error is None and self.result is not None


@dataclass
class BatchResult:
    """Every school of a batch, in folder order."""

    schools: list[SchoolRun] = field(default_factory=list)

    @property
    def failed(self) -> list[SchoolRun]:
        """The schools without an import file."""
        return [s for s in self.schools if not s.ok]


def find_school_folders(folder: Path) -> list[Path]:
    """Return the school folders of a batch folder, sorted by name.

    A folder that holds export files itself is one school; otherwise each
    sub-folder (except hidden ones and ``ausgabe``) is a school.

    Raises
    ------
    InputError
        The folder does not exist or holds neither exports nor school folders.
    """
    if not folder.is_dir():
        raise InputError(
            f"Der Ordner {folder} existiert nicht. Bitte den Ordner mit den "
            "Schulordnern angeben."
        )
    if any(_is_table(p) for p in folder.iterdir()):
        return [folder]
    schools = sorted(
        p
        for p in folder.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and p.name.lower() not in SKIPPED_FOLDERS
    )
    if not schools:
        raise InputError(
            f"Im Ordner {folder} steht weder eine Exportdatei noch ein "
            "Schulordner. Für einen Stapel bitte je Schule einen Unterordner "
            "mit ihrem Export anlegen (z. B. stapel/gymnasium_nord/export.csv)."
        )
    return schools


def is_batch_folder(paths: Sequence[str | Path]) -> bool:
    """Tell whether the command line named one folder (a batch) instead of files.

    >>> is_batch_folder(["."]), is_batch_folder(["export.csv"])
    (True, False)
    """
    return len(paths) == 1 and Path(paths[0]).is_dir()


def run_batch(
    folder: str | Path,
    *,
    out: str | Path = "ausgabe",
    options_for: Callable[[Options | None], Options] | None = None,
    on_start: Callable[[str, int, int], None] | None = None,
    on_school: Callable[[SchoolRun, int, int], None] | None = None,
    **read_options: object,
) -> BatchResult:
    """Run the whole job for every school folder of ``folder``.

    Parameters
    ----------
    folder
        The batch folder (see the module docstring), or one school's folder.
    out
        Output folder; each school writes into ``<out>/<schule>/``.
    options_for
        Gives a school's options from its Rezept's options (``None`` without
        a Rezept); the command line merges its own options in here. Default:
        the Rezept's options, else the defaults.
    on_start
        Called before each school with its folder name, its number (from 1)
        and the number of schools.
    on_school
        Called after each school with the school, its number (from 1) and the
        number of schools: for progress and summaries.
    read_options
        ``encoding``, ``delimiter``, ``sheet``, ``header_row`` for every school.
    """
    base = Path(folder)
    target = Path(out)
    folders = find_school_folders(base)
    batch = BatchResult()
    for number, school in enumerate(folders, start=1):
        if on_start is not None:
            on_start(school.name, number, len(folders))
        run = _run_school(school, target, options_for, read_options)
        batch.schools.append(run)
        logger.info(
            "Schule %d/%d: %s", number, len(folders), "ok" if run.ok else "Fehler"
        )
        if on_school is not None:
            on_school(run, number, len(folders))
    return batch


def _run_school(
    folder: Path,
    out: Path,
    options_for: Callable[[Options | None], Options] | None,
    read_options: dict[str, object],
) -> SchoolRun:
    run = SchoolRun(folder.name, folder, out / folder.name)
    started = time.perf_counter()
    try:
        inputs = find_school_inputs(folder)
        rezept = _load_rezept(folder)
        base = rezept.options if rezept is not None else None
        options = options_for(base) if options_for else base
        run.result = run_job(
            inputs.exports,
            out=run.out,
            pupil_list=inputs.pupil_list,
            options=options,
            school=inputs.name,
            rezept=rezept,
            **read_options,
        )
    except ElternkitError as exc:
        run.error = str(exc)
    except Exception as exc:  # one school never stops the batch
        logger.debug("interner Fehler: %s", type(exc).__name__)  # no cell values
        run.error = (
            f"Interner Fehler von elternkit ({type(exc).__name__}). Die Ausgabe "
            "dieser Schule wurde nicht verändert. Bitte die Schule einzeln mit "
            "„elternkit --ausfuehrlich run …“ wiederholen und den Fehler (ohne "
            "Personendaten) melden."
        )
    run.seconds = time.perf_counter() - started
    return run


def _load_rezept(folder: Path) -> Rezept | None:
    path = folder / REZEPT_FILE
    return Rezept.load(path) if path.is_file() else None


def _is_table(path: Path) -> bool:
    return (
        path.is_file()
        and path.suffix.lower() in TABLE_SUFFIXES
        and not path.name.startswith(".")
    )


def school_summary(run: SchoolRun) -> list[str]:
    """Return the German summary lines of one school of the batch."""
    lines = [f"== {run.name} =="]
    if not run.ok or run.result is None:
        return [*lines, f"FEHLGESCHLAGEN: {run.error}"]
    summary = summary_lines(run.result)
    summary[1] += f" Dateien in {run.out}/"
    return [*lines, *summary]


def render_batch_table(batch: BatchResult) -> str:
    """Return the final table of a batch (one line per school), in German.

    >>> print(render_batch_table(BatchResult([SchoolRun("a", Path("a"),
    ...     Path("o/a"), 1.5, None, "Export fehlt.")])))
    Schule | Ergebnis        | gelesen | exportiert | Konten | Fehler | Warnungen | Sekunden
    -------+-----------------+---------+------------+--------+--------+-----------+---------
    a      | FEHLGESCHLAGEN  |       – |          – |      – |      – |         – |      1.5
    1 Schule: 0 fertig, 1 fehlgeschlagen (a).
    """  # noqa: E501
    head = (
        "Schule",
        "Ergebnis",
        "gelesen",
        "exportiert",
        "Konten",
        "Fehler",
        "Warnungen",
        "Sekunden",
    )
    rows = []
    for run in batch.schools:
        if run.ok and run.result is not None:
            c = run.result.counts
            sev = count_by_severity(run.result.findings)
            numbers = [c.gelesen, c.exportiert, c.konten]
            numbers += [sev.get("fehler", 0), sev.get("warnung", 0)]
            cells = ["fertig", *map(str, numbers)]
        else:
            cells = ["FEHLGESCHLAGEN", *(["–"] * 5)]
        rows.append([run.name, *cells, f"{run.seconds:.1f}"])
    widths = [max(len(r[i]) for r in [list(head), *rows]) for i in range(len(head))]
    widths[1] = max(widths[1], len("FEHLGESCHLAGEN") + 1)

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return " | ".join(parts).rstrip()

    out = [line(head), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    failed = [s.name for s in batch.failed]
    n = len(batch.schools)
    total = f"{n} Schule{'n' if n != 1 else ''}: {n - len(failed)} fertig, "
    total += f"{len(failed)} fehlgeschlagen"
    out.append(total + (f" ({', '.join(failed)})." if failed else "."))
    return "\n".join(out)


class ProgressBar:
    """A one-line progress bar on a terminal (nothing when not a terminal).

    Parameters
    ----------
    total
        Number of steps (schools).
    stream
        Where to draw (default: ``sys.stderr``).
    enabled
        Force the bar on or off; default: only when ``stream`` is a terminal.
    """

    width = 30

    def __init__(
        self, total: int, *, stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.total = max(total, 1)
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.started = time.monotonic()

    def show(self, done: int, label: str = "") -> None:
        """Draw the bar for ``done`` finished steps, ``label`` the current one."""
        if not self.enabled:
            return
        self.stream.write("\r" + self.text(done, label) + "\x1b[K")
        self.stream.flush()

    def text(self, done: int, label: str = "") -> str:
        """The bar as text, with the elapsed time and an estimate of the rest.

        >>> bar = ProgressBar(4, enabled=False)
        >>> bar.text(1, "gymnasium_nord")[:48]
        '[#######.......................]  1/4 gymnasium_'
        """
        done = min(max(done, 0), self.total)
        filled = round(self.width * done / self.total)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        text = f"[{bar}] {done:>2}/{self.total} {label[:24]:<24} {_clock(elapsed)}"
        if 0 < done < self.total:
            text += f", noch etwa {_clock(elapsed / done * (self.total - done))}"
        return text

    def close(self) -> None:
        """Remove the bar from the terminal line."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


__all__ = [
    "BatchResult",
    "ProgressBar",
    "SchoolRun",
    "find_school_folders",
    "is_batch_folder",
    "render_batch_table",
    "run_batch",
    "school_summary",
]
