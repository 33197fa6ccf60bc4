"""`./course open` (d2l_core.course): the server it starts and the headless report.

The browser tests in test_jupyterlab.py start their own server on a copy of
the course; these check the launcher itself, without a browser.
"""
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import nbformat

from d2l_core import course


def quiet_env(tmp_path):
    """This environment with HOME and the Jupyter/IPython/Matplotlib folders in tmp_path."""
    env = dict(os.environ)
    for key in ("HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                "IPYTHONDIR", "MPLCONFIGDIR"):
        (tmp_path / key).mkdir()
        env[key] = str(tmp_path / key)
    return env


def test_headless_runs_every_chapter_and_reports(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    cells = nbformat.v4.new_code_cell
    good = nbformat.v4.new_notebook(cells=[
        cells("import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()")])
    bad = nbformat.v4.new_notebook(cells=[cells("print('before')"), cells("1 / 0"),
                                          cells("print('never')")])
    nbformat.write(good, folder / "01_good.ipynb")
    nbformat.write(bad, folder / "02_bad.ipynb")
    for key, value in quiet_env(tmp_path).items():
        monkeypatch.setenv(key, value)

    report = tmp_path / "report"
    status = course.headless(timeout=60, report=report, folder=folder)

    assert status == 1   # a chapter failed
    page = (report / "index.html").read_text()
    assert "1 of 2 chapters passed" in page
    assert "ZeroDivisionError: division by zero" in page
    assert [p.name for p in (report / "figures").iterdir()] == ["01_good-cell00-1.png"]
    assert (report / "figures" / "01_good-cell00-1.png").read_bytes()[:4] == b"\x89PNG"
    assert sorted(p.name for p in (report / "notebooks").glob("*.ipynb")) == [
        "01_good.ipynb", "02_bad.ipynb"]


def test_headless_with_no_notebooks_fails(tmp_path, capsys):
    assert course.headless(timeout=60, report=tmp_path / "r", folder=tmp_path) == 1
    assert "No notebooks found" in capsys.readouterr().err


def test_open_command_line():
    command = course.jupyter_lab_command(port=8123, browser=False)
    assert command[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={course.ROOT}" in command
    assert "--port=8123" in command and "--no-browser" in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    first = course.chapters()
    start = f"notebooks/{first[0].name}" if first else "notebooks"
    assert f"--LabApp.default_url=/lab/tree/{start}" in command


def test_open_serves_the_repository(tmp_path):
    """`python -m d2l_core.course open` serves the repository and starts on chapter 1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = dict(quiet_env(tmp_path), JUPYTER_TOKEN=token)
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        # The launcher execs into JupyterLab, so this PID is the server's.
        server = subprocess.Popen(
            [sys.executable, "-m", "d2l_core.course", "open", "--no-browser", f"--port={port}",
             "--ServerApp.ip=127.0.0.1"], env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(NoRedirect)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.25)
        contents = fetch(opener, f"{base}/api/contents?token={token}").read().decode()
        assert '"name": "notebooks"' in contents and '"name": "exercises"' in contents

        start = fetch(opener, f"{base}/?token={token}").headers["Location"].split("?")[0]
        first = course.chapters()
        assert start.endswith(f"/lab/tree/notebooks/{first[0].name}" if first else "/lab/tree/notebooks")

        # nbgrader found the course: Formgrader redirects to its assignments page
        # (with the course outside the server's root it answers 500 instead).
        formgrader = fetch(opener, f"{base}/formgrader?token={token}")
        assert formgrader.status == 302, log.read_text()
        assert formgrader.headers["Location"].endswith("/formgrader/manage_assignments")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url):
    """GET ``url``; a redirect comes back as the response, not followed."""
    try:
        return opener.open(url, timeout=30)
    except urllib.error.HTTPError as e:   # 3xx without following, or an error
        if 300 <= e.code < 400:
            return e
        raise
