"""Fixtures of the real-browser tests: JupyterLab on loopback and Chromium.

JupyterLab is started here on 127.0.0.1 with a random free port and a random
token, in a temporary root folder (a copy of the notebooks, so the browser
never writes into the repository) and a temporary working folder; the
fixture stops it. Chromium is Debian's ``/usr/bin/chromium`` driven by
Playwright (no browser download); every request to an address other than
the loopback server is aborted. All waits are bounded.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: Longest wait for the server to answer, in seconds.
SERVER_START_SECONDS = 90
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAB_CONFIG = """\
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True  # CI runs as root
"""


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: where it listens and which folders it uses."""

    url: str
    token: str
    root: Path
    work: Path
    log: Path

    def notebook_url(self, name: str) -> str:
        """The URL that opens ``name`` in JupyterLab."""
        return f"{self.url}/lab/tree/{name}?token={self.token}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(lab: Lab, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab endete vorzeitig: {lab.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(
                f"{lab.url}/api/status?token={lab.token}", timeout=2
            ):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab antwortete nicht in {SERVER_START_SECONDS} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """Start JupyterLab on 127.0.0.1 and stop it after the tests."""
    base = tmp_path_factory.mktemp("lab")
    root, work, config = base / "root", base / "arbeit", base / "config"
    root.mkdir()
    config.mkdir()
    for notebook in NOTEBOOKS.glob("*.ipynb"):
        shutil.copy(notebook, root / notebook.name)
    (config / "jupyter_server_config.py").write_text(LAB_CONFIG)
    token = secrets.token_hex(16)
    port = _free_port()
    env = {
        **os.environ,
        "ELTERNKIT_ARBEITSORDNER": str(work),
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
    }
    log = base / "jupyterlab.log"
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=root
        )
    running = Lab(f"http://127.0.0.1:{port}", token, root, work, log)
    try:
        _wait_until_up(running, process)
        yield running
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def page(tmp_path: Path, lab: Lab) -> Iterator[object]:
    """A fresh Chromium page that may talk to the loopback server only."""
    if not CHROMIUM.exists():
        pytest.skip(
            "Chromium fehlt (/usr/bin/chromium): `apt-get install -y chromium`; "
            ".ci/run installiert es, dort läuft dieser Test immer."
        )
    from playwright.sync_api import Route, sync_playwright

    allowed = urlsplit(lab.url).netloc

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profil"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            context.route("**/*", only_loopback)
            context.set_default_timeout(60_000)
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
