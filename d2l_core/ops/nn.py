"""Neural-network functions: activations, softmax, and numerically stable losses.

>>> import d2l_core as d2l
>>> d2l.nn.relu([-1.0, 2.0]).numpy()
array([0., 2.], dtype=float32)
"""
import numpy as np

from .. import backend, fused
from ..errors import InvalidArgumentError
from ._op import (arrays, as_tensor, check_dtype, numbers_only, normalize_axis, record, tapes, wrap,
                  xp_of)
from .array import expand_dims, one_hot
from .math import (add, cast, exp, expm1, greater, greater_equal, log1p, minimum, multiply,  # noqa: F401
                   negative, sigmoid, square, subtract, tanh, where, zeros_like)  # (tf.nn has both)
from .random import uniform
from .reduce import reduce_sum
from .registry import (COMPOSITE, UNARY, Sample, Test, away_from_zero, gradient, op, random_axis,
                       random_shape)
from .registry import uniform as uniform_values


def _float(op, x):
    x = as_tensor(x)
    check_dtype(op, x, lambda d: d.is_floating, "a floating-point")
    return x


# ================================================================ test data (see ops/registry.py)

def _np_softmax(a, axis=-1):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_samples(rng):
    x = uniform_values(-3, 3)(rng, random_shape(rng, min_dims=1))
    axis = random_axis(rng, x.ndim, none=True)          # None: the last axis
    ax = -1 if axis is None else axis
    return [Sample(lambda x: softmax(x, axis), (x,), lambda a: _np_softmax(a, ax)),
            Sample(lambda x: log_softmax(x, axis), (x,), lambda a: np.log(_np_softmax(a, ax)))]


def _xent_samples(rng):
    shape = random_shape(rng, min_dims=1)
    axis = random_axis(rng, len(shape))
    labels = _np_softmax(uniform_values()(rng, shape), axis)     # a distribution along axis
    logits = uniform_values(-3, 3)(rng, shape)
    return [Sample(lambda z, x: softmax_cross_entropy_with_logits(z, x, axis), (labels, logits),
                   lambda z, a: -(z * np.log(_np_softmax(a, axis))).sum(axis))]


def _sparse_xent_samples(rng):
    shape = random_shape(rng, min_dims=1)
    labels = rng.integers(0, shape[-1], size=shape[:-1]).astype(np.int32)
    return [Sample(sparse_softmax_cross_entropy_with_logits,
                   (labels, uniform_values(-3, 3)(rng, shape)),
                   lambda i, a: -(np.eye(a.shape[-1])[i] * np.log(_np_softmax(a))).sum(-1))]


def _sigmoid_xent_samples(rng):
    shape = random_shape(rng)
    z, x = rng.random(shape), away_from_zero(0.2, 4.0)(rng, shape)
    p = lambda a: 1 / (1 + np.exp(-a))     # noqa: E731
    return [Sample(lambda z, x: sigmoid_cross_entropy_with_logits(labels=z, logits=x), (z, x),
                   lambda z, a: -z * np.log(p(a)) - (1 - z) * np.log(1 - p(a)))]


def _dropout_samples(rng):
    return [Sample(lambda x: dropout(x, 0.0), (uniform_values()(rng, (2, 3)),), lambda a: a)]


def _bias_add_samples(rng):
    shape = random_shape(rng, min_dims=1)
    return [Sample(bias_add, (uniform_values()(rng, shape), uniform_values()(rng, shape[-1:])),
                   np.add)]


def _l2_loss_samples(rng):
    x = uniform_values()(rng, random_shape(rng))
    return [Sample(l2_loss, (x,), lambda a: np.sum(a * a) / 2)]


@op("Relu", exports=("nn",), kind=UNARY, activation=True,
    kernel=lambda a: np.maximum(a, 0, dtype=a.dtype),
    test=Test(lambda a: np.maximum(a, 0), domain=away_from_zero()))
def relu(features, name=None):
    """max(x, 0) elementwise (``tf.nn.relu``); its derivative is 1 where x > 0, else 0.

    >>> d2l.nn.relu([-2.0, 0.0, 3.0]).numpy()
    array([0., 0., 3.], dtype=float32)
    """
    x = as_tensor(features)
    if not x._dtype.is_numeric:
        numbers_only("relu", x)
    (a,) = arrays("relu", x)
    y = wrap(np.maximum(a, 0, dtype=a.dtype))
    if tapes:
        record("relu", (x,), y)
    return y


@gradient("relu")
def _relu_backward(dy, inputs, y, attrs):
    return (_relu_grad(dy, inputs[0]),)


_relu_grad_kernel = fused.Elementwise("relu_grad", "T dy, T x", "T g", "g = dy * (x > 0)")


@op("ReluGrad", exports=(), name="relu_grad", tested_by="relu", kernel=lambda a, b: a * (b > 0))
def _relu_grad(dy, x):
    """dy · [x > 0] as one op (TensorFlow's ReluGrad), so the backward pass is one kernel.

    Multiplying by the mask is about ten times faster than ``np.where`` on a
    random mask, and it is what TensorFlow computes (an inf or NaN ``dy`` where
    x <= 0 gives NaN there, as in TF). Its own gradient is ``_relu_grad`` of the
    incoming gradient and none for ``x``, so higher derivatives still work.
    """
    a, b = arrays("relu_grad", dy, x)
    if type(a) is np.ndarray:
        g = wrap(a * (b > 0))
    else:                                 # on a GPU: one launch, not compare then multiply
        g = wrap(_relu_grad_kernel(a, b))
    if tapes:
        record("relu_grad", (dy, x), g)
    return g


@gradient("relu_grad")
def _relu_grad_grad(dg, inputs, g, attrs):
    return (_relu_grad(dg, inputs[1]), None)


@op("LeakyRelu", exports=("nn",), kind=UNARY, grad=COMPOSITE, activation=True,
    test=Test(lambda a: np.where(a > 0, a, 0.2 * a), domain=away_from_zero()))
def leaky_relu(features, alpha=0.2, name=None):
    """x where x > 0, else alpha·x (``tf.nn.leaky_relu``).

    >>> d2l.nn.leaky_relu([-1.0, 2.0]).numpy()
    array([-0.2,  2. ], dtype=float32)
    """
    x = _float("leaky_relu", features)
    return where(greater(x, 0), x, multiply(x, alpha))


@op("Elu", exports=("nn",), kind=UNARY, grad=COMPOSITE, activation=True,
    test=Test(lambda a: np.where(a > 0, a, np.expm1(np.minimum(a, 0))), domain=away_from_zero()))
def elu(features, name=None):
    """x where x > 0, else eˣ - 1 (``tf.nn.elu``).

    >>> d2l.nn.elu([0.0, 1.0]).numpy()
    array([0., 1.], dtype=float32)
    """
    x = _float("elu", features)
    return where(greater(x, 0), x, expm1(minimum(x, 0)))


def _softmax_kernel(a, axis=None):
    ax = -1 if axis is None else axis
    e = np.exp(a - a.max(axis=ax, keepdims=True))
    return e / e.sum(axis=ax, keepdims=True)


@op("Softmax", exports=("nn", "math"), activation=True, test=Test(samples=_softmax_samples),
    kernel=_softmax_kernel)
def softmax(logits, axis=None, name=None):
    """exp(x) / Σ exp(x) along ``axis`` (default the last), stable for large logits (``tf.nn.softmax``).

    With y = softmax(x): dL/dx = y · (dL/dy - Σ dL/dy·y).

    >>> d2l.nn.softmax([1000.0, 1000.0]).numpy()
    array([0.5, 0.5], dtype=float32)
    """
    x = _float("softmax", logits)
    (ax,) = normalize_axis("softmax", -1 if axis is None else axis, x.ndim)
    (a,) = arrays("softmax", x)
    y = wrap(_softmax_kernel(a, ax))
    if tapes:
        record("softmax", (x,), y, {"axis": ax})
    return y


@gradient("softmax")
def _softmax_grad(dy, inputs, y, attrs):
    return (multiply(y, subtract(dy, reduce_sum(multiply(dy, y), axis=attrs["axis"],
                                                keepdims=True))),)


@op("LogSoftmax", exports=("nn", "math"), test=Test(samples=_softmax_samples))
def log_softmax(logits, axis=None, name=None):
    """x - ln Σ exp(x) along ``axis``, without overflow (``tf.nn.log_softmax``).

    With y = log_softmax(x): dL/dx = dL/dy - softmax(x) · Σ dL/dy.

    >>> d2l.nn.log_softmax([0.0, 0.0]).numpy()
    array([-0.6931472, -0.6931472], dtype=float32)
    """
    x = _float("log_softmax", logits)
    (ax,) = normalize_axis("log_softmax", -1 if axis is None else axis, x.ndim)
    (a,) = arrays("log_softmax", x)
    shifted = a - a.max(axis=ax, keepdims=True)
    y = wrap(shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True)))
    if tapes:
        record("log_softmax", (x,), y, {"axis": ax})
    return y


@gradient("log_softmax")
def _log_softmax_grad(dy, inputs, y, attrs):
    return (subtract(dy, multiply(exp(y), reduce_sum(dy, axis=attrs["axis"], keepdims=True))),)


@op("SoftmaxCrossEntropyWithLogits", exports=("nn",), grad=COMPOSITE,
    test=Test(samples=_xent_samples))
def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Per-example cross-entropy -Σ labels·log softmax(logits) (``tf.nn.softmax_cross_entropy_with_logits``).

    >>> d2l.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    logits = _float("softmax_cross_entropy_with_logits", logits)
    labels = as_tensor(labels, logits._dtype) if not hasattr(labels, "_dtype") else as_tensor(labels)
    if labels._value.shape != logits._value.shape:
        raise InvalidArgumentError(
            f"softmax_cross_entropy_with_logits: labels shape {labels.shape} must equal logits "
            f"shape {logits.shape}; for integer class labels use "
            "sparse_softmax_cross_entropy_with_logits", op="softmax_cross_entropy_with_logits")
    return negative(reduce_sum(multiply(labels, log_softmax(logits, axis)), axis=axis))


# The GPU's sparse cross-entropy in three fused launches (and two sums and a max).
# Labels outside [0, n) give NaN loss and gradient rows, as TensorFlow's GPU kernel
# does: checking them would copy the labels' range to the host and wait for the GPU.
_xent_labels = fused.Elementwise("xent_labels", "T label, T column, T n", "bool hot, bool ok",
                                 "hot = label == column; ok = (label >= 0) * (label < n)",
                                 kind="int")
_xent_exp = fused.Elementwise("xent_exp", "T a, T top, bool hot", "T e, T picked",
                              "T shifted = a - top; e = exp(shifted); "
                              "picked = where(hot, shifted, 0)")
_xent_loss = fused.Elementwise("xent_loss", "T total, T picked, bool ok, T nan", "T loss",
                               "loss = where(ok, log(total) - picked, nan)")
_xent_grad = fused.Elementwise("xent_grad", "T e, T total, bool hot, bool ok, T d, T nan",
                               "T g", "g = where(ok, (e / total - hot) * d, nan)")


def _sparse_xent_on_gpu(lv, a):
    """The GPU's loss, and what its gradient reuses: the exponentials, their sums and the masks."""
    n, dev = a.shape[-1], backend.device_of(a)
    column = backend.device_constant(("arange", n, lv.dtype.str), dev,
                                     lambda: np.arange(n, dtype=lv.dtype))
    hot, ok = _xent_labels(lv[..., None], column, n)
    e, picked = _xent_exp(a, a.max(axis=-1, keepdims=True), hot)
    total = e.sum(axis=-1, keepdims=True)
    # The picked row holds one shifted logit and zeros: its sum is that logit exactly.
    loss = _xent_loss(total, picked.sum(axis=-1, keepdims=True), ok[..., :1], np.nan)
    return loss[..., 0], {"e": e, "total": total, "hot": hot, "ok": ok[..., :1]}


def _sparse_xent_parts(lv, a):
    """The loss's array, with the exponentials and their sums the gradient reuses."""
    xp = xp_of(a)
    n = a.shape[-1]
    if lv.size and (int(lv.min()) < 0 or int(lv.max()) >= n):
        bad = int(lv.min()) if int(lv.min()) < 0 else int(lv.max())
        raise InvalidArgumentError(f"sparse_softmax_cross_entropy_with_logits: received a label "
                                   f"value of {bad} which is outside the valid range of [0, {n})",
                                   op="sparse_softmax_cross_entropy")
    shifted = a - a.max(axis=-1, keepdims=True)
    e = xp.exp(shifted)
    total = e.sum(axis=-1, keepdims=True)
    picked = xp.take_along_axis(shifted, lv[..., None], axis=-1)
    return (xp.log(total) - picked)[..., 0], e, total


def _sparse_xent_loss(lv, a):
    """The loss's array, computed as the op computes it on ``a``'s device (the raw kernel)."""
    if type(a) is not np.ndarray and a.size:
        return _sparse_xent_on_gpu(lv, a)[0]
    return _sparse_xent_parts(lv, a)[0]


@op("SparseSoftmaxCrossEntropyWithLogits", exports=("nn",),
    test=Test(samples=_sparse_xent_samples),
    kernel=lambda labels, logits: _sparse_xent_loss(labels, logits))
def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy for integer class labels (``tf.nn.sparse_softmax_cross_entropy_with_logits``).

    One fused op, as in TensorFlow: the loss is ln Σ exp(logits) - logits[label]
    (computed with the largest logit subtracted, so it never overflows), and its
    gradient with respect to the logits is softmax(logits) - one_hot(labels).
    A label outside [0, n) is an error on the CPU; on a GPU, as in TensorFlow, its
    loss and gradient rows are NaN (checking would make every step wait for the GPU).

    >>> d2l.nn.sparse_softmax_cross_entropy_with_logits([1], [[0.0, 0.0]]).numpy()
    array([0.6931472], dtype=float32)
    """
    op = "sparse_softmax_cross_entropy_with_logits"
    logits = _float("sparse_softmax_cross_entropy_with_logits", logits)
    labels = as_tensor(labels)
    if not labels._dtype.is_integer:
        raise TypeError(f"sparse_softmax_cross_entropy_with_logits: labels must be integers, got "
                        f"{labels._dtype.name}; use softmax_cross_entropy_with_logits for one-hot labels")
    if labels._value.shape != logits._value.shape[:-1]:
        raise InvalidArgumentError(
            f"sparse_softmax_cross_entropy_with_logits: labels shape {labels.shape} must be "
            f"logits shape {logits.shape} without its last axis", op="sparse_softmax_cross_entropy")
    lv, a = arrays(op, labels, logits)
    if type(a) is not np.ndarray and a.size:
        loss, parts = _sparse_xent_on_gpu(lv, a)
        loss = wrap(loss)
        if tapes:
            record(op, (logits,), loss, {"labels": labels, "gpu": parts})
        return loss
    loss, e, total = _sparse_xent_parts(lv, a)
    loss = wrap(loss)
    if tapes:
        record(op, (logits,), loss, {"labels": labels, "probs": e / total, "label_values": lv})
    return loss


@gradient("sparse_softmax_cross_entropy_with_logits")
def _sparse_xent_grad(dy, inputs, loss, attrs):
    (logits,) = inputs
    n = logits._value.shape[-1]
    if tapes:   # an outer tape records this backward pass: build it from d2l ops
        g = subtract(softmax(logits), one_hot(attrs["labels"], n, dtype=logits._dtype))
        return (multiply(g, expand_dims(dy, -1)),)
    (d,) = arrays("sparse_softmax_cross_entropy_with_logits", dy)   # first order: one kernel
    dev = backend.device_of(d)       # the backward pass may run on another device than the forward
    if "gpu" in attrs:
        parts = {k: backend.to_device(v, dev) for k, v in attrs["gpu"].items()}
        e = parts["e"]
        if type(e) is not np.ndarray:      # softmax - one_hot, times dy: one launch
            return (wrap(_xent_grad(e, parts["total"], parts["hot"], parts["ok"], d[..., None],
                                    np.nan)),)
        return (wrap(np.where(parts["ok"], (e / parts["total"] - parts["hot"]) * d[..., None],
                              np.nan)),)
    probs = attrs["probs"]
    probs, lv = backend.to_device(probs, dev), backend.to_device(attrs["label_values"], dev)
    hot = lv[..., None] == xp_of(probs).arange(n)
    return (wrap((probs - hot) * d[..., None]),)


@op("SigmoidCrossEntropyWithLogits", exports=("nn",), grad=COMPOSITE,
    test=Test(samples=_sigmoid_xent_samples))
def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-element binary cross-entropy from logits, stable for large |x| (``tf.nn.sigmoid_cross_entropy_with_logits``).

    Computes max(x, 0) - x·z + ln(1 + e^-|x|), equal to -z·ln σ(x) - (1-z)·ln(1-σ(x)).

    >>> d2l.nn.sigmoid_cross_entropy_with_logits([1.0], [0.0]).numpy()
    array([0.6931472], dtype=float32)
    """
    x = _float("sigmoid_cross_entropy_with_logits", logits)
    z = as_tensor(labels, x._dtype) if not hasattr(labels, "_dtype") else as_tensor(labels)
    if z._value.shape != x._value.shape:
        raise InvalidArgumentError(f"sigmoid_cross_entropy_with_logits: labels shape {z.shape} "
                                   f"must equal logits shape {x.shape}", op="sigmoid_cross_entropy")
    # Written with one `where` on x >= 0 (as TensorFlow does) rather than max(x, 0)
    # and |x|: their kinks at 0 would give the gradient 1 - z there instead of σ(0) - z.
    non_negative = greater_equal(x, 0)
    relu_x = where(non_negative, x, zeros_like(x))
    minus_abs_x = where(non_negative, negative(x), x)
    return add(subtract(relu_x, multiply(x, z)), log1p(exp(minus_abs_x)))


@op("L2Loss", exports=("nn",), grad=COMPOSITE,
    test=Test(samples=_l2_loss_samples))
def l2_loss(t, name=None):
    """Σ t² / 2 (``tf.nn.l2_loss``), the usual weight-decay penalty.

    >>> d2l.nn.l2_loss([1.0, 2.0]).numpy()
    np.float32(2.5)
    """
    return multiply(reduce_sum(square(_float("l2_loss", t))), 0.5)


@op("Dropout", exports=("nn",), grad=COMPOSITE, test=Test(samples=_dropout_samples))
def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each element with probability ``rate`` and scale the rest by 1/(1-rate) (``tf.nn.dropout``).

    >>> d2l.random.set_seed(0)
    >>> d2l.nn.dropout(d2l.ones((4,)), rate=0.0).numpy()
    array([1., 1., 1., 1.], dtype=float32)
    """
    x = _float("dropout", x)
    if not 0 <= rate < 1:
        raise InvalidArgumentError(f"dropout: rate must be in [0, 1), got {rate}", op="dropout")
    if rate == 0:
        return x
    shape = x._value.shape if noise_shape is None else noise_shape
    keep = greater(uniform(shape, dtype=x._dtype, seed=seed), rate)
    return multiply(x, cast(keep, x._dtype) * (1.0 / (1.0 - rate)))


@op("BiasAdd", exports=("nn",), grad=COMPOSITE, test=Test(samples=_bias_add_samples))
def bias_add(value, bias, data_format=None, name=None):
    """``value + bias`` with bias along the last axis (``tf.nn.bias_add``).

    >>> d2l.nn.bias_add(d2l.zeros((2, 2)), [1.0, 2.0]).numpy()
    array([[1., 2.],
           [1., 2.]], dtype=float32)
    """
    b = as_tensor(bias)
    v = as_tensor(value)
    if b.ndim != 1 or b._value.shape[0] != v._value.shape[-1]:
        raise InvalidArgumentError(f"bias_add: bias shape {b.shape} must be ({v.shape[-1]},), "
                                   f"the last dimension of value {v.shape}", op="bias_add")
    return add(v, b)


__all__ = ["relu", "leaky_relu", "elu", "softmax", "log_softmax", "sigmoid", "tanh",
           "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits", "l2_loss", "dropout", "bias_add"]