"""Matrix products and matrix structure: ``matmul`` (the ``@`` operator), ``tensordot``,
``matvec``, transposes, diagonals, ``trace`` and ``band_part``; all batched over leading axes.

Decompositions and solvers (``inv``, ``svd``, ``cholesky``, ...) are in ``ops/decompositions.py``,
``einsum`` in ``ops/einsum.py``.

>>> import d2l_core as d2l
>>> X = d2l.reshape(d2l.range(12), (3, 4))
>>> d2l.matmul(X, d2l.transpose(X)).shape
TensorShape([3, 3])
"""
import numpy as np

from ..errors import InvalidArgumentError
from ._op import arrays, as_tensor, needs, numbers_only, pair, record, tapes, wrap, xp_of
from .array import expand_dims, reshape, squeeze, transpose
from .broadcast import reduce_sum
from .registry import (COMPOSITE, Sample, Test, broadcastable_shapes, gradient, op, random_shape,
                       uniform)


# ================================================================ test data (see ops/registry.py)

def _matmul_samples(rng):
    """Batch axes that broadcast (or none), either operand maybe transposed; and ``@``."""
    batch_a, batch_b = broadcastable_shapes(rng, max_dims=2)
    n, k, m = (int(d) for d in rng.integers(1, 4, size=3))
    ta, tb = (bool(t) for t in rng.integers(2, size=2))
    a, b = uniform()(rng, batch_a + (n, k)), uniform()(rng, batch_b + (k, m))     # a @ b
    flip = lambda x, t: np.swapaxes(x, -1, -2) if t else x      # noqa: E731
    return [Sample(lambda x, y: matmul(x, y, transpose_a=ta, transpose_b=tb),
                   (flip(a, ta), flip(b, tb)), lambda x, y: np.matmul(flip(x, ta), flip(y, tb))),
            Sample(lambda x, y: x @ y, (a, b), np.matmul)]


def _tensordot_samples(rng):
    """``axes=k`` (a's last k axes with b's first k), or lists: any k axes of a, in any order."""
    a = uniform()(rng, random_shape(rng, min_dims=1, max_side=3))
    k = int(rng.integers(a.ndim + 1))
    if rng.random() < 0.5:
        a_axes, axes = list(range(a.ndim - k, a.ndim)), k
    else:
        a_axes = [int(i) - a.ndim * int(rng.integers(2)) for i in rng.permutation(a.ndim)[:k]]
        axes = [a_axes, list(range(k))]
    b_free = random_shape(rng, max_dims=2, max_side=2)
    b = uniform()(rng, tuple(a.shape[i] for i in a_axes) + b_free)
    return [Sample(lambda x, y: tensordot(x, y, axes), (a, b),
                   lambda x, y: np.tensordot(x, y, axes))]


def _matmul_operands(x, y, ta, tb, conj_a, conj_b):
    xm = x.swapaxes(-1, -2) if ta else x
    ym = y.swapaxes(-1, -2) if tb else y
    return (xm.conj() if conj_a else xm), (ym.conj() if conj_b else ym)


def _matmul_kernel(x, y, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
                   a_is_sparse=False, b_is_sparse=False, output_type=None):
    complex_ = x.dtype.kind == "c"
    xm, ym = _matmul_operands(x, y, transpose_a or adjoint_a, transpose_b or adjoint_b,
                              adjoint_a and complex_, adjoint_b and complex_)
    return np.matmul(xm, ym)


@op("MatMul", exports=("", "linalg"), test=Test(samples=_matmul_samples), kernel=_matmul_kernel)
def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    """Matrix product ``a @ b`` over the last two axes, batched over the rest (``tf.matmul``).

    Both inputs need rank >= 2 and one dtype; batch axes broadcast.
    With C = AB, dL/dA = dL/dC · Bᵀ and dL/dB = Aᵀ · dL/dC.

    >>> d2l.matmul([[1.0, 2.0]], [[3.0], [4.0]]).numpy()
    array([[11.]], dtype=float32)
    >>> d2l.matmul(d2l.ones((5, 2, 3)), d2l.ones((3, 4))).shape
    TensorShape([5, 2, 4])
    """
    a, b = pair(a, b, "matmul")
    ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
    x, y = arrays("matmul", a, b)
    if x.ndim < 2 or y.ndim < 2:
        raise InvalidArgumentError(
            f"matmul: both inputs need rank >= 2, got shapes {x.shape} and {y.shape}; "
            "make a vector a matrix with d2l.reshape(v, (1, -1)) or d2l.expand_dims", op="matmul")
    numbers_only("matmul", a)
    xm, ym = _matmul_operands(x, y, ta, tb, adjoint_a and a._dtype.is_complex,
                              adjoint_b and b._dtype.is_complex)
    if xm.shape[-1] != ym.shape[-2]:
        hint = "; did you mean to transpose one of them?" if (
            xm.shape[-2] == ym.shape[-2] or xm.shape[-1] == ym.shape[-1]) else ""
        raise InvalidArgumentError(
            f"matmul: inner dimensions differ: {x.shape} @ {y.shape}"
            f"{' (after transposes)' if ta or tb else ''} needs {xm.shape[-1]} == "
            f"{ym.shape[-2]}{hint}", op="matmul")
    if xm.ndim > 2 or ym.ndim > 2:      # plain matrices have no batch axes to check
        try:
            np.broadcast_shapes(xm.shape[:-2], ym.shape[:-2])
        except ValueError:
            raise InvalidArgumentError(
                f"matmul: the batch dimensions of {x.shape} @ {y.shape}, {xm.shape[:-2]} and "
                f"{ym.shape[:-2]}, cannot be broadcast together; they must be equal or 1 "
                "(aligned from the right)", op="matmul") from None
    z = wrap(np.matmul(xm, ym))
    if tapes:
        record("matmul", (a, b), z, {"transpose_a": ta, "transpose_b": tb})
    return z


@gradient("matmul")
def _matmul_grad(dz, inputs, z, attrs):
    # Each case is C = op(A) op(B); the gradients keep A's and B's own layout.
    (a, b), ta, tb = inputs, attrs["transpose_a"], attrs["transpose_b"]
    da = db = None
    if needs(a):
        da = (matmul(b, dz, transpose_a=tb, transpose_b=True) if ta
              else matmul(dz, b, transpose_b=not tb))
    if needs(b):
        db = (matmul(dz, a, transpose_a=True, transpose_b=ta) if tb
              else matmul(a, dz, transpose_a=not ta))
    return da, db


@op("Tensordot", exports=("", "linalg"), grad=COMPOSITE, test=Test(samples=_tensordot_samples))
def tensordot(a, b, axes, name=None):
    """Sum products over the given axes of ``a`` and ``b`` (``tf.tensordot``).

    ``axes`` is an int N (last N axes of a with first N of b) or a pair of lists.
    Built from transpose, reshape and matmul, so its gradient comes from theirs.

    >>> d2l.tensordot(d2l.ones((2, 3)), d2l.ones((3, 4)), axes=1).shape
    TensorShape([2, 4])
    """
    a, b = pair(a, b, "tensordot")
    sa, sb = a._value.shape, b._value.shape
    if isinstance(axes, int):
        if axes < 0 or axes > min(len(sa), len(sb)):
            raise InvalidArgumentError(f"tensordot: axes={axes} is out of range for shapes "
                                       f"{sa} and {sb}", op="tensordot")
        ax_a, ax_b = list(range(len(sa) - axes, len(sa))), list(range(axes))
    else:
        ax_a, ax_b = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                      [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
        ax_a = [i % len(sa) for i in ax_a]
        ax_b = [i % len(sb) for i in ax_b]
    if len(ax_a) != len(ax_b) or any(sa[i] != sb[j] for i, j in zip(ax_a, ax_b)):
        raise InvalidArgumentError(
            f"tensordot: contracted axes must have equal lengths: axes {ax_a} of {sa} vs "
            f"axes {ax_b} of {sb}", op="tensordot")
    free_a = [i for i in range(len(sa)) if i not in ax_a]
    free_b = [j for j in range(len(sb)) if j not in ax_b]
    k = int(np.prod([sa[i] for i in ax_a]))
    left = reshape(transpose(a, free_a + ax_a), (-1, k))
    right = reshape(transpose(b, ax_b + free_b), (k, -1))
    return reshape(matmul(left, right), [sa[i] for i in free_a] + [sb[j] for j in free_b])


# ================================================================ matrix-vector and transposes

def _matvec_samples(rng):
    batch_a, batch_b = broadcastable_shapes(rng, max_dims=2)
    n, k = (int(d) for d in rng.integers(1, 4, size=2))
    ta = bool(rng.integers(2))
    a = uniform()(rng, batch_a + ((k, n) if ta else (n, k)))
    b = uniform()(rng, batch_b + (k,))

    def reference(x, y):
        return np.matmul(np.swapaxes(x, -1, -2) if ta else x, y[..., None])[..., 0]
    return [Sample(lambda x, y: matvec(x, y, transpose_a=ta), (a, b), reference)]


def _matrix_transpose_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=2))
    return [Sample(matrix_transpose, (x,), lambda x: np.swapaxes(x, -1, -2))]


def _adjoint_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=2))
    return [Sample(adjoint, (x,), lambda x: np.swapaxes(x, -1, -2).conj())]


@op("MatVec", exports=("linalg",), grad=COMPOSITE, test=Test(samples=_matvec_samples))
def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Matrix times vector over the last axes, batched over the rest (``tf.linalg.matvec``).

    ``a`` is ``[..., M, N]`` and ``b`` is ``[..., N]``; the result is ``[..., M]``.
    It is ``matmul`` with ``b`` as a one-column matrix, so its gradient is matmul's.

    >>> d2l.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0]).numpy()
    array([3., 7.], dtype=float32)
    """
    a, b = pair(a, b, "matvec")
    if b._value.ndim < 1:
        raise InvalidArgumentError("matvec: b must be a vector (rank >= 1), got a scalar; for "
                                   "a matrix times a number use a * b", op="matvec")
    return squeeze(matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a),
                   -1)


def _need_matrix(op, x, what="a (batch of) matrix"):
    if x._value.ndim < 2:
        raise InvalidArgumentError(
            f"{op}: expected {what} with rank >= 2, got shape {x._value.shape}; make a vector "
            "a matrix with d2l.reshape(v, (1, -1)) or d2l.linalg.diag(v)", op=op)


@op("MatrixTranspose", exports=("linalg",), grad=COMPOSITE,
    test=Test(samples=_matrix_transpose_samples))
def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the last two axes: transpose each matrix of a batch (``tf.linalg.matrix_transpose``).

    >>> d2l.linalg.matrix_transpose(d2l.ones((5, 2, 3))).shape
    TensorShape([5, 3, 2])
    """
    a = as_tensor(a)
    _need_matrix("matrix_transpose", a)
    n = a._value.ndim
    return transpose(a, list(range(n - 2)) + [n - 1, n - 2], conjugate=conjugate)


@op("Adjoint", exports=("linalg",), grad=COMPOSITE, test=Test(samples=_adjoint_samples))
def adjoint(matrix, name=None):
    """The conjugate transpose of each matrix (``tf.linalg.adjoint``); for real ones, the transpose.

    >>> d2l.linalg.adjoint([[1.0, 2.0], [3.0, 4.0]]).numpy()
    array([[1., 3.],
           [2., 4.]], dtype=float32)
    """
    return matrix_transpose(matrix, conjugate=True)


# ================================================================ diagonals, trace, bands

def _int_arg(op, what, value):
    """A Python int from an int or a scalar integer tensor (``k``, ``num_lower``, ...)."""
    if hasattr(value, "numpy"):
        value = value.numpy()
    if np.ndim(value) != 0 or not np.issubdtype(np.asarray(value).dtype, np.integer):
        raise InvalidArgumentError(f"{op}: {what} must be an int, got {value!r:.40}"
                                   + ("; a band of diagonals (k=(low, high)) is not supported "
                                      "by d2l_core, pass one k" if what == "k" else ""), op=op)
    return int(value)


def _np_diag(d, k, rows, cols, padding=0):
    """NumPy reference of ``diag``: ``d`` on diagonal ``k`` of a rows x cols matrix."""
    out = np.full(d.shape[:-1] + (rows, cols), padding, dtype=d.dtype)
    i = np.arange(d.shape[-1])
    out[..., i + max(-k, 0), i + max(k, 0)] = d
    return out


def _diag_samples(rng):
    d = uniform()(rng, random_shape(rng, min_dims=1, max_dims=3))
    k = int(rng.integers(-2, 3))
    n, length = d.shape[-1] + abs(k), d.shape[-1]
    extra = int(rng.integers(0, 3))     # a wider (or taller) matrix than needed
    rows, cols = (length, n + extra) if k >= 0 else (n + extra, length)
    if extra == 0:
        rows = cols = -1
    return [Sample(lambda x: diag(x, k=k, num_rows=rows, num_cols=cols), (d,),
                   lambda x: _np_diag(x, k, n if rows < 0 else rows, n if cols < 0 else cols)),
            Sample(lambda x: diag(x, padding_value=7), (d[..., :2].astype(np.int32),),
                   lambda x: _np_diag(x, 0, x.shape[-1], x.shape[-1], 7))]


def _diag_part_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=2, max_dims=4))
    m, n = x.shape[-2:]
    k = int(rng.integers(-m + 1, n))
    return [Sample(lambda x: diag_part(x, k=k), (x,), lambda x: np.diagonal(x, k, -2, -1))]


def _trace_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=2, max_dims=4))
    ref = lambda x: np.trace(x, axis1=-2, axis2=-1)      # noqa: E731
    return [Sample(trace, (x,), ref), Sample(trace, (np.round(x * 3).astype(np.int32),), ref)]


def _band(m, n, lower, upper, xp=np):
    """The mask of band_part: entries at most ``lower`` below and ``upper`` above the diagonal."""
    below = xp.arange(m)[:, None] - xp.arange(n)[None, :]       # i - j
    return ((lower < 0) | (below <= lower)) & ((upper < 0) | (-below <= upper))


def _band_part_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=2, max_dims=4))
    m, n = x.shape[-2:]
    lower, upper = int(rng.integers(-1, m)), int(rng.integers(-1, n))
    ref = lambda x: np.where(_band(m, n, lower, upper), x, 0).astype(x.dtype)      # noqa: E731
    return [Sample(lambda x: band_part(x, lower, upper), (x,), ref)]


@op("MatrixDiagV3", exports=("linalg",), test=Test(samples=_diag_samples))
def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """A (batch of) matrix with ``diagonal`` on diagonal ``k``, ``padding_value`` elsewhere
    (``tf.linalg.diag``).

    ``k`` > 0 is above the main diagonal, ``k`` < 0 below. The matrix is square
    unless ``num_rows`` or ``num_cols`` asks for more rows or columns.
    The gradient of each diagonal entry is the gradient of the matrix entry it went to.

    >>> d2l.linalg.diag([1.0, 2.0]).numpy()
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    >>> d2l.linalg.diag([1, 2], k=1).numpy()
    array([[0, 1, 0],
           [0, 0, 2],
           [0, 0, 0]], dtype=int32)
    """
    d = as_tensor(diagonal)
    (v,) = arrays("diag", d)
    if v.ndim < 1:
        raise InvalidArgumentError("diag: diagonal must be at least 1-dim, got a scalar; "
                                   "for a scalar times the identity use x * d2l.eye(n)", op="diag")
    k = _int_arg("diag", "k", k)
    rows, cols = _int_arg("diag", "num_rows", num_rows), _int_arg("diag", "num_cols", num_cols)
    length = v.shape[-1]
    min_rows, min_cols = length + max(-k, 0), length + max(k, 0)
    if rows < 0 and cols < 0:       # TensorFlow's rule: square unless a size is given
        rows = cols = max(min_rows, min_cols)
    rows, cols = (min_rows if rows < 0 else rows), (min_cols if cols < 0 else cols)
    if (rows != min_rows and cols != min_cols) or rows < min_rows or cols < min_cols:
        raise InvalidArgumentError(
            f"diag: a diagonal of length {length} at k={k} does not fit a {rows} x {cols} "
            f"matrix: the diagonal must run to its last row ({min_rows} rows) or its last "
            f"column ({min_cols} columns)", op="diag")
    xp = xp_of(v)
    out = xp.full(v.shape[:-1] + (rows, cols), padding_value, dtype=v.dtype)
    i = xp.arange(length)
    out[..., i + max(-k, 0), i + max(k, 0)] = v
    y = wrap(out)
    if tapes:
        record("diag", (d,), y, {"k": k})
    return y


@gradient("diag")
def _diag_grad(dy, inputs, y, attrs):
    return (diag_part(dy, k=attrs["k"]),)


@op("MatrixDiagPartV3", exports=("linalg",), test=Test(samples=_diag_part_samples))
def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """Diagonal ``k`` of each matrix (``tf.linalg.diag_part``); k > 0 is above the main one.

    Its gradient puts dy back on that diagonal of a zero matrix (``diag`` with the input's size).

    >>> d2l.linalg.diag_part([[1, 2, 3], [4, 5, 6]]).numpy()
    array([1, 5], dtype=int32)
    >>> d2l.linalg.diag_part([[1, 2, 3], [4, 5, 6]], k=1).numpy()
    array([2, 6], dtype=int32)
    """
    x = as_tensor(input)
    (v,) = arrays("diag_part", x)
    if v.ndim < 2:
        raise InvalidArgumentError(
            f"diag_part: input must be at least 2-dim, got shape {v.shape}; to make a diagonal "
            "matrix from a vector use d2l.linalg.diag", op="diag_part")
    k = _int_arg("diag_part", "k", k)
    m, n = v.shape[-2:]
    if not -m < k < n and (m or n):
        raise InvalidArgumentError(
            f"diag_part: diagonal k={k} is outside a {m} x {n} matrix; k must be in "
            f"{-m + 1}..{n - 1}", op="diag_part")
    y = wrap(xp_of(v).diagonal(v, k, -2, -1).copy())
    if tapes:
        record("diag_part", (x,), y, {"k": k, "shape": (m, n)})
    return y


@gradient("diag_part")
def _diag_part_grad(dy, inputs, y, attrs):
    rows, cols = attrs["shape"]
    return (diag(dy, k=attrs["k"], num_rows=rows, num_cols=cols),)


@op("Trace", exports=("linalg",), grad=COMPOSITE, test=Test(samples=_trace_samples))
def trace(x, name=None):
    """The sum of each matrix's main diagonal (``tf.linalg.trace``); any matrix, square or not.

    >>> d2l.linalg.trace([[1.0, 2.0], [3.0, 4.0]]).numpy()
    np.float32(5.0)
    """
    return reduce_sum(diag_part(x), axis=-1)


@op("MatrixBandPart", exports=("linalg",), test=Test(samples=_band_part_samples))
def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keep ``num_lower`` diagonals below and ``num_upper`` above the main one, zero the rest
    (``tf.linalg.band_part``); a negative count keeps them all.

    ``band_part(x, -1, 0)`` is the lower triangle, ``band_part(x, 0, -1)`` the upper one.
    Its gradient keeps the same band of dy.

    >>> d2l.linalg.band_part(d2l.ones((3, 3)), -1, 0).numpy()
    array([[1., 0., 0.],
           [1., 1., 0.],
           [1., 1., 1.]], dtype=float32)
    """
    x = as_tensor(input)
    (v,) = arrays("band_part", x)
    if v.ndim < 2:
        raise InvalidArgumentError(f"band_part: input must be at least 2-dim, got shape "
                                   f"{v.shape}", op="band_part")
    m, n = v.shape[-2:]
    lower = _int_arg("band_part", "num_lower", num_lower)
    upper = _int_arg("band_part", "num_upper", num_upper)
    for what, count, limit, side in (("num_lower", lower, m, "rows"),
                                     ("num_upper", upper, n, "columns")):
        if count > limit:
            raise InvalidArgumentError(
                f"band_part: {what}={count} is more than the number of {side} ({limit}); "
                f"pass -1 to keep every diagonal on that side", op="band_part")
    xp = xp_of(v)
    y = wrap(xp.where(_band(m, n, lower, upper, xp), v, xp.zeros((), v.dtype)))
    if tapes:
        record("band_part", (x,), y, {"lower": lower, "upper": upper})
    return y


@gradient("band_part")
def _band_part_grad(dy, inputs, y, attrs):
    return (band_part(dy, attrs["lower"], attrs["upper"]),)
