"""Test configuration: slow tests run only when asked for.

``ELTERNKIT_SLOW=1 uv run pytest -m slow`` runs the tests marked ``slow``
(a sheet with a million rows, the long fuzz run); the normal suite and CI
skip them.
"""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: long-running test, run with ELTERNKIT_SLOW=1"
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    if os.environ.get("ELTERNKIT_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="langsamer Test: mit ELTERNKIT_SLOW=1 ausführen")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
