"""The chapter notebooks as files: listed in the README, committed executed, in sync with their builders.

nbval (``./course test`` runs it on ``notebooks/``) re-executes every chapter
and compares outputs. These checks catch what nbval cannot: a chapter the
README does not link, a notebook saved without running some cells (nbval
would not compare those cells), and a notebook edited by hand so that it no
longer matches its source in ``notebooks/src/`` (``tools/chapters.py``),
and lint errors in the sources.
"""
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))


def _chapters_tool():
    spec = importlib.util.spec_from_file_location("_chapters_tool", ROOT / "tools" / "chapters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_every_notebook_has_a_source():
    assert [p.stem for p in NOTEBOOKS] == [p.stem for p in SOURCES], (
        "each notebooks/NN_name.ipynb is written from notebooks/src/NN_name.py by "
        "python tools/chapters.py build NN; add the missing source or remove the stray notebook")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_matches_its_source(source):
    chapters = _chapters_tool()
    path = chapters.notebook_of(source)
    assert path.exists(), f"{source.name} has no notebook; run python tools/chapters.py build {source.stem[:2]}"
    written = chapters.cells_of(nbformat.read(path, 4))
    wanted = chapters.cells_of(chapters.read_source(source))
    assert written == wanted, (
        f"notebooks/{path.name} differs from notebooks/src/{source.name} (cell kinds, text or "
        f"tags): edit the source, then run python tools/chapters.py build {source.stem[:2]}")


def test_chapter_sources_pass_ruff():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "--output-format", "concise", "notebooks/src"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        "ruff finds problems in the chapter sources (settings: [tool.ruff] in pyproject.toml):\n"
        + result.stdout + result.stderr)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_check_yourself_questions_have_answers_to_reveal(path):
    text = "\n".join("".join(c["source"]) for c in _load(path)["cells"] if c["cell_type"] == "markdown")
    assert "## Check yourself" in text, f"{path.name} has no 'Check yourself' section"
    part = text.split("## Check yourself", 1)[1]
    questions = len(re.findall(r"^\d+\. ", part, re.MULTILINE))
    answers = part.count("<details>")
    assert questions and answers >= questions, (
        f"{path.name}: {questions} check-yourself questions but {answers} answers; follow each "
        "question with <details><summary>Answer</summary> ... </details>")
