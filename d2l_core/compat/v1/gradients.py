"""``tf.gradients``: symbolic gradients, computed at run time by the eager ``GradientTape``.

A 'Gradients' node names the ys and xs; when a session runs it, the forward
ops have been recorded on a tape and the tape differentiates them, so graph
mode has no autodiff of its own.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32)
...     (g,) = tf.gradients(x * x, [x])
...     print(tf.Session().run(g, feed_dict={x: 3.0}))
6.0
"""
from ...ops import array as _array
from .constants import convert_to_tensor
from .graph import Tensor, graph_of
from .graph_ops import graph_op, graph_tensors

_zeros_like = graph_op(_array.zeros_like, "zeros_like")


def _gradients_kernel(run, op, inputs):
    values = {id(t): v for t, v in zip(op._inputs, inputs)}
    ys, xs, grad_ys = op._attrs["ys"], op._attrs["xs"], op._attrs["grad_ys"]
    targets = [values[id(y)] for y in ys]
    sources = [run.gradient_source(x, values) for x in xs]
    out_grads = [values[id(g)] for g in grad_ys] if grad_ys else None
    with run.tape_paused():
        grads = run.tape.gradient(targets, sources, output_gradients=out_grads)
        return [_array.zeros_like(s) if g is None else g for g, s in zip(grads, sources)]


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
                g = _zeros_like(x)
        out.append(g)
    return out[0] if single_x else out
