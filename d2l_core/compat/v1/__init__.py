"""TensorFlow 1 graph mode: ``import d2l_core.compat.v1 as tf`` runs TF1 programs.

TensorFlow 1 separates *describing* a computation from *running* it:

1. build a graph: ``tf.placeholder``, ``tf.Variable``, ops such as
   ``tf.matmul``; nothing is computed, each call adds a node;
2. run it: ``tf.Session().run(fetches, feed_dict)`` computes the fetched
   tensors, feeding values into the placeholders.

Every d2l_core op is available here and builds a graph node; a session
computes nodes with the very same eager ops, and training
(``tf.train.AdamOptimizer(...).minimize(loss)``) differentiates with the
eager ``GradientTape``.

>>> import d2l_core.compat.v1 as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     a_ph = tf.placeholder(tf.float32, name='variable_a')
...     b_ph = tf.placeholder(tf.float32, name='variable_b')
...     c_op = tf.add(a_ph, b_ph, name='variable_c')
>>> c_op
<tf.Tensor 'variable_c:0' shape=<unknown> dtype=float32>
>>> with tf.Session(graph=g) as sess:
...     print('a+b=', sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.}))
a+b= 6.0
"""
import logging as _pylogging
import types as _types

from ... import _logging as _d2l_logging
from ... import errors  # noqa: F401
from ...dtypes import (DType, as_dtype, bool, complex64, complex128, double,  # noqa: F401,A004
                       float16, float32, float64, half, int8, int16, int32, int64, uint8, uint16,
                       uint32, uint64)
from ...tensor_shape import TensorShape  # noqa: F401
from ...ops import array as _array
from ...ops import linalg as _linalg
from ...ops import math as _math
from ...ops import random as _random
from ...ops import reduce as _reduce
from . import aliases as _aliases
from . import control_flow, graph, ops, session, train, variables  # noqa: F401
from .aliases import (arg_max, arg_min, argmax, argmin, div, multinomial,  # noqa: F401
                      random_gamma, random_normal, random_poisson, random_shuffle,
                      random_uniform, realdiv, reduce_all, reduce_any, reduce_logsumexp,
                      reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum, to_double,
                      to_float, to_int32, to_int64, truncated_normal)
from .control_flow import cond, while_loop  # noqa: F401
from .graph import (Graph, GraphKeys, Operation, Tensor, get_default_graph,  # noqa: F401
                    reset_default_graph)
from .ops import (Print, constant, control_dependencies, convert_to_tensor,  # noqa: F401
                  device, gradients, graph_op, group, name_scope, no_op, placeholder,
                  placeholder_with_default, set_random_seed)
from .session import (ConfigProto, GPUOptions, GraphOptions, InteractiveSession,  # noqa: F401
                      RunMetadata, RunOptions, Session, get_default_session)
from .variables import (AUTO_REUSE, Variable, VariableScope, add_to_collection,  # noqa: F401
                        add_to_collections, assign, assign_add, assign_sub, constant_initializer,
                        get_collection, get_collection_ref, get_variable, get_variable_scope,
                        global_variables, global_variables_initializer, glorot_normal_initializer,
                        glorot_uniform_initializer, initialize_all_variables,
                        is_variable_initialized, local_variables, local_variables_initializer,
                        model_variables, moving_average_variables, ones_initializer,
                        random_normal_initializer, random_uniform_initializer,
                        trainable_variables, truncated_normal_initializer,
                        variable_scope, variables_initializer, variance_scaling_initializer,
                        zeros_initializer)

newaxis = None
all_variables = global_variables


def _eager_namespace():
    import d2l_core
    return d2l_core


# ============================================================== op namespaces

class _Namespace(_types.ModuleType):
    """A ``tf.nn``-style namespace: graph twins of one eager namespace's ops, made on first use."""

    def __init__(self, name, source, extra=None, doc=None):
        super().__init__(f"d2l_core.compat.v1.{name}", doc)
        self._source = source
        for key, value in (extra or {}).items():
            setattr(self, key, value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        source = self._source() if callable(self._source) else self._source
        obj = getattr(source, name, None)
        if obj is not None and ops.is_eager_op(obj):
            wrapped = graph_op(obj, name)
            setattr(self, name, wrapped)
            return wrapped
        raise AttributeError(f"module '{self.__name__}' has no attribute '{name}'")

    def __dir__(self):
        source = self._source() if callable(self._source) else self._source
        names = set(super().__dir__())
        names.update(n for n in dir(source) if ops.is_eager_op(getattr(source, n, None)))
        return sorted(names)


def _math_ns():
    from ... import math
    return math


def _nn_ns():
    from ... import nn
    return nn


def _linalg_ns():
    from ... import linalg
    return linalg


def _random_ns():
    from ... import random
    return random


nn = _Namespace("nn", _nn_ns, {
    "softmax": _aliases.softmax, "log_softmax": _aliases.log_softmax,
    "dropout": _aliases.dropout,
    "softmax_cross_entropy_with_logits": _aliases.softmax_cross_entropy_with_logits,
    "softmax_cross_entropy_with_logits_v2": _aliases.softmax_cross_entropy_with_logits_v2,
    "sparse_softmax_cross_entropy_with_logits": _aliases.sparse_softmax_cross_entropy_with_logits,
    "sigmoid_cross_entropy_with_logits": _aliases.sigmoid_cross_entropy_with_logits,
}, "Neural-network ops (``tf.nn``) in graph mode.")
math = _Namespace("math", _math_ns, {
    "reduce_sum": reduce_sum, "reduce_mean": reduce_mean, "reduce_max": reduce_max,
    "reduce_min": reduce_min, "reduce_prod": reduce_prod, "reduce_all": reduce_all,
    "reduce_any": reduce_any, "reduce_logsumexp": reduce_logsumexp, "argmax": argmax,
    "argmin": argmin,
}, "Math ops (``tf.math``) in graph mode.")
linalg = _Namespace("linalg", _linalg_ns, None, "Linear algebra (``tf.linalg``) in graph mode.")
random = _Namespace("random", _random_ns, {
    "normal": random_normal, "truncated_normal": truncated_normal, "uniform": random_uniform,
    "gamma": random_gamma, "poisson": random_poisson, "shuffle": random_shuffle,
    "multinomial": multinomial, "set_random_seed": set_random_seed, "set_seed": set_random_seed,
}, "Random ops (``tf.random``) in graph mode; they draw anew at every Session.run.")
random.categorical = graph_op(_random.categorical, "categorical")
initializers = _types.ModuleType("d2l_core.compat.v1.initializers", "Initializers (``tf.initializers``).")
for _name, _value in {
        "zeros": zeros_initializer, "ones": ones_initializer, "constant": constant_initializer,
        "random_normal": random_normal_initializer, "random_uniform": random_uniform_initializer,
        "truncated_normal": truncated_normal_initializer,
        "glorot_uniform": glorot_uniform_initializer, "glorot_normal": glorot_normal_initializer,
        "variance_scaling": variance_scaling_initializer, "he_normal": variables.he_normal,
        "he_uniform": variables.he_uniform, "global_variables": global_variables_initializer,
        "local_variables": local_variables_initializer, "variables": variables_initializer}.items():
    setattr(initializers, _name, _value)


# ============================================================== top-level ops

def _install_top_level():
    """``tf.<op>`` for every eager op of d2l_core (and of ``tf.math``), built generically."""
    names = {}
    for module in (_array, _math, _linalg, _reduce):
        for name in getattr(module, "__all__", None) or dir(module):
            obj = getattr(module, name, None)
            if not name.startswith("_") and ops.is_eager_op(obj) and obj.__module__ == module.__name__:
                names.setdefault(name, obj)
    names.pop("sum_to", None)
    names.pop("normalize_axis", None)
    names.pop("broadcast_shape", None)
    names["sigmoid"] = _math.sigmoid
    names["tanh"] = _math.tanh
    g = globals()
    for name, fn in names.items():
        if name not in g:
            g[name] = graph_op(fn, name)


_install_top_level()
stop_gradient = graph_op(_array.stop_gradient, "stop_gradient")
identity = graph_op(_array.identity, "identity")
log = graph_op(_math.log, "log")
floormod = graph_op(_math.mod, "floormod")
truediv = graph_op(_math.divide, "truediv")
squared_difference = graph_op(_math.squared_difference, "squared_difference")


def __getattr__(name):
    """Any other eager d2l_core op, wrapped on first use (ops added to d2l_core later too)."""
    source = _eager_namespace()
    obj = getattr(source, name, None)
    if obj is not None and ops.is_eager_op(obj):
        wrapped = graph_op(obj, name)
        globals()[name] = wrapped
        return wrapped
    hint = ""
    if obj is not None:
        hint = (f"; d2l_core.{name} belongs to the eager (TensorFlow 2) API: use it with "
                "`import d2l_core as tf`")
    raise AttributeError(f"module 'd2l_core.compat.v1' has no attribute '{name}'{hint}")


# ============================================================== eager switches and logging

def executing_eagerly():
    """False: code written with ``compat.v1`` builds graphs (``tf.executing_eagerly``)."""
    return False


def disable_eager_execution():
    """Accepted for TF1 programs; ``compat.v1`` builds graphs whatever you call."""


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Accepted for TF1 programs; for eager code use ``import d2l_core as tf`` instead."""


def disable_v2_behavior():
    """Accepted for TF1 programs (``tf.compat.v1.disable_v2_behavior``)."""


def enable_v2_behavior():
    """Accepted for TF1 programs; for TF2 behaviour use ``import d2l_core as tf``."""


def disable_resource_variables():
    """Accepted for TF1 programs."""


logging = _types.ModuleType("d2l_core.compat.v1.logging", "``tf.logging``: d2l_core's log.")
logging.DEBUG, logging.INFO, logging.WARN, logging.ERROR, logging.FATAL = (
    _pylogging.DEBUG, _pylogging.INFO, _pylogging.WARNING, _pylogging.ERROR, _pylogging.FATAL)
logging.set_verbosity = _d2l_logging.logger.setLevel
logging.get_verbosity = _d2l_logging.logger.getEffectiveLevel
logging.debug = _d2l_logging.logger.debug
logging.info = _d2l_logging.logger.info
logging.warning = logging.warn = _d2l_logging.logger.warning
logging.error = _d2l_logging.logger.error
