"""Graph tensors with values of their own: constants, placeholders and ``convert_to_tensor``.

A ``Const`` node holds an eager tensor, known while the graph is built; a
``Placeholder`` has no value until ``feed_dict`` gives one.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, shape=[None, 2], name='x')
...     c = tf.constant([[1.0], [2.0]])
...     print(x, c.op.type)
Tensor("x:0", shape=(?, 2), dtype=float32) Const
"""
import numbers

import numpy as np

from ... import dtypes
from ... import tensor as _eager_tensor
from ...errors import InvalidArgumentError
from ...ops import array as _array
from ...tensor_shape import TensorShape
from .graph import Operation, Tensor, get_default_graph, shape_list_str, shape_str, tf1_dtype_name
from .graph_ops import graph_op, graph_tensors

_stack = graph_op(_array.stack, "stack")


# ============================================================== constants

def _const_kernel(run, op, inputs):
    return [_eager_tensor.constant(op._attrs["value"])]


def _tf1_constant_array(value, dtype, shape, verify_shape):
    """TensorFlow 1's tf.constant value rules (a short list fills the shape with its last value)."""
    base = _eager_tensor.constant(value, dtype=dtype)
    if shape is None:
        return base
    shape = [int(d) for d in (shape if not isinstance(shape, numbers.Integral) else [shape])]
    need = int(np.prod(shape))
    arr = base.numpy()
    flat = np.reshape(arr, (-1,))
    if verify_shape and tuple(arr.shape) != tuple(shape):
        raise TypeError(f"constant: expected Tensor's shape {tuple(shape)}, got {arr.shape}.")
    if flat.size > need:
        raise TypeError(f"constant: too many elements provided. Needed at most {need}, but "
                        f"received {flat.size}")
    if flat.size == 0 and need:
        raise ValueError(f"constant: no values given to fill shape {tuple(shape)}")
    if flat.size < need:
        flat = np.concatenate([flat, np.full(need - flat.size, flat[-1], dtype=flat.dtype)])
    return _eager_tensor.constant(flat.reshape(shape))


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A graph constant (TF1's ``tf.constant``): a 'Const' node holding ``value``.

    With ``shape``, a scalar fills the shape, and (TensorFlow 1's rule) a
    list shorter than the shape is padded with its last value.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[0.7, 0.9]], dtype=tf.float32)
    ...     print(x)
    ...     print(tf.Session().run(tf.constant([1, 2], shape=[2, 2])))
    Tensor("Const:0", shape=(1, 2), dtype=float32)
    [[1 2]
     [2 2]]
    """
    inside = [value] if isinstance(value, Tensor) else graph_tensors(value)
    if inside:
        raise TypeError(f"constant: the value must be known now (numbers, lists, NumPy arrays), "
                        f"not a graph tensor such as {inside[0]}"
                        "; use tf.identity(t) or tf.convert_to_tensor(...) for graph tensors")
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    eager = _tf1_constant_array(value, dtype, shape, verify_shape)
    graph = get_default_graph()
    op = graph._create_op("Const", name, [], _const_kernel,
                          outputs=[(eager.dtype, eager.shape)],
                          attrs={"value": eager, "dtype": eager.dtype})
    return op._outputs[0]


# ============================================================== placeholders

def _placeholder_kernel(run, op, inputs):
    raise missing_feed_error(op._outputs[0])


def missing_feed_error(t):
    """The error for running placeholder ``t`` without a value in ``feed_dict``.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(missing_feed_error(tf.placeholder(tf.float32, name='x')).args[0].splitlines()[0])
    You must feed a value for placeholder tensor 'x' with dtype float
    """
    shape = t.shape
    detail = f" and shape {shape_list_str(shape)}" if shape.rank is not None else ""
    return InvalidArgumentError(
        f"You must feed a value for placeholder tensor '{t.op.name}' with dtype "
        f"{tf1_dtype_name(t.dtype)}{detail}\n\t [[node {t.op.name}]]\n"
        f"A placeholder has no value of its own: give it one in feed_dict, e.g. "
        f"sess.run(fetches, feed_dict={{x: data}}) where x is the tensor that "
        f"tf.placeholder(..., name='{t.op.name}') returned.", op=t.op.name)


def _as_shape(shape):
    if shape is None:
        return TensorShape(None)
    if isinstance(shape, numbers.Integral):
        return TensorShape([shape])
    return TensorShape(shape)


def placeholder(dtype, shape=None, name=None):
    """A slot for data fed at run time (TF1's ``tf.placeholder``).

    ``shape`` may leave dimensions as None (e.g. the batch size) or be None
    altogether. Running anything that needs it without a ``feed_dict`` value
    is an error that names it.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a_ph = tf.placeholder(tf.float32, name='variable_a')
    ...     b_ph = tf.placeholder(tf.float32, name='variable_b')
    ...     c_op = tf.add(a_ph, b_ph, name='variable_c')
    ...     with tf.Session() as sess:
    ...         print('a+b=', sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.}))
    a+b= 6.0
    """
    dtype = dtypes.as_dtype(dtype)
    shape = _as_shape(shape)
    graph = get_default_graph()
    op = graph._create_op("Placeholder", name, [], _placeholder_kernel, outputs=[(dtype, shape)],
                          attrs={"dtype": dtype, "shape": shape})
    return op._outputs[0]


def _identity_kernel(run, op, inputs):
    return [inputs[0]]


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A placeholder that gives ``input``'s value when nothing is fed.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.placeholder_with_default(tf.constant(1.0), shape=[])
    ...     sess = tf.Session()
    ...     print(sess.run(p), sess.run(p, feed_dict={p: 5.0}))
    1.0 5.0
    """
    x = convert_to_tensor(input)
    shape = _as_shape(shape)
    if not x.shape.is_compatible_with(shape):
        raise ValueError(f"placeholder_with_default: the default's shape {shape_str(x.shape)} is "
                         f"not compatible with shape {shape_str(shape)}")
    op = x.graph._create_op("PlaceholderWithDefault", name, [x], _identity_kernel,
                            outputs=[(x.dtype, shape)], attrs={"dtype": x.dtype, "shape": shape})
    return op._outputs[0]


# ============================================================== conversion

def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    """``value`` as a graph tensor: graph tensors pass through, other values become constants.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.convert_to_tensor([1.0, 2.0]))
    Tensor("Const:0", shape=(2,), dtype=float32)
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}. Use tf.cast(t, "
                             f"tf.{dtype.name}) to change the dtype.")
        return value
    if isinstance(value, Operation):
        raise TypeError(f"Can't convert Operation '{value.name}' to Tensor (an operation has no "
                        "value; use one of its .outputs)")
    if isinstance(value, (list, tuple)) and graph_tensors(value):
        parts = [convert_to_tensor(v, dtype=dtype) for v in value]
        return _stack(parts, name=name or "packed")
    hint = preferred_dtype or dtype_hint
    if dtype is None and hint is not None:
        try:
            return constant(value, dtype=hint, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name or "Const")
