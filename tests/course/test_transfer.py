"""The transfer test: every chapter's TensorFlow code runs under real TensorFlow
and shows what d2l_core showed (tools/transfer/transfer.py explains the rules).

One test per notebook in notebooks/, so a new chapter is covered as soon as it
exists. The first run makes a TensorFlow 2.21 environment under
~/.cache/d2l-course/ (1-2 minutes, needs pypi.org once); TensorFlow's outputs
are cached per chapter, keyed by its TensorFlow cells, so only changed
chapters run again. D2L_SKIP_TRANSFER=1 skips the TensorFlow runs (offline);
D2L_TF_PYTHON points at another interpreter with tensorflow-cpu==2.21.0,
matplotlib and ipykernel.
"""
import importlib.util
import os
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _transfer():
    spec = importlib.util.spec_from_file_location("_transfer_tool", ROOT / "tools" / "transfer" / "transfer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


transfer = _transfer()


@pytest.fixture(scope="module")
def tf_python():
    if os.environ.get("D2L_SKIP_TRANSFER", "") not in ("", "0"):
        pytest.skip("D2L_SKIP_TRANSFER is set: chapters not run under TensorFlow")
    try:
        return transfer.tf_python(log=lambda m: print(m, file=sys.stderr))
    except transfer.TransferSetupError as exc:
        problem = str(exc)
    pytest.fail(problem, pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_runs_the_same_under_tensorflow(path, tf_python):
    outputs = transfer.tensorflow_outputs(path, python=tf_python)
    result = transfer.compare_chapter(path, outputs)
    assert not result.failures, (
        f"{result.summary()}\n{len(result.failures)} cell(s) differ under TensorFlow "
        f"{transfer.TF_VERSION} (only the imports changed). Decide who is right (TensorFlow "
        "is the spec): fix d2l_core, or the chapter's code or text, or tag the cell "
        "d2l-only / output-varies with a reason in the text "
        f"(python tools/transfer/run.py {path.stem[:2]} --show):\n{result.report()}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_d2l_only_cells_say_what_tensorflow_would_write(path):
    nb = nbformat.read(path, as_version=4)
    missing = [i for i, cell in transfer.code_cells(nb)
               if transfer.TAG_D2L_ONLY in transfer.tags(cell) and not transfer.d2l_only_note(nb, i)]
    assert not missing, (
        f"{path.name}: the d2l-only cells {missing} (notebook cell indices) do not say what "
        "TensorFlow would need; write 'd2l_core only; in TensorFlow you would write ...' in "
        "the cell's comment or in the Markdown cell just before it")


def test_imports_become_tensorflow_imports():
    assert transfer.to_tensorflow("import d2l_core as d2l\nimport d2l_core.compat.v1 as tf\n"
                                  "from d2l_core import keras\n    import d2l_core as tf") == (
        "import tensorflow as d2l\nimport tensorflow.compat.v1 as tf\n"
        "from tensorflow import keras\n    import tensorflow as tf")


def test_a_cell_that_differs_is_reported_with_both_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("d2l_core only; in TensorFlow you would write `x`."),
                nbformat.v4.new_code_cell("d2l.plot.x()", metadata={"tags": ["d2l-only"]}),
                nbformat.v4.new_code_cell("print(1.0)", outputs=[nbformat.v4.new_output(
                    "stream", name="stdout", text="1.0\n")]),
                nbformat.v4.new_code_cell("print(2)", outputs=[nbformat.v4.new_output(
                    "stream", name="stdout", text="2\n")]),
                nbformat.v4.new_code_cell("x", metadata={"tags": ["raises-exception"]}, outputs=[
                    nbformat.v4.new_output("error", ename="DTypeMismatchError", evalue="e",
                                           traceback=[])])]
    path = tmp_path / "99_fake.ipynb"
    nbformat.write(nb, path)
    stdout = lambda text: [{"output_type": "stream", "name": "stdout", "text": text}]  # noqa: E731
    tf = {2: stdout("1.0000001\n"), 3: stdout("3\n"),
          4: [{"output_type": "error", "ename": "InvalidArgumentError", "evalue": "e"}]}
    result = transfer.compare_chapter(path, tf)
    assert [c.status for c in result.cells] == ["skipped", "match", "differ", "match"]
    assert transfer.d2l_only_note(nbformat.read(path, 4), 1)
    report = result.report()
    assert "print(2)" in report and "2" in report and "3" in report
    tf[4] = stdout("")
    assert transfer.compare_chapter(path, tf).cells[3].status == "error"
