"""Which notebooks are measured, how their cells are read and which are excepted.

Sources live in a cache directory (never in this repository): ``SOURCES/
<repo>/<path>``, filled by ``fetch_sources.sh`` from git checkouts of
tensorflow/docs and keras-team/keras-io.
"""

import ast
import json
import re

# name -> (repository folder under SOURCES, path, TF 1 preamble?)
NOTEBOOKS = {
    "tensor": ("tensorflow-docs", "site/en/guide/tensor.ipynb", False),
    "tensor_slicing": ("tensorflow-docs", "site/en/guide/tensor_slicing.ipynb", False),
    "variable": ("tensorflow-docs", "site/en/guide/variable.ipynb", False),
    "autodiff": ("tensorflow-docs", "site/en/guide/autodiff.ipynb", False),
    "advanced_autodiff": ("tensorflow-docs", "site/en/guide/advanced_autodiff.ipynb", False),
    "basics": ("tensorflow-docs", "site/en/guide/basics.ipynb", False),
    "basic_training_loops": ("tensorflow-docs", "site/en/guide/basic_training_loops.ipynb", False),
    "core/quickstart_core": ("tensorflow-docs", "site/en/guide/core/quickstart_core.ipynb", False),
    "core/logistic_regression_core": ("tensorflow-docs", "site/en/guide/core/logistic_regression_core.ipynb", False),
    "core/mlp_core": ("tensorflow-docs", "site/en/guide/core/mlp_core.ipynb", False),
    "random_numbers": ("tensorflow-docs", "site/en/guide/random_numbers.ipynb", False),
    "gpu": ("tensorflow-docs", "site/en/guide/gpu.ipynb", False),
    # tensorflow/docs dropped its Keras guides (2020); keras-io holds the
    # guide now, written for Keras 3 (`import keras`, `keras.ops`).
    "keras/sequential_model": ("keras-io", "guides/ipynb/sequential_model.ipynb", False),
    "quickstart/beginner": ("tensorflow-docs", "site/en/tutorials/quickstart/beginner.ipynb", False),
    "customization/custom_training_walkthrough": (
        "tensorflow-docs", "site/en/tutorials/customization/custom_training_walkthrough.ipynb", False),
    # The TF 1 guides are Markdown pages: their ```python blocks are the cells.
    "r1/low_level_intro": ("tensorflow-docs", "site/en/r1/guide/low_level_intro.md", True),
    "r1/variables": ("tensorflow-docs", "site/en/r1/guide/variables.md", True),
    "r1/graphs": ("tensorflow-docs", "site/en/r1/guide/graphs.md", True),
    "r1/tensors": ("tensorflow-docs", "site/en/r1/guide/tensors.md", True),
}

# What TensorFlow 2.21 needs to run a TF 1 page's code, run before its cells
# on both engines (not counted as a cell).
TF1_PREAMBLE = "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\nimport numpy as np\n"

# Cells excepted by the rule: they still run (later cells may need
# their state) but are not counted.
EXCEPT_RULES = [
    ("savedmodel", re.compile(r"saved_model|\.save\(|save_model|load_model|SavedModel")),
    ("distribute", re.compile(r"tf\.distribute|Strategy\b|MirroredStrategy")),
    ("ragged", re.compile(r"\bragged\b|RaggedTensor|tf\.ragged")),
    ("sparse", re.compile(r"\btf\.sparse\b|SparseTensor\b")),
]
_MAGIC = re.compile(r"^\s*[!%]")


def read_cells(path):
    """The code cells of a notebook (or the ```python blocks of a page)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if path.endswith(".md"):
        return [b for b in re.findall(r"^```(?:python|py)\s*\n(.*?)^```", text, re.S | re.M)]
    nb = json.loads(text)
    cells = []
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            src = c["source"]
            cells.append("".join(src) if isinstance(src, list) else src)
    return cells


def _names(tree):
    """(names a cell assigns at top level, names it reads)."""
    stored, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (stored if isinstance(node.ctx, ast.Store) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            stored.add(node.name)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return stored, loaded


def prepare(cells):
    """Each cell as a dict: index, source, code (magic lines commented out),
    and ``excepted``: None (counted) or why not ("magic", "empty",
    "savedmodel", "distribute", "ragged", "sparse", "syntax", or
    "uses X from an excepted cell")."""
    out = []
    tainted = set()
    for i, src in enumerate(cells):
        lines = src.split("\n")
        had_magic = any(_MAGIC.match(l) for l in lines)
        code = "\n".join("# " + l if _MAGIC.match(l) else l for l in lines)
        excepted = None
        try:
            tree = ast.parse(code)
        except SyntaxError:
            tree = None
            excepted = "syntax"
        if tree is not None and not tree.body:
            excepted = "magic" if had_magic else "empty"
        if excepted is None:
            for rule, pattern in EXCEPT_RULES:
                if pattern.search(code):
                    excepted = rule
                    break
        stored, loaded = _names(tree) if tree is not None else (set(), set())
        if excepted is None and (loaded - stored) & tainted:
            excepted = "uses " + ", ".join(sorted((loaded - stored) & tainted)) + " from an excepted cell"
        if excepted in ("savedmodel", "distribute", "ragged", "sparse") or (excepted or "").startswith("uses "):
            tainted |= stored
        else:
            tainted -= stored
        plot = bool(re.search(r"\bplt\.|\bsns\.", code)) and "print(" not in code
        out.append({"index": i, "source": src, "code": code, "excepted": excepted, "plot": plot})
    return out
