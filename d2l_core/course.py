"""Open the course in JupyterLab, or run every chapter without a screen.

This is what ``./course open`` runs::

    python -m d2l_core.course open                 # JupyterLab, opened on chapter 1
    python -m d2l_core.course open --port 8899 --no-browser
    python -m d2l_core.course open --headless      # run every chapter, write course-report/

Other options go to ``jupyter lab`` as they are (``--ServerApp.ip=0.0.0.0``).

JupyterLab serves the whole repository, so the file browser shows both
``notebooks/`` (the chapters) and ``exercises/`` (the graded exercises). It
starts inside ``exercises/`` because that is where nbgrader looks for the
course: the "Nbgrader" menu and Formgrader find the assignments there.

``--headless`` starts no server. It runs every notebook in ``notebooks/``
from top to bottom, each in a fresh kernel, and writes ``course-report/``:
``index.html`` (pass or fail, run time and the first error of each chapter,
with its figures), ``figures/*.png`` and the executed notebooks. It exits
with status 1 when a chapter fails.
"""
import argparse
import base64
import html
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent   # the repository (d2l_core is installed editable)
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
REPORT = ROOT / "course-report"


def chapters(folder=NOTEBOOKS):
    """The chapter notebooks, in order: ``notebooks/*.ipynb`` sorted by name."""
    return sorted(folder.glob("*.ipynb"))


# -- open: JupyterLab --------------------------------------------------------

def jupyter_lab_command(port=8888, browser=True, extra=()):
    """The ``jupyter lab`` command line that serves the repository."""
    first = chapters()
    start = f"/lab/tree/{first[0].relative_to(ROOT).as_posix()}" if first else "/lab/tree/notebooks"
    command = [sys.executable, "-m", "jupyterlab",
               f"--ServerApp.root_dir={ROOT}",
               f"--LabApp.default_url={start}",
               f"--port={port}"]
    if not browser:
        command.append("--no-browser")
    if os.geteuid() == 0:
        command.append("--allow-root")   # Jupyter refuses to run as root without it
    return command + list(extra)


def open_lab(port, browser, extra=()):
    command = jupyter_lab_command(port, browser, extra)
    # nbgrader runs `alembic` from PATH; make this environment's scripts visible.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent),
                                          os.environ.get("PATH", "")])
    # nbgrader treats the folder Jupyter starts in as the course folder.
    os.chdir(EXERCISES if EXERCISES.is_dir() else ROOT)
    print("Starting JupyterLab on", ROOT, "(stop it with Ctrl+C)", flush=True)
    os.execv(command[0], command)   # JupyterLab takes over this process


# -- open --headless: run every chapter ----------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def run_chapter(path, timeout, kernel_log):
    """Execute one notebook in a fresh kernel; return what the report needs."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    error = None
    started = time.perf_counter()
    try:
        with open(kernel_log, "w") as log:   # the kernel's own messages, kept out of sight
            client.execute(stderr=log)
    except CellExecutionError as e:
        error = f"{e.ename}: {e.evalue}" if e.ename else str(e)
    except CellTimeoutError:
        error = f"a cell ran longer than {timeout} s (the timeout)"
    except DeadKernelError as e:
        error = f"the kernel died: {e}"
    except Exception as e:   # a notebook that cannot even start is a failed chapter too
        error = f"{type(e).__name__}: {e}"
    seconds = time.perf_counter() - started
    return nb, seconds, error


def error_details(nb):
    """The traceback of the first cell that failed, without terminal colours."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                text = ANSI.sub("", "\n".join(output.get("traceback", [])))
                return f"cell {index}:\n{text}"
    return ""


def save_figures(nb, stem, folder):
    """Write every PNG output of the notebook to ``folder``; return their names."""
    names = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                name = f"{stem}-cell{index:02d}-{len(names) + 1}.png"
                (folder / name).write_bytes(base64.b64decode(png))
                names.append(name)
    return names


def write_html(results, report):
    rows, sections = [], []
    for r in results:
        status = "fail" if r["error"] else "pass"
        rows.append(f'<tr class="{status}"><td><a href="#{r["stem"]}">{html.escape(r["name"])}</a></td>'
                    f'<td>{status}</td><td>{r["seconds"]:.1f} s</td><td>{len(r["figures"])}</td>'
                    f'<td>{html.escape(r["error"] or "")}</td></tr>')
        body = [f'<h2 id="{r["stem"]}">{html.escape(r["name"])}: {status}</h2>',
                f'<p><a href="notebooks/{html.escape(r["name"])}">executed notebook</a></p>']
        if r["details"]:
            body.append(f"<pre>{html.escape(r['details'])}</pre>")
        body += [f'<img src="figures/{name}" alt="{name}">' for name in r["figures"]]
        sections.append("\n".join(body))
    passed = sum(not r["error"] for r in results)
    page = f"""<!doctype html>
<meta charset="utf-8"><title>d2l-course: chapter report</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }} td, th {{ padding: 4px 10px; text-align: left; }}
tr.pass td:nth-child(2) {{ color: green; }} tr.fail td:nth-child(2) {{ color: #b00; font-weight: bold; }}
img {{ max-width: 45%; border: 1px solid #ddd; margin: 4px; vertical-align: top; }} pre {{ background: #f6f6f6; padding: 1em; overflow-x: auto; }}
</style>
<h1>d2l-course: {passed} of {len(results)} chapters passed</h1>
<p>Generated {time.strftime("%Y-%m-%d %H:%M")} by <code>./course open --headless</code>.</p>
<table><tr><th>chapter</th><th>result</th><th>run time</th><th>figures</th><th>error</th></tr>
{chr(10).join(rows)}
</table>
{chr(10).join(sections)}
"""
    (report / "index.html").write_text(page, encoding="utf-8")


def headless(timeout, report=REPORT, folder=NOTEBOOKS):
    """Run every chapter and write the report; return the exit status."""
    import nbformat

    notebooks = chapters(folder)
    if not notebooks:
        print(f"No notebooks found in {folder}", file=sys.stderr)
        return 1
    for sub in ("figures", "notebooks"):
        (report / sub).mkdir(parents=True, exist_ok=True)
        for old in (report / sub).iterdir():
            old.unlink()
    results = []
    for path in notebooks:
        print(f"running {path.name} ...", end=" ", flush=True)
        nb, seconds, error = run_chapter(path, timeout,
                                         report / "notebooks" / f"{path.stem}.kernel.log")
        nbformat.write(nb, report / "notebooks" / path.name)
        result = {"name": path.name, "stem": path.stem, "seconds": seconds, "error": error,
                  "details": error_details(nb) if error else "",
                  "figures": save_figures(nb, path.stem, report / "figures")}
        results.append(result)
        n = len(result["figures"])
        print(f"{'FAIL' if error else 'ok'} ({seconds:.1f} s, {n} figure{'' if n == 1 else 's'})"
              + (f"\n    {error}" if error else ""), flush=True)
    write_html(results, report)
    failed = [r["name"] for r in results if r["error"]]
    print(f"\n{len(results) - len(failed)} of {len(results)} chapters passed."
          f" Report: {report / 'index.html'}")
    if failed:
        print("Failed:", ", ".join(failed))
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./course", description="Open the d2l course.")
    commands = parser.add_subparsers(dest="command", required=True)
    opener = commands.add_parser("open", help="open the course in JupyterLab")
    opener.add_argument("--port", type=int, default=8888,
                        help="port for JupyterLab (default 8888; the next free one if taken)")
    opener.add_argument("--no-browser", action="store_true",
                        help="start the server but do not open a web browser")
    opener.add_argument("--headless", action="store_true",
                        help="no server: run every chapter and write course-report/")
    opener.add_argument("--timeout", type=int, default=600,
                        help="with --headless: seconds a single cell may run (default 600)")
    args, extra = parser.parse_known_args(argv)   # other options go to jupyter lab
    if args.headless:
        if extra:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        return headless(args.timeout)
    open_lab(args.port, browser=not args.no_browser, extra=extra)


if __name__ == "__main__":
    sys.exit(main())
