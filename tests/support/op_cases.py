"""Test cases generated from the op registry (``d2l_core/ops/registry.py``).

Every op's entry says how to call it: UNARY, BINARY and REDUCE ops by their
kind (inputs drawn from the entry's domain, checked against its NumPy
reference), the rest by the ``Sample`` list their entry gives. The property,
gradient, GPU-parity and graph-mode tests all iterate over ``CASES``, so a new
op is tested everywhere as soon as it is registered.
"""
import numpy as np

import d2l_core as d2l
from d2l_core.ops import registry
from d2l_core.ops.registry import (BINARY, REDUCE, UNARY, Sample, broadcastable_shapes, random_axis,
                                  random_shape, values)

OPS = registry.OPS


def _axis(rng, ndim):
    """None, one axis (maybe negative) or a list of distinct axes, for a reduction."""
    if not ndim or rng.random() < 0.3:
        return None
    if rng.random() < 0.5:
        return random_axis(rng, ndim)
    chosen = rng.permutation(ndim)[:int(rng.integers(1, ndim + 1))]
    return [int(a) - ndim if rng.random() < 0.5 else int(a) for a in chosen]


def _axes_tuple(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, list) else [axis]
    return tuple(sorted(a % ndim for a in axes))


def kind_samples(entry, rng):
    """Samples for an op of kind UNARY, BINARY or REDUCE, drawn from its test data."""
    t, fn = entry.test, entry.fn
    if entry.kind == UNARY:
        x = values(t.domain, rng, random_shape(rng, max_side=3))
        return [Sample(fn, (x,), t.reference)]
    if entry.kind == BINARY:
        sa, sb = broadcastable_shapes(rng)
        return [Sample(fn, (values(t.domain, rng, sa), values(t.domain, rng, sb)), t.reference)]
    if entry.kind == REDUCE:
        shape = random_shape(rng, max_side=3)
        x = values(t.domain, rng, shape)
        axis, keepdims = _axis(rng, len(shape)), bool(rng.random() < 0.5)
        axes = _axes_tuple(axis, len(shape))
        return [Sample(lambda x: fn(x, axis=axis, keepdims=keepdims), (x,),
                       lambda a: t.reference(a, axis=axes, keepdims=keepdims))]
    return []


def samples(entry, rng):
    """Every sample of ``entry``: drawn by kind, plus the ones its test data lists."""
    out = kind_samples(entry, rng) if entry.test.reference is not None else []
    dtype = entry.test.dtypes[0]
    if not dtype.startswith("float"):       # a bool or integer op: its inputs in its dtype
        out = [Sample(s.fn, tuple(in_dtype(a, dtype) for a in s.arrays), s.reference)
               for s in out]
    if entry.test.samples is not None:
        out += list(entry.test.samples(rng))
    return out


def in_dtype(array, dtype):
    """A sample array in ``dtype`` (bools from the sign; integers rounded; strings the numbers'
    text, b'-1.0')."""
    array = np.asarray(array)
    if array.dtype.kind not in "f":
        return array
    if dtype == "bool":
        return array > 0
    if dtype == "string":
        return np.array([repr(float(v)).encode() for v in array.flat],
                        dtype=object).reshape(array.shape)
    if dtype.startswith("int"):
        return np.round(array).astype(dtype)
    return array.astype(dtype)


def tensors(arrays):
    """The sample's arrays as d2l tensors (float arrays keep their dtype)."""
    return [d2l.constant(a) for a in arrays]


def is_text(array):
    """True for the arrays of string tensors (NumPy object arrays of bytes) and for bytes."""
    return np.asarray(array).dtype.kind in "OSU"


def assert_same_values(got, want, rtol=1e-7, atol=0.0):
    """NumPy's ``assert_allclose`` for numbers; text compares exactly."""
    got, want = np.asarray(got), np.asarray(want)
    if is_text(got) or is_text(want):
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True)


def runs_on_host(arrays, outputs):
    """Ops on text run on the CPU even inside a GPU scope, as in TensorFlow: text in or out."""
    return any(is_text(a) for a in arrays) or any(o.dtype == d2l.string for o in outputs)


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def is_float(array):
    return np.asarray(array).dtype.kind == "f"


def tested(entry):
    """Entries that get their own generated tests (internal ops are tested through another)."""
    return entry.tested_by is None


CASES = sorted(name for name, e in OPS.items() if tested(e))
DIFFERENTIABLE = sorted(name for name, e in OPS.items()
                        if tested(e) and e.differentiable)
