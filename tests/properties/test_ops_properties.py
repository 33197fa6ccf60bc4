"""Every elementwise, reduction, shape and indexing op of d2l_core, held against NumPy.

Hypothesis draws shapes (scalars and empty tensors included), broadcastable
pairs and triples, dtypes (float32, float64, int32, int64, bool where the op
takes them), axes and index keys. The expected value is NumPy's, adjusted where
TensorFlow's rules differ from NumPy's, and each such rule is stated where it is
checked: the result dtype is always the inputs' dtype (no promotion), a Python
number takes the tensor's dtype, int / int is float64, integer means truncate,
float floor division is floor(x / y).
"""
import operator

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import d2l_core as d2l
from strategies import (ALL_DTYPES, FLOAT_DTYPES, INT_DTYPES, NUMERIC_DTYPES, SETTINGS, arrays,
                        arrays_and_dtype, assert_same, axes, basic_indices, broadcastable_arrays,
                        broadcastable_shapes, dtypes, elements, normalized_axes, np_dtype, shapes)

# ============================================================ binary arithmetic

ARITHMETIC = {            # name: (d2l function, Python operator or None, NumPy ufunc)
    "add": (d2l.add, operator.add, np.add),
    "subtract": (d2l.subtract, operator.sub, np.subtract),
    "multiply": (d2l.multiply, operator.mul, np.multiply),
    "maximum": (d2l.maximum, None, np.maximum),
    "minimum": (d2l.minimum, None, np.minimum),
}


@pytest.mark.parametrize("name", ARITHMETIC)
@SETTINGS
@given(data=broadcastable_arrays(NUMERIC_DTYPES))
def test_arithmetic_broadcasts_like_numpy_and_keeps_the_dtype(name, data):
    (a, b), _ = data
    fn, op, ufunc = ARITHMETIC[name]
    expected = ufunc(a, b)
    assert_same(fn(a if a.ndim else a[()], d2l.constant(b)), expected)
    assert_same(fn(d2l.constant(a), d2l.constant(b)), expected)
    if op is not None:
        assert_same(op(d2l.constant(a), d2l.constant(b)), expected)


@SETTINGS
@given(data=broadcastable_arrays(FLOAT_DTYPES, min_value=0.5, max_value=4.0),
       exponent=st.floats(-2, 2))
def test_pow_on_floats(data, exponent):
    (a, b), dtype = data
    assert_same(d2l.pow(d2l.constant(a), d2l.constant(b)), np.power(a, b), rtol=1e-5)
    assert_same(d2l.constant(a) ** exponent, np.power(a, np.asarray(exponent, a.dtype)), rtol=1e-5)


@SETTINGS
@given(data=broadcastable_arrays(INT_DTYPES, min_value=-5, max_value=5),
       exponent=st.integers(0, 3))
def test_pow_on_integers_with_non_negative_exponents(data, exponent):
    (a, b), _ = data
    b = np.abs(b) % 4
    assert_same(d2l.pow(a, d2l.constant(b)), np.power(a, b))
    assert_same(d2l.constant(a) ** exponent, np.power(a, a.dtype.type(exponent)))
    assert_same(exponent ** d2l.constant(np.abs(b)), np.power(a.dtype.type(exponent), np.abs(b)))


OPERATORS = {             # Python operator and what it computes
    "+": (operator.add, np.add), "-": (operator.sub, np.subtract),
    "*": (operator.mul, np.multiply), "//": (operator.floordiv, None),
    "%": (operator.mod, np.mod), "**": (operator.pow, np.power),
}


@st.composite
def tensor_and_python_number(draw):
    """A numeric array and a Python number that its dtype can take (floats only for floats)."""
    a, dtype = draw(arrays_and_dtype(NUMERIC_DTYPES, min_value=1, max_value=9))
    if dtype in FLOAT_DTYPES:
        number = draw(st.one_of(st.integers(1, 9), st.floats(0.5, 9.0)))
    else:
        number = draw(st.integers(1, 9))
    return a, number


@pytest.mark.parametrize("symbol", OPERATORS)
@SETTINGS
@given(data=tensor_and_python_number())
def test_python_numbers_take_the_tensors_dtype_on_either_side(symbol, data):
    """``t + 2`` and ``2 + t`` (and every other operator) keep t's dtype, as in TensorFlow."""
    a, number = data
    op, ufunc = OPERATORS[symbol]
    s = np.asarray(number, dtype=a.dtype)
    if ufunc is None:     # floor division: floor(x / y) for floats, NumPy's for integers
        ufunc = np.floor_divide if a.dtype.kind == "i" else (lambda x, y: np.floor(x / y))
    t = d2l.constant(a)
    assert_same(op(t, number), ufunc(a, s), rtol=1e-5)
    assert_same(op(number, t), ufunc(s, a), rtol=1e-5)


@pytest.mark.parametrize("symbol", ["+", "-", "*", "//", "%"])
@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES, min_value=1, max_value=9))
def test_numpy_arrays_take_the_tensors_dtype_on_either_side(symbol, data):
    """``ndarray + Tensor`` is a Tensor: NumPy defers to the Tensor's reflected operator."""
    a, dtype = data
    op = OPERATORS[symbol][0]
    other = (a.astype(np.float64) + 1) if dtype in FLOAT_DTYPES else (a.astype(np.int64) + 1)
    t = d2l.constant(a)
    expected_right = op(a, other.astype(a.dtype))
    expected_left = op(other.astype(a.dtype), a)
    if symbol == "//" and dtype in FLOAT_DTYPES:
        expected_right = np.floor(a / other.astype(a.dtype))
        expected_left = np.floor(other.astype(a.dtype) / a)
    assert_same(op(t, other), expected_right)
    assert_same(op(other, t), expected_left)


# ============================================================ division

@SETTINGS
@given(data=broadcastable_arrays(NUMERIC_DTYPES))
def test_truediv_turns_int32_and_int64_into_float64(data):
    """TensorFlow's truediv: integers become float64 first; floats keep their dtype."""
    (a, b), dtype = data
    if dtype in INT_DTYPES:
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = a.astype(np.float64) / b.astype(np.float64)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = a / b
    for result in (d2l.divide(a, b), d2l.truediv(a, b), d2l.constant(a) / d2l.constant(b)):
        assert_same(result, expected)


@pytest.mark.parametrize("dtype, result", [("int8", "float32"), ("int16", "float32"),
                                           ("uint8", "float32"), ("int32", "float64"),
                                           ("int64", "float64"), ("float32", "float32"),
                                           ("float64", "float64")])
def test_truediv_result_dtypes(dtype, result):
    x = d2l.constant([3, 4], dtype=dtype)
    assert (x / x).dtype == d2l.as_dtype(result)
    assert (x / 2).dtype == d2l.as_dtype(result)
    assert (2 / x).dtype == d2l.as_dtype(result)


nonzero_ints = st.one_of(st.integers(-50, -1), st.integers(1, 50))


@SETTINGS
@given(shapes_=broadcastable_shapes(2), dtype=dtypes(INT_DTYPES), data=st.data())
def test_integer_floordiv_and_mod_round_toward_minus_infinity(shapes_, dtype, data):
    a = data.draw(arrays(dtype, shapes_[0], min_value=-100, max_value=100))
    b = data.draw(arrays(dtype, shapes_[1], elements_=nonzero_ints))
    q, r = d2l.floordiv(a, b), d2l.mod(a, b)
    assert_same(q, np.floor_divide(a, b))
    assert_same(r, np.mod(a, b))
    assert_same(d2l.constant(a) // d2l.constant(b), np.floor_divide(a, b))
    assert_same(d2l.constant(a) % d2l.constant(b), np.mod(a, b))
    assert_same(d2l.math.floormod(a, b), np.mod(a, b))
    # The remainder has the divisor's sign (or is 0), and a == b * q + r.
    r_np, b_np = r.numpy(), np.broadcast_to(b, r.shape)
    assert np.all((r_np == 0) | (np.sign(r_np) == np.sign(b_np)))
    assert np.all(np.abs(r_np) < np.abs(b_np))
    np.testing.assert_array_equal(b_np * q.numpy() + r_np, np.broadcast_to(a, r.shape))


@SETTINGS
@given(shapes_=broadcastable_shapes(2), dtype=dtypes(FLOAT_DTYPES), data=st.data())
def test_float_floordiv_is_floor_of_the_quotient_and_mod_has_the_divisors_sign(shapes_, dtype, data):
    a = data.draw(arrays(dtype, shapes_[0]))
    b = data.draw(arrays(dtype, shapes_[1], elements_=st.one_of(
        st.floats(-50, -0.25, width=32), st.floats(0.25, 50, width=32))))
    assert_same(d2l.floordiv(a, b), np.floor(a / b))
    assert_same(d2l.mod(a, b), np.mod(a, b))
    r = d2l.mod(a, b).numpy()
    assert np.all((r == 0) | (np.sign(r) == np.sign(np.broadcast_to(b, r.shape))))


def test_float_floordiv_follows_tensorflow_not_numpy():
    # NumPy's floor_divide(1.0, 0.1) is 9.0; TensorFlow computes floor(1.0 / 0.1) = 10.0.
    assert float(d2l.floordiv(1.0, 0.1)) == 10.0
    assert float(d2l.constant(1.0) // 0.1) == 10.0


# ============================================================ comparisons and logic

COMPARISONS = {
    "equal": (d2l.equal, operator.eq, np.equal),
    "not_equal": (d2l.not_equal, operator.ne, np.not_equal),
    "less": (d2l.less, operator.lt, np.less),
    "less_equal": (d2l.less_equal, operator.le, np.less_equal),
    "greater": (d2l.greater, operator.gt, np.greater),
    "greater_equal": (d2l.greater_equal, operator.ge, np.greater_equal),
}


@pytest.mark.parametrize("name", COMPARISONS)
@SETTINGS
@given(data=broadcastable_arrays(ALL_DTYPES, min_value=-3, max_value=3))
def test_comparisons_give_bool_tensors(name, data):
    (a, b), dtype = data
    fn, op, ufunc = COMPARISONS[name]
    if dtype == "bool" and name not in ("equal", "not_equal"):
        return     # ordering bools is an error in TensorFlow (tested in test_errors)
    expected = ufunc(a, b)
    assert_same(fn(d2l.constant(a), d2l.constant(b)), expected)
    assert_same(op(d2l.constant(a), d2l.constant(b)), expected)
    assert_same(op(d2l.constant(a), b), expected)      # a NumPy operand takes the tensor's dtype


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@SETTINGS
@given(data=broadcastable_arrays(["bool"]))
def test_logical_ops_and_their_operators(name, data):
    (a, b), _ = data
    fn = getattr(d2l.math, name)
    op = {"logical_and": operator.and_, "logical_or": operator.or_,
          "logical_xor": operator.xor}[name]
    expected = getattr(np, name)(a, b)
    assert_same(fn(a, b), expected)
    assert_same(op(d2l.constant(a), d2l.constant(b)), expected)
    assert_same(op(d2l.constant(a), True), getattr(np, name)(a, True))
    assert_same(op(True, d2l.constant(b)), getattr(np, name)(True, b))


@SETTINGS
@given(data=arrays_and_dtype(["bool"]))
def test_logical_not_and_invert(data):
    a, _ = data
    assert_same(d2l.logical_not(a), np.logical_not(a))
    assert_same(~d2l.constant(a), np.logical_not(a))


@pytest.mark.parametrize("symbol, ufunc", [("&", np.bitwise_and), ("|", np.bitwise_or),
                                           ("^", np.bitwise_xor)])
@SETTINGS
@given(data=broadcastable_arrays(INT_DTYPES))
def test_bitwise_operators_on_integers(symbol, ufunc, data):
    """On integer tensors ``& | ^ ~`` are bitwise, as in TensorFlow 2."""
    (a, b), _ = data
    op = {"&": operator.and_, "|": operator.or_, "^": operator.xor}[symbol]
    assert_same(op(d2l.constant(a), d2l.constant(b)), ufunc(a, b))
    assert_same(~d2l.constant(a), np.invert(a))


@SETTINGS
@given(data=broadcastable_arrays(ALL_DTYPES, num_shapes=3))
def test_where_broadcasts_condition_x_and_y_together(data):
    (c, x, y), _ = data
    cond = c.astype(bool) if c.dtype != bool else c
    assert_same(d2l.where(cond, x, y), np.where(cond, x, y))
    assert_same(d2l.where(d2l.constant(cond), d2l.constant(x), d2l.constant(y)),
                np.where(cond, x, y))


@SETTINGS
@given(data=arrays_and_dtype(["bool"], shape=shapes(min_dims=1)))
def test_where_with_only_a_condition_lists_the_true_coordinates(data):
    c, _ = data
    assert_same(d2l.where(c), np.argwhere(c).astype(np.int64))


# ============================================================ casts and elementwise functions

@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES), target=dtypes(ALL_DTYPES))
def test_cast_converts_like_numpy_truncating_toward_zero(data, target):
    a, _ = data
    assert_same(d2l.cast(a, target), a.astype(np_dtype(target)))
    assert_same(d2l.cast(d2l.constant(a), d2l.as_dtype(target)), a.astype(np_dtype(target)))


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES), bounds=st.tuples(st.integers(-50, 50),
                                                                st.integers(-50, 50)))
def test_clip_by_value_with_scalar_bounds(data, bounds):
    a, dtype = data
    lo, hi = sorted(bounds)
    assert_same(d2l.clip_by_value(a, lo, hi),
                np.clip(a, a.dtype.type(lo), a.dtype.type(hi)).astype(a.dtype))


@SETTINGS
@given(data=broadcastable_arrays(NUMERIC_DTYPES, num_shapes=3))
def test_clip_by_value_with_tensor_bounds(data):
    (a, lo, hi), _ = data
    target = np.broadcast_shapes(a.shape, lo.shape, hi.shape)
    a = np.broadcast_to(a, target).copy()                 # the bounds may not enlarge the input
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    assert_same(d2l.clip_by_value(a, d2l.constant(lo), d2l.constant(hi)),
                np.minimum(np.maximum(a, lo), hi))


@SETTINGS
@given(data=arrays_and_dtype(FLOAT_DTYPES, shape=shapes(),
                             elements_=None, min_value=-20, max_value=20),
       halves=st.lists(st.integers(-40, 40), max_size=8))
def test_round_is_half_to_even(data, halves):
    a, dtype = data
    assert_same(d2l.round(a), np.round(a))
    exact_halves = np.array(halves, dtype=np_dtype(dtype)) / 2    # ..., -0.5, 0.5, 1.5, 2.5, ...
    assert_same(d2l.round(exact_halves), np.round(exact_halves))


@SETTINGS
@given(data=arrays_and_dtype(INT_DTYPES))
def test_round_leaves_integers_alone(data):
    a, _ = data
    assert_same(d2l.round(a), a)


NUMERIC_UNARY = {"sign": np.sign, "abs": np.abs, "negative": np.negative, "square": np.square}


@pytest.mark.parametrize("name", NUMERIC_UNARY)
@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES))
def test_numeric_unary_ops(name, data):
    a, _ = data
    assert_same(getattr(d2l, name)(a), NUMERIC_UNARY[name](a))


def test_unary_operators():
    x = d2l.constant([-2, 0, 3])
    assert_same(-x, np.array([2, 0, -3], np.int32))
    assert_same(abs(x), np.array([2, 0, 3], np.int32))


def _sigmoid(a):
    return (1 / (1 + np.exp(-a.astype(np.float64)))).astype(a.dtype)


FLOAT_UNARY = {           # name: (d2l function, NumPy reference, domain of x)
    "exp": (d2l.exp, np.exp, (-20, 20)),
    "expm1": (d2l.math.expm1, np.expm1, (-20, 20)),
    "log": (d2l.math.log, np.log, (0.01, 100)),
    "log1p": (d2l.math.log1p, np.log1p, (-0.99, 100)),
    "sqrt": (d2l.sqrt, np.sqrt, (0, 100)),
    "rsqrt": (d2l.math.rsqrt, lambda a: 1 / np.sqrt(a), (0.01, 100)),
    "reciprocal": (d2l.math.reciprocal, np.reciprocal, (0.01, 100)),
    "sin": (d2l.sin, np.sin, (-10, 10)),
    "cos": (d2l.cos, np.cos, (-10, 10)),
    "tan": (d2l.math.tan, np.tan, (-1.5, 1.5)),
    "tanh": (d2l.tanh, np.tanh, (-10, 10)),
    "sigmoid": (d2l.sigmoid, _sigmoid, (-50, 50)),
    "softplus": (d2l.math.softplus, lambda a: np.logaddexp(0, a), (-50, 50)),
    "floor": (d2l.floor, np.floor, (-100, 100)),
    "ceil": (d2l.math.ceil, np.ceil, (-100, 100)),
}


@pytest.mark.parametrize("name", FLOAT_UNARY)
@SETTINGS
@given(dtype=dtypes(FLOAT_DTYPES), data=st.data())
def test_float_functions_match_numpy(name, dtype, data):
    fn, reference, (lo, hi) = FLOAT_UNARY[name]
    a = data.draw(arrays(dtype, shapes(), min_value=lo, max_value=hi))
    assert_same(fn(a), reference(a).astype(a.dtype), rtol=1e-5 if dtype == "float32" else 1e-12,
                atol=1e-7)


# ============================================================ reductions

@st.composite
def reduction_case(draw, names, min_side=0, **bounds):
    a, dtype = draw(arrays_and_dtype(names, shape=shapes(min_side=min_side), **bounds))
    return a, dtype, draw(axes(a.ndim)), draw(st.booleans())


REDUCTIONS = {            # name: (d2l function, NumPy reference)
    "reduce_sum": (d2l.reduce_sum, np.sum),
    "reduce_prod": (d2l.reduce_prod, np.prod),
    "reduce_max": (d2l.reduce_max, np.max),
    "reduce_min": (d2l.reduce_min, np.min),
}


@pytest.mark.parametrize("name", REDUCTIONS)
@SETTINGS
@given(case=reduction_case(NUMERIC_DTYPES, min_side=1, min_value=-2, max_value=2))
def test_reductions_over_any_axes(name, case):
    a, dtype, axis, keepdims = case
    fn, reference = REDUCTIONS[name]
    np_axis = normalized_axes(axis, a.ndim)
    expected = np.asarray(reference(a, axis=np_axis, keepdims=keepdims)).astype(a.dtype)
    assert_same(fn(a, axis=axis, keepdims=keepdims), expected, rtol=1e-5)
    assert_same(getattr(d2l.math, name)(d2l.constant(a), axis, keepdims), expected, rtol=1e-5)


@SETTINGS
@given(case=reduction_case(NUMERIC_DTYPES))
def test_reduce_sum_of_empty_axes_is_zero(case):
    a, dtype, axis, keepdims = case
    expected = np.sum(a, axis=normalized_axes(axis, a.ndim), keepdims=keepdims, dtype=a.dtype)
    assert_same(d2l.reduce_sum(a, axis=axis, keepdims=keepdims), expected, rtol=1e-5)


@SETTINGS
@given(case=reduction_case(FLOAT_DTYPES, min_side=1))
def test_reduce_mean_of_floats(case):
    a, dtype, axis, keepdims = case
    expected = np.mean(a, axis=normalized_axes(axis, a.ndim), keepdims=keepdims, dtype=a.dtype)
    assert_same(d2l.reduce_mean(a, axis=axis, keepdims=keepdims), expected, rtol=1e-5)


@SETTINGS
@given(case=reduction_case(INT_DTYPES, min_side=1))
def test_reduce_mean_of_integers_truncates_toward_zero(case):
    """TensorFlow divides the integer sum by the count in C: -7 / 2 is -3, not -4."""
    a, dtype, axis, keepdims = case
    np_axis = normalized_axes(axis, a.ndim)
    total = np.sum(a.astype(np.int64), axis=np_axis, keepdims=keepdims)
    count = int(np.prod([a.shape[i] for i in np_axis]))
    expected = (np.sign(total) * (np.abs(total) // count)).astype(a.dtype)
    assert_same(d2l.reduce_mean(a, axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("name", ["reduce_all", "reduce_any"])
@SETTINGS
@given(case=reduction_case(["bool"]))
def test_boolean_reductions(name, case):
    a, _, axis, keepdims = case
    reference = np.all if name == "reduce_all" else np.any
    expected = reference(a, axis=normalized_axes(axis, a.ndim), keepdims=keepdims)
    assert_same(getattr(d2l, name)(a, axis=axis, keepdims=keepdims), expected)


@pytest.mark.parametrize("name", ["reduce_max", "reduce_min"])
@SETTINGS
@given(dtype=dtypes(NUMERIC_DTYPES), shape=shapes(min_dims=1, min_side=0))
def test_max_and_min_over_nothing_give_the_identity(name, dtype, shape):
    """Like TensorFlow: max over an empty axis is -inf (the dtype's minimum for integers)."""
    assume(0 in shape)
    a = np.zeros(shape, np_dtype(dtype))
    axis = shape.index(0)
    if dtype in FLOAT_DTYPES:
        fill = -np.inf if name == "reduce_max" else np.inf
    else:
        info = np.iinfo(np_dtype(dtype))
        fill = info.min if name == "reduce_max" else info.max
    out_shape = shape[:axis] + shape[axis + 1:]
    assert_same(getattr(d2l, name)(a, axis=axis), np.full(out_shape, fill, np_dtype(dtype)))


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES + ("bool",), shape=shapes(min_dims=1, min_side=1),
                             min_value=-3, max_value=3),
       axis_seed=st.integers(), output_type=st.sampled_from([None, "int32", "int64"]))
def test_argmax_and_argmin_pick_the_first_extreme(name, data, axis_seed, output_type):
    a, _ = data
    axis = axis_seed % (2 * a.ndim) - a.ndim           # any axis, negative ones too
    kwargs = {} if output_type is None else {"output_type": d2l.as_dtype(output_type)}
    expected = getattr(np, name)(a, axis=axis).astype(output_type or "int64")
    assert_same(getattr(d2l, name)(a, axis=axis, **kwargs), expected)
    if a.ndim and axis in (0, -a.ndim):
        assert_same(getattr(d2l, name)(a, **kwargs), expected)     # default axis is 0


@SETTINGS
@given(data=arrays_and_dtype(FLOAT_DTYPES, shape=shapes(min_side=1)),
       ord_=st.sampled_from(["euclidean", 1, 2, np.inf]), keepdims=st.booleans(),
       axis_seed=st.one_of(st.none(), st.integers()))
def test_vector_norms(data, ord_, keepdims, axis_seed):
    a, dtype = data
    np_ord = 2 if ord_ == "euclidean" else ord_
    if axis_seed is None or a.ndim == 0:
        axis = None
        expected = np.linalg.norm(a.astype(np.float64).ravel(), np_ord)
        if keepdims:
            expected = np.reshape(expected, (1,) * a.ndim)
    else:
        axis = axis_seed % (2 * a.ndim) - a.ndim
        expected = np.linalg.norm(a.astype(np.float64), np_ord, axis=axis, keepdims=keepdims)
    result = d2l.norm(a, ord=ord_, axis=axis, keepdims=keepdims)
    assert_same(result, np.asarray(expected).astype(a.dtype), rtol=1e-5, atol=1e-6)


@SETTINGS
@given(data=arrays_and_dtype(FLOAT_DTYPES, shape=shapes(min_dims=2, min_side=1)),
       ord_=st.sampled_from(["euclidean", "fro", 1, np.inf]), keepdims=st.booleans(),
       pick=st.data())
def test_matrix_norms_over_two_axes(data, ord_, keepdims, pick):
    a, dtype = data
    axis = tuple(pick.draw(st.lists(st.integers(0, a.ndim - 1), min_size=2, max_size=2,
                                    unique=True)))
    np_ord = "fro" if ord_ == "euclidean" else ord_
    expected = np.linalg.norm(a.astype(np.float64), np_ord, axis=axis, keepdims=keepdims)
    assert_same(d2l.norm(a, ord=ord_, axis=list(axis), keepdims=keepdims),
                np.asarray(expected).astype(a.dtype), rtol=1e-5, atol=1e-6)


# ============================================================ shapes

@st.composite
def array_and_new_shape(draw, names=ALL_DTYPES):
    """An array and another shape with the same number of elements, maybe with one -1."""
    a, dtype = draw(arrays_and_dtype(names, shape=shapes(min_side=1)))
    factors, n = [], a.size
    for p in (2, 3, 5, 7):
        while n % p == 0:
            factors.append(p)
            n //= p
    factors.append(n)
    bins = draw(st.integers(1, 4))
    dims = [1] * bins
    for f in factors:
        dims[draw(st.integers(0, bins - 1))] *= f
    dims = draw(st.permutations(dims))
    if draw(st.booleans()):
        dims[draw(st.integers(0, len(dims) - 1))] = -1
    return a, list(dims)


@SETTINGS
@given(case=array_and_new_shape())
def test_reshape_with_an_inferred_dimension(case):
    a, new_shape = case
    expected = a.reshape(new_shape)
    assert_same(d2l.reshape(a, new_shape), expected)
    assert_same(d2l.constant(a).reshape(new_shape), expected)            # numpy-style method
    assert_same(d2l.constant(a).reshape(*new_shape), expected)
    assert_same(d2l.reshape(a, d2l.constant(new_shape)), expected)      # a shape tensor works too


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES), pick=st.data())
def test_transpose_with_and_without_perm(data, pick):
    a, _ = data
    assert_same(d2l.transpose(a), a.T)
    perm = pick.draw(st.permutations(range(a.ndim)))
    assert_same(d2l.transpose(a, perm=perm), np.transpose(a, perm))


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES), pick=st.data())
def test_expand_dims_at_any_valid_axis(data, pick):
    a, _ = data
    axis = pick.draw(st.integers(-a.ndim - 1, a.ndim))
    assert_same(d2l.expand_dims(a, axis), np.expand_dims(a, axis))


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES, shape=shapes(min_side=1, max_side=2)), pick=st.data())
def test_squeeze_all_or_chosen_unit_axes(data, pick):
    a, _ = data
    assert_same(d2l.squeeze(a), np.squeeze(a))
    ones = [i for i, d in enumerate(a.shape) if d == 1]
    chosen = pick.draw(st.lists(st.sampled_from(ones), unique=True, min_size=1)) if ones else []
    if chosen:
        negative = [i - a.ndim for i in chosen]
        assert_same(d2l.squeeze(a, axis=negative), np.squeeze(a, axis=tuple(chosen)))


@st.composite
def arrays_to_join(draw, same_shape):
    """2-4 arrays of one dtype; they differ only along ``axis`` unless ``same_shape``."""
    dtype = draw(dtypes())
    base = list(draw(shapes(min_dims=0 if same_shape else 1)))
    n = draw(st.integers(1, 4))
    if same_shape:
        axis = draw(st.integers(-len(base) - 1, len(base)))
        return [draw(arrays(dtype, tuple(base))) for _ in range(n)], axis
    axis = draw(st.integers(-len(base), len(base) - 1))
    out = []
    for _ in range(n):
        shape = list(base)
        shape[axis] = draw(st.integers(0, 3))
        out.append(draw(arrays(dtype, tuple(shape))))
    return out, axis


@SETTINGS
@given(case=arrays_to_join(same_shape=False))
def test_concat_along_any_axis(case):
    parts, axis = case
    assert_same(d2l.concat(parts, axis=axis), np.concatenate(parts, axis=axis))
    assert_same(d2l.concat([d2l.constant(p) for p in parts], axis), np.concatenate(parts, axis))


@SETTINGS
@given(case=arrays_to_join(same_shape=True))
def test_stack_along_a_new_axis(case):
    parts, axis = case
    assert_same(d2l.stack(parts, axis=axis), np.stack(parts, axis=axis))


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES, shape=shapes(min_dims=1)), pick=st.data())
def test_unstack_and_iteration(data, pick):
    a, _ = data
    axis = pick.draw(st.integers(-a.ndim, a.ndim - 1))
    pieces = d2l.unstack(a, axis=axis)
    expected = list(np.moveaxis(a, axis, 0))
    assert len(pieces) == len(expected)
    for got, want in zip(pieces, expected):
        assert_same(got, want)
    for got, want in zip(d2l.constant(a), a):                # iterating walks axis 0
        assert_same(got, want)


@st.composite
def split_case(draw):
    a, _ = draw(arrays_and_dtype(ALL_DTYPES, shape=shapes(min_dims=1)))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    n = a.shape[axis]
    if draw(st.booleans()) and n > 0:
        k = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
        return a, axis, k, [n // k] * k
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
    sizes = [e - b for b, e in zip([0] + cuts, cuts + [n])]
    given_sizes = list(sizes)
    if draw(st.booleans()):
        given_sizes[draw(st.integers(0, len(sizes) - 1))] = -1
    return a, axis, given_sizes, sizes


@SETTINGS
@given(case=split_case())
def test_split_into_equal_parts_or_given_sizes(case):
    a, axis, how, sizes = case
    parts = d2l.split(a, how, axis=axis)
    expected = np.split(a, np.cumsum(sizes)[:-1], axis=axis)
    assert len(parts) == len(expected)
    for got, want in zip(parts, expected):
        assert_same(got, want)


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES), pick=st.data())
def test_tile(data, pick):
    a, _ = data
    reps = pick.draw(st.lists(st.integers(0, 3), min_size=a.ndim, max_size=a.ndim))
    assert_same(d2l.tile(a, reps), np.tile(a, reps) if reps else a)


@SETTINGS
@given(dtype=dtypes(), pair=broadcastable_shapes(2), data=st.data())
def test_broadcast_to(dtype, pair, data):
    a = data.draw(arrays(dtype, pair[0]))
    target = np.broadcast_shapes(*pair)
    assert_same(d2l.broadcast_to(a, target), np.broadcast_to(a, target))


@SETTINGS
@given(labels=arrays("int32", shapes(max_dims=3), min_value=-2, max_value=6),
       depth=st.integers(0, 5), pick=st.data(),
       values=st.sampled_from([None, (1.0, 0.0), (5, -1), (True, False)]))
def test_one_hot_with_out_of_range_labels_as_all_off(labels, depth, pick, values):
    axis = pick.draw(st.sampled_from([None, -1] + list(range(labels.ndim + 1))))
    on, off = values if values else (1.0, 0.0)
    out_dtype = np.asarray(on).dtype if values else np.float32
    out_dtype = {np.dtype(np.float64): np.float32, np.dtype(np.int64): np.int32}.get(
        np.dtype(out_dtype), out_dtype)
    hot = labels[..., None] == np.arange(depth)                  # labels outside [0, depth) match nothing
    expected = np.where(hot, on, off).astype(out_dtype)
    if axis not in (None, -1):
        expected = np.moveaxis(expected, -1, axis)
    kwargs = {} if values is None else {"on_value": on, "off_value": off}
    assert_same(d2l.one_hot(labels, depth, axis=axis, **kwargs), expected)


@st.composite
def gather_case(draw):
    a, _ = draw(arrays_and_dtype(ALL_DTYPES, shape=shapes(min_dims=1, min_side=1)))
    axis = draw(st.integers(-a.ndim, a.ndim - 1))
    idx = draw(arrays(draw(dtypes(INT_DTYPES)), shapes(max_dims=2), min_value=0,
                      max_value=a.shape[axis] - 1))
    return a, axis, idx


@SETTINGS
@given(case=gather_case())
def test_gather_along_any_axis(case):
    a, axis, idx = case
    assert_same(d2l.gather(a, idx, axis=axis), np.take(a, idx, axis=axis))


@st.composite
def mask_case(draw):
    a, _ = draw(arrays_and_dtype(ALL_DTYPES, shape=shapes(min_dims=1)))
    axis = draw(st.integers(0, a.ndim - 1))
    k = draw(st.integers(1, a.ndim - axis))
    mask = draw(arrays("bool", a.shape[axis:axis + k]))
    return a, axis, mask


@SETTINGS
@given(case=mask_case())
def test_boolean_mask(case):
    a, axis, mask = case
    expected = a[(slice(None),) * axis + (mask,)]
    assert_same(d2l.boolean_mask(a, mask, axis=axis if axis else None), expected)
    if axis == 0:                     # x[mask] is boolean_mask(x, mask), as in TensorFlow 2
        assert_same(d2l.constant(a)[d2l.constant(mask)], expected)
        assert_same(d2l.constant(a)[mask], expected)
        assert_same(d2l.Variable(a)[d2l.constant(mask)], expected)


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES))
def test_shape_size_and_rank(data):
    a, _ = data
    t = d2l.constant(a)
    assert t.shape == a.shape and t.ndim == a.ndim and len(t.shape) == a.ndim
    assert_same(d2l.shape(t), np.array(a.shape, np.int32))
    assert_same(d2l.size(t), np.int32(a.size))
    assert_same(d2l.rank(t), np.int32(a.ndim))


# ============================================================ indexing

@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES, shape=shapes(max_side=5)), pick=st.data())
def test_indexing_with_ints_slices_steps_ellipsis_and_newaxis(data, pick):
    """Basic indices (negative ints, negative steps, ``...``, None) behave as in NumPy."""
    a, _ = data
    key = pick.draw(basic_indices(a.shape))
    assert_same(d2l.constant(a)[key], a[key])


@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES, shape=shapes(min_dims=1, min_side=1)), pick=st.data())
def test_indexing_with_scalar_integer_tensors(data, pick):
    a, _ = data
    i = pick.draw(st.integers(-a.shape[0], a.shape[0] - 1))
    dtype = pick.draw(dtypes(INT_DTYPES))
    t = d2l.constant(a)
    assert_same(t[d2l.constant(i, dtype=dtype)], a[i])
    assert_same(t[d2l.constant(0):d2l.constant(i, dtype="int32")], a[0:i])


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES + ("bool",), shape=shapes(max_side=5)),
       pick=st.data())
def test_variable_slice_assignment_writes_in_place(data, pick):
    a, dtype = data
    key = pick.draw(basic_indices(a.shape, allow_newaxis=False))
    target_shape = a[key].shape
    value = pick.draw(arrays(dtype, target_shape))
    v = d2l.Variable(a)
    before = id(v)
    result = v[key].assign(value)
    expected = a.copy()
    expected[key] = value
    assert id(v) == before and result is v
    assert_same(v.value(), expected)
    # A scalar broadcasts into the slice; a tensor of the slice's shape works too.
    scalar = pick.draw(elements(dtype))
    v[key].assign(scalar)
    expected[key] = scalar
    assert_same(v.value(), expected)
    v[key].assign(d2l.constant(value))
    expected[key] = value
    assert_same(v.value(), expected)


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES))
def test_variable_assign_add_and_sub_match_numpy_and_keep_identity(data):
    a, dtype = data
    v = d2l.Variable(a)
    before = id(v)
    v.assign_add(a)
    v.assign_sub(d2l.constant(a) * 3)
    assert id(v) == before
    assert_same(v.value(), a + a - a * a.dtype.type(3))


# ============================================================ NumPy interop

@SETTINGS
@given(data=arrays_and_dtype(ALL_DTYPES + ("int8", "uint8", "float16")))
def test_numpy_round_trips_keep_dtype_and_values(data):
    a, dtype = data
    t = d2l.constant(a)
    assert t.dtype == d2l.as_dtype(dtype)
    for back in (np.array(t), np.asarray(t), t.numpy()):
        assert back.dtype == a.dtype
        np.testing.assert_array_equal(back, a)
    assert np.array(t, dtype=np.float64).dtype == np.float64
    assert d2l.convert_to_tensor(a).dtype == d2l.as_dtype(dtype)


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES))
def test_numpy_functions_accept_tensors(data):
    a, _ = data
    t = d2l.constant(a)
    np.testing.assert_array_equal(np.sum(t), np.sum(a))
    out = np.add(t, t)                          # NumPy functions see the array and return NumPy
    assert isinstance(out, (np.ndarray, np.generic))
    np.testing.assert_array_equal(out, a + a)
    np.testing.assert_array_equal(np.concatenate([np.atleast_1d(t), np.atleast_1d(a)]),
                                  np.concatenate([np.atleast_1d(a), np.atleast_1d(a)]))


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES))
def test_the_numpy_value_is_a_copy(data):
    a, _ = data
    t = d2l.constant(a)
    view = t.numpy()
    if view.ndim:
        view[...] = 0
        assert_same(t, a)             # mutating what numpy() gave does not reach the tensor
    a_copy = a.copy()
    if a.ndim:
        a[...] = 1
        assert_same(t, a_copy)        # nor does mutating the array the tensor was made from


# ============================================================ more math: cumulative, logsumexp, products

@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES, shape=shapes(min_dims=1), min_value=-2,
                             max_value=2),
       exclusive=st.booleans(), reverse=st.booleans(), pick=st.data())
def test_cumulative_sums_and_products(name, data, exclusive, reverse, pick):
    a, _ = data
    axis = pick.draw(st.integers(-a.ndim, a.ndim - 1))
    b = np.flip(a, axis) if reverse else a
    run = (np.cumsum if name == "cumsum" else np.cumprod)(b, axis=axis, dtype=a.dtype)
    if exclusive and a.shape[axis]:     # shift by one along axis, starting from the identity
        first = np.zeros_like(np.take(run, [0], axis=axis)) + (0 if name == "cumsum" else 1)
        run = np.concatenate([first, np.take(run, range(a.shape[axis] - 1), axis=axis)],
                             axis=axis)
    expected = np.flip(run, axis) if reverse else run
    assert_same(getattr(d2l.math, name)(a, axis=axis, exclusive=exclusive, reverse=reverse),
                expected, rtol=1e-5)


@SETTINGS
@given(case=reduction_case(FLOAT_DTYPES, min_side=1, min_value=-50, max_value=50))
def test_reduce_logsumexp(case):
    a, dtype, axis, keepdims = case
    np_axis = normalized_axes(axis, a.ndim)
    a64 = a.astype(np.float64)
    m = np.max(a64, axis=np_axis, keepdims=True) if np_axis else a64
    expected = np.log(np.sum(np.exp(a64 - m), axis=np_axis, keepdims=True)) + m
    if not keepdims:
        expected = np.squeeze(expected, axis=np_axis)
    assert_same(d2l.math.reduce_logsumexp(a, axis=axis, keepdims=keepdims),
                expected.astype(a.dtype), rtol=1e-5, atol=1e-6)


@SETTINGS
@given(data=broadcastable_arrays(NUMERIC_DTYPES))
def test_squared_difference(data):
    (a, b), _ = data
    assert_same(d2l.math.squared_difference(a, b), np.square(a - b))


@SETTINGS
@given(data=arrays_and_dtype(NUMERIC_DTYPES), n=st.integers(1, 4))
def test_add_n(data, n):
    a, _ = data
    parts = [a + a.dtype.type(i) for i in range(n)]
    expected = parts[0]
    for p in parts[1:]:
        expected = expected + p
    assert_same(d2l.add_n(parts), expected)


@st.composite
def matmul_case(draw):
    dtype = draw(dtypes(NUMERIC_DTYPES))
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    batch_a, batch_b = draw(broadcastable_shapes(2, max_dims=2))
    ta, tb = draw(st.booleans()), draw(st.booleans())
    a = draw(arrays(dtype, batch_a + ((k, n) if ta else (n, k)), min_value=-5, max_value=5))
    b = draw(arrays(dtype, batch_b + ((m, k) if tb else (k, m)), min_value=-5, max_value=5))
    return a, b, ta, tb


@SETTINGS
@given(case=matmul_case())
def test_matmul_batches_broadcast_and_transposes(case):
    a, b, ta, tb = case
    expected = np.matmul(np.swapaxes(a, -1, -2) if ta else a, np.swapaxes(b, -1, -2) if tb else b)
    assert_same(d2l.matmul(a, b, transpose_a=ta, transpose_b=tb), expected, rtol=1e-5)
    if not (ta or tb):
        assert_same(d2l.constant(a) @ d2l.constant(b), expected, rtol=1e-5)
        assert_same(d2l.linalg.matmul(a, b), expected, rtol=1e-5)


@SETTINGS
@given(dtype=dtypes(NUMERIC_DTYPES), dims=st.lists(st.integers(1, 3), min_size=1, max_size=4),
       pick=st.data())
def test_tensordot(dtype, dims, pick):
    k = pick.draw(st.integers(0, len(dims)))
    extra = pick.draw(st.lists(st.integers(1, 3), max_size=2))
    a = pick.draw(arrays(dtype, tuple(dims), min_value=-5, max_value=5))
    b = pick.draw(arrays(dtype, tuple(dims[len(dims) - k:] + extra), min_value=-5, max_value=5))
    assert_same(d2l.tensordot(a, b, axes=k), np.tensordot(a, b, axes=k), rtol=1e-5)
