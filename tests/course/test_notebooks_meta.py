"""The chapter notebooks as files: listed in the README, committed executed, in sync with their builders.

nbval (``./course test`` runs it on ``notebooks/``) re-executes every chapter
and compares outputs. These checks catch what nbval cannot: a chapter the
README does not link, a notebook saved without running some cells (nbval
would not compare those cells), and a notebook edited by hand so that it no
longer matches the script in ``notebooks/_build/`` that writes it.
"""
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
BUILDERS = sorted((ROOT / "notebooks" / "_build").glob("build_ch*.py"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_chapters():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb files"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_is_listed_in_readme(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"notebooks/{path.name}" in readme, (
        f"README.md does not link notebooks/{path.name}; add it to the chapter list, e.g. "
        f"[N. Title](notebooks/{path.name})")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_is_committed_executed(path):
    cells = _code_cells(_load(path))
    unexecuted = [i for i, c in enumerate(cells) if c.get("execution_count") is None]
    assert not unexecuted, (
        f"{path.name}: code cells {unexecuted} (counting code cells from 0) have no outputs "
        "recorded; execute the notebook before committing, e.g. "
        "jupyter nbconvert --to notebook --execute --inplace " + path.name)
    counts = [c["execution_count"] for c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} show the cells did not run once each, top to "
        "bottom, in a fresh kernel; restart the kernel and run all cells")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_has_no_error_outputs(path):
    for i, cell in enumerate(_code_cells(_load(path))):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, f"{path.name}: code cell {i} raised {errors[0]['ename']}"


@pytest.mark.parametrize("builder", BUILDERS, ids=lambda p: p.name)
def test_notebook_matches_its_builder(builder, monkeypatch):
    monkeypatch.syspath_prepend(str(builder.parent))
    spec = importlib.util.spec_from_file_location(f"_nb_{builder.stem}", builder)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    path = ROOT / "notebooks" / module.FILENAME
    assert path.exists(), f"{builder.name} writes {module.FILENAME}, which is missing"
    written = [(c["cell_type"], "".join(c["source"])) for c in _load(path)["cells"]]
    assert written == list(module.CELLS), (
        f"notebooks/{module.FILENAME} differs from {builder.name}: edit the builder, then run "
        f"python notebooks/_build/{builder.name}")
