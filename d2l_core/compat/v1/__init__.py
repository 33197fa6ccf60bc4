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
import sys as _sys
import types as _types

from ... import _logging as _d2l_logging
from ... import errors  # noqa: F401
from ...dtypes import (DType, as_dtype, bool, complex64, complex128, double,  # noqa: F401,A004
                       float16, float32, float64, half, int8, int16, int32, int64, string, uint8,
                       uint16, uint32, uint64)
from ...tensor_shape import TensorShape  # noqa: F401
from ...ops import registry as _registry
from . import aliases as _aliases
from . import control_flow, graph, ops, session, train, variables  # noqa: F401
from .aliases import (arg_max, arg_min, argmax, argmin, div, multinomial,  # noqa: F401
                      random_gamma, random_normal, random_poisson, random_shuffle,
                      random_uniform, realdiv, reduce_all, reduce_any, reduce_logsumexp,
                      reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum, to_double,
                      to_float, to_int32, to_int64, truncated_normal)
from .control_flow import cond, while_loop  # noqa: F401
from . import legacy  # noqa: F401
from .legacy import (Dimension, data, dimension_at_index, dimension_value,  # noqa: F401
                     disable_tensor_equality, enable_tensor_equality, tables_initializer)
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


# ============================================================== op namespaces

def _twin(name, fn):
    return graph_op(fn, name)


class _Namespace(_types.ModuleType):
    """A ``tf.nn``-style namespace: graph twins of the ops the registry exports to it."""

    def __init__(self, name, extra=None, doc=None):
        super().__init__(f"d2l_core.compat.v1.{name}", doc)
        for key, fn in _registry.exported(name).items():
            setattr(self, key, _twin(key, fn))
        for key, value in (extra or {}).items():       # TensorFlow 1 spellings
            setattr(self, key, value)


nn = _Namespace("nn", {
    "softmax": _aliases.softmax, "log_softmax": _aliases.log_softmax,
    "dropout": _aliases.dropout,
    "softmax_cross_entropy_with_logits": _aliases.softmax_cross_entropy_with_logits,
    "softmax_cross_entropy_with_logits_v2": _aliases.softmax_cross_entropy_with_logits_v2,
    "sparse_softmax_cross_entropy_with_logits": _aliases.sparse_softmax_cross_entropy_with_logits,
    "sigmoid_cross_entropy_with_logits": _aliases.sigmoid_cross_entropy_with_logits,
}, "Neural-network ops (``tf.nn``) in graph mode.")
for _name, _fn in legacy.NN_ALIASES.items():       # TF1 spellings: conv2d(filter=), max_pool(value=)
    setattr(nn, _name, _fn)
math = _Namespace("math", {
    "reduce_sum": reduce_sum, "reduce_mean": reduce_mean, "reduce_max": reduce_max,
    "reduce_min": reduce_min, "reduce_prod": reduce_prod, "reduce_all": reduce_all,
    "reduce_any": reduce_any, "reduce_logsumexp": reduce_logsumexp, "argmax": argmax,
    "argmin": argmin,
}, "Math ops (``tf.math``) in graph mode.")
linalg = _Namespace("linalg", None, "Linear algebra (``tf.linalg``) in graph mode.")
bitwise = _Namespace("bitwise", None, "Bitwise ops on integers (``tf.bitwise``) in graph mode.")
strings = _Namespace("strings", None, "Ops on text (``tf.strings``) in graph mode.")
io = _Namespace("io", None, "Bytes as numbers (``tf.io.decode_raw``) in graph mode.")
random = _Namespace("random", {
    "normal": random_normal, "truncated_normal": truncated_normal, "uniform": random_uniform,
    "gamma": random_gamma, "poisson": random_poisson, "shuffle": random_shuffle,
    "multinomial": multinomial, "set_random_seed": set_random_seed, "set_seed": set_random_seed,
    "Generator": _aliases.Generator, "get_global_generator": _aliases.get_global_generator,
}, "Random ops (``tf.random``) in graph mode; they draw anew at every Session.run.")


def _eager_only_assert(name):
    def graph_assert(*args, **kwargs):
        raise NotImplementedError(
            f"tf.debugging.{name} builds no graph node in d2l_core's graph mode; check the "
            f"values after sess.run (e.g. with np.testing), or use eager code "
            f"(`import d2l_core as tf`), where tf.debugging.{name} checks at once")
    graph_assert.__name__ = name
    graph_assert.__doc__ = f"``tf.debugging.{name}``: eager only in d2l_core (raises here)."
    return graph_assert


debugging = _Namespace("debugging", {       # check_numerics is a graph node (registry)
    name: _eager_only_assert(name) for name in (
        "assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
        "assert_greater", "assert_greater_equal", "assert_near", "assert_rank", "assert_shapes",
        "assert_type")}, "Debugging ops (``tf.debugging``) in graph mode: check_numerics.")
debugging.assert_all_finite = debugging.check_numerics
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
    """``tf.<op>`` for every op the registry exports to ``d2l.<op>``, unless TF1 spells it here."""
    g = globals()
    for name, fn in _registry.exported("").items():
        if name not in g:
            g[name] = _twin(name, fn)
    for name in ("log", "floormod", "squared_difference"):   # TF1 had them at the top too
        g.setdefault(name, _twin(name, _registry.exported("math")[name]))


_install_top_level()


def __getattr__(name):
    """A clear error for eager-only names (``d2l.function``, ...) and for names nobody has."""
    hint = ""
    facade = _sys.modules.get("d2l_core")
    if facade is not None and hasattr(facade, name):
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
