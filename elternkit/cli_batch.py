"""Command-line part of the batch: ``elternkit run STAPELORDNER``.

Prints a German summary per school as soon as it is done, a progress bar on
stderr while the batch runs (only on a terminal), and the final table.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from elternkit.batch import (
    ProgressBar,
    SchoolRun,
    find_school_folders,
    render_batch_table,
    run_batch,
    school_summary,
)
from elternkit.errors import InputError
from elternkit.options import Options
from elternkit.report import count

#: ``run`` options that name one school's files and make no sense for a batch.
_PER_SCHOOL = {
    "schueler": "--schueler",
    "zuordnung": "--zuordnung",
    "rezept": "--rezept",
    "vorjahr": "--vorjahr",
}


def cmd_batch(
    args: argparse.Namespace,
    *,
    options_for: Callable[[Options | None], Options],
    delimiter: str | None = None,
) -> int:
    """Run every school folder below ``args.exporte[0]``; 2 if any school failed."""
    folder = Path(args.exporte[0])
    given = [flag for name, flag in _PER_SCHOOL.items() if getattr(args, name, None)]
    if given:
        raise InputError(
            f"{', '.join(given)} gilt für eine einzelne Schule, hier wurde aber "
            f"der Ordner {folder} als Stapel angegeben. Im Stapel liegen "
            "Schülerliste (schueler_ids.csv) und Rezept (rezept.toml) im "
            "Ordner jeder Schule. Bitte die Angabe weglassen oder die Schule "
            "einzeln verarbeiten."
        )
    total = len(find_school_folders(folder))
    bar = ProgressBar(total)

    def started(name: str, number: int, count: int) -> None:
        bar.show(number - 1, name)

    def finished(run: SchoolRun, number: int, count: int) -> None:
        bar.close()
        say("\n".join(school_summary(run)))
        say()
        bar.show(number, "")

    batch = run_batch(
        folder,
        out=Path(args.out),
        options_for=options_for,
        on_start=started,
        on_school=finished,
        encoding=args.kodierung,
        delimiter=delimiter,
        sheet=args.blatt,
        header_row=args.kopfzeile,
    )
    bar.close()
    say(render_batch_table(batch))
    if batch.failed:
        names = ", ".join(s.name for s in batch.failed)
        sys.stderr.write(
            f"Fehler: {len(batch.failed)} von "
            f"{count(len(batch.schools), 'Schule', 'Schulen')} "
            "sind fehlgeschlagen "
            f"({names}); die Gründe stehen oben bei der Schule. "
            "Die anderen Schulen wurden vollständig geschrieben.\n"
        )
        return 2
    return 0


def say(text: str = "") -> None:
    """Write one line of German output for the user to stdout."""
    sys.stdout.write(text + "\n")
