"""Matrix products: ``matmul`` (the ``@`` operator) and ``tensordot``.

>>> import d2l_core as d2l
>>> X = d2l.reshape(d2l.range(12), (3, 4))
>>> d2l.matmul(X, d2l.transpose(X)).shape
TensorShape([3, 3])
"""
import numpy as np

from ..errors import InvalidArgumentError
from ._op import arrays, needs, no_bool, pair, record, tapes, wrap
from .array import reshape, transpose
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


@op("MatMul", exports=("", "linalg"), test=Test(samples=_matmul_samples))
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
    no_bool("matmul", a)
    xm = x.swapaxes(-1, -2) if ta else x
    ym = y.swapaxes(-1, -2) if tb else y
    if adjoint_a and a._dtype.is_complex:
        xm = xm.conj()
    if adjoint_b and b._dtype.is_complex:
        ym = ym.conj()
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
