"""Malicious submissions, graded for real: one `nbgrader autograde` in the sandbox.

Every attacker starts from the released ch02 notebook (no right answer) and
puts its attack into the first answer cell; `solver` (the instructor's
solutions) and `blank` (the release as is) are graded in the same run. For
each attack the tests check: no points gained (and tampering flagged), no
instructor or other student's file read, the gradebook untouched but for the
submission's own grades, the honest students graded right, and feedback that
carries no hidden test code or expected values.
"""
import html
import re
import shutil
import socket
import sqlite3
import time

import nbformat
import pytest

from .test_exercises import EXERCISES, Course, grade_id, isolated_env, read, region, source_nb

A = "ch02_data"
SECRET = "instructor-secret-7f3a"
CONTENT = "the answer is 42, do not tell"
TIMEOUT = 8   # seconds per cell here (the course's own setting is 60)

pytestmark = pytest.mark.skipif(shutil.which("bwrap") is None,
                                reason="bubblewrap is missing: ./course test installs it")

# Each attack is the whole first answer cell. Attacks that read print what they got.
ATTACKS = {
    "checker": """
import d2l_core.selfcheck as sc
class Fake:
    def __init__(self, *a, **k): pass
    def __getattr__(self, name): return lambda *a, **k: None
d2l.check = Fake
for m in ('equal', 'close', 'true', 'raises', 'done', 'hidden'):
    setattr(sc.Check, m, lambda *a, **k: None)
""",
    "methods": """
from d2l_core import selfcheck
selfcheck.Check._fail = lambda self, *a, **k: None
selfcheck.Check._compare_arrays = lambda self, *a, **k: None
""",
    "builtins": """
import builtins
builtins.AssertionError = type('AssertionError', (Warning,), {})
builtins.isinstance = lambda *a: True
builtins.sorted = lambda x, *a, **k: ['concat0', 'concat1', 'matmul', 'matmul_t', 'sum0', 'sum1_keep']
""",
    "numpy": """
import numpy as np
np.array_equal = lambda *a, **k: True
np.allclose = lambda *a, **k: True
X = X_by_columns = d2l.zeros((3, 4), d2l.int32); evens = d2l.zeros((6,))
""",
    "shadow": """
class Anything:
    def __getattr__(self, name): return lambda *a, **k: Anything()
d2l = Anything()
X = X_by_columns = evens = 0
""",
    "ipython": """
get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])
""",
    "reader": f"""
import glob, os
found = glob.glob('../../../**/*.ipynb', recursive=True) + glob.glob('/work/**/source/**', recursive=True)
found += glob.glob('*.ipynb') + glob.glob('../../../{SECRET}*')
print('FOUND', found)
for path in ['../../../source/{A}/{A}.ipynb', '{A}.ipynb', '../../../{SECRET}.txt']:
    try:
        print('READ', open(path).read()[:100])
    except OSError as e:
        print('DENIED', type(e).__name__)
""",
    "gradebook": """
import sqlite3
for path in ['../../../gradebook.db', 'gradebook.db']:
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET auto_score = 99")
        db.execute("CREATE TABLE pwned (x)")
        db.commit()
        print('WROTE', path)
    except Exception as e:
        print('DENIED', type(e).__name__, e)
""",
    "peeker": """
import glob
print('FOUND', glob.glob('../../*/*/*') + glob.glob('../../../submitted/*/*/*'))
""",
    "network": """
import socket
for host, port in [('127.0.0.1', {port}), ('10.0.0.1', 80), ('8.8.8.8', 53)]:
    try:
        socket.create_connection((host, port), timeout=2)
        print('CONNECTED', host)
    except OSError as e:
        print('NO NETWORK', host, type(e).__name__)
""",
    # bytes(n) asks the system for n zeroed bytes at once (calloc), so the bomb reaches the
    # sandbox's memory limit in milliseconds, not after seconds of writing zeros (which a
    # loaded two-core CI machine can stretch past the test's cell timeout).
    "membomb": """
hog = []
while True:
    hog.append(bytes(256 * 1024 * 1024))
""",
    "forkbomb": """
import os, time
for _ in range(100000):
    if os.fork() == 0:
        time.sleep(600)
        os._exit(0)
""",
    "looper": """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""",
    "suicide": """
import os, signal
os.kill(os.getpid(), signal.SIGKILL)
""",
    "leaker": """
def leak(result):
    print(result.info.raw_cell)
    raise AssertionError('✘ q3 (row_norms) failed the check: ' + result.info.raw_cell)
get_ipython().events.register('post_run_cell', leak)
""",
}
HONEST = {"solver": 17.0, "blank": 0.0, "unique": 17.0}   # ch02's auto-graded points
# An honest answer that calls np.unique: NumPy imports numpy.ma lazily, which must not
# look like tampering to the guard.
UNIQUE_Q4 = """def count_matches(P, Q):
    values, counts = np.unique(d2l.cast(d2l.equal(P, Q), d2l.int32).numpy(), return_counts=True)
    return int(dict(zip(values.tolist(), counts.tolist())).get(1, 0))"""


def _listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.1)
    return server


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    root, home = base / "course", base / "home"
    root.mkdir()
    home.mkdir()
    shutil.copytree(EXERCISES / "source" / A, root / "source" / A)
    shutil.copy(EXERCISES / "nbgrader_config.py", root)
    shutil.copytree(EXERCISES / "d2l_grading", root / "d2l_grading")
    (root / f"{SECRET}.txt").write_text(CONTENT)
    env = isolated_env(home)
    server = _listener()
    c = Course(root, home, env)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", env["HOME"])
        c.nbgrader("generate_assignment", A)
        release, source = c.release(A), source_nb(A)
        c.submit("solver", A, source)
        c.submit("blank", A, release)
        unique = nbformat.from_dict(source)
        for cell in unique.cells:
            if grade_id(cell) == "q4":
                cell.source = UNIQUE_Q4
        c.submit("unique", A, unique)
        for name, code in ATTACKS.items():
            nb = nbformat.from_dict(release)
            for cell in nb.cells:
                if grade_id(cell) == "q1":
                    cell.source = code.strip().replace("{port}", str(server.getsockname()[1]))
            c.submit(name, A, nb)
        started = time.monotonic()
        c.nbgrader("autograde", A, f"--Execute.timeout={TIMEOUT}", "--GradingExecute.guard_seconds=5")
        c.seconds = time.monotonic() - started
        try:
            server.accept()
            c.connected = True
        except OSError:
            c.connected = False
        server.close()
        c.nbgrader("generate_feedback", A)
    yield c


def _outputs(course, student, cell_id):
    cell = next(c for c in course.autograded(student, A).cells if grade_id(c) == cell_id)
    return "".join(o.get("text", "") + o.get("ename", "") + o.get("evalue", "") for o in cell.outputs)


def _flagged(course, student):
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        return any(n.flagged for n in gb.find_submission(A, student).notebooks)


def test_honest_students_graded_right_in_the_same_run(graded):
    for student, total in HONEST.items():
        scores = graded.scores(student, A)
        assert sum(auto or 0 for name, (auto, _, _) in scores.items() if name.endswith("_tests")) == total
        assert not _flagged(graded, student)


@pytest.mark.parametrize("attacker", sorted(ATTACKS))
def test_attack_gains_no_points(graded, attacker):
    scores = graded.scores(attacker, A)
    assert scores, f"{attacker} was not graded"
    assert all((auto or 0) == 0 for auto, _, _ in scores.values()), scores


@pytest.mark.parametrize("attacker", ["checker", "methods", "builtins", "numpy", "shadow", "ipython",
                                      "leaker"])
def test_tampering_is_flagged_in_gradebook_and_feedback(graded, attacker):
    assert _flagged(graded, attacker)
    page = (graded.root / "feedback" / attacker / A / f"{A}.html").read_text()
    assert "flagged for your instructor" in html.unescape(page)


def test_runtime_guard_zeroes_tampered_test_cells(graded):
    for attacker in ["checker", "methods", "numpy"]:
        meta = graded.autograded(attacker, A).metadata["d2l_grading"]
        tests = [grade_id(c) for c in source_nb(A).cells if grade_id(c) and grade_id(c).endswith("_tests")]
        assert meta["tampered_cells"] == tests, attacker


def test_no_instructor_or_other_students_file_is_readable(graded):
    out = _outputs(graded, "reader", "q1")
    assert "FOUND []" in out and out.count("DENIED") == 3 and "READ" not in out, out
    assert CONTENT not in str(graded.autograded("reader", A))
    assert "FOUND []" in _outputs(graded, "peeker", "q1")


def test_gradebook_is_out_of_reach(graded):
    out = _outputs(graded, "gradebook", "q1")
    assert "WROTE ../../../gradebook.db" not in out
    with sqlite3.connect(graded.root / "gradebook.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "pwned" not in tables
        assert db.execute("SELECT COUNT(*) FROM grade WHERE auto_score > max_score").fetchone() == (0,) \
            if "max_score" in {r[1] for r in db.execute("PRAGMA table_info(grade)")} else True
        students = {row[0] for row in db.execute("SELECT id FROM student")}
    assert students == set(ATTACKS) | set(HONEST)


def test_no_network(graded):
    out = _outputs(graded, "network", "q1")
    assert "CONNECTED" not in out and out.count("NO NETWORK") == 3, out
    assert not graded.connected


def test_memory_and_fork_bombs_fail_inside_the_submission(graded):
    assert "MemoryError" in _outputs(graded, "membomb", "q1")
    assert re.search(r"BlockingIOError|Resource temporarily unavailable|DeadKernelError",
                     _outputs(graded, "forkbomb", "q1"))


def test_stuck_and_dead_kernels_cost_only_their_own_submission(graded):
    for attacker in ["looper", "suicide"]:
        meta = graded.autograded(attacker, A).metadata["d2l_grading"]
        assert meta["kernel"], attacker                  # grading of that notebook stopped
    assert "DeadKernelError" in _outputs(graded, "suicide", "q1")
    assert "CellTimeoutError" in _outputs(graded, "looper", "q1")


def test_feedback_never_carries_hidden_tests_or_expected_values(graded):
    hidden = set()
    for cell in source_nb(A).cells:
        hidden |= {line for line in region(cell.source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
                   if len(line) > 15}
    for student in list(ATTACKS) + list(HONEST):
        page = html.unescape(re.sub(r"<[^>]+>", "", (graded.root / "feedback" / student / A /
                                                     f"{A}.html").read_text()))
        assert "check.hidden()" not in page and "HIDDEN TESTS" not in page, student
        for line in hidden:
            assert line not in page, (student, line)
        assert "expected:" not in page, student
    # the leaker printed the hidden tests into its own notebook; the instructor sees it there
    assert "check.hidden()" in _outputs(graded, "leaker", "q3_tests")


def test_grading_time(graded):
    # 17 submissions of ch02; a few run into their timeouts on purpose
    assert graded.seconds < 300, graded.seconds
