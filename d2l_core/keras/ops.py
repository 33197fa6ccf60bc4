"""``keras.ops``: Keras 3's backend-neutral op names, answered by d2l_core's ops.

Keras 3 guides write ``from keras import ops`` and ``ops.ones((3, 3))``
where TensorFlow code writes ``tf.ones``. Under TensorFlow these ops return
``tf.Tensor``s; here they return d2l_core Tensors. Names whose arguments
match TensorFlow's are d2l's own functions; the others (``sum``, ``mean``,
``concatenate``, ``arange``, ``argmax``...) are thin wrappers with Keras's
arguments. Only part of ``keras.ops`` is here: what the guides use and the
common tensor maths.

>>> from d2l_core.keras import ops
>>> x = ops.ones((2, 3))
>>> ops.sum(x, axis=1)
<tf.Tensor: shape=(2,), dtype=float32, numpy=array([3., 3.], dtype=float32)>
"""
from .. import dtypes
from ..ops import array as _array
from ..ops import broadcast as _broadcast
from ..ops import einsum as _einsum
from ..ops import linalg as _linalg
from ..ops import math as _math
from ..ops import nn as _nn
from ..ops import reduce as _reduce
from ..tensor import convert_to_tensor

# Same arguments as TensorFlow's (positionally), so d2l's functions serve as they are.
add, subtract, multiply, divide = _math.add, _math.subtract, _math.multiply, _math.divide
exp, log, sqrt, square, abs = _math.exp, _math.log, _math.sqrt, _math.square, _math.abs  # noqa: A001
negative, sign, floor, round = _math.negative, _math.sign, _math.floor, _math.round  # noqa: A001
sin, cos, tanh, sigmoid = _math.sin, _math.cos, _math.tanh, _math.sigmoid
maximum, minimum, power = _math.maximum, _math.minimum, _math.pow
equal, not_equal, less, greater = _math.equal, _math.not_equal, _math.less, _math.greater
cast, where = _math.cast, _math.where
matmul = _linalg.matmul
einsum = _einsum.einsum
relu, softmax = _nn.relu, _nn.softmax
reshape = _broadcast.reshape
ones_like, zeros_like = _array.ones_like, _array.zeros_like
expand_dims, squeeze, stack, tile = _array.expand_dims, _array.squeeze, _array.stack, _array.tile
transpose, one_hot, eye = _array.transpose, _array.one_hot, _array.eye

__all__ = ["add", "subtract", "multiply", "divide", "exp", "log", "sqrt", "square", "abs",
           "negative", "sign", "floor", "round", "sin", "cos", "tanh", "sigmoid", "maximum",
           "minimum", "power", "equal", "not_equal", "less", "greater", "cast", "where",
           "matmul", "einsum", "relu", "softmax", "reshape", "ones_like", "zeros_like",
           "expand_dims", "squeeze", "stack", "tile", "transpose", "one_hot", "eye",
           "convert_to_tensor"]


def _floatx(dtype):
    return dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)


def ones(shape, dtype=None):
    """A tensor of ones (``keras.ops.ones``); ``dtype`` defaults to float32 (Keras's floatx).

    >>> from d2l_core.keras import ops
    >>> ops.ones((2, 2)).numpy()
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
    return _array.ones(shape, dtype=_floatx(dtype))


def zeros(shape, dtype=None):
    """A tensor of zeros (``keras.ops.zeros``); ``dtype`` defaults to float32.

    >>> from d2l_core.keras import ops
    >>> ops.zeros((3,), dtype='int32').numpy()
    array([0, 0, 0], dtype=int32)
    """
    return _array.zeros(shape, dtype=_floatx(dtype))


def full(shape, fill_value, dtype=None):
    """A tensor of ``shape`` filled with ``fill_value`` (``keras.ops.full``); float32 by default.

    >>> from d2l_core.keras import ops
    >>> ops.full((2,), 7).numpy()
    array([7., 7.], dtype=float32)
    """
    return _math.cast(_array.fill(shape, fill_value), _floatx(dtype))


def arange(start, stop=None, step=1, dtype=None):
    """Evenly spaced values in ``[start, stop)`` (``keras.ops.arange``).

    >>> from d2l_core.keras import ops
    >>> ops.arange(4).numpy()
    array([0, 1, 2, 3], dtype=int32)
    """
    return _array.range(start, stop, step, dtype=dtype)


def sum(x, axis=None, keepdims=False):  # noqa: A001  (Keras's name)
    """The sum over ``axis`` (all axes when None) (``keras.ops.sum``).

    >>> from d2l_core.keras import ops
    >>> ops.sum(ops.ones((2, 3)), axis=0).numpy()
    array([2., 2., 2.], dtype=float32)
    """
    return _broadcast.reduce_sum(x, axis=axis, keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    """The mean over ``axis`` (all axes when None) (``keras.ops.mean``).

    >>> from d2l_core.keras import ops
    >>> float(ops.mean(ops.convert_to_tensor([1.0, 2.0, 6.0])))
    3.0
    """
    return _reduce.reduce_mean(x, axis=axis, keepdims=keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    """The largest value over ``axis`` (all axes when None) (``keras.ops.max``).

    >>> from d2l_core.keras import ops
    >>> float(ops.max(ops.convert_to_tensor([[1.0, 5.0], [3.0, 2.0]])))
    5.0
    """
    return _reduce.reduce_max(x, axis=axis, keepdims=keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """The smallest value over ``axis`` (all axes when None) (``keras.ops.min``).

    >>> from d2l_core.keras import ops
    >>> ops.min(ops.convert_to_tensor([[1.0, 5.0], [3.0, 2.0]]), axis=1).numpy()
    array([1., 2.], dtype=float32)
    """
    return _reduce.reduce_min(x, axis=axis, keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    """The index of the largest value (``keras.ops.argmax``): int32; over the flattened
    tensor when ``axis`` is None (``tf.argmax`` instead defaults to axis 0).

    >>> from d2l_core.keras import ops
    >>> int(ops.argmax(ops.convert_to_tensor([[1.0, 3.0], [2.0, 0.0]])))
    1
    """
    return _arg(_reduce.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    """The index of the smallest value (``keras.ops.argmin``): int32; flattened when ``axis`` is None.

    >>> from d2l_core.keras import ops
    >>> ops.argmin(ops.convert_to_tensor([[1.0, 3.0], [2.0, 0.0]]), axis=1).numpy()
    array([0, 1], dtype=int32)
    """
    return _arg(_reduce.argmin, x, axis, keepdims)


def _arg(op, x, axis, keepdims):
    x = convert_to_tensor(x)
    if axis is None:
        out = op(_broadcast.reshape(x, [-1]), axis=0, output_type=dtypes.int32)
        if keepdims:
            out = _broadcast.reshape(out, [1] * x.shape.rank)
        return out
    out = op(x, axis=axis, output_type=dtypes.int32)
    return _array.expand_dims(out, axis) if keepdims else out


def concatenate(xs, axis=0):
    """Join tensors along an existing axis (``keras.ops.concatenate``; ``tf.concat``).

    >>> from d2l_core.keras import ops
    >>> ops.concatenate([ops.ones((1, 2)), ops.zeros((1, 2))]).shape
    TensorShape([2, 2])
    """
    return _array.concat(list(xs), axis)


def clip(x, x_min, x_max):
    """Values limited to ``[x_min, x_max]`` (``keras.ops.clip``; ``tf.clip_by_value``).

    >>> from d2l_core.keras import ops
    >>> ops.clip(ops.convert_to_tensor([-2.0, 0.5, 3.0]), 0.0, 1.0).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    return _math.clip_by_value(x, x_min, x_max)


def shape(x):
    """The static shape as a tuple of ints (``keras.ops.shape``; None where unknown).

    >>> from d2l_core.keras import ops
    >>> ops.shape(ops.ones((2, 3)))
    (2, 3)
    """
    return tuple(convert_to_tensor(x).shape.as_list())


def size(x):
    """The number of elements, as an int32 scalar tensor (``keras.ops.size``; ``tf.size``).

    >>> from d2l_core.keras import ops
    >>> int(ops.size(ops.ones((2, 3))))
    6
    """
    return _array.size(x)


__all__ += ["ones", "zeros", "full", "arange", "sum", "mean", "max", "min", "argmax", "argmin",
            "concatenate", "clip", "shape", "size"]
