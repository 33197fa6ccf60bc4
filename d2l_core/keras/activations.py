"""Activation functions by name or as functions (``tf.keras.activations``).

Layers take ``activation='relu'`` or ``activation=d2l.keras.activations.relu``
(or any function of one tensor); :func:`get` turns either into a function.

>>> import d2l_core as d2l
>>> relu = d2l.keras.activations.get('relu')
>>> relu(d2l.constant([-1.0, 2.0])).numpy()
array([0., 2.], dtype=float32)
"""
from ..errors import DTypeMismatchError
from ..ops import math as _math
from ..ops import nn as _nn
from ..ops import registry as _registry
from ..tensor import convert_to_tensor

__all__ = ["relu", "sigmoid", "tanh", "softmax", "linear", "elu", "softplus", "leaky_relu",
           "get", "serialize"]


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """max(x, 0), optionally leaky (``alpha``), capped (``max_value``) or shifted (``threshold``).

    >>> d2l.keras.activations.relu(d2l.constant([-2.0, 1.0, 8.0]), max_value=6.0).numpy()
    array([0., 1., 6.], dtype=float32)
    """
    if alpha == 0 and max_value is None and threshold == 0:
        return _nn.relu(x)
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise DTypeMismatchError(f"relu: expected a floating-point tensor, got dtype "
                                 f"{x.dtype.name}; cast it first, e.g. d2l.cast(x, d2l.float32)",
                                 op="relu")
    keep = _math.greater(x, threshold)
    y = _math.where(keep, x, _math.multiply(_math.subtract(x, threshold), alpha)
                    if alpha else _math.zeros_like(x))
    if max_value is not None:
        y = _math.minimum(y, max_value)
    return y


def sigmoid(x):
    """1 / (1 + e⁻ˣ), squashing into (0, 1).

    >>> d2l.keras.activations.sigmoid(d2l.constant([0.0])).numpy()
    array([0.5], dtype=float32)
    """
    return _math.sigmoid(x)


def tanh(x):
    """Hyperbolic tangent, squashing into (-1, 1).

    >>> d2l.keras.activations.tanh(d2l.constant([0.0])).numpy()
    array([0.], dtype=float32)
    """
    return _math.tanh(x)


def softmax(x, axis=-1):
    """exp(x) / Σ exp(x) along ``axis``: turns scores into probabilities that sum to 1.

    >>> d2l.keras.activations.softmax(d2l.constant([[1.0, 1.0]])).numpy()
    array([[0.5, 0.5]], dtype=float32)
    """
    return _nn.softmax(x, axis=axis)


def linear(x):
    """The identity: ``activation=None`` means this.

    >>> d2l.keras.activations.linear(d2l.constant([-3.0])).numpy()
    array([-3.], dtype=float32)
    """
    return x


def elu(x, alpha=1.0):
    """x where x > 0, else alpha·(eˣ - 1).

    >>> d2l.keras.activations.elu(d2l.constant([0.0, 2.0])).numpy()
    array([0., 2.], dtype=float32)
    """
    y = _nn.elu(x)
    if alpha != 1.0:
        y = _math.where(_math.greater(y, 0), y, _math.multiply(y, alpha))
    return y


def softplus(x):
    """ln(1 + eˣ), a smooth relu.

    >>> round(float(d2l.keras.activations.softplus(d2l.constant(0.0))), 4)
    0.6931
    """
    return _math.softplus(x)


def leaky_relu(x, alpha=0.3):
    """x where x > 0, else alpha·x (Keras's default slope 0.3).

    >>> d2l.keras.activations.leaky_relu(d2l.constant([-1.0, 1.0])).numpy()
    array([-0.3,  1. ], dtype=float32)
    """
    return _nn.leaky_relu(x, alpha=alpha)


# Every op the registry marks as an activation, by name; Keras's own signatures (relu's
# max_value, leaky_relu's slope 0.3, ...) take the place of the plain ops where they differ.
_BY_NAME = {**_registry.activations(), "relu": relu, "sigmoid": sigmoid, "tanh": tanh,
            "softmax": softmax, "elu": elu, "softplus": softplus, "leaky_relu": leaky_relu,
            "linear": linear}


def get(identifier):
    """An activation function from a name, a function, or None (meaning ``linear``).

    >>> d2l.keras.activations.get(None) is d2l.keras.activations.linear
    True
    >>> d2l.keras.activations.get('tanh').__name__
    'tanh'
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = _BY_NAME.get(identifier.lower())
        if fn is None:
            raise ValueError(f"Unknown activation function: {identifier!r}. Use one of "
                             f"{sorted(_BY_NAME)}, or pass a function of one tensor")
        return fn
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}; "
                    "pass a name such as 'relu' or a function")


def serialize(activation):
    """The name of an activation function (``'relu'``), or the function itself if custom.

    >>> d2l.keras.activations.serialize(d2l.keras.activations.relu)
    'relu'
    """
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", activation)
