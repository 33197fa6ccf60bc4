"""Metrics that accumulate over batches (``tf.keras.metrics``).

A metric object keeps a running state in Variables (``metric.variables``):
``update_state(...)`` adds a batch, ``result()`` gives the value so far and
``reset_state()`` starts over, which ``fit`` does at the start of every
epoch. Because the state is Variables updated with d2l ops (``assign_add``),
a metric works inside ``d2l.function``, as in the traced step ``fit`` runs.

>>> import d2l_core as d2l
>>> m = d2l.keras.metrics.SparseCategoricalAccuracy()
>>> m.update_state([1, 0], [[0.1, 0.9], [0.2, 0.8]])    # one right, one wrong
>>> float(m.result())
0.5
>>> m.update_state([1], [[0.3, 0.7]])
>>> round(float(m.result()), 4)
0.6667
"""
import numpy as np

from ..errors import InvalidArgumentError
from .. import dtypes
from ..ops import array as _array
from ..ops import broadcast as _broadcast
from ..ops import math as _math
from ..ops import reduce as _reduce
from ..tensor import Tensor, Variable, convert_to_tensor
from . import _naming
from . import initializers as _initializers
from . import losses as _losses
from .backend import int_shape

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "MeanSquaredError",
           "MeanAbsoluteError", "accuracy", "binary_accuracy", "categorical_accuracy",
           "sparse_categorical_accuracy", "get"]


def _tensor(x):
    """A Tensor for a Tensor, array, list or number (Python floats become float32)."""
    if isinstance(x, Tensor):
        return x
    a = np.asarray(x)
    return convert_to_tensor(a.astype(np.float32) if a.dtype == np.float64 else a)


def _float32(x):
    if not isinstance(x, Tensor):
        return convert_to_tensor(np.asarray(x, dtype=np.float32))
    return x if x.dtype is dtypes.float32 else _math.cast(x, dtypes.float32)


def _sum(x):
    """The sum of all elements (a scalar is its own sum: one op fewer per step)."""
    return _broadcast.reduce_sum(x) if int_shape(x) else x


class Metric:
    """Base class: subclasses implement ``update_state`` and ``result``, with state made by
    ``add_weight`` (Variables, so the metric also works inside ``d2l.function``).

    Calling a metric updates it with one batch and returns the result so far.

    >>> m = d2l.keras.metrics.Mean()
    >>> float(m([1.0, 3.0]))
    2.0
    >>> class Count(d2l.keras.metrics.Metric):       # TensorFlow's way to write one
    ...     def __init__(self, name='count'):
    ...         super().__init__(name=name)
    ...         self.n = self.add_weight(name='n', initializer='zeros')
    ...     def update_state(self, values):
    ...         self.n.assign_add(d2l.cast(d2l.size(values), d2l.float32))
    ...     def result(self):
    ...         return self.n
    >>> c = Count(); c.update_state([1, 2, 3]); float(c.result())
    3.0
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or _naming.snake_case(type(self).__name__)
        self.dtype = dtype or "float32"
        self._variables = []

    def add_weight(self, name=None, shape=(), dtype=None, initializer="zeros", **kwargs):
        """A state Variable of the metric (not trainable), reset to its initial value by
        ``reset_state``."""
        dtype = dtypes.as_dtype(dtype or self.dtype)
        init = _initializers.get(initializer or "zeros")
        v = Variable(init(tuple(shape or ()), dtype=dtype), trainable=False,
                     name=name or "Variable", dtype=dtype)
        if not hasattr(self, "_variables"):
            raise RuntimeError(f"{type(self).__name__}: call super().__init__() before "
                               "add_weight")
        self._variables.append((v, init))
        return v

    @property
    def variables(self):
        """The state Variables, in the order they were made."""
        return [v for v, _ in self._variables]

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        """Every state Variable back to its initial value (fit does this each epoch)."""
        for v, init in self._variables:
            v.assign(init(tuple(v.shape.as_list()), dtype=v.dtype))

    def reset_states(self):
        """The older spelling of ``reset_state``."""
        self.reset_state()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


def _matched_weights(name, values, sample_weight):
    """``sample_weight`` as float32, shaped to broadcast against ``values`` (Keras squeezes a
    trailing 1 off the weights, or adds one, when the ranks differ by one)."""
    w = _float32(sample_weight)
    vs, ws = int_shape(values), int_shape(w)
    if ws == vs:
        return w
    if len(ws) == len(vs) + 1 and ws[-1] == 1:
        w = _array.squeeze(w, -1)
    elif len(ws) == len(vs) - 1 and len(ws) > 0:
        w = _array.expand_dims(w, -1)
    try:
        np.broadcast_shapes(*(tuple(1 if d is None else d for d in s)
                              for s in (int_shape(w), vs)))
    except ValueError:
        raise InvalidArgumentError(f"{name}: sample_weight of shape {ws} does not fit values "
                                   f"of shape {vs}; give one weight per example",
                                   op=name) from None
    return w


class Mean(Metric):
    """The (weighted) mean of everything given so far.

    >>> m = d2l.keras.metrics.Mean()
    >>> m.update_state([1.0, 2.0, 3.0])
    >>> m.update_state(10.0, sample_weight=3)
    >>> float(m.result())     # (1 + 2 + 3 + 10·3) / (3 + 3)
    6.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)
        self.total = self.add_weight("total")
        self.count = self.add_weight("count")

    def update_state(self, values, sample_weight=None):
        values = _float32(values)
        if sample_weight is None:
            self.total.assign_add(_sum(values))
            shape = int_shape(values)
            self.count.assign_add(float(np.prod(shape)) if None not in shape else
                                  _math.cast(_array.size(values), dtypes.float32))
            return
        w = _matched_weights(self.name, values, sample_weight)
        self.total.assign_add(_sum(_math.multiply(values, w)))
        if int_shape(w) != int_shape(values):          # count each value's (broadcast) weight
            w = _math.multiply(w, _array.ones_like(values))
        self.count.assign_add(_sum(w))

    def result(self):
        return _math.divide_no_nan(self.total, self.count)   # 0 before anything was counted


class Sum(Metric):
    """The running sum.

    >>> m = d2l.keras.metrics.Sum()
    >>> float(m([1.0, 2.0]))
    3.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)
        self.total = self.add_weight("total")

    def update_state(self, values, sample_weight=None):
        values = _float32(values)
        if sample_weight is not None:
            values = _math.multiply(values, _matched_weights(self.name, values, sample_weight))
        self.total.assign_add(_sum(values))

    def result(self):
        return _array.identity(self.total)


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred)`` over all examples seen.

    >>> m = d2l.keras.metrics.MeanMetricWrapper(d2l.keras.metrics.binary_accuracy, name='acc')
    >>> float(m([[1.0], [0.0]], [[0.9], [0.8]]))
    0.5
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name or getattr(fn, "__name__", "metric"), dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(self._fn(y_true, y_pred, **self._fn_kwargs), sample_weight)


# ==================================================================== functions (per example)

def _pair(op, y_true, y_pred):
    t, p = _tensor(y_true), _tensor(y_pred)
    ts, ps = int_shape(t), int_shape(p)
    if len(ts) == len(ps) - 1 and ps and ps[-1] == 1:
        t, ts = _array.expand_dims(t, -1), ts + (1,)
    elif len(ps) == len(ts) - 1 and ts and ts[-1] == 1:
        t, ts = _array.squeeze(t, -1), ts[:-1]
    if not _compatible(ts, ps):
        raise InvalidArgumentError(f"{op}: y_true has shape {ts} but y_pred has shape "
                                   f"{ps}; they must match", op=op)
    return t, p


def _compatible(a, b):
    """Same rank, and equal sizes wherever both are known (None: known only when run)."""
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def _per_example(values):
    """float32 values with the last axis averaged away (Keras's metric functions)."""
    values = _math.cast(values, dtypes.float32)
    return _reduce.reduce_mean(values, axis=-1) if len(int_shape(values)) > 1 else values


def _same_dtype(t, p):
    return p if p.dtype is t.dtype else _math.cast(p, t.dtype)


def accuracy(y_true, y_pred):
    """1.0 where y_pred equals y_true exactly, else 0.0.

    >>> d2l.keras.metrics.accuracy([1, 2, 3], [1, 2, 0]).numpy()
    array([1., 1., 0.], dtype=float32)
    """
    t, p = _pair("accuracy", y_true, y_pred)
    return _math.cast(_math.equal(t, _same_dtype(t, p)), dtypes.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) matches the 0/1 label, averaged over the last axis.

    >>> d2l.keras.metrics.binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).numpy()
    array([1., 0.], dtype=float32)
    """
    t, p = _pair("binary_accuracy", y_true, y_pred)
    p = _math.greater(_float32(p), float(threshold))
    t = _math.greater(_float32(t), 0.5)
    return _per_example(_math.equal(p, t))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the highest-scoring class is the one-hot label's class.

    >>> d2l.keras.metrics.categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    t, p = _tensor(y_true), _tensor(y_pred)
    ts, ps = int_shape(t), int_shape(p)
    if not _compatible(ts, ps):
        hint = (" (for class-number labels use sparse_categorical_accuracy)"
                if len(ts) == len(ps) - 1 or (ts and ts[-1] == 1) else "")
        raise InvalidArgumentError(f"categorical_accuracy: y_true has shape {ts} but "
                                   f"y_pred has shape {ps}; they must match{hint}",
                                   op="categorical_accuracy")
    return _math.cast(_math.equal(_reduce.argmax(t, axis=-1), _reduce.argmax(p, axis=-1)),
                      dtypes.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the highest-scoring class equals the integer label.

    >>> d2l.keras.metrics.sparse_categorical_accuracy([1, 0], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    t, p = _tensor(y_true), _tensor(y_pred)
    ts, ps = int_shape(t), int_shape(p)
    if len(ts) == len(ps) and ts and ts[-1] == 1:
        t, ts = _array.squeeze(t, -1), ts[:-1]
    if not _compatible(ts, ps[:-1]):
        hint = (" (for one-hot labels use categorical_accuracy)" if ts == ps else "")
        raise InvalidArgumentError(f"sparse_categorical_accuracy: y_true has shape {ts} "
                                   f"but y_pred has shape {ps}; y_true should hold one "
                                   f"class number per example{hint}",
                                   op="sparse_categorical_accuracy")
    return _math.cast(_math.equal(_same_dtype(t, _reduce.argmax(p, axis=-1)), t),
                      dtypes.float32)


# ==================================================================== metric objects

class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly (compare rounded or argmax'ed values).

    >>> float(d2l.keras.metrics.Accuracy()([1, 2, 3, 4], [0, 2, 3, 4]))
    0.75
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often (y_pred > threshold) matches 0/1 labels.

    >>> float(d2l.keras.metrics.BinaryAccuracy()([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
    0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the highest-scoring class is the one-hot label's class.

    >>> float(d2l.keras.metrics.CategoricalAccuracy()([[0, 0, 1], [0, 1, 0]],
    ...                                                [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the highest-scoring class equals the integer label.

    >>> float(d2l.keras.metrics.SparseCategoricalAccuracy()([[2], [1]],
    ...                                                      [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
    0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name, dtype)


def _loss_metric(fn):
    def metric(y_true, y_pred):
        return _losses_np(fn, y_true, y_pred)
    metric.__name__ = fn.__name__
    return metric


def _losses_np(fn, y_true, y_pred):
    p = y_pred if isinstance(y_pred, Tensor) else convert_to_tensor(np.asarray(y_pred, np.float32))
    return fn(y_true, p)


class MeanSquaredError(MeanMetricWrapper):
    """The mean of (y_true - y_pred)² over all examples seen.

    >>> float(d2l.keras.metrics.MeanSquaredError()([[0.0, 1.0]], [[1.0, 1.0]]))
    0.5
    """

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(_loss_metric(_losses.mean_squared_error), name, dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of |y_true - y_pred| over all examples seen.

    >>> float(d2l.keras.metrics.MeanAbsoluteError()([[0.0, 1.0]], [[2.0, 1.0]]))
    1.0
    """

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(_loss_metric(_losses.mean_absolute_error), name, dtype)


_FUNCTIONS = {
    "accuracy": accuracy, "acc": accuracy, "binary_accuracy": binary_accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "mse": _losses.mean_squared_error, "mean_squared_error": _losses.mean_squared_error,
    "mae": _losses.mean_absolute_error, "mean_absolute_error": _losses.mean_absolute_error,
    "categorical_crossentropy": _losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": _losses.sparse_categorical_crossentropy,
    "binary_crossentropy": _losses.binary_crossentropy,
}
mse = MSE = mean_squared_error = _losses.mean_squared_error
mae = MAE = mean_absolute_error = _losses.mean_absolute_error


def get(identifier):
    """A metric function from a name, or the function/Metric itself.

    >>> d2l.keras.metrics.get('categorical_accuracy').__name__
    'categorical_accuracy'
    """
    if isinstance(identifier, Metric) or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, str):
        fn = _FUNCTIONS.get(identifier.lower())
        if fn is None:
            raise ValueError(f"Unknown metric function: {identifier!r}. Use one of "
                             f"{sorted(_FUNCTIONS)}, a Metric object, or a function "
                             "metric(y_true, y_pred)")
        return fn
    raise TypeError(f"Could not interpret metric identifier: {identifier!r}")


def _accuracy_kind(y_true, y_pred, loss):
    """Keras's rule for 'accuracy': binary, sparse or categorical, from the shapes and loss."""
    ts, ps = int_shape(_tensor(y_true)), int_shape(_tensor(y_pred))
    binary = (ps[-1:] == (1,)) or getattr(loss, "__name__", None) == "binary_crossentropy" \
        or isinstance(loss, _losses.BinaryCrossentropy)
    sparse = len(ts) < len(ps) or (ts[-1:] == (1,) and ps[-1:] != (1,))
    return binary_accuracy if binary else sparse_categorical_accuracy if sparse \
        else categorical_accuracy


class _AccuracyByShapes(MeanMetricWrapper):
    """'accuracy' made before any data: the first batch's shapes pick the kind."""

    def __init__(self, name, loss):
        super().__init__(None, name=name)
        self._loss = loss

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._fn is None:
            self._fn = _accuracy_kind(y_true, y_pred, self._loss)
        super().update_state(y_true, y_pred, sample_weight)


def resolve(identifier, y_true=None, y_pred=None, loss=None):
    """The Metric object ``compile(metrics=[...])`` means, with Keras's rules for 'accuracy'
    (binary, sparse or categorical, chosen from the shapes and the loss).

    Without ``y_true`` and ``y_pred`` (at compile time, before any data), an
    'accuracy' metric chooses from the shapes of each batch it is given.
    Public-internal (``Model.compile`` uses it), not a Keras name.

    >>> m = d2l.keras.metrics.resolve('accuracy', d2l.constant([2, 0]), d2l.ones((2, 3)))
    >>> m.name, float(m(d2l.constant([2, 0]), d2l.constant([[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]])))
    ('accuracy', 0.5)
    >>> m = d2l.keras.metrics.resolve('accuracy')        # chosen per batch: sparse here
    >>> float(m(d2l.constant([2, 0]), d2l.constant([[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]])))
    0.5
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    name = identifier if isinstance(identifier, str) else getattr(identifier, "__name__", "metric")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        if y_true is not None and y_pred is not None:
            return MeanMetricWrapper(_accuracy_kind(y_true, y_pred, loss), name=identifier)
        return _AccuracyByShapes(identifier, loss)
    fn = get(identifier)
    if fn in (_losses.mean_squared_error, _losses.mean_absolute_error,
              _losses.categorical_crossentropy, _losses.sparse_categorical_crossentropy,
              _losses.binary_crossentropy):
        fn = _loss_metric(fn)
    return MeanMetricWrapper(fn, name=name)
