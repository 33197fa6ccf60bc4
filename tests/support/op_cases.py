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
from d2l_core.ops.registry import BINARY, REDUCE, UNARY, Sample, values

OPS = registry.OPS


def _shape(rng, min_dims=0):
    return tuple(int(n) for n in rng.integers(1, 4, size=rng.integers(min_dims, 4)))


def _broadcast_pair(rng):
    """Two shapes that broadcast together, some 1s and a rank difference included."""
    out = _shape(rng, 1)
    a = tuple(1 if rng.random() < 0.3 else d for d in out)
    b = tuple(1 if rng.random() < 0.3 else d for d in out)[int(rng.integers(0, len(out) + 1)):]
    return a, b


def _axis(rng, ndim):
    kind = rng.integers(0, 3) if ndim else 0
    if kind == 0:
        return None
    if kind == 1:
        return int(rng.integers(-ndim, ndim))
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
        x = values(t.domain, rng, _shape(rng))
        return [Sample(fn, (x,), t.reference)]
    if entry.kind == BINARY:
        sa, sb = _broadcast_pair(rng)
        return [Sample(fn, (values(t.domain, rng, sa), values(t.domain, rng, sb)), t.reference)]
    if entry.kind == REDUCE:
        shape = _shape(rng)
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
    """A sample array in ``dtype`` (bools from the sign; integers rounded)."""
    array = np.asarray(array)
    if array.dtype.kind not in "f":
        return array
    if dtype == "bool":
        return array > 0
    if dtype.startswith("int"):
        return np.round(array).astype(dtype)
    return array.astype(dtype)


def tensors(arrays):
    """The sample's arrays as d2l tensors (float arrays keep their dtype)."""
    return [d2l.constant(a) for a in arrays]


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
