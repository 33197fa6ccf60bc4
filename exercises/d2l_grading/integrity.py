"""The grading side of the integrity checks, wired into ``nbgrader autograde``.

* :func:`scan_cell` reads a student's code cell with ``ast``, outside the
  kernel, so nothing the code does at run time can change what it finds:
  imports of modules no exercise needs (``sys``, ``gc``, ``ctypes``,
  ``builtins``, ``inspect``, ``importlib``, ...), names that reach around
  Python's objects (``setattr``, ``exec``, ``globals``, ``get_ipython``,
  ``__import__``, ...), dunder attributes (``__dict__``, ``__code__``, ...),
  attributes set on anything but ``self``, and rebinding names that the
  read-only cells set up and the test cells use (``d2l``, data) or builtins
  the test cells call.
* :class:`GradingExecute` replaces nbgrader's ``Execute``. Before each test
  cell it asks the guard in the kernel (:mod:`d2l_grading.guard`) whether the
  checker, the builtins, NumPy, d2l_core or IPython were tampered with; a test
  cell run in a tampered kernel scores zero. It also survives kernels that die
  (a crash, the memory limit, ``os._exit``) or stop answering (a loop that
  ignores interrupts): the cells left score zero, and grading goes on with the
  next student. A notebook gets ``wall_seconds`` in all.
* :class:`FlagSubmission` (after ``SaveAutoGrades``) marks the submission
  ``flagged`` in the gradebook (Formgrader shows a flag), writes the reasons as
  comments on the answer cells, and keeps them in the autograded notebook's
  metadata for the feedback (:mod:`d2l_grading.feedback`).
"""
import ast
import asyncio
import builtins
import json
import secrets
import time
from queue import Empty

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from nbclient.exceptions import DeadKernelError
from traitlets import Integer

ALLOWED_IMPORTS = {"d2l_core", "numpy", "math", "random", "itertools", "functools", "collections",
                   "typing", "time", "dataclasses", "statistics", "string", "re", "copy",
                   "fractions", "decimal", "heapq", "bisect", "matplotlib", "timeit", "pprint"}
FORBIDDEN_NAMES = {"setattr", "delattr", "exec", "eval", "compile", "__import__", "globals", "locals",
                   "vars", "get_ipython", "__builtins__", "__builtin__", "breakpoint", "memoryview",
                   "__loader__", "__spec__", "In", "Out", "_ih", "_oh", "_dh", "exit", "quit"}
SAFE_DUNDERS = {"__init__", "__name__", "__call__", "__len__", "__repr__", "__str__", "__doc__",
                "__iter__", "__next__", "__getitem__", "__eq__", "__add__", "__mul__", "__matmul__"}
METADATA_KEY = "d2l_grading"


def _role(cell):
    meta = cell.metadata.get("nbgrader", {})
    if meta.get("grade") and not meta.get("solution"):
        return "tests"
    if meta.get("solution"):
        return "solution"
    if meta.get("locked"):
        return "setup"
    return "student"


def _parse(source):
    """The cell's code as an ``ast`` tree (IPython magics turned into calls), or None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        source = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001
        pass
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def bound_names(source):
    """Names a cell binds at the top level (assignments, imports, defs, ``global``).

    >>> sorted(bound_names("import numpy as np\\nX, y = 1, 2\\ndef f(): global z; z = 1"))
    ['X', 'f', 'np', 'y', 'z']
    """
    tree = _parse(source)
    if tree is None:
        return set()
    names = set()

    def targets(node):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for elt in node.elts:
                targets(elt)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    for node in tree.body:
        if isinstance(node, (ast.Assign,)):
            for t in node.targets:
                targets(t)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
            targets(node.target)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    targets(item.optional_vars)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            names.update(node.names)
        elif isinstance(node, ast.NamedExpr):
            targets(node.target)
    return names


def used_names(source):
    """Names a cell reads (the free names its code looks up).

    >>> sorted(used_names("check = d2l.check('q1')\\ncheck.true(isinstance(x, int), 'x')"))
    ['check', 'd2l', 'int', 'isinstance', 'x']
    """
    tree = _parse(source)
    if tree is None:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def scan_cell(source, protected=frozenset(), test_uses=frozenset()):
    """What in a student's code cell could tamper with grading (a list of strings).

    ``protected``: names the read-only cells set up and the tests use;
    ``test_uses``: every name the test cells read.

    >>> scan_cell("def f(x):\\n    return x * 2")
    []
    >>> scan_cell("import builtins\\nd2l.check = None\\nd2l = 0", protected={"d2l"})
    ['imports builtins', 'sets the attribute d2l.check', 'rebinds d2l, which the read-only cells set up for the tests']
    """
    tree = _parse(source)
    if tree is None:
        return []
    found = []

    def note(text):
        if text not in found:
            found.append(text)

    method_selves = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.args.args:
                    method_selves.add(id(item))
    selves = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and id(node) in method_selves:
            for inner in ast.walk(node):
                selves[id(inner)] = node.args.args[0].arg
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in ALLOWED_IMPORTS:
                    note(f"imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] not in ALLOWED_IMPORTS:
                note(f"imports from {node.module or '.'}")
            elif (node.module or "").startswith("d2l_core.selfcheck"):
                note(f"imports from {node.module}")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            note(f"uses {node.id}")
        elif isinstance(node, ast.Name) and node.id.startswith("__") and node.id.endswith("__") \
                and node.id not in ("__name__", "__doc__"):
            note(f"uses {node.id}")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("__") and node.attr not in SAFE_DUNDERS:
                note(f"uses the attribute {node.attr}")
            elif node.attr.startswith("_") and _root(node) in protected | {"np", "numpy", "d2l", "d2l_core"}:
                note(f"reads the private name {_root(node)}...{node.attr}")
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                root = _root(node)
                if not (isinstance(node.value, ast.Name) and selves.get(id(node)) == node.value.id):
                    verb = "sets" if isinstance(node.ctx, ast.Store) else "deletes"
                    note(f"{verb} the attribute {ast.unparse(node)}" if root else f"{verb} an attribute")
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root(node)
            if root in protected or root in ("np", "numpy", "d2l", "d2l_core"):
                note(f"changes {ast.unparse(node)} in place")
    for name in sorted(bound_names(source)):
        if name in protected:
            note(f"rebinds {name}, which the read-only cells set up for the tests")
        elif name in test_uses and hasattr(builtins, name):
            note(f"rebinds the builtin {name}, which the tests use")
        elif name.startswith("__") and name.endswith("__"):
            note(f"rebinds {name}")
    return found


def scan_notebook(nb):
    """Static findings for every cell the student could write: ``{cell id: [...]}``.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('import gc')])
    >>> list(scan_notebook(nb).values())
    [['imports gc']]
    """
    setup_bound, test_uses = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if _role(cell) == "setup":
            setup_bound |= bound_names(cell.source)
        elif _role(cell) == "tests":
            test_uses |= used_names(cell.source)
    protected = setup_bound & test_uses
    findings = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and _role(cell) in ("solution", "student"):
            found = scan_cell(cell.source, protected, test_uses)
            if found:
                findings[_cell_name(cell, index)] = found
    return findings


def _cell_name(cell, index):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def _error(ename, evalue):
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class GradingExecute(Execute):
    """nbgrader's Execute with the guard, dead-kernel handling and a time budget.

    In ``nbgrader_config.py``: ``c.Autograde.autograde_preprocessors`` lists it
    in place of ``Execute`` (options stay under ``c.Execute``).

    >>> GradingExecute().wall_seconds
    600
    """

    wall_seconds = Integer(600, config=True, help="Time one notebook may take in all (seconds).")
    guard_seconds = Integer(20, config=True, help="How long the guard may take to answer.")

    def preprocess(self, nb, resources=None, km=None):
        self._dead = None
        self._started = time.monotonic()
        self._tampered = []            # (test cell, problems) the guard reported
        self._problems = []            # everything the guard reported, once each
        self._protected = set()
        self._static = scan_notebook(nb)
        test_uses = set()
        for cell in nb.cells:
            if cell.cell_type == "code" and _role(cell) == "tests":
                test_uses |= used_names(cell.source)
        self._test_uses = test_uses
        nb, resources = super().preprocess(nb, resources, km)
        resources = resources if resources is not None else {}
        resources[METADATA_KEY] = {
            "static": self._static, "guard": self._problems,
            "tampered_cells": [name for name, _ in self._tampered], "kernel": self._dead}
        return nb, resources

    # -- talking to the guard --------------------------------------------------------

    async def _async_ask_guard(self, protect=(), uses=()):
        nonce = secrets.token_hex(16)
        expression = ("__import__('d2l_grading.guard', fromlist=['report_json'])"
                      f".report_json({nonce!r}, {sorted(protect)!r}, {sorted(uses)!r})")
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"g": expression})
        deadline = time.monotonic() + self.guard_seconds
        while time.monotonic() < deadline:
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=1)
            except Empty:
                if not await self.kc.is_alive():
                    return None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            try:
                value = msg["content"]["user_expressions"]["g"]
                report = json.loads(ast.literal_eval(value["data"]["text/plain"]))
            except Exception:  # noqa: BLE001
                return ["the grading guard's answer was altered"]
            if report.get("nonce") != nonce or not isinstance(report.get("problems"), list):
                return ["the grading guard's answer was forged"]
            return [str(p) for p in report["problems"]]
        return None

    def _ask_guard(self, protect=(), uses=()):
        from jupyter_core.utils import run_sync
        return run_sync(self._async_ask_guard)(protect, uses)

    # -- running cells ----------------------------------------------------------------

    def _stop(self, reason):
        self._dead = reason
        try:
            from jupyter_core.utils import run_sync
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001
            pass

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        role = _role(cell)
        if self._dead is None and time.monotonic() - self._started > self.wall_seconds:
            self._stop(f"the notebook ran out of time ({self.wall_seconds} s in all)")
        if self._dead:
            cell.outputs = [_error("GradingStopped", f"not run: {self._dead}")]
            return cell, resources
        problems = []
        if role == "tests":
            problems = self._ask_guard(uses=used_names(cell.source) & self._test_uses)
            if problems is None:
                self._stop("the kernel stopped answering")
                cell.outputs = [_error("GradingStopped", f"not run: {self._dead}")]
                return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._dead = ("the kernel died while this cell ran (a crash, the memory or process "
                          "limit, or the code ended the process)")
            cell.outputs.append(_error("DeadKernelError", self._dead))
            return cell, resources
        except Exception as error:  # noqa: BLE001  (a kernel that stopped answering, say)
            self._stop(f"the kernel stopped answering while this cell ran ({type(error).__name__})")
            cell.outputs.append(_error("CellTimeoutError", self._dead))
            return cell, resources
        if role == "tests":
            # nbgrader reads a number shown by a test cell as partial credit; the
            # course's test cells show none, so one that does was tampered with.
            for i, out in enumerate(cell.outputs):
                if out.get("output_type") == "execute_result":
                    cell.outputs[i] = _error("GradingIntegrityError",
                                             "no points: the test cell displayed a value")
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
        if role == "setup" or timed_out or role == "tests":
            protect = bound_names(cell.source) & self._test_uses if role == "setup" else ()
            after = self._ask_guard(protect=protect)
            if after is None:
                self._stop("the kernel stopped answering after a cell timed out" if timed_out
                           else "the kernel stopped answering")
            elif role != "tests":
                problems = after
        if problems:
            new = [p for p in problems if p not in self._problems]
            self._problems += new
            if role == "tests":
                self._tampered.append((_cell_name(cell, index), problems))
                cell.outputs.insert(0, _error(
                    "GradingIntegrityError",
                    "no points: code in this notebook changed what the tests rely on: "
                    + "; ".join(problems)))
        return cell, resources


class FlagSubmission(NbGraderPreprocessor):
    """Flag a submission in the gradebook when grading found tampering.

    Runs after ``SaveAutoGrades``; writes what :class:`GradingExecute` found into
    the gradebook (``flagged``, comments on the answer cells) and into the
    autograded notebook's metadata.

    >>> FlagSubmission().enabled
    True
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        found = resources.get(METADATA_KEY, {})
        reasons = [f"{cell}: {text}" for cell, texts in found.get("static", {}).items() for text in texts]
        reasons += [f"guard: {p}" for p in found.get("guard", [])]
        flagged = bool(reasons)
        nb.metadata[METADATA_KEY] = {"flagged": flagged, "reasons": reasons,
                                     "tampered_cells": found.get("tampered_cells", []),
                                     "kernel": found.get("kernel")}
        info = resources["nbgrader"]
        with Gradebook(info["db_url"], info.get("course_id", "")) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            notebook.flagged = flagged
            for cell, texts in found.get("static", {}).items():
                try:
                    comment = gb.find_comment(cell, info["notebook"], info["assignment"], info["student"])
                except Exception:  # noqa: BLE001  (not an answer cell: a scratch cell)
                    continue
                comment.auto_comment = "Flagged for the instructor: this cell " + "; ".join(texts) + "."
            gb.db.commit()
        if flagged:
            self.log.warning("FLAGGED %s/%s for the instructor: %s", info["student"], info["assignment"],
                             "; ".join(reasons))
        return nb, resources
