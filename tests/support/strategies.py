"""Shared hypothesis strategies for d2l_core's tests: shapes, dtypes and arrays.

Import them from any test module under ``tests/`` (``tests/conftest.py`` puts
this folder on ``sys.path``)::

    from strategies import SETTINGS, arrays, broadcastable_shapes, dtypes

Values stay small and finite by default, so arithmetic neither overflows nor
meets NaN unless a test asks for it; a test that wants the edges draws its own
elements and passes them to ``arrays``.
"""
import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import d2l_core as d2l

#: Modest settings for property tests: the whole suite stays fast on two cores.
SETTINGS = settings(max_examples=40, deadline=None, database=None)

FLOAT_DTYPES = ("float32", "float64")
INT_DTYPES = ("int32", "int64")
NUMERIC_DTYPES = FLOAT_DTYPES + INT_DTYPES
ALL_DTYPES = NUMERIC_DTYPES + ("bool",)


def dtypes(names=ALL_DTYPES):
    """A dtype name from ``names`` (strings, so test ids and messages read well)."""
    return st.sampled_from(tuple(names))


def np_dtype(name):
    """The NumPy dtype for a d2l_core dtype name."""
    return d2l.as_dtype(name).np


def shapes(min_dims=0, max_dims=4, min_side=0, max_side=4):
    """Array shapes: up to ``max_dims`` axes of length ``min_side``..``max_side``."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims,
                            min_side=min_side, max_side=max_side)


def broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, min_side=1, max_side=4):
    """A tuple of ``num_shapes`` shapes that broadcast together (ranks and 1s vary)."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims,
        min_side=min_side, max_side=max_side).map(lambda bs: bs.input_shapes)


def elements(dtype, min_value=None, max_value=None):
    """Finite, modest values for ``dtype``: |x| <= 100 unless bounds are given."""
    dt = np.dtype(np_dtype(dtype) if isinstance(dtype, str) else dtype)
    if dt.kind == "b":
        return st.booleans()
    if dt.kind in "iu":
        lo = -100 if min_value is None else int(min_value)
        hi = 100 if max_value is None else int(max_value)
        return st.integers(max(lo, int(np.iinfo(dt).min)), min(hi, int(np.iinfo(dt).max)))
    lo = dt.type(-100.0 if min_value is None else min_value)
    hi = dt.type(100.0 if max_value is None else max_value)
    if min_value is not None and lo < min_value:        # round bounds inward, into the domain
        lo = np.nextafter(lo, dt.type(np.inf))
    if max_value is not None and hi > max_value:
        hi = np.nextafter(hi, dt.type(-np.inf))
    return st.floats(float(lo), float(hi), width=8 * dt.itemsize, allow_nan=False,
                     allow_infinity=False, allow_subnormal=False)


def arrays(dtype, shape, elements_=None, **bounds):
    """A NumPy array of ``dtype`` (a name or NumPy dtype) and ``shape`` (or a shape strategy).

    ``bounds`` (``min_value``/``max_value``) narrow the default elements.
    """
    dt = np_dtype(dtype) if isinstance(dtype, str) else dtype
    return hnp.arrays(dt, shape, elements=elements_ if elements_ is not None
                      else elements(dtype, **bounds))


@st.composite
def arrays_and_dtype(draw, names=ALL_DTYPES, shape=None, **bounds):
    """``(array, dtype name)``: a dtype from ``names`` and an array of it."""
    name = draw(dtypes(names))
    return draw(arrays(name, shape if shape is not None else shapes(), **bounds)), name


@st.composite
def broadcastable_arrays(draw, names=NUMERIC_DTYPES, num_shapes=2, min_side=0, **bounds):
    """``(arrays, dtype name)``: ``num_shapes`` arrays of one dtype whose shapes broadcast.

    Dimensions of length 0 appear too (``min_side=1`` keeps them out).
    """
    name = draw(dtypes(names))
    shape_tuple = draw(broadcastable_shapes(num_shapes, min_side=min_side))
    return tuple(draw(arrays(name, s, **bounds)) for s in shape_tuple), name


@st.composite
def axes(draw, ndim, allow_none=True, allow_tuple=True):
    """An ``axis`` argument for a tensor of rank ``ndim``: None, an int (maybe negative) or a tuple."""
    options = []
    if allow_none:
        options.append(st.none())
    if ndim:
        options.append(st.integers(-ndim, ndim - 1))
        if allow_tuple:
            options.append(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).flatmap(
                lambda ax: st.tuples(*[st.sampled_from((a, a - ndim)) for a in ax])))
    if not options:
        return None
    return draw(st.one_of(*options))


def normalized_axes(axis, ndim):
    """``axis`` as the tuple of non-negative axes NumPy expects (None -> all)."""
    if axis is None:
        return tuple(range(ndim))
    axis = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(a % ndim for a in axis))


def basic_indices(shape, allow_newaxis=True, allow_ellipsis=True):
    """Index keys NumPy calls *basic*: ints (negative too), slices with steps, ``...``, None."""
    return hnp.basic_indices(shape, min_dims=0, allow_newaxis=allow_newaxis,
                             allow_ellipsis=allow_ellipsis)


def assert_same(tensor, expected, rtol=None, atol=0.0):
    """``tensor`` has ``expected``'s dtype, shape and values (NaNs equal; floats to ``rtol``).

    ``expected`` is a NumPy array (or scalar); the default ``rtol`` is exact for
    integers and bools and a few float32/float64 ulps for floats.
    """
    assert isinstance(tensor, d2l.Tensor), f"expected a Tensor, got {type(tensor).__name__}"
    expected = np.asarray(expected)
    got = tensor.numpy()
    assert tensor.dtype.np == expected.dtype, f"dtype {tensor.dtype.name} != {expected.dtype}"
    assert tuple(tensor.shape) == expected.shape, f"shape {tensor.shape} != {expected.shape}"
    if expected.dtype.kind == "f":
        if rtol is None:
            rtol = 1e-6 if expected.dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, expected)
