"""Graph-mode ops: any d2l_core op, called through ``compat.v1``, adds a node to a graph.

``graph_op(fn)`` turns an eager d2l_core function into its graph-mode twin.
Calling the twin does not compute anything: it records ``fn`` and its
arguments (graph tensors included) as an ``Operation`` and returns the
operation's output tensor(s), with a dtype and a static shape worked out
now. When a ``Session`` runs the node it calls ``fn`` itself on the input
values, so graph mode and eager mode share every kernel, every check and
every gradient.

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
import contextlib
import inspect
import math
import numbers

import numpy as np

from ... import backend, dtypes, nest
from ... import tensor as _eager_tensor
from ...errors import InvalidArgumentError
from ...ops import array as _array
from ...ops import linalg as _linalg
from ...ops import math as _math
from ...ops import nn as _nn
from ...ops import random as _random
from ...ops import reduce as _reduce
from ...tensor_shape import TensorShape
from .graph import Operation, Tensor, get_default_graph, graph_of, shape_list_str, shape_str

EagerTensor = _eager_tensor.Tensor
DEFAULT_GRAPH_SEED = _random.DEFAULT_GLOBAL_SEED     # the graph seed when only an op seed is given


# ============================================================== argument structures

def _bounds(leaf):
    """A slice's start, stop and step (any of them may be a graph tensor); else the leaf itself."""
    return (leaf.start, leaf.stop, leaf.step) if isinstance(leaf, slice) else (leaf,)


def graph_tensors(obj):
    """The graph tensors inside ``obj`` (nested lists, tuples, dicts and slices), in order."""
    return [x for leaf in nest.flatten(obj, sort_keys=False) for x in _bounds(leaf)
            if isinstance(x, Tensor)]


def substitute(obj, values):
    """``obj`` with each graph tensor replaced by ``values[id(tensor)]``."""
    def fill(leaf):
        if isinstance(leaf, Tensor):
            return values[id(leaf)]
        if isinstance(leaf, slice):
            return slice(*(fill(x) for x in _bounds(leaf)))
        return leaf
    return nest.map_structure(fill, obj, sort_keys=False)


@contextlib.contextmanager
def _quiet_placement():
    saved = backend.placement.log_device_placement
    backend.placement.log_device_placement = False
    try:
        yield
    finally:
        backend.placement.log_device_placement = saved


def get_seed(graph, op_seed):
    """TensorFlow 1's (graph seed, op seed) pair for a random op made now."""
    g = graph.seed
    if g is not None:
        return g, (graph._last_id if op_seed is None else int(op_seed))
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed)
    return None, None


# ============================================================== static shapes

def static_shape(x):
    """The static TensorShape of an op argument (graph tensor, eager tensor or Python value)."""
    if isinstance(x, Tensor):
        return x.shape
    if isinstance(x, EagerTensor):
        return TensorShape(x._value.shape)
    if graph_tensors(x):
        return TensorShape(None)
    try:
        return TensorShape(np.shape(x))
    except Exception:
        return TensorShape(None)


def constant_value(x):
    """The NumPy value of ``x`` when it is known while building the graph, else None."""
    if isinstance(x, Tensor):
        if x.op.type == "Const":
            return x.op._attrs["value"].numpy()
        return None
    if isinstance(x, EagerTensor):
        return x.numpy()
    if graph_tensors(x):
        return None
    try:
        return np.asarray(x)
    except Exception:
        return None


def _int_list(x):
    """A list of ints from a static value (a scalar counts as one), or None when not static."""
    v = constant_value(x)
    if v is None or v.dtype == object:
        return None
    return [int(d) for d in np.reshape(v, (-1,))]


def broadcast_static(op, *shapes):
    """The broadcast of static shapes, TensorFlow's way: None with 3 gives 3, None with 1 None."""
    shapes = [TensorShape(s) for s in shapes]
    if any(s.rank is None for s in shapes):
        return TensorShape(None)
    n = max(s.rank for s in shapes)
    out = []
    for i in range(n):
        dims = [s[s.rank - n + i] if s.rank - n + i >= 0 else 1 for s in shapes]
        big = {d for d in dims if d is not None and d != 1}
        if len(big) > 1:
            raise InvalidArgumentError(
                f"{op}: shapes {', '.join(shape_list_str(s) for s in shapes)} cannot be broadcast "
                "together. Aligned from the right, each pair of dimensions must be equal or one of "
                "them 1; reshape or expand_dims an input so they line up", op=op)
        out.append(big.pop() if big else (None if None in dims else 1))
    return TensorShape(out)


def _axes(op, axis, rank):
    """Static axes as sorted non-negative ints; None when they are not known."""
    if axis is None:
        return list(range(rank))
    values = _int_list(axis)
    if values is None:
        return None
    out = []
    for a in values:
        if not -rank <= a < max(rank, 1):
            raise InvalidArgumentError(f"{op}: axis {a} is out of range for a tensor of rank "
                                       f"{rank}; valid axes are {-rank}..{rank - 1}", op=op)
        out.append(a % rank if rank else 0)
    return sorted(set(out))


def _first_param(fn):
    return next(iter(inspect.signature(fn).parameters))


# --- shape rules: each takes the bound arguments (defaults applied) and returns output shapes

def _same_as(param):
    return lambda a: [static_shape(a[param])]


def _binary(px, py):
    def rule(a, op="op"):
        return [broadcast_static(op, static_shape(a[px]), static_shape(a[py]))]
    return rule


def _matmul_rule(a):
    sa, sb = static_shape(a["a"]), static_shape(a["b"])
    if sa.rank is None or sb.rank is None:
        return [TensorShape(None)]
    if sa.rank < 2 or sb.rank < 2:
        raise InvalidArgumentError(
            f"matmul: both inputs need rank >= 2, got shapes {shape_list_str(sa)} and "
            f"{shape_list_str(sb)}; make a vector a matrix with tf.reshape(v, (1, -1)) or "
            "tf.expand_dims", op="matmul")
    ta = a.get("transpose_a") or a.get("adjoint_a")
    tb = a.get("transpose_b") or a.get("adjoint_b")
    m, k1 = (sa[-1], sa[-2]) if ta else (sa[-2], sa[-1])
    k2, n = (sb[-1], sb[-2]) if tb else (sb[-2], sb[-1])
    if k1 is not None and k2 is not None and k1 != k2:
        raise InvalidArgumentError(
            f"matmul: inner dimensions differ: {shape_list_str(sa)} @ {shape_list_str(sb)}"
            f"{' (after transposes)' if ta or tb else ''} needs {k1} == {k2}. (Dimensions must "
            f"be equal, but are {k1} and {k2} for 'MatMul' with input shapes: "
            f"{shape_list_str(sa)}, {shape_list_str(sb)}.) Did you mean to transpose one of "
            "them?", op="matmul")
    batch = broadcast_static("matmul", sa[:-2], sb[:-2])
    return [batch.concatenate([m, n])]


def _reduce_rule(param, keep="keepdims", default_axis_all=True):
    def rule(a):
        s = static_shape(a[param])
        keepdims = bool(a.get(keep)) if keep else False
        axis = a.get("axis")
        if s.rank is None:
            return [TensorShape([] if axis is None and default_axis_all and not keepdims else None)]
        if axis is None and not default_axis_all:
            axis = 0
        axes = _axes("reduce", axis, s.rank)
        if axes is None:
            return [TensorShape([None] * s.rank if keepdims else None)]
        if keepdims:
            return [TensorShape([1 if i in axes else d for i, d in enumerate(s)])]
        return [TensorShape([d for i, d in enumerate(s) if i not in axes])]
    return rule


def _norm_rule(a):
    axis = a.get("axis")
    return _reduce_rule("tensor")({"tensor": a["tensor"], "axis": axis,
                                   "keepdims": a.get("keepdims")})


def _reshape_rule(a):
    s = static_shape(a["tensor"])
    target = _int_list(a["shape"])
    if target is None:
        st = static_shape(a["shape"])
        if st.rank == 1 and st[0] is not None:
            return [TensorShape([None] * st[0])]
        return [TensorShape(None)]
    n = s.num_elements()
    dims = [None if d == -1 else d for d in target]
    if target.count(-1) == 1 and n is not None:
        known = int(np.prod([d for d in target if d != -1]))
        if known and n % known == 0:
            dims[target.index(-1)] = n // known
    return [TensorShape(dims)]


def _transpose_rule(a):
    s = static_shape(a["a"])
    if s.rank is None:
        return [TensorShape(None)]
    perm = a.get("perm")
    if perm is None:
        return [TensorShape(list(reversed(list(s))))]
    perm = _int_list(perm)
    if perm is None or sorted(p % max(s.rank, 1) for p in perm) != list(range(s.rank)):
        return [TensorShape([None] * s.rank)]
    return [TensorShape([s[p] for p in perm])]


def _expand_dims_rule(a):
    s = static_shape(a["input"])
    axis = _int_list(a["axis"])
    if s.rank is None or axis is None or len(axis) != 1 or not -s.rank - 1 <= axis[0] <= s.rank:
        return [TensorShape(None)]
    dims = list(s)
    dims.insert(axis[0] % (s.rank + 1), 1)
    return [TensorShape(dims)]


def _squeeze_rule(a):
    s = static_shape(a["input"])
    if s.rank is None:
        return [TensorShape(None)]
    if a.get("axis") is None:
        if not s.is_fully_defined():
            return [TensorShape(None)]
        return [TensorShape([d for d in s if d != 1])]
    axes = _axes("squeeze", a["axis"], s.rank)
    if axes is None:
        return [TensorShape(None)]
    return [TensorShape([d for i, d in enumerate(s) if i not in axes])]


def _concat_rule(a):
    shapes = [static_shape(v) for v in a["values"]] if isinstance(a["values"], (list, tuple)) else []
    if not shapes or any(s.rank is None for s in shapes) or len({s.rank for s in shapes}) != 1:
        return [TensorShape(None)]
    rank = shapes[0].rank
    axes = _axes("concat", a["axis"], rank)
    if axes is None:
        return [TensorShape([None] * rank)]
    (ax,) = axes
    dims = []
    for i in range(rank):
        col = [s[i] for s in shapes]
        if i == ax:
            dims.append(None if None in col else sum(col))
        else:
            known = {d for d in col if d is not None}
            dims.append(known.pop() if len(known) == 1 else None)
    return [TensorShape(dims)]


def _stack_rule(a):
    values = a["values"]
    if not isinstance(values, (list, tuple)) or not values:
        return [TensorShape(None)]
    merged = static_shape(values[0])
    for v in values[1:]:
        s = static_shape(v)
        merged = merged.merge_with(s) if merged.is_compatible_with(s) else TensorShape(None)
    if merged.rank is None:
        return [TensorShape(None)]
    axis = _int_list(a.get("axis", 0))
    if axis is None:
        return [TensorShape(None)]
    dims = list(merged)
    dims.insert(axis[0] % (merged.rank + 1), len(values))
    return [TensorShape(dims)]


def _unstack_rule(a):
    s = static_shape(a["value"])
    axis = _int_list(a.get("axis", 0))
    if s.rank is None or axis is None:
        if a.get("num") is None:
            raise ValueError("unstack: cannot infer num from an unknown shape; pass num=")
        return [TensorShape(None)] * int(a["num"])
    ax = axis[0] % max(s.rank, 1)
    n = a.get("num") if a.get("num") is not None else s[ax]
    if n is None:
        raise ValueError(f"unstack: cannot infer num from shape {shape_str(s)}: the length of "
                         f"axis {ax} is unknown; pass num=")
    rest = TensorShape([d for i, d in enumerate(s) if i != ax])
    return [rest] * int(n)


def _split_rule(a):
    s = static_shape(a["value"])
    spec = a["num_or_size_splits"]
    axis = _int_list(a.get("axis", 0))
    if isinstance(spec, numbers.Integral):
        k = int(spec)
        sizes = None
    else:
        sizes = _int_list(spec)
        if sizes is None:
            st = static_shape(spec)
            if st.rank != 1 or st[0] is None:
                raise ValueError("split: cannot tell how many pieces to make; pass an int or a "
                                 "list of sizes")
            k = st[0]
        else:
            k = len(sizes)
    if s.rank is None or axis is None:
        return [TensorShape(None)] * k
    ax = axis[0] % max(s.rank, 1)
    n = s[ax]
    if sizes is None:
        piece = [n // k if n is not None and not isinstance(spec, Tensor) else None] * k
    else:
        piece = [None if d == -1 else d for d in sizes]
        if n is not None and sizes.count(-1) == 1:
            piece[sizes.index(-1)] = n - (sum(sizes) + 1)
    return [TensorShape([p if i == ax else d for i, d in enumerate(s)]) for p in piece]


def _tile_rule(a):
    s = static_shape(a["input"])
    reps = _int_list(a["multiples"])
    if s.rank is None:
        return [TensorShape(None)]
    if reps is None or len(reps) != s.rank:
        return [TensorShape([None] * s.rank)]
    return [TensorShape([None if d is None else d * r for d, r in zip(s, reps)])]


def _gather_rule(a):
    p, i = static_shape(a["params"]), static_shape(a["indices"])
    if p.rank is None or i.rank is None:
        return [TensorShape(None)]
    axes = _axes("gather", 0 if a.get("axis") is None else a["axis"], p.rank)
    if axes is None:
        return [TensorShape(None)]
    (ax,) = axes
    return [TensorShape(list(p)[:ax] + list(i) + list(p)[ax + 1:])]


def _one_hot_rule(a):
    s = static_shape(a["indices"])
    depth = _int_list(a["depth"])
    if s.rank is None:
        return [TensorShape(None)]
    dims = list(s)
    axis = a.get("axis")
    d = depth[0] if depth else None
    if axis is None or axis == -1:
        dims.append(d)
    else:
        dims.insert(int(axis), d)
    return [TensorShape(dims)]


def _getitem_rule(a):
    s = static_shape(a["x"])
    key = a["key"]
    key = key if isinstance(key, tuple) else (key,)
    if s.rank is None:
        return [TensorShape(None)]
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    out, axis = [], 0
    for k in key:
        if k is None:
            out.append(1)
        elif k is Ellipsis:
            n = s.rank - consumed
            out.extend(s[axis:axis + n])
            axis += n
        elif isinstance(k, slice):
            d = s[axis] if axis < s.rank else None
            bounds = []
            for p in (k.start, k.stop, k.step):
                v = None if p is None else constant_value(p)
                if p is not None and (v is None or np.ndim(v) != 0):
                    bounds = None
                    break
                bounds.append(None if p is None else int(v))
            if d is not None and bounds is not None and bounds[2] != 0:
                out.append(len(range(*slice(*bounds).indices(d))))
            else:
                out.append(None)
            axis += 1
        else:
            axis += 1
    out.extend(s[axis:])
    return [TensorShape(out)]


def _softmax_xent_rule(a):
    s = static_shape(a["logits"])
    if s.rank is None:
        return [TensorShape(None)]
    axes = _axes("softmax_cross_entropy_with_logits", a.get("axis", -1), s.rank)
    if axes is None:
        return [TensorShape([None] * (s.rank - 1))]
    return [TensorShape([d for i, d in enumerate(s) if i not in axes])]


def _where_rule(a):
    if a.get("x") is None and a.get("y") is None:
        c = static_shape(a["condition"])
        return [TensorShape([None, c.rank])]
    return [broadcast_static("where", static_shape(a["condition"]), static_shape(a["x"]),
                             static_shape(a["y"]))]


def _add_n_rule(a):
    merged = TensorShape(None)
    for v in a["inputs"]:
        s = static_shape(v)
        merged = merged.merge_with(s) if merged.is_compatible_with(s) else TensorShape(None)
    return [merged]


def _shape_arg_rule(param, extra=None):
    """Creation ops: the output shape is the value of argument ``param`` (+ ``extra``)."""
    def rule(a):
        dims = _int_list(a[param])
        if dims is None:
            st = static_shape(a[param])
            base = TensorShape([None] * st[0]) if st.rank == 1 and st[0] is not None \
                else TensorShape(None)
        else:
            base = TensorShape(dims)
        return [base.concatenate(extra(a)) if extra else base]
    return rule


def _gamma_extra(a):
    beta = a.get("beta")
    return broadcast_static("random_gamma", static_shape(a["alpha"]),
                            static_shape(beta) if beta is not None else TensorShape([]))


def _range_rule(a):
    start, limit, delta = a["start"], a.get("limit"), a.get("delta", 1)
    if limit is None:
        start, limit = 0, start
    vals = [constant_value(v) for v in (start, limit, delta)]
    if any(v is None for v in vals):
        return [TensorShape([None])]
    s, l, d = (float(v) for v in vals)
    return [TensorShape([max(0, math.ceil((l - s) / d))]) if d else TensorShape([None])]


def _linspace_rule(a):
    num = _int_list(a["num"])
    return [TensorShape([num[0] if num else None])]


def _eye_rule(a):
    r = _int_list(a["num_rows"])
    c = _int_list(a["num_columns"]) if a.get("num_columns") is not None else r
    batch = _int_list(a["batch_shape"]) if a.get("batch_shape") is not None else []
    if batch is None:
        return [TensorShape(None)]
    return [TensorShape(batch + [r[0] if r else None, c[0] if c else None])]


def _categorical_rule(a):
    s = static_shape(a["logits"])
    n = _int_list(a["num_samples"])
    return [TensorShape([s[0] if s.rank else None, n[0] if n else None])]


def _boolean_mask_rule(a):
    t, m = static_shape(a["tensor"]), static_shape(a["mask"])
    if t.rank is None or m.rank is None:
        return [TensorShape(None)]
    ax = 0 if a.get("axis") is None else int(a["axis"]) % max(t.rank, 1)
    return [TensorShape(list(t)[:ax] + [None] + list(t)[ax + m.rank:])]


def _scalar(a):
    return [TensorShape([])]


def _rank_vector(a):
    s = static_shape(a["input"])
    return [TensorShape([s.rank])]


def _build_rules():
    R = {}
    unary = ["abs", "negative", "sign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt",
             "reciprocal", "square", "sin", "cos", "tan", "tanh", "sigmoid", "softplus", "floor",
             "ceil", "round", "logical_not", "cast"]
    for name in unary:
        fn = getattr(_math, name, None)
        if fn is not None:
            R[fn] = _same_as(_first_param(fn))
    binary = ["add", "subtract", "multiply", "divide", "floordiv", "mod", "pow", "maximum",
              "minimum", "squared_difference", "equal", "not_equal", "less", "less_equal",
              "greater", "greater_equal", "logical_and", "logical_or", "logical_xor"]
    for name in binary:
        fn = getattr(_math, name, None)
        if fn is not None:
            p = list(inspect.signature(fn).parameters)
            R[fn] = _binary(p[0], p[1])
    R[_math.where] = _where_rule
    R[_math.clip_by_value] = _same_as("t")
    R[_math.add_n] = _add_n_rule
    for name in ["relu", "leaky_relu", "elu", "softmax", "log_softmax", "dropout"]:
        fn = getattr(_nn, name, None)
        if fn is not None:
            R[fn] = _same_as(_first_param(fn))
    R[_nn.bias_add] = _same_as("value")
    R[_nn.sigmoid_cross_entropy_with_logits] = _same_as("logits")
    R[_nn.softmax_cross_entropy_with_logits] = _softmax_xent_rule
    R[_nn.sparse_softmax_cross_entropy_with_logits] = _same_as("labels")
    R[_nn.l2_loss] = _scalar
    R[_linalg.matmul] = _matmul_rule
    for name in ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                 "reduce_all", "reduce_any", "reduce_logsumexp"]:
        fn = getattr(_reduce, name, None)
        if fn is not None:
            R[fn] = _reduce_rule("input_tensor")
    for name in ["argmax", "argmin"]:
        R[getattr(_reduce, name)] = _reduce_rule("input", keep=None, default_axis_all=False)
    R[_reduce.norm] = _norm_rule
    for name in ["cumsum", "cumprod"]:
        fn = getattr(_reduce, name, None)
        if fn is not None:
            R[fn] = _same_as("x")
    R[_array.identity] = _same_as("input")
    R[_array.stop_gradient] = _same_as("input")
    R[_array.zeros_like] = _same_as("input")
    R[_array.ones_like] = _same_as("input")
    R[_array.reshape] = _reshape_rule
    R[_array.transpose] = _transpose_rule
    R[_array.expand_dims] = _expand_dims_rule
    R[_array.squeeze] = _squeeze_rule
    R[_array.concat] = _concat_rule
    R[_array.stack] = _stack_rule
    R[_array.unstack] = _unstack_rule
    R[_array.split] = _split_rule
    R[_array.tile] = _tile_rule
    R[_array.gather] = _gather_rule
    R[_array.one_hot] = _one_hot_rule
    R[_array.boolean_mask] = _boolean_mask_rule
    R[_array.broadcast_to] = _shape_arg_rule("shape")
    R[_array._getitem] = _getitem_rule
    R[_array.shape] = _rank_vector
    R[_array.size] = _scalar
    R[_array.rank] = _scalar
    R[_array.zeros] = _shape_arg_rule("shape")
    R[_array.ones] = _shape_arg_rule("shape")
    R[_array.fill] = _shape_arg_rule("dims")
    R[_array.eye] = _eye_rule
    R[_array.range] = _range_rule
    R[_array.linspace] = _linspace_rule
    R[_random.normal] = _shape_arg_rule("shape")
    R[_random.truncated_normal] = _shape_arg_rule("shape")
    R[_random.uniform] = _shape_arg_rule("shape")
    R[_random.gamma] = _shape_arg_rule("shape", _gamma_extra)
    R[_random.poisson] = _shape_arg_rule("shape", lambda a: static_shape(a["lam"]))
    R[_random.shuffle] = _same_as("value")
    R[_random.categorical] = _categorical_rule
    return R


_RULES = _build_rules()

# Creation ops: the dummy run that finds the dtype replaces their size arguments by small ones.
_DUMMY_ARGS = {
    _array.zeros: {"shape": ()}, _array.ones: {"shape": ()}, _array.fill: {"dims": ()},
    _array.eye: {"num_rows": 1, "num_columns": 1, "batch_shape": None},
    _array.linspace: {"num": 1}, _array.broadcast_to: {"shape": None},
    _random.normal: {"shape": ()}, _random.truncated_normal: {"shape": ()},
    _random.uniform: {"shape": ()}, _random.gamma: {"shape": ()}, _random.poisson: {"shape": ()},
    _random.categorical: {"num_samples": 1},
}
_NEVER_FULL = set(_DUMMY_ARGS) | {_array.range}
_DUMMY_LIMIT = 1 << 16      # elements: bigger inputs are shrunk for the dtype-only dummy run


def _range_dtype(a):
    if a.get("dtype") is not None:
        return dtypes.as_dtype(a["dtype"])
    for v in (a["start"], a.get("limit"), a.get("delta")):
        d = v.dtype if isinstance(v, (Tensor, EagerTensor)) else (
            dtypes.float32 if isinstance(v, float) else None)
        if d is not None and d.is_floating:
            return d
    return dtypes.int32


def _dummy(t, full, attempt=0):
    """An eager stand-in for graph tensor ``t`` with its dtype (and its shape when ``full``).

    Later attempts guess differently where the shape is unknown: unknown
    dimensions 1 then 2, unknown ranks 0, then 2, then 3.
    """
    if t.op.type == "Const":
        return t.op._attrs["value"]
    s = t.shape
    if s.rank is None:
        dims = ((), (1, 1), (2, 2, 2))[attempt]
    elif full:
        dims = tuple(s)
    else:
        dims = tuple((1, 1, 2)[attempt] if d is None else d for d in s)
        if int(np.prod(dims)) > _DUMMY_LIMIT:
            dims = (1,) * len(dims)
    kind = t.dtype.np.kind
    if kind in "fc":       # a float in (0, 1): a valid rate, probability, divisor or log input
        value = (0.5, 2.0, 0.5)[attempt]
    else:
        value = kind == "b"   # True for bools, 0 (always a valid index) for ints
    return _eager_tensor._wrap(np.full(dims, value, dtype=t.dtype.np))


def _dummy_arguments(fn, bound, tensors, full, attempt):
    values = {id(t): _dummy(t, full, attempt) for t in tensors}
    args, kwargs = substitute(bound.args, values), substitute(bound.kwargs, values)
    override = _DUMMY_ARGS.get(fn)
    if override:
        b = inspect.signature(fn).bind_partial(*args, **kwargs)
        b.arguments.update((k, v) for k, v in override.items() if k in b.arguments or v is not None)
        if "shape" in override and fn is _array.broadcast_to:
            b.arguments["shape"] = b.arguments["input"].shape if hasattr(
                b.arguments["input"], "shape") else np.shape(b.arguments["input"])
        args, kwargs = b.args, b.kwargs
    return args, kwargs


def _can_run_full(fn, tensors):
    if fn in _NEVER_FULL:
        return False
    total = 0
    for t in tensors:
        if not t.shape.is_fully_defined():
            return False
        if t.op.type != "Const":
            if not t.dtype.is_differentiable:
                return False       # integer/bool values may decide the output's shape
            total += t.shape.num_elements()
    return total <= _DUMMY_LIMIT


def infer(fn, op_type, bound, arguments, tensors):
    """(dtypes, shapes) of the outputs of ``fn`` on ``tensors``: a dummy run plus shape rules.

    The dummy run calls the eager ``fn`` on stand-ins with the inputs' dtypes.
    It finds the output dtype (and dtype errors, raised now as TensorFlow
    does). When every input shape is known it also gives the exact output
    shape, and its shape errors are raised now too.
    """
    full = _can_run_full(fn, tensors)
    out, failure = None, None
    # Partly known shapes: up to three guesses at the unknown dimensions. Known shapes: two
    # guesses at the values, so an error that does not depend on them is raised now.
    attempts = 2 if full else 3 if any(not t.shape.is_fully_defined() for t in tensors) else 1
    for attempt in range(attempts):
        if fn is _array.range:
            break
        args, kwargs = _dummy_arguments(fn, bound, tensors, full, attempt)
        try:
            with _quiet_placement(), _random.using_generator(np.random.default_rng(0)):
                out = fn(*args, **kwargs)
            break
        except TypeError as e:        # a dtype problem: the same whatever the values are
            e.add_note(f"(while adding the op '{op_type}' to the graph)")
            raise
        except Exception as e:
            if full and attempt == attempts - 1:
                e.add_note(f"(while adding the op '{op_type}' to the graph; input shapes "
                           f"{', '.join(shape_list_str(t.shape) for t in tensors)})")
                raise
            failure = e
    outs = None if out is None else (list(out) if isinstance(out, (list, tuple)) else [out])
    rule = _RULES.get(fn)
    if full and outs is not None:
        shapes = [TensorShape(o._value.shape) for o in outs]
    elif rule is not None:
        try:
            shapes = rule(arguments) if rule.__code__.co_argcount == 1 else \
                rule(arguments, op_type)
        except (KeyError, IndexError, AttributeError, TypeError):
            # the eager op's arguments changed under the rule: fall back to "unknown"
            if fn in (_array.unstack, _array.split):
                raise
            shapes = [TensorShape(None)] * (len(outs) if outs else 1)
    elif outs is not None and len(outs) == 1 and not isinstance(out, (list, tuple)):
        shapes = [TensorShape(None)]
    else:
        raise ValueError(f"{op_type}: cannot tell how many tensors it returns while input shapes "
                         f"are partly unknown ({failure or 'shapes not fully known'}); give the "
                         "inputs fully known shapes")
    if fn is _array.range:
        dts = [_range_dtype(arguments)]
    elif outs is not None:
        dts = [o.dtype for o in outs]
    else:
        floats = [t.dtype for t in tensors if t.dtype.is_floating]
        dts = [floats[0] if floats else tensors[0].dtype if tensors else dtypes.float32]
    if len(dts) != len(shapes):
        dts = [dts[0]] * len(shapes)
    many = fn in (_array.unstack, _array.split) or isinstance(out, (list, tuple))
    return dts, shapes, many


# ============================================================== nodes that call eager ops

def _slot(x):
    """How to fill one argument at run time: 1 a graph tensor, 2 a structure holding some, 0 as is."""
    if isinstance(x, Tensor):
        return 1
    return 2 if graph_tensors(x) else 0


class CallKernel:
    """Runs an eager function on the values of a node's inputs."""

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


def make_node(fn, op_type, bound, name=None, seeded=False, seed=None, arguments=None):
    """Add a node running eager ``fn`` with ``bound`` arguments; its output tensor(s)."""
    tensors = graph_tensors((bound.args, bound.kwargs))
    graph = graph_of(tensors)
    if arguments is None:
        arguments = _with_defaults(fn, bound)
    dts, shapes, many = infer(fn, op_type, bound, arguments, tensors)
    attrs = {"T": dts[0]}
    if seeded:
        attrs["seed"], attrs["seed2"] = get_seed(graph, seed)
    op = graph._create_op(op_type, name, tensors, CallKernel(fn, bound.args, bound.kwargs, seeded),
                          outputs=list(zip(dts, shapes)), attrs=attrs)
    return op.outputs if many else op._outputs[0]


def _with_defaults(fn, bound):
    sig = inspect.signature(fn)
    a = {k: p.default for k, p in sig.parameters.items() if p.default is not inspect.Parameter.empty}
    a.update(bound.arguments)
    return a


_OP_TYPES = {
    "add": "Add", "subtract": "Sub", "multiply": "Mul", "divide": "truediv", "truediv": "truediv",
    "floordiv": "floordiv", "mod": "FloorMod", "floormod": "FloorMod", "pow": "Pow",
    "maximum": "Maximum", "minimum": "Minimum", "negative": "Neg", "abs": "Abs", "sign": "Sign",
    "exp": "Exp", "log": "Log", "sqrt": "Sqrt", "square": "Square", "sigmoid": "Sigmoid",
    "tanh": "Tanh", "relu": "Relu", "softmax": "Softmax", "log_softmax": "LogSoftmax",
    "matmul": "MatMul", "reduce_sum": "Sum", "reduce_mean": "Mean", "reduce_max": "Max",
    "reduce_min": "Min", "reduce_prod": "Prod", "reduce_all": "All", "reduce_any": "Any",
    "argmax": "ArgMax", "argmin": "ArgMin", "equal": "Equal", "not_equal": "NotEqual",
    "less": "Less", "less_equal": "LessEqual", "greater": "Greater",
    "greater_equal": "GreaterEqual", "logical_and": "LogicalAnd", "logical_or": "LogicalOr",
    "logical_not": "LogicalNot", "cast": "Cast", "reshape": "Reshape", "transpose": "transpose",
    "concat": "concat", "stack": "stack", "unstack": "unstack", "identity": "Identity",
    "stop_gradient": "StopGradient", "zeros": "zeros", "ones": "ones", "fill": "Fill",
    "normal": "random_normal", "truncated_normal": "truncated_normal", "uniform": "random_uniform",
    "gamma": "random_gamma", "poisson": "random_poisson", "shuffle": "random_shuffle",
    "categorical": "multinomial", "clip_by_value": "clip_by_value", "_getitem": "strided_slice",
    "shape": "Shape", "size": "Size", "rank": "Rank", "expand_dims": "ExpandDims",
    "squeeze": "Squeeze", "gather": "GatherV2", "one_hot": "one_hot", "where": "Select",
    "tile": "Tile", "split": "split", "range": "range", "expm1": "Expm1", "round": "Round",
    "floor": "Floor", "ceil": "Ceil", "sin": "Sin", "cos": "Cos", "tan": "Tan",
    "reciprocal": "Reciprocal", "rsqrt": "Rsqrt", "log1p": "Log1p", "softplus": "Softplus",
    "add_n": "AddN", "zeros_like": "zeros_like", "ones_like": "ones_like", "eye": "eye",
    "linspace": "LinSpace", "bias_add": "BiasAdd", "dropout": "dropout", "l2_loss": "L2Loss",
    "boolean_mask": "boolean_mask", "broadcast_to": "BroadcastTo", "tensordot": "Tensordot",
    "norm": "norm", "cumsum": "Cumsum", "cumprod": "Cumprod", "elu": "Elu",
    "leaky_relu": "LeakyRelu", "squared_difference": "SquaredDifference",
    "reduce_logsumexp": "ReduceLogSumExp", "logical_xor": "LogicalXor",
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
    op_type = op_type or _OP_TYPES.get(public_name) or _OP_TYPES.get(fn.__name__) or _camel(
        public_name)
    sig = inspect.signature(fn)
    has_name = "name" in sig.parameters
    has_seed = "seed" in sig.parameters

    def op(*args, **kwargs):
        name = None if has_name else kwargs.pop("name", None)
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{public_name}: {e}") from None
        if has_name:
            name = bound.arguments.pop("name", None)
        arguments = _with_defaults(fn, bound)
        arguments.pop("name", None)
        seed = None
        if has_seed:
            seed = bound.arguments.pop("seed", None)
            arguments.pop("seed", None)
        return make_node(fn, op_type, bound, name, seeded=has_seed, seed=seed,
                         arguments=arguments)

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
    """True for the public eager functions that graph_op can wrap."""
    return (inspect.isfunction(obj) and getattr(obj, "__module__", "").startswith("d2l_core.ops.")
            and obj not in (_random.set_seed, _random.get_global_seed))


# ============================================================== constants and placeholders

def _const_kernel(run, op, inputs):
    return [_eager_tensor.constant(op._attrs["value"])]


def _tf1_constant_array(value, dtype, shape, verify_shape):
    """TensorFlow 1's tf.constant value rules (a short list fills the shape with its last value)."""
    base = _eager_tensor.constant(value, dtype=dtype)
    if shape is None:
        return base
    shape = [int(d) for d in (shape if not isinstance(shape, numbers.Integral) else [shape])]
    need = int(np.prod(shape))
    arr = base.numpy()
    flat = np.reshape(arr, (-1,))
    if verify_shape and tuple(arr.shape) != tuple(shape):
        raise TypeError(f"constant: expected Tensor's shape {tuple(shape)}, got {arr.shape}.")
    if flat.size > need:
        raise TypeError(f"constant: too many elements provided. Needed at most {need}, but "
                        f"received {flat.size}")
    if flat.size == 0 and need:
        raise ValueError(f"constant: no values given to fill shape {tuple(shape)}")
    if flat.size < need:
        flat = np.concatenate([flat, np.full(need - flat.size, flat[-1], dtype=flat.dtype)])
    return _eager_tensor.constant(flat.reshape(shape))


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A graph constant (TF1's ``tf.constant``): a 'Const' node holding ``value``.

    With ``shape``, a scalar fills the shape, and (TensorFlow 1's rule) a
    list shorter than the shape is padded with its last value.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[0.7, 0.9]], dtype=tf.float32)
    ...     print(x)
    ...     print(tf.Session().run(tf.constant([1, 2], shape=[2, 2])))
    Tensor("Const:0", shape=(1, 2), dtype=float32)
    [[1 2]
     [2 2]]
    """
    inside = [value] if isinstance(value, Tensor) else graph_tensors(value)
    if inside:
        raise TypeError(f"constant: the value must be known now (numbers, lists, NumPy arrays), "
                        f"not a graph tensor such as {inside[0]}"
                        "; use tf.identity(t) or tf.convert_to_tensor(...) for graph tensors")
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    eager = _tf1_constant_array(value, dtype, shape, verify_shape)
    graph = get_default_graph()
    op = graph._create_op("Const", name, [], _const_kernel,
                          outputs=[(eager.dtype, eager.shape)],
                          attrs={"value": eager, "dtype": eager.dtype})
    return op._outputs[0]


def _placeholder_kernel(run, op, inputs):
    raise missing_feed_error(op._outputs[0])


def missing_feed_error(t):
    shape = t.shape
    detail = f" and shape {shape_list_str(shape)}" if shape.rank is not None else ""
    return InvalidArgumentError(
        f"You must feed a value for placeholder tensor '{t.op.name}' with dtype "
        f"{_tf1_name(t.dtype)}{detail}\n\t [[node {t.op.name}]]\n"
        f"A placeholder has no value of its own: give it one in feed_dict, e.g. "
        f"sess.run(fetches, feed_dict={{x: data}}) where x is the tensor that "
        f"tf.placeholder(..., name='{t.op.name}') returned.", op=t.op.name)


def _tf1_name(dtype):
    from .graph import tf1_dtype_name
    return tf1_dtype_name(dtype)


def _as_shape(shape):
    if shape is None:
        return TensorShape(None)
    if isinstance(shape, numbers.Integral):
        return TensorShape([shape])
    return TensorShape(shape)


def placeholder(dtype, shape=None, name=None):
    """A slot for data fed at run time (TF1's ``tf.placeholder``).

    ``shape`` may leave dimensions as None (e.g. the batch size) or be None
    altogether. Running anything that needs it without a ``feed_dict`` value
    is an error that names it.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a_ph = tf.placeholder(tf.float32, name='variable_a')
    ...     b_ph = tf.placeholder(tf.float32, name='variable_b')
    ...     c_op = tf.add(a_ph, b_ph, name='variable_c')
    ...     with tf.Session() as sess:
    ...         print('a+b=', sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.}))
    a+b= 6.0
    """
    dtype = dtypes.as_dtype(dtype)
    shape = _as_shape(shape)
    graph = get_default_graph()
    op = graph._create_op("Placeholder", name, [], _placeholder_kernel, outputs=[(dtype, shape)],
                          attrs={"dtype": dtype, "shape": shape})
    return op._outputs[0]


def _identity_kernel(run, op, inputs):
    return [inputs[0]]


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A placeholder that gives ``input``'s value when nothing is fed.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.placeholder_with_default(tf.constant(1.0), shape=[])
    ...     sess = tf.Session()
    ...     print(sess.run(p), sess.run(p, feed_dict={p: 5.0}))
    1.0 5.0
    """
    x = convert_to_tensor(input)
    shape = _as_shape(shape)
    if not x.shape.is_compatible_with(shape):
        raise ValueError(f"placeholder_with_default: the default's shape {shape_str(x.shape)} is "
                         f"not compatible with shape {shape_str(shape)}")
    op = x.graph._create_op("PlaceholderWithDefault", name, [x], _identity_kernel,
                            outputs=[(x.dtype, shape)], attrs={"dtype": x.dtype, "shape": shape})
    return op._outputs[0]


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    """``value`` as a graph tensor: graph tensors pass through, other values become constants.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.convert_to_tensor([1.0, 2.0]))
    Tensor("Const:0", shape=(2,), dtype=float32)
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}. Use tf.cast(t, "
                             f"tf.{dtype.name}) to change the dtype.")
        return value
    if isinstance(value, Operation):
        raise TypeError(f"Can't convert Operation '{value.name}' to Tensor (an operation has no "
                        "value; use one of its .outputs)")
    if isinstance(value, (list, tuple)) and graph_tensors(value):
        parts = [convert_to_tensor(v, dtype=dtype) for v in value]
        return stack(parts, name=name or "packed")
    hint = preferred_dtype or dtype_hint
    if dtype is None and hint is not None:
        try:
            return constant(value, dtype=hint, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype, name=name or "Const")


# ============================================================== groups and dependencies

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


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``input_`` unchanged, printing ``message`` and the values of ``data`` when run (``tf.Print``).

    A graph has no values while you build it, so ``print(t)`` shows only the
    tensor's name; ``tf.Print`` prints values each time a session computes it
    (to standard output, so notebooks show it; TensorFlow wrote to stderr).
    ``summarize`` elements of each tensor are shown (default 3).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     y = tf.Print(x, [x, tf.reduce_sum(x)], message='x and its sum: ')
    ...     _ = tf.Session().run(y)
    x and its sum: [1 2][3]
    """
    x = convert_to_tensor(input_)
    data = [convert_to_tensor(d) for d in (data or [])]
    limit = 3 if summarize is None else int(summarize)
    state = {"count": 0}

    def kernel(run, op, inputs):
        state["count"] += 1
        if first_n is None or first_n < 0 or state["count"] <= first_n:
            parts = []
            for v in inputs[1:]:
                flat = np.reshape(v.numpy(), (-1,))
                shown = " ".join(np.format_float_positional(e, trim="-") if flat.dtype.kind == "f"
                                 else str(e) for e in flat[:limit])
                parts.append("[" + shown + ("..." if flat.size > limit else "") + "]")
            print((message or "") + "".join(parts))
        return [inputs[0]]
    op = x.graph._create_op("Print", name, [x] + data, kernel, outputs=[(x.dtype, x.shape)])
    return op._outputs[0]


# ============================================================== gradients

def _gradients_kernel(run, op, inputs):
    from ...ops.array import zeros_like
    values = {id(t): v for t, v in zip(op._inputs, inputs)}
    ys, xs, grad_ys = op._attrs["ys"], op._attrs["xs"], op._attrs["grad_ys"]
    targets = [values[id(y)] for y in ys]
    sources = [run.gradient_source(x, values) for x in xs]
    out_grads = [values[id(g)] for g in grad_ys] if grad_ys else None
    with run.tape_paused():
        grads = run.tape.gradient(targets, sources, output_gradients=out_grads)
        return [zeros_like(s) if g is None else g for g, s in zip(grads, sources)]


def _connected(ys, xs):
    """The xs that some y depends on through floating-point tensors (not through stop_gradient)."""
    reached = set()
    stack = list(ys)
    while stack:
        t = stack.pop()
        if id(t) in reached:
            continue
        reached.add(id(t))
        if t.op.type == "StopGradient":
            continue
        for x in t.op._inputs + t.op._lazy:
            if x.dtype.is_differentiable and id(x) not in reached:
                stack.append(x)
    return [id(x) in reached for x in xs]


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Symbolic gradients of ``sum(ys)`` with respect to each of ``xs`` (``tf.gradients``).

    Returns one graph tensor per x, or None where ys does not depend on x.
    When a session runs them, the forward pass is recorded on an eager
    ``GradientTape`` and differentiated by it: graph mode has no autodiff
    of its own.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32)
    ...     y = x ** 3
    ...     (dy_dx,) = tf.gradients(y, [x])
    ...     print(tf.Session().run(dy_dx, feed_dict={x: 2.0}))
    12.0
    """
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    single_x = not isinstance(xs, (list, tuple))
    xs = [xs] if single_x else list(xs)
    ys = [convert_to_tensor(y) for y in ys]
    for x in xs:
        if not isinstance(x, Tensor):
            raise TypeError(f"gradients: xs must be graph tensors or variables, got "
                            f"{type(x).__name__} {x!r:.60}")
    graph = graph_of(ys + xs)
    with graph.as_default():
        if grad_ys is not None:
            grad_ys = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
            if len(grad_ys) != len(ys):
                raise ValueError(f"gradients: {len(ys)} ys but {len(grad_ys)} grad_ys")
            grad_ys = [convert_to_tensor(g, dtype=y.dtype) if not isinstance(g, Tensor) else g
                       for g, y in zip(grad_ys, ys)]
        stops = {id(s) for s in graph_tensors(stop_gradients)} if stop_gradients else set()
        connected = _connected(ys, xs)
        wanted = [x for x, c in zip(xs, connected) if c and id(x) not in stops]
        results = {}
        if wanted:
            op = graph._create_op(
                "Gradients", name, ys + wanted + (grad_ys or []), _gradients_kernel,
                outputs=[(x.dtype, x.shape) for x in wanted],
                attrs={"ys": ys, "xs": wanted, "grad_ys": grad_ys})
            op._watch = wanted
            results = {id(x): t for x, t in zip(wanted, op._outputs)}
    zero = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower() == "zero"
    out = []
    for x in xs:
        g = results.get(id(x))
        if g is None and zero:
            with graph.as_default():
                g = zeros_like_op(x)
        out.append(g)
    return out[0] if single_x else out


# ============================================================== operators on graph tensors

def _wrap_named(fn, public, default_name):
    op = graph_op(fn, public)

    def method(*args, **kwargs):
        return op(*args, name=default_name, **kwargs)
    return method


def _swap(method):
    def reflected(self, other):
        return method(other, self)
    return reflected


add = graph_op(_math.add, "add")
subtract = graph_op(_math.subtract, "subtract")
multiply = graph_op(_math.multiply, "multiply")
divide = graph_op(_math.divide, "divide")
stack = graph_op(_array.stack, "stack")
zeros_like_op = graph_op(_array.zeros_like, "zeros_like")
getitem = graph_op(_array._getitem, "strided_slice")


def _install_operators():
    binary = {
        "add": (_math.add, "add"), "sub": (_math.subtract, "sub"), "mul": (_math.multiply, "mul"),
        "truediv": (_math.divide, "truediv"), "floordiv": (_math.floordiv, "floordiv"),
        "mod": (_math.mod, "mod"), "pow": (_math.pow, "pow"), "matmul": (_linalg.matmul, "MatMul"),
        "and": (_math.logical_and, "and"), "or": (_math.logical_or, "or"),
        "xor": (_math.logical_xor, "xor"),
    }
    for dunder, (fn, nm) in binary.items():
        method = _wrap_named(fn, fn.__name__, nm)
        setattr(Tensor, f"__{dunder}__", method)
        setattr(Tensor, f"__r{dunder}__", _swap(method))
    for dunder, (fn, nm) in {"lt": (_math.less, "Less"), "le": (_math.less_equal, "LessEqual"),
                             "gt": (_math.greater, "Greater"),
                             "ge": (_math.greater_equal, "GreaterEqual"),
                             "neg": (_math.negative, "Neg"), "abs": (_math.abs, "Abs"),
                             "invert": (_math.logical_not, "LogicalNot")}.items():
        setattr(Tensor, f"__{dunder}__", _wrap_named(fn, fn.__name__, nm))
    Tensor.__pos__ = lambda self: self
    Tensor.__getitem__ = lambda self, key: getitem(self, key)


_install_operators()
