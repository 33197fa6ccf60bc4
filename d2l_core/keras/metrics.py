"""Metrics that accumulate over batches (``tf.keras.metrics``).

A metric object keeps a running state: ``update_state(...)`` adds a batch,
``result()`` gives the value so far and ``reset_state()`` starts over, which
``fit`` does at the start of every epoch. Metrics only watch training: they
are computed outside any gradient tape, with NumPy.

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
from .. import backend
from ..tensor import Tensor, Variable, array_of, wrap
from . import _naming
from . import losses as _losses

__all__ = ["Metric", "Mean", "Sum", "MeanMetricWrapper", "Accuracy", "BinaryAccuracy",
           "CategoricalAccuracy", "SparseCategoricalAccuracy", "MeanSquaredError",
           "MeanAbsoluteError", "accuracy", "binary_accuracy", "categorical_accuracy",
           "sparse_categorical_accuracy", "get"]


def _np(x):
    """A host NumPy array for a Tensor, array, list or number (no copy for CPU tensors)."""
    if isinstance(x, Tensor):
        return backend.to_numpy(array_of(x.value()) if isinstance(x, Variable) else array_of(x))
    return np.asarray(x)


def _scalar_tensor(value):
    return wrap(np.asarray(value, dtype=np.float32))


class Metric:
    """Base class: subclasses implement ``update_state``, ``result`` and ``reset_state``.

    Calling a metric updates it with one batch and returns the result so far.

    >>> m = d2l.keras.metrics.Mean()
    >>> float(m([1.0, 3.0]))
    2.0
    """

    def __init__(self, name=None, dtype=None):
        self.name = name or _naming.snake_case(type(self).__name__)
        self.dtype = dtype or "float32"

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def reset_state(self):
        raise NotImplementedError

    def reset_states(self):
        """The older spelling of ``reset_state``."""
        self.reset_state()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


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
        self.reset_state()

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, values, sample_weight=None):
        v = _np(values)
        if sample_weight is None:
            self.total += float(v.sum(dtype=np.float64))
            self.count += v.size
            return
        if v.ndim == 0 and isinstance(sample_weight, (int, float)):   # fit's loss tracker
            self.total += float(v) * sample_weight
            self.count += sample_weight
            return
        v = v.astype(np.float64, copy=False)
        w = _np(sample_weight).astype(np.float64, copy=False)
        if w.ndim == v.ndim + 1 and w.shape[-1] == 1:
            w = w[..., 0]
        try:
            w = np.broadcast_to(w, v.shape) if w.ndim <= v.ndim else w
            self.total += float((v * w).sum())
        except ValueError:
            raise InvalidArgumentError(f"{self.name}: sample_weight of shape {w.shape} does "
                                       f"not fit values of shape {v.shape}", op=self.name) from None
        self.count += float(w.sum())

    def result(self):
        return _scalar_tensor(self._float())

    def _float(self):
        return float(np.float32(self.total / self.count if self.count else 0.0))


class Sum(Metric):
    """The running sum.

    >>> m = d2l.keras.metrics.Sum()
    >>> float(m([1.0, 2.0]))
    3.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self):
        self.total = 0.0

    def update_state(self, values, sample_weight=None):
        v = _np(values).astype(np.float64, copy=False)
        if sample_weight is not None:
            v = v * _np(sample_weight)
        self.total += float(v.sum())

    def result(self):
        return _scalar_tensor(self.total)


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
        fn = getattr(self._fn, "_numpy", self._fn)     # built-in metrics skip the Tensor wrap
        super().update_state(fn(y_true, y_pred, **self._fn_kwargs), sample_weight)


# ==================================================================== functions (per example)

def _pair(op, y_true, y_pred):
    t, p = _np(y_true), _np(y_pred)
    if t.ndim == p.ndim - 1 and p.shape and p.shape[-1] == 1:
        t = t[..., None]
    elif p.ndim == t.ndim - 1 and t.shape and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape:
        raise InvalidArgumentError(f"{op}: y_true has shape {t.shape} but y_pred has shape "
                                   f"{p.shape}; they must match", op=op)
    return t, p


def _per_example(values):
    """float32 values with the last axis averaged away (Keras's metric functions)."""
    values = values.astype(np.float32)
    return values.mean(axis=-1) if values.ndim > 1 else values


def _accuracy(y_true, y_pred):
    t, p = _pair("accuracy", y_true, y_pred)
    return (t == p).astype(np.float32)


def _binary_accuracy(y_true, y_pred, threshold=0.5):
    t, p = _pair("binary_accuracy", y_true, y_pred)
    return _per_example((p > threshold) == (t > 0.5))


def accuracy(y_true, y_pred):
    """1.0 where y_pred equals y_true exactly, else 0.0.

    >>> d2l.keras.metrics.accuracy([1, 2, 3], [1, 2, 0]).numpy()
    array([1., 1., 0.], dtype=float32)
    """
    return wrap(_accuracy(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) matches the 0/1 label, averaged over the last axis.

    >>> d2l.keras.metrics.binary_accuracy([[1.0], [0.0]], [[0.7], [0.6]]).numpy()
    array([1., 0.], dtype=float32)
    """
    return wrap(_binary_accuracy(y_true, y_pred, threshold))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the highest-scoring class is the one-hot label's class.

    >>> d2l.keras.metrics.categorical_accuracy([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    return wrap(_categorical_accuracy(y_true, y_pred))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the highest-scoring class equals the integer label.

    >>> d2l.keras.metrics.sparse_categorical_accuracy([1, 0], [[0.2, 0.8], [0.3, 0.7]]).numpy()
    array([1., 0.], dtype=float32)
    """
    return wrap(_sparse_categorical_accuracy(y_true, y_pred))


def _categorical_accuracy(y_true, y_pred):
    t, p = _np(y_true), _np(y_pred)
    if t.shape != p.shape:
        hint = (" (for class-number labels use sparse_categorical_accuracy)"
                if t.ndim == p.ndim - 1 or (t.shape and t.shape[-1] == 1) else "")
        raise InvalidArgumentError(f"categorical_accuracy: y_true has shape {t.shape} but "
                                   f"y_pred has shape {p.shape}; they must match{hint}",
                                   op="categorical_accuracy")
    return (t.argmax(axis=-1) == p.argmax(axis=-1)).astype(np.float32)


def _sparse_categorical_accuracy(y_true, y_pred):
    t, p = _np(y_true), _np(y_pred)
    if t.ndim == p.ndim and t.shape and t.shape[-1] == 1:
        t = t[..., 0]
    if t.shape != p.shape[:-1]:
        hint = (" (for one-hot labels use categorical_accuracy)" if t.shape == p.shape else "")
        raise InvalidArgumentError(f"sparse_categorical_accuracy: y_true has shape {t.shape} "
                                   f"but y_pred has shape {p.shape}; y_true should hold one "
                                   f"class number per example{hint}",
                                   op="sparse_categorical_accuracy")
    return (p.argmax(axis=-1) == t).astype(np.float32)


# The metric objects call these NumPy cores directly (no Tensor round trip).
accuracy._numpy = _accuracy
binary_accuracy._numpy = _binary_accuracy
categorical_accuracy._numpy = _categorical_accuracy
sparse_categorical_accuracy._numpy = _sparse_categorical_accuracy


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
    from ..tensor import convert_to_tensor
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


def resolve(identifier, y_true, y_pred, loss=None):
    """The Metric object ``compile(metrics=[...])`` means, with Keras's rules for 'accuracy'
    (binary, sparse or categorical, chosen from the shapes and the loss).

    Public-internal (``Model.compile`` uses it), not a Keras name.

    >>> m = d2l.keras.metrics.resolve('accuracy', d2l.constant([2, 0]), d2l.ones((2, 3)))
    >>> m.name, float(m(d2l.constant([2, 0]), d2l.constant([[0.1, 0.2, 0.7], [0.1, 0.8, 0.1]])))
    ('accuracy', 0.5)
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    name = identifier if isinstance(identifier, str) else getattr(identifier, "__name__", "metric")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        ts, ps = tuple(y_true.shape), tuple(y_pred.shape)
        binary = (ps[-1:] == (1,)) or getattr(loss, "__name__", None) == "binary_crossentropy" \
            or isinstance(loss, _losses.BinaryCrossentropy)
        sparse = len(ts) < len(ps) or (ts[-1:] == (1,) and ps[-1:] != (1,))
        fn = binary_accuracy if binary else sparse_categorical_accuracy if sparse \
            else categorical_accuracy
        return MeanMetricWrapper(fn, name=identifier)
    fn = get(identifier)
    if fn in (_losses.mean_squared_error, _losses.mean_absolute_error,
              _losses.categorical_crossentropy, _losses.sparse_categorical_crossentropy,
              _losses.binary_crossentropy):
        fn = _loss_metric(fn)
    return MeanMetricWrapper(fn, name=name)
