"""Build the chapter notebooks from their text sources, and check they agree.

Each chapter's source is ``notebooks/src/NN_name.py`` in jupytext's py:percent
format: ``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell, and a
cell's tags follow on the same line (``# %% tags=["raises-exception"]``). The
source is what authors edit and review; the executed ``notebooks/NN_name.ipynb``
is what learners open, nbval re-runs and this tool writes:

    python tools/chapters.py build 05          # write and execute chapter 5
    python tools/chapters.py build all         # every chapter
    python tools/chapters.py build 05 --no-execute
    python tools/chapters.py check             # every notebook matches its source?

Building runs the notebook top to bottom in a fresh kernel from ``notebooks/``
(as JupyterLab and nbval do) and stores the outputs, with stable cell ids and
no timestamps, so a rebuild gives a clean diff.
"""
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def sources():
    """Every chapter source, in chapter order."""
    return sorted(SOURCES.glob("[0-9][0-9]_*.py"))


def notebook_of(source):
    return NOTEBOOKS / (source.stem + ".ipynb")


def cells_of(nb):
    """What must agree between a source and its notebook: kind, text and tags of each cell."""
    return [(c.cell_type, "".join(c.source), tuple(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def read_source(source):
    """The source as an unexecuted notebook with the course's metadata and stable cell ids."""
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{source.stem[:2]}-{i:03d}"
        tags = cell.metadata.get("tags")
        cell.metadata = {"tags": tags} if tags else {}
    return nb


def execute(nb, name, timeout=300):
    from nbclient import NotebookClient
    env_backend = os.environ.pop("MPLBACKEND", None)    # let the kernel use the inline backend
    start = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    for i, cell in enumerate(nb.cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            raise SystemExit(f"{name}: cell {i} raised {errors[0]['ename']}: "
                             f"{errors[0]['evalue']}; fix the chapter, or tag a cell that is "
                             "meant to fail with raises-exception")
        cell.metadata.pop("execution", None)            # timestamps: noise in every diff
    nb.metadata["language_info"] = {"name": "python"}   # no version numbers in the file
    return time.perf_counter() - start


def build(source, run=True):
    nb = read_source(source)
    if run:
        seconds = execute(nb, source.stem)
        print(f"{source.stem}: executed in {seconds:.1f} s")
    nbformat.write(nb, notebook_of(source))


def check():
    """The names of the chapters whose notebook no longer matches its source."""
    stale = []
    for source in sources():
        path = notebook_of(source)
        if not path.exists() or cells_of(nbformat.read(path, 4)) != cells_of(read_source(source)):
            stale.append(source.stem)
    return stale


def _select(args):
    if not args or args == ["all"]:
        return sources()
    chosen = [s for s in sources() if any(s.stem.startswith(a.zfill(2)) for a in args)]
    if len(chosen) != len(args):
        raise SystemExit(f"no chapter source for {args}; see {SOURCES}")
    return chosen


def main(argv):
    if argv[:1] == ["check"]:
        stale = check()
        print("\n".join(f"stale: {s} (python tools/chapters.py build {s[:2]})" for s in stale)
              or "every notebook matches its source")
        return 1 if stale else 0
    if argv[:1] == ["build"]:
        run = "--no-execute" not in argv
        for source in _select([a for a in argv[1:] if not a.startswith("--")]):
            build(source, run)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
