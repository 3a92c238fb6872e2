"""elternkit: prepare guardian exports of school administration programs for IServ.

The public API; the command line and the notebooks are thin layers over it.

>>> import elternkit
>>> result = elternkit.prepare(["export.csv"])          # doctest: +SKIP
>>> elternkit.run_job(["export.csv"], out="ausgabe")    # doctest: +SKIP
"""

from elternkit.check import collapse_exact_duplicates, run_checks
from elternkit.clean_address import clean_address, compose_address, normalize_plz
from elternkit.clean_email import clean_email, normalize_email
from elternkit.clean_names import clean_names, fix_name_case, join_particles
from elternkit.clean_phone import clean_phone, normalize_phone
from elternkit.clean_text import clean_text, normalize_whitespace, repair_mojibake
from elternkit.errors import (
    ElternkitError,
    InputError,
    MappingError,
    OptionError,
    RezeptError,
)
from elternkit.findings import describe_codes
from elternkit.harmonize import FieldOverride, harmonize_persons
from elternkit.job import find_school_inputs, run_job, write_result
from elternkit.layouts import to_long
from elternkit.mapping import ColumnMapping, check_mapping, suggest_mapping
from elternkit.options import Options
from elternkit.persons import PairDecision, find_duplicates, preview_iserv
from elternkit.pipeline import JobResult, prepare, read_pupil_list
from elternkit.read import Export, ReadInfo, read_export
from elternkit.split_names import split_combined_names, split_full_name
from elternkit.swap_names import find_swapped_names

__all__ = [
    "ColumnMapping",
    "ElternkitError",
    "Export",
    "FieldOverride",
    "InputError",
    "JobResult",
    "MappingError",
    "OptionError",
    "Options",
    "PairDecision",
    "ReadInfo",
    "RezeptError",
    "check_mapping",
    "clean_address",
    "clean_email",
    "clean_names",
    "clean_phone",
    "clean_text",
    "collapse_exact_duplicates",
    "compose_address",
    "describe_codes",
    "find_duplicates",
    "find_school_inputs",
    "find_swapped_names",
    "fix_name_case",
    "harmonize_persons",
    "join_particles",
    "normalize_email",
    "normalize_phone",
    "normalize_plz",
    "normalize_whitespace",
    "prepare",
    "preview_iserv",
    "read_export",
    "read_pupil_list",
    "repair_mojibake",
    "run_checks",
    "run_job",
    "split_combined_names",
    "split_full_name",
    "suggest_mapping",
    "to_long",
    "write_result",
]
