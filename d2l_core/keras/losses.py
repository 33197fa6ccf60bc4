"""Loss functions and loss objects (``tf.keras.losses``).

Two forms, as in Keras:

* functions such as ``mean_squared_error(y_true, y_pred)`` return one loss
  per example (the mean over the last axis);
* objects such as ``MeanSquaredError()`` are called the same way and return
  one number: by default the mean over the batch (Keras's
  ``SUM_OVER_BATCH_SIZE``), optionally weighted by ``sample_weight``.

Cross-entropies take probabilities by default (clipped to [1e-7, 1 - 1e-7]
as Keras does) or raw scores with ``from_logits=True``, which is computed
stably from ``log_softmax`` / ``sigmoid_cross_entropy_with_logits`` and is
the better choice when the last layer has no activation.

>>> import d2l_core as d2l
>>> y_true = d2l.constant([[0.0, 1.0], [1.0, 0.0]])
>>> y_pred = d2l.constant([[0.0, 1.0], [0.5, 0.5]])
>>> d2l.keras.losses.mean_squared_error(y_true, y_pred).numpy()
array([0.  , 0.25], dtype=float32)
>>> float(d2l.keras.losses.MeanSquaredError()(y_true, y_pred))
0.125
"""
import numpy as np

from ..errors import InvalidArgumentError, SwappedArgumentsError
from ..ops import array as _array
from ..ops import math as _math
from ..ops import nn as _nn
from ..ops import reduce as _reduce
from ..tensor import Tensor, convert_to_tensor
from . import _naming
from .backend import int_shape

__all__ = ["Loss", "LossFunctionWrapper", "Reduction", "MeanSquaredError", "MeanAbsoluteError",
           "BinaryCrossentropy", "CategoricalCrossentropy", "SparseCategoricalCrossentropy",
           "mean_squared_error", "mse", "MSE", "mean_absolute_error", "mae", "MAE",
           "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
           "get", "serialize"]

EPSILON = 1e-7       # Keras's backend.epsilon(): keeps log() away from 0


class Reduction:
    """How a loss object turns per-example losses into one value.

    ``SUM_OVER_BATCH_SIZE`` (the default, also ``AUTO``) is the mean,
    ``SUM`` the sum and ``NONE`` keeps one value per example.

    >>> mse = d2l.keras.losses.MeanSquaredError(reduction=Reduction.NONE)
    >>> mse([[0.0], [0.0]], [[1.0], [2.0]]).numpy()
    array([1., 4.], dtype=float32)
    """

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction key: {key!r}; expected one of {cls.all()}")


# ==================================================================== shared checks

def _pred(op, y_pred):
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        raise SwappedArgumentsError(f"{op}: y_pred (the model's output) must be a float tensor, got "
                        f"{y_pred.dtype.name}. Did you swap the arguments? Losses are called "
                        "as loss(y_true, y_pred)")
    return y_pred


def _true_like(op, y_true, y_pred):
    """``y_true`` as a tensor of ``y_pred``'s dtype and shape (Keras squeezes or expands a
    trailing 1); any other shape difference is an error that says how to fix it."""
    if isinstance(y_true, Tensor):
        y_true = convert_to_tensor(y_true)
        if y_true.dtype is not y_pred.dtype:
            y_true = _math.cast(y_true, y_pred.dtype)
    else:
        y_true = convert_to_tensor(np.asarray(y_true), dtype=None)
        if y_true.dtype is not y_pred.dtype:
            y_true = _math.cast(y_true, y_pred.dtype)
    ts, ps = int_shape(y_true), int_shape(y_pred)
    if ts == ps:
        return y_true
    if len(ts) == len(ps) - 1 and ps[-1] == 1 and ts == ps[:-1]:
        return _array.expand_dims(y_true, -1)
    if len(ts) == len(ps) + 1 and ts[-1] == 1 and ts[:-1] == ps:
        return _array.squeeze(y_true, -1)
    if len(ts) == len(ps) - 1 and ts == ps[:-1]:
        hint = (f"the labels look like class numbers: one-hot encode them with "
                f"d2l.one_hot(y_true, depth={ps[-1]}), or use "
                "SparseCategoricalCrossentropy, which takes class numbers")
    elif len(ts) == len(ps) and ts[:-1] == ps[:-1]:
        hint = (f"the last dimensions differ ({ts[-1]} vs {ps[-1]}): make the model's last "
                f"layer have {ts[-1]} units, or check the labels' encoding")
    elif ts and ps and ts[0] != ps[0]:
        hint = "the batch sizes differ: check that labels and inputs were batched together"
    else:
        hint = "reshape one of them so the shapes match"
    raise InvalidArgumentError(
        f"{op}: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
        f"they must match, and {hint}", op=op)


# ==================================================================== functions (per example)

def mean_squared_error(y_true, y_pred):
    """Mean of (y_true - y_pred)² over the last axis, one value per example.

    >>> d2l.keras.losses.mean_squared_error([[1.0, 3.0]], d2l.constant([[0.0, 1.0]])).numpy()
    array([2.5], dtype=float32)
    """
    y_pred = _pred("mean_squared_error", y_pred)
    y_true = _true_like("mean_squared_error", y_true, y_pred)
    return _reduce.reduce_mean(_math.square(_math.subtract(y_pred, y_true)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """Mean of |y_true - y_pred| over the last axis, one value per example.

    >>> d2l.keras.losses.mean_absolute_error([[1.0, 3.0]], d2l.constant([[0.0, 1.0]])).numpy()
    array([1.5], dtype=float32)
    """
    y_pred = _pred("mean_absolute_error", y_pred)
    y_true = _true_like("mean_absolute_error", y_true, y_pred)
    return _reduce.reduce_mean(_math.abs(_math.subtract(y_pred, y_true)), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-[y·ln p + (1-y)·ln(1-p)] averaged over the last axis, one value per example.

    ``y_pred`` holds probabilities, or logits with ``from_logits=True``.

    >>> y = d2l.constant([[1.0], [0.0]])
    >>> d2l.keras.losses.binary_crossentropy(y, d2l.constant([[0.0], [0.0]]), from_logits=True).numpy()
    array([0.6931472, 0.6931472], dtype=float32)
    """
    y_pred = _pred("binary_crossentropy", y_pred)
    y_true = _true_like("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = _math.add(_math.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    if from_logits:
        per_element = _nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        p = _math.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
        bce = _math.add(_math.multiply(y_true, _math.log(_math.add(p, EPSILON))),
                        _math.multiply(_math.subtract(1.0, y_true),
                                       _math.log(_math.add(_math.subtract(1.0, p), EPSILON))))
        per_element = _math.negative(bce)
    return _reduce.reduce_mean(per_element, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-Σ y_true·ln(y_pred) over the classes, for one-hot (or probability) labels.

    ``y_pred`` holds probabilities (rescaled to sum to 1 and clipped, as in
    Keras), or logits with ``from_logits=True``.

    >>> y_true = d2l.one_hot([1], depth=3)
    >>> d2l.keras.losses.categorical_crossentropy(y_true, d2l.constant([[0.2, 0.7, 0.1]])).numpy()
    array([0.356675], dtype=float32)
    >>> d2l.keras.losses.categorical_crossentropy(y_true, d2l.constant([[0.0, 1000.0, 0.0]]),
    ...                                           from_logits=True).numpy()
    array([0.], dtype=float32)
    """
    op = "categorical_crossentropy"
    y_pred = _pred(op, y_pred)
    y_true = _true_like(op, y_true, y_pred)
    if y_pred.ndim == 0:
        raise InvalidArgumentError(f"{op}: y_pred must have a class axis, got a scalar", op=op)
    if label_smoothing:
        n = int_shape(y_pred)[axis]
        y_true = _math.add(_math.multiply(y_true, 1.0 - label_smoothing), label_smoothing / n)
    if from_logits:
        log_p = _nn.log_softmax(y_pred, axis=axis)
    else:
        p = _math.divide(y_pred, _reduce.reduce_sum(y_pred, axis=axis, keepdims=True))
        log_p = _math.log(_math.clip_by_value(p, EPSILON, 1.0 - EPSILON))
    return _math.negative(_reduce.reduce_sum(_math.multiply(y_true, log_p), axis=axis))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1,
                                    ignore_class=None):
    """Cross-entropy for integer class labels: -ln(y_pred[label]) per example.

    ``y_true`` holds class numbers with shape (batch,) or (batch, 1).

    >>> d2l.keras.losses.sparse_categorical_crossentropy([1], d2l.constant([[0.2, 0.7, 0.1]])).numpy()
    array([0.35667497], dtype=float32)
    """
    op = "sparse_categorical_crossentropy"
    y_pred = _pred(op, y_pred)
    if axis not in (-1, y_pred.ndim - 1):
        raise NotImplementedError(f"{op}: only axis=-1 (classes last) is supported")
    labels = convert_to_tensor(y_true if isinstance(y_true, Tensor) else np.asarray(y_true))
    ts, ps = int_shape(labels), int_shape(y_pred)
    if ts == ps and ps and ps[-1] > 1:
        raise InvalidArgumentError(
            f"{op}: y_true has shape {labels.shape}, the same as y_pred: it looks one-hot "
            "encoded, but this loss takes class numbers. Use CategoricalCrossentropy for "
            "one-hot labels, or pass d2l.argmax(y_true, axis=-1)", op=op)
    if len(ts) == len(ps) and ts and ts[-1] == 1:
        labels = _array.squeeze(labels, -1)
        ts = ts[:-1]
    if ts != ps[:-1]:
        raise InvalidArgumentError(
            f"{op}: y_true has shape {labels.shape} but y_pred has shape {y_pred.shape}; "
            f"y_true should hold one class number per example, shape {ps[:-1]}", op=op)
    if not labels.dtype.is_integer and type(labels) is not Tensor:   # traced: no values
        labels = _math.cast(labels, "int64")
    elif not labels.dtype.is_integer:
        values = labels.numpy()
        if labels.dtype.is_bool or (values.size and not np.all(values == np.round(values))):
            raise TypeError(f"{op}: y_true must hold whole class numbers, got dtype "
                            f"{labels.dtype.name} with non-integer values")
        labels = _math.cast(labels, "int64")
    logits = y_pred if from_logits else _math.log(_math.clip_by_value(y_pred, EPSILON,
                                                                       1.0 - EPSILON))
    if ignore_class is not None:
        keep = _math.not_equal(labels, ignore_class)
        safe = _math.where(keep, labels, _array.zeros_like(labels))
        loss = _nn.sparse_softmax_cross_entropy_with_logits(labels=safe, logits=logits)
        return _math.multiply(loss, _math.cast(keep, loss.dtype))
    return _nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


# ==================================================================== loss objects

def _reduce_losses(losses, sample_weight, reduction):
    if sample_weight is not None:
        sw = convert_to_tensor(sample_weight) if isinstance(sample_weight, Tensor) else \
            convert_to_tensor(np.asarray(sample_weight))
        if sw.dtype is not losses.dtype:
            sw = _math.cast(sw, losses.dtype)
        ls, ws = int_shape(losses), int_shape(sw)
        if len(ws) == len(ls) + 1 and ws[-1] == 1:
            sw = _array.squeeze(sw, -1)
            ws = ws[:-1]
        try:
            np.broadcast_shapes(*(tuple(1 if d is None else d for d in s) for s in (ws, ls)))
        except ValueError:
            raise InvalidArgumentError(
                f"loss: sample_weight has shape {sw.shape} but the per-example losses have "
                f"shape {losses.shape}; give one weight per example", op="loss") from None
        losses = _math.multiply(losses, sw)
    if reduction == Reduction.NONE:
        return losses
    if reduction == Reduction.SUM:
        return _reduce.reduce_sum(losses)
    return _reduce.reduce_mean(losses) if losses.ndim else losses


class Loss:
    """Base class of loss objects: ``loss(y_true, y_pred, sample_weight=None)`` returns a scalar.

    Subclasses implement ``call(y_true, y_pred)``, returning per-example losses.

    >>> class MyMSE(d2l.keras.losses.Loss):
    ...     def call(self, y_true, y_pred):
    ...         return d2l.reduce_mean(d2l.square(y_pred - y_true), axis=-1)
    >>> float(MyMSE()(d2l.constant([[1.0]]), d2l.constant([[3.0]])))
    4.0
    """

    def __init__(self, reduction=Reduction.AUTO, name=None):
        Reduction.validate(reduction)
        self.reduction = reduction
        self.name = name or _naming.snake_case(type(self).__name__)

    def __call__(self, y_true, y_pred, sample_weight=None):
        return _reduce_losses(self.call(y_true, y_pred), sample_weight, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError("Loss subclasses implement call(y_true, y_pred)")

    def get_config(self):
        return {"reduction": self.reduction, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


class LossFunctionWrapper(Loss):
    """A loss object around a per-example loss function ``fn(y_true, y_pred, **kwargs)``.

    >>> loss = d2l.keras.losses.LossFunctionWrapper(d2l.keras.losses.mae, name='mae')
    >>> float(loss(d2l.constant([[1.0], [3.0]]), d2l.constant([[0.0], [0.0]])))
    2.0
    """

    def __init__(self, fn, reduction=Reduction.AUTO, name=None, **kwargs):
        super().__init__(reduction, name or getattr(fn, "__name__", "loss"))
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}


class MeanSquaredError(LossFunctionWrapper):
    """Mean of (y_true - y_pred)² (``tf.keras.losses.MeanSquaredError``).

    >>> float(d2l.keras.losses.MeanSquaredError()([[0.0, 1.0]], d2l.constant([[1.0, 1.0]])))
    0.5
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction, name)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of |y_true - y_pred| (``tf.keras.losses.MeanAbsoluteError``).

    >>> float(d2l.keras.losses.MeanAbsoluteError()([[0.0, 1.0]], d2l.constant([[2.0, 1.0]])))
    1.0
    """

    def __init__(self, reduction=Reduction.AUTO, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction, name)


class BinaryCrossentropy(LossFunctionWrapper):
    """Cross-entropy for yes/no labels (0 or 1), from probabilities or ``from_logits``.

    >>> loss = d2l.keras.losses.BinaryCrossentropy(from_logits=True)
    >>> round(float(loss([[1.0], [0.0]], d2l.constant([[100.0], [-100.0]]))), 6)
    0.0
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=Reduction.AUTO, name="binary_crossentropy"):
        super().__init__(binary_crossentropy, reduction, name, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot labels, from probabilities or ``from_logits``.

    >>> loss = d2l.keras.losses.CategoricalCrossentropy(from_logits=True)
    >>> round(float(loss(d2l.one_hot([0, 1], 2), d2l.constant([[0.0, 0.0], [0.0, 0.0]]))), 6)
    0.693147
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=Reduction.AUTO, name="categorical_crossentropy"):
        super().__init__(categorical_crossentropy, reduction, name, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer class labels, from probabilities or ``from_logits``.

    >>> loss = d2l.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    >>> round(float(loss([0, 1], d2l.constant([[0.0, 0.0], [0.0, 0.0]]))), 6)
    0.693147
    """

    def __init__(self, from_logits=False, ignore_class=None, reduction=Reduction.AUTO,
                 name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, reduction, name,
                         from_logits=from_logits, ignore_class=ignore_class)
        self.from_logits = from_logits


_FUNCTIONS = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
_CLASSES = {c.__name__.lower(): c for c in (MeanSquaredError, MeanAbsoluteError,
                                           BinaryCrossentropy, CategoricalCrossentropy,
                                           SparseCategoricalCrossentropy)}


def get(identifier):
    """A loss from a name ('mse', 'categorical_crossentropy', 'MeanSquaredError'), a
    function or a Loss object. Names give the function form, as in Keras.

    >>> d2l.keras.losses.get('mse') is d2l.keras.losses.mean_squared_error
    True
    """
    if identifier is None:
        return None
    if isinstance(identifier, Loss) or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _FUNCTIONS:
            return _FUNCTIONS[key]
        if key in _CLASSES:
            return _CLASSES[key]()
        raise ValueError(f"Unknown loss function: {identifier!r}. Use one of "
                         f"{sorted(_FUNCTIONS)}, a Loss object, or a function "
                         "loss(y_true, y_pred)")
    raise TypeError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss):
    """The name of a loss function or object.

    >>> d2l.keras.losses.serialize(d2l.keras.losses.MeanSquaredError())
    'mean_squared_error'
    """
    return loss.name if isinstance(loss, Loss) else getattr(loss, "__name__", str(loss))
