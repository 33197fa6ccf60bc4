"""The engine's layers import only downwards (DESIGN.md §2: an arrow only points down).

Each module's imports are read from its source with ``ast``, including imports
inside functions (a call-time import is still an arrow), and relative imports
are resolved to full module names.
"""
import ast
import pathlib
import re

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "d2l_core"

# The error classes and the log are leaves that import no d2l_core module, so
# every layer, backend included, may use them without an arrow pointing up.
LEAVES = {"d2l_core.errors", "d2l_core._logging"}
BELOW_TENSOR = {"d2l_core.backend", "d2l_core.dtypes", "d2l_core.tensor_shape",
                "d2l_core._recording"} | LEAVES
ALLOWED = {
    "d2l_core.errors": set(),
    "d2l_core._logging": set(),
    "d2l_core.backend": LEAVES,
    "d2l_core.dtypes": {"d2l_core.backend"} | LEAVES,
    "d2l_core.tensor_shape": LEAVES,
    "d2l_core._recording": LEAVES,          # the tape hook: ops call it, autodiff fills it in
    "d2l_core.tensor": BELOW_TENSOR,
}
ABOVE_OPS = ("d2l_core.autodiff", "d2l_core.keras", "d2l_core.compat", "d2l_core.data",
             "d2l_core.optimizers")


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name):
    """True when ``name`` (d2l_core.x.y) is a module or package of the engine."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name):
    """Every module ``name`` imports (absolute names), anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            for alias in node.names:        # `from . import array`: array is a module,
                sub = f"{base}.{alias.name}"   # `from .tensor import Tensor`: a name in one
                found.add(sub if _is_module(sub) else base)
    return found


def engine_imports_of(name):
    return {m for m in imports_of(name) if m == "d2l_core" or m.startswith("d2l_core.")} - {name}


def _within(module, prefixes):
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_resolver_reads_relative_and_call_time_imports():
    assert {"d2l_core.ops._op", "d2l_core.tensor", "d2l_core._recording",
            "d2l_core.ops.reduce"} <= engine_imports_of("d2l_core.ops.array")
    assert "d2l_core.ops.array" in engine_imports_of("d2l_core.ops")   # from . import array


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_the_bottom_layers_import_only_what_is_below_them(name):
    assert name in MODULES
    upward = engine_imports_of(name) - ALLOWED[name]
    assert not upward, f"{name} imports {sorted(upward)}; DESIGN.md §2 allows only " \
                       f"{sorted(ALLOWED[name]) or 'no d2l_core module'}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _within(n, ["d2l_core.ops"])))
def test_ops_import_only_ops_tensor_and_below(name):
    engine = engine_imports_of(name)
    above = {m for m in engine if _within(m, ABOVE_OPS)}
    assert not above, f"{name} imports {sorted(above)}, a layer above the ops"
    other = {m for m in engine if not _within(m, ["d2l_core.ops"])} - BELOW_TENSOR - {
        "d2l_core.tensor"}
    assert not other, f"{name} imports {sorted(other)}; ops may import only ops, tensor and below"


def test_only_backend_imports_cupy():
    pattern = re.compile(r"^\s*(import\s+cupy|from\s+cupy[\s.])", re.MULTILINE)
    for name, path in MODULES.items():
        if name == "d2l_core.backend":
            continue
        cupy = {m for m in imports_of(name) if m == "cupy" or m.startswith("cupy.")}
        assert not cupy, f"{name} imports {sorted(cupy)}; only d2l_core.backend may"
        assert not pattern.search(path.read_text(encoding="utf-8")), f"{path} imports cupy"
    assert "cupy" in imports_of("d2l_core.backend")      # the check can see the one that does
