"""Graph-mode ops: any d2l_core op, called through ``compat.v1``, adds a node to a graph.

This module gathers the pieces, each in a module of its own:
``graph_ops`` (``graph_op``: the graph twin of an eager op; shapes from
``d2l_core.stand_in``), ``constants`` (constants, placeholders,
``convert_to_tensor``), ``gradients``, ``scopes`` (name scopes, devices,
control dependencies, groups, the graph seed), ``printing`` (``tf.Print``)
and ``operators`` (``+ - * / @ []`` on graph tensors).

Static shapes keep unknown dimensions as None (``[None, 2] @ [2, 3]`` is
``[None, 3]``); when d2l_core cannot tell, the shape is unknown, never wrong.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, shape=[None, 2])
...     w = tf.ones([2, 3])
...     y = tf.reduce_mean(tf.sigmoid(tf.matmul(x, w)), axis=0)
...     print(y.shape, y.dtype)
...     with tf.Session() as sess:
...         print(sess.run(y, feed_dict={x: [[0.0, 0.0]]}))
(3,) <dtype: 'float32'>
[0.5 0.5 0.5]
"""
from . import operators  # noqa: F401  (installs + - * / @ [] on graph tensors)
from .constants import (constant, convert_to_tensor, missing_feed_error,  # noqa: F401
                        placeholder, placeholder_with_default)
from .gradients import gradients  # noqa: F401
from .graph_ops import (CallKernel, get_seed, graph_op, graph_tensors, is_eager_op,  # noqa: F401
                        make_node, substitute)
from .printing import Print  # noqa: F401
from .scopes import (control_dependencies, device, group, name_scope, no_op,  # noqa: F401
                     set_random_seed)
