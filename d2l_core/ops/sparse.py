"""Sparse tensors: ``tf.SparseTensor`` (coordinates, values, dense shape), ``tf.sparse.to_dense``.

A SparseTensor stores only its non-default elements: row i of ``indices``
holds the coordinates of ``values[i]``. It is a value holder, not a Tensor;
``tf.sparse.to_dense`` scatters it into a dense tensor (and its gradient
gathers back, as ``gather_nd``).

>>> import d2l_core as d2l
>>> st = d2l.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 7], dense_shape=[3, 2])
>>> d2l.sparse.to_dense(st).numpy()
array([[0, 5],
       [0, 0],
       [7, 0]], dtype=int32)
"""
import collections

import numpy as np

from .. import backend, dtypes
from ..errors import InvalidArgumentError, InvalidIndexError
from ..tensor import convert_to_tensor
from ..tensor_shape import TensorShape
from ._op import arrays, as_tensor, record, tapes, wrap, xp_of
from .indexing import gather_nd
from .registry import Sample, Test, gradient, op, random_shape, uniform


class SparseTensor(collections.namedtuple("SparseTensor", ["indices", "values", "dense_shape"])):
    """A sparse tensor (``tf.SparseTensor``): ``values[i]`` sits at ``indices[i]`` in a tensor of
    shape ``dense_shape``; every other element is the default (0).

    ``indices`` (int64, shape [N, rank]) should list the coordinates in row-major
    order, each once; ``values`` has shape [N]. It is a structure of three
    tensors (a namedtuple, as ``d2l.nest`` sees it), so ``d2l.function`` traces
    through it as TensorFlow's composite tensors do.

    >>> st = d2l.SparseTensor(indices=[[0, 2]], values=[1.5], dense_shape=[2, 3])
    >>> st.shape, st.dtype
    (TensorShape([2, 3]), tf.float32)
    """

    __slots__ = ()

    def __new__(cls, indices, values, dense_shape):
        self = super().__new__(cls, convert_to_tensor(indices, dtype=dtypes.int64),
                               as_tensor(values), convert_to_tensor(dense_shape, dtype=dtypes.int64))
        i, v, s = self.indices.shape, self.values.shape, self.dense_shape.shape
        if len(i) != 2 or len(v) != 1 or len(s) != 1 or i[0] != v[0] or i[1] != s[0]:
            raise InvalidArgumentError(
                f"SparseTensor: indices must have shape [N, rank], values [N] and dense_shape "
                f"[rank], got {list(i)}, {list(v)} and {list(s)}")
        return self

    @property
    def shape(self):
        return TensorShape(self.dense_shape.numpy().tolist())

    @property
    def dtype(self):
        return self.values.dtype

    def __repr__(self):
        return (f"SparseTensor(indices={self.indices!s}, values={self.values!s}, "
                f"dense_shape={self.dense_shape!s})")


def _to_dense_samples(rng):
    shape = random_shape(rng, min_dims=1, max_side=4)
    n = int(np.prod(shape, dtype=int))
    flat = np.sort(rng.permutation(n)[:int(rng.integers(0, n + 1))])      # sorted, each once
    idx = np.stack(np.unravel_index(flat, shape), -1).reshape(-1, len(shape))
    values = uniform()(rng, (len(flat),))
    default = [None, 0.5][int(rng.integers(2))]

    def reference(v):
        out = np.full(shape, 0.0 if default is None else default)
        out[tuple(idx.T)] = v
        return out
    return [Sample(lambda v: to_dense(SparseTensor(idx, v, shape), default_value=default),
                   (values,), reference)]


@op("SparseToDense", exports=("sparse",), test=Test(samples=_to_dense_samples))
def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor a SparseTensor stands for, ``default_value`` (0) elsewhere
    (``tf.sparse.to_dense``).

    With ``validate_indices`` the coordinates must be in bounds, in row-major
    order and each listed once, as TensorFlow requires.

    >>> st = d2l.SparseTensor(indices=[[1], [3]], values=[2.0, 4.0], dense_shape=[5])
    >>> d2l.sparse.to_dense(st, default_value=-1.0).numpy()
    array([-1.,  2., -1.,  4., -1.], dtype=float32)
    """
    v = sp_input.values
    shape = tuple(sp_input.dense_shape.numpy().tolist())
    default = wrap(np.zeros((), v.dtype.np)) if default_value is None else \
        convert_to_tensor(default_value, dtype=v.dtype)
    a, iv, dv = arrays("to_dense", v, sp_input.indices, default)
    xp = xp_of(iv)
    if iv.shape[0]:
        _validate(iv, shape, validate_indices)
    out = xp.full(shape, dv, dtype=a.dtype)
    out[tuple(iv[:, j] for j in range(iv.shape[1]))] = a
    y = wrap(out)
    if tapes:
        record("to_dense", (v,), y, {"indices": sp_input.indices})
    return y


def _validate(iv, shape, ordered):
    """TensorFlow's checks: every row in bounds; with ``ordered``, rows strictly increasing."""
    xp = xp_of(iv)
    dev = backend.device_of(iv)
    bad = ((iv < 0) | (iv >= backend.to_device(np.array(shape, np.int64), dev))).any(axis=1)
    if bool(bad.any()):
        _row_error(iv, int(bad.argmax()),
                   "is out of bounds: need 0 <= index < [" + ",".join(map(str, shape)) + "]")
    if ordered and iv.shape[0] > 1:
        strides = np.cumprod((shape[1:] + (1,))[::-1])[::-1].astype(np.int64)
        step = xp.diff((iv * backend.to_device(strides, dev)).sum(axis=1))  # row-major positions
        back = step <= 0
        if bool(back.any()):
            k = int(back.argmax())
            _row_error(iv, k + 1, "is repeated" if int(step[k]) == 0 else
                       "is out of order; sort the rows in row-major order, or pass "
                       "validate_indices=False")


def _row_error(iv, pos, problem):
    row = ",".join(str(int(i)) for i in backend.to_numpy(iv)[pos])
    raise InvalidIndexError(f"to_dense: indices[{pos}] = [{row}] {problem}", op="to_dense")


@gradient("to_dense")
def _to_dense_grad(dy, inputs, y, attrs):
    return (gather_nd(dy, attrs["indices"]),)
