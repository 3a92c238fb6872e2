"""Write the synthetic exports of the invented schools, with a truth file each.

Usage::

    uv run python sample_data/generate.py                 # rebuild sample_data/
    uv run python sample_data/generate.py --out /tmp/x --seed 7 --pupils 2000

The same seed gives byte-identical files. The benchmark calls
:func:`generate_school` directly.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from faker import Faker

if __package__ in (None, ""):  # run as a script: make ``sample_data`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample_data.cells import CELL_PLANTS, CellPlanter
from sample_data.faults import MODEL_PLANTS, ModelPlanter
from sample_data.people import FamilyMaker, SchoolShape
from sample_data.rows import TRUTH_HEADER
from sample_data.styles import (
    Style,
    assign_kind_ids,
    render,
    write_bbs,
    write_danis,
    write_pupil_list,
    write_sibank,
)

DEFAULT_SEED = 20260801
#: Added to the seed so that the schools of one run differ from each other.
_STYLE_SALT = {"danis": 1, "sibank": 2, "bbs": 3}

# fmt: off
#: Faults planted in every school, once each unless the school's plan says more.
_EVERY_SCHOOL = (
    "schreibvariante_vorname", "namensvetter", "namenszusatz", "familien_email",
    "kind_ohne_eltern", "veraltete_adresse", "email_grossschreibung",
    "strasse_schreibweise", "zwei_personen_in_zelle", "namen_vertauscht",
    "grossbuchstaben", "kleinbuchstaben", "ohne_name", "formel_zeichen",
    "geschuetztes_leerzeichen", "doppelte_leerzeichen", "hausnr_ohne_leerzeichen",
    "telefon_plus49_null", "telefon_0049", "mehrere_emails", "email_mit_bemerkung",
    "email_tippfehler_domain", "kind_id_fehlt",
)
# fmt: on


def _plan(**counts: int) -> dict[str, int]:
    """How often each fault is planted: every-school faults, then the school's own."""
    return {code: 1 for code in _EVERY_SCHOOL} | counts


# fmt: off
STYLES: dict[str, Style] = {
    "danis": Style(
        name="danis",
        folder="grundschule_am_see",
        pupils=180,
        shape=SchoolShape(
            region="steinhuder_meer",
            grades=tuple((str(g), "abc", 2020 - g) for g in range(1, 5)),
            has_third_guardian=False,
            has_same_sex_couples=True,
        ),
        encoding="cp1252",
        plan=_plan(
            schreibvariante_vorname=2, schreibvariante_nachname=1, namenszusatz=2,
            familien_email=2, kind_id_doppelt=1, kind_ohne_eltern=2,
            veraltete_adresse=2, email_grossschreibung=2, zwei_personen_in_zelle=2,
            anrede_im_namen=1, namen_vertauscht=2, grossbuchstaben=3, kleinbuchstaben=2,
            geschuetztes_leerzeichen=3, doppelte_leerzeichen=3,
            hausnr_ohne_leerzeichen=2, telefon_schraegstrich=2, telefon_klammern=1,
            telefon_beschriftung=1, telefon_mobil_bindestrich=3, telefon_ungueltig=1,
            email_at_klammer=1,
        ),
    ),
    "sibank": Style(
        name="sibank",
        folder="gymnasium_nord",
        pupils=280,
        shape=SchoolShape(
            region="dresden",
            grades=tuple(
                (str(g), "abcd" if g < 11 else "", 2020 - g) for g in range(5, 13)
            ),
            has_third_guardian=False,
            has_same_sex_couples=False,
        ),
        encoding="utf-8",
        plan=_plan(
            schreibvariante_nachname=2, namenszusatz=2, familien_email=2,
            veraltete_adresse=2, strasse_schreibweise=2, grossbuchstaben=2,
            kleinbuchstaben=2, geschuetztes_leerzeichen=2, nullbreite_zeichen=2,
            doppelte_leerzeichen=2, telefon_plus49_null=2, telefon_klammern=1,
            telefon_beschriftung=1, telefon_zahl=25, telefon_exponent=2,
            email_tippfehler_domain=2, kind_id_float=6, kind_id_text_float=2,
        ),
    ),
    "bbs": Style(
        name="bbs",
        folder="bbs_mitte",
        pupils=220,
        shape=SchoolShape(
            region="oldenburg",
            grades=(
                ("BFS-P1", "", 2010),
                ("BFS-W1", "", 2010),
                ("FOT11", "", 2009),
                ("FOW11", "", 2009),
                ("BG-T12", "", 2008),
                ("BG-W12", "", 2008),
                ("BEE21", "", 2009),
                ("BKL22", "", 2008),
            ),
            has_third_guardian=True,
            has_same_sex_couples=True,
        ),
        encoding="utf-8-sig",
        plan=_plan(
            schreibvariante_vorname=2, familien_email=2, auskunftssperre=4,
            kind_id_doppelt=1, veraltete_adresse=2, anrede_im_namen=1,
            grossbuchstaben=2, kleinbuchstaben=2, mojibake=4,
            geschuetztes_leerzeichen=2, nullbreite_zeichen=2, doppelte_leerzeichen=2,
            telefon_schraegstrich=1, telefon_mobil_bindestrich=2, telefon_ungueltig=1,
            email_at_klammer=1, doppelte_zeile=2,
        ),
    ),
}
# fmt: on


@dataclass(frozen=True)
class GeneratedSchool:
    """What :func:`generate_school` wrote."""

    style: str
    folder: Path
    exports: tuple[Path, ...]
    pupil_list: Path
    truth: Path
    pupils: int
    truth_rows: int


def _scaled(plan: dict[str, int], pupils: int, default: int) -> dict[str, int]:
    return {code: max(1, round(n * pupils / default)) for code, n in plan.items()}


def generate_school(
    style: str, *, pupils: int, seed: int, out: Path
) -> GeneratedSchool:
    """Write one invented school's export, pupil list and truth into ``out``.

    Parameters
    ----------
    style
        ``"danis"``, ``"sibank"`` or ``"bbs"`` (see ``STYLES``).
    pupils
        Number of pupils; the number of each planted fault grows with it.
    seed
        Same seed, same files, byte for byte.
    out
        Folder to write into; created if missing.
    """
    if style not in STYLES:
        msg = f"Unbekannter Stil {style!r}; möglich sind: {', '.join(STYLES)}."
        raise ValueError(msg)
    spec = STYLES[style]
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed * 10 + _STYLE_SALT[style])
    faker = Faker("de_DE")
    faker.seed_instance(seed * 10 + _STYLE_SALT[style])
    plan = _scaled(spec.plan, pupils, spec.pupils)

    maker = FamilyMaker(rng, faker, spec.shape)
    families = maker.families(pupils)
    assign_kind_ids(families, rng, style)
    model = ModelPlanter(rng, maker, families)
    for code, plant in MODEL_PLANTS.items():
        if code in plan:
            plant(model, plan[code])

    rows = render(style, families)
    reserved = {g.person for f in families for g in f.guardians if g.tags}
    cells = CellPlanter(rng, maker, rows, reserved)
    for code, plant in CELL_PLANTS.items():
        if code in plan:
            plant(cells, plan[code])

    all_pupils = [c for f in families for c in f.children]
    if style == "danis":
        truth = write_danis(cells.rows, out)
        exports = (out / "danis_export.csv",)
    elif style == "sibank":
        truth = write_sibank(cells.rows, out)
        exports = (out / "sibank_export.xlsx",)
    else:
        truth = write_bbs(cells.rows, out, all_pupils)
        exports = (out / "erziehungsberechtigte.csv", out / "schueler.csv")
    truth += write_pupil_list(all_pupils, out, encoding=spec.encoding)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(
        [TRUTH_HEADER, *truth]
    )
    (out / "wahrheit.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    return GeneratedSchool(
        style,
        out,
        exports,
        out / "schueler_ids.csv",
        out / "wahrheit.csv",
        len(all_pupils),
        len(truth),
    )


def generate_all(
    out: Path, *, seed: int = DEFAULT_SEED, pupils: int | None = None
) -> list[GeneratedSchool]:
    """Write every school into its folder below ``out``."""
    return [
        generate_school(
            name, pupils=pupils or spec.pupils, seed=seed, out=out / spec.folder
        )
        for name, spec in STYLES.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Erzeugt die synthetischen Beispielexporte."
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--pupils", type=int, default=None, help="Schüler je Schule")
    parser.add_argument("--style", choices=sorted(STYLES), default=None)
    args = parser.parse_args(argv)
    if args.style:
        spec = STYLES[args.style]
        target = args.out / spec.folder
        schools = [
            generate_school(
                args.style,
                pupils=args.pupils or spec.pupils,
                seed=args.seed,
                out=target,
            )
        ]
    else:
        schools = generate_all(args.out, seed=args.seed, pupils=args.pupils)
    for school in schools:
        counts = f"{school.pupils} Schüler, {school.truth_rows} Wahrheitszeilen"
        print(f"{school.folder}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
