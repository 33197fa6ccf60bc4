"""``GradientTape``: reverse-mode automatic differentiation, as in TensorFlow 2.

While a tape is open it records every op that touches a tensor it tracks
(one it watches, or one computed from those). ``tape.gradient(y, x)`` then
walks that record newest-first, a loop (never recursion), applying each op's
chain rule and adding up the gradients that meet at a tensor.

Each op's chain rule is written with d2l_core ops, so when an outer tape is
recording, it records the backward pass too: that is how nested tapes give
second and higher derivatives.

>>> import d2l_core as d2l
>>> x = d2l.Variable(3.0)
>>> with d2l.GradientTape() as outer:
...     with d2l.GradientTape() as inner:
...         y = x * x * x
...     dy_dx = inner.gradient(y, x)        # 3x² = 27
>>> d2y_dx2 = outer.gradient(dy_dx, x)      # 6x = 18
>>> float(dy_dx), float(d2y_dx2)
(27.0, 18.0)
"""
import contextlib
import enum
import functools
import inspect

import numpy as np

from . import _logging, _recording, backend, nest
from .ops import array as _array
from .ops import math as _math
from .tensor import Tensor, Variable, array_of, convert_to_tensor, wrap


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on.

    >>> a, b = d2l.constant(1.0), d2l.constant(2.0)
    >>> with d2l.GradientTape(persistent=True) as tape:
    ...     tape.watch([a, b])
    ...     y = a * 3.0
    >>> print(tape.gradient(y, b))
    None
    >>> tape.gradient(y, b, unconnected_gradients=d2l.UnconnectedGradients.ZERO).numpy()
    np.float32(0.0)
    """

    NONE = "none"
    ZERO = "zero"


def _unconnected(value):
    try:
        return UnconnectedGradients(getattr(value, "value", value))
    except ValueError:
        raise ValueError(f"unconnected_gradients must be 'none' or 'zero' "
                         f"(d2l.UnconnectedGradients.NONE or .ZERO), got {value!r}") from None


def _check_target(op, target):
    if not isinstance(target, Tensor):
        raise TypeError(f"{op}: the target must be a Tensor, got {type(target).__name__} "
                        f"{target!r:.40}; compute it with d2l ops inside the tape")


def _check_sources(op, flat_sources):
    for s in flat_sources:
        if not isinstance(s, Tensor):
            raise TypeError(f"{op}: sources must be Tensors or Variables (or a list, tuple or "
                            f"dict of them), got {type(s).__name__} {s!r:.40}")


class GradientTape:
    """Record operations for automatic differentiation (``tf.GradientTape``).

    Args:
        persistent: allow many ``gradient()`` calls; a plain tape frees its
            record after the first one, to save memory.
        watch_accessed_variables: watch every trainable Variable read inside
            the tape (the default). With False, only what you ``watch()``.

    >>> x = d2l.constant(3.0)
    >>> with d2l.GradientTape(persistent=True) as g:
    ...     g.watch(x)
    ...     y = x * x
    ...     z = y * y
    >>> float(g.gradient(z, x)), float(g.gradient(y, x))   # 4x³ and 2x
    (108.0, 6.0)
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._records = []        # (op entry, inputs, output(s), attrs), in execution order
        self._tracked = {}        # id -> tensor: watched or computed from watched tensors
        self._variables = {}      # id -> watched Variable, in watch order
        self._recording = False
        self._used = False        # a non-persistent tape answers one gradient() call

    # ------------------------------------------------------------ context
    def __enter__(self):
        if self._recording:
            raise ValueError("GradientTape: this tape is already recording; "
                             "use a new tape for a nested context")
        if self._used:      # a spent plain tape starts afresh, as TensorFlow's does
            self.reset()
        self._push()
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._pop()
        return False

    def _push(self):
        _recording.active.append(self)
        self._recording = True

    def _pop(self):
        _recording.active.remove(self)
        self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """Run code inside the tape's context without recording it.

        >>> x = d2l.Variable(2.0)
        >>> with d2l.GradientTape() as tape:
        ...     with tape.stop_recording():
        ...         y = x * x
        >>> print(tape.gradient(y, x))
        None
        """
        if not self._recording:
            raise ValueError("stop_recording: the tape is not recording; "
                             "call it inside `with tape:`")
        self._pop()
        try:
            yield
        finally:
            self._push()

    def reset(self):
        """Forget everything recorded so far; keep recording if inside the context.

        >>> x = d2l.Variable(2.0)
        >>> with d2l.GradientTape() as tape:
        ...     y = x * x * x
        ...     tape.reset()            # start over: only what follows counts
        ...     y = x * x
        >>> float(tape.gradient(y, x))
        4.0
        """
        self._records.clear()
        self._tracked.clear()
        self._variables.clear()
        self._used = False

    # ------------------------------------------------------------ watching
    def watch(self, tensor):
        """Track ``tensor`` (a Tensor, a Variable, or a nested list/tuple of them).

        Only floating-point tensors can have gradients; watching an integer
        tensor logs a warning and its gradient will be None, as in TensorFlow.

        >>> a, b = d2l.constant(1.0), d2l.constant(2.0)
        >>> with d2l.GradientTape() as tape:
        ...     tape.watch([a, b])          # constants are only tracked when watched
        ...     y = a * b
        >>> [float(g) for g in tape.gradient(y, [a, b])]
        [2.0, 1.0]
        """
        for t in nest.flatten(tensor):
            if not isinstance(t, Tensor):
                raise TypeError(f"watch: expected a Tensor or Variable, got {type(t).__name__} "
                                f"{t!r:.40}; convert it first with d2l.constant(...)")
            if not t.dtype.is_differentiable:
                _logging.warning(
                    f"The dtype of the watched tensor must be floating (e.g. tf.float32), got "
                    f"{t.dtype!r}: it will get no gradient. Cast it, e.g. d2l.cast(x, d2l.float32)")
            if isinstance(t, Variable):
                self._watch_variable(t)
            else:
                self._tracked[id(t)] = t

    def _watch_variable(self, v):
        self._tracked[id(v)] = v
        self._variables.setdefault(id(v), v)

    def watched_variables(self):
        """The Variables this tape watched, in the order it first saw them.

        >>> w, b = d2l.Variable(1.0, name="w"), d2l.Variable(0.0, name="b")
        >>> with d2l.GradientTape() as tape:
        ...     y = w * 3.0 + b
        >>> [v.name for v in tape.watched_variables()]
        ['w:0', 'b:0']
        """
        return tuple(self._variables.values())

    def watched(self):
        """The tensors the tape tracks but did not compute: what was ``watch``ed, Variables read.

        >>> a, w = d2l.constant(2.0), d2l.Variable(1.0)
        >>> with d2l.GradientTape() as tape:
        ...     tape.watch(a)
        ...     y = a * w
        >>> [t is a or t is w for t in tape.watched()]
        [True, True]
        """
        computed = set()
        for _, _, output, _ in self._records:
            computed.update(map(id, output if type(output) is tuple else (output,)))
        return tuple(t for key, t in self._tracked.items() if key not in computed)

    def records(self):
        """What the tape recorded, oldest first: ``(op name, inputs, output)`` for each op.

        ``output`` is a tuple for an op with several outputs (``unstack``).
        A Variable read inside the tape is a 'ReadVariableOp' whose output is
        the value read. A non-persistent tape frees its records in
        ``gradient()``, so afterwards there are none.

        >>> x = d2l.constant(3.0)
        >>> with d2l.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = d2l.exp(x * x)
        >>> [name for name, inputs, output in tape.records()]
        ['multiply', 'exp']
        """
        return tuple((op.name, inputs, output) for op, inputs, output, _ in self._records)

    # ------------------------------------------------------------ differentiation
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d target / d sources, shaped like ``sources`` (a tensor, list, tuple or dict).

        A non-scalar target (or a list of targets) is summed first, so the
        result is the gradient of ``reduce_sum(target)``; ``output_gradients``
        weights each target element instead. Sources the target does not
        depend on give None, or zeros with ``unconnected_gradients='zero'``.

        >>> w, unused = d2l.Variable([1.0, 2.0]), d2l.Variable(5.0)
        >>> with d2l.GradientTape() as tape:
        ...     y = w * w                   # not a scalar: the gradient of its sum
        >>> grads = tape.gradient(y, {"w": w, "unused": unused})
        >>> grads["w"].numpy(), grads["unused"]
        (array([2., 4.], dtype=float32), None)
        """
        if self._used:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        unconnected = _unconnected(unconnected_gradients)
        targets = nest.flatten(target)
        for t in targets:
            if not isinstance(t, Tensor):
                raise TypeError(f"gradient: the target must be a Tensor (or a list of them), "
                                f"got {type(t).__name__} {t!r:.40}; compute it with d2l ops "
                                "inside the tape")
            if not t.dtype.is_differentiable:
                _logging.warning(
                    f"The dtype of the target tensor must be floating (e.g. tf.float32) when "
                    f"calling GradientTape.gradient, got {t.dtype!r}: an integer, bool or string "
                    "result has no gradient, so every gradient is None")
        flat_sources = nest.flatten(sources)
        _check_sources("gradient", flat_sources)
        if output_gradients is not None:
            out_grads = nest.flatten(output_gradients)
            if len(out_grads) != len(targets):
                raise ValueError(f"gradient: {len(targets)} targets but {len(out_grads)} "
                                 "output_gradients")
        else:
            out_grads = [None] * len(targets)
        if self._recording:
            if self._persistent:
                _logging.warning(
                    "Calling GradientTape.gradient on a persistent tape inside its context is "
                    "significantly less efficient than calling it outside the context (it causes "
                    "the gradient ops to be recorded on the tape, leading to increased CPU and "
                    "memory usage). Only call GradientTape.gradient inside the context if you "
                    "actually want to trace the gradient in order to compute higher order "
                    "derivatives.")
            else:
                self._pop()

        grads = self._backprop(targets, out_grads, flat_sources)
        result = []
        for s in flat_sources:
            g = grads.get(id(s))
            if not s.dtype.is_differentiable:
                _logging.warning(
                    f"The dtype of the source tensor must be floating (e.g. tf.float32) when "
                    f"calling GradientTape.gradient, got {s.dtype!r}: its gradient is None")
                g = None
            elif g is None and unconnected is UnconnectedGradients.ZERO:
                g = _array.zeros_like(s)
            result.append(g)
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, result)

    def _release(self):
        self._used = True
        self._records = []
        self._tracked = {}

    def backward_walk(self, target):
        """The gradients ``gradient(target, ...)`` sends along each recorded edge (d2l_core only).

        One ``(op name, op output, input index, input, gradient sent to that
        input)`` per edge, in the order the backward walk visits them. Where a tensor feeds
        several ops, its gradient is the sum of what its edges carry.
        ``d2l.plot.plot_tape(tape, gradients_of=y)`` draws them. TensorFlow
        has no such method: there you would differentiate each step yourself.

        >>> x = d2l.constant(3.0)
        >>> with d2l.GradientTape(persistent=True) as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> [(name, i, float(g)) for name, _, i, _, g in tape.backward_walk(y)]
        [('multiply', 0, 3.0), ('multiply', 1, 3.0)]
        """
        if not self._records:
            raise ValueError("backward_walk: the tape holds no records; a non-persistent tape "
                             "forgets them in gradient(), so use GradientTape(persistent=True)")
        walk = []
        self._backprop([target], [None], (), walk)
        return tuple((op.name, out, i, x, g) for op, out, i, x, g in walk)

    def _backprop(self, targets, out_grads, sources, walk=None):
        """Reverse sweep over the recorded ops; returns {id(tensor): gradient}.

        ``walk``, a list, receives ``(op entry, output, input index, input, gradient)``
        for every edge the sweep sends a gradient along (``backward_walk``).

        The one place above ops that reads Tensors' ``_value``/``_dtype``: this
        loop runs once per recorded op, and an attribute read is cheaper than
        ``tensor.array_of`` (tests/engine/test_layering.py lists the exception).
        """
        keep = {id(s) for s in sources}
        grads = {}
        add, sum_to = _math.add, _array.sum_to

        def accumulate(key, g):
            old = grads.get(key)
            grads[key] = g if old is None else add(old, g)

        for t, og in zip(targets, out_grads):
            if not t._dtype.is_differentiable:
                continue
            if og is None:
                v = t._value
                if type(v) is np.ndarray or v.ndim:
                    g = _array.ones_like(t)
                else:   # a scalar loss on a GPU: the seed 1 is a cached device constant
                    g = wrap(backend.scalar_to_device(np.ones((), v.dtype), backend.device_of(v)))
            else:
                g = convert_to_tensor(og, None if isinstance(og, Tensor) else t._dtype)
                if g._value.shape != t._value.shape:
                    raise ValueError(f"gradient: output_gradients shape {g.shape} must match the "
                                     f"target's shape {t.shape}")
            accumulate(id(t), g)

        tracked = self._tracked
        saved = _recording.swap_needed(tracked)
        try:
            for op, inputs, output, attrs in reversed(self._records[:]):
                key = id(output)
                dy = grads.get(key) if key in keep else grads.pop(key, None)
                if dy is not None:
                    input_grads = op.grad(dy, inputs, output, attrs)
                elif type(output) is tuple:     # one op, several outputs (record_many)
                    dys = [grads.get(id(y)) if id(y) in keep else grads.pop(id(y), None)
                           for y in output]
                    if all(d is None for d in dys):
                        continue
                    input_grads = op.grad(dys, inputs, output, attrs)
                else:
                    continue
                if len(input_grads) != len(inputs):
                    _wrong_gradient_count(op, inputs, input_grads)
                for i, (x, g) in enumerate(zip(inputs, input_grads)):
                    key = id(x)
                    if g is None or key not in tracked:
                        continue
                    if g._value.shape != x._value.shape:
                        g = sum_to(g, x._value.shape)
                    if walk is not None:
                        walk.append((op, output, i, x, g))
                    old = grads.get(key)        # accumulate(key, g), inline: this is the hot loop
                    grads[key] = g if old is None else add(old, g)
        finally:
            _recording.swap_needed(saved)
        return grads

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The full Jacobian: result shape is target.shape + source.shape (``tape.jacobian``).

        >>> x = d2l.constant([1.0, 2.0])
        >>> with d2l.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.jacobian(y, x).numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        """
        if self._used:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        if self._recording and not self._persistent:
            self._pop()
        unconnected = _unconnected(unconnected_gradients)
        _check_target("jacobian", target)
        target = convert_to_tensor(target)
        flat_sources = nest.flatten(sources)
        _check_sources("jacobian", flat_sources)
        n = array_of(target).size
        # Row i of the Jacobian is the gradient of target element i: seed the
        # backward pass with the i-th one-hot tensor.
        seeds = _array.reshape(_array.eye(n, dtype=target.dtype), (n,) + array_of(target).shape)
        rows = [[] for _ in flat_sources]
        connected = [False] * len(flat_sources)
        for i in range(n):
            grads = self._backprop([target], [seeds[i]], flat_sources)
            for j, s in enumerate(flat_sources):
                g = grads.get(id(s))
                connected[j] |= g is not None
                rows[j].append(_array.zeros_like(s) if g is None else g)
        result = []
        for j, s in enumerate(flat_sources):
            shape = tuple(array_of(target).shape) + tuple(array_of(s).shape)
            if n and not connected[j] and unconnected is UnconnectedGradients.NONE:
                result.append(None)
            elif n == 0:
                result.append(_array.zeros(shape, s.dtype))
            else:
                result.append(_array.reshape(_array.stack(rows[j]), shape))
        if not self._persistent:
            self._release()
        return nest.pack_sequence_as(sources, result)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: target [b, ...] and source [b, ...] give [b, target..., source...].

        >>> x = d2l.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with d2l.GradientTape() as g:
        ...     g.watch(x)
        ...     y = x * x
        >>> g.batch_jacobian(y, x).shape
        TensorShape([2, 2, 2])
        """
        _check_target("batch_jacobian", target)
        _check_sources("batch_jacobian", [source])
        target = convert_to_tensor(target)
        if target.ndim == 0 or source.ndim == 0:
            raise ValueError(f"batch_jacobian: target and source need a batch axis first (rank "
                             f">= 1), got shapes {target.shape} and {source.shape}; use "
                             "jacobian for unbatched tensors")
        b = array_of(target).shape[0]
        if array_of(source).shape[0] != b:
            raise ValueError(f"batch_jacobian: target and source need the same batch size, got "
                             f"{target.shape} and {source.shape}")
        full = self.jacobian(target, source, unconnected_gradients)
        if full is None:
            return None
        t_rest, s_rest = array_of(target).shape[1:], array_of(source).shape[1:]
        per_example = [full[(i,) + (slice(None),) * len(t_rest) + (i,)] for i in range(b)]
        return _array.stack(per_example) if per_example else _array.zeros(
            (0,) + t_rest + s_rest, source.dtype)


def _wrong_gradient_count(op, inputs, input_grads):
    raise TypeError(
        f"{op.name}: its gradient function {getattr(op.grad, '__qualname__', op.grad)} returned "
        f"{len(input_grads)} gradient(s) for {len(inputs)} input(s); a gradient function returns "
        "one gradient (or None) per input, in order (see d2l_core.ops.registry)")


# ================================================================ custom gradients

def custom_gradient(f=None):
    """Give a function your own gradient (``tf.custom_gradient``).

    ``f(*args)`` returns ``(y, grad_fn)``: the result, and a function from the
    gradient of ``y`` (one argument per tensor in ``y``) to one gradient per
    argument of ``f``. When ``f`` reads Variables that are not its arguments,
    ``grad_fn`` takes a keyword argument ``variables`` and returns
    ``(gradients for the arguments, gradients for the variables)``. The tape
    records one op for the call; write ``grad_fn`` with d2l ops and outer
    tapes record it too, so higher derivatives work.

    The numerically stable ``log(1 + exp(x))`` from TensorFlow's docs:

    >>> @d2l.custom_gradient
    ... def log1pexp(x):
    ...     e = d2l.exp(x)
    ...     def grad(upstream):
    ...         return upstream * (1 - 1 / (1 + e))
    ...     return d2l.math.log(1 + e), grad
    >>> x = d2l.constant(100.0)
    >>> with d2l.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = log1pexp(x)
    >>> tape.gradient(y, x).numpy()
    np.float32(1.0)
    """
    if f is None:
        return custom_gradient
    return _CustomGradient(f)


class _CustomGradient:
    """``custom_gradient(f)``: callable like ``f``, and bound like a method on instances."""

    def __init__(self, f, bound=()):
        self._f, self._bound = f, bound
        functools.update_wrapper(self, f)

    def __get__(self, obj, objtype=None):
        return self if obj is None else _CustomGradient(self._f, (obj,))

    def __call__(self, *args, **kwargs):
        return _call_custom(self._f, self._bound, args, kwargs)


class _CustomOp:
    """The tape's record of one call of a ``custom_gradient`` function."""
    type = "CustomGradient"

    def __init__(self, name, grad):
        self.name, self.grad = name, grad


def _call_custom(f, bound, args, kwargs):
    name = getattr(f, "__name__", "custom_gradient")
    with _recording.VariableWatcher() as watcher:
        out = f(*bound, *args, **kwargs)
    if not (isinstance(out, (tuple, list)) and len(out) == 2 and callable(out[1])):
        raise TypeError(f"@custom_gradient: {name} must return a pair (result, grad_fn), where "
                        f"grad_fn maps the result's gradient to the arguments' gradients; got "
                        f"{type(out).__name__} {out!r:.60}")
    result, grad_fn = out
    flat_args = nest.flatten(args)
    given = flat_args + nest.flatten(kwargs)
    variables = [v for v in watcher.watched_variables() if all(v is not a for a in given)]
    if variables and not _takes_variables(grad_fn):
        raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument 'variables', "
                        f"since function uses variables: {list(variables)}")
    flat_result = [convert_to_tensor(y) for y in nest.flatten(result)]
    # New tensors for the results: the tape reaches f's arguments only through grad_fn,
    # not through the ops f ran (those are still recorded: grad_fn may use their results).
    outputs = [wrap(array_of(y)) for y in flat_result]
    recorded = [y for y in outputs if y.dtype.is_differentiable]
    if _recording.active and recorded:
        inputs = tuple(a.value() if isinstance(a, Variable) else convert_to_tensor(a)
                       for a in flat_args) + tuple(variables)
        grad = _custom_grad(name, grad_fn, outputs, recorded, len(flat_args), variables)
        if len(outputs) == 1:
            _recording.record(_CustomOp(name, grad), inputs, outputs[0])
        else:
            _recording.record_many(_CustomOp(name, grad), inputs, recorded)
    return nest.pack_sequence_as(result, outputs)


def _custom_grad(name, grad_fn, outputs, recorded, n_args, variables):
    """The gradient contract's ``grad(dy, inputs, output, attrs)`` around the user's grad_fn."""
    def grad(dy, inputs, output, attrs):
        dys = iter([dy] if type(output) is not tuple else dy)
        upstream = [next(dys) if any(y is r for r in recorded) else None for y in outputs]
        upstream = [_array.zeros_like(y) if d is None else d for d, y in zip(upstream, outputs)]
        if variables:
            answer = grad_fn(*upstream, variables=variables)
            if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
                raise TypeError(f"@custom_gradient {name}: grad_fn(..., variables=...) must "
                                "return a pair (gradients for the arguments, gradients for "
                                "the variables)")
            input_grads, variable_grads = answer
            variable_grads = list(nest.flatten(variable_grads))
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient "
                                 f"grad_fn: {name} read {len(variables)} variable(s) "
                                 f"({', '.join(v.name for v in variables)}) but grad_fn "
                                 f"returned {len(variable_grads)} gradient(s) for them")
        else:
            input_grads, variable_grads = grad_fn(*upstream), []
        flat = nest.flatten(input_grads)
        if len(flat) != n_args:
            raise ValueError(f"custom_gradient function expected to return {n_args} gradients, "
                             f"but returned {len(flat)} instead.")
        return tuple(None if g is None else convert_to_tensor(g) for g in flat + variable_grads)
    grad.__qualname__ = f"{name}.grad_fn"
    return grad


def _takes_variables(fn):
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return True
    return "variables" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
