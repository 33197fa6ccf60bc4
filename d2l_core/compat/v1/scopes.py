"""Graph-wide context: name scopes, devices, control dependencies, groups and the graph seed.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     with tf.name_scope('layer'), tf.device('/cpu:0'):
...         c = tf.constant(1.0, name='c')
...     print(c.name, c.device)
layer/c:0 /device:CPU:0
"""
from .graph import Tensor, get_default_graph, graph_of
from .graph_ops import graph_tensors


def _noop_kernel(run, op, inputs):
    return None


def no_op(name=None):
    """An op that does nothing; with control dependencies it runs them (``tf.no_op``)."""
    return get_default_graph()._create_op("NoOp", name, [], _noop_kernel)


def _ops_of(inputs):
    ops = []
    for x in inputs:
        if isinstance(x, (list, tuple)):
            ops.extend(_ops_of(x))
        elif isinstance(x, dict):
            ops.extend(_ops_of(list(x.values())))
        elif x is not None:
            element = getattr(x, "_as_graph_element", None)
            if element is None:
                raise TypeError(f"group: expected ops or tensors, got {type(x).__name__} {x!r:.60}")
            element = element()
            ops.append(element.op if isinstance(element, Tensor) else element)
    return ops


def group(*inputs, name=None):
    """One op that runs all of ``inputs`` (ops or tensors) when run (``tf.group``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0)
    ...     b = tf.Variable(2.0)
    ...     both = tf.group(a.initializer, b.initializer)
    ...     sess = tf.Session()
    ...     sess.run(both)
    ...     print(*sess.run([a, b]))
    1.0 2.0
    """
    ops = _ops_of(inputs)
    graph = ops[0].graph if ops else get_default_graph()
    for op in ops:
        if op.graph is not graph:
            raise ValueError(f"group: {op!r} is from a different graph than {ops[0]!r}")
    with graph.control_dependencies(ops):
        return graph._create_op("NoOp", name or "group_deps", [], _noop_kernel)


def control_dependencies(control_inputs):
    """Ops made inside the block run only after ``control_inputs`` (``tf.control_dependencies``)."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    """Place the ops made inside the block on a device (``tf.device``), e.g. '/gpu:0'.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     with tf.device('/cpu:0'):
    ...         c = tf.constant(1.0)
    ...     print(c.device)
    /device:CPU:0
    """
    return get_default_graph().device(device_name_or_function)


def name_scope(name, default_name=None, values=None):
    """A context manager that prefixes new op names (``tf.name_scope``); yields 'scope/'.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope('hidden') as scope:
    ...         w = tf.constant(1.0, name='w')
    ...     print(scope, w.name)
    hidden/ hidden/w:0
    """
    graph = graph_of(graph_tensors(values)) if values else get_default_graph()
    if name is None and default_name is not None:
        name = default_name
    return graph.name_scope(name)


def set_random_seed(seed):
    """Set the default graph's random seed, making its random ops repeatable (``tf.set_random_seed``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     tf.set_random_seed(1)
    ...     r = tf.random_uniform([2])
    ...     first = tf.Session().run(r)
    >>> with tf.Graph().as_default():
    ...     tf.set_random_seed(1)
    ...     r = tf.random_uniform([2])
    ...     again = tf.Session().run(r)
    >>> bool((first == again).all())
    True
    """
    get_default_graph().seed = seed
