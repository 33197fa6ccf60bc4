"""The TF-guides harness's pure parts: output comparison and cell rules.

The harness itself (tools/tf_guides/run.py) needs TensorFlow and minutes, so
it is not part of the suite; these checks need neither.
"""

import doctest
import importlib.util
import pathlib

import pytest

HARNESS = pathlib.Path(__file__).resolve().parents[2] / "tools" / "tf_guides"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"tf_guides_{name}", HARNESS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


compare = _load("compare")
notebooks = _load("notebooks")


def test_compare_doctests():
    assert doctest.testmod(compare).failed == 0


@pytest.mark.parametrize("a, b", [
    ("tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
     "tf.Tensor(\n[[1.        2.]\n [3.0000002 4.]], shape=(2, 2), dtype=float32)"),
    ("<tf.Tensor: shape=(), dtype=float32, numpy=0.1>", "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000001>"),
    ("Epoch 1/5\n\r  1/10 ━━━━ 0s 3ms/step\r 10/10 ━━━━━━━━━━ 1s 12ms/step - loss: 0.5",
     "Epoch 1/5\n 10/10 ━━━━━━━━━━ 2s 9ms/step - loss: 0.5"),
    ("<function f at 0x7f3a2b1c9d00>", "<function f at 0x55d0aa01bc40>"),
    ("[1e-09, 2]", "[-3e-10, 2]"),
    ("nan inf", "nan inf"),
])
def test_same(a, b):
    assert compare.same(a, b), compare.first_difference(a, b)


@pytest.mark.parametrize("a, b", [
    ("dtype=float32", "dtype=float64"),
    ("shape=(2, 3)", "shape=(3, 2)"),
    ("loss: 0.25", "loss: 0.26"),
    ("[1 2 3]", "[1 2]"),
    ("[1 2]", "[12]"),
    ("ValueError: x", "InvalidArgumentError: x"),
    ("-1.0", "1.0"),
    ("nan", "0.0"),
])
def test_differ(a, b):
    assert not compare.same(a, b)


def test_shown_joins_stdout_and_display():
    assert compare.shown({"stdout": "a\n", "display": "b"}) == "a\n\nb"
    assert compare.shown({"stdout": "", "display": None}) == ""


def test_cells_excepted_by_rule_and_their_dependants():
    cells = notebooks.prepare([
        "# Licensed under the Apache License",
        "!pip install -q seaborn\n%matplotlib inline",
        "import tensorflow as tf",
        "r = tf.ragged.constant([[1], [2, 3]])",
        "print(r.shape)",
        "r = tf.constant(1)\nprint(r)",
        "tf.saved_model.save(m, 'p')",
        "st = tf.sparse.SparseTensor([[0, 0]], [1], [2, 2])",
        "loss = tf.keras.losses.SparseCategoricalCrossentropy()",
        "with strategy.scope(): pass\nstrategy = tf.distribute.MirroredStrategy()",
        "x = (",
    ])
    why = [c["excepted"] for c in cells]
    assert why == ["empty", "magic", None, "ragged", "uses r from an excepted cell", None,
                   "savedmodel", "sparse", None, "distribute", "syntax"]
    assert cells[1]["code"].startswith("# !pip")


def test_markdown_pages_give_their_python_blocks(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("text\n```python\na = 1\n```\n\n```\nout\n```\n```python\nprint(a)\n```\n")
    assert notebooks.read_cells(str(page)) == ["a = 1\n", "print(a)\n"]
