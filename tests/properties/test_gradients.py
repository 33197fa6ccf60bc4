"""Every differentiable op's gradient, first and second order, against finite differences.

Hypothesis draws shapes, broadcast pairs, axes and index keys; a drawn seed
makes the values. Values keep away from the points where an op has a kink
(abs, relu and maximum at ties, clip bounds, mod at multiples of y, reduce_max
at ties) or leaves its domain (log, sqrt, pow with a non-positive base), since
finite differences straddling a kink measure neither slope.

``check_gradients(..., order=2)`` checks the gradient, then the gradient of
(gradient · random direction) through nested tapes.
"""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import d2l_core as d2l
from d2l_core.test_util import check_gradients

# By default every run draws the same few examples per op (quick and repeatable);
# D2L_GRADIENT_EXAMPLES=200 searches harder, with fresh random examples each run.
_SEARCH = os.environ.get("D2L_GRADIENT_EXAMPLES")
SETTINGS = settings(max_examples=int(_SEARCH or 10), derandomize=not _SEARCH, deadline=None,
                    database=None)
CASES = {}


def case(name):
    def register(make):
        CASES[name] = make
        return make
    return register


# ================================================================ value makers

def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcast_pair(num_shapes=2, min_dims=0):
    return hnp.mutually_broadcastable_shapes(num_shapes=num_shapes, min_dims=min_dims,
                                             max_dims=3, max_side=3)


def uniform(rng, shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape)


def away_from_zero(rng, shape, lo=0.3, hi=2.0):
    """Magnitudes in [lo, hi] with random signs: no kinks of abs/relu/sign nearby."""
    return rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def positive(rng, shape, lo=0.3, hi=3.0):
    return rng.uniform(lo, hi, size=shape)


def distinct(rng, shape, spacing=0.3):
    """All values different by at least ``spacing`` (no ties for max/min)."""
    n = int(np.prod(shape, dtype=int))
    return (rng.permutation(n) * spacing - n * spacing / 2 + rng.uniform(0, 0.05)).reshape(shape)


def axes(draw, ndim):
    """None, one axis (maybe negative), or a list of distinct axes."""
    if ndim == 0:
        return None
    kind = draw(st.sampled_from(["none", "int", "list"]))
    if kind == "none":
        return None
    if kind == "int":
        return draw(st.integers(-ndim, ndim - 1))
    chosen = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return [a - ndim if draw(st.booleans()) else a for a in chosen]


# ================================================================ one-input elementwise

def _unary(name, fn, values):
    @case(name)
    def make(draw, rng):
        return fn, [values(rng, draw(shapes()))]


_unary("negative", d2l.negative, uniform)
_unary("abs", d2l.abs, away_from_zero)
_unary("sign", d2l.sign, away_from_zero)
_unary("square", d2l.square, uniform)
_unary("sqrt", d2l.sqrt, positive)
_unary("rsqrt", d2l.math.rsqrt, positive)
_unary("reciprocal", d2l.math.reciprocal, away_from_zero)
_unary("exp", d2l.exp, uniform)
_unary("expm1", d2l.math.expm1, uniform)
_unary("log", d2l.math.log, positive)
_unary("log1p", d2l.math.log1p, lambda rng, s: uniform(rng, s, -0.6, 2.0))
_unary("sin", d2l.sin, lambda rng, s: uniform(rng, s, -3.0, 3.0))
_unary("cos", d2l.cos, lambda rng, s: uniform(rng, s, -3.0, 3.0))
_unary("tan", d2l.math.tan, lambda rng, s: uniform(rng, s, -1.2, 1.2))
_unary("tanh", d2l.tanh, lambda rng, s: uniform(rng, s, -3.0, 3.0))
_unary("sigmoid", d2l.sigmoid, lambda rng, s: uniform(rng, s, -4.0, 4.0))
_unary("softplus", d2l.math.softplus, lambda rng, s: uniform(rng, s, -4.0, 4.0))
_unary("relu", d2l.nn.relu, away_from_zero)
_unary("leaky_relu", d2l.nn.leaky_relu, away_from_zero)
_unary("elu", d2l.nn.elu, away_from_zero)
_unary("identity", d2l.identity, uniform)
_unary("square_via_pow_int", lambda x: x ** 2, uniform)
_unary("cube_via_pow_float", lambda x: d2l.pow(x, 3.0), uniform)
_unary("l2_loss", d2l.nn.l2_loss, uniform)
_unary("python_control_flow",
       lambda x: d2l.reduce_sum(x * x) if float(d2l.reduce_sum(x)) > 0 else d2l.reduce_sum(x ** 3),
       uniform)


# ================================================================ two inputs, broadcasting

def _binary(name, fn, left=uniform, right=uniform):
    @case(name)
    def make(draw, rng):
        (sx, sy), _ = draw(broadcast_pair())
        return fn, [left(rng, sx), right(rng, sy)]


_binary("add", d2l.add)
_binary("subtract", d2l.subtract)
_binary("multiply", d2l.multiply)
_binary("divide", d2l.divide, right=away_from_zero)
_binary("pow", d2l.pow, left=positive)
_binary("squared_difference", d2l.math.squared_difference)
_binary("operators", lambda x, y: (x + y) * x - y / (x * x + 1.0) + 2.0 ** y, left=uniform)


def _grid_pair(draw, rng):
    """x on multiples of 0.5, y on odd multiples of 0.25: never equal, at least 0.25 apart."""
    (sx, sy), _ = draw(broadcast_pair())
    x = rng.integers(-4, 5, size=sx) * 0.5
    y = rng.integers(-4, 4, size=sy) * 0.5 + 0.25
    return x, y


@case("maximum")
def _maximum(draw, rng):
    return d2l.maximum, list(_grid_pair(draw, rng))


@case("minimum")
def _minimum(draw, rng):
    return d2l.minimum, list(_grid_pair(draw, rng))


@case("mod")
def _mod(draw, rng):
    shape = draw(shapes())
    y = away_from_zero(rng, shape, 0.5, 2.0)
    if draw(st.booleans()):             # a scalar divisor broadcast over x
        y = np.array(rng.choice([-1.5, 1.3]))
    # x = y·(k + f) with f in [0.2, 0.8]: never near a multiple of y, where mod jumps
    x = y * (rng.integers(-3, 3, size=shape) + rng.uniform(0.2, 0.8, size=shape))
    return d2l.mod, [x, y]


@case("where")
def _where(draw, rng):
    (sc, sx, sy), _ = draw(broadcast_pair(num_shapes=3))
    cond = d2l.constant(rng.random(sc) < 0.5)
    return (lambda x, y: d2l.where(cond, x, y)), [uniform(rng, sx), uniform(rng, sy)]


@case("clip_by_value")
def _clip(draw, rng):
    shape = draw(shapes())
    t = rng.integers(-10, 10, size=shape) * 0.1 + 0.05     # never on a bound below
    if draw(st.booleans()):
        return (lambda x: d2l.clip_by_value(x, -0.5, 0.6)), [t]
    bound_shape = shape[draw(st.integers(0, len(shape))):]
    lo = rng.choice([-0.5, -0.3], size=bound_shape)
    hi = rng.choice([0.3, 0.5], size=bound_shape)
    return d2l.clip_by_value, [t, lo, hi]


@case("fill")
def _fill(draw, rng):
    shape = draw(shapes())
    weights = d2l.constant(uniform(rng, shape))
    return (lambda v: d2l.fill(shape, v) * weights), [float(rng.uniform(-2, 2))]


@case("add_n")
def _add_n(draw, rng):
    shape = draw(shapes())
    return (lambda a, b, c: d2l.add_n([a, b, c])), [uniform(rng, shape) for _ in range(3)]


# ================================================================ reductions

def _reduction(name, fn, values=uniform):
    @case(name)
    def make(draw, rng):
        shape = draw(shapes())
        axis, keepdims = axes(draw, len(shape)), draw(st.booleans())
        return (lambda x: fn(x, axis=axis, keepdims=keepdims)), [values(rng, shape)]


_reduction("reduce_sum", d2l.reduce_sum)
_reduction("reduce_mean", d2l.reduce_mean)
_reduction("reduce_prod", d2l.reduce_prod, lambda rng, s: away_from_zero(rng, s, 0.5, 1.5))
_reduction("reduce_max", d2l.reduce_max, distinct)
_reduction("reduce_min", d2l.reduce_min, distinct)
_reduction("reduce_logsumexp", d2l.math.reduce_logsumexp)


@case("norm")
def _norm(draw, rng):
    shape = draw(shapes(min_dims=1))
    ord_ = draw(st.sampled_from(["euclidean", 1, np.inf, 3.0]))
    axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    keepdims = draw(st.booleans())
    if ord_ == np.inf:   # distinct magnitudes away from 0: no ties for the max of |x|
        n = int(np.prod(shape))
        x = ((rng.permutation(n) + 1) * 0.3).reshape(shape) * rng.choice([-1.0, 1.0], size=shape)
    else:
        x = away_from_zero(rng, shape)
    return (lambda t: d2l.norm(t, ord=ord_, axis=axis, keepdims=keepdims)), [x]


@case("norm_frobenius")
def _frobenius(draw, rng):
    shape = draw(shapes(min_dims=2, max_dims=3))
    return (lambda t: d2l.norm(t, axis=[-2, -1])), [away_from_zero(rng, shape)]


@case("norm_matrix_1_and_inf")
def _matrix_norms(draw, rng):
    shape = draw(shapes(min_dims=2, max_dims=3))
    ord_ = draw(st.sampled_from([1, np.inf]))
    axis = draw(st.permutations(range(len(shape))))[:2]
    keepdims = draw(st.booleans())
    # sums of |x| of distinct continuous values: no ties between the summed rows or columns
    return ((lambda t: d2l.norm(t, ord=ord_, axis=list(axis), keepdims=keepdims)),
            [away_from_zero(rng, shape)])


@case("cumsum")
def _cumsum(draw, rng):
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    exclusive, reverse = draw(st.booleans()), draw(st.booleans())
    return (lambda x: d2l.math.cumsum(x, axis, exclusive, reverse)), [uniform(rng, shape)]


@case("cumprod")
def _cumprod(draw, rng):
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    exclusive, reverse = draw(st.booleans()), draw(st.booleans())
    return ((lambda x: d2l.math.cumprod(x, axis, exclusive, reverse)),
            [away_from_zero(rng, shape, 0.5, 1.5)])


# ================================================================ neural-network functions

def _with_axis(name, fn):
    @case(name)
    def make(draw, rng):
        shape = draw(shapes(min_dims=1))
        axis = draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
        return (lambda x: fn(x, axis=axis)), [uniform(rng, shape, -3.0, 3.0)]


_with_axis("softmax", d2l.nn.softmax)
_with_axis("log_softmax", d2l.nn.log_softmax)


@case("softmax_cross_entropy_with_logits")
def _softmax_xent(draw, rng):
    shape = draw(shapes(min_dims=1))
    labels = rng.random(shape)
    labels /= labels.sum(axis=-1, keepdims=True)
    return (lambda z, x: d2l.nn.softmax_cross_entropy_with_logits(z, x)), [
        labels, uniform(rng, shape, -3.0, 3.0)]


@case("sparse_softmax_cross_entropy_with_logits")
def _sparse_xent(draw, rng):
    shape = draw(shapes(min_dims=1))
    labels = d2l.constant(rng.integers(0, shape[-1], size=shape[:-1]).astype(np.int32))
    return (lambda x, z: d2l.nn.sparse_softmax_cross_entropy_with_logits(z, x)), [
        uniform(rng, shape, -3.0, 3.0), labels]


@case("sigmoid_cross_entropy_with_logits")
def _sigmoid_xent(draw, rng):
    shape = draw(shapes())
    return ((lambda z, x: d2l.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)),
            [rng.random(shape), away_from_zero(rng, shape, 0.2, 4.0)])


@case("bias_add")
def _bias_add(draw, rng):
    shape = draw(shapes(min_dims=1))
    return d2l.nn.bias_add, [uniform(rng, shape), uniform(rng, shape[-1:])]


# ================================================================ moving elements

@case("reshape")
def _reshape(draw, rng):
    shape = draw(shapes())
    target = draw(st.sampled_from([(-1,), tuple(reversed(shape)), shape + (1,)]))
    return (lambda x: d2l.reshape(x, target)), [uniform(rng, shape)]


@case("transpose")
def _transpose(draw, rng):
    shape = draw(shapes())
    perm = draw(st.permutations(range(len(shape))))
    return (lambda x: d2l.transpose(x, perm=perm)), [uniform(rng, shape)]


@case("expand_dims")
def _expand_dims(draw, rng):
    shape = draw(shapes())
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return (lambda x: d2l.expand_dims(x, axis)), [uniform(rng, shape)]


@case("squeeze")
def _squeeze(draw, rng):
    shape = draw(shapes(min_side=1, max_side=2))
    ones = [i for i, d in enumerate(shape) if d == 1]
    axis = draw(st.one_of(st.none(), st.lists(st.sampled_from(ones), unique=True, min_size=1)
                          if ones else st.none()))
    return (lambda x: d2l.squeeze(x, axis)), [uniform(rng, shape)]


@case("broadcast_to")
def _broadcast_to(draw, rng):
    shape = draw(shapes(max_side=3))
    target = [draw(st.integers(1, 3)) if d == 1 else d for d in shape]
    target = draw(st.lists(st.integers(1, 3), max_size=1)) + target
    return (lambda x: d2l.broadcast_to(x, target)), [uniform(rng, shape)]


@case("tile")
def _tile(draw, rng):
    shape = draw(shapes(max_side=3))
    reps = draw(st.lists(st.integers(1, 3), min_size=len(shape), max_size=len(shape)))
    return (lambda x: d2l.tile(x, reps)), [uniform(rng, shape)]


@case("concat")
def _concat(draw, rng):
    shape = list(draw(shapes(min_dims=1)))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        s = list(shape)
        s[axis] = draw(st.integers(1, 3))
        parts.append(uniform(rng, s))
    return (lambda *ts: d2l.concat(list(ts), axis=axis)), parts


@case("split")
def _split(draw, rng):
    shape = draw(shapes(min_dims=1, min_side=2))
    axis = draw(st.integers(0, len(shape) - 1))
    n = shape[axis]
    cut = draw(st.integers(1, n - 1))
    sizes = draw(st.sampled_from([[cut, n - cut], [cut, -1], 1]))
    return (lambda x: d2l.split(x, sizes, axis=axis)), [uniform(rng, shape)]


@case("stack")
def _stack(draw, rng):
    shape = draw(shapes())
    axis = draw(st.integers(-len(shape) - 1, len(shape)))
    return (lambda a, b: d2l.stack([a, b], axis=axis)), [uniform(rng, shape), uniform(rng, shape)]


@case("unstack")
def _unstack(draw, rng):
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    return (lambda x: d2l.unstack(x, axis=axis)), [uniform(rng, shape)]


@case("gather")
def _gather(draw, rng):
    shape = draw(shapes(min_dims=1))
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    # repeated indices: their gradients must add up
    idx = d2l.constant(rng.integers(0, shape[axis], size=draw(shapes(max_dims=2, max_side=5))),
                       dtype=d2l.int32)
    return (lambda x: d2l.gather(x, idx, axis=axis)), [uniform(rng, shape)]


@case("boolean_mask")
def _boolean_mask(draw, rng):
    shape = draw(shapes(min_dims=1))
    k = draw(st.integers(1, len(shape)))
    mask = d2l.constant(rng.random(shape[:k]) < 0.6)
    return (lambda x: d2l.boolean_mask(x, mask)), [uniform(rng, shape)]


@st.composite
def index_keys(draw, shape):
    key = []
    for n in shape:
        kind = draw(st.sampled_from(["int", "slice", "all"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            key.append(slice(draw(st.one_of(st.none(), st.integers(-n, n))),
                             draw(st.one_of(st.none(), st.integers(-n, n))),
                             draw(st.sampled_from([None, 1, 2, -1, -2]))))
        else:
            key.append(slice(None))
    if key and draw(st.booleans()):
        key[draw(st.integers(0, len(key) - 1))] = Ellipsis
        if key.count(Ellipsis) > 1:
            key = [k for k in key if k is not Ellipsis] + [Ellipsis]
    if draw(st.booleans()):
        key.insert(draw(st.integers(0, len(key))), None)
    return tuple(key)


@case("getitem")
def _getitem(draw, rng):
    shape = draw(shapes(min_dims=1))
    key = draw(index_keys(shape))
    return (lambda x: x[key]), [uniform(rng, shape)]


# ================================================================ matrix products

@case("matmul")
def _matmul(draw, rng):
    (ba, bb), _ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ta, tb = draw(st.booleans()), draw(st.booleans())
    a = uniform(rng, ba + ((k, n) if ta else (n, k)))
    b = uniform(rng, bb + ((m, k) if tb else (k, m)))
    return (lambda x, y: d2l.matmul(x, y, transpose_a=ta, transpose_b=tb)), [a, b]


@case("matmul_operator")
def _matmul_operator(draw, rng):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    return (lambda x, y: x @ y), [uniform(rng, (n, k)), uniform(rng, (k, m))]


@case("tensordot")
def _tensordot(draw, rng):
    a_shape = draw(shapes(min_dims=1, max_dims=3, max_side=3))
    k = draw(st.integers(0, len(a_shape)))
    contracted = list(range(len(a_shape) - k, len(a_shape)))
    b_free = draw(shapes(min_dims=0, max_dims=2, max_side=3))
    b_shape = tuple(a_shape[i] for i in contracted) + b_free
    if draw(st.booleans()):
        axes_ = k
    else:
        axes_ = [contracted, list(range(k))]
    return (lambda a, b: d2l.tensordot(a, b, axes_)), [uniform(rng, a_shape),
                                                        uniform(rng, b_shape)]


# ================================================================ the tests

@pytest.mark.parametrize("name", sorted(CASES))
@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2 ** 32 - 1))
def test_gradient_matches_finite_differences(name, data, seed):
    f, args = CASES[name](data.draw, np.random.default_rng(seed))
    check_gradients(f, args, order=2, seed=seed)


def test_every_differentiable_op_is_checked():
    """A new op added to the public namespaces should get a case here."""
    covered = {"negative", "abs", "sign", "square", "sqrt", "rsqrt", "reciprocal", "exp",
               "expm1", "log", "log1p", "sin", "cos", "tan", "tanh", "sigmoid", "softplus",
               "relu", "leaky_relu", "elu", "identity", "pow", "l2_loss", "add", "subtract",
               "multiply", "divide", "squared_difference", "maximum", "minimum", "mod", "where",
               "clip_by_value", "add_n", "reduce_sum", "reduce_mean", "reduce_prod", "reduce_max",
               "reduce_min", "reduce_logsumexp", "norm", "cumsum", "cumprod", "softmax",
               "log_softmax", "softmax_cross_entropy_with_logits",
               "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
               "bias_add", "reshape", "transpose", "expand_dims", "squeeze", "broadcast_to",
               "tile", "concat", "split", "stack", "unstack", "gather", "boolean_mask", "matmul",
               "tensordot", "fill"}
    assert covered <= set(CASES)


# ================================================================ what finite differences can't see

def test_float_to_float_cast_passes_the_gradient_back_in_the_source_dtype():
    x = d2l.constant(np.array([1.5, -2.0]))                     # float64
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            y = d2l.reduce_sum(d2l.cast(x, d2l.float32) ** 3)   # float32 inside
        g = inner.gradient(y, x)
    gg = outer.gradient(g, x)
    assert g.dtype == d2l.float64 and gg.dtype == d2l.float64
    np.testing.assert_allclose(g.numpy(), 3 * x.numpy() ** 2, rtol=1e-6)
    np.testing.assert_allclose(gg.numpy(), 6 * x.numpy(), rtol=1e-6)


def test_cast_to_an_integer_cuts_the_gradient():
    x = d2l.constant([1.5, 2.5])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.cast(d2l.cast(x, d2l.int32), d2l.float32) * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])


def test_reduce_max_splits_the_gradient_evenly_between_ties():
    x = d2l.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_max(x, axis=1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def test_reduce_min_over_everything_splits_ties_too():
    x = d2l.constant([1.0, 5.0, 1.0, 1.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_min(x) * 6.0
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2, 0, 2, 2])


def test_maximum_and_minimum_give_ties_to_the_first_input():
    x, y = d2l.constant([1.0, 2.0]), d2l.constant([1.0, 0.0])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        hi, lo = d2l.maximum(x, y), d2l.minimum(x, y)
    assert tape.gradient(hi, [x, y])[0].numpy().tolist() == [1.0, 1.0]
    assert tape.gradient(hi, [x, y])[1].numpy().tolist() == [0.0, 0.0]
    assert tape.gradient(lo, [x, y])[0].numpy().tolist() == [1.0, 0.0]
    assert tape.gradient(lo, [x, y])[1].numpy().tolist() == [0.0, 1.0]


def test_abs_and_relu_have_zero_slope_at_zero_as_in_tensorflow():
    x = d2l.constant([0.0, -1.0, 2.0])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, r = d2l.abs(x), d2l.nn.relu(x)
    assert tape.gradient(a, x).numpy().tolist() == [0.0, -1.0, 1.0]
    assert tape.gradient(r, x).numpy().tolist() == [0.0, 0.0, 1.0]


def test_clip_by_value_passes_the_gradient_at_the_bounds():
    x = d2l.constant([-1.0, 0.0, 0.5, 1.0, 2.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.clip_by_value(x, 0.0, 1.0)
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_gather_with_repeated_indices_accumulates():
    x = d2l.constant([10.0, 20.0, 30.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.gather(x, [2, 0, 2, 2])
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 0.0, 3.0]


def test_broadcasting_gradients_are_summed_back_to_the_input_shape():
    a, b = d2l.constant(np.ones((3, 1))), d2l.constant(np.ones((4,)))
    with d2l.GradientTape() as tape:
        tape.watch([a, b])
        y = a * b * 2.0
    ga, gb = tape.gradient(y, [a, b])
    assert ga.shape == (3, 1) and gb.shape == (4,)
    assert ga.numpy().ravel().tolist() == [8.0] * 3 and gb.numpy().tolist() == [6.0] * 4


def test_slicing_scatters_the_gradient_back_into_zeros():
    x = d2l.constant(np.arange(12.0).reshape(3, 4))
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_sum(x[1:, ::2] * 3.0) + x[0, -1]
    expected = np.zeros((3, 4))
    expected[1:, ::2] = 3.0
    expected[0, -1] = 1.0
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), expected)


# ================================================================ ops with several outputs

@pytest.mark.parametrize("name, pieces", [
    ("unstack", lambda x: d2l.unstack(x)),
    ("unstack", lambda x: list(x)),                    # iterating a tensor unstacks it
    ("unstack", lambda x: [row for row in x]),
    ("unstack", lambda x: d2l.unstack(x, axis=1)),
    ("split", lambda x: d2l.split(x, 50)),
    ("split", lambda x: d2l.split(x, [10, 0, -1])),
])
def test_unstack_split_and_iteration_record_one_op_for_all_pieces(name, pieces):
    # One record with every piece as an output, not one record per piece, whose
    # gradient would be a full-size tensor of zeros (n of them: O(n²) work).
    x = d2l.zeros((50, 3))
    with d2l.GradientTape() as tape:
        tape.watch(x)
        parts = pieces(x)
        y = d2l.add_n([d2l.reduce_sum(p) for p in parts])
    (op, inputs, output), = [r for r in tape.records() if r[0] == name]
    assert inputs[0] is x and len(output) == len(parts)    # every piece is an output
    assert all(out is part for out, part in zip(output, parts))
    assert [op for op, inputs, output in tape.records()].count(name) == 1
    assert tape.gradient(y, x).numpy().tolist() == np.ones((50, 3)).tolist()


def test_pieces_that_get_no_gradient_give_zeros():
    x = d2l.constant(np.arange(12.0).reshape(4, 3))
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        rows = list(x)
        y = rows[1] * 2.0 + rows[3]
        first, rest = d2l.split(x, [1, 3], axis=0)
        z = d2l.reduce_sum(first * first)
    expected = np.zeros((4, 3))
    expected[1], expected[3] = 2.0, 1.0
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), expected)
    expected = np.zeros((4, 3))
    expected[0] = 2 * np.arange(3.0)
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), expected)
    # A piece may itself be a source; unused pieces and x still get theirs.
    ga, gx = tape.gradient(y, [rows[1], x])
    assert ga.numpy().tolist() == [2.0, 2.0, 2.0] and gx.shape == (4, 3)
    assert tape.gradient(y, rows[0]) is None


def test_second_derivative_through_iteration_and_split():
    x = d2l.constant([[0.5, -1.0], [2.0, 1.5]])
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            a, b = d2l.split(x, 2, axis=1)
            y = d2l.add_n([d2l.reduce_sum(row ** 3) for row in x]) + d2l.reduce_sum(a * b)
        g = inner.gradient(y, x)                # 3x² + (b, a)
    gg = outer.gradient(g, x)                   # 6x + (1, 1)
    v = x.numpy()
    np.testing.assert_allclose(g.numpy(), 3 * v ** 2 + v[:, ::-1], rtol=1e-6)
    np.testing.assert_allclose(gg.numpy(), 6 * v + 1, rtol=1e-6)


def test_jacobian_through_unstack():
    x = d2l.constant([1.0, 2.0, 3.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        a, b, c = d2l.unstack(x)
        y = d2l.stack([a * b, c])
    np.testing.assert_array_equal(tape.jacobian(y, x).numpy(), [[2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


# ================================================================ the checker itself

def _custom_op(forward, backward):
    """An op whose backward is ``backward(dy, x)``, recorded like the engine's own ops
    (an unregistered OpDef, so the registry's coverage tests do not see it)."""
    from d2l_core import _recording
    from d2l_core.ops import _op
    from d2l_core.ops.registry import OpDef

    entry = OpDef("custom", None, "Custom", (), grad=lambda dy, inputs, y, attrs: (
        backward(dy, inputs[0]),))

    def op(x):
        x = _op.as_tensor(x)
        y = _op.wrap(forward(x.numpy()))
        if _op.tapes:
            _recording.record(entry, (x,), y)
        return y
    return op


def test_check_gradients_passes_correct_functions_up_to_third_order():
    check_gradients(lambda x, y: d2l.sin(x) * y + d2l.exp(x * y), [np.array([0.3, -0.7]), 1.5],
                    order=3)


def test_check_gradients_names_the_argument_and_the_worst_element():
    wrong = _custom_op(np.sin, lambda dy, x: dy * d2l.cos(x) * d2l.constant(np.array([1.0, 1.0,
                                                                                    3.0])))
    with pytest.raises(AssertionError) as info:
        check_gradients(lambda a, b: wrong(b) * a, [2.0, np.array([0.1, 0.2, 0.3])])
    message = str(info.value)
    assert "order 1" in message and "argument 'b' (position 1, shape (3,))" in message
    assert "Worst element: b[2]" in message
    assert "analytic (from the tape)" in message and "numeric (finite differences)" in message
    assert "relative error" in message and "Hint:" in message


def test_check_gradients_scalar_outputs_report_plain_derivatives():
    def half(x):
        return d2l.reduce_sum(x * d2l.stop_gradient(x))     # the tape sees x·c: gradient c
    with pytest.raises(AssertionError) as info:
        check_gradients(half, [np.array([1.0, 3.0])])
    message = str(info.value)
    assert "analytic (from the tape):     3\n" in message
    assert "numeric (finite differences): 6" in message
    assert "factor of 2" in message


def test_check_gradients_catches_a_backward_pass_written_in_numpy_at_order_2_only():
    numpy_backward = _custom_op(np.sin, lambda dy, x: d2l.constant(np.cos(x.numpy())) * dy)
    x = np.array([0.3, 1.1])
    check_gradients(numpy_backward, [x], order=1)
    with pytest.raises(AssertionError) as info:
        check_gradients(numpy_backward, [x], order=2)
    assert "order 2" in str(info.value) and "NumPy or .numpy()" in str(info.value)


def test_check_gradients_says_when_the_tape_found_no_path():
    with pytest.raises(AssertionError, match=r"no path from this argument"):
        check_gradients(lambda x: d2l.constant(np.sin(x.numpy())), [np.array([0.5])])


def test_check_gradients_explains_points_outside_the_domain():
    with pytest.raises(AssertionError, match="not finite"):
        check_gradients(d2l.sqrt, [np.array([0.0, 1.0])])


def test_check_gradients_passes_integer_arguments_through_and_honours_wrt():
    labels = d2l.constant([0, 2])
    check_gradients(lambda logits, z: d2l.nn.sparse_softmax_cross_entropy_with_logits(z, logits),
                    [np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]), labels])
    broken_in_b = _custom_op(np.sin, lambda dy, x: dy)
    check_gradients(lambda a, b: a * 3.0 + broken_in_b(b), [1.0, 0.5], wrt=[0])
    with pytest.raises(ValueError, match="not a floating-point argument"):
        check_gradients(lambda a, z: a * 2.0, [1.0, labels], wrt=1)


def test_check_gradients_notices_a_function_that_is_not_deterministic():
    rng = np.random.default_rng(0)
    with pytest.raises(AssertionError, match="different results at the same point"):
        check_gradients(lambda x: x * d2l.constant(rng.uniform(size=2)), [np.array([1.0, 2.0])])


def test_check_gradients_needs_float64_tensor_outputs():
    with pytest.raises(TypeError, match="returned a float32 tensor"):
        check_gradients(lambda x: d2l.cast(x, d2l.float32), [np.array([1.0])])
    with pytest.raises(TypeError, match="must return a d2l Tensor"):
        check_gradients(lambda x: 3.0, [np.array([1.0])])
    with pytest.raises(ValueError, match="no floating-point argument"):
        check_gradients(lambda n: n, [3])


def test_sigmoid_cross_entropy_gradient_at_zero_logits_is_sigma_minus_label():
    # Zero logits are where logistic regression starts; max(x, 0) and |x| have kinks
    # there, so the formula must be written so that dL/dx = σ(x) - z exactly.
    x = d2l.constant([0.0, 0.0, 1.0])
    z = d2l.constant([1.0, 0.0, 1.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        loss = d2l.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    expected = 1 / (1 + np.exp(-x.numpy())) - z.numpy()
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected, rtol=1e-6)
