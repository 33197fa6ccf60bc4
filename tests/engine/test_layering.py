"""The engine's layers import only downwards (DESIGN.md §2: an arrow only points down).

Each module's imports are read from its source with ``ast``, including imports
inside functions (a call-time import is still an arrow), and relative imports
are resolved to full module names. Three rules are checked for every module of
``d2l_core``:

* **layers**: a module imports only modules of the layers its own layer may
  import (``LAYERS`` below, DESIGN.md §2's table);
* **no cycle**: the import graph has no cycle;
* **no private names across modules**: a leading underscore means private to
  the enclosing scope (a name to its module, a module to its package), and a
  Tensor's private attributes (``_value``, ``_dtype``, ...) are read only by the
  modules that own Tensor.

What is known to be wrong today and being fixed elsewhere is listed in
``KNOWN_VIOLATIONS``; every entry must still be true, so the list shrinks as
fixes land and cannot go stale.
"""
import ast
import fnmatch
import functools
import pathlib
import re

import pytest

ROOT = "d2l_core"
PACKAGE = pathlib.Path(__file__).resolve().parents[2] / ROOT


def _module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
def _is_module(name):
    """True when ``name`` (d2l_core.x.y) is a module or package of the engine."""
    return name in MODULES


# ======================================================================== the layer table
#
# DESIGN.md §2, bottom up. Each layer: its modules (a pattern ending in ".*" is
# everything inside a package; the package's own __init__ is listed beside it)
# and the layers it may import. A layer may import itself only where it says so
# (the cycle test keeps arrows inside a layer acyclic).
#
# Where a module sits, when the table does not name it:
# * `_version` is a leaf (a string, no imports).
# * The namespace modules `math`, `nn`, `linalg`, `random`, `bitwise`, `strings`, `io` only
#   re-export ops, and `config`, `test` are thin public faces of `backend`: they form the
#   "namespaces" layer just above ops, which autodiff and everything above may import.
# * `function` (``d2l.function``, ``executing_eagerly``, ``d2l.print``) is the "function"
#   layer; it traces with `stand_in`'s output specs, so it sits above `stand_in`.
# * `stand_in` (output shapes and dtypes from runs of the real op on stand-in values)
#   sits on the ops: graph mode, `Dataset.map` and Keras building all use it.
# * `datasets/` needs NumPy only; `keras.datasets` re-exports `datasets.mnist`, so
#   the datasets layer sits below keras (DESIGN.md's table lists it above keras).
# * `module` (`tf.Module`, `name_scope`) joins optimizers, keras and data: Keras layers are Modules.
# * Package `__init__`s are nodes of their own, in the layer of their package:
#   `d2l_core.ops` is ops, `d2l_core.keras` is keras, `d2l_core.compat` is compat.
#   The root `d2l_core/__init__.py` is the facade, the top: it re-exports every
#   layer, and no engine module may import it (that would be a cycle through the
#   facade, hidden only by import order).
# * `plot`, `selfcheck`, `test_util`, `course` use "the engine's public API": any
#   public name of any layer (the private-name rule keeps it public), but not the
#   facade, which re-exports them.
LEAVES = {"errors", "_logging", "dtypes", "nest", "tensor_shape", "_version"}
LAYERS = {
    # layer: (modules, layers it may import)
    "leaves": (LEAVES, set()),
    "backend": ({"backend", "fused"}, {"backend", "leaves"}),   # fused: NumPy/CuPy kernels
    "_recording": ({"_recording"}, {"leaves"}),
    "tensor": ({"tensor"}, {"backend", "_recording", "leaves"}),
    "ops": ({"ops", "ops.*"}, {"ops", "tensor", "backend", "_recording", "leaves"}),
    "namespaces": ({"math", "nn", "linalg", "random", "bitwise", "sparse", "strings", "io",
                    "config", "test"},
                   {"ops", "tensor", "backend", "_recording", "unsupported", "leaves"}),
    "debugging": ({"debugging"}, {"namespaces", "ops", "tensor", "backend", "_recording",
                                  "leaves"}),     # tf.debugging re-exports config's logging switch
    "unsupported": ({"unsupported"}, {"leaves"}),  # namespaces that raise NotSupportedError
    "autodiff": ({"autodiff"}, {"namespaces", "ops", "tensor", "backend", "_recording",
                                "leaves"}),
    # AutoGraph rewrites source into calls of its helpers; `function` hands them its cond and
    # while_loop, so autograph sits below function and needs the ops only.
    "autograph": ({"autograph"}, {"namespaces", "ops", "tensor", "backend", "_recording",
                                  "leaves"}),
    "function": ({"function"}, {"autograph", "autodiff", "stand_in", "namespaces", "ops", "tensor",
                                "backend", "_recording", "leaves"}),
    "stand_in": ({"stand_in"}, {"namespaces", "ops", "tensor", "backend", "_recording",
                                "leaves"}),
    "datasets": ({"datasets", "datasets.*"}, {"datasets"}),
    "keras, optimizers, data": ({"optimizers", "keras", "keras.*", "data", "module"},
                                {"keras, optimizers, data", "datasets", "function", "autodiff",
                                 "stand_in", "namespaces", "ops", "tensor", "backend",
                                 "_recording", "leaves"}),
    "compat.v1": ({"compat", "compat.*"},
                  {"compat.v1", "keras, optimizers, data", "datasets", "function", "autodiff",
                   "stand_in", "namespaces", "ops", "tensor", "backend", "_recording", "leaves"}),
    "course helpers": ({"plot", "selfcheck", "test_util", "course"},
                       {"course helpers", "compat.v1", "keras, optimizers, data", "datasets",
                        "function", "autodiff", "stand_in", "namespaces", "ops", "tensor",
                        "backend", "_recording", "leaves"}),
    "facade": ({""}, None),         # d2l_core/__init__.py: may import every layer
}

# Modules that own Tensor and may read its private attributes (``_value``,
# ``_dtype``, a Variable's ``_set_value``, ...): `tensor` defines them, the ops
# are the kernels on raw arrays (DESIGN.md §2: "forward on raw arrays"), and
# `_recording` is the ops' own half of the tape, run for every op under a tape
# (it reads ``output._dtype.is_differentiable`` on that hot path). Everything
# above uses `tensor.array_of`, `tensor.wrap`, `tensor.set_array`, ``t.dtype``.
TENSOR_OWNERS = {"tensor", "ops", "ops.*", "_recording",
                 # The backward loop runs once per recorded op; an attribute read is
                 # cheaper there than a call to array_of (about 25 ns per input, 0.5-1 %
                 # of a small op's forward and backward). The rest of autodiff does not.
                 "autodiff:GradientTape._backprop"}

# Violations that exist today and are being fixed by the ops and compat.v1
# rewrites (and the stand-in rewrite for `keras.layers`): (module, what), with
# ``what`` exactly as the tests word it. Remove an entry with the fix; a test
# fails when an entry no longer holds, so this list only shrinks.
KNOWN_VIOLATIONS = set()     # (module, what): none left; a new one is fixed, not listed
# Only these owners may have known violations: everyone else fixes theirs now.
KNOWN_OWNERS = {"d2l_core.ops", "d2l_core.ops.*", "d2l_core.compat", "d2l_core.compat.*",
                "d2l_core.keras.layers", "d2l_core.keras.models"}   # keras: `data._stand_in`


def _full(pattern):
    return ROOT if pattern == "" else f"{ROOT}.{pattern}"


def _matches(module, patterns):
    return any(fnmatch.fnmatchcase(module, _full(p)) for p in patterns if ":" not in p)


def _scoped(module, function, patterns):
    """``module:Class.function`` in ``patterns``: one function of a module is let through."""
    return f"{module[len(ROOT) + 1:]}:{function}" in patterns


def layer_of(module):
    """The one layer ``module`` belongs to (an error when none or several)."""
    found = [layer for layer, (patterns, _) in LAYERS.items() if _matches(module, patterns)]
    assert len(found) == 1, f"{module} is in layers {found}; place it in exactly one of " \
                            "LAYERS in tests/test_layering.py (and in DESIGN.md §2)"
    return found[0]


# ======================================================================== reading imports

class Source:
    """One module's imports and the private names it reaches, read with ``ast``."""

    def __init__(self, name, text=None):
        self.name = name
        path = MODULES[name]
        self.package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        text = path.read_text(encoding="utf-8") if text is None else text
        self.tree = ast.parse(text, filename=str(path))
        self.imports = {}           # imported module -> first line
        self.private = {}           # 'what' -> first line
        self.aliases = {}           # local name -> d2l_core module it is bound to
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                self._import(node)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
        self._attributes()

    def _add(self, table, key, node):
        table.setdefault(key, node.lineno)

    def _import(self, node):
        for alias in node.names:
            self._add(self.imports, alias.name, node)
            if alias.name.split(".")[0] == ROOT:
                self._reach_module(alias.name, node)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    self.aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]

    def _import_from(self, node):
        if node.level:
            base = self.package.rsplit(".", node.level - 1)[0] if node.level > 1 else self.package
            base = f"{base}.{node.module}" if node.module else base
        else:
            base = node.module
        engine = base.split(".")[0] == ROOT
        if engine:
            self._reach_module(base, node)
        for alias in node.names:        # `from . import array`: array is a module,
            sub = f"{base}.{alias.name}"   # `from .tensor import Tensor`: a name in one
            if _is_module(sub):
                self._add(self.imports, sub, node)
                self._reach_module(sub, node)
                self.aliases[alias.asname or alias.name] = sub
            else:
                self._add(self.imports, base, node)
                if engine:
                    self._reach_name(base, alias.name, node)

    def _reach_module(self, module, node):
        """Using ``module``: every private part of its path must enclose this module."""
        parts = module.split(".")
        for i, part in enumerate(parts[1:], start=1):
            if _private(part) and not _inside(self.name, ".".join(parts[:i])):
                self._add(self.private, f"private module {module}", node)
                return

    def _reach_name(self, module, name, node):
        """Using ``module.name`` (a name that is not a module)."""
        if _private(name) and self.name != module:
            self._add(self.private, f"private name {module}.{name}", node)

    def _attributes(self):
        owner = _matches(self.name, TENSOR_OWNERS)
        inner = {id(node.value) for node in ast.walk(self.tree) if isinstance(node, ast.Attribute)}
        for node, scope in _with_scope(self.tree, ""):
            if not isinstance(node, ast.Attribute):
                continue
            value = node.value
            if (node.attr in TENSOR_PRIVATE and not owner
                    and not _scoped(self.name, scope, TENSOR_OWNERS)
                    and not (isinstance(value, ast.Name) and (value.id in ("self", "cls")
                                                              or value.id in self.aliases))):
                self._add(self.private, f"Tensor's private .{node.attr}", node)
            if id(node) in inner:
                continue                    # the outermost attribute of a chain walks it
            chain, base = [], node
            while isinstance(base, ast.Attribute):
                chain.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name) and base.id in self.aliases:
                module = self.aliases[base.id]  # `backend._cupy`, `d2l_core.ops.random._gen`
                for attr in reversed(chain):
                    sub = f"{module}.{attr}"
                    if _is_module(sub):
                        self._reach_module(sub, node)
                        module = sub
                    else:
                        self._reach_name(module, attr, node)
                        break

    def engine_imports(self):
        """Engine modules imported (as nodes of the graph), and the intermediate packages
        that importing them runs first (``import d2l_core.ops.math`` runs ops/__init__);
        the root package and this module's own packages are already running, so not."""
        found = set()
        for module in self.imports:
            if module.split(".")[0] != ROOT or module == self.name:
                continue
            found.add(module)
            parts = module.split(".")
            for i in range(2, len(parts)):
                package = ".".join(parts[:i])
                if not _inside(self.name, package):
                    found.add(package)
        return found


def _with_scope(node, scope):
    """Every node under ``node``, with the qualified name of the function or class around it."""
    for child in ast.iter_child_nodes(node):
        yield child, scope
        inner = scope
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = f"{scope}.{child.name}" if scope else child.name
        yield from _with_scope(child, inner)


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _inside(module, package):
    return module == package or module.startswith(package + ".")


@functools.lru_cache(maxsize=None)
def source(name):
    return Source(name)


def _tensor_private_attributes():
    """The private attributes of Tensor, Variable and the Variable slice (from tensor.py)."""
    tree = ast.parse(MODULES[f"{ROOT}.tensor"].read_text(encoding="utf-8"))
    found = set()
    for cls in tree.body:
        if isinstance(cls, ast.ClassDef) and cls.name in ("Tensor", "Variable", "_VariableSlice"):
            for item in cls.body:
                if isinstance(item, ast.FunctionDef):
                    found.add(item.name)
                elif (isinstance(item, ast.Assign) and item.targets[0].id == "__slots__"):
                    found.update(ast.literal_eval(item.value))
    # `_name`, `_key`, `_index` are too common to tell a Variable's from a layer's by name.
    return {n for n in found if _private(n)} - {"_name", "_key", "_index"}


TENSOR_PRIVATE = _tensor_private_attributes()


def engine_imports_of(name):
    return source(name).engine_imports()


def imports_of(name):
    return set(source(name).imports)


def layer_violations(name):
    may = LAYERS[layer_of(name)][1]
    if may is None:
        return set()
    return {f"imports {m} (layer {layer_of(m)!r})" for m in engine_imports_of(name)
            if layer_of(m) not in may}


def private_violations(name):
    return set(source(name).private)


def import_graph():
    """{module: the engine modules it imports}, every package __init__ a node of its own.

    Edges from a submodule to its own packages are not added for being a
    submodule (Python runs the package first, and a package re-exporting its
    submodules is the usual pattern), only for an explicit import of the package
    (``from . import name`` of a name the __init__ defines, ``import d2l_core``):
    that one is a real cycle, working only by the order of imports.
    """
    return {name: engine_imports_of(name) for name in MODULES}


def cycles(graph):
    """The strongly connected components of ``graph`` that hold a cycle, each as
    (sorted members, one cycle through them as a list of modules)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(v):             # Tarjan's algorithm; the graph is small, recursion is fine
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append((sorted(component), _one_cycle(graph, set(component))))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def _one_cycle(graph, component):
    """A shortest cycle through the first member of ``component`` (breadth first)."""
    start = min(component)
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for w in sorted(graph[path[-1]] & component):
            if w == start:
                return path + [start]
            if w not in seen:
                seen.add(w)
                paths.append(path + [w])
    raise AssertionError("a strongly connected component without a cycle")


def cycle_violations():
    """{(first member, 'cycle: members')} for every cycle of the import graph."""
    return {(members[0], "cycle: " + ", ".join(members)) for members, _ in cycles(import_graph())}


def all_violations():
    found = set(cycle_violations())
    for name in MODULES:
        found |= {(name, what) for what in layer_violations(name) | private_violations(name)}
    return found


def _known(name):
    return {what for module, what in KNOWN_VIOLATIONS if module == name}


# ======================================================================== the tests

def test_the_resolver_reads_relative_and_call_time_imports():
    assert {"d2l_core.ops._op", "d2l_core.tensor", "d2l_core.ops.broadcast",
            "d2l_core.ops.registry"} <= engine_imports_of("d2l_core.ops.array")
    assert "d2l_core.ops.array" in engine_imports_of("d2l_core.ops")   # from . import array
    # importing a submodule runs its package first: an arrow to the package too
    assert "d2l_core.datasets" in engine_imports_of("d2l_core.keras.datasets")


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_is_in_exactly_one_layer(name):
    assert layer_of(name) in LAYERS


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(name):
    found = layer_violations(name) - _known(name)
    may = sorted(LAYERS[layer_of(name)][1] or ())
    assert not found, f"{name} (layer {layer_of(name)!r}) {sorted(found)}; DESIGN.md §2 " \
                      f"lets it import only {may or 'no d2l_core module'}"


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    new = [(members, cycle) for members, cycle in cycles(graph)
           if (members[0], "cycle: " + ", ".join(members)) not in KNOWN_VIOLATIONS]
    assert not new, "import cycles:\n" + "\n".join(
        " -> ".join(cycle) + f"   (component: {', '.join(members)})" for members, cycle in new)


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert cycles(graph) == [(["a", "b", "c"], ["a", "b", "c", "a"]), (["e"], ["e", "e"])]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_reads_another_modules_private_names(name):
    found = {f"{what} (line {line})" for what, line in source(name).private.items()
             if what not in _known(name)}
    assert not found, f"{name} reaches private names: {sorted(found)}; use a public or " \
                      "public-internal name (tensor.array_of/wrap/set_array, backend.xp_of, ...)"


def test_the_private_name_reader_sees_each_kind():
    code = ("from . import backend\nfrom .tensor import _wrap\nfrom .ops._op import pair\n"
            "import d2l_core.ops.random as r\nimport d2l_core\n"
            "def f(t, self):\n"
            "    return (backend._cupy, t._value, self._dtype, r._gen, t.dtype, g()._dtype,\n"
            "            d2l_core.keras._naming.reset, backend.xp_of)\n")
    found = set(Source("d2l_core.optimizers", code).private)
    assert found == {"private name d2l_core.backend._cupy", "private name d2l_core.tensor._wrap",
                     "private module d2l_core.ops._op", "Tensor's private ._value",
                     "private name d2l_core.ops.random._gen", "Tensor's private ._dtype",
                     "private module d2l_core.keras._naming"}
    inside = Source("d2l_core.keras.layers", "from . import _naming\nfrom .. import _logging\n")
    assert not inside.private        # a private module is its package's to use


def test_known_violations_all_still_exist_and_belong_to_the_modules_being_rewritten():
    stale = KNOWN_VIOLATIONS - all_violations()
    assert not stale, f"fixed, so remove from KNOWN_VIOLATIONS: {sorted(stale)}"
    for module, what in KNOWN_VIOLATIONS:
        assert module in MODULES, module
        assert _matches(module, {p[len(ROOT) + 1:] for p in KNOWN_OWNERS}), \
            f"{module}: {what} is not in a module being rewritten; fix it instead of listing it"


def test_only_backend_imports_cupy():
    pattern = re.compile(r"^\s*(import\s+cupy|from\s+cupy[\s.])", re.MULTILINE)
    for name, path in MODULES.items():
        if name == "d2l_core.backend":
            continue
        cupy = {m for m in imports_of(name) if m == "cupy" or m.startswith("cupy.")}
        assert not cupy, f"{name} imports {sorted(cupy)}; only d2l_core.backend may"
        assert not pattern.search(path.read_text(encoding="utf-8")), f"{path} imports cupy"
    assert "cupy" in imports_of("d2l_core.backend")      # the check can see the one that does
