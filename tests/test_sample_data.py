"""The synthetic sample exports: reproducible, and the truth files tell the truth."""

from __future__ import annotations

import csv
import doctest
import importlib
import io
import re
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import phonenumbers
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sample_data.faults import DOMAIN_TYPOS  # noqa: E402
from sample_data.generate import DEFAULT_SEED, STYLES, generate_school  # noqa: E402
from sample_data.people import NAME_VARIANTS  # noqa: E402
from sample_data.styles import (  # noqa: E402
    BBS_GUARDIAN_HEADER,
    DANIS_HEADER,
    SIBANK_HEADER,
    SIBANK_HEADER_ROW,
)

SAMPLE = ROOT / "sample_data"
SCHOOLS = {spec.folder: name for name, spec in STYLES.items()}
ALLOWED_DOMAINS = {
    "example.org", "example.net", "example.com", "gmx.de", "web.de",
    "t-online.de", "gmail.com",
}  # fmt: skip
AGREED_DANIS = (
    "Schüler-ID;Nachname;Vorname;Klasse;Erz1_Anrede;Erz1_Vorname;Erz1_Nachname;"
    "Erz1_Straße;Erz1_PLZ;Erz1_Ort;Erz1_Telefon;Erz1_EMail;Erz2_Anrede;Erz2_Vorname;"
    "Erz2_Nachname;Erz2_Straße;Erz2_PLZ;Erz2_Ort;Erz2_Telefon;Erz2_EMail"
)
AGREED_BBS = (
    "Schueler_ID;Art;Anrede;Vorname;Nachname;Strasse;Hausnr;PLZ;Ort;Telefon;EMail;"
    "Auskunftssperre"
)
_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def read_csv(path: Path, encoding: str) -> list[list[str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def read_truth(folder: str) -> list[dict[str, str]]:
    text = (SAMPLE / folder / "wahrheit.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _danis_cells(line: list[str], slot: str) -> dict[str, object]:
    record = dict(zip(DANIS_HEADER, line, strict=True))
    prefix = f"Erz{slot}_"
    return {
        "kind": record["Schüler-ID"],
        "anrede": record[prefix + "Anrede"],
        "vorname": record[prefix + "Vorname"],
        "nachname": record[prefix + "Nachname"],
        "strasse": record[prefix + "Straße"],
        "plz": record[prefix + "PLZ"],
        "ort": record[prefix + "Ort"],
        "telefon": record[prefix + "Telefon"],
        "email": record[prefix + "EMail"],
    }


def _bbs_cells(line: list[str]) -> dict[str, object]:
    record = dict(zip(BBS_GUARDIAN_HEADER, line, strict=True))
    street = f"{record['Strasse']} {record['Hausnr']}".rstrip()
    return {
        "kind": record["Schueler_ID"],
        "art": record["Art"],
        "vorname": record["Vorname"],
        "nachname": record["Nachname"],
        "strasse": street,
        "plz": record["PLZ"],
        "ort": record["Ort"],
        "telefon": record["Telefon"],
        "email": record["EMail"],
        "sperre": record["Auskunftssperre"],
        "line": line,
    }


def _sibank_cells(sheet, zeile: int, slot: str) -> dict[str, object]:
    cells = {name: sheet.cell(zeile, col + 1) for col, name in enumerate(SIBANK_HEADER)}

    def get(name: str) -> object:
        value = cells[f"{name}_{slot}"].value
        return "" if value is None else value

    street = f"{get('Straße')} {get('Hausnummer')}".rstrip()
    return {
        "kind": cells["SchülerNr"].value,
        "kind_format": cells["SchülerNr"].number_format,
        "vorname": get("Vorname"),
        "nachname": get("Nachname"),
        "strasse": street,
        "plz": get("PLZ"),
        "ort": get("Ort"),
        "telefon": get("Telefon"),
        "email": get("E-Mail"),
    }


@pytest.fixture(scope="module")
def slots() -> dict[tuple[str, str, str], dict[str, object]]:
    """Cells of every (school, zeile, slot) the truth files name in an export."""
    found = {}
    danis = read_csv(SAMPLE / "grundschule_am_see" / "danis_export.csv", "cp1252")
    bbs = read_csv(SAMPLE / "bbs_mitte" / "erziehungsberechtigte.csv", "utf-8-sig")
    workbook = openpyxl.load_workbook(SAMPLE / "gymnasium_nord" / "sibank_export.xlsx")
    for folder in SCHOOLS:
        for t in read_truth(folder):
            zeile, slot = int(t["zeile"]), t["slot"]
            if t["quelle"] == "danis_export.csv":
                cells = _danis_cells(danis[zeile - 1], slot)
            elif t["quelle"] == "erziehungsberechtigte.csv":
                cells = _bbs_cells(bbs[zeile - 1])
                cells["next"] = bbs[zeile] if zeile < len(bbs) else None
                cells["previous"] = bbs[zeile - 2]
            elif t["quelle"] == "sibank_export.xlsx":
                cells = _sibank_cells(workbook.active, zeile, slot)
            else:
                continue
            found[(folder, t["zeile"], slot)] = cells | {"truth": t}
    return found


def planted(
    slots: dict[tuple[str, str, str], dict[str, object]], code: str
) -> list[dict[str, object]]:
    hits = [c for c in slots.values() if code in c["truth"]["fehler"].split(",")]
    assert hits, f"{code} is planted nowhere"
    return hits


# --- reproducibility ---------------------------------------------------------


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    for name, spec in STYLES.items():
        generate_school(
            name, pupils=spec.pupils, seed=DEFAULT_SEED, out=out / spec.folder
        )
    return out


@pytest.mark.parametrize(
    "relative",
    sorted(
        str(p.relative_to(SAMPLE))
        for folder in SCHOOLS
        for p in (SAMPLE / folder).iterdir()
    ),
)
def test_generator_reproduces_committed_files_byte_for_byte(
    regenerated: Path, relative: str
) -> None:
    assert (regenerated / relative).read_bytes() == (SAMPLE / relative).read_bytes()


@pytest.mark.parametrize("module", ["people", "rows", "faults", "cells"])
def test_generator_doctests_pass(module: str) -> None:
    failed, attempted = doctest.testmod(
        importlib.import_module(f"sample_data.{module}"), report=False
    )

    assert attempted > 0 and failed == 0


def test_unknown_style_is_refused_in_german(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Unbekannter Stil 'asv'; möglich sind"):
        generate_school("asv", pupils=10, seed=1, out=tmp_path)


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("pupils", [12, 600], ids=["klein", "gross"])
def test_other_sizes_and_seeds_generate(
    tmp_path: Path, style: str, pupils: int
) -> None:
    school = generate_school(style, pupils=pupils, seed=7, out=tmp_path)

    assert school.pupils == pupils
    pupil_list = read_csv(school.pupil_list, STYLES[style].encoding)
    assert len(pupil_list) == pupils + 1
    assert school.truth_rows > pupils


# --- file formats ------------------------------------------------------------


def test_danis_file_is_windows_1252_with_crlf() -> None:
    raw = (SAMPLE / "grundschule_am_see" / "danis_export.csv").read_bytes()

    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.startswith("Schüler-ID;".encode("cp1252"))
    assert b"\xfc" in raw  # ü as one byte
    assert raw.count(b"\r\n") == raw.count(b"\n")


def test_danis_kind_ids_keep_leading_zeros() -> None:
    rows = read_csv(SAMPLE / "grundschule_am_see" / "danis_export.csv", "cp1252")
    ids = [row[0] for row in rows[1:] if row[0]]

    assert all(re.fullmatch(r"0\d{5}", kind_id) for kind_id in ids)


def test_bbs_files_are_utf8_with_bom() -> None:
    for name in ("schueler.csv", "erziehungsberechtigte.csv", "schueler_ids.csv"):
        raw = (SAMPLE / "bbs_mitte" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        raw.decode("utf-8")


@pytest.mark.parametrize(
    ("folder", "name", "header"),
    [
        ("grundschule_am_see", "danis_export.csv", AGREED_DANIS),
        ("bbs_mitte", "erziehungsberechtigte.csv", AGREED_BBS),
        ("bbs_mitte", "schueler.csv", "Schueler_ID;Name;Vorname;Klasse;Geburtsdatum"),
        ("grundschule_am_see", "schueler_ids.csv", "Kind-ID;Vorname;Nachname;Klasse"),
        ("gymnasium_nord", "schueler_ids.csv", "Kind-ID;Vorname;Nachname;Klasse"),
    ],
    ids=["danis", "bbs-eltern", "bbs-schueler", "ids-see", "ids-nord"],
)
def test_csv_headers_are_the_agreed_ones(
    folder: str, name: str, header: list[str]
) -> None:
    encoding = {"grundschule_am_see": "cp1252"}.get(folder, "utf-8-sig")

    assert read_csv(SAMPLE / folder / name, encoding)[0] == header.split(";")


def test_sibank_sheet_has_title_lines_and_numeric_plz() -> None:
    sheet = openpyxl.load_workbook(
        SAMPLE / "gymnasium_nord" / "sibank_export.xlsx"
    ).active
    header = [c.value for c in sheet[SIBANK_HEADER_ROW]]
    plz_columns = [i + 1 for i, name in enumerate(header) if name.startswith("PLZ_")]
    plz = [
        sheet.cell(r, col).value
        for r in range(SIBANK_HEADER_ROW + 1, sheet.max_row + 1)
        for col in plz_columns
        if sheet.cell(r, col).value is not None
    ]

    assert sheet["A1"].value == "Schülerliste mit Erziehungsberechtigten"
    assert sheet["A2"].value == "Stand: 01.08.2026"
    assert header == SIBANK_HEADER
    assert plz and all(isinstance(v, int) for v in plz)
    assert any(v < 10000 for v in plz)  # 01067 lost its zero


def test_no_formula_in_the_workbook() -> None:
    sheet = openpyxl.load_workbook(
        SAMPLE / "gymnasium_nord" / "sibank_export.xlsx"
    ).active

    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# --- synthetic only ----------------------------------------------------------


@pytest.mark.parametrize("folder", sorted(SCHOOLS))
def test_contacts_are_synthetic(folder: str) -> None:
    truth = read_truth(folder)
    emails = [e for t in truth for e in t["email_wahr"].split("|") if e]
    phones = [p for t in truth for p in t["telefon_wahr"].split("|") if p]

    assert {e.split("@")[1] for e in emails} <= ALLOWED_DOMAINS
    for phone in phones:
        number = phonenumbers.parse(phone)
        assert phonenumbers.is_valid_number(number), phone
        national = str(number.national_number)
        assert "555" in national[2:9], phone


# --- the truth files tell the truth -------------------------------------------


def test_every_planned_fault_is_planted_at_default_size() -> None:
    for folder, style in SCHOOLS.items():
        codes = Counter(
            code for t in read_truth(folder) for code in t["fehler"].split(",") if code
        )
        missing = set(STYLES[style].plan) - set(codes)
        assert not missing, (folder, missing)


def test_every_code_is_documented_in_the_readme() -> None:
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", readme, flags=re.MULTILINE))
    used = {
        code
        for folder in SCHOOLS
        for t in read_truth(folder)
        for code in t["fehler"].split(",")
        if code
    }

    assert used <= documented, used - documented


def _street_of(truth: dict[str, str]) -> str:
    return truth["adresse_wahr"].split(",")[0]


def _address(cells: dict[str, object]) -> str:
    return f"{cells['strasse']}, {str(cells['plz']).zfill(5)} {cells['ort']}"


CHECKS = {
    "grossbuchstaben": lambda c, t: c["vorname"] == t["vorname_wahr"].upper(),
    "kleinbuchstaben": lambda c, t: c["nachname"] == t["nachname_wahr"].lower(),
    "namen_vertauscht": lambda c, t: (
        (c["vorname"], c["nachname"]) == (t["nachname_wahr"], t["vorname_wahr"])
    ),
    "ohne_name": lambda c, t: c["vorname"] == c["nachname"] == "" and t["vorname_wahr"],
    "formel_zeichen": lambda c, t: c["nachname"][0] in "=@",
    "anrede_im_namen": lambda c, t: (
        c["vorname"] == "Herr und Frau" and "|" in t["person_wahr"]
    ),
    "zwei_personen_in_zelle": lambda c, t: (
        re.fullmatch(r"\S+ (u\.|und) \S+", c["vorname"])
        and t["person_wahr"].count("|") == 1
    ),
    "mojibake": lambda c, t: "Ã" in c["vorname"] + c["nachname"],
    "schreibvariante_vorname": lambda c, t: (
        c["vorname"] == NAME_VARIANTS[t["vorname_wahr"]]
    ),
    "schreibvariante_nachname": lambda c, t: (
        c["nachname"] == t["nachname_wahr"].translate(_TRANSLIT) != t["nachname_wahr"]
    ),
    "geschuetztes_leerzeichen": lambda c, t: c["nachname"].endswith("\u00a0"),
    "nullbreite_zeichen": lambda c, t: c["email"] == "\u200b" + t["email_wahr"],
    "doppelte_leerzeichen": lambda c, t: "  " in c["strasse"] + c["ort"],
    "veraltete_adresse": lambda c, t: _address(c) != t["adresse_wahr"],
    "strasse_schreibweise": lambda c, t: not c["strasse"].startswith(_street_of(t)),
    "hausnr_ohne_leerzeichen": lambda c, t: re.search(r"str\.\d", c["strasse"]),
    "telefon_plus49_null": lambda c, t: c["telefon"].startswith("+49 (0)"),
    "telefon_schraegstrich": lambda c, t: re.fullmatch(r"0\d+/555\d+", c["telefon"]),
    "telefon_0049": lambda c, t: c["telefon"].startswith("0049 "),
    "telefon_klammern": lambda c, t: re.fullmatch(r"\(0\d+\) [\d ]+-\d", c["telefon"]),
    "telefon_beschriftung": lambda c, t: c["telefon"].startswith("Tel. privat: 0"),
    "telefon_mobil_bindestrich": lambda c, t: re.fullmatch(
        r"01\d\d-555\d{5}", c["telefon"]
    ),
    "telefon_ungueltig": lambda c, t: c["telefon"] == "12345" and not t["telefon_wahr"],
    "telefon_zahl": lambda c, t: (
        isinstance(c["telefon"], int) and "+49" + str(c["telefon"]) == t["telefon_wahr"]
    ),
    "telefon_exponent": lambda c, t: re.fullmatch(r"4,9\d{4}E\+12", c["telefon"]),
    "mehrere_emails": lambda c, t: (
        c["email"].count("@") == 2 and c["email"].startswith(t["email_wahr"] + "; ")
    ),
    "email_at_klammer": lambda c, t: c["email"] == t["email_wahr"].replace("@", "(at)"),
    "email_mit_bemerkung": lambda c, t: c["email"].startswith(t["email_wahr"] + " "),
    "email_tippfehler_domain": lambda c, t: (
        c["email"].split("@")[1] in DOMAIN_TYPOS.values()
    ),
    "email_grossschreibung": lambda c, t: (
        c["email"] != t["email_wahr"] and c["email"].lower() == t["email_wahr"]
    ),
    "kind_id_fehlt": lambda c, t: c["kind"] in ("", None) and t["kind_id_wahr"],
    "kind_id_float": lambda c, t: c["kind_format"] == "0.0",
    "kind_id_text_float": lambda c, t: c["kind"] == t["kind_id_wahr"] + ".0",
    "plz_zahl": lambda c, t: isinstance(c["plz"], int) and c["plz"] < 10000,
    "auskunftssperre": lambda c, t: c["sperre"] == "ja",
    "doppelte_zeile": lambda c, t: c["line"] in (c["next"], c["previous"]),
    "dritte_person": lambda c, t: c["art"] not in ("Vater", "Mutter"),
    "familien_email": lambda c, t: "fam" in c["email"],
}


@pytest.mark.parametrize("code", sorted(CHECKS))
def test_planted_fault_is_visible_in_the_export(slots, code: str) -> None:
    for cells in planted(slots, code):
        assert CHECKS[code](cells, cells["truth"]), (code, cells)


def test_clean_slots_show_the_truth(slots) -> None:
    clean = [c for c in slots.values() if not c["truth"]["fehler"]]

    assert len(clean) > 500
    for c in clean:
        t = c["truth"]
        assert (c["vorname"], c["nachname"]) == (t["vorname_wahr"], t["nachname_wahr"])
        assert c["email"] == t["email_wahr"]
        assert _address(c) == t["adresse_wahr"]


def _others(slots, cells, key: str) -> set[str]:
    t = cells["truth"]
    return {
        c["truth"]["person_wahr"]
        for c in slots.values()
        if c["truth"][key] == t[key] and c["truth"]["person_wahr"] != t["person_wahr"]
    }


def test_namesakes_are_different_people_with_one_name(slots) -> None:
    for cells in planted(slots, "namensvetter"):
        t = cells["truth"]
        twins = [
            c["truth"]
            for c in slots.values()
            if (c["truth"]["vorname_wahr"], c["truth"]["nachname_wahr"])
            == (t["vorname_wahr"], t["nachname_wahr"])
            and c["truth"]["person_wahr"] != t["person_wahr"]
        ]
        assert twins
        assert all(o["adresse_wahr"] != t["adresse_wahr"] for o in twins)


def test_family_contacts_are_shared_by_two_people(slots) -> None:
    for cells in planted(slots, "gemeinsames_festnetz"):
        assert len(_others(slots, cells, "telefon_wahr")) == 1
        assert len(_others(slots, cells, "email_wahr")) == 1
        assert len(_others(slots, cells, "adresse_wahr")) >= 1


@pytest.mark.parametrize("folder", sorted(SCHOOLS))
def test_pupil_list_marks(folder: str) -> None:
    encoding = STYLES[SCHOOLS[folder]].encoding
    pupils = read_csv(SAMPLE / folder / "schueler_ids.csv", encoding)
    in_export = {t["kind_id_wahr"] for t in read_truth(folder) if t["slot"]}
    marks = [t for t in read_truth(folder) if t["quelle"] == "schueler_ids.csv"]
    ids = Counter(row[0] for row in pupils[1:])

    for t in marks:
        assert pupils[int(t["zeile"]) - 1][0] == t["kind_id_wahr"]
        if "kind_ohne_eltern" in t["fehler"]:
            assert t["kind_id_wahr"] not in in_export
        if "kind_id_doppelt" in t["fehler"]:
            assert ids[t["kind_id_wahr"]] == 2
    assert any("kind_ohne_eltern" in t["fehler"] for t in marks)
