"""Every public name has a docstring with an example, since learners read them with help()."""
import inspect

import pytest

import d2l_core as d2l

NAMESPACES = {
    "d2l": d2l, "d2l.math": d2l.math, "d2l.nn": d2l.nn, "d2l.random": d2l.random,
    "d2l.linalg": d2l.linalg, "d2l.config": d2l.config, "d2l.nest": d2l.nest, "d2l.data": d2l.data,
    "d2l.keras.layers": d2l.keras.layers, "d2l.keras.losses": d2l.keras.losses,
    "d2l.keras.metrics": d2l.keras.metrics, "d2l.keras.optimizers": d2l.keras.optimizers,
    "d2l.keras.initializers": d2l.keras.initializers, "d2l.keras.activations": d2l.keras.activations,
    "d2l.keras.ops": d2l.keras.ops,
}


def _public_names():
    for space, module in NAMESPACES.items():
        for name in sorted(dir(module)):
            obj = getattr(module, name)
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            module_name = getattr(obj, "__module__", "")
            if not module_name.startswith("d2l_core") or "._" in module_name:
                continue            # NumPy, or engine internals a module imported for its own use
            if issubclass(obj, Exception) if inspect.isclass(obj) else False:
                continue            # error classes are documented in d2l_core.errors
            yield f"{space}.{name}", obj


@pytest.mark.parametrize("name, obj", list(_public_names()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_name_has_a_docstring_with_an_example(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    assert ">>>" in doc, f"{name}'s docstring has no runnable example (>>>); help() readers need one"
