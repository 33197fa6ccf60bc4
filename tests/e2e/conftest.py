"""Fixtures for the browser tests: one JupyterLab server and one Chromium per session.

The server serves a temporary copy of notebooks/ and exercises/, so test runs
never touch the repository, with its own HOME and Jupyter folders. It is
started as a single process whose PID we keep, and stopped by that PID when
the session ends, whether the tests passed or not.

Screenshots and the server's log go to test-artifacts/e2e/ (ignored by git).
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
NOTEBOOKS = Path(os.environ.get("D2L_E2E_NOTEBOOKS", REPO / "notebooks"))
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
# JupyterLab settings for a quiet, fully rendered notebook: every cell stays in
# the page (no windowing), so all outputs can be counted and photographed.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none", "scrollPastEnd": False},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
# What nbgrader writes into a course folder; a copy must start without it.
NOT_COPIED = shutil.ignore_patterns("gradebook.db", ".nbgrader.log", "submitted", "autograded",
                                    "feedback", "__pycache__", ".ipynb_checkpoints")


def pytest_sessionstart(session):
    session.config._d2l_e2e_started = time.time()


def pytest_terminal_summary(terminalreporter, config):
    """Say where this run's screenshots are (also under pytest-xdist)."""
    started = getattr(config, "_d2l_e2e_started", 0)
    if any(p.stat().st_mtime >= started for p in ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")


def _ensure_chromium():
    """Debian's Chromium, installed with apt-get when missing and we are root."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(f"no browser at {CHROMIUM}: install it with "
                    "`sudo apt-get update && sudo apt-get install -y chromium`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(command)}` failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab: its address, token, served folder and process."""
    url: str
    token: str
    root: Path
    process: subprocess.Popen
    log: Path

    def page_url(self, path, query=""):
        query = f"{query}&" if query else ""
        return f"{self.url}/{path.lstrip('/')}?{query}token={self.token}"

    def api(self, path, method="GET", body=None):
        request = urllib.request.Request(
            f"{self.url}/api/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def log_tail(self, n=4000):
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def shut_down_kernels(self):
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")


def _prepare_course(root):
    """Copy notebooks/ and exercises/; write the exercises' notebooks if not there yet."""
    for name, folder in (("notebooks", NOTEBOOKS), ("exercises", REPO / "exercises")):
        if folder.is_dir():
            shutil.copytree(folder, root / name, ignore=NOT_COPIED)
        else:
            (root / name).mkdir()
    exercises = root / "exercises"
    if not any(exercises.glob("source/*/*.ipynb")) and (exercises / "make_source.py").exists():
        subprocess.run([sys.executable, "make_source.py"], cwd=exercises, check=True,
                       capture_output=True)


def _quiet_home(home):
    """A fresh HOME with Jupyter's, IPython's and Matplotlib's folders in it."""
    env = dict(os.environ)
    for key, sub in [("HOME", "."), ("JUPYTER_CONFIG_DIR", "jupyter-config"),
                     ("JUPYTER_DATA_DIR", "jupyter-data"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                     ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "matplotlib"),
                     ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces")]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[key] = str(home / sub)
    for plugin, settings in LAB_SETTINGS.items():
        path = home / "lab-settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    # nbgrader runs `alembic` from PATH: use this environment's scripts first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    return env


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    print(f"\nbrowser screenshots: {ARTIFACTS}")
    return ARTIFACTS


@pytest.fixture(scope="session")
def lab(tmp_path_factory, artifacts):
    """JupyterLab on 127.0.0.1 serving a temporary copy of the course."""
    pytest.importorskip("jupyterlab")
    base = tmp_path_factory.mktemp("lab")
    root = base / "course"
    root.mkdir()
    _prepare_course(root)
    env = _quiet_home(base / "home")
    exchange = base / "nbgrader-exchange"   # where release/collect would put files
    exchange.mkdir()
    exchange.chmod(0o777)
    port, token = _free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               f"--Exchange.root={exchange}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = artifacts / "jupyter-server.log"
    with open(log, "w") as out:
        # nbgrader takes the folder the server starts in as the course folder.
        process = subprocess.Popen(command, cwd=root / "exercises", env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Lab(f"http://127.0.0.1:{port}", token, root, process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyter lab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                server.api("status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer within 90 s:\n{server.log_tail()}")
                time.sleep(0.25)
        yield server
    finally:
        process.terminate()   # Jupyter shuts its kernels down on SIGTERM
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (never `playwright install`)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    _ensure_chromium()
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser profile for all tabs, so JupyterLab's code is downloaded once."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context, lab):
    """A fresh browser tab; the kernels it started are shut down afterwards."""
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()
        try:
            lab.shut_down_kernels()
        except (urllib.error.URLError, ConnectionError):
            pass
