"""Graph control flow: ``tf.cond`` and ``tf.while_loop``.

A graph is built once and run many times, so a Python ``if`` or ``while``
on a tensor's value cannot work (the value does not exist yet). ``cond``
and ``while_loop`` put the decision into the graph: the session evaluates
the condition and then only the branch (or the loop body) it needs.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32)
...     y = tf.cond(x > 0, lambda: x * 10.0, lambda: -x)
...     n = tf.while_loop(lambda i: i < 10, lambda i: i * 2, [tf.constant(1)])[0]
...     with tf.Session() as sess:
...         print(sess.run(y, {x: 2.0}), sess.run(y, {x: -3.0}), sess.run(n))
20.0 3.0 16
"""
from ... import dtypes, nest
from ...tensor_shape import TensorShape
from .graph import Tensor, get_default_graph, shape_str
from .constants import convert_to_tensor


def _merge_shapes(a, b):
    if a.is_compatible_with(b):
        return a.merge_with(b)
    if a.rank is not None and a.rank == b.rank:
        return TensorShape([x if x == y else None for x, y in zip(a, b)])
    return TensorShape(None)


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None):
    """``true_fn()`` where ``pred`` is True when the graph runs, else ``false_fn()`` (``tf.cond``).

    Both functions are called now to build their branches (they must return
    the same structure of tensors with the same dtypes); a session runs only
    the branch ``pred`` picks.
    """
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond: true_fn and false_fn must be callables (e.g. lambda: x + 1)")
    graph = pred.graph if isinstance(pred, Tensor) else get_default_graph()
    with graph.as_default(), graph.name_scope(name or "cond"):
        pred = convert_to_tensor(pred)
        if pred.dtype is not dtypes.bool or pred.shape.rank not in (None, 0):
            raise TypeError(f"cond: pred must be a scalar bool tensor, got {pred!r}")
        with graph.name_scope("true"):
            t_out = true_fn()
        with graph.name_scope("false"):
            f_out = false_fn()
        t_flat = [convert_to_tensor(x) for x in nest.flatten(t_out)]
        f_flat = [convert_to_tensor(x) for x in nest.flatten(f_out)]
        if len(t_flat) != len(f_flat):
            raise ValueError(f"cond: true_fn and false_fn must return the same number of "
                             f"tensors, got {len(t_flat)} and {len(f_flat)}")
        specs = []
        for a, b in zip(t_flat, f_flat):
            if a.dtype is not b.dtype:
                raise ValueError(f"cond: the branches give dtypes {a.dtype.name} and "
                                 f"{b.dtype.name} for the same output; cast one of them")
            specs.append((a.dtype, _merge_shapes(a.shape, b.shape)))

        def kernel(run, op, inputs):
            return run.evaluate(t_flat if bool(inputs[0]) else f_flat)

        op = graph._create_op("Merge", "Merge", [pred], kernel, outputs=specs)
        op._lazy = tuple(t_flat) + tuple(f_flat)
    return nest.pack_sequence_as(t_out, op.outputs)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
               return_same_structure=False):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``).

    ``cond`` and ``body`` are called once now, on stand-ins for the loop
    variables, to build the graph; the session then runs the loop. Shapes
    may change between iterations only where ``shape_invariants`` (or an
    unknown dimension) allow.
    """
    graph = get_default_graph()
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    with graph.name_scope(name or "while"):
        init = [convert_to_tensor(x) for x in nest.flatten(structure)]
        invariants = nest.flatten(shape_invariants) if shape_invariants is not None else None
        enters = []
        for i, x in enumerate(init):
            shape = TensorShape(invariants[i]) if invariants else x.shape
            op = graph._create_op("Enter", "Enter", [], _unfed_loop_var, outputs=[(x.dtype, shape)])
            enters.append(op._outputs[0])
        packed = nest.pack_sequence_as(structure, enters)
        c = cond(*packed) if isinstance(packed, (list, tuple)) else cond(packed)
        c = convert_to_tensor(c)
        if c.dtype is not dtypes.bool:
            raise TypeError(f"while_loop: cond must return a bool tensor, got {c!r}")
        out = body(*packed) if isinstance(packed, (list, tuple)) else body(packed)
        out = [out] if single or not isinstance(out, (list, tuple)) else out
        new = [convert_to_tensor(x) for x in nest.flatten(out)]
        if len(new) != len(enters):
            raise ValueError(f"while_loop: body returned {len(new)} tensors for "
                             f"{len(enters)} loop variables")
        for e, n in zip(enters, new):
            if e.dtype is not n.dtype:
                raise ValueError(f"while_loop: loop variable {e.name} has dtype {e.dtype.name} "
                                 f"but the body returns {n.dtype.name}")
            if not e.shape.is_compatible_with(n.shape):
                raise ValueError(f"while_loop: the shape of a loop variable changes from "
                                 f"{shape_str(e.shape)} to {shape_str(n.shape)}; give "
                                 "shape_invariants with None where it may change")
        limit = maximum_iterations

        def kernel(run, op, inputs):
            values = list(inputs)
            count = 0
            while limit is None or count < int(limit):
                memo = dict(run.memo)
                memo.update(zip(enters, values))
                (go,) = run.evaluate([c], memo)
                if not bool(go):
                    break
                values = run.evaluate(new, memo)
                count += 1
            return values

        op = graph._create_op("Exit", "Exit", init, kernel,
                              outputs=[(e.dtype, e.shape) for e in enters])
        op._lazy = (c,) + tuple(new)
    result = op.outputs
    if single:
        return result[0]
    return nest.pack_sequence_as(structure, result)


def _unfed_loop_var(run, op, inputs):
    raise RuntimeError(f"{op.name} is a tf.while_loop variable: it only has a value inside the "
                       "loop, so it cannot be fetched on its own")
