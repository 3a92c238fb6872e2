"""Real browser: the mapping widget of 02_Spalten_zuordnen works in JupyterLab.

Opens the notebook in headless Chromium, runs all cells, changes one dropdown
of the widget, presses *Im Rezept speichern* and checks that the Rezept file
on disk now records the changed assignment.
"""

from __future__ import annotations

import time
from pathlib import Path

from elternkit.rezept import Rezept
from elternkit.widgets.session import mapping_widgets, read_exports, save_rezept
from elternkit.widgets.workspace import open_workspace

NOTEBOOK = "02_Spalten_zuordnen.ipynb"
SCHOOL = "gymnasium_nord"
#: The dropdown the test changes, and the column it held before.
TARGET_LABEL = "E-Mail (Mutter)"
TARGET_COLUMN = "E-Mail_M"
#: Longest wait for the Rezept to change after saving, in seconds.
SAVE_SECONDS = 60


def _recorded_field(rezept_path: Path, column: str) -> str | None:
    entries = [e for e in Rezept.load(rezept_path).mapping if e.spalte == column]
    return entries[0].feld if entries else None


def _prepare_rezept(lab) -> Path:  # lab: conftest.Lab
    """Save the suggested mapping first, so that 'changed' is meaningful."""
    workspace = open_workspace(SCHOOL, rezept=lab.work / SCHOOL / "rezept.toml")
    rezept = Rezept.new(SCHOOL)
    for widget in mapping_widgets(workspace, rezept, read_exports(workspace, rezept)):
        widget.save()
    save_rezept(rezept, workspace)
    return workspace.rezept_path


def _accept_kernel(page) -> None:
    """Confirm the 'Select Kernel' dialog JupyterLab shows for a new notebook."""
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select")
    try:
        select.wait_for(timeout=15_000)
    except Exception:  # no dialog: the kernel started by itself
        return
    select.click()


def test_mapping_dropdown_change_is_saved_to_the_rezept(lab, page) -> None:
    rezept_path = _prepare_rezept(lab)
    before = rezept_path.read_text(encoding="utf-8")
    assert _recorded_field(rezept_path, TARGET_COLUMN) == "email"

    page.goto(lab.notebook_url(NOTEBOOK))
    page.locator(".jp-Notebook").first.wait_for()
    _accept_kernel(page)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    dropdown = page.locator(".widget-dropdown", has_text=TARGET_LABEL).locator("select")
    try:
        dropdown.wait_for()
    except Exception:
        page.screenshot(path=str(lab.root.parent / "fehlschlag.png"))
        raise
    dropdown.select_option(label="— keine Spalte —")
    page.get_by_role("button", name="Im Rezept speichern").click()

    deadline = time.monotonic() + SAVE_SECONDS
    while rezept_path.read_text(encoding="utf-8") == before:
        assert time.monotonic() < deadline, "Rezept wurde nicht geändert"
        time.sleep(0.5)
    page.get_by_text("Rezept gespeichert").wait_for()
    assert _recorded_field(rezept_path, TARGET_COLUMN) in (None, "")
