"""nbval runs every notebook here as part of ``uv run pytest`` (``--nbval-lax``).

The notebooks write into a working folder; during the tests it is a fresh
temporary folder (``ELTERNKIT_ARBEITSORDNER``), so a developer's own
``arbeitsdaten/`` is neither read nor changed. The kernels inherit the
variable because nbval starts them after this file is loaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from elternkit.widgets.workspace import WORK_FOLDER_VARIABLE

_FOLDER = tempfile.mkdtemp(prefix="elternkit-notebooks-")
_BEFORE = os.environ.get(WORK_FOLDER_VARIABLE)
os.environ[WORK_FOLDER_VARIABLE] = _FOLDER


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the temporary working folder and restore the variable."""
    shutil.rmtree(_FOLDER, ignore_errors=True)
    if _BEFORE is None:
        os.environ.pop(WORK_FOLDER_VARIABLE, None)
    else:
        os.environ[WORK_FOLDER_VARIABLE] = _BEFORE
