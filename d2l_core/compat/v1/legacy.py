"""TensorFlow 1 odds and ends that TF1 guides use: ``Dimension``, tensor equality,
``tables_initializer``, ``tf.compat.v1.data`` iterators, and TF1 spellings of
the convolution ops.

**Shapes.** ``x.shape[1]`` is a Python int (or None) here, as in TensorFlow
2's ``tf.compat.v1`` (TensorFlow's "v2 TensorShape" behaviour). TF1 code that
writes ``x.shape[1].value`` needs ``tf.compat.v1.dimension_value(x.shape[1])``
(which works on both), or ``Dimension`` objects, which exist for code that
builds them itself.

**Tensor equality.** By default eager tensors compare elementwise (TF2) and
graph tensors by identity (TF1, so they can be dict keys and set members).
``enable_tensor_equality()`` makes ``==``/``!=`` elementwise on graph tensors
too (each adds an Equal/NotEqual node); ``disable_tensor_equality()`` makes
both kinds compare by identity (``x == y`` is ``x is y``), as TF1 did.
Tensors stay hashable either way (TensorFlow refuses to hash them while
equality is elementwise; d2l_core hashes by identity, see ``Tensor.__hash__``).

>>> import d2l_core.compat.v1 as tf
>>> d = tf.Dimension(3)
>>> d, d.value, d + 1, d == 3, tf.dimension_value(d)
(Dimension(3), 3, Dimension(4), True, 3)
"""
import types

from ... import data as _data
from ... import nest
from ...errors import OutOfRangeError
from ...ops import conv as _conv
from ...ops import math as _math
from ...tensor import Tensor as _EagerTensor
from .graph import Tensor, get_default_graph
from .graph_ops import graph_op
from .scopes import no_op

__all__ = ["Dimension", "dimension_value", "dimension_at_index", "enable_tensor_equality",
           "disable_tensor_equality", "reset_tensor_equality", "tables_initializer", "data", "make_one_shot_iterator",
           "make_initializable_iterator", "Iterator", "NN_ALIASES"]


# ============================================================== Dimension

class Dimension:
    """One dimension of a TF1 ``TensorShape``: a size or None (unknown), with ``.value``.

    Arithmetic with an unknown dimension is unknown; comparisons with an
    unknown dimension give None, as in TensorFlow.

    >>> Dimension(None) + 2, Dimension(6) // 4, Dimension(2) * Dimension(3)
    (Dimension(None), Dimension(1), Dimension(6))
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            if isinstance(value, bool) or int(value) != value or int(value) < 0:
                raise ValueError(f"Dimension {value!r} must be a non-negative integer or None")
            value = int(value)
        self._value = value

    @property
    def value(self):
        """The size, or None when unknown."""
        return self._value

    def __repr__(self):
        return f"Dimension({self._value!r})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        if self._value is None:
            raise TypeError("int() of an unknown Dimension (None)")
        return self._value

    __index__ = __int__

    def __hash__(self):
        return hash(self._value)

    def is_compatible_with(self, other):
        """True when either is unknown or both are equal."""
        other = Dimension(other)
        return self._value is None or other.value is None or self._value == other.value

    def _op(self, other, fn):
        other = Dimension(other)
        if self._value is None or other.value is None:
            return Dimension(None)
        return Dimension(fn(self._value, other.value))

    def __add__(self, other):
        return self._op(other, lambda a, b: a + b)

    def __sub__(self, other):
        return self._op(other, lambda a, b: a - b)

    def __mul__(self, other):
        return self._op(other, lambda a, b: a * b)

    def __floordiv__(self, other):
        return self._op(other, lambda a, b: a // b)

    def __mod__(self, other):
        return self._op(other, lambda a, b: a % b)

    __radd__, __rmul__ = __add__, __mul__

    def _compare(self, other, fn):
        other = Dimension(other)
        if self._value is None or other.value is None:
            return None
        return fn(self._value, other.value)

    def __eq__(self, other):
        try:
            return self._compare(other, lambda a, b: a == b)
        except (TypeError, ValueError):
            return NotImplemented

    def __ne__(self, other):
        try:
            return self._compare(other, lambda a, b: a != b)
        except (TypeError, ValueError):
            return NotImplemented

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)


def dimension_value(dimension):
    """The int (or None) of a dimension, whether it is a ``Dimension`` or already an int.

    >>> dimension_value(Dimension(5)), dimension_value(5), dimension_value(None)
    (5, 5, None)
    """
    return dimension.value if isinstance(dimension, Dimension) else dimension


def dimension_at_index(shape, index):
    """``Dimension`` ``index`` of ``shape`` (``tf.compat.v1.dimension_at_index``).

    >>> import d2l_core as d2l
    >>> dimension_at_index(d2l.TensorShape([None, 3]), 1)
    Dimension(3)
    """
    return Dimension(None if shape.rank is None else shape[index])


# ============================================================== tensor equality

_ELEMENTWISE = {"__eq__": _EagerTensor.__eq__, "__ne__": _EagerTensor.__ne__}
_GRAPH_IDENTITY = {"__eq__": Tensor.__eq__, "__ne__": Tensor.__ne__}


def _identity_eq(self, other):
    return self is other


def _identity_ne(self, other):
    return self is not other


_graph_equal = graph_op(_math.equal, "equal")
_graph_not_equal = graph_op(_math.not_equal, "not_equal")


def _graph_eq(self, other):
    return False if other is None else _graph_equal(self, other)


def _graph_ne(self, other):
    return True if other is None else _graph_not_equal(self, other)


def enable_tensor_equality():
    """``==`` and ``!=`` compare tensors elementwise, graph tensors included (TF2's rule).

    >>> import d2l_core.compat.v1 as tf
    >>> tf.enable_tensor_equality()
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1, 2])
    ...     print(tf.Session().run(x == 1))
    [ True False]
    >>> reset_tensor_equality()         # d2l_core's default again
    """
    _EagerTensor.__eq__, _EagerTensor.__ne__ = _ELEMENTWISE["__eq__"], _ELEMENTWISE["__ne__"]
    Tensor.__eq__, Tensor.__ne__ = _graph_eq, _graph_ne


def reset_tensor_equality():
    """d2l_core's default: eager tensors elementwise, graph tensors by identity.

    >>> reset_tensor_equality()
    """
    _EagerTensor.__eq__, _EagerTensor.__ne__ = _ELEMENTWISE["__eq__"], _ELEMENTWISE["__ne__"]
    Tensor.__eq__, Tensor.__ne__ = _GRAPH_IDENTITY["__eq__"], _GRAPH_IDENTITY["__ne__"]


def disable_tensor_equality():
    """``==`` and ``!=`` compare tensors by identity (TF1's rule): ``x == y`` is ``x is y``.

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> tf.disable_tensor_equality()
    >>> x = d2l.constant(1)
    >>> x == x, x == d2l.constant(1)
    (True, False)
    >>> reset_tensor_equality()         # d2l_core's default again
    """
    _EagerTensor.__eq__, _EagerTensor.__ne__ = _identity_eq, _identity_ne
    Tensor.__eq__, Tensor.__ne__ = _identity_eq, _identity_ne


# ============================================================== tables

def tables_initializer(name="init_all_tables"):
    """A no-op: d2l_core has no lookup tables to initialize (``tf.tables_initializer``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.tables_initializer().type)
    NoOp
    """
    return no_op(name=name)


# ============================================================== tf.compat.v1.data iterators

class Iterator:
    """A TF1 dataset iterator in a graph: ``get_next()`` gives tensors that yield the next
    element at each ``Session.run``; past the end that run raises ``OutOfRangeError``.

    The iterator's position is shared by every session of the graph.
    """

    def __init__(self, dataset, initializable):
        self._dataset, self._initializable = dataset, initializable
        self._iterator = None if initializable else iter(dataset)
        self._graph = get_default_graph()
        self._next = None
        self.initializer = (self._graph._create_op("MakeIterator", "MakeIterator", [],
                                                   self._restart) if initializable else None)

    def _restart(self, run, op, inputs):
        self._iterator = iter(self._dataset)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def _pull(self, run, op, inputs):
        if self._iterator is None:
            raise OutOfRangeError("GetNext() failed because the iterator has not been "
                                  "initialized. Ensure that you have run the initializer "
                                  "operation for this iterator before getting the next element "
                                  "(sess.run(iterator.initializer))")
        try:
            element = next(self._iterator)
        except StopIteration:
            raise OutOfRangeError("End of sequence") from None
        return [v for v in nest.flatten(element)]

    def get_next(self, name=None):
        """The next element as graph tensors (one node, evaluated once per ``Session.run``)."""
        if self._next is None:
            specs = nest.flatten(self._dataset.element_spec)
            op = self._graph._create_op("IteratorGetNext", name or "IteratorGetNext", [],
                                        self._pull,
                                        outputs=[(s.dtype, s.shape) for s in specs])
            self._next = nest.pack_sequence_as(self._dataset.element_spec, list(op.outputs))
        return self._next


def make_one_shot_iterator(dataset):
    """An iterator over ``dataset`` that needs no initializing (``tf.compat.v1.data.make_one_shot_iterator``).

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     nxt = tf.data.make_one_shot_iterator(d2l.data.Dataset.range(3)).get_next()
    ...     with tf.Session() as sess:
    ...         print([int(sess.run(nxt)) for _ in range(3)])
    [0, 1, 2]
    """
    return Iterator(dataset, initializable=False)


def make_initializable_iterator(dataset, shared_name=None):
    """An iterator that starts (again) whenever ``iterator.initializer`` runs.

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     it = tf.data.make_initializable_iterator(d2l.data.Dataset.range(2))
    ...     nxt = it.get_next()
    ...     with tf.Session() as sess:
    ...         sess.run(it.initializer)
    ...         print(int(sess.run(nxt)), int(sess.run(nxt)))
    0 1
    """
    return Iterator(dataset, initializable=True)


data = types.ModuleType("d2l_core.compat.v1.data",
                        "``tf.compat.v1.data``: d2l_core's ``data`` plus TF1's graph iterators.")
for _name in dir(_data):
    if not _name.startswith("_"):
        setattr(data, _name, getattr(_data, _name))
data.make_one_shot_iterator = make_one_shot_iterator
data.make_initializable_iterator = make_initializable_iterator
data.Iterator = Iterator


# ============================================================== TF1 spellings of tf.nn ops

_conv2d = graph_op(_conv.conv2d, "conv2d")
_max_pool = graph_op(_conv.max_pool2d, "max_pool")
_avg_pool = graph_op(_conv.avg_pool2d, "avg_pool")
_moments = graph_op(_conv.moments, "moments")
_backprop_filter = graph_op(_conv.conv2d_backprop_filter, "conv2d_backprop_filter")
_transpose = graph_op(_conv.conv2d_transpose, "conv2d_transpose")


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=None, name=None, filters=None):
    """``tf.compat.v1.nn.conv2d``: TF1's argument names (``filter``) in graph mode."""
    return _conv2d(input, filter if filters is None else filters, strides, padding,
                   data_format=data_format, dilations=dilations, name=name)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """``tf.compat.v1.nn.max_pool``: the input is called ``value`` in TF1."""
    return _max_pool(value if input is None else input, ksize, strides, padding,
                     data_format=data_format, name=name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
    """``tf.compat.v1.nn.avg_pool``: the input is called ``value`` in TF1."""
    return _avg_pool(value if input is None else input, ksize, strides, padding,
                     data_format=data_format, name=name)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """``tf.compat.v1.nn.moments``: ``keep_dims`` is TF1's spelling of ``keepdims``."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    return _moments(x, axes, keepdims=keep, name=name)


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa: A002
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=None, name=None, filters=None):
    """``tf.compat.v1.nn.conv2d_backprop_input``: conv2d's input gradient (conv2d_transpose)."""
    return _transpose(out_backprop, filter if filters is None else filters, input_sizes, strides,
                      padding, data_format=data_format, dilations=dilations, name=name)


NN_ALIASES = {"conv2d": conv2d, "max_pool": max_pool, "avg_pool": avg_pool, "moments": moments,
              "conv2d_backprop_input": conv2d_backprop_input,
              "conv2d_backprop_filter": _backprop_filter}
