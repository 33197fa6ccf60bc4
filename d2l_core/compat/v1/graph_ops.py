"""Graph nodes that call eager ops: ``graph_op`` turns any d2l_core op into its graph twin.

Calling the twin computes nothing: it records the eager function and its
arguments (graph tensors included) as an ``Operation`` and returns the
output tensor(s). Their dtypes and static shapes come from
``d2l_core.stand_in.probe``, which runs the eager op itself on stand-ins, so
graph mode has no shape rules or checks of its own: a mistake that no
unknown dimension can excuse raises the eager op's error now, with a note
naming the graph op. When a ``Session`` runs the node, ``CallKernel`` calls
the same eager function on the input values.

>>> import d2l_core as d2l
>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, shape=[None, 2])
...     y = tf.ops.graph_op(d2l.matmul)(x, tf.ones([2, 3]))
...     print(y.op.type, y.shape)
MatMul (?, 3)
"""
import inspect

from ... import nest, stand_in
from ...ops import random as _random
from ...ops import registry
from .graph import Tensor, graph_of, shape_list_str

DEFAULT_GRAPH_SEED = _random.DEFAULT_GLOBAL_SEED     # the graph seed when only an op seed is given


# ============================================================== arguments that hold graph tensors

def _bounds(leaf):
    """A slice's start, stop and step (any of them may be a graph tensor); else the leaf itself."""
    return (leaf.start, leaf.stop, leaf.step) if isinstance(leaf, slice) else (leaf,)


def graph_tensors(obj):
    """The graph tensors inside ``obj`` (nested lists, tuples, dicts and slices), in order.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a, b = tf.constant(1), tf.constant(2)
    ...     print(len(graph_tensors([a, {'k': slice(b, None)}, 3])))
    2
    """
    return [x for leaf in nest.flatten(obj, sort_keys=False) for x in _bounds(leaf)
            if isinstance(x, Tensor)]


def substitute(obj, values):
    """``obj`` with each graph tensor replaced by ``values[id(tensor)]``.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.constant(1)
    ...     print(substitute([a, 2], {id(a): 'one'}))
    ['one', 2]
    """
    def fill(leaf):
        if isinstance(leaf, Tensor):
            return values[id(leaf)]
        if isinstance(leaf, slice):
            return slice(*(fill(x) for x in _bounds(leaf)))
        return leaf
    return nest.map_structure(fill, obj, sort_keys=False)


def get_seed(graph, op_seed):
    """TensorFlow 1's (graph seed, op seed) pair for a random op made now.

    >>> import d2l_core.compat.v1 as tf
    >>> g = tf.Graph()
    >>> get_seed(g, None), get_seed(g, 7)
    ((None, None), (87654321, 7))
    """
    g = graph.seed
    if g is not None:
        return g, (graph._last_id if op_seed is None else int(op_seed))
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed)
    return None, None


# ============================================================== nodes that call eager ops

def _slot(x):
    """How to fill one argument at run time: 1 a graph tensor, 2 a structure holding some, 0 as is."""
    if isinstance(x, Tensor):
        return 1
    return 2 if graph_tensors(x) else 0


class CallKernel:
    """Runs an eager function on the values of a node's inputs.

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.square(tf.constant(3.0))
    ...     print(type(y.op._kernel).__name__, tf.Session().run(y))
    CallKernel 9.0
    """

    __slots__ = ("fn", "args", "kwargs", "seeded", "arg_slots", "kwarg_slots")

    def __init__(self, fn, args, kwargs, seeded):
        self.fn, self.args, self.kwargs, self.seeded = fn, tuple(args), dict(kwargs), seeded
        self.arg_slots = [_slot(a) for a in self.args]
        self.kwarg_slots = {k: _slot(v) for k, v in self.kwargs.items()}

    def __call__(self, run, op, inputs):
        values = {id(t): v for t, v in zip(op._inputs, inputs)}
        args = [a if s == 0 else values[id(a)] if s == 1 else substitute(a, values)
                for a, s in zip(self.args, self.arg_slots)]
        kwargs = {k: v if s == 0 else values[id(v)] if s == 1 else substitute(v, values)
                  for (k, v), s in zip(self.kwargs.items(), self.kwarg_slots.values())}
        if self.seeded:     # each random node draws from its own generator in each session
            with _random.using_generator(run.session._generator(op)):
                out = self.fn(*args, **kwargs)
        else:
            out = self.fn(*args, **kwargs)
        return list(out) if isinstance(out, (list, tuple)) else [out]


def _stand_in_for(t):
    """What the probe gets for graph tensor ``t``: a constant's value, else its Spec."""
    if t.op.type == "Const":
        return t.op.get_attr("value")
    return stand_in.Spec(t.shape, t.dtype)


def output_specs(fn, op_type, tensors, args, kwargs):
    """The Specs of what eager ``fn`` returns for these arguments (which hold ``tensors``).

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 3])
    ...     print(output_specs(d2l.reduce_sum, 'Sum', [x], (x,), {'axis': 1}))
    Spec(shape=(None,), dtype=float32)
    """
    values = {id(t): _stand_in_for(t) for t in tensors}
    try:
        return stand_in.probe(fn, substitute(args, values), substitute(kwargs, values))
    except Exception as e:
        shapes = ", ".join(shape_list_str(t.shape) for t in tensors) or "none"
        guessed = any(not t.shape.is_fully_defined() for t in tensors)
        e.add_note(f"(while adding the op '{op_type}' to the graph; its graph inputs have shapes "
                   f"{shapes}" + ("; it was run on stand-ins with sizes such as 1 for the "
                                  "unknown dimensions '?'" if guessed else "") + ")")
        raise


def make_node(fn, op_type, bound, name=None, seeded=False, seed=None):
    """Add a node running eager ``fn`` with ``bound`` arguments; its output tensor(s).

    >>> import inspect
    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     bound = inspect.signature(d2l.negative).bind(tf.constant([1.0]))
    ...     print(make_node(d2l.negative, 'Neg', bound))
    Tensor("Neg:0", shape=(1,), dtype=float32)
    """
    tensors = graph_tensors((bound.args, bound.kwargs))
    graph = graph_of(tensors)
    out = output_specs(fn, op_type, tensors, bound.args, bound.kwargs)
    many = isinstance(out, (list, tuple))
    specs = list(out) if many else [out]
    attrs = {"T": specs[0].dtype if specs else None}
    if seeded:
        attrs["seed"], attrs["seed2"] = get_seed(graph, seed)
    op = graph._create_op(op_type, name, tensors, CallKernel(fn, bound.args, bound.kwargs, seeded),
                          outputs=[(s.dtype, s.shape) for s in specs], attrs=attrs)
    return op.outputs if many else op._outputs[0]


# TensorFlow's op type names (to be generated from the op registry).
# A node's type is its op's TensorFlow type (the op registry's); its default name is
# the type, except where TensorFlow names it after the function that made it
# (``tf.divide`` adds a RealDiv node named 'truediv'). Those names, here:
_DEFAULT_NAMES = {
    "add": "Add", "divide": "truediv", "truediv": "truediv", "floordiv": "floordiv",
    "transpose": "transpose", "concat": "concat", "stack": "stack", "unstack": "unstack",
    "split": "split", "zeros": "zeros", "ones": "ones", "zeros_like": "zeros_like",
    "ones_like": "ones_like", "eye": "eye", "range": "range", "one_hot": "one_hot",
    "normal": "random_normal", "truncated_normal": "truncated_normal",
    "uniform": "random_uniform", "gamma": "random_gamma", "poisson": "random_poisson",
    "shuffle": "random_shuffle", "categorical": "multinomial", "clip_by_value": "clip_by_value",
    "getitem": "strided_slice", "where": "Select", "dropout": "dropout",
    "boolean_mask": "boolean_mask", "norm": "norm",
}


def _camel(name):
    return "".join(p[:1].upper() + p[1:] for p in name.strip("_").split("_"))


def graph_op(fn, public_name=None, op_type=None):
    """The graph-mode twin of eager op ``fn``: calling it adds a node and returns its tensor(s).

    >>> import d2l_core as d2l
    >>> import d2l_core.compat.v1 as tf
    >>> square = tf.ops.graph_op(d2l.square)
    >>> with tf.Graph().as_default():
    ...     y = square(tf.constant([1.0, 2.0]))
    ...     print(y.op.type, y.shape)
    ...     print(tf.Session().run(y))
    Square (2,)
    [1. 4.]
    """
    public_name = public_name or fn.__name__
    entry = registry.lookup(fn)
    op_type = op_type or (entry.type if entry is not None else _camel(public_name))
    default_name = (_DEFAULT_NAMES.get(public_name) or _DEFAULT_NAMES.get(entry.name if entry
                                                                           else fn.__name__)
                    or op_type)
    sig = inspect.signature(fn)
    has_name = "name" in sig.parameters
    # an op seed (TF1: graph and op seed), not the seed tensor a stateless op requires
    has_seed = "seed" in sig.parameters and sig.parameters["seed"].default is None

    def op(*args, **kwargs):
        name = None if has_name else kwargs.pop("name", None)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{public_name}: {e}") from None
        if has_name:
            name = bound.arguments.pop("name", None)
        seed = bound.arguments.pop("seed", None) if has_seed else None
        return make_node(fn, op_type, bound, name or default_name, seeded=has_seed, seed=seed)

    op.__name__ = op.__qualname__ = public_name
    op.__signature__ = sig
    op.__doc__ = (
        f"Graph-mode ``tf.{public_name}``: adds a '{op_type}' node to the graph.\n\n"
        f"It takes the arguments of the eager op ``{fn.__module__}.{fn.__name__}`` (see its "
        "``help()``); graph tensors, placeholders and variables may stand wherever a tensor "
        "may. A Session runs the node with that same eager op.\n")
    if has_seed:
        op.__doc__ += ("\nIt draws new numbers each time a session runs it, reproducibly when a "
                       "graph seed (``tf.set_random_seed``) or an op ``seed`` is given.\n")
    op._eager = fn
    return op


def is_eager_op(obj):
    """True for the eager functions that are registered ops (``d2l_core.ops.registry``).

    >>> import d2l_core as d2l
    >>> is_eager_op(d2l.matmul), is_eager_op(print)
    (True, False)
    """
    return registry.lookup(obj) is not None
