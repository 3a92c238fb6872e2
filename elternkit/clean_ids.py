"""Kind-ID rule: undo the ``.0`` a spreadsheet appends to whole numbers.

A Kind-ID stored as a number and saved as text comes out as ``20221048.0``
(or ``20221048,0``). IServ compares the Kind-ID as text, so the parent would
stay without a child. Whole numbers with only zeros after the decimal mark
are written without them; the change is recorded and reported. Leading zeros
are never touched (``007`` stays ``007``), and anything else (``1e5``,
``7.5``) is left for the checks to report.
"""

from __future__ import annotations

import polars as pl

from elternkit.findings import Hit, define_code
from elternkit.options import Options
from elternkit.rules import Outcome, Stage, apply_value_rule
from elternkit.text import excel_whole_number

define_code(
    "kind_id_nachkomma_entfernt",
    "hinweis",
    "„.0“ an der Kind-ID entfernt",
    "Die Kind-ID „{wert}“ endete auf Nullen nach dem Komma: Ein "
    "Tabellenprogramm hatte sie als Zahl gespeichert. IServ vergleicht die "
    "Kind-ID als Text; deshalb wurde „{detail}“ exportiert. Bitte künftig ohne "
    "Umweg über Excel exportieren.",
)


def normalize_kind_id(value: str) -> Outcome:
    """Drop a zero fraction from a whole-number Kind-ID.

    >>> outcome = normalize_kind_id("20221048.0")
    >>> outcome.value, outcome.rule
    ('20221048', 'kind_id_nachkomma_entfernt')
    >>> normalize_kind_id("007").value, normalize_kind_id("7.5").value
    ('007', '7.5')
    """
    whole = excel_whole_number(value)
    if whole is None:
        return Outcome(value)
    return Outcome(
        whole, "kind_id_nachkomma_entfernt", (Hit("kind_id_nachkomma_entfernt", whole),)
    )


def clean_kind_id(frame: pl.DataFrame, *, options: Options = Options()) -> Stage:
    """Apply :func:`normalize_kind_id` once per distinct Kind-ID.

    ``options`` is accepted for the common stage signature; no option changes
    this rule.

    >>> from elternkit.schema import conform_long
    >>> df = conform_long(pl.DataFrame({"_row": [0, 1], "zeile": [2, 3],
    ...     "kind_id": ["4711.0", "004711"]}))
    >>> clean_kind_id(df).frame["kind_id"].to_list()
    ['4711', '004711']
    """
    del options
    # only a value with a zero fraction can change: the others (nearly all)
    # skip the Python call
    unchanged = ~pl.col("kind_id").str.contains(r"[.,]0")
    return apply_value_rule(frame, "kind_id", normalize_kind_id, skip=unchanged)
