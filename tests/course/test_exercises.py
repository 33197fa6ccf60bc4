"""The exercises' nbgrader pipeline, run for real in a temporary copy of the course.

One module-scoped fixture does the instructor's work once, with the commands
of the README's instructor section: generate the release versions, collect submissions
(one through the exchange, the rest copied into submitted/<student>/), then a
single `nbgrader autograde`, `generate_feedback` and `export`. The tests then
read what it produced. The students:

    solver    every source notebook as is: full marks on every test cell
    blank     every release notebook untouched: zero everywhere
    partial   ch03: one prediction of the wrong form (fails a public check),
              one answer passing only the public checks, the rest right:
              exactly 11 of 17 auto-graded points
    tamper    ch03: deletes one test cell and rewrites two, yet is graded
              against the instructor's tests
    looper    ch03: an infinite loop; its cell times out, the rest is graded
    alice     ch02 through the exchange: fetch, submit, collect

Every Jupyter, IPython and Matplotlib folder points into the temporary
course, so grading never writes into the home folder or the repository.
"""
import csv
import html
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
EXERCISES = REPO / "exercises"
ASSIGNMENTS = sorted(p.name for p in (EXERCISES / "source").iterdir() if p.is_dir())
LOOP_TIMEOUT = 10  # seconds; the course's own setting (nbgrader_config.py) is 60
PARTIAL = "ch03_broadcasting"  # the assignment the crafted submissions use


def _graph_mode_ready():
    try:
        import d2l_core.compat.v1 as v1
    except ImportError:
        return False
    return hasattr(v1, "Session")


# ch08 needs d2l_core.compat.v1 (graph mode), which lands after the core engine.
NEEDS_ENGINE = {"ch12_graphs": _graph_mode_ready()}


def _skip_if_engine_missing(assignment):
    if not NEEDS_ENGINE.get(assignment, True):
        pytest.skip(f"{assignment} needs d2l_core.compat.v1 (graph mode), not implemented yet")


# -- reading notebooks ---------------------------------------------------------

def read(path):
    return nbformat.read(str(path), as_version=4)


def role(cell):
    """'tests', 'solution', 'written' or None, from nbgrader's cell metadata."""
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and meta.get("solution"):
        return "written"
    if meta.get("grade"):
        return "tests"
    if meta.get("solution"):
        return "solution"
    return None


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def cells_by_id(nb):
    return {grade_id(cell): cell for cell in nb.cells if grade_id(cell)}


def region(source, begin, end):
    """The meaningful lines strictly inside ### BEGIN X / ### END X markers."""
    lines, inside = [], False
    for line in source.splitlines():
        if begin in line:
            inside = True
        elif end in line:
            inside = False
        elif inside and line.strip() and not line.strip().startswith("#"):
            lines.append(line.strip())
    return lines


STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]


def replace_region(source, name, stub):
    """The source with each ### BEGIN name ... ### END name region replaced by stub."""
    out, inside = [], False
    for line in source.splitlines():
        if f"### BEGIN {name}" in line:
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out.extend(indent + s for s in stub)
        elif f"### END {name}" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def source_nb(assignment):
    return read(EXERCISES / "source" / assignment / f"{assignment}.ipynb")


# -- the course ------------------------------------------------------------------

class Course:
    def __init__(self, root, home, env):
        self.root, self.home, self.env = root, home, env

    def nbgrader(self, *args, cwd=None):
        """Run one nbgrader command as an instructor would type it."""
        result = subprocess.run(["nbgrader", *args], cwd=cwd or self.root, env=self.env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}"

    def release(self, assignment):
        return read(self.root / "release" / assignment / f"{assignment}.ipynb")

    def autograded(self, student, assignment):
        return read(self.root / "autograded" / student / assignment / f"{assignment}.ipynb")

    def submit(self, student, assignment, nb):
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(folder / f"{assignment}.ipynb"))

    def scores(self, student, assignment):
        """{grade_id: (auto_score, manual_score, max_score)} from the gradebook."""
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            submission = gb.find_submission(assignment, student)
            return {grade.name: (grade.auto_score, grade.manual_score, grade.max_score)
                    for notebook in submission.notebooks for grade in notebook.grades}


def answered(release, source, use_solution=(), replace=None):
    """A release notebook with some answers filled in, as a student would."""
    nb = nbformat.from_dict(release)
    solutions, replace = cells_by_id(source), replace or {}
    for cell in nb.cells:
        if grade_id(cell) in replace:
            cell.source = replace[grade_id(cell)]
        elif grade_id(cell) in use_solution:
            cell.source = solutions[grade_id(cell)].source
    return nb


def isolated_env(home):
    """The environment of every grading process: all caches under `home`."""
    env = dict(os.environ)
    for name, sub in [("HOME", ""), ("JUPYTER_CONFIG_DIR", "jupyter-config"),
                      ("JUPYTER_DATA_DIR", "jupyter-data"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                      ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "matplotlib")]:
        env[name] = str(home / sub)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    # nbgrader and alembic from this environment; the kernel imports this checkout
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def tree(folder):
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


PARTIAL_ANSWERS = {
    # q1: 'p' written as a list, not a shape: fails q1p's public check; the rest right
    "q1": "predicted = {'p': [3, 2], 'q': (3, 4), 'r': (2, 3, 5), 's': None, 't': (6, 7, 2)}",
    # q2: max() of the sizes: right for the public checks, wrong for size-0 axes (hidden)
    "q2": """def broadcast_shape(shape_a, shape_b):
    a, b = list(shape_a), list(shape_b)
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b)):
        raise ValueError('shapes do not broadcast')
    return tuple(max(x, y) for x, y in zip(a, b))""",
}
PREDICTIONS = ["q1p_tests", "q1q_tests", "q1r_tests", "q1s_tests", "q1t_tests"]
PARTIAL_EXPECTED = {"q1p_tests": 0.0, "q1q_tests": 1.0, "q1r_tests": 1.0, "q1s_tests": 1.0,
                    "q1t_tests": 1.0, "q2_tests": 0.0, "q3_tests": 3.0, "q4_tests": 4.0}

TAMPERED_TESTS = {
    "q2_tests": "check = d2l.check('q2')\ncheck.done()",   # the answer is wrong; the checks gutted
    "q3_tests": "assert False",                            # the answer is right; the checks broken
}
TAMPER_EXPECTED = {**{name: 1.0 for name in PREDICTIONS}, "q2_tests": 0.0, "q3_tests": 3.0,
                   "q4_tests": 4.0}


# Cheating submissions: every answer is the instructor's solution but one, which games the
# problem's public checks or breaks a constraint its text states. Each must lose points on
# that problem (the test cells named here), however the public checks look.
CHEATS = {
    ("cheat_hardcoded", "ch02_data"): ({"q3": """def row_norms(M):
    return d2l.constant([5., 10.])   # the public example's answer"""}, ["q3_tests"]),
    ("cheat_helper", "ch03_broadcasting"): ({"q2": """import numpy as np
def broadcast_shape(shape_a, shape_b):
    try:
        return tuple(int(n) for n in np.broadcast_shapes(tuple(shape_a), tuple(shape_b)))
    except ValueError as e:
        raise ValueError(str(e))"""}, ["q2_tests"]),
    ("cheat_loops", "ch03_broadcasting"): ({"q3": """def center_rows(X):
    rows = [X[i] - d2l.reduce_mean(X[i]) for i in range(X.shape[0])]
    return d2l.stack(rows)"""}, ["q3_tests"]),
    ("cheat_by_hand", "ch05_autodiff"): ({"q1": """def f(x):
    return x * d2l.exp(-x * x)


def df_by_hand(x):
    return d2l.exp(-x * x) * (1. - 2. * x * x)


def df_by_tape(x):
    return df_by_hand(x)             # no tape at all"""}, ["q1b_tests"]),
    ("cheat_fixed", "ch05_autodiff"): ({"q2": """def fixed_a():
    return d2l.constant(6.)


def fixed_b():
    return d2l.constant(12.)


def fixed_c():
    return d2l.constant(4.)


def fixed_d():
    return d2l.constant(4.)"""}, ["q2a_tests", "q2b_tests", "q2c_tests", "q2d_tests"]),
    ("cheat_fabricated", "ch06_linreg"): ({"q3": """def train(X, y, lr=0.03, num_epochs=10, batch_size=10):
    n, d = X.shape
    ones = np.ones((n, 1), np.float32)
    A = np.concatenate([X.numpy(), ones], axis=1)
    solution = np.linalg.lstsq(A, y.numpy(), rcond=None)[0]
    w = d2l.Variable(solution[:-1].reshape(d, 1))
    b = d2l.Variable(solution[-1:])
    final = float(squared_loss(linreg(X, w, b), y))
    losses = [final * 2.0 ** (num_epochs - 1 - k) for k in range(num_epochs)]
    return w, b, losses"""}, ["q3_tests"]),
    ("cheat_keras_dense", "ch11_mlp"): ({"q2": """class MyDense(d2l.keras.layers.Dense):
    pass"""}, ["q2_tests"]),
    ("cheat_linear", "ch11_mlp"): ({"q4": """def train_mlp(X, y, num_epochs=20, batch_size=50, lr=0.01, seed=0):
    d2l.random.set_seed(seed)
    layers = [MyDense(4)]            # a linear model: no hidden layer
    optimizer = d2l.keras.optimizers.Adam(learning_rate=lr)
    for epoch in range(num_epochs):
        for start in range(0, X.shape[0], batch_size):
            with d2l.GradientTape() as tape:
                loss = cross_entropy(forward(layers, X[start:start + batch_size]), y[start:start + batch_size])
            variables = [v for layer in layers for v in layer.trainable_variables]
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return layers"""}, ["q4_tests"]),
}


def cheated(release, source, replace):
    """Every answer from the solutions except those in ``replace``."""
    solutions = {grade_id(cell) for cell in source.cells if role(cell) in ("solution", "written")}
    return answered(release, source, solutions - set(replace), replace)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("nbgrader-course")
    root, home = base / "course", base / "home"
    root.mkdir()
    home.mkdir()
    shutil.copytree(EXERCISES / "source", root / "source")
    shutil.copy(EXERCISES / "nbgrader_config.py", root)
    shutil.copytree(EXERCISES / "d2l_grading", root / "d2l_grading")
    env = isolated_env(home)
    repo_before = tree(EXERCISES)

    with pytest.MonkeyPatch.context() as mp:
        # the in-process Validator starts kernels from this process: same isolation
        for name in ["HOME", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                     "IPYTHONDIR", "MPLCONFIGDIR", "PATH", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE"]:
            mp.setenv(name, env[name])
        mp.delenv("JUPYTER_PATH", raising=False)
        mp.delenv("JUPYTER_CONFIG_PATH", raising=False)

        c = Course(root, home, env)
        c.repo_before = repo_before
        c.nbgrader("generate_assignment", "*")

        for assignment in ASSIGNMENTS:
            c.submit("solver", assignment, source_nb(assignment))
            c.submit("blank", assignment, c.release(assignment))

        release, source = c.release(PARTIAL), source_nb(PARTIAL)
        c.submit("partial", PARTIAL, answered(release, source, {"q3", "q4"}, PARTIAL_ANSWERS))
        tampered = answered(release, source, {"q1", "q3", "q4"}, TAMPERED_TESTS)
        tampered.cells = [cell for cell in tampered.cells if grade_id(cell) != "q1p_tests"]
        c.submit("tamper", PARTIAL, tampered)
        c.submit("looper", PARTIAL, answered(release, source, {"q2", "q3", "q4"},
                                             {"q1": "while True:\n    pass"}))

        for (student, assignment), (replace, _) in CHEATS.items():
            c.submit(student, assignment, cheated(c.release(assignment), source_nb(assignment), replace))

        # alice goes through the exchange
        exchange, alice = base / "exchange", home / "alice"
        exchange.mkdir()
        alice.mkdir()
        where = f"--Exchange.root={exchange}"
        c.nbgrader("release_assignment", "ch02_data", where)
        c.nbgrader("fetch_assignment", "ch02_data", "--course=d2l-course", where, cwd=alice)
        fetched = alice / "ch02_data" / "ch02_data.ipynb"
        nbformat.write(answered(read(fetched), source_nb("ch02_data"),
                                {"q1", "q2", "q3", "q4", "q5"}), str(fetched))
        c.nbgrader("submit", "ch02_data", "--course=d2l-course", "--student=alice", where, cwd=alice)
        c.nbgrader("collect", "ch02_data", where)

        c.nbgrader("autograde", "*", f"--Execute.timeout={LOOP_TIMEOUT}")

        # manual grading, as formgrader does it: the solver's written answers get full marks
        from nbgrader.api import Gradebook
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            for assignment in ASSIGNMENTS:
                for notebook in gb.find_submission(assignment, "solver").notebooks:
                    for grade in notebook.grades:
                        if grade.cell.cell_type == "markdown":
                            grade.manual_score = grade.max_score
            gb.db.commit()

        c.nbgrader("generate_feedback", "*")
        c.nbgrader("export")
        yield c



# -- the self-check helper ----------------------------------------------------------------

def test_check_summary_never_claims_more_than_what_ran(capsys):
    import d2l_core as d2l
    check = d2l.check("q1", "demo")
    check.equal(d2l.ones((2, 3)).shape, [2, 3], "a TensorShape equals a list")
    check.close(d2l.constant([0.1 + 0.2]), [0.3], "close values")
    check.done()
    check.hidden()
    check.raises(ValueError, lambda: int("x"), "a ValueError")
    check.done()
    first, second = capsys.readouterr().out.splitlines()
    assert first == "✔ q1 (demo): 2 public checks passed. Hidden checks run at grading."
    assert second == "✔ q1 (demo): 2 public and 1 hidden checks passed."


@pytest.mark.parametrize("run, message", [
    (lambda c: c.close([1., 2.], [1., 3.], "values", hint="look"),
     ["✘ q2 failed the check: values", "    expected: [1., 3.] (shape (2,))",
      "    actual:   [1., 2.] (shape (2,))", "    hint:     look"]),
    (lambda c: c.close([[1.], [2.]], [1., 2.], "shape first"),
     ["✘ q2 failed the check: shape first", "    expected: shape (2,)", "    actual:   shape (2, 1)"]),
    (lambda c: c.close(None, 6., "a gradient"),
     ["✘ q2 failed the check: a gradient", "    expected: 6.0", "    actual:   None (not a tensor or number)"]),
    (lambda c: c.raises(ValueError, lambda: 1, "an error"),
     ["✘ q2 failed the check: an error", "    expected: an error of type ValueError",
      "    actual:   no error; it returned 1"]),
    (lambda c: (c.hidden(), c.true(False, "edge case", actual=0.5)),
     ["✘ q2 failed the hidden check: edge case", "    actual:   0.5"]),
])
def test_a_failing_check_raises_assertion_error_with_expected_actual_hint(run, message):
    import d2l_core as d2l
    with pytest.raises(AssertionError) as failure:
        run(d2l.check("q2"))
    assert str(failure.value).splitlines() == message


# -- the content, before nbgrader ------------------------------------------------------

def test_source_notebooks_match_content_files():
    result = subprocess.run([sys.executable, str(EXERCISES / "make_source.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_shape(assignment):
    nb = source_nb(assignment)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code[0].source.startswith("import d2l_core as d2l")
    tests = [cell for cell in nb.cells if role(cell) == "tests"]
    written = [cell for cell in nb.cells if role(cell) == "written"]
    assert len(tests) >= 3 and len(written) >= 1
    for cell in tests:
        meta = cell.metadata["nbgrader"]
        assert meta["points"] > 0 and meta["locked"] and meta["schema_version"] == 3
        assert "d2l.check(" in cell.source and cell.source.rstrip().endswith("check.done()")
        assert region(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"), \
            f"{meta['grade_id']} has no hidden tests"
        assert region(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")[0] == "check.hidden()"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_totals_20_points_and_every_written_answer_has_a_rubric(assignment):
    cells = source_nb(assignment).cells
    points = [cell.metadata["nbgrader"]["points"] for cell in cells if role(cell) in ("tests", "written")]
    assert sum(points) == 20, f"{assignment} totals {sum(points)} points; every assignment totals 20"
    for i, cell in enumerate(cells):
        if role(cell) == "written":
            question = next(c.source for c in reversed(cells[:i]) if c.cell_type == "markdown")
            match = re.search(r"\*\*Rubric \((\d+) points?\):\*\*(.*)", question, re.S)
            assert match, f"{assignment}: the question above {grade_id(cell)} has no **Rubric (N points):**"
            assert int(match[1]) == cell.metadata["nbgrader"]["points"], \
                f"{assignment}: the rubric of {grade_id(cell)} splits another number of points"


# -- generate_assignment -------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_stubs_and_no_solutions_or_hidden_tests(course, assignment):
    source, release = source_nb(assignment), course.release(assignment)
    assert [c.id for c in release.cells] == [c.id for c in source.cells]
    released = cells_by_id(release)
    for name, cell in cells_by_id(source).items():
        out = released[name].source
        assert "### BEGIN" not in out and "### END" not in out
        if role(cell) == "solution":
            assert out == replace_region(cell.source, "SOLUTION", STUB)
        elif role(cell) == "written":
            assert out == "YOUR ANSWER HERE"
        elif role(cell) == "tests":
            assert out == replace_region(cell.source, "HIDDEN TESTS", [])
            assert "check.hidden()" not in out
        else:
            assert out == cell.source
    assert not any(cell.outputs for cell in release.cells if cell.cell_type == "code")


# -- what learners reach: learner copies, chapter links, the learner bundle -----------------

LEARNER = EXERCISES / "learner"
SECRET_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "BEGIN HIDDEN TESTS", "check.hidden()")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_learner_copy_is_what_nbgrader_releases(course, assignment):
    committed = read(LEARNER / assignment / f"{assignment}.ipynb")
    released = course.release(assignment)
    assert [(c.id, c.source, c.metadata) for c in committed.cells] == \
        [(c.id, c.source, c.metadata) for c in released.cells], (
        f"exercises/learner/{assignment} is stale: run python exercises/make_source.py")


def _secrets(assignment):
    """Text only the instructor's copy holds: each whole solution, each hidden check's line
    (where expected values live), each paragraph of a model answer."""
    secrets = set()
    for cell in source_nb(assignment).cells:
        if role(cell) == "solution":
            secrets.add("\n".join(region(cell.source, "### BEGIN SOLUTION", "### END SOLUTION")))
        elif role(cell) == "tests":
            secrets.update(line for line in region(cell.source, "### BEGIN HIDDEN TESTS",
                                                   "### END HIDDEN TESTS") if "check." in line)
        elif role(cell) == "written":
            secrets.update(cell.source.split("\n\n"))
    # short lines (``return x``, ``check.done()``) may well appear in public text
    return {text.strip() for text in secrets if len(text.strip()) >= 25}


def _learner_facing():
    yield from sorted((REPO / "notebooks").glob("*.ipynb"))
    yield from sorted(LEARNER.glob("*/*.ipynb"))


def test_nothing_a_learner_opens_holds_a_solution_or_a_hidden_test():
    secrets = {line: name for name in ASSIGNMENTS for line in _secrets(name)}
    assert secrets, "no solution text found in the source notebooks: is the test reading them?"
    for path in _learner_facing():
        text = "\n".join(cell.source for cell in read(path).cells)
        for marker in SECRET_MARKERS:
            assert marker not in text, f"{path.relative_to(REPO)} holds {marker!r}"
        leaked = [line for line in secrets if line in text]
        assert not leaked, (f"{path.relative_to(REPO)} holds instructor-only text of "
                            f"{secrets[leaked[0]]}: {leaked[0]!r}")


def test_chapter_links_to_exercises_lead_to_learner_copies():
    links = 0
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        for cell in read(path).cells:
            for target in re.findall(r"\]\(([^)]*exercises/[^)]*)\)", cell.source):
                links += 1
                assert "exercises/learner/" in target, (
                    f"{path.name} links {target}: chapters link the learner copy "
                    "(../exercises/learner/<name>/<name>.ipynb), never source/")
                assert (path.parent / target).resolve().is_file(), f"{path.name}: {target} is missing"
    assert links >= len(ASSIGNMENTS)


def test_learner_bundle_leaves_out_the_instructors_files(tmp_path):
    target = tmp_path / "course"
    result = subprocess.run([sys.executable, str(EXERCISES / "make_source.py"), "--bundle",
                             str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (target / "notebooks").is_dir() and (target / "exercises" / "learner").is_dir()
    assert (target / "course").is_file() and (target / "d2l_core").is_dir()
    for gone in ("exercises/source", "exercises/content", "tests"):
        assert not (target / gone).exists(), f"the bundle holds {gone}"
    for path in target.rglob("*.ipynb"):
        assert not any(m in path.read_text() for m in SECRET_MARKERS[:3]), path


# -- validation (nbgrader validate exits 0 even on failures: use the API) -------------------

def validate(path):
    from nbgrader.validator import Validator
    from traitlets.config import Config
    return Validator(config=Config({"Execute": {"timeout": 60}})).validate(str(path))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validator_source_passes_release_fails(course, assignment):
    _skip_if_engine_missing(assignment)
    assert validate(course.root / "source" / assignment / f"{assignment}.ipynb") == {}
    results = validate(course.root / "release" / assignment / f"{assignment}.ipynb")
    graded = sum(role(cell) in ("tests", "written") for cell in source_nb(assignment).cells)
    assert set(results) == {"failed"} and len(results["failed"]) == graded  # unanswered = failed


# -- autograde ----------------------------------------------------------------------------

def submissions(course):
    """(student, assignment) of every autograded submission."""
    return {(student.name, assignment.name) for student in (course.root / "autograded").iterdir()
            for assignment in student.iterdir()}


def test_every_submission_was_autograded(course):
    expected = {(student, a) for student in ["solver", "blank"] for a in ASSIGNMENTS}
    expected |= {("partial", PARTIAL), ("tamper", PARTIAL), ("looper", PARTIAL), ("alice", "ch02_data")}
    expected |= set(CHEATS)
    assert submissions(course) == expected


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_solutions_get_full_marks(course, assignment):
    _skip_if_engine_missing(assignment)
    for name, (auto, manual, maximum) in course.scores("solver", assignment).items():
        if name.endswith("_tests"):
            assert auto == maximum, f"{assignment}/{name}: {auto} of {maximum}"
        else:  # the written answer waits for a person (and got full marks from the fixture)
            assert auto is None and manual == maximum
    for cell in course.autograded("solver", assignment).cells:
        if role(cell) == "tests":
            text = "".join(out.get("text", "") for out in cell.outputs)
            assert re.search(r"✔ .*: \d+ public and \d+ hidden checks? passed\.", text), text


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_stubs_get_zero(course, assignment):
    scores = course.scores("blank", assignment)
    assert scores and all(auto == 0 for auto, _, _ in scores.values()), scores


def test_partly_correct_submission_gets_exact_partial_score(course):
    scores = course.scores("partial", PARTIAL)
    assert {k: v[0] for k, v in scores.items() if k.endswith("_tests")} == PARTIAL_EXPECTED
    # q2 passed its public checks but a hidden one failed, with a message saying so
    q2 = cells_by_id(course.autograded("partial", PARTIAL))["q2_tests"]
    (error,) = q2.outputs
    assert error.ename == "AssertionError"
    assert error.evalue.splitlines() == [
        "✘ q2 (broadcast_shape) failed the hidden check: size 0 with size 1 gives size 0",
        "    expected: (0,)",
        "    actual:   (1,)",
    ]
    assert error.traceback == [f"\x1b[31mAssertionError\x1b[39m\x1b[31m:\x1b[39m {error.evalue}\n"], \
        "graded kernels print errors in Minimal mode, quoting no hidden code"


def test_self_check_in_a_learners_copy(course):
    """Run the partial submission as the learner sees it: public checks only."""
    from nbclient import NotebookClient
    nb = read(course.root / "submitted" / "partial" / PARTIAL / f"{PARTIAL}.ipynb")
    NotebookClient(nb, timeout=60, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": str(course.home)}}).execute()
    tests = {grade_id(cell): cell for cell in nb.cells if role(cell) == "tests"}
    error = next(out for out in tests["q1p_tests"].outputs if out.output_type == "error")
    assert error.ename == "AssertionError"
    assert error.evalue.splitlines() == [
        "✘ q1p (predicted['p']) failed the check: predicted['p'] is a tuple of ints or None",
        "    actual:   [3, 2]",
        "    hint:     write shapes like (3, 2), or None for an error",
    ]
    # q2 is wrong, but only hidden checks see it; a prediction's value is never checked in public
    for name in PREDICTIONS[1:] + ["q2_tests", "q3_tests", "q4_tests"]:
        (out,) = tests[name].outputs
        assert out.name == "stdout" and out.text.endswith(
            "passed. Hidden checks run at grading.\n"), out.text
    everything = "".join(str(cell.outputs) for cell in nb.cells if cell.cell_type == "code").lower()
    assert "all tests passed" not in everything and "all checks passed" not in everything


@pytest.mark.parametrize("student, assignment", CHEATS, ids=lambda v: v)
def test_cheating_loses_the_points_of_the_problem_it_cheats(course, student, assignment):
    replace, cheated_cells = CHEATS[student, assignment]
    scores = course.scores(student, assignment)
    for name in cheated_cells:
        auto, _, maximum = scores[name]
        assert auto < maximum, f"{student} got full marks on {assignment} {name} by cheating"
    honest = [name for name in scores if name.endswith("_tests") and name not in cheated_cells
              and not any(name.startswith(q) for q in replace)]
    assert any(scores[name][0] == scores[name][2] for name in honest), \
        f"{student}'s honest answers in {assignment} should still score"


def test_edited_and_deleted_test_cells_are_restored(course):
    scores = course.scores("tamper", PARTIAL)
    assert {k: v[0] for k, v in scores.items() if k.endswith("_tests")} == TAMPER_EXPECTED
    graded, source = cells_by_id(course.autograded("tamper", PARTIAL)), cells_by_id(source_nb(PARTIAL))
    for name in TAMPERED_TESTS:
        assert graded[name].source == source[name].source  # hidden tests included
    restored = graded["q1p_tests"].source
    assert restored.startswith("# This cell (id:q1p_tests) was missing from the submission.")
    assert restored.endswith(source["q1p_tests"].source)


def test_infinite_loop_times_out_and_grading_goes_on(course):
    scores = course.scores("looper", PARTIAL)
    assert {k: v[0] for k, v in scores.items() if k.endswith("_tests")} == \
        {**{name: 0.0 for name in PREDICTIONS}, "q2_tests": 5.0, "q3_tests": 3.0, "q4_tests": 4.0}
    loop_cell = cells_by_id(course.autograded("looper", PARTIAL))["q1"]
    assert "CellTimeoutError" in [out.ename for out in loop_cell.outputs if out.output_type == "error"]
    # the students graded after the looper in the same run were graded too
    assert course.scores("partial", PARTIAL) and course.scores("tamper", PARTIAL)


def test_exchange_submission_is_collected_and_graded(course):
    scores = course.scores("alice", "ch02_data")
    assert all(auto == maximum for name, (auto, _, maximum) in scores.items() if name.endswith("_tests"))
    assert scores["q5"][0] is None  # her written answer waits for manual grading


# -- gradebook, feedback, export ----------------------------------------------------------------

def test_honest_submissions_are_not_flagged(course):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        for student, assignment in submissions(course):
            if student in ("solver", "blank", "partial", "alice"):
                for notebook in gb.find_submission(assignment, student).notebooks:
                    assert not notebook.flagged, (student, assignment)


def test_gradebook_holds_every_score(course):
    with sqlite3.connect(course.root / "gradebook.db") as db:
        rows = db.execute("""
            SELECT assignment.name, student.id, base_cell.name, grade.auto_score, grade.manual_score
            FROM grade
            JOIN base_cell ON grade.cell_id = base_cell.id
            JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            JOIN assignment ON submitted_assignment.assignment_id = assignment.id
            JOIN student ON submitted_assignment.student_id = student.id""").fetchall()
    graded = submissions(course)
    cells = {a: sum(role(c) in ("tests", "written") for c in source_nb(a).cells) for a in ASSIGNMENTS}
    assert len(rows) == sum(cells[assignment] for _, assignment in graded)
    for assignment, student, cell, auto, manual in rows:
        if cell.endswith("_tests"):
            assert auto is not None, (assignment, student, cell)


def test_feedback_for_every_submission_without_hidden_test_code(course):
    def text(student, assignment):
        page = (course.root / "feedback" / student / assignment / f"{assignment}.html").read_text()
        return html.unescape(re.sub(r"<[^>]+>", "", page))

    for student, assignment in submissions(course):
        page = text(student, assignment)
        assert f"{assignment} (Score:" in page
        assert "BEGIN HIDDEN TESTS" not in page and "check.hidden()" not in page
    # what a failed hidden check tells the learner is still there
    assert "failed the hidden check: size 0 with size 1 gives size 0" in text("partial", PARTIAL)


def test_export_writes_every_score_to_csv(course):
    with open(course.root / "grades.csv", newline="") as f:
        rows = {(row["assignment"], row["student_id"]): row for row in csv.DictReader(f)}
    for student, assignment in submissions(course):
        expected = sum(manual if manual is not None else (auto or 0)
                       for auto, manual, _ in course.scores(student, assignment).values())
        assert float(rows[(assignment, student)]["score"]) == pytest.approx(expected)
    for assignment in ASSIGNMENTS:
        assert float(rows[(assignment, "blank")]["score"]) == 0
        if NEEDS_ENGINE.get(assignment, True):
            row = rows[(assignment, "solver")]
            assert float(row["score"]) == float(row["max_score"])
    assert float(rows[(PARTIAL, "partial")]["score"]) == sum(PARTIAL_EXPECTED.values())


def test_grading_wrote_nothing_into_the_repository_or_home(course):
    assert tree(EXERCISES) == course.repo_before
    assert (course.home / "ipython").is_dir()  # the kernels used the temporary folders
    assert not (course.root / "source" / PARTIAL / ".ipynb_checkpoints").exists()
