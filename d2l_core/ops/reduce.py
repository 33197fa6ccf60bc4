"""Reductions: sums, means, extremes and norms over some or all axes.

``axis`` may be None (every axis), an int, negative, or a list/tuple of them;
``keepdims=True`` keeps reduced axes with length 1 so the result broadcasts
back against the input.

>>> import d2l_core as d2l
>>> x = d2l.constant([[1, 2, 3], [4, 5, 6]])
>>> d2l.reduce_sum(x).numpy(), d2l.reduce_sum(x, axis=0).numpy()
(np.int32(21), array([5, 7, 9], dtype=int32))
"""
import math

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ._op import (arrays, as_tensor, check_dtype, numbers_only, normalize_axis, record, tapes, wrap,
                  xp_of)
from .array import broadcast_to, reshape, stop_gradient, transpose
from .broadcast import expand_back, reduce_sum, reduction  # noqa: F401  (reduce_sum re-exported)
from .array import ones_like
from .math import (abs, add, cast, divide, equal, exp, greater, log, maximum, multiply,  # noqa: A004
                   pow, sqrt, square, subtract, where)
from .registry import (BOOLS, COMPOSITE, NOT_DIFFERENTIABLE, NUMBERS, REDUCE, Sample, Test,
                       away_from_zero, distinct, gradient, op, random_axis, random_shape)


# ================================================================ test data (see ops/registry.py)

def _cumulative_samples(fn, rng):
    x = away_from_zero(0.5, 1.5)(rng, random_shape(rng, min_dims=1))
    axis = random_axis(rng, x.ndim)
    exclusive, reverse = (bool(b) for b in rng.integers(2, size=2))
    running = np.cumsum if fn is cumsum else np.cumprod

    def reference(a):
        b = np.flip(a, axis) if reverse else a
        out = running(b, axis)
        if exclusive:                   # each element's own term left out
            out = out - b if fn is cumsum else out / b
        return np.flip(out, axis) if reverse else out
    return [Sample(lambda x: fn(x, axis, exclusive=exclusive, reverse=reverse), (x,), reference)]


def _arg_samples(fn, ref, rng):
    x = distinct()(rng, (3, 4))
    return [Sample(lambda x: fn(x, axis=1), (x,), lambda a: ref(a, axis=1)),
            Sample(lambda x: fn(x, output_type=dtypes.int32), (x,), lambda a: ref(a, 0).astype(np.int32))]


def _vector_norm(a, ord, axis, keepdims):
    if ord == np.inf:
        return np.abs(a).max(axis=axis, keepdims=keepdims)
    p = 2.0 if ord == "euclidean" else ord
    return (np.abs(a) ** p).sum(axis=axis, keepdims=keepdims) ** (1 / p)


def _matrix_norm(a, ord, axis, keepdims):
    rows, cols = axis
    if ord in ("euclidean", "fro"):
        return np.sqrt((a * a).sum(axis=tuple(axis), keepdims=keepdims))
    inner, outer = (rows, cols) if ord == 1 else (cols, rows)
    out = np.abs(a).sum(axis=inner, keepdims=True).max(axis=outer, keepdims=True)
    return out if keepdims else np.squeeze(out, tuple(axis))


def _norm_samples(rng):
    """A vector norm (of everything or along one axis) and a matrix norm over two axes."""
    shape = random_shape(rng, min_dims=1)
    ord_ = [2.0, "euclidean", 1, np.inf, 3.0][int(rng.integers(5))]
    axis, keep = random_axis(rng, len(shape), none=True), bool(rng.integers(2))
    if ord_ == np.inf:      # magnitudes 0.3 apart, none near 0: no ties for the max of |x|
        signs = rng.choice([-1.0, 1.0], shape)
        x = (rng.permutation(np.prod(shape)).reshape(shape) + 1.0) * 0.3 * signs
    else:
        x = away_from_zero()(rng, shape)
    m = away_from_zero()(rng, random_shape(rng, min_dims=2))   # sums of |m| do not tie
    m_ord = ["euclidean", "fro", 1, np.inf][int(rng.integers(4))]
    pair = [int(a) - m.ndim * int(rng.integers(2)) for a in rng.permutation(m.ndim)[:2]]
    m_keep = bool(rng.integers(2))
    return [Sample(lambda x: norm(x, ord=ord_, axis=axis, keepdims=keep), (x,),
                   lambda a: _vector_norm(a, ord_, axis, keep)),
            Sample(lambda m: norm(m, ord=m_ord, axis=pair, keepdims=m_keep), (m,),
                   lambda a: _matrix_norm(a, m_ord, pair, m_keep))]


@op("Mean", exports=("", "math"), kind=REDUCE, test=Test(np.mean),
    kernel=lambda a, axis=None, keepdims=False: a.mean(
        axis=tuple(axis) if type(axis) is list else axis, keepdims=keepdims, dtype=a.dtype)
    if a.dtype.kind == "f" and a.size else _mean_kernel(
        a, normalize_axis("reduce_mean", axis, a.ndim), keepdims))
def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over ``axis`` (``tf.reduce_mean``).

    The mean keeps the input's dtype, so integer means are truncated toward
    zero, as in TensorFlow: cast to float first for the exact mean.

    >>> d2l.reduce_mean([1.0, 2.0, 3.0, 4.0]).numpy()
    np.float32(2.5)
    >>> d2l.reduce_mean([1, 2]).numpy(), d2l.reduce_mean([-1, -2]).numpy()
    (np.int32(1), np.int32(-1))
    """
    return reduction("reduce_mean", input_tensor, axis, keepdims, _mean_kernel)


def _mean_kernel(a, axis, keepdims):
    if a.dtype.kind in "iu":
        count = max(math.prod([a.shape[i] for i in axis]), 1)
        total = a.sum(axis=axis, keepdims=keepdims, dtype=np.int64 if a.dtype.kind == "i" else np.uint64)
        quotient = np.abs(total) // count               # C's division truncates toward zero
        return np.where(total < 0, -quotient, quotient).astype(a.dtype)
    if a.size == 0:                    # the mean of nothing is nan, without NumPy's warning
        with np.errstate(invalid="ignore", divide="ignore"):
            return a.sum(axis=axis, keepdims=keepdims, dtype=a.dtype) / a.dtype.type(0)
    return a.mean(axis=axis, keepdims=keepdims, dtype=a.dtype)


@gradient("reduce_mean")
def _mean_grad(dy, inputs, y, attrs):
    (x,) = inputs
    count = math.prod([x._value.shape[i] for i in attrs["axes"]])
    return (divide(_spread(dy, x, attrs), max(count, 1)),)


def _spread(dy, x, attrs):
    """A reduction's dy copied back to every element of its input x."""
    return broadcast_to(expand_back(dy, x, attrs), x._value.shape)


@op("Prod", exports=("", "math"), kind=REDUCE,
    test=Test(np.prod, domain=away_from_zero(0.5, 1.5)))
def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product over ``axis`` (``tf.reduce_prod``).

    >>> d2l.reduce_prod([1.0, 2.0, 3.0]).numpy()
    np.float32(6.0)
    """
    return reduction("reduce_prod", input_tensor, axis, keepdims,
                     lambda a, axis, keepdims: a.prod(axis=axis, keepdims=keepdims, dtype=a.dtype))


@gradient("reduce_prod")
def _prod_grad(dy, inputs, y, attrs):
    # d(prod)/dx_i is the product of all the other elements. Dividing y by x_i
    # fails at zeros, so multiply exclusive cumulative products from both sides.
    (x,), axes = inputs, attrs["axes"]
    shape = x._value.shape
    kept = [i for i in range(len(shape)) if i not in axes]
    perm = kept + list(axes)
    xt = transpose(x, perm)
    outer = [shape[i] for i in kept]
    n = int(np.prod([shape[i] for i in axes])) if axes else 1
    flat = reshape(xt, outer + [n])
    others = multiply(cumprod(flat, axis=-1, exclusive=True),
                      cumprod(flat, axis=-1, exclusive=True, reverse=True))
    back = transpose(reshape(others, [shape[i] for i in perm]), list(np.argsort(perm)))
    return (multiply(_spread(dy, x, attrs), back),)


@op("Cumsum", exports=("math",), test=Test(samples=lambda rng: _cumulative_samples(cumsum, rng)))
def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sum along ``axis`` (``tf.math.cumsum``).

    >>> d2l.math.cumsum([1, 2, 3]).numpy()
    array([1, 3, 6], dtype=int32)
    >>> d2l.math.cumsum([1, 2, 3], exclusive=True, reverse=True).numpy()
    array([5, 3, 0], dtype=int32)
    """
    return _cumulative("cumsum", x, axis, exclusive, reverse, np.cumsum)


@op("Cumprod", exports=("math",),
    test=Test(samples=lambda rng: _cumulative_samples(cumprod, rng)))
def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running product along ``axis`` (``tf.math.cumprod``).

    >>> d2l.math.cumprod([1, 2, 3]).numpy()
    array([1, 2, 6], dtype=int32)
    """
    return _cumulative("cumprod", x, axis, exclusive, reverse, np.cumprod)


def _cumulative(op, x, axis, exclusive, reverse, kernel):
    x = as_tensor(x)
    if not x._dtype.is_numeric:
        numbers_only(op, x)
    (a,) = arrays(op, x)
    (ax,) = normalize_axis(op, axis, a.ndim)
    b = np.flip(a, ax) if reverse else a
    out = kernel(b, axis=ax, dtype=a.dtype)
    if exclusive:
        identity = 0 if kernel is np.cumsum else 1
        pad = [(0, 0)] * a.ndim
        pad[ax] = (1, 0)
        out = np.pad(out, pad, constant_values=identity)   # NumPy's or CuPy's pad, by dispatch
        out = out[(slice(None),) * ax + (slice(0, a.shape[ax]),)]
    if reverse:
        out = np.flip(out, ax)
    y = wrap(xp_of(a).ascontiguousarray(out))
    if tapes:
        record(op, (x,), y, {"axis": ax, "exclusive": exclusive, "reverse": reverse})
    return y


@gradient("cumsum")
def _cumsum_grad(dy, inputs, y, attrs):
    return (cumsum(dy, attrs["axis"], attrs["exclusive"], not attrs["reverse"]),)


@gradient("cumprod")
def _cumprod_grad(dy, inputs, y, attrs):
    # Exact where x has no zeros (the case gradient checks and training meet).
    (x,) = inputs
    return (divide(cumsum(multiply(dy, y), attrs["axis"], attrs["exclusive"],
                          not attrs["reverse"]), x),)


def _extreme(op, kernel, lowest):
    # Over no elements, TensorFlow returns the reduction's identity: -inf (or the
    # dtype's minimum) for a max, +inf (or the maximum) for a min.
    def run(a, axis, keepdims):
        if a.size:
            return kernel(a, axis=axis, keepdims=keepdims)
        if a.dtype.kind == "f":
            initial = -np.inf if lowest else np.inf
        else:
            info = np.iinfo(a.dtype)
            initial = info.min if lowest else info.max
        shape = tuple(1 if i in axis else d for i, d in enumerate(a.shape)
                      if keepdims or i not in axis)
        return xp_of(a).full(shape, initial, dtype=a.dtype)

    def reduce_extreme(input_tensor, axis=None, keepdims=False, name=None):
        return reduction(op, input_tensor, axis, keepdims, run)
    reduce_extreme.__name__ = op
    return reduce_extreme


def _extreme_grad(dy, inputs, y, attrs):
    # TensorFlow splits the gradient evenly between tied extremes.
    (x,) = inputs
    hits = cast(equal(x, expand_back(y, x, attrs)), x._dtype)
    ties = reduce_sum(hits, axis=attrs["axes"], keepdims=True)
    return (divide(multiply(_spread(dy, x, attrs), hits), ties),)


reduce_max = op("Max", exports=("", "math"), kind=REDUCE, grad=_extreme_grad,
                test=Test(np.max, domain=distinct(), dtypes=NUMBERS))(
    _extreme("reduce_max", np.max, lowest=True))
reduce_max.__doc__ = """Largest element over ``axis`` (``tf.reduce_max``). Ties share the gradient.

Over an empty axis the result is -inf (the dtype's minimum for integers), as in TensorFlow.

>>> d2l.reduce_max([[1, 5], [7, 2]], axis=1).numpy()
array([5, 7], dtype=int32)
"""
reduce_min = op("Min", exports=("", "math"), kind=REDUCE, grad=_extreme_grad,
                test=Test(np.min, domain=distinct(), dtypes=NUMBERS))(
    _extreme("reduce_min", np.min, lowest=False))
reduce_min.__doc__ = """Smallest element over ``axis`` (``tf.reduce_min``). Ties share the gradient.

Over an empty axis the result is +inf (the dtype's maximum for integers), as in TensorFlow.

>>> d2l.reduce_min([[1, 5], [7, 2]], axis=0).numpy()
array([1, 2], dtype=int32)
"""


def _bool_reduce(op, kernel):
    def reduce_bool(input_tensor, axis=None, keepdims=False, name=None):
        x = as_tensor(input_tensor)
        check_dtype(op, x, lambda d: d.is_bool, "a bool",
                    "a comparison such as x > 0, or d2l.cast(x, d2l.bool)")
        return reduction(op, x, axis, keepdims, kernel, arithmetic=False)
    reduce_bool.__name__ = op
    return reduce_bool


reduce_all = op("All", exports=("", "math"), kind=REDUCE, grad=NOT_DIFFERENTIABLE,
                test=Test(np.all, dtypes=BOOLS))(_bool_reduce("reduce_all", np.all))
reduce_all.__doc__ = """True where every element over ``axis`` is True (``tf.reduce_all``).

>>> d2l.reduce_all([[True, False], [True, True]], axis=1).numpy()
array([False,  True])
"""
reduce_any = op("Any", exports=("", "math"), kind=REDUCE, grad=NOT_DIFFERENTIABLE,
                test=Test(np.any, dtypes=BOOLS))(_bool_reduce("reduce_any", np.any))
reduce_any.__doc__ = """True where any element over ``axis`` is True (``tf.reduce_any``).

>>> d2l.reduce_any([[True, False], [False, False]], axis=1).numpy()
array([ True, False])
"""


@op("ReduceLogSumExp", exports=("", "math"), kind=REDUCE, grad=COMPOSITE,
    test=Test(lambda a, axis, keepdims: np.log(np.sum(np.exp(a), axis=axis, keepdims=keepdims))))
def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """ln Σ exp(x) over ``axis``, computed without overflow (``tf.math.reduce_logsumexp``).

    >>> d2l.math.reduce_logsumexp([1000.0, 1000.0]).numpy()
    np.float32(1000.6932)
    """
    x = as_tensor(input_tensor)
    check_dtype("reduce_logsumexp", x, lambda d: d.is_floating, "a floating-point")
    axes = normalize_axis("reduce_logsumexp", axis, x.ndim)
    m = stop_gradient(reduce_max(x, axis=axes, keepdims=True))
    (mv,) = arrays("reduce_logsumexp", m)
    m = wrap(np.where(np.isfinite(mv), mv, 0).astype(mv.dtype))
    out = add(log(reduce_sum(exp(subtract(x, m)), axis=axes, keepdims=True)), m)
    if not keepdims:
        out = reshape(out, [d for i, d in enumerate(x._value.shape) if i not in axes])
    return out


def _arg_extreme(op, kernel):
    def arg_extreme(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
        x = as_tensor(input)
        if x._dtype is dtypes.string:      # bools have an order (False < True), strings not here
            numbers_only(op, x)
        (a,) = arrays(op, x)
        if a.ndim == 0:
            raise InvalidArgumentError(f"{op}: needs a tensor of rank >= 1 to pick an index "
                                       "from, got a scalar", op=op)
        (ax,) = normalize_axis(op, 0 if axis is None else axis, a.ndim)
        if a.shape[ax] == 0:
            raise InvalidArgumentError(f"{op}: axis {ax} has length 0", op=op)
        return wrap(kernel(a, axis=ax).astype(dtypes.as_dtype(output_type).np))
    arg_extreme.__name__ = op
    return arg_extreme


argmax = op("ArgMax", exports=("", "math"), grad=NOT_DIFFERENTIABLE,
            test=Test(samples=lambda rng: _arg_samples(argmax, np.argmax, rng)))(
    _arg_extreme("argmax", np.argmax))
argmax.__doc__ = """Index of the largest element along ``axis`` (default 0) as int64 (``tf.argmax``).

>>> d2l.argmax([[1, 9, 3], [7, 2, 8]], axis=1).numpy()
array([1, 2])
"""
argmin = op("ArgMin", exports=("", "math"), grad=NOT_DIFFERENTIABLE,
            test=Test(samples=lambda rng: _arg_samples(argmin, np.argmin, rng)))(
    _arg_extreme("argmin", np.argmin))
argmin.__doc__ = """Index of the smallest element along ``axis`` (default 0) as int64 (``tf.argmin``).

>>> d2l.argmin([[1, 9, 3], [7, 2, 8]], axis=1).numpy()
array([0, 1])
"""


@op("EuclideanNorm", exports=("", "linalg"), grad=COMPOSITE, test=Test(samples=_norm_samples))
def norm(tensor, ord="euclidean", axis=None, keepdims=False, name=None):  # noqa: A002
    """Vector norm of ``tensor`` over ``axis`` (``tf.norm``, ``tf.linalg.norm``).

    ``ord`` is 'euclidean' (or 2), 1, np.inf or another positive number. With
    ``axis=None`` the whole tensor is treated as one vector (TensorFlow's
    default). With two axes it is a matrix norm: 'euclidean'/'fro' (the
    Frobenius norm), 1 (largest column sum of ``|x|``) or np.inf (largest row sum).

    >>> d2l.norm([[3.0, 4.0]]).numpy()
    np.float32(5.0)
    >>> d2l.norm([[3.0, -4.0]], ord=1, axis=1).numpy()
    array([7.], dtype=float32)
    >>> d2l.norm([[1.0, -2.0], [3.0, 4.0]], ord=1, axis=[0, 1]).numpy()
    np.float32(6.0)
    """
    x = as_tensor(tensor)
    check_dtype("norm", x, lambda d: d.is_floating or d.is_complex, "a floating-point")
    if hasattr(axis, "_value"):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)) and len(axis) == 2:
        rows, cols = (normalize_axis("norm", a, x.ndim)[0] for a in axis)
        if rows == cols:
            raise InvalidArgumentError(f"norm: the two axes {list(axis)} name one axis twice",
                                       op="norm")
        if ord in ("euclidean", "fro"):
            return sqrt(reduce_sum(square(abs(x)), axis=axis, keepdims=keepdims))
        if ord in (1, np.inf):
            inner, outer = (rows, cols) if ord == 1 else (cols, rows)
            sums = reduce_sum(abs(x), axis=inner, keepdims=True)
            out = reduce_max(sums, axis=outer, keepdims=True)
            if keepdims:
                return out
            return reshape(out, [d for i, d in enumerate(x._value.shape) if i not in (rows, cols)])
        raise InvalidArgumentError(
            f"norm: over two axes, ord must be 'euclidean', 'fro', 1 or np.inf, got {ord!r} "
            "(the spectral norm ord=2 needs a singular value decomposition, not supported)",
            op="norm")
    if isinstance(axis, (list, tuple)) and len(axis) != 1:
        raise InvalidArgumentError(f"norm: axis must be None, one axis or two axes, got {axis}",
                                   op="norm")
    if ord in ("euclidean", 2, 2.0):
        return sqrt(reduce_sum(square(abs(x) if x._dtype.is_complex else x),
                               axis=axis, keepdims=keepdims))
    if ord in (1, 1.0):
        return reduce_sum(abs(x), axis=axis, keepdims=keepdims)
    if ord == np.inf:
        return reduce_max(abs(x), axis=axis, keepdims=keepdims)
    if isinstance(ord, (int, float)) and ord > 0:
        return pow(reduce_sum(pow(abs(x), float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)
    raise ValueError(f"norm: ord must be 'euclidean', 1, 2, np.inf or a positive number, got {ord!r}")


@op("ReduceVariance", exports=("math",), kind=REDUCE, grad=COMPOSITE, test=Test(np.var))
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance over ``axis``: the mean of squared deviations from the mean (``tf.math.reduce_variance``).

    >>> d2l.math.reduce_variance([[1.0, 2.0], [3.0, 4.0]], axis=0).numpy()
    array([1., 1.], dtype=float32)
    """
    x = as_tensor(input_tensor)
    check_dtype("reduce_variance", x, lambda d: d.is_floating or d.is_complex, "a floating-point")
    mean = reduce_mean(x, axis=axis, keepdims=True)
    return reduce_mean(square(subtract(x, mean)), axis=axis, keepdims=keepdims)


def _std_samples(rng):
    # a spread of at least two different values: √ has no derivative at a variance of 0
    x = away_from_zero()(rng, (3, 4))
    return [Sample(reduce_std, (x,), np.std),
            Sample(lambda x: reduce_std(x, axis=[0], keepdims=True), (x,),
                   lambda a: np.std(a, axis=0, keepdims=True))]


@op("ReduceStd", exports=("math",), kind=REDUCE, grad=COMPOSITE,
    test=Test(np.std, smooth=False, samples=_std_samples))
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation over ``axis``, the square root of the variance (``tf.math.reduce_std``).

    >>> d2l.math.reduce_std([1.0, 3.0]).numpy()
    np.float32(1.0)
    """
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def _clip_by_norm_samples(rng):
    shape = random_shape(rng, min_dims=1)
    t = away_from_zero(0.3, 1.5)(rng, shape)
    axes = random_axis(rng, len(shape), none=True)
    clip = float(rng.choice([0.5, 1.0, 100.0]))     # clipped, or left alone

    def reference(a):
        norm = np.sqrt((a * a).sum(axis=axes, keepdims=True))
        return a * clip / np.maximum(norm, clip)
    return [Sample(lambda x: clip_by_norm(x, clip, axes=axes), (t,), reference)]


@op("ClipByNorm", exports=("",), grad=COMPOSITE, test=Test(samples=_clip_by_norm_samples))
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Scale ``t`` down so its L2 norm over ``axes`` is at most ``clip_norm`` (``tf.clip_by_norm``).

    ``t * clip_norm / max(norm(t), clip_norm)``: unchanged when already short enough.

    >>> d2l.clip_by_norm([3.0, 4.0], 1.0).numpy()
    array([0.6, 0.8], dtype=float32)
    """
    t = as_tensor(t)
    check_dtype("clip_by_norm", t, lambda d: d.is_floating, "a floating-point")
    l2sum = reduce_sum(t * t, axis=axes, keepdims=True)
    nonzero = greater(l2sum, 0.0)       # sqrt's gradient at 0 is infinite: keep it out, as TF does
    l2norm = where(nonzero, sqrt(where(nonzero, l2sum, ones_like(l2sum))), l2sum)
    return divide(t * clip_norm, maximum(l2norm, clip_norm))
