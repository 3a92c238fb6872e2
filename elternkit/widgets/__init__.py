"""Notebook widgets of elternkit (ipywidgets); each is tested headlessly.

Every widget is a thin layer over pure functions of the package; its
callbacks run through :func:`elternkit.widgets.guard.guarded`, so errors
appear inside the notebook.
"""

from elternkit.widgets.charts import show_fill_chart, show_findings_chart
from elternkit.widgets.findings import FindingsBrowser, filter_findings
from elternkit.widgets.mapping import MappingWidget
from elternkit.widgets.proposals import ProposalsWidget, collect_proposals
from elternkit.widgets.review import ReviewWidget, evidence_html
from elternkit.widgets.workspace import Workspace, open_workspace, sample_schools

__all__ = [
    "FindingsBrowser",
    "MappingWidget",
    "ProposalsWidget",
    "ReviewWidget",
    "Workspace",
    "collect_proposals",
    "evidence_html",
    "filter_findings",
    "open_workspace",
    "sample_schools",
    "show_fill_chart",
    "show_findings_chart",
]
