"""The transfer test: every chapter's TensorFlow code, run under real TensorFlow.

The course claims that what a learner writes with ``import d2l_core as d2l``
is TensorFlow. This module holds the claim to account, chapter by chapter:

1. Take the committed, executed notebook ``notebooks/NN_name.ipynb``.
2. Change its imports and nothing else: ``import d2l_core as d2l`` becomes
   ``import tensorflow as d2l``, ``import d2l_core.compat.v1 as tf`` becomes
   ``import tensorflow.compat.v1 as tf``, ``from d2l_core.keras import layers``
   becomes ``from tensorflow.keras import layers`` (:func:`to_tensorflow`).
3. Run it in one Jupyter kernel whose Python has ``tensorflow-cpu==2.21.0``
   (:func:`tf_python` makes that environment under ``~/.cache/d2l-course/``
   the first time; it is never a dependency of d2l_core).
4. Compare each code cell's output with the output d2l_core stored in the
   notebook (:func:`compare_chapter`): the cell's stdout, the text/plain of
   its results and displays (stderr, where TensorFlow logs, is not compared);
   whitespace does not matter and numbers agree within ``rtol=1e-3,
   atol=1e-6`` (``tools/tf_guides/compare.py``). A cell meant to fail must
   fail in TensorFlow with the same exception type.

Cell tags (in the chapter source: ``# %% tags=["output-varies"]``):

``d2l-only``
    uses an engine-only feature (``d2l.plot``, ``d2l.check``, tape records,
    ``Device.parse``, ...). Not run under TensorFlow. The cell's own comment
    or the Markdown cell just before it must say "d2l_core only; in
    TensorFlow you would write ..." (:func:`d2l_only_note`).
``output-varies``
    runs under TensorFlow, output not compared: timings, addresses, random
    draws, version numbers, help texts. A ``# NBVAL_IGNORE_OUTPUT`` line
    means the same.
``raises-exception``
    meant to fail; TensorFlow must raise the same exception type, or one of
    :func:`equivalent_errors` (a TensorFlow type d2l_core's
    error derives from).

No cell reaches the network. ``keras.datasets.mnist.load_data()`` in the
TensorFlow kernel returns the course's bundled subset (4,000 training and
1,000 test digits), which is what d2l_core's returns with ``D2L_OFFLINE=1``;
without this, TensorFlow would download all 70,000 digits.

Command line (``python tools/transfer/run.py --help``); the test is
``tests/course/test_transfer.py``.
"""

import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOTEBOOKS = ROOT / "notebooks"
SUBSET = ROOT / "d2l_core" / "datasets" / "mnist_subset.npz"

TF_VERSION = "2.21.0"
REQUIREMENTS = [f"tensorflow-cpu=={TF_VERSION}", "matplotlib", "ipykernel"]
CACHE = Path(os.environ.get("D2L_COURSE_CACHE", Path.home() / ".cache" / "d2l-course"))
ENV = CACHE / "tf-2.21"                 # shared with tools/tf_guides/setup_tf.sh
RESULTS = CACHE / "transfer"            # TensorFlow's outputs, keyed by the cells run
RUNNER_VERSION = 1                      # raise it when the way cells run under TensorFlow changes

TAG_D2L_ONLY = "d2l-only"
TAG_VARIES = "output-varies"
TAG_RAISES = "raises-exception"
NBVAL_IGNORE = "NBVAL_IGNORE_OUTPUT"


def equivalent_errors(name):
    """The exception types TensorFlow may raise where d2l_core raises ``name``:
    the same type, or a TensorFlow-named type it subclasses. d2l_core's more
    specific errors (``d2l_core/errors.py``) derive from TensorFlow's, so
    ``except`` clauses written for TensorFlow catch them:

    >>> sorted(equivalent_errors("DTypeMismatchError"))
    ['DTypeMismatchError', 'InvalidArgumentError', 'TypeError', 'ValueError']
    """
    import d2l_core.errors
    cls = getattr(d2l_core.errors, name, None)
    if not isinstance(cls, type):
        return {name}
    return {c.__name__ for c in cls.__mro__} - {"object", "BaseException", "Exception", "OpError"}


_IMPORT = re.compile(r"^(\s*)(import|from)(\s+)d2l_core\b", re.MULTILINE)
# TensorFlow's log lines, which its logger writes to stdout in a Jupyter kernel
# (d2l_core logs to stderr): log, not output.
_TF_LOG = re.compile(r"^(?:WARNING|INFO|ERROR):tensorflow:.*\n?", re.MULTILINE)
# "d2l_core only ... in TensorFlow", also when wrapped over comment lines
_NOTE = re.compile(r"d2l_core[\s#]+only\b.*?\bin[\s#]+TensorFlow\b", re.IGNORECASE | re.DOTALL)


class TransferSetupError(RuntimeError):
    """The TensorFlow environment could not be made."""


# --- the TensorFlow environment ----------------------------------------------

def _env_python():
    return ENV / "bin" / "python"


def _has_requirements(python):
    """True when ``python`` has TensorFlow ``TF_VERSION``, matplotlib and ipykernel
    (checked without importing TensorFlow, which takes seconds)."""
    probe = textwrap.dedent(f"""
        import importlib.metadata as m, importlib.util as u, sys
        ok = all(u.find_spec(n) for n in ("tensorflow", "matplotlib", "ipykernel"))
        versions = set()
        for dist in ("tensorflow-cpu", "tensorflow"):
            try:
                versions.add(m.version(dist))
            except m.PackageNotFoundError:
                pass
        sys.exit(0 if ok and {TF_VERSION!r} in versions else 1)
    """)
    try:
        return subprocess.run([str(python), "-c", probe], capture_output=True,
                              timeout=120).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextlib.contextmanager
def _locked(path):
    """An exclusive lock on ``path`` (pytest-xdist workers and parallel runs wait in turn)."""
    import fcntl
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def tf_python(log=None):
    """The Python interpreter with TensorFlow 2.21 the transfer test runs on.

    ``$D2L_TF_PYTHON`` if set (it must have ``tensorflow-cpu==2.21.0``,
    matplotlib and ipykernel); else ``~/.cache/d2l-course/tf-2.21/bin/python``,
    created with ``venv`` and pip the first time (about 600 MB, 1-2 minutes).
    Raises :class:`TransferSetupError` with the reason and the way out.
    """
    override = os.environ.get("D2L_TF_PYTHON")
    if override:
        if not _has_requirements(override):
            raise TransferSetupError(
                f"D2L_TF_PYTHON={override} lacks some of {' '.join(REQUIREMENTS)}; "
                f"install them there ({override} -m pip install {' '.join(REQUIREMENTS)}) "
                "or unset D2L_TF_PYTHON to let the test make its own environment")
        return Path(override)
    python = _env_python()
    with _locked(CACHE / "tf-2.21.lock"):
        if _has_requirements(python):
            return python
        if log:
            log(f"transfer: installing {' '.join(REQUIREMENTS)} into {ENV} (once; 1-2 minutes)")
        steps = []
        if not python.exists():
            steps.append([sys.executable, "-m", "venv", str(ENV)])
        steps.append([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                      *REQUIREMENTS])
        for step in steps:
            try:
                done = subprocess.run(step, capture_output=True, text=True, timeout=1800)
            except (OSError, subprocess.TimeoutExpired) as exc:
                done = None
                reason = str(exc)
            else:
                reason = (done.stdout + done.stderr)[-3000:]
            if done is None or done.returncode != 0:
                raise TransferSetupError(
                    f"could not make the TensorFlow environment for the transfer test:\n"
                    f"  {' '.join(step)}\nfailed with:\n{reason}\n"
                    "It needs the package registry (pypi.org) once. Without a network, point "
                    "D2L_TF_PYTHON at a Python that has " + " ".join(REQUIREMENTS) +
                    ", or skip this test with D2L_SKIP_TRANSFER=1.")
        if not _has_requirements(python):
            raise TransferSetupError(f"{ENV} was installed but still lacks {' '.join(REQUIREMENTS)}")
        return python


# --- reading a chapter ------------------------------------------------------

def to_tensorflow(code):
    """The cell's code with its d2l_core imports turned into TensorFlow's.

    >>> to_tensorflow("import d2l_core as d2l\\nimport d2l_core.compat.v1 as tf")
    'import tensorflow as d2l\\nimport tensorflow.compat.v1 as tf'
    >>> to_tensorflow("from d2l_core.keras import layers  # d2l_core inside a comment stays")
    'from tensorflow.keras import layers  # d2l_core inside a comment stays'
    """
    return _IMPORT.sub(r"\1\2\3tensorflow", code)


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(nb):
    """(index in the notebook, cell) of every code cell with code in it."""
    return [(i, c) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and source(c).strip()]


def d2l_only_note(nb, index):
    """The text that explains the ``d2l-only`` cell at ``index``, or None: a
    "d2l_core only ... in TensorFlow ..." sentence in the cell itself (a
    comment) or in the Markdown cell just before it."""
    texts = [source(nb.cells[index])]
    if index > 0 and nb.cells[index - 1].cell_type == "markdown":
        texts.append(source(nb.cells[index - 1]))
    for text in texts:
        m = _NOTE.search(text)
        if m:
            return m.group(0)
    return None


def shown(outputs):
    """What a cell showed, as text: stdout, and the text/plain of each result
    and display, in order (stderr, TensorFlow's log lines and errors left out)."""
    parts = []
    for o in outputs:
        kind = o.get("output_type")
        if kind == "stream" and o.get("name") == "stdout":
            parts.append(_TF_LOG.sub("", o.get("text", "")))
        elif kind in ("execute_result", "display_data"):
            text = o.get("data", {}).get("text/plain")
            if text:
                parts.append("".join(text) if isinstance(text, list) else text)
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts)


def error_of(outputs):
    for o in outputs:
        if o.get("output_type") == "error":
            return o.get("ename"), o.get("evalue", "")
    return None


# --- running under TensorFlow -----------------------------------------------

PRELUDE = """
import os as _os, sys as _sys
_os.chdir({notebooks!r})
def _d2l_transfer_mnist():
    import numpy as _np
    def load_data(path="mnist.npz"):
        with _np.load({subset!r}) as d:
            return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    import tensorflow as _tf
    _tf.keras.datasets.mnist          # load the lazy modules
    import keras.datasets.mnist
    for _name, _module in list(_sys.modules.items()):
        if _name.endswith("datasets.mnist") and hasattr(_module, "load_data"):
            _module.load_data = load_data
{mnist}
del _d2l_transfer_mnist
"""


def tensorflow_cells(nb):
    """The code the TensorFlow kernel runs for each code cell (notebook index -> code);
    ``d2l-only`` cells are left out."""
    return {i: to_tensorflow(source(c)) for i, c in code_cells(nb) if TAG_D2L_ONLY not in tags(c)}


def _kernelspec(folder, python):
    spec = Path(folder) / "kernels" / "d2l-transfer-tf"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"TensorFlow {TF_VERSION} (transfer test)",
        "language": "python",
        "env": {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0",
                "CUDA_VISIBLE_DEVICES": "", "PYTHONHASHSEED": "0",
                "D2L_DATA_DIR": str(Path(folder) / "data")},
    }))
    return spec.parent


def run_in_tensorflow(nb, python, timeout=300):
    """Run the notebook's TensorFlow cells in one TensorFlow kernel.

    Returns {notebook index: outputs (nbformat output dicts)}, plus the key
    "prelude" when the harness's own set-up failed.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    cells = tensorflow_cells(nb)
    uses_mnist = any("mnist" in code for code in cells.values())
    prelude = PRELUDE.format(notebooks=str(NOTEBOOKS), subset=str(SUBSET),
                             mnist="_d2l_transfer_mnist()" if uses_mnist else "")
    run = nbformat.v4.new_notebook()
    run.cells = [nbformat.v4.new_code_cell(prelude)]
    order = sorted(cells)
    for i in order:
        run.cells.append(nbformat.v4.new_code_cell(cells[i]))
    with tempfile.TemporaryDirectory(prefix="d2l-transfer-") as tmp:
        ksm = KernelSpecManager(kernel_dirs=[str(_kernelspec(tmp, python))])
        km = KernelManager(kernel_name="d2l-transfer-tf", kernel_spec_manager=ksm)
        client = NotebookClient(run, km=km, timeout=timeout, allow_errors=True,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        try:
            client.execute(stderr=subprocess.DEVNULL)    # the kernel's own log: noise
        finally:
            if km.has_kernel:                            # nbclient leaves a given km running
                km.shutdown_kernel(now=True)
    outputs = {i: [dict(o) for o in cell.outputs] for i, cell in zip(order, run.cells[1:], strict=True)}
    if error_of(run.cells[0].outputs):
        outputs["prelude"] = [dict(o) for o in run.cells[0].outputs]
    return outputs


def _key(nb):
    h = hashlib.sha256()
    h.update(f"{TF_VERSION} {RUNNER_VERSION}".encode())
    h.update(PRELUDE.encode())
    h.update(json.dumps(sorted(tensorflow_cells(nb).items())).encode())
    return h.hexdigest()[:20]


def tensorflow_outputs(path, python=None, use_cache=True, log=None):
    """TensorFlow's outputs for the chapter at ``path``, from the cache when its
    TensorFlow cells have not changed since the last run."""
    nb = nbformat.read(path, as_version=4)
    cached = RESULTS / f"{Path(path).stem}-{_key(nb)}.json"
    if use_cache and cached.exists():
        return {k if k == "prelude" else int(k): v
                for k, v in json.loads(cached.read_text()).items()}
    python = python or tf_python(log)
    start = time.perf_counter()
    outputs = run_in_tensorflow(nb, python)
    if log:
        log(f"transfer: {Path(path).stem} ran under TensorFlow in {time.perf_counter() - start:.1f} s")
    if "prelude" not in outputs:
        RESULTS.mkdir(parents=True, exist_ok=True)
        for old in RESULTS.glob(f"{Path(path).stem}-*.json"):
            old.unlink()
        cached.write_text(json.dumps(outputs))
    return outputs


# --- comparing --------------------------------------------------------------

@dataclass
class CellResult:
    index: int                 # in the notebook (code and Markdown cells counted)
    number: int                # among the code cells, from 1 (Jupyter's [n])
    status: str                # match, differ, error, skipped, varies
    code: str
    d2l: str = ""
    tf: str = ""
    detail: str = ""


@dataclass
class ChapterResult:
    name: str
    cells: list = field(default_factory=list)

    def count(self, *statuses):
        return sum(c.status in statuses for c in self.cells)

    @property
    def failures(self):
        return [c for c in self.cells if c.status in ("differ", "error")]

    def summary(self):
        ran = len(self.cells) - self.count("skipped")
        compared = ran - self.count("varies")
        return (f"{self.name}: {len(self.cells)} code cells, {ran} run under TensorFlow "
                f"({self.count('skipped')} d2l-only), {compared} compared "
                f"({self.count('varies')} output-varies), {self.count('match')} match")

    def report(self, limit=4000):
        out = []
        for c in self.failures:
            out.append(f"--- cell [{c.number}] (notebook cell {c.index}): {c.detail}\n"
                       f"code:\n{textwrap.indent(c.code.rstrip(), '    ')}\n"
                       f"d2l_core showed:\n{textwrap.indent(c.d2l.rstrip()[:limit], '    ')}\n"
                       f"TensorFlow showed:\n{textwrap.indent(c.tf.rstrip()[:limit], '    ')}")
        return "\n".join(out)


def _compare_module():
    sys.path.insert(0, str(ROOT / "tools" / "tf_guides"))
    try:
        import compare
    finally:
        sys.path.pop(0)
    return compare


def compare_chapter(path, tf_outputs):
    """Compare the notebook's stored (d2l_core) outputs with ``tf_outputs``."""
    compare = _compare_module()
    nb = nbformat.read(path, as_version=4)
    result = ChapterResult(Path(path).stem)
    if "prelude" in tf_outputs:
        ename, evalue = error_of(tf_outputs["prelude"])
        result.cells.append(CellResult(-1, 0, "error", "(the harness's set-up)",
                                       detail=f"set-up failed: {ename}: {evalue}"))
    for number, (i, cell) in enumerate(code_cells(nb), start=1):
        code, cell_tags = source(cell), tags(cell)
        if TAG_D2L_ONLY in cell_tags:
            result.cells.append(CellResult(i, number, "skipped", code))
            continue
        mine, theirs = cell.get("outputs", []), tf_outputs.get(i, [])
        r = CellResult(i, number, "match", to_tensorflow(code), shown(mine), shown(theirs))
        my_error, their_error = error_of(mine), error_of(theirs)
        if their_error:
            r.tf += "".join(f"{their_error[0]}: {their_error[1]}")
        if my_error:
            r.d2l += f"{my_error[0]}: {my_error[1]}"
        varies = TAG_VARIES in cell_tags or NBVAL_IGNORE in code
        if TAG_RAISES in cell_tags or my_error:
            if not their_error:
                r.status, r.detail = "error", "compared: d2l_core raised, TensorFlow did not"
            elif their_error[0] not in equivalent_errors(my_error[0]):
                r.status, r.detail = "error", (f"compared: d2l_core raised {my_error[0]}, "
                                               f"TensorFlow {their_error[0]}")
            else:
                diff = None if varies else compare.first_difference(shown(mine), shown(theirs))
                if diff:
                    r.status, r.detail = "differ", f"printed before raising: {diff}"
                else:
                    r.detail = "compared: same exception"
                    r.status = "varies" if varies else "match"
        elif their_error:
            r.status, r.detail = "error", f"TensorFlow raised {their_error[0]}"
        elif varies:
            r.status = "varies"
        else:
            diff = compare.first_difference(r.d2l, r.tf)
            if diff:
                r.status, r.detail = "differ", diff
        result.cells.append(r)
    return result


def check_chapter(path, use_cache=True, log=None):
    """Run and compare one chapter; returns a :class:`ChapterResult`."""
    return compare_chapter(path, tensorflow_outputs(path, use_cache=use_cache, log=log))
