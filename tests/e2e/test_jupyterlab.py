"""The course in a real JupyterLab, driven through a real browser (Chromium).

What a learner does: open each chapter, run all cells, see every figure and
no error; open an exercise, write an answer, run its self-check and read the
verdict. What an instructor does: find nbgrader's menu and open Formgrader.
Screenshots of every page go to test-artifacts/e2e/.

All tests share one JupyterLab server and one browser (see conftest.py), so
they live in this one file: pytest-xdist's --dist loadfile gives the whole
file to one worker.
"""
import os
import re
import time
from pathlib import Path

import nbformat
import pytest

playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright (the dev extra)")

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"   # the `artifacts` fixture empties it first
# D2L_E2E_NOTEBOOKS=DIR tries the suite on other notebooks (conftest.py copies the same folder).
CHAPTERS = sorted(Path(os.environ.get("D2L_E2E_NOTEBOOKS", REPO / "notebooks")).glob("*.ipynb"))
RUN_TIMEOUT = float(os.environ.get("D2L_E2E_TIMEOUT", 300))   # seconds per notebook
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
MAX_SHOT = 15_000   # px; Chromium cannot capture much more in one screenshot
# An error in an output area: Python's traceback header, IPython's "Cell In[3], line 1"
# (syntax errors), or a line that starts with an exception's name (%xmode Minimal).
# Warnings ("file.py:3: UserWarning: ...") are stderr too, and are fine.
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|^\s*Cell In\[\d+\], line \d+"
                        r"|^\w*(Error|Exception)(:|$)", re.MULTILINE)


# -- helpers -----------------------------------------------------------------

def open_notebook(page, lab, path):
    """Open ``path`` (relative to the server root) alone, and wait for its kernel."""
    page.goto(lab.page_url(f"lab/tree/{path}", "reset"))
    page.locator(f"{NOTEBOOK} .jp-Cell").first.wait_for()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").wait_for()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        states = [s["kernel"]["execution_state"] for s in lab.api("sessions") if s["path"] == path]
        if "idle" in states:
            return
        time.sleep(0.25)
    pytest.fail(f"the kernel of {path} did not start within 60 s:\n{lab.log_tail()}")


def menu(page, top, item):
    """Click ``top`` in the menu bar, then its entry ``item``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def wait_until_run(page, timeout):
    """Wait until the kernel is idle and no cell is waiting ("[*]") any more."""
    page.wait_for_function(
        """(sel) => {
            const nb = document.querySelector(sel);
            const status = nb.querySelector('.jp-Notebook-ExecutionIndicator');
            const prompts = [...nb.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                .map(p => p.textContent);
            return status && status.dataset.status === 'idle' && !prompts.some(p => p.includes('*'))
                && prompts.some(p => /\\d/.test(p));
        }""", arg=NOTEBOOK, timeout=timeout * 1000, polling=500)


def cells_in_page(page):
    """What each cell shows: its type, prompt, stderr texts and loaded figures."""
    return page.evaluate(
        """(sel) => [...document.querySelector(sel).querySelectorAll('.jp-Cell')].map(c => ({
            code: c.classList.contains('jp-CodeCell'),
            prompt: (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
            stderr: [...c.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                .map(o => o.innerText),
            figures: [...c.querySelectorAll('.jp-OutputArea-output[data-mime-type="image/png"] img')]
                .filter(i => i.complete && i.naturalWidth > 0).length,
        }))""", NOTEBOOK)


def screenshot_notebook(page, name):
    """Photograph the whole notebook: grow the window to its height.

    A notebook taller than MAX_SHOT continues in -part2.png, -part3.png, ...:
    each holds only the part of the notebook that scrolled into view.
    """
    size = page.viewport_size
    scroller = f"document.querySelector('{NOTEBOOK} .jp-WindowedPanel-outer')"
    hidden = page.evaluate(f"() => {{ const s = {scroller}; s.scrollTop = 0;"
                           " return s.scrollHeight - s.clientHeight; }")
    page.set_viewport_size({"width": size["width"],
                            "height": min(size["height"] + max(hidden, 0), MAX_SHOT)})
    page.wait_for_timeout(500)
    shots = [ARTIFACTS / f"{name}.png"]
    page.screenshot(path=shots[0])
    while True:
        moved, bottom = page.evaluate(
            f"() => {{ const s = {scroller}; const before = s.scrollTop;"
            " s.scrollTop += s.clientHeight;"
            " return [s.scrollTop - before, s.getBoundingClientRect().bottom]; }")
        if moved < 10:
            break
        page.wait_for_timeout(300)
        shots.append(ARTIFACTS / f"{name}-part{len(shots) + 1}.png")
        page.screenshot(path=shots[-1], clip={"x": 0, "y": bottom - moved,
                                              "width": size["width"], "height": moved})
    page.set_viewport_size(size)
    return shots


def code_of(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


# -- chapters ----------------------------------------------------------------

@pytest.mark.parametrize("chapter", CHAPTERS or [pytest.param(
    None, marks=pytest.mark.skip(reason="no chapter notebooks in notebooks/ yet"))],
    ids=lambda p: p.stem if p else "none")
def test_chapter_runs_in_jupyterlab(page, lab, artifacts, chapter):
    """Run > Run All Cells: every cell runs, no error shows, every figure appears."""
    path = f"notebooks/{chapter.name}"
    committed = nbformat.read(lab.root / path, as_version=4)   # the served copy
    open_notebook(page, lab, path)
    menu(page, "Edit", "Clear Outputs of All Cells")   # what shows next is from this run
    started = time.monotonic()
    menu(page, "Run", "Run All Cells")
    try:
        wait_until_run(page, RUN_TIMEOUT)
        finished = True
    except playwright.TimeoutError:
        finished = False
    seconds = time.monotonic() - started
    shots = screenshot_notebook(page, f"chapter-{chapter.stem}")
    print(f"{chapter.name}: ran in {seconds:.1f} s; screenshot {shots[0]}")
    where = f"(screenshot: {shots[0]})"
    shown = cells_in_page(page)
    if not finished:
        waiting = [i for i, seen in enumerate(shown) if "*" in seen["prompt"]]
        pytest.fail(f"{chapter.name} still running after {RUN_TIMEOUT:.0f} s "
                    f"(D2L_E2E_TIMEOUT); cells still waiting: {waiting} {where}")
    assert len(shown) == len(committed.cells), f"the page shows {len(shown)} cells {where}"
    problems = []
    for index, (cell, seen) in enumerate(zip(committed.cells, shown)):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type != "code" or not code_of(cell).strip():
            continue
        if not re.search(r"\d", seen["prompt"]):
            problems.append(f"cell {index} did not run (prompt {seen['prompt']!r})")
        errors = [text for text in seen["stderr"] if ERROR_TEXT.search(text)]
        if errors and "raises-exception" not in tags:
            problems.append(f"cell {index} shows an error:\n{errors[0][-1500:]}")
    assert not problems, "\n".join(problems) + f"\n{where}"

    committed_figures = sum("image/png" in out.get("data", {})
                            for cell in committed.cells for out in cell.get("outputs", []))
    shown_figures = sum(seen["figures"] for seen in shown)
    assert shown_figures >= committed_figures, (
        f"{shown_figures} figures appeared; the committed notebook has {committed_figures} {where}")


# -- an exercise, as a learner -------------------------------------------------

def learner_copy(lab):
    """A learner's notebook of the first assignment and its source (the instructor's)."""
    exercises = lab.root / "exercises"
    sources = sorted(exercises.glob("source/*/*.ipynb"))
    if not sources:
        pytest.skip("no exercises yet: exercises/source/<assignment>/*.ipynb is empty")
    source = sources[0]
    released = exercises / "release" / source.parent.name / source.name
    if released.exists():
        return released, source
    # What `nbgrader generate_assignment` hands out: no solutions, no hidden tests, no outputs.
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions
    nb, resources = nbformat.read(source, as_version=4), {}
    for step in (ClearSolutions, ClearHiddenTests, ClearOutput):
        nb, resources = step().preprocess(nb, resources)
    learner = lab.root / "learner" / source.parent.name / source.name
    learner.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, learner)
    return learner, source


def first_question(nb):
    """Index of the first autograded answer cell and of the test cell after it."""
    def role(cell):
        meta = cell.metadata.get("nbgrader", {})
        return ("answer" if meta.get("solution") and not meta.get("grade") else
                "test" if meta.get("grade") and not meta.get("solution") else None)
    answer = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and role(c) == "answer")
    test = next(i for i, c in enumerate(nb.cells)
                if i > answer and c.cell_type == "code" and role(c) == "test")
    return answer, test


def test_exercise_self_check(page, lab, artifacts):
    """Write an answer into an exercise, run its test cell, read the friendly verdict."""
    learner, source = learner_copy(lab)
    nb = nbformat.read(learner, as_version=4)
    answer, test = first_question(nb)
    grade_id = nb.cells[answer].metadata["nbgrader"]["grade_id"]
    solution_cell = next(c for c in nbformat.read(source, as_version=4).cells
                         if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    solution = "\n".join(line for line in code_of(solution_cell).splitlines()
                         if not re.match(r"\s*### (BEGIN|END) SOLUTION", line))
    path = learner.relative_to(lab.root).as_posix()
    open_notebook(page, lab, path)
    cells = page.locator(f"{NOTEBOOK} .jp-Cell")
    assert "NotImplementedError" in cells.nth(answer).locator(".cm-content").inner_text()

    # Type the answer as a learner would: click into the cell, replace its text.
    cells.nth(answer).locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(solution)
    typed = cells.nth(answer).locator(".cm-content").inner_text()
    assert typed.split() == solution.split(), f"the editor holds:\n{typed}"

    # Select the test cell, run everything above it, then the test cell itself.
    page.keyboard.press("Escape")
    cells.nth(test).locator(".jp-InputPrompt").click()
    menu(page, "Run", "Run All Above Selected Cell")
    menu(page, "Run", "Run Selected Cell and Do not Advance")
    output = cells.nth(test).locator(".jp-OutputArea-output").first
    output.wait_for()
    wait_until_run(page, 120)
    verdict = cells.nth(test).locator(".jp-OutputArea").inner_text()
    shots = screenshot_notebook(page, f"exercise-{learner.stem}")
    print(f"{learner.name}, {grade_id}: {verdict.strip()!r}; screenshot {shots[0]}")
    assert re.search(r"public checks? passed", verdict), f"{verdict}\n(screenshot: {shots[0]})"
    assert "Hidden checks run at grading" in verdict
    assert not ERROR_TEXT.search(verdict), verdict


# -- nbgrader, as an instructor ---------------------------------------------------

def test_nbgrader_menu_and_formgrader(page, lab, artifacts):
    """Nbgrader > Formgrader opens inside JupyterLab and lists the assignments; so does /formgrader."""
    assignments = sorted(p.parent.name for p in (lab.root / "exercises").glob("source/*/*.ipynb"))
    page.goto(lab.page_url("lab", "reset"))
    page.locator(".jp-DirListing-item", has_text="exercises").wait_for()
    nbgrader = page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$"))
    nbgrader.click()
    entries = page.locator(".lm-Menu:visible .lm-Menu-itemLabel").all_text_contents()
    menu_shot = ARTIFACTS / "nbgrader-menu.png"
    page.screenshot(path=menu_shot)
    assert "Formgrader" in entries, f"the Nbgrader menu holds {entries} (screenshot: {menu_shot})"

    # Formgrader as JupyterLab shows it: a tab holding the formgrader page.
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Formgrader$")).click()
    frame = page.frame_locator("#formgrader iframe")
    expect_assignments(frame, assignments, lab)
    lab_shot = ARTIFACTS / "formgrader-in-jupyterlab.png"
    page.screenshot(path=lab_shot)

    # The same page on its own, at /formgrader.
    page.goto(lab.page_url("formgrader"))
    page.wait_for_url(re.compile(r"/formgrader/manage_assignments"))
    listed = expect_assignments(page, assignments, lab)
    shot = ARTIFACTS / "formgrader.png"
    page.screenshot(path=shot, full_page=True)
    print(f"Formgrader lists {listed}; screenshots {menu_shot}, {lab_shot}, {shot}")
    assert sorted(listed) == assignments, f"{listed} != {assignments} (screenshot: {shot})"


def expect_assignments(page, assignments, lab):
    """Wait for Formgrader's "Manage Assignments" table; return the names it lists."""
    page.locator("h1", has_text="Manage Assignments").wait_for()
    assert "formgrader encountered an error" not in page.locator("body").inner_text(), lab.log_tail()
    if assignments:
        page.locator("td.name a", has_text=assignments[-1]).wait_for()
    else:
        page.get_by_text("Add new assignment...").wait_for()
    return page.locator("td.name a").all_text_contents()
