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
import numbers

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from ._op import (_device_stack, _np_ndarray, _placement, arrays, as_tensor, check_dtype, no_bool,
                  record, tapes, wrap, xp_of)
from .math import abs, cast, divide, equal, multiply, sqrt, square  # noqa: A004


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over ``axis`` (``tf.reduce_mean``).

    The mean keeps the input's dtype, so integer means are truncated toward
    zero, as in TensorFlow: cast to float first for the exact mean.

    >>> d2l.reduce_mean([1.0, 2.0, 3.0, 4.0]).numpy()
    np.float32(2.5)
    >>> d2l.reduce_mean([1, 2]).numpy(), d2l.reduce_mean([-1, -2]).numpy()
    (np.int32(1), np.int32(-1))
    """
    return _reduce("reduce_mean", input_tensor, axis, keepdims, _mean_kernel, _mean_grad)


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


def _mean_grad(dy, x, y, axes, keepdims):
    count = math.prod([x._value.shape[i] for i in axes])
    return divide(_sum_grad(dy, x, y, axes, keepdims), max(count, 1))


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product over ``axis`` (``tf.reduce_prod``).

    >>> d2l.reduce_prod([1.0, 2.0, 3.0]).numpy()
    np.float32(6.0)
    """
    return _reduce("reduce_prod", input_tensor, axis, keepdims,
                   lambda a, axis, keepdims: a.prod(axis=axis, keepdims=keepdims, dtype=a.dtype),
                   _prod_grad)


def _prod_grad(dy, x, y, axes, keepdims):
    # d(prod)/dx_i is the product of all the other elements. Dividing y by x_i
    # fails at zeros, so multiply exclusive cumulative products from both sides.
    from .array import reshape, transpose
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
    return multiply(_sum_grad(dy, x, y, axes, keepdims), back)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sum along ``axis`` (``tf.math.cumsum``).

    >>> d2l.math.cumsum([1, 2, 3]).numpy()
    array([1, 3, 6], dtype=int32)
    >>> d2l.math.cumsum([1, 2, 3], exclusive=True, reverse=True).numpy()
    array([5, 3, 0], dtype=int32)
    """
    return _cumulative("cumsum", x, axis, exclusive, reverse, np.cumsum)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running product along ``axis`` (``tf.math.cumprod``).

    >>> d2l.math.cumprod([1, 2, 3]).numpy()
    array([1, 2, 6], dtype=int32)
    """
    return _cumulative("cumprod", x, axis, exclusive, reverse, np.cumprod)


def _cumulative(op, x, axis, exclusive, reverse, kernel):
    x = as_tensor(x)
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
    if tapes and op == "cumsum":
        record(op, (x,), y, lambda dy: (cumsum(dy, ax, exclusive, not reverse),))
    elif tapes:
        record(op, (x,), y, lambda dy: (_cumprod_grad(dy, x, y, ax, exclusive, reverse),))
    return y


def _cumprod_grad(dy, x, y, ax, exclusive, reverse):
    # Exact where x has no zeros (the case gradient checks and training meet).
    return divide(cumsum(multiply(dy, y), ax, exclusive, not reverse), x)


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
        return _reduce(op, input_tensor, axis, keepdims, run, _extreme_grad)
    reduce_extreme.__name__ = op
    return reduce_extreme


def _extreme_grad(dy, x, y, axes, keepdims):
    # TensorFlow splits the gradient evenly between tied extremes.
    y_b = _expand_back(y, x, axes, keepdims)
    hits = cast(equal(x, y_b), x._dtype)
    ties = reduce_sum(hits, axis=axes, keepdims=True)
    return divide(multiply(_sum_grad(dy, x, y, axes, keepdims), hits), ties)


reduce_max = _extreme("reduce_max", np.max, lowest=True)
reduce_max.__doc__ = """Largest element over ``axis`` (``tf.reduce_max``). Ties share the gradient.

Over an empty axis the result is -inf (the dtype's minimum for integers), as in TensorFlow.

>>> d2l.reduce_max([[1, 5], [7, 2]], axis=1).numpy()
array([5, 7], dtype=int32)
"""
reduce_min = _extreme("reduce_min", np.min, lowest=False)
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
        return _reduce(op, x, axis, keepdims, kernel)
    reduce_bool.__name__ = op
    return reduce_bool


reduce_all = _bool_reduce("reduce_all", np.all)
reduce_all.__doc__ = """True where every element over ``axis`` is True (``tf.reduce_all``).

>>> d2l.reduce_all([[True, False], [True, True]], axis=1).numpy()
array([False,  True])
"""
reduce_any = _bool_reduce("reduce_any", np.any)
reduce_any.__doc__ = """True where any element over ``axis`` is True (``tf.reduce_any``).

>>> d2l.reduce_any([[True, False], [False, False]], axis=1).numpy()
array([ True, False])
"""


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """ln Σ exp(x) over ``axis``, computed without overflow (``tf.math.reduce_logsumexp``).

    >>> d2l.math.reduce_logsumexp([1000.0, 1000.0]).numpy()
    np.float32(1000.6932)
    """
    from .array import stop_gradient
    from .math import exp, log, subtract, add
    x = as_tensor(input_tensor)
    axes = normalize_axis("reduce_logsumexp", axis, x.ndim)
    m = stop_gradient(reduce_max(x, axis=axes, keepdims=True))
    (mv,) = arrays("reduce_logsumexp", m)
    m = wrap(np.where(np.isfinite(mv), mv, 0).astype(mv.dtype))
    out = add(log(reduce_sum(exp(subtract(x, m)), axis=axes, keepdims=True)), m)
    if not keepdims:
        from .array import reshape
        out = reshape(out, [d for i, d in enumerate(x._value.shape) if i not in axes])
    return out


def _arg_extreme(op, kernel):
    def arg_extreme(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
        x = as_tensor(input)
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


argmax = _arg_extreme("argmax", np.argmax)
argmax.__doc__ = """Index of the largest element along ``axis`` (default 0) as int64 (``tf.argmax``).

>>> d2l.argmax([[1, 9, 3], [7, 2, 8]], axis=1).numpy()
array([1, 2])
"""
argmin = _arg_extreme("argmin", np.argmin)
argmin.__doc__ = """Index of the smallest element along ``axis`` (default 0) as int64 (``tf.argmin``).

>>> d2l.argmin([[1, 9, 3], [7, 2, 8]], axis=1).numpy()
array([0, 1])
"""


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
            from .array import reshape
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
        from .math import pow as _pow
        return _pow(reduce_sum(_pow(abs(x), float(ord)), axis=axis, keepdims=keepdims), 1.0 / ord)
    raise ValueError(f"norm: ord must be 'euclidean', 1, 2, np.inf or a positive number, got {ord!r}")


