"""TensorFlow 1 spellings of d2l_core ops (``tf.random_normal``, ``reduction_indices=``, ...).

TensorFlow 1 named some ops and arguments differently from TensorFlow 2.
Each function here accepts the TF1 spelling and adds the same graph node as
its TF2 twin.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
...     s = tf.reduce_sum(x, reduction_indices=[1], keep_dims=True)
...     print(s.shape, tf.Session().run(s).ravel())
(2, 1) [3. 7.]
"""
from ... import dtypes
from ...ops import array as _array
from ...ops import math as _math
from ...ops import nn as _nn
from ...ops import random as _random
from ...ops import reduce as _reduce
from .graph import Tensor
from .graph_ops import graph_op

# ============================================================== random numbers

random_normal = graph_op(_random.normal, "random_normal")
truncated_normal = graph_op(_random.truncated_normal, "truncated_normal")
random_uniform = graph_op(_random.uniform, "random_uniform")
random_gamma = graph_op(_random.gamma, "random_gamma")
random_shuffle = graph_op(_random.shuffle, "random_shuffle")
_poisson = graph_op(_random.poisson, "random_poisson")
_categorical = graph_op(_random.categorical, "multinomial")


def _no_generator(*args, **kwargs):
    from ...errors import UnimplementedError
    raise UnimplementedError(
        "tf.random.Generator is not supported in d2l_core's graph mode: its state would be "
        "drawn once, while the graph is built. Feed a seed to the stateless ops instead "
        "(tf.random.stateless_normal(shape, seed=seed_placeholder)), or use "
        "d2l_core.random.Generator in eager code", op="Generator")


class Generator:
    """``tf.random.Generator`` in graph mode: not supported; every constructor says what to use.

    >>> import d2l_core.compat.v1 as tf
    >>> tf.random.Generator.from_seed(1)
    Traceback (most recent call last):
    ...
    d2l_core.errors.UnimplementedError: tf.random.Generator is not supported in d2l_core's graph mode: its state would be drawn once, while the graph is built. Feed a seed to the stateless ops instead (tf.random.stateless_normal(shape, seed=seed_placeholder)), or use d2l_core.random.Generator in eager code
    """
    __init__ = _no_generator
    from_seed = from_state = from_non_deterministic_state = from_key_counter = \
        classmethod(_no_generator)


def get_global_generator():
    """``tf.random.get_global_generator`` in graph mode: not supported (see ``Generator``).

    >>> import d2l_core.compat.v1 as tf
    >>> try:
    ...     tf.random.get_global_generator()
    ... except NotImplementedError as e:
    ...     print(type(e).__name__)
    UnimplementedError
    """
    _no_generator()


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """Poisson samples; TF1 puts ``lam`` first (``tf.random_poisson``)."""
    return _poisson(shape, lam, dtype=dtype, seed=seed, name=name)


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Class indices drawn from unnormalised log-probabilities (``tf.multinomial``)."""
    return _categorical(logits, num_samples, dtype=output_dtype or dtypes.int64, seed=seed,
                        name=name)


# ============================================================== reductions

def _merge(new, old, new_name, old_name):
    if old is not None:
        if new is not None:
            raise ValueError(f"Cannot specify both '{new_name}' and '{old_name}'.")
        return old
    return new


def _reduction(eager, public):
    node = graph_op(eager, public)

    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
        axis = _merge(axis, reduction_indices, "axis", "reduction_indices")
        keepdims = _merge(keepdims, keep_dims, "keepdims", "keep_dims")
        return node(input_tensor, axis=axis, keepdims=bool(keepdims), name=name)

    reduce.__name__ = reduce.__qualname__ = public
    reduce.__doc__ = (f"``tf.{public}`` with TensorFlow 1's argument names too: "
                      f"``reduction_indices`` for ``axis`` and ``keep_dims`` for ``keepdims``.\n")
    return reduce


reduce_sum = _reduction(_reduce.reduce_sum, "reduce_sum")
reduce_mean = _reduction(_reduce.reduce_mean, "reduce_mean")
reduce_max = _reduction(_reduce.reduce_max, "reduce_max")
reduce_min = _reduction(_reduce.reduce_min, "reduce_min")
reduce_prod = _reduction(_reduce.reduce_prod, "reduce_prod")
reduce_all = _reduction(_reduce.reduce_all, "reduce_all")
reduce_any = _reduction(_reduce.reduce_any, "reduce_any")
reduce_logsumexp = _reduction(_reduce.reduce_logsumexp, "reduce_logsumexp")


def _arg(eager, public):
    node = graph_op(eager, public)

    def arg(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
        axis = _merge(axis, dimension, "axis", "dimension")
        return node(input, axis=0 if axis is None else axis, output_type=output_type, name=name)

    arg.__name__ = arg.__qualname__ = public
    arg.__doc__ = f"``tf.{public}``; TensorFlow 1 also calls ``axis`` ``dimension``.\n"
    return arg


argmax = _arg(_reduce.argmax, "argmax")
argmin = _arg(_reduce.argmin, "argmin")
arg_max = argmax
arg_min = argmin


# ============================================================== casts and division

_cast = graph_op(_math.cast, "cast")
_divide = graph_op(_math.divide, "divide")
_floordiv = graph_op(_math.floordiv, "floordiv")


def to_float(x, name="ToFloat"):
    """``tf.cast(x, tf.float32)`` (TensorFlow 1)."""
    return _cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """``tf.cast(x, tf.float64)`` (TensorFlow 1)."""
    return _cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """``tf.cast(x, tf.int32)`` (TensorFlow 1)."""
    return _cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """``tf.cast(x, tf.int64)`` (TensorFlow 1)."""
    return _cast(x, dtypes.int64, name=name)


def div(x, y, name=None):
    """Python 2 division (``tf.div``): floor division for integers, true division for floats."""
    dt = x.dtype if isinstance(x, Tensor) else y.dtype if isinstance(y, Tensor) else \
        dtypes.int32 if isinstance(x, int) and isinstance(y, int) else None
    if dt is not None and (dt.is_integer or dt.is_bool):
        return _floordiv(x, y, name=name)
    return _divide(x, y, name=name)


realdiv = graph_op(_math.divide, "realdiv")


# ============================================================== nn

_softmax = graph_op(_nn.softmax, "softmax")
_log_softmax = graph_op(_nn.log_softmax, "log_softmax")
_dropout = graph_op(_nn.dropout, "dropout")
_softmax_xent = graph_op(_nn.softmax_cross_entropy_with_logits, "softmax_cross_entropy_with_logits")
_sparse_xent = graph_op(_nn.sparse_softmax_cross_entropy_with_logits,
                        "sparse_softmax_cross_entropy_with_logits")
_sigmoid_xent = graph_op(_nn.sigmoid_cross_entropy_with_logits,
                         "sigmoid_cross_entropy_with_logits")
_stop_gradient = graph_op(_array.stop_gradient, "stop_gradient")


def softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.softmax``; TensorFlow 1 also calls ``axis`` ``dim``."""
    return _softmax(logits, axis=_merge(axis, dim, "axis", "dim"), name=name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """``tf.nn.log_softmax``; TensorFlow 1 also calls ``axis`` ``dim``."""
    return _log_softmax(logits, axis=_merge(axis, dim, "axis", "dim"), name=name)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF1's ``tf.nn.dropout(x, keep_prob)``: keep each element with probability ``keep_prob``.

    Kept elements are scaled by 1/keep_prob. ``keep_prob`` may be a
    placeholder, so one graph serves training (0.5) and testing (1.0).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     keep = tf.placeholder(tf.float32)
    ...     y = tf.nn.dropout(tf.ones([4]), keep)
    ...     print(tf.Session().run(y, feed_dict={keep: 1.0}))
    [1. 1. 1. 1.]
    """
    if rate is None:
        if keep_prob is None:
            raise ValueError("dropout: give keep_prob (TensorFlow 1) or rate")
        if isinstance(keep_prob, (int, float)) and not 0 < keep_prob <= 1:
            raise ValueError(f"dropout: keep_prob must be a scalar tensor or a float in the range "
                             f"(0, 1], got {keep_prob}")
        rate = 1 - keep_prob
    elif keep_prob is not None:
        raise ValueError("dropout: give keep_prob or rate, not both")
    return _dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """Per-example cross-entropy of softmax(logits) against ``labels`` (TF1 spelling).

    Pass ``labels=`` and ``logits=`` by name, as TensorFlow 1 requires.
    """
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    return _softmax_xent(labels, logits, axis=dim if axis is None else axis, name=name)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """``softmax_cross_entropy_with_logits`` whose gradient also flows into ``labels``."""
    axis = _merge(axis, dim, "axis", "dim")
    return _softmax_xent(labels, logits, axis=-1 if axis is None else axis, name=name)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """Cross-entropy for integer class labels (TF1 spelling: pass labels= and logits=)."""
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named "
                         "arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    return _sparse_xent(labels, logits, name=name)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-element binary cross-entropy from logits (TF1 spelling: pass labels= and logits=)."""
    if _sentinel is not None:
        raise ValueError("Only call `sigmoid_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    return _sigmoid_xent(labels=labels, logits=logits, name=name)
