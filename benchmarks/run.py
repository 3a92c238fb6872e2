"""Benchmark of the whole job, stage by stage, from one school to a state.

Usage::

    uv run python benchmarks/run.py                       # 2,500 / 50,000 / 1,000,000
    uv run python benchmarks/run.py --rows 2500           # one size
    uv run python benchmarks/run.py --rows 50000 --style bbs --json result.json

For each size the script writes a synthetic school export with the fault mix
of the sample data (:func:`sample_data.generate.generate_school`, about 1.75
guardian rows per pupil) and runs, in a fresh subprocess so that the peak
memory (``ru_maxrss``) belongs to that size alone:

1. the baseline: plain polars reads the export (every column as text) and
   writes it back as CSV;
2. the whole job (:func:`elternkit.job.run_job`, all five output files), with
   a timestamp taken when each stage function returns. A stage's time runs
   from the end of the previous stage to its own end, so the stage times add
   up to the whole job and the glue code between two stages counts too.

Timing starts after ``import elternkit``; everything that happens on the first
call (the name lexicon, phone metadata) counts. The data is synthetic; the
script writes only below its own temporary (or ``--daten``) folder.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import math
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: Guardian rows of the three sizes of the issue.
SIZES = (2_500, 50_000, 1_000_000)
#: Guardian rows per pupil in the generated exports (about).
ROWS_PER_PUPIL = 1.75
#: Guardian rows of one generated school; larger sizes join several schools.
SCHOOL_ROWS = 2_500
#: Export files of each generator style.
EXPORT_NAMES = {
    "danis": ["danis_export.csv"],
    "sibank": ["sibank_export.xlsx"],
    "bbs": ["erziehungsberechtigte.csv", "schueler.csv"],
}
#: Targets in seconds (whole job, after import) by size; 4 GB peak for a state.
TARGET_SECONDS = {2_500: 1.0, 50_000: 5.0, 1_000_000: 60.0}
TARGET_PEAK_MB = 4096
#: Allowed growth of a stage per ten times the rows.
TARGET_GROWTH = 12.0

#: Stages in run order: (label, functions whose return ends the stage).
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lesen", ("pipeline.load_sources", "pipeline.read_pupil_list")),
    ("zuordnen", ("pipeline.build_long",)),
    ("clean_text", ("pipeline.clean_text",)),
    ("clean_names", ("pipeline.clean_names",)),
    ("clean_address", ("pipeline.clean_address",)),
    ("clean_email", ("pipeline.clean_email",)),
    ("clean_phone", ("pipeline.clean_phone",)),
    ("pruefen", ("check.run_checks",)),
    ("personen", ("pipeline.find_duplicates",)),
    ("harmonisieren", ("job.prepare",)),
    ("vorschau", ("job.render_report",)),
    ("csv_schreiben", ("job.write_csv",)),
    ("arbeitsmappe", ("job.write_workbook",)),
    ("protokoll", ("job.write_result",)),
)


# --------------------------------------------------------------------------
# worker side: runs in a fresh process per size


def _instrument(marks: list[tuple[str, float]]) -> None:
    """Wrap each stage function so that its return time is recorded."""
    from elternkit import check, job, pipeline

    modules = {"pipeline": pipeline, "check": check, "job": job}
    for _, names in STAGES:
        for dotted in names:
            module_name, attr = dotted.split(".")
            module = modules[module_name]
            original = getattr(module, attr, None)
            if original is None:  # the code moved: the stage merges with the next
                continue
            setattr(module, attr, _timed(original, dotted, marks))


def _timed(
    func: Callable[..., object], name: str, marks: list[tuple[str, float]]
) -> Callable[..., object]:
    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        result = func(*args, **kwargs)
        marks.append((name, time.perf_counter()))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        since = marks[-1][1] - marks[0][1] if len(marks) > 1 else 0.0
        sys.stderr.write(
            f"  {name} fertig nach {since:.1f} s (ab Ende des Lesens), "
            f"Spitze bisher {peak} MB\n"
        )
        return result

    return wrapper


def _stage_seconds(start: float, marks: list[tuple[str, float]]) -> dict[str, float]:
    """Turn the return times into seconds per stage (they add up to the job)."""
    ends = {}
    for label, names in STAGES:
        hits = [t for n, t in marks if n in names]
        if hits:
            ends[label] = max(hits)
    seconds, previous = {}, start
    for label, _ in STAGES:
        if label in ends:
            seconds[label] = ends[label] - previous
            previous = ends[label]
    return seconds


def _baseline(exports: Sequence[Path], out: Path) -> float:
    """Plain polars: read each export as text and write it as CSV."""
    import polars as pl

    started = time.perf_counter()
    for i, path in enumerate(exports):
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
            frame = pl.read_excel(path, infer_schema_length=0)
        else:
            encoding = "utf8-lossy"  # the cp1252 exports: polars reads bytes only
            frame = pl.read_csv(
                path, separator=";", infer_schema=False, encoding=encoding
            )
        frame.write_csv(out / f"baseline_{i}.csv", separator=";")
    return time.perf_counter() - started


def run_worker(exports: Sequence[Path], pupil_list: Path | None, out: Path) -> dict:
    """Measure the baseline and the whole job in this process; return figures."""
    import elternkit.job  # noqa: F401  (import time is not part of the job)

    marks: list[tuple[str, float]] = []
    _instrument(marks)
    from elternkit import job

    out.mkdir(parents=True, exist_ok=True)
    baseline = _baseline(exports, out)

    started = time.perf_counter()
    result = job.run_job(exports, out=out / "ausgabe", pupil_list=pupil_list)
    total = time.perf_counter() - started

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    c = result.counts
    return {
        "rows": c.gelesen,
        "exported": c.exportiert,
        "adds_up": c.adds_up(),
        "findings": result.findings.height,
        "changes": result.changes.height,
        "stages": _stage_seconds(started, marks),
        "total": total,
        "baseline": baseline,
        "peak_mb": peak_kb / 1024,
    }


# --------------------------------------------------------------------------
# driver side


def generate(rows: int, *, style: str, seed: int, folder: Path) -> tuple[list, Path]:
    """Write (or reuse) synthetic exports with about ``rows`` guardian rows.

    Up to :data:`SCHOOL_ROWS` rows this is one school. Larger sizes are a
    district's or state's export: schools of :data:`SCHOOL_ROWS` rows, each
    generated with its own seed, joined into one file (header once), with the
    school's number put before each Kind-ID so that the IDs stay unique.
    CSV styles only; the XLSX style is one school at any size.
    """
    from sample_data.generate import STYLES

    if style not in STYLES:
        raise SystemExit(f"Unbekannter Stil {style!r}; möglich: {', '.join(STYLES)}")
    names = EXPORT_NAMES[style]
    target = folder / f"{style}_{rows}_{seed}"
    exports = [target / name for name in names]
    pupil_list = target / "schueler_ids.csv"
    if (target / ".fertig").exists():
        return exports, pupil_list
    schools = 1 if style == "sibank" else max(1, round(rows / SCHOOL_ROWS))
    if schools == 1:
        _generate_one(style, rows, seed=seed, out=target)
    else:
        per_school = rows / schools
        for k in range(schools):
            part = target / "teile" / f"{k:04d}"
            _generate_one(style, per_school, seed=seed * 100_000 + k, out=part)
            for name in [*names, "schueler_ids.csv"]:
                _append_school(part / name, target / name, prefix=f"{k:04d}")
            shutil.rmtree(part)
        shutil.rmtree(target / "teile")
    (target / ".fertig").write_text("ok\n")
    return exports, pupil_list


def _generate_one(style: str, rows: float, *, seed: int, out: Path) -> None:
    from sample_data.generate import generate_school

    pupils = max(1, round(rows / ROWS_PER_PUPIL))
    generate_school(style, pupils=pupils, seed=seed, out=out)


def _append_school(source: Path, target: Path, *, prefix: str) -> None:
    """Append one school's file to the joined file, Kind-IDs made unique.

    Every line that starts with a number followed by ``;`` (the Kind-ID is the
    first column in the CSV styles) gets ``prefix`` before that number; the
    header is written only for the first school.
    """
    lines = source.read_bytes().splitlines(keepends=True)
    tag = prefix.encode()
    body = [
        tag + line if line[:1].isdigit() and b";" in line else line
        for line in lines[1:]
    ]
    body = _spread_school(lines[0], body, school=int(prefix))
    with target.open("ab") as out:
        if out.tell() == 0:
            out.write(lines[0])
        out.writelines(body)


def _spread_school(header: bytes, body: list[bytes], *, school: int) -> list[bytes]:
    """Give each school a region and contact data of its own.

    The generator draws every school of a style from the same few PLZ, and
    builds e-mail addresses and phone numbers from the same name lists; a
    state spreads over thousands of PLZ, and two parents of the same name in
    different schools do not share an address, a mailbox or a number. Without
    this, joining 400 generated schools would make the persons' PLZ blocks
    grow with the number of schools and merge strangers across schools by
    e-mail or phone, which no real export does. So, per school: the PLZ is
    shifted, a school tag goes before the ``@`` of each e-mail address, and
    the number made of the last three digits of each phone cell is shifted.
    The planted faults (typos, several addresses in a cell, family e-mails
    within a school) stay.
    Lines with quotes are left as they are (a few planted cells).
    """
    names = [n.upper() for n in header.rstrip(b"\r\n").split(b";")]
    plz_cols = [i for i, name in enumerate(names) if b"PLZ" in name]
    mail_cols = [i for i, name in enumerate(names) if b"MAIL" in name]
    phone_cols = [
        i for i, name in enumerate(names)
        if any(k in name for k in (b"TEL", b"HANDY", b"MOBIL", b"FON"))
    ]  # fmt: skip
    shift = school * 211
    mail_tag = b".s%d@" % school

    def phone(value: bytes) -> bytes:
        """Shift the number made of the value's last three digits."""
        spots = [m.start() for m in _DIGIT.finditer(value)][-3:]
        if len(spots) < 3:
            return value
        last = (int(bytes(value[i] for i in spots)) + school * 37) % 1000
        shifted = bytearray(value)
        for i, digit in zip(spots, b"%03d" % last, strict=True):
            shifted[i] = digit
        return bytes(shifted)

    out = []
    for line in body:
        fields = line.split(b";")
        if b'"' in line or len(fields) != len(names):
            out.append(line)
            continue
        for i in plz_cols:
            value = fields[i].strip()
            if len(value) == 5 and value.isdigit():
                plz = 1000 + (int(value) - 1000 + shift) % 99000
                fields[i] = fields[i].replace(value, b"%05d" % plz)
        for i in mail_cols:
            fields[i] = fields[i].replace(b"@", mail_tag)
        for i in phone_cols:
            fields[i] = phone(fields[i])
        out.append(b";".join(fields))
    return out


_DIGIT = re.compile(rb"\d")


def measure(rows: int, *, style: str, seed: int, folder: Path) -> dict:
    """Generate one size and measure it in a fresh subprocess."""
    started = time.perf_counter()
    exports, pupil_list = generate(rows, style=style, seed=seed, folder=folder)
    generated = time.perf_counter() - started
    work = folder / f"lauf_{style}_{rows}"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(work),
        "--schueler",
        str(pupil_list),
        *map(str, exports),
    ]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:  # the worker's progress and error went to stderr
        sys.stderr.write(
            f"Messlauf für {rows} Zeilen ist fehlgeschlagen (Code {done.returncode}).\n"
        )
        return {"size": rows, "style": style, "failed": done.returncode}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures.update(size=rows, style=style, generated=generated)
    return figures


def growth(small: dict, large: dict, stage: str | None = None) -> float | None:
    """Time factor per ten times the rows between two sizes (12 is the limit)."""
    if stage is None:
        a, b = small["total"], large["total"]
    else:
        a, b = small["stages"].get(stage), large["stages"].get(stage)
    if not a or not b or large["rows"] <= small["rows"]:
        return None
    exponent = math.log(10) / math.log(large["rows"] / small["rows"])
    return (b / a) ** exponent


def render_table(results: Sequence[dict]) -> str:
    """Return the Markdown table of all sizes (seconds per stage and totals)."""
    failed = [r["size"] for r in results if "failed" in r]
    results = [r for r in results if "failed" not in r]
    if not results:
        return f"Kein Messlauf ist fertig geworden ({failed})."
    head = ["Stufe", *(f"{r['rows']:,} Zeilen".replace(",", ".") for r in results)]
    pairs = list(itertools.pairwise(results))
    head += [f"×10 ({i + 1}→{i + 2})" for i in range(len(pairs))]
    lines = [_row(head), _row(["---"] + ["---:"] * (len(head) - 1))]

    def add(label: str, values: list[str], stage: str | None = None) -> None:
        factors = [growth(a, b, stage) for a, b in pairs]
        lines.append(_row([label, *values, *(_factor(f) for f in factors)]))

    for label, _ in STAGES:
        add(label, [_sec(r["stages"].get(label)) for r in results], label)
    add("**ganzer Lauf**", [f"**{_sec(r['total'])}**" for r in results])
    extra = [
        ("Ziel", [_target(r) for r in results]),
        ("Zeilen/s", [_num(r["rows"] / r["total"]) for r in results]),
        ("Spitze Speicher", [f"{_num(r['peak_mb'])} MB" for r in results]),
        ("Polars lesen+schreiben", [_sec(r["baseline"]) for r in results]),
        ("Lauf ÷ Polars", [f"{r['total'] / r['baseline']:.0f}×" for r in results]),
        ("Stil", [r["style"] for r in results]),
    ]
    for label, values in extra:
        lines.append(_row([label, *values, *([""] * len(pairs))]))
    if failed:
        lines.append(f"\nNicht fertig geworden: {', '.join(map(str, failed))} Zeilen.")
    return "\n".join(lines)


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _sec(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _factor(value: float | None) -> str:
    if value is None:
        return "–"
    mark = "" if value <= TARGET_GROWTH else " ⚠"
    return f"{value:.1f}{mark}"


def _target(result: dict) -> str:
    limit = TARGET_SECONDS.get(result["size"])
    if limit is None:
        return "–"
    ok = result["total"] < limit
    if result["size"] >= 1_000_000:
        ok = ok and result["peak_mb"] < TARGET_PEAK_MB
        return f"< {limit:.0f} s, < 4 GB {'✓' if ok else '✗'}"
    return f"< {limit:.0f} s {'✓' if ok else '✗'}"


def machine() -> str:
    """One line about the machine the figures come from."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    import polars as pl

    return (
        f"{platform.system()} {platform.machine()}, {cores or os.cpu_count()} Kerne, "
        f"Python {platform.python_version()}, polars {pl.__version__}"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Misst elternkit Stufe für Stufe an synthetischen Exporten."
    )
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="Elternzeilen je Größe (Vorgabe: 2500 50000 1000000)",
    )
    parser.add_argument(
        "--style",
        choices=["danis", "sibank", "bbs"],
        default="danis",
        help="Exportstil (danis: CSV cp1252, sibank: XLSX, bbs: zwei CSV)",
    )
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument(
        "--daten",
        type=Path,
        default=None,
        help="Ordner für die erzeugten Exporte (bleiben erhalten; sonst temporär)",
    )
    parser.add_argument("--json", type=Path, default=None, help="Ergebnis als JSON")
    parser.add_argument("--worker", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--schueler", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("exports", nargs="*", type=Path, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.worker is not None:
        figures = run_worker(args.exports, args.schueler, args.worker)
        print(json.dumps(figures))
        return 0

    with tempfile.TemporaryDirectory(prefix="elternkit-bench-") as tmp:
        folder = args.daten or Path(tmp)
        results = []
        for rows in args.rows:
            result = measure(rows, style=args.style, seed=args.seed, folder=folder)
            results.append(result)
            if "failed" in result:
                continue
            sys.stderr.write(
                f"{rows} Zeilen: {result['total']:.2f} s "
                f"(Erzeugen {result['generated']:.1f} s)\n"
            )
    print(f"Rechner: {machine()}\n")
    print(render_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(r.get("adds_up") for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
