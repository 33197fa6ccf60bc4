"""Write a chapter notebook from readable Python, then execute it in place.

Each ``build_chNN.py`` next to this file lists its cells with ``md(...)`` and
``code(...)`` and calls ``build(...)``, which writes ``notebooks/<name>.ipynb``
and runs it top to bottom in a fresh kernel (from ``notebooks/``, as
JupyterLab and nbval do), so the committed notebook carries its outputs.

    python notebooks/_build/build_ch02.py          # one chapter
    python notebooks/_build/build_all.py           # chapters 1 to 5

Keeping the prose here, as plain text, makes it reviewable in a diff; the
``.ipynb`` files are generated and should not be edited by hand. The names
here avoid ``test_*`` so that pytest does not collect them, and nothing runs
on import (pytest's ``--doctest-modules`` imports every module it finds).
"""
import os
import sys
import textwrap
import time
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parent.parent

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def md(text):
    """A Markdown cell; the text is dedented and stripped."""
    return ("markdown", textwrap.dedent(text).strip("\n"))


def code(text):
    """A code cell; the text is dedented and stripped."""
    return ("code", textwrap.dedent(text).strip("\n"))


def make_notebook(cells):
    """An nbformat v4 notebook holding ``cells`` (pairs from md() and code())."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in cells:
        cell = (nbformat.v4.new_markdown_cell(text) if kind == "markdown"
                else nbformat.v4.new_code_cell(text))
        nb.cells.append(cell)
    return nb


def _stable_ids(nb, stem):
    """Cell ids derived from the notebook name and position: rebuilds give clean diffs."""
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem[:2]}-{i:03d}"


def build(cells, filename, execute=True, timeout=300):
    """Write ``notebooks/<filename>`` and (by default) execute it in place."""
    import nbformat
    nb = make_notebook(cells)
    _stable_ids(nb, filename)
    path = NOTEBOOKS / filename
    if execute:
        from nbclient import NotebookClient
        env_backend = os.environ.pop("MPLBACKEND", None)   # let the kernel use the inline backend
        start = time.perf_counter()
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        finally:
            if env_backend is not None:
                os.environ["MPLBACKEND"] = env_backend
        seconds = time.perf_counter() - start
        errors = [c for c in nb.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            raise SystemExit(f"{filename}: a cell raised an error; fix the chapter first")
        nb.metadata["language_info"] = {"name": "python"}     # no version numbers in the file
        for c in nb.cells:
            c.metadata.pop("execution", None)                 # timestamps: noise in every diff
        print(f"{filename}: executed in {seconds:.1f} s")
    nbformat.write(nb, path)
    return path


def main(cells, filename):
    """Command line of each build script: ``--no-execute`` only writes the cells."""
    build(cells, filename, execute="--no-execute" not in sys.argv[1:])
