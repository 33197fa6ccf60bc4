"""``d2l.function``: TensorFlow 2's tracing, on the op registry and the eager kernels.

Calling a decorated function the first time for an input signature *traces*
it: the Python function runs once on symbolic tensors (no values, only a
dtype and a static shape), and every op it calls adds a node to a graph
instead of computing. The graph is then compiled into a *plan*, a
straight-line Python function that calls the same eager ops in order, and
every later call with that signature runs the plan without running your
Python code again::

    x = d2l.constant([1.0, 2.0])
    @d2l.function
    def f(x):
        print("tracing", x)       # Python code: runs while tracing only
        d2l.print("running", x)   # an op: runs on every call
        return x * x + 1.0

>>> import d2l_core as d2l
>>> @d2l.function
... def f(x):
...     print("tracing with", x)
...     return x * x + 1.0
>>> f(d2l.constant(2.0)).numpy()
tracing with Tensor("x:0", shape=(), dtype=float32)
np.float32(5.0)
>>> f(d2l.constant(3.0)).numpy()       # same signature: the plan runs, no tracing
np.float32(10.0)
>>> f.experimental_get_tracing_count()
1
>>> print(f.get_concrete_function(d2l.constant(1.0)).plan_source)
def plan(s0):
    if _active or _scoped or _placement.log_device_placement or _elsewhere(s0):
        return _eager(s0)    # a tape records, or devices matter
    a0 = array_of(s0)
    a1 = asarray(multiply_kernel(a0, a0))  # Mul
    del s0, a0
    a2 = asarray(add_kernel(a1, 1.0))  # AddV2
    del a1
    s2 = wrap(a2)
    return s2

How it works, in four parts:

* **Symbolic tensors** (``SymbolicTensor``) are a kind of ``d2l.Tensor`` with
  no value: ``x.shape`` is its static shape (None where unknown), ``print(x)``
  shows its name, and anything that needs a value (``if x:``, ``float(x)``,
  ``x.numpy()``) raises an error that says what to do instead.
* **Dispatch**: while a trace runs (and only then), every registered op's
  function object runs the code of a small dispatcher, and the Variable and
  ``GradientTape`` methods are replaced by *tracing twins*: called from
  traced code, an op adds a node; called from inside an op (or outside the
  trace, or from another thread) it is the eager op. Because the function
  objects themselves dispatch, ``d2l.add``, ``x + y``, a Keras layer's stored
  activation and a learner's ``relu = d2l.nn.relu`` all trace. Outside
  traces nothing is replaced, so eager code pays nothing for tracing.
* **The graph**: a node is a registry op (or a Variable read or write, a
  tape action, a ``d2l.print``) with its arguments; its outputs' dtypes and
  static shapes come from running the eager op on stand-ins
  (``d2l_core.stand_in``), so tracing has no shape rules of its own.
* **Tapes inside**: a ``GradientTape`` opened inside the traced function
  records symbolically while tracing (what the eager tape would record, as
  nodes), and ``tape.gradient`` runs the eager backward loop on that record:
  each op's gradient rule is written with d2l ops, so it adds nodes. Forward
  and backward become one straight-line graph (an outer tape inside the
  function records the inner backward pass, so higher orders work as
  eagerly). A tape whose gradient needs values while tracing (an op's rule
  reads numbers, unknown shapes) falls back to a real tape on every call.
* **The plan**: constants folded, duplicate nodes merged, dead nodes removed,
  each value dropped after its last use, then written out as Python source
  twice. ``eager_plan_source`` calls the eager ops; a tape around a call
  records them, so it gives the eager gradients to any order, with no
  second autodiff. ``plan_source``, used when no tape records, calls each
  op's raw kernel (``registry.op(kernel=...)``) on arrays where the op has
  one: the checks were made once, while tracing, for these fixed shapes and
  dtypes, and each kernel was checked against its op while compiling. It runs
  where it was compiled: on the host, or on the default GPU (CuPy arrays,
  constants moved there once, no wait for the GPU per call); under other
  device scopes, or with an input on another device, the eager plan runs.
"""
import builtins
import contextlib
import functools
import inspect
import math
import sys
import threading
import types
import weakref

import numpy as np

from . import _recording, autodiff, backend, nest, stand_in
from . import autograph as _autograph
from .errors import OperatorNotAllowedInGraphError
from .ops import random as random_ops
from .ops.broadcast import sum_to
from .ops import registry
from .tensor import Tensor, Variable, array_of, convert_to_tensor, wrap
from .tensor_shape import TensorShape


# ============================================================== tracing state

class _TraceState(threading.local):
    graph = None        # the FuncGraph being traced in this thread, or None
    depth = 0           # > 0 while an op (or the tracer itself) runs: twins call the eager op
    outer_devices = 0   # device scopes open when the trace began (the caller's)
    shapes = 0          # > 0 while gradient rules run on symbols: ``_value`` gives a _ShapeOnly


_state = _TraceState()


class _EagerSwitch:
    on = False          # run_functions_eagerly(True): every d2l.function calls its Python code


def run_functions_eagerly(run_eagerly):
    """Make every ``d2l.function`` run its Python code directly, without tracing (``tf.config.run_functions_eagerly``).

    For debugging: ``print`` and ``.numpy()`` then work inside decorated
    functions (and in the steps ``fit`` traces). Turn it off again when done.

    >>> @d2l.function
    ... def f(x):
    ...     return x.numpy() * 2          # needs a value: fails while tracing
    >>> d2l.config.run_functions_eagerly(True)
    >>> f(d2l.constant(2.0))
    np.float32(4.0)
    >>> d2l.config.run_functions_eagerly(False)
    """
    _EagerSwitch.on = bool(run_eagerly)


def functions_run_eagerly():
    """Whether ``run_functions_eagerly(True)`` is in effect (``tf.config.functions_run_eagerly``).

    >>> d2l.config.functions_run_eagerly()
    False
    """
    return _EagerSwitch.on


def executing_eagerly():
    """False while ``d2l.function`` traces a function, True everywhere else (``tf.executing_eagerly``).

    >>> d2l.executing_eagerly()
    True
    >>> @d2l.function
    ... def inside():
    ...     return d2l.executing_eagerly()
    >>> inside().numpy()
    np.False_
    """
    return _state.graph is None or _state.depth > 0


# ============================================================== symbolic values

_NEEDS_VALUE = (
    "{what} needs the value of the symbolic tensor {name}, which exists only when the traced "
    "function runs. Inside d2l.function, Python code runs once, while tracing, on symbolic "
    "tensors. {fix}")


class SymbolicTensor(Tensor):
    """A tensor inside a traced function: a node's output, with a dtype and a static shape only.

    >>> @d2l.function
    ... def f(x):
    ...     y = d2l.reduce_sum(x, axis=1)
    ...     print(type(y).__name__, y.name, y.shape, y.dtype.name)
    ...     return y
    >>> _ = f.get_concrete_function(d2l.TensorSpec([None, 3]))
    SymbolicTensor reduce_sum:0 (None,) float32
    """

    __slots__ = ("_graph", "_name", "_static_shape")
    __array_ufunc__ = None        # NumPy operators defer to ours: ndarray * x adds a node

    def __init__(self, graph, name, shape, dtype):
        self._graph, self._name = graph, name
        self._static_shape = TensorShape(shape)
        self._dtype = dtype

    @property
    def _value(self):
        if _state.shapes and self._static_shape.is_fully_defined():
            return _ShapeOnly(tuple(self._static_shape.as_list()), None)
        raise TypeError(_NEEDS_VALUE.format(
            what="This operation", name=self.name,
            fix="Use d2l ops on it (they add nodes to the graph), or return it from the function "
                "and use its value after the call."))

    @property
    def shape(self):
        """The static shape: None for a dimension (or rank) known only at run time."""
        return self._static_shape

    @property
    def ndim(self):
        return self._static_shape.rank

    @property
    def name(self):
        """'node_name:0', as TensorFlow names graph tensors."""
        return f"{self._name}:0" if ":" not in self._name else self._name

    @property
    def device(self):
        return ""

    @property
    def graph(self):
        return self._graph

    def get_shape(self):
        return self._static_shape

    def numpy(self):
        raise AttributeError(_NEEDS_VALUE.format(
            what="numpy()", name=self.name,
            fix="Return the tensor from the function and call .numpy() on the result, or use "
                "d2l.print(x) to print its value each time the function runs."))

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_NEEDS_VALUE.format(
            what="Converting to a NumPy array", name=self.name,
            fix="Use d2l ops instead of NumPy functions inside the traced function."))

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(_NEEDS_VALUE.format(
            what="Using a tf.Tensor as a Python bool (`if x:`, `while x:`, `x and y`, `not x`)",
            name=self.name,
            fix="AutoGraph converts `if`, `while` and `for` on tensors in a d2l.function "
                "(autograph=True) and in the functions of yours it calls, but not here "
                "(autograph=False, code without source, a library's function): write `if` on a "
                "tensor as d2l.cond(pred, true_fn, false_fn) and `while` as "
                "d2l.while_loop(cond, body, loop_vars); an `if` on a Python value is fine."))

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(_NEEDS_VALUE.format(
            what="Iterating over a tf.Tensor (`for x in t`)", name=self.name,
            fix="AutoGraph converts `for x in t` in a d2l.function (autograph=True), but not "
                "here (autograph=False, code without source, a library's function): use "
                "d2l.unstack(t) when its first dimension is known, or d2l.while_loop(cond, "
                "body, loop_vars) with an index; a `for` over a Python range is fine (it "
                "unrolls)."))

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name} has shape "
                        f"{self._static_shape}) Please call `x.shape` rather than `len(x)` for "
                        "shape information.")

    def _scalar(self, what):
        raise TypeError(_NEEDS_VALUE.format(
            what=f"{what}()", name=self.name,
            fix="Keep computing with d2l ops; a Python number exists only after the call."))

    def __index__(self):
        self._scalar("index")

    def __format__(self, spec):
        return format(str(self), spec)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={_shape_text(self._static_shape)} " \
               f"dtype={self._dtype.name}>"

    def __str__(self):
        # TensorFlow leaves the shape out when not even the rank is known
        shape = "" if self._static_shape.rank is None else \
            f", shape={_shape_text(self._static_shape)}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'

    def __reduce__(self):
        raise TypeError(f"symbolic tensor {self.name} cannot be pickled or copied by value")

    __hash__ = Tensor.__hash__


def _shape_text(shape):
    if shape.rank is None:
        return "<unknown>"
    dims = tuple(shape.as_list())
    return str(dims)


class _ShapeOnly:
    """What a symbol's ``_value`` is while gradient rules run at trace time: its static shape,
    nothing else. Rules that read ``x._value.shape`` work on symbols; anything that needs the
    numbers fails (``wrap`` too: no dtype), and the gradient is built another way."""

    __slots__ = ("dtype", "shape")

    def __init__(self, shape, dtype):
        self.shape, self.dtype = shape, dtype

    ndim = property(lambda self: len(self.shape))
    size = property(lambda self: math.prod(self.shape))

    def __array__(self, dtype=None, copy=None):
        raise TypeError("a symbolic tensor has no value while tracing")


class _TapeHandle:
    """A GradientTape made inside the traced function: the plan's name for it, and its
    symbolic record (what the tape would record, as nodes), from which ``gradient`` builds
    the backward pass as more nodes while tracing. ``runtime`` turns true when that is not
    possible (an op whose gradient needs values, unknown shapes): then the plan opens a real
    tape on every call, as eager code does."""

    __slots__ = ("name", "_graph", "records", "tracked", "recording", "persistent",
                 "watch_variables", "runtime", "used")

    def __init__(self, graph, name, persistent=False, watch_variables=True):
        self._graph, self.name = graph, name
        self.records, self.tracked = [], {}
        self.recording, self.persistent, self.watch_variables = True, persistent, watch_variables
        self.runtime = self.used = False


class _AttrsHandle:
    """The plan's name for the attrs an op recorded when it ran (see ``FuncGraph.run_time_grad``)."""

    __slots__ = ("_graph", "name")

    def __init__(self, graph, name):
        self._graph, self.name = graph, name


def _is_symbol(x):
    return type(x) is SymbolicTensor or type(x) is _TapeHandle or type(x) is _AttrsHandle


def _leaves(obj):
    """The leaves of nested lists, tuples, dicts and slices, in order."""
    for leaf in nest.flatten(obj, sort_keys=False):
        if isinstance(leaf, slice):
            yield leaf.start
            yield leaf.stop
            yield leaf.step
        else:
            yield leaf


def _map_leaves(obj, fn):
    def leaf(x):
        if isinstance(x, slice):
            return slice(fn(x.start), fn(x.stop), fn(x.step))
        return fn(x)
    return nest.map_structure(leaf, obj, sort_keys=False)


# ============================================================== the graph

def _placed(fn, device):
    """``fn`` run on ``device``, as if inside ``with d2l.device(...)``."""
    stack = backend.device_stack

    @functools.wraps(fn)
    def placed(*args, **kwargs):
        stack.append(device)
        try:
            return fn(*args, **kwargs)
        finally:
            stack.pop()
    return placed


class Node:
    """One step of a traced function: ``fn(*args, **kwargs)`` with symbols among the arguments.

    ``kind`` is 'op' (a registry op), 'read' (a Variable read) or 'call' (a
    stateful action: a Variable assignment, a tape action, ``d2l.print``).
    ``stateful`` nodes are never removed, merged or folded, and no node is
    merged with its twin across one.
    """

    __slots__ = ("kind", "fn", "name", "type", "args", "kwargs", "outputs", "structure",
                 "stateful", "pure", "device")

    def __init__(self, kind, fn, name, op_type, args, kwargs, outputs, structure, stateful, pure):
        device = backend.current_device()
        if device is not None and len(backend.device_stack) > _state.outer_devices:
            fn = _placed(fn, device)     # made inside `with d2l.device(...)`: runs there
        else:
            device = None
        self.device = device
        self.kind, self.fn, self.name, self.type = kind, fn, name, op_type
        self.args, self.kwargs = args, kwargs
        self.outputs, self.structure = outputs, structure
        self.stateful, self.pure = stateful, pure

    def inputs(self):
        """The symbols this node reads."""
        return [x for x in _leaves((self.args, self.kwargs)) if _is_symbol(x)]

    def __repr__(self):
        return f"<Node {self.name} type={self.type}>"


class FuncGraph:
    """The graph a trace builds: placeholders, nodes in call order, and the outputs.

    >>> @d2l.function
    ... def f(x):
    ...     return d2l.exp(x) + 1.0
    >>> g = f.get_concrete_function(d2l.TensorSpec([2])).graph
    >>> [(n.name, n.type) for n in g.nodes]
    [('exp', 'Exp'), ('add', 'AddV2')]
    """

    def __init__(self, name, parent=None, allow_variables=True):
        self.name = name
        self.parent = parent
        self.nodes = []
        self.inputs = []             # placeholders, in call order
        self.captures = []           # (outer symbol, placeholder here): cond/while branches
        self.constants = {}          # id(symbol) -> value, for values computed while tracing
        self.allow_variables = allow_variables
        self.created_variables = []
        self.tapes = {}              # id(trace-time GradientTape) -> _TapeHandle
        self.recording = []          # the _TapeHandles recording now, outermost first
        self.value_attrs = {}        # id(output) -> node whose recorded attrs depend on values
        self._attrs = {}             # id(node) -> its _AttrsHandle, once it returns its attrs
        self._names = {}
        self._keep = []              # objects whose ids are keys above

    # ------------------------------------------------------------ names
    def unique_name(self, name):
        n = self._names.get(name, 0)
        self._names[name] = n + 1
        return name if n == 0 else f"{name}_{n}"

    def placeholder(self, name, shape, dtype):
        t = SymbolicTensor(self, self.unique_name(name), shape, dtype)
        self.inputs.append(t)
        return t

    # ------------------------------------------------------------ symbols from other graphs
    def _own(self, obj):
        """``obj`` with symbols of enclosing graphs replaced by this graph's captures of them."""
        if not any(_is_symbol(x) and x_graph(x) is not self for x in _leaves(obj)):
            return obj

        def own(x):
            if type(x) is SymbolicTensor and x._graph is not self:
                return self.capture(x)
            if type(x) is _TapeHandle:
                raise NotImplementedError("a GradientTape made outside d2l.cond/d2l.while_loop "
                                          "cannot be used inside its branches or body; make "
                                          "and use the tape inside, or outside")
            return x
        return _map_leaves(obj, own)

    def capture(self, outer):
        for o, inner in self.captures:
            if o is outer:
                return inner
        if self.parent is None or not self.parent.owns(outer):
            raise TypeError(f"{outer} belongs to another traced function (it leaked out of "
                            "it, e.g. through a global or an attribute); return it from that "
                            "function and pass the result in as an argument instead")
        outer = self.parent._own(outer)
        inner = SymbolicTensor(self, self.unique_name(outer._name.split(":")[0]), outer.shape,
                               outer.dtype)
        self.captures.append((outer, inner))
        self.inputs.append(inner)           # a branch's plan takes its captures after its args
        return inner

    def owns(self, x):
        g = self
        while g is not None:
            if x._graph is g:
                return True
            g = g.parent
        return False

    # ------------------------------------------------------------ nodes
    def add_op(self, entry, args, kwargs, eager=None):
        """Add registry op ``entry`` called with ``args``/``kwargs``; its symbolic output(s).

        When a tape inside the function tracks an input, the node also goes on that tape's
        symbolic record; a composite op (no gradient of its own) is traced through
        (``eager``, its own code, adds the nodes of the ops it is made of).
        """
        args, kwargs = self._own(args), self._own(kwargs)
        tracking = self._tracking((args, kwargs)) if self.recording else ()
        if tracking and entry.composite and eager is not None:
            out = self._inline(eager, args, kwargs)
            if out is not _FAILED:
                return out
            for h in tracking:
                h.runtime = True
        elif tracking and entry.grad is not None and any(
                isinstance(x, Variable) for x in _leaves((args, kwargs))):
            # the op reads the Variable: a read node, so tapes see the read as eager tapes do
            args, kwargs = _map_leaves((args, kwargs), lambda x: self.read_variable(x)
                                       if isinstance(x, Variable) else x)
        specs = {}
        for x in _leaves((args, kwargs)):
            if type(x) is SymbolicTensor:
                value = self.constants.get(id(x))
                specs[id(x)] = value if value is not None else stand_in.Spec(x.shape, x.dtype)
        _state.depth += 1
        devices = list(backend.device_stack)
        backend.device_stack.clear()        # shapes and dtypes are the same on every device
        try:
            out = stand_in.probe(entry.fn, _substitute(args, specs), _substitute(kwargs, specs))
        except Exception as e:
            e.add_note(f"(while tracing d2l.function '{self.name}': calling {entry.name} on "
                       "symbolic tensors " + ", ".join(
                           f"{s.name} of shape {_shape_text(s.shape)}" for s in
                           _leaves((args, kwargs)) if type(s) is SymbolicTensor) + ")")
            raise
        finally:
            _state.depth -= 1
            backend.device_stack[:] = devices
        given = kwargs.get("name")            # name='peak' names the node, as in TensorFlow
        name = self.unique_name(given if isinstance(given, str) and given else entry.name)
        outputs = []

        def symbol(spec):
            if not isinstance(spec, stand_in.Spec):
                return spec
            t = SymbolicTensor(self, f"{name}:{len(outputs)}", spec.shape, spec.dtype)
            outputs.append(t)
            return t
        result = nest.map_structure(symbol, out, sort_keys=False)
        random = not entry.test.deterministic
        has_state = any(isinstance(x, Variable) for x in _leaves((args, kwargs)))
        node = Node("op", entry.fn, name, entry.type, args, kwargs, outputs, out,
                    stateful=random, pure=not random and not has_state)
        self.nodes.append(node)
        if tracking:
            self._record(entry, node)
        return result

    # ------------------------------------------------------------ symbolic tapes
    def _tracking(self, obj):
        """The recording tapes that track a tensor (or Variable) among ``obj``'s leaves."""
        out = []
        for h in self.recording:
            for x in _leaves(obj):
                if isinstance(x, Tensor) and (id(x) in h.tracked or (
                        isinstance(x, Variable) and h.watch_variables and x.trainable)):
                    out.append(h)
                    break
        return out

    def _mark(self):
        """Where the graph and its tapes stand now (``_rollback`` returns there). Tapes only
        ever add to their records and tracked tensors, so lengths say where they stood."""
        return (len(self.nodes), list(self.recording),
                [(h, len(h.records), len(h.tracked), h.recording, h.runtime, h.used)
                 for h in self.tapes.values()])

    def _rollback(self, mark):
        n, recording, handles = mark
        del self.nodes[n:]
        self.recording[:] = recording
        for h, records, tracked, rec, runtime, used in handles:
            del h.records[records:]
            for key in list(h.tracked)[tracked:]:      # dicts keep insertion order
                del h.tracked[key]
            h.recording, h.runtime, h.used = rec, runtime, used

    def _inline(self, eager, args, kwargs):
        """Trace a composite op through its own code; _FAILED (and nothing added) if that
        needs values."""
        mark = self._mark()
        _state.shapes += 1
        try:
            return eager(*args, **kwargs)
        except Exception:        # noqa: BLE001  (it needs values: one node, tapes at run time)
            self._rollback(mark)
            return _FAILED
        finally:
            _state.shapes -= 1

    def _record(self, entry, node):
        """Put ``node`` on the recording tapes that track one of its inputs, as the eager op
        records itself: the same inputs, outputs and attrs (learned by running the eager op
        once on stand-in values). Tapes that cannot record it run at plan time instead."""
        tracking = self._tracking((node.args, node.kwargs))
        if not tracking:
            return
        try:
            # (a random op is not run again here: that would move the program's random stream)
            record = (() if entry.grad is None else
                      self._record_of(entry, node) if entry.test.deterministic else None)
        except Exception:        # noqa: BLE001
            record = None
        for h in tracking:
            if record is None:
                h.runtime = True
                continue
            for r in record:
                if any(id(x) in h.tracked for x in r[1]):
                    h.records.append(r)
                    for y in (r[2] if type(r[2]) is tuple else (r[2],)):
                        h.tracked[id(y)] = y

    def _record_of(self, entry, node):
        """``(entry, inputs, output(s), attrs)`` with symbols for tensors, () when the op records
        nothing (an integer output), None when that cannot be known while tracing.

        The op runs twice on stand-ins, zeros and random values: what its attrs hold that is
        the same in both runs (axes, permutations) came from shapes and arguments and is
        kept; what differs (a max's argmax) depends on values, and is replaced by its shape
        (``_ShapeOnly``), so a gradient rule that needs it fails and the tape runs for real.
        """
        rng = np.random.default_rng(0)
        zeros, noise, symbols, concrete = {}, {}, {}, set()
        for x in _leaves((node.args, node.kwargs)):
            if type(x) is SymbolicTensor and id(x) not in zeros:
                known = self.constants.get(id(x))
                if known is not None:
                    zero = other = array_of(known)
                elif x.shape.is_fully_defined() and (x.dtype.is_numeric or x.dtype.is_bool):
                    shape = x.shape.as_list()
                    zero = np.zeros(shape, x.dtype.np)
                    # (every element differs from the zeros run: an index that depends on
                    # an integer input cannot look the same in both by chance)
                    other = (np.ones(shape) if x.dtype.is_bool or x.dtype.is_integer else
                             rng.standard_normal(shape)).astype(x.dtype.np)
                else:
                    return None
                zeros[id(x)], noise[id(x)] = wrap(zero), wrap(np.asarray(other))
                symbols[id(zeros[id(x)])] = x
            elif isinstance(x, Tensor):
                concrete.add(id(x))
        out, records = _run_recorded(entry, node, zeros)
        if not records:
            # an op that returns an input as it is (broadcast_to to the same shape) records
            # nothing eagerly: the tape goes on tracking that tensor, so the output is it
            return tuple((_ReadVariable, (symbols[id(t)],), o, None)
                         for t, o in zip(_flat_tensors(out), node.outputs) if id(t) in symbols)
        if len(records) != 1 or records[0][0] is not entry:
            return None      # recorded through other ops: their records are not ours to make
        _, inputs, output, attrs = records[0]
        flat = {id(t): o for t, o in zip(_flat_tensors(out), node.outputs)}
        if any(id(y) not in flat for y in (output if type(output) is tuple else (output,))):
            return None
        output = (tuple(flat[id(y)] for y in output) if type(output) is tuple
                  else flat[id(output)])
        inputs = tuple(symbols.get(id(x), x) for x in inputs)
        ids = {id(x) for x in inputs}
        if any(id(s) not in ids for s in symbols.values() if s.dtype.is_differentiable):
            return None      # an input was changed on the way (a cast): not the op's own record
        other_attrs = _FAILED
        if any(isinstance(v, (Tensor, np.ndarray, np.generic)) for v in _leaves(attrs)):
            # (only attrs that hold arrays need the second run; if these values are refused,
            # every array in the attrs counts as depending on values)
            with contextlib.suppress(Exception):
                _, others = _run_recorded(entry, node, noise)
                other_attrs = others[0][3] if len(others) == 1 else _FAILED

        host = not backend.gpu_count()     # arrays made here live on the host

        def same(a, b):
            if not host and not isinstance(a, np.generic):
                return False
            a = array_of(a) if isinstance(a, Tensor) else a
            b = array_of(b) if isinstance(b, Tensor) else b
            return (type(a) is type(b) and np.shape(a) == np.shape(b)
                    and bool(np.array_equal(a, b)))

        def static(v, w):
            if isinstance(v, Tensor):
                if id(v) in symbols:
                    return symbols[id(v)]
                if id(v) in concrete or same(v, w):
                    return v
                self.value_attrs[id(output)] = node
                return _ShapeOnly(tuple(array_of(v).shape), None)   # a value: shape only
            if isinstance(v, (np.ndarray, np.generic)):
                if same(v, w):
                    return v
                self.value_attrs[id(output)] = node
                return _ShapeOnly(tuple(np.shape(v)), None)
            if type(v) in (list, tuple):
                ws = w if type(w) is type(v) and len(w) == len(v) else [_FAILED] * len(v)
                return type(v)(static(x, y) for x, y in zip(v, ws))
            if type(v) is dict:
                ws = w if type(w) is dict else {}
                return {k: static(x, ws.get(k, _FAILED)) for k, x in v.items()}
            return v
        return ((entry, inputs, output, static(attrs, other_attrs)),)

    def run_time_grad(self, op, dy, inputs, output, tracked):
        """The gradients of op's inputs from a node that calls its gradient rule when the plan
        runs, with the attrs the op recorded then: for rules that need values (a gather's
        indices, a max pool's argmax). Its forward node is changed to return those attrs."""
        node = self.value_attrs.get(id(output))
        if node is None or node.kind != "op" or not isinstance(node.structure, stand_in.Spec):
            raise ValueError("no run-time attrs for this op")
        attrs = self._attrs.get(id(node))
        if attrs is None:
            attrs = self._attrs[id(node)] = _AttrsHandle(self, f"{node.name}:attrs")
            node.fn = functools.partial(_with_attrs, node.fn, op)
            node.outputs.append(attrs)
            node.structure, node.pure = _FLAT, False
        keep = tuple(id(x) in tracked for x in inputs)
        name = self.unique_name(f"{op.name}_grad")
        outs = [SymbolicTensor(self, f"{name}:{i}", x.shape, x.dtype)
                for i, x in enumerate(inputs) if keep[i]]
        self.add_call(_run_time_grad, (op, dy, inputs, output, attrs, keep), {}, name,
                      "Grad" + op.type, outputs=outs, structure=_FLAT)
        it = iter(outs)
        return [next(it) if k else None for k in keep]

    def add_call(self, fn, args, kwargs, name, op_type, outputs=(), structure=None,
                 kind="call"):
        """Add a stateful step ``fn(*args, **kwargs)`` (an assignment, a tape action, a print)."""
        args, kwargs = self._own(args), self._own(kwargs)
        if self.recording and op_type not in _UNRECORDED_CALLS:
            for h in self._tracking((args, kwargs)):
                h.runtime = True    # it computes from a tracked tensor: only a real tape sees how
        self.nodes.append(Node(kind, fn, name if kind == "branch" else self.unique_name(name),
                               op_type, args, kwargs, list(outputs), structure,
                               stateful=kind == "call", pure=False))

    def read_variable(self, variable):
        """A node reading ``variable``'s value when the plan runs."""
        name = self.unique_name("ReadVariableOp")
        t = SymbolicTensor(self, f"{name}:0", variable.shape, variable.dtype)
        spec = stand_in.Spec(variable.shape, variable.dtype)
        self.nodes.append(Node("read", _RAW_VARIABLE["value"], name, "ReadVariableOp",
                               (variable,), {}, [t], spec, stateful=False, pure=False))
        for h in self.recording:        # as _recording.read_variable does for eager tapes
            if id(variable) not in h.tracked:
                if not (h.watch_variables and variable.trainable):
                    continue
                h.tracked[id(variable)] = variable
            h.records.append((_ReadVariable, (variable,), t, None))
            h.tracked[id(t)] = t
        return t

    # ------------------------------------------------------------ values while tracing
    def evaluate(self, symbol):
        """The value ``symbol`` has on every call, computed now (a Variable's initial value).

        Only possible when it depends on no input of the function.
        """
        if type(symbol) is not SymbolicTensor:
            return symbol
        if id(symbol) in self.constants:
            return self.constants[id(symbol)]
        producer = next((n for n in self.nodes if any(o is symbol for o in n.outputs)), None)
        if producer is None or producer.kind != "op":
            raise ValueError(f"{symbol.name} depends on the inputs of the traced function "
                             f"'{self.name}', so it has no value while tracing. Create Variables "
                             "from values known before the call (e.g. d2l.zeros(shape)).")
        values = {}
        for x in _leaves((producer.args, producer.kwargs)):
            if type(x) is SymbolicTensor:
                values[id(x)] = self.evaluate(x)
        _fold(producer, values, self.constants)
        self.nodes.remove(producer)       # computed once, now: the plan need not compute it
        return self.constants[id(symbol)]


_TAPE_STEPS = ("GradientTapeStart", "GradientTapeStop", "Watch")
_FAILED = object()      # an attempt at tracing something through did not work out
_UNRECORDED_CALLS = ("AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp", "PrintV2",
                     "GradientTapeStart", "GradientTapeStop", "Watch")


class _ReadVariable:
    """A symbolic tape's record of a Variable read (or of an op that returned its input as
    it is): the gradient passes straight through."""
    name = type = "ReadVariableOp"

    @staticmethod
    def grad(dy, inputs, output, attrs):
        return (dy,)


class _Catcher:
    """Sits in the active tapes while an op runs once on stand-ins, to catch what it records."""
    _watch_accessed_variables = False

    class _All(dict):
        def __contains__(self, key):
            return True

    def __init__(self):
        self._tracked, self._records = self._All(), []

    @property
    def records(self):
        return self._records

    def _watch_variable(self, variable):
        pass


class _NoTape:
    """Sits in the active tapes while gradient rules run at trace time, so that rules with a
    first-order fast path on arrays (``if tapes:``) take their d2l-op path instead."""
    _watch_accessed_variables = False
    _tracked, _records = {}, []


def _with_attrs(fn, entry, *args, **kwargs):
    """``fn(*args, **kwargs)`` and the attrs op ``entry`` recorded as it ran."""
    catcher = _Catcher()
    _recording.active.append(catcher)
    try:
        out = fn(*args, **kwargs)
    finally:
        _recording.active.remove(catcher)
    attrs = next((r[3] for r in catcher.records if r[0] is entry), None)
    return [out, attrs]


def _run_time_grad(op, dy, inputs, output, attrs, keep):
    """Op's gradient rule, run when the plan runs: one gradient per kept input, of its shape."""
    grads = op.grad(dy, inputs, output, attrs)
    out = []
    for g, k, x in zip(grads, keep, inputs):
        if k:
            if g is None:
                g = registry.OPS["zeros_like"].fn(x)
            elif tuple(g.shape) != tuple(x.shape):
                g = sum_to(g, tuple(x.shape))
            out.append(g)
    return out


def _run_recorded(entry, node, values):
    """Run ``node``'s op eagerly on ``values`` (stand-ins for its symbols); its result and
    what it recorded (``_Catcher``), the program's random stream and tapes left alone."""
    catcher = _Catcher()
    saved, devices = list(_recording.active), list(backend.device_stack)
    _recording.active[:] = [catcher]
    backend.device_stack.clear()
    _state.depth += 1
    try:
        with random_ops.using_generator(np.random.default_rng(0)):
            out = entry.fn(*_substitute(node.args, values), **_substitute(node.kwargs, values))
    finally:
        _state.depth -= 1
        _recording.active[:] = saved
        backend.device_stack[:] = devices
    return out, catcher.records


def _fold(node, values, into):
    """Run ``node``'s op now, on ``values`` for its symbols, and put its outputs' values
    ``into`` the given dict: a node computed once while compiling, not on every call."""
    _state.depth += 1
    try:
        out = node.fn(*_substitute(node.args, values), **_substitute(node.kwargs, values))
    finally:
        _state.depth -= 1
    for o, v in zip(node.outputs, _flat_tensors(out)):
        into[id(o)] = v


def x_graph(x):
    """The graph a symbol belongs to (tape handles belong to the graph that made them)."""
    return x._graph


def _substitute(obj, values):
    if not values:
        return obj
    return _map_leaves(obj, lambda x: values.get(id(x), x) if _is_symbol(x) else x)


def _flat_tensors(out):
    return [x for x in nest.flatten(out, sort_keys=False) if isinstance(x, Tensor)]


# ============================================================== tracing twins

def _twin(entry, eager):
    """What op ``entry`` does while a trace runs: add a node when called from traced code,
    else run ``eager`` (a copy of the op with its own code)."""
    def twin(*args, **kwargs):
        graph = _state.graph
        if graph is None or _state.depth:
            return eager(*args, **kwargs)
        return graph.add_op(entry, args, kwargs, eager)
    return twin


# ---- Variables while tracing: reads and writes become nodes, run when the plan runs

_RAW_VARIABLE = {name: getattr(Variable, name) for name in
                 ("value", "read_value", "assign", "assign_add", "assign_sub", "numpy",
                  "__init__")}


def _variable_read(self):
    graph = _state.graph
    if graph is None or _state.depth:
        return _RAW_VARIABLE["value"](self)
    return graph.read_variable(self)


def _variable_write(method):
    raw = _RAW_VARIABLE[method]

    def write(self, value, use_locking=False, name=None, read_value=True):
        graph = _state.graph
        if graph is None or _state.depth:
            return raw(self, value, use_locking, name, read_value)
        graph.add_call(raw, (self, value), {}, method, {"assign": "AssignVariableOp",
                                                        "assign_add": "AssignAddVariableOp",
                                                        "assign_sub": "AssignSubVariableOp"}[method])
        return self if read_value else None
    write.__name__ = method
    return write


def _variable_numpy(self):
    if _state.graph is None or _state.depth:
        return _RAW_VARIABLE["numpy"](self)
    raise NotImplementedError("numpy() is only available when eager execution is enabled: inside "
                              "d2l.function a Variable's value is read when the function runs; "
                              "use it in d2l ops, or d2l.print(v) to see it on every call")


_VARIABLE_CREATION_ERROR = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure the "
    "tf.Variable is only created once or created outside tf.function. See "
    "https://www.tensorflow.org/guide/function#creating_tfvariables for more information.")


def _variable_init(self, initial_value=None, *args, **kwargs):
    graph = _state.graph
    if graph is None or _state.depth:
        return _RAW_VARIABLE["__init__"](self, initial_value, *args, **kwargs)
    if not graph.allow_variables:
        raise ValueError(_VARIABLE_CREATION_ERROR)
    root = graph
    while root.parent is not None:
        root = root.parent
    if type(initial_value) is SymbolicTensor:     # e.g. an initializer's d2l.random.normal
        initial_value = initial_value._graph.evaluate(initial_value)
    _state.depth += 1
    try:
        _RAW_VARIABLE["__init__"](self, initial_value, *args, **kwargs)
    finally:
        _state.depth -= 1
    root.created_variables.append(self)


# ---- GradientTape while tracing: a fresh tape on every call of the plan

_RAW_TAPE = {name: getattr(autodiff.GradientTape, name) for name in
             ("__enter__", "__exit__", "watch", "gradient", "jacobian", "batch_jacobian",
              "stop_recording", "reset")}


def _tape_start(persistent, watch_accessed_variables):
    tape = autodiff.GradientTape(persistent=persistent,
                                 watch_accessed_variables=watch_accessed_variables)
    return _RAW_TAPE["__enter__"](tape)


def _tape_stop(tape):
    _RAW_TAPE["__exit__"](tape, None, None, None)


def _tape_gradient(tape, target, sources, output_gradients, unconnected_gradients, keep):
    grads = _RAW_TAPE["gradient"](tape, target, sources, output_gradients, unconnected_gradients)
    if isinstance(sources, Tensor):
        return [grads] if keep[0] else []
    flat = nest.flatten(grads, sort_keys=False)
    return [g for g, k in zip(flat, keep) if k]


def _tape_enter(self):
    graph = _state.graph
    if graph is None or _state.depth:
        return _RAW_TAPE["__enter__"](self)
    handle = _TapeHandle(graph, graph.unique_name("tape"), self._persistent,
                         self._watch_accessed_variables)
    graph.tapes[id(self)] = handle
    graph.recording.append(handle)
    graph._keep.append(self)
    graph.add_call(_tape_start, (self._persistent, self._watch_accessed_variables), {},
                   "tape_start", "GradientTapeStart", outputs=[handle], structure=handle)
    return self


def _handle(graph, tape):
    handle = graph.tapes.get(id(tape))
    if handle is None:
        raise NotImplementedError("inside d2l.function, use a GradientTape in a `with` block "
                                  "made inside the function (or around the call of it)")
    return handle


def _tape_exit(self, *exc):
    graph = _state.graph
    if graph is None or _state.depth or id(self) not in graph.tapes:
        return _RAW_TAPE["__exit__"](self, *exc)
    handle = _handle(graph, self)
    _stop_symbolic(graph, handle)
    graph.add_call(_tape_stop, (handle,), {}, "tape_stop", "GradientTapeStop")
    return False


def _stop_symbolic(graph, handle):
    handle.recording = False
    if handle in graph.recording:
        graph.recording.remove(handle)


def _tape_watch(self, tensor):
    graph = _state.graph
    if graph is None or _state.depth or id(self) not in graph.tapes:
        return _RAW_TAPE["watch"](self, tensor)
    handle = _handle(graph, self)
    graph.add_call(_RAW_TAPE["watch"], (handle, tensor), {}, "watch", "Watch")
    for t in nest.flatten(tensor):
        if not isinstance(t, Tensor) or not t.dtype.is_differentiable:
            handle.runtime = True       # the eager tape says what is wrong, on every call
        else:
            handle.tracked[id(t)] = t


_FLAT = "flat"      # a node structure: the kernel returns exactly its outputs, as a list


def _connected(graph, tape, handle, target):
    """Ids of the sources ``tape.gradient(target, sources)`` can give a gradient for, as eager
    mode decides: reachable from ``target`` and watched (or, for Variables, read while the tape
    records), or computed after the tape started."""
    start = next(i for i, n in enumerate(graph.nodes) if n.outputs and n.outputs[0] is handle)
    watched = {id(x) for n in graph.nodes[start:] if n.fn is _RAW_TAPE["watch"]
               and n.args[0] is handle for x in _leaves(n.args[1])}
    made_after = {id(o) for n in graph.nodes[start:] for o in n.outputs}
    read_after = {id(x) for n in graph.nodes[start:] for x in _leaves((n.args, n.kwargs))
                  if isinstance(x, Variable) and x.trainable and tape._watch_accessed_variables}
    reach = _ancestors(graph, target)
    return {i for i in reach if i in watched or i in made_after or i in read_after}


def _ancestors(graph, target):
    """Every symbol, Variable and tensor that ``target`` may depend on (ids)."""
    found = {id(x) for x in _leaves(target)}
    for node in reversed(graph.nodes):
        if any(id(o) in found for o in node.outputs):
            found.update(id(x) for x in _leaves((node.args, node.kwargs)))
    # a capture of an enclosing graph's symbol depends on what that one depends on
    return found


def _tape_gradient_twin(self, target, sources, output_gradients=None,
                        unconnected_gradients=autodiff.UnconnectedGradients.NONE):
    graph = _state.graph
    if graph is None or _state.depth or id(self) not in graph.tapes:
        return _RAW_TAPE["gradient"](self, target, sources, output_gradients,
                                     unconnected_gradients)
    handle = _handle(graph, self)
    if not handle.runtime and not (handle.persistent and handle.recording):
        if handle.used:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        if not handle.persistent:
            _stop_symbolic(graph, handle)         # as eager: the tape stops recording
        result = _symbolic_gradient(graph, handle, target, sources, output_gradients,
                                    unconnected_gradients)
        if result is not _FAILED:
            return result
    handle.runtime = True       # the plan opens a real tape for it on every call
    if not handle.persistent:
        _stop_symbolic(graph, handle)
    reach = _connected(graph, self, handle, target)
    zero = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower() == "zero"
    name = graph.unique_name("gradient")
    keep, outputs = [], []

    def grad_of(source):
        if not isinstance(source, Tensor):
            keep.append(False)
            return None
        if id(source) not in reach and not zero:
            keep.append(False)
            return None          # not connected to the target: None, known while tracing
        keep.append(True)
        t = SymbolicTensor(graph, f"{name}:{len(outputs)}", source.shape, source.dtype)
        outputs.append(t)
        return t
    result = nest.map_structure(grad_of, sources, sort_keys=False)
    graph.add_call(_tape_gradient, (_handle(graph, self), target, sources, output_gradients,
                                    unconnected_gradients, tuple(keep)), {},
                   name, "Gradient", outputs=outputs, structure=_FLAT)
    return result


def _symbolic_gradient(graph, handle, target, sources, output_gradients, unconnected):
    """``tape.gradient`` built while tracing: the eager backward loop run on the tape's
    symbolic record, so each gradient rule adds its nodes (and an outer tape inside the
    function records them: higher orders as in eager mode). _FAILED when it needs values."""
    targets, flat_sources = nest.flatten(target), nest.flatten(sources)
    if output_gradients is not None or not all(
            type(t) is SymbolicTensor and t.dtype.is_differentiable for t in targets) or not all(
            isinstance(x, Tensor) and x.dtype.is_differentiable for x in flat_sources):
        return _FAILED
    try:
        zero = autodiff.UnconnectedGradients(
            getattr(unconnected, "value", unconnected)) is autodiff.UnconnectedGradients.ZERO
    except ValueError:
        return _FAILED
    mark = graph._mark()
    saved = list(_recording.active)
    _recording.active[:] = [_NoTape]
    needed = _recording.swap_needed(handle.tracked)
    _state.shapes += 1
    try:
        grads = _backprop(handle, targets, flat_sources)
        zeros_like = registry.OPS["zeros_like"].fn
        result = [grads.get(id(x)) if grads.get(id(x)) is not None or not zero else zeros_like(x)
                  for x in flat_sources]
    except Exception:           # noqa: BLE001  (a rule needs values: the tape runs at plan time)
        graph._rollback(mark)
        return _FAILED
    finally:
        _state.shapes -= 1
        _recording.swap_needed(needed)
        _recording.active[:] = saved
    if not handle.persistent:
        handle.used = True
    return nest.pack_sequence_as(sources, result)


def _static_shape(x):
    shape = x.shape if isinstance(x, Tensor) else None
    if shape is None or not TensorShape(shape).is_fully_defined():
        raise ValueError("d2l.function: a shape not known while tracing")
    return tuple(TensorShape(shape).as_list())


def _backprop(handle, targets, sources):
    """``GradientTape._backprop`` on symbols: the same loop, the same rules, static shapes."""
    add, ones_like = registry.OPS["add"].fn, registry.OPS["ones_like"].fn
    keep = {id(x) for x in sources}
    grads = {}
    for t in targets:
        old = grads.get(id(t))
        g = ones_like(t)
        grads[id(t)] = g if old is None else add(old, g)
    tracked = handle.tracked
    graph = handle._graph
    for op, inputs, output, attrs in reversed(handle.records):
        key = id(output)
        dy = grads.get(key) if key in keep else grads.pop(key, None)
        if dy is not None:
            mark = graph._mark()
            try:
                input_grads = op.grad(dy, inputs, output, attrs)
            except Exception:       # (the rule needs the values of its attrs)
                if id(output) not in graph.value_attrs:
                    raise
                graph._rollback(mark)
                input_grads = graph.run_time_grad(op, dy, inputs, output, tracked)
        elif type(output) is tuple:
            dys = [grads.get(id(y)) if id(y) in keep else grads.pop(id(y), None) for y in output]
            if all(d is None for d in dys):
                continue
            input_grads = op.grad(dys, inputs, output, attrs)
        else:
            continue
        if len(input_grads) != len(inputs):
            raise ValueError(f"{op.name}: wrong number of gradients")
        for x, g in zip(inputs, input_grads):
            if g is None or id(x) not in tracked:
                continue
            shape = _static_shape(x)
            if _static_shape(g) != shape:
                g = sum_to(g, shape)
            old = grads.get(id(x))
            grads[id(x)] = g if old is None else add(old, g)
    return grads


def _tape_unsupported(method):
    raw = _RAW_TAPE[method]

    def unsupported(self, *args, **kwargs):
        graph = _state.graph
        if graph is None or _state.depth or id(self) not in graph.tapes:
            return raw(self, *args, **kwargs)
        raise NotImplementedError(f"GradientTape.{method} is not supported inside d2l.function "
                                  "yet; call it outside the function, or compute with "
                                  "tape.gradient inside")
    return unsupported


_CLASS_TWINS = [
    (Variable, {"value": _variable_read, "read_value": _variable_read,
                "assign": _variable_write("assign"), "assign_add": _variable_write("assign_add"),
                "assign_sub": _variable_write("assign_sub"), "numpy": _variable_numpy,
                "__init__": _variable_init}),
    (autodiff.GradientTape, {"__enter__": _tape_enter, "__exit__": _tape_exit,
                             "watch": _tape_watch, "gradient": _tape_gradient_twin,
                             **{m: _tape_unsupported(m) for m in
                                ("jacobian", "batch_jacobian", "stop_recording", "reset")}}),
]


def _dispatcher_code(free):
    """The code of ``def f(*args, _d2l_twin, **kwargs): return _d2l_twin(*args, **kwargs)``
    with ``free`` free variables, so it can replace the code of an op made in a closure."""
    names = [f"_free{i}" for i in range(free)]
    source = ("def outer():\n" + "".join(f"    {n} = None\n" for n in names) +
              "    def dispatch(*args, _d2l_twin=None, **kwargs):\n" +
              (f"        {', '.join(names)}\n" if names else "") +
              "        return _d2l_twin(*args, **kwargs)\n"
              "    return dispatch\n")
    namespace = {}
    exec(compile(source, "<d2l.function dispatch>", "exec"), namespace)    # noqa: S102
    return namespace["outer"]().__code__


class _Twins:
    """Puts the tracing twins in place while any trace runs, and takes them away after.

    Each registered op's function object gets, for the time of the trace, the
    code of a dispatcher that calls its twin (the object stays the same, so
    ``d2l.add``, ``Tensor.__add__``, a Keras layer's stored activation and a
    learner's ``relu = d2l.nn.relu`` all dispatch). The twin calls a copy of
    the op with its own code. Variable and GradientTape methods are replaced
    on their classes. Outside traces nothing is replaced: eager ops pay nothing.
    """

    active = 0
    saved = []            # (owner, name, original, had its own attribute)
    ops = []              # (function, code, kwdefaults)
    _codes = {}           # number of free variables -> dispatcher code

    @classmethod
    def _eager_copy(cls, entry):
        fn = entry.fn
        copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                                  fn.__closure__)
        copy.__kwdefaults__ = fn.__kwdefaults__
        return copy

    lock = threading.Lock()

    @classmethod
    def install(cls):
        with cls.lock:
            cls.active += 1
            if cls.active == 1:
                cls._install()

    @classmethod
    def remove(cls):
        with cls.lock:
            cls.active -= 1
            if cls.active == 0:
                cls._remove()

    @classmethod
    def _install(cls):
        ops = []
        for entry in registry.OPS.values():
            fn = entry.fn
            free = len(fn.__code__.co_freevars)
            code = cls._codes.get(free)
            if code is None:
                code = cls._codes[free] = _dispatcher_code(free)
            twin = _twin(entry, cls._eager_copy(entry))
            ops.append((fn, fn.__code__, fn.__kwdefaults__, "__signature__" in fn.__dict__))
            fn.__signature__ = inspect.signature(fn)
            fn.__code__ = code
            fn.__kwdefaults__ = {"_d2l_twin": twin}
        cls.ops = ops
        saved = []
        for owner, methods in _CLASS_TWINS:
            for name, method in methods.items():
                saved.append((owner, name, owner.__dict__.get(name), name in owner.__dict__))
                setattr(owner, name, method)
        cls.saved = saved

    @classmethod
    def _remove(cls):
        for fn, code, kwdefaults, had_signature in cls.ops:
            fn.__code__ = code
            fn.__kwdefaults__ = kwdefaults
            if not had_signature:
                del fn.__signature__
        for owner, name, original, own in reversed(cls.saved):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)
        cls.ops, cls.saved = [], []


def stateful(method):
    """Mark a method that changes state (an optimizer's update) as one step of a traced function.

    Called in eager code, it runs as it is. Called while ``d2l.function``
    traces, it adds a node, so the plan runs it on every call with the
    values of that call (iterators among its arguments are read now, while
    tracing, as TensorFlow reads ``zip(grads, variables)``). For the layers
    above (optimizers); it returns what the method's first argument, the
    object, says it returns while tracing: ``None``.

    >>> from d2l_core.function import stateful
    >>> class Counter:
    ...     def __init__(self): self.n = 0
    ...     @stateful
    ...     def bump(self, k): self.n += int(k)
    >>> c = Counter()
    >>> bump = d2l.function(lambda k: c.bump(k))
    >>> _ = bump(d2l.constant(2)), bump(d2l.constant(3))
    >>> c.n
    5
    """
    @functools.wraps(method)
    def step(*args, **kwargs):
        graph = _state.graph
        if graph is None or _state.depth:
            return method(*args, **kwargs)
        args = [list(a) if hasattr(a, "__next__") else a for a in args]
        kwargs = {k: list(v) if hasattr(v, "__next__") else v for k, v in kwargs.items()}
        args = [[tuple(x) if type(x) is tuple else x for x in a] if type(a) is list else a
                for a in args]
        graph.add_call(method, tuple(args), kwargs, method.__name__, "StatefulCall")
        return None
    return step


# ============================================================== d2l.print (tf.print)

def _format_number(x, kind, size):
    if kind == "b":
        return "1" if x else "0"
    if kind != "f":
        return str(x)
    if math.isnan(x) or math.isinf(x):
        return str(float(x)).replace("inf", "inf")
    short, long_ = (6, 9) if size <= 4 else (15, 17)
    text = f"{x:.{short}g}"
    if np.array(float(text), dtype=x.dtype) != x:
        text = f"{x:.{long_}g}"
    return text


def _format_array(a, summarize):
    kind, size = a.dtype.kind, a.dtype.itemsize

    def show(i, n):
        if summarize < 0 or n <= 2 * summarize:
            return list(range(n))
        return list(range(summarize)) + [None] + list(range(n - summarize, n))

    def rec(b, indent):
        if b.ndim == 0:
            return _format_number(b[()], kind, size)
        items = show(0, b.shape[0])
        if b.ndim == 1:
            return "[" + " ".join("..." if i is None else _format_number(b[i], kind, size)
                                  for i in items) + "]"
        sep = "\n" * (b.ndim - 1) + " " * (indent + 1)
        return "[" + sep.join("..." if i is None else rec(b[i], indent + 1) for i in items) + "]"
    return rec(a, 0)


def _format_value(x, summarize):
    if isinstance(x, Tensor):
        return _format_array(np.asarray(x.numpy()), summarize)
    if isinstance(x, (list, tuple)):
        inner = ", ".join(_format_value(v, summarize) for v in x)
        return f"[{inner}]" if isinstance(x, list) else f"({inner})"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {_format_value(v, summarize)}" for k, v in x.items()) + "}"
    return str(x)


def print_(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """``d2l.print``: print tensors' values each time it runs (``tf.print``); inside ``d2l.function``, on every call.

    Python's ``print`` inside a traced function runs once, while tracing, and
    shows symbolic tensors; ``d2l.print`` is an op, so the plan prints the
    values on every call. As in TensorFlow, it writes to standard error unless
    ``output_stream`` is given, shows ``summarize`` values at each end of
    long dimensions (-1: all), and prints bools as 1 and 0.

    >>> import sys
    >>> d2l.print("x =", d2l.constant([1.5, 2.0]), d2l.range(10), output_stream=sys.stdout)
    x = [1.5 2] [0 1 2 ... 7 8 9]
    """
    graph = _state.graph
    if graph is not None and not _state.depth:
        graph.add_call(print_, inputs, {"output_stream": output_stream, "summarize": summarize,
                                       "sep": sep, "end": end}, "PrintV2", "PrintV2")
        return None
    stream = sys.stderr if output_stream is None else output_stream
    text = sep.join(_format_value(x, int(summarize) if summarize is not None else 3)
                    for x in inputs)
    stream.write(text + end)
    return None


print_.__name__ = print_.__qualname__ = "print"     # d2l.print; a module's own print stays Python's


# ============================================================== the plan

def _cse_key(value, alias):
    """A hashable description of an argument, symbols by identity; None if there is none."""
    if _is_symbol(value):
        return ("s", id(alias.get(id(value), value)))
    t = type(value)
    if value is None or t in (bool, int, float, str):
        return (t, value)
    if t in (list, tuple):
        parts = tuple(_cse_key(v, alias) for v in value)
        return None if None in parts else (t, parts)
    if t is dict:
        parts = tuple((k, _cse_key(v, alias)) for k, v in value.items())
        return None if any(p[1] is None for p in parts) else (t, parts)
    if t is slice:
        parts = tuple(_cse_key(v, alias) for v in (value.start, value.stop, value.step))
        return None if None in parts else (t, parts)
    if isinstance(value, Tensor) or hasattr(value, "is_compatible_with") or callable(value):
        return ("id", id(value))
    if t.__module__ == "d2l_core.dtypes":
        return ("id", id(value))
    return None


class Plan:
    """A compiled graph: the straight-line Python function a ConcreteFunction runs.

    ``source`` is its text; ``stats`` says what compiling removed.
    """

    def __init__(self, graph, outputs):
        self.graph = graph
        # tapes whose gradients were all built while tracing need no tape at run time
        nodes = [n for n in graph.nodes if not (
            n.type in _TAPE_STEPS and not (n.outputs[0] if n.outputs else n.args[0]).runtime)]
        constants = dict(graph.constants)
        alias = {}
        stats = {"traced": len(nodes), "folded": 0, "merged": 0, "dead": 0}
        # where the compiled plan runs (see _plan_device): None, the host with no GPU
        # anywhere; a Device: that of the scopes open now; False: the eager plan only
        self.device, self.scopes = _plan_device()

        # 1. constant folding: pure ops on values known while tracing run once, now
        watched = {id(x) for n in nodes if n.fn is _RAW_TAPE["watch"]
                   for x in _leaves(n.args[1])}
        kept = []
        for node in nodes:
            leaves = list(_leaves((node.args, node.kwargs)))
            value = _shape_only_value(node, self.device)
            if value is not None:      # ones_like(x) of a known shape: a constant
                constants[id(node.outputs[0])] = value
                stats["folded"] += 1
            elif (node.pure and node.kind == "op"
                    and all(id(x) in constants and id(x) not in watched
                            for x in leaves if _is_symbol(x))
                    and not any(isinstance(x, Tensor) and not _is_symbol(x) for x in leaves)):
                _fold(node, constants, constants)
                stats["folded"] += 1
            else:
                kept.append(node)
        nodes = kept

        # 2. merging duplicates: the same pure op on the same arguments, with no stateful
        #    step (a tape starting or stopping, an assignment) in between
        seen, kept = {}, []
        for node in nodes:
            same = _unchanged_input(node, alias, constants)
            if same is not None:       # x * 1: the output is x
                alias[id(node.outputs[0])] = same
                stats["merged"] += 1
                continue
            if node.stateful:
                seen.clear()
            elif node.pure:
                key = (id(node.fn), _cse_key(node.args, alias), _cse_key(node.kwargs, alias))
                if None not in key:
                    first = seen.get(key)
                    if first is not None and len(first.outputs) == len(node.outputs):
                        for a, b in zip(node.outputs, first.outputs):
                            alias[id(a)] = b
                        stats["merged"] += 1
                        continue
                    seen[key] = node
            kept.append(node)
        nodes = kept

        def real(x):
            return alias.get(id(x), x)

        # 3. dead nodes: nothing stateful and no output needs them
        needed = {id(real(x)) for x in _leaves(outputs) if _is_symbol(x)}
        live = []
        for node in reversed(nodes):
            if node.stateful or any(id(o) in needed for o in node.outputs):
                live.append(node)
                needed.update(id(real(x)) for x in node.inputs())
            else:
                stats["dead"] += 1
        nodes = live[::-1]
        self.nodes, self.stats = nodes, stats

        # 4. the programs: one line per node; each value is dropped after its last use.
        #    The eager program calls the ops themselves (checks, placement, tape recording);
        #    the fast one calls the raw kernels of the ops that have one on arrays, and runs
        #    whenever no tape records and the call runs where it was compiled (see _raw_nodes).
        self.eager_source, self.eager_run = self._program(graph, nodes, outputs, real,
                                                          constants, set(), None)
        self.source, self.run = self.eager_source, self.eager_run
        raw = _raw_nodes(nodes, real, constants, self.device)
        if raw:
            self.source, self.run = self._program(graph, nodes, outputs, real, constants, raw,
                                                  self.eager_run, self.device, self.scopes)

    @staticmethod
    def _program(graph, nodes, outputs, real, constants, raw, eager, home=None, scopes=()):
        """The source of a plan and the function it defines. Nodes in ``raw`` call their op's
        kernel on arrays (names aN); the others the op itself on tensors (names sN). With
        ``home`` a device, every array the kernels see lives there: constants are moved now,
        once, and the plan steps aside for inputs that live elsewhere and when the device
        scopes open differ from ``scopes``, those open while compiling."""
        gpu = home is not None and home.kind == "GPU"
        names = {"s": {}, "a": {}}         # form -> {id(symbol): local name}
        namespace, kernels, lines = {}, {}, []
        for i, x in enumerate(graph.inputs):
            names["s"][id(x)] = f"s{i}"
        inputs = {id(x) for x in graph.inputs}
        counter = [len(graph.inputs)]

        def const(value):
            key = f"c{len(namespace)}"
            namespace[key] = value
            return key

        def const_array(t):          # a tensor's array where the kernels run: moved once, here
            return const(array_of(t) if home is None else _home_array(array_of(t), home))

        def symbol(x, form, pre):
            x = real(x)
            own = names[form]
            if id(x) in own:
                return own[id(x)]
            if id(x) in constants:
                value = constants[id(x)]
                own[id(x)] = const_array(value) if form == "a" else const(value)
                return own[id(x)]
            other = names["a" if form == "s" else "s"].get(id(x))
            if other is None:
                raise RuntimeError(f"d2l.function: {x.name} is used before it is computed")
            own[id(x)] = f"{form}{other[1:]}"
            # an input's array is where the plan runs (checked first); with a GPU, an op's
            # output is there as a rule, but an op may have left it elsewhere (text on the
            # host, a Variable on the GPU read under a CPU scope): moved, as ops move it
            to_array = "array_of" if home is None or id(x) in inputs else "on_home"
            namespace.setdefault("wrap", wrap)
            namespace.setdefault("array_of", array_of)
            if home is not None:
                namespace.setdefault("on_home", _on_home(home))
            pre.append(f"{own[id(x)]} = {to_array if form == 'a' else 'wrap'}({other})")
            return own[id(x)]

        def render(x, form="s", pre=None):
            if _is_symbol(x):
                return symbol(x, form, pre)
            t = type(x)
            if x is None or t is bool or t is int or t is str or (
                    t is float and math.isfinite(x)):
                return repr(x)
            if form == "a" and isinstance(x, Tensor):
                return const_array(x)
            if t is list:
                return "[" + ", ".join(render(v, form, pre) for v in x) + "]"
            if t is tuple:
                return "(" + "".join(render(v, form, pre) + ", " for v in x) + ")"
            if isinstance(x, tuple) and hasattr(x, "_fields"):    # a namedtuple (SparseTensor)
                return const(t) + "._make((" + "".join(render(v, form, pre) + ", "
                                                       for v in x) + "))"
            if t is dict and all(type(k) in (str, int) for k in x):
                return "{" + ", ".join(f"{k!r}: {render(v, form, pre)}" for k, v in x.items()) + "}"
            if t is slice:
                return (f"slice({render(x.start, form, pre)}, {render(x.stop, form, pre)}, "
                        f"{render(x.step, form, pre)})")
            return const(x)

        def kernel(fn, base=None):
            key = kernels.get(id(fn))
            if key is None:
                base = base or getattr(fn, "__name__", "kernel").strip("_") or "kernel"
                key = base if base not in namespace and base.isidentifier() else \
                    f"{base}_{len(namespace)}"
                if not key.isidentifier() or key in dir(builtins) or key in namespace:
                    key = f"k{len(namespace)}"
                namespace[key] = fn
                kernels[id(fn)] = key
            return key

        last_use = {}
        for i, node in enumerate(nodes):
            for x in node.inputs():
                last_use[id(real(x))] = i
        returned = {id(real(x)) for x in _leaves(outputs) if _is_symbol(x)}
        args = ", ".join(names["s"][id(x)] for x in graph.inputs)
        lines.append(f"def plan({args}):")
        if eager is not None:
            namespace.update(_eager=eager, _active=_recording.active, _scoped=_scoped(home, scopes),
                             _placement=backend.placement, _elsewhere=_elsewhere(home, graph.inputs))
            lines.append("    if _active or _scoped or _placement.log_device_placement or "
                         f"_elsewhere({args}):")
            lines.append(f"        return _eager({args})    # a tape records, or devices matter")

        def drop(ids):
            out = []
            for key in ids:
                for form in ("s", "a"):
                    name = names[form].get(key)
                    if name is not None and name[0] in "sa":
                        out.append(name)
            return out

        for i, node in enumerate(nodes):
            pre, form = [], "a" if i in raw else "s"
            if i in raw and node.kind == "read":
                call = f"{kernel(array_of)}({const(node.args[0])})"
            elif i in raw:
                entry = registry.lookup(node.fn)
                call = kernel(entry.kernel, f"{entry.name}_kernel") + "(" + ", ".join(
                    [render(a, "a", pre) for a in node.args] +
                    [f"{k}={render(v, 'a', pre)}" for k, v in node.kwargs.items()
                     if k != "name"]) + ")"
                if not node.outputs[0].shape.as_list() and not gpu:   # 0-d: NumPy
                    call = f"{kernel(np.asarray, 'asarray')}({call})"   # gives a scalar (CuPy: no)
            else:
                call = kernel(node.fn) + "(" + ", ".join(
                    [render(a, "s", pre) for a in (_numbers_on(node, home) if gpu else node.args)] +
                    [f"{k}={render(v, 's', pre)}" for k, v in node.kwargs.items()]) + ")"
            targets = []
            for o in node.outputs:
                names[form][id(o)] = f"{form}{counter[0]}"
                counter[0] += 1
                targets.append(names[form][id(o)])
            s = node.structure
            if not node.outputs:
                line = call
            elif s is _FLAT:
                line = f"{', '.join(targets)}, = {call}"
            elif isinstance(s, (stand_in.Spec, _TapeHandle)):
                line = f"{targets[0]} = {call}"
            elif type(s) in (list, tuple) and all(isinstance(v, stand_in.Spec) for v in s):
                line = f"{', '.join(targets)}, = {call}"
            else:
                namespace["_flat_tensors"] = _flat_tensors
                line = f"{', '.join(targets)}, = _flat_tensors({call})"
            lines.extend(f"    {p}" for p in pre)
            lines.append(f"    {line}  # {node.type}")
            dead = drop(id(x) for x in dict.fromkeys(map(real, node.inputs()))
                        if last_use.get(id(x)) == i and id(x) not in returned)
            dead += [t for o, t in zip(node.outputs, targets)
                     if id(o) not in last_use and id(o) not in returned]
            if dead:
                lines.append(f"    del {', '.join(dead)}")
        pre = []
        result = render(outputs, "s", pre)
        lines.extend(f"    {p}" for p in pre)
        lines.append(f"    return {result}")
        source = "\n".join(lines)
        code = compile(source + "\n", f"<d2l.function {graph.name}>", "exec")
        exec(code, namespace)      # noqa: S102  (our own generated program)
        return source, namespace["plan"]


def _shape_only_value(node, home=None):
    """The value of ``ones_like(x)``/``zeros_like(x)`` (they read only x's shape and dtype)
    when x's shape is known while tracing, on the plan's device ``home``; else None."""
    if node.type not in ("OnesLike", "ZerosLike") or node.kind != "op" or node.device or \
            home is False:        # (GPUs, but no device to put the value on)
        return None
    x = node.args[0] if node.args else node.kwargs.get("input")
    if type(x) is not SymbolicTensor or not x.shape.is_fully_defined() or not x.dtype.is_numeric:
        return None
    args = (wrap(np.zeros(x.shape.as_list(), x.dtype.np)),) + tuple(node.args[1:])
    _state.depth += 1
    try:
        value = node.fn(*args, **{k: v for k, v in node.kwargs.items() if k != "input"}) \
            if node.args else node.fn(args[0], **{k: v for k, v in node.kwargs.items()
                                                   if k != "input"})
    finally:
        _state.depth -= 1
    return value if home is None else wrap(_home_array(array_of(value), home))


def _unchanged_input(node, alias, constants):
    """For ``x * 1`` (a 1 that does not broadcast x, of x's dtype): x, which it equals to
    the bit; else None."""
    if node.type != "Mul" or node.kind != "op" or node.kwargs or len(node.args) != 2:
        return None
    out = node.outputs[0]
    a, b = (alias.get(id(x), x) if _is_symbol(x) else x for x in node.args)
    for x, one in ((a, b), (b, a)):
        if type(x) is not SymbolicTensor or x.dtype is not out.dtype or \
                not x.shape.is_fully_defined() or x.shape.as_list() != out.shape.as_list():
            continue
        if _is_symbol(one):
            one = constants.get(id(one))
        if type(one) in (int, float) and one == 1:
            return x
        if isinstance(one, Tensor) and not isinstance(one, Variable) and \
                one.dtype is out.dtype and bool(np.all(array_of(one) == 1)):
            return x
    return None


_NUMBER_OPERANDS = {"SelectV2": (1, 2), "AssignVariableOp": (0, 1),
                    "AssignAddVariableOp": (0, 1), "AssignSubVariableOp": (0, 1)}


def _numbers_on(node, home):
    """``node.args`` with each Python float that meets a float tensor (``x * 0.5``,
    ``v.assign_add(1.0)``, ``where(c, 0.0, x)``) made, once, into the tensor the op makes
    of it on every call (``_convert_like``), on ``home``: no host-to-device copy per call."""
    entry = registry.lookup(node.fn) if node.kind == "op" else None
    operands = (0, 1) if entry is not None and entry.kind == registry.BINARY else \
        _NUMBER_OPERANDS.get(node.type)
    if operands is None or len(node.args) <= max(operands):
        return node.args
    args = list(node.args)
    for i, j in (operands, operands[::-1]):
        value, other = args[i], args[j]
        dtype = other.dtype if _is_symbol(other) or isinstance(other, Tensor) else None
        if type(value) is float and dtype is not None and dtype.is_floating and \
                dtype.size >= 4 and abs(value) <= _FLOAT32_MAX:
            args[i] = wrap(_home_array(np.array(value, dtype.np), home))
    return tuple(args)


_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _plan_device():
    """Where a compiled plan's arrays live, and the device scopes it runs under.

    ``(None, [])``: the host, with no GPU anywhere (no scope matters then). With a GPU:
    the device of the scopes open now (the default GPU is the bottom one) and those
    scopes; ``(False, [])`` when there is none (GPUs hidden): only the eager plan runs.
    """
    if not backend.gpu_count():
        return None, []
    home = backend.current_device()
    return (home, list(backend.device_stack)) if home is not None else (False, [])


class _ScopesDiffer:
    """True while the device scopes open differ from ``scopes``, those a plan was compiled
    under (the default GPU is the bottom one)."""
    __slots__ = ("scopes",)

    def __init__(self, scopes):
        self.scopes = list(scopes)

    def __bool__(self):
        return backend.device_stack != self.scopes


def _scoped(home, scopes):
    """What a plan's ``_scoped`` is: with no GPU, the device stack itself (any scope open:
    the eager plan, which places the ops), else whether the scopes changed since compiling."""
    return backend.device_stack if home is None else _ScopesDiffer(scopes)


def _elsewhere(home, inputs):
    """``elsewhere(*tensors)``: whether an input's array is not on ``home`` (then the eager
    plan runs: its ops move it, as eager ops do). Text stays on the host: not asked."""
    if home is None:     # no GPU: every array is on the host. A lambda of the plan's own
        # arity, so that the CPU plan's check is one plain call (no tuple of arguments)
        return eval(f"lambda {', '.join(f's{i}' for i in range(len(inputs)))}: False")  # noqa: S307
    kinds = [x.dtype.is_numeric or x.dtype.is_bool for x in inputs]
    if home.kind == "CPU":
        def elsewhere(*tensors):
            return any(k and type(array_of(t)) is not np.ndarray
                       for k, t in zip(kinds, tensors))
        return elsewhere
    gpu_array, index = backend.array_module(home).ndarray, home.index

    def elsewhere(*tensors):            # (the array's type and device id: no sync)
        for k, t in zip(kinds, tensors):
            if k and (type(array_of(t)) is not gpu_array or array_of(t).device.id != index):
                return True
        return False
    return elsewhere


def _home_array(array, home):
    """``array`` on the plan's device ``home`` (moved once, while compiling; text stays put)."""
    return backend.to_device(array, home)


def _on_home(home):
    """The array of an op's output, on ``home``: where eager ops would move it."""
    def on_home(t):
        return backend.to_device(array_of(t), home)
    return on_home


def _raw_nodes(nodes, real, constants, home=None):
    """Indices of the nodes the fast program runs as raw kernels on arrays.

    A node qualifies when its op declares a kernel (``registry.op(kernel=...)``), it has one
    output of a fully known shape, no device scope and no Variable among its arguments, and
    the kernel gives the eager op's result exactly (dtype, shape and every bit) on random
    values of its inputs' shapes: checked here, once. Variable reads qualify too. With
    ``home`` a GPU, the kernel must run on CuPy arrays (``gpu_kernel``), is checked there,
    and a Variable read qualifies when the Variable lives there.
    """
    raw = set()
    if home is False or any(n.type in _TAPE_STEPS for n in nodes):
        return raw         # arrays may live on two devices, or a tape must see the ops: eager
    rng = np.random.default_rng(0)
    saved = list(_recording.active)     # (the ops are checked under the scopes open now,
    _recording.active.clear()           # where the plan runs them)
    _state.depth += 1
    try:
        for i, node in enumerate(nodes):
            if node.kind == "read":
                if home is None or backend.device_of(array_of(node.args[0])) == home:
                    raw.add(i)
                continue
            entry = registry.lookup(node.fn) if node.kind == "op" else None
            if (entry is None or entry.kernel is None or node.device is not None
                    or not entry.test.deterministic or len(node.outputs) != 1
                    or not isinstance(node.structure, stand_in.Spec)
                    or not node.outputs[0].shape.is_fully_defined()
                    or (home and home.kind == "GPU" and not entry.gpu_kernel)):
                continue
            if _kernel_matches(entry, node, real, constants, rng, home):
                raw.add(i)
    finally:
        _state.depth -= 1
        _recording.active[:] = saved
    return raw


_CHECKED = {}      # (op, kernel, its arguments, symbols as size-1 axes and dtype) -> verdict


def _kernel_matches(entry, node, real, constants, rng, home=None):
    """True when ``entry.kernel`` gives the op's result on random values for ``node``'s
    arguments. The verdict is remembered per op and argument pattern (each symbol's rank,
    which of its axes are 1 as broadcasting sees them, and dtype), so a heavy op such as a
    big matmul is checked once, not once per node."""
    def spec(x):
        x = real(x) if _is_symbol(x) else x
        if type(x) is SymbolicTensor and id(x) not in constants:
            return ("spec", tuple(d == 1 for d in x.shape.as_list()), x.dtype.name)
        return x
    key = (entry.name, entry.kernel, _cse_key(_map_leaves((node.args, node.kwargs), spec), {}),
           home)
    if key[2] is not None and not any(isinstance(x, Tensor) or _is_symbol(x) for x in _leaves(
            _map_leaves((node.args, node.kwargs), spec))):
        verdict = _CHECKED.get(key)
        if verdict is None:
            verdict = _CHECKED[key] = _kernel_check(entry, node, real, constants, rng, home)
        return verdict
    return _kernel_check(entry, node, real, constants, rng, home)


def _kernel_check(entry, node, real, constants, rng, home=None):
    # integers from -5 to 5; if the op itself refuses them, 0 and 1 (valid labels, indices)
    verdict = _kernel_check_with(entry, node, real, constants, rng, -5, 6, home)
    if verdict is None:
        verdict = _kernel_check_with(entry, node, real, constants, rng, 0, 2, home)
    return bool(verdict)


def _kernel_check_with(entry, node, real, constants, rng, low, high, home=None):
    tensors, arrays = {}, {}
    for x in _leaves((node.args, node.kwargs)):
        if isinstance(x, Variable):
            return False
        if _is_symbol(x):
            x = real(x)
            if id(x) in constants:
                v = array_of(constants[id(x)])
            elif x.shape.is_fully_defined() and (x.dtype.is_numeric or x.dtype.is_bool):
                shape, kind = x.shape.as_list(), x.dtype.np
                v = np.asarray(rng.random(shape) < 0.5 if x.dtype.is_bool else
                               rng.integers(low, high, shape).astype(kind) if x.dtype.is_integer
                               else rng.standard_normal(shape, dtype=kind) if kind in (
                                   np.float32, np.float64) else
                               rng.standard_normal(shape).astype(kind))
            else:
                return False
            if home is not None:       # the values the plan's kernels get, where they run
                v = _home_array(v, home)
            tensors[id(x)], arrays[id(x)] = wrap(v), v
        elif isinstance(x, Tensor):
            arrays[id(x)] = array_of(x) if home is None else _home_array(array_of(x), home)

    def put(values):
        def one(x):
            if _is_symbol(x):
                return values[id(real(x))]
            if isinstance(x, Tensor):
                return values[id(x)] if values is arrays else x
            return x
        return _map_leaves(node.args, one), {k: v for k, v in _map_leaves(node.kwargs, one).items()
                                             if values is not arrays or k != "name"}
    try:
        with random_ops.using_generator(np.random.default_rng(0)):
            args, kwargs = put(tensors)
            want = array_of(entry.fn(*args, **kwargs))
    except Exception:        # noqa: BLE001  (the op's own checks refuse these values)
        return None
    try:
        args, kwargs = put(arrays)
        got = entry.kernel(*args, **kwargs)
        if home is None or home.kind == "CPU":
            got = np.asarray(got)
        else:                      # both on the GPU, then compared on the host (a sync, once)
            if type(got) is not type(want) or backend.device_of(got) != home:
                return False
            got, want = backend.to_numpy(got), backend.to_numpy(want)
    except Exception:        # noqa: BLE001  (the kernel cannot do what the op did: NumPy-only)
        return False
    return (type(got) is type(want) and got.dtype == want.dtype and got.shape == want.shape
            and np.array_equal(got, want, equal_nan=want.dtype.kind in "fc"))


# ============================================================== control flow: cond and while_loop

def _as_output(graph, x):
    return Function._outputs(graph, x)


def _trace_branch(fn, specs, name):
    """Trace ``fn`` on placeholders with ``specs`` [(shape, dtype)] into a graph nested in the
    current one; returns (graph, outputs, the outer symbols it captured)."""
    outer = _state.graph
    graph = FuncGraph(f"{outer.name}/{name}", parent=outer, allow_variables=False)
    args = [graph.placeholder(f"{name}_arg", shape, dtype) for shape, dtype in specs]
    _state.graph = graph
    try:
        out = _as_output(graph, fn(*args))
    finally:
        _state.graph = outer
    return graph, out, [o for o, _ in graph.captures]


def _merged_shape(a, b):
    if a.rank is not None and a.rank == b.rank:
        return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])
    return TensorShape(None)


def _run_cond(pred, true_plan, false_plan, true_captures, false_captures):
    if pred:
        return _flat_tensors(true_plan(*true_captures))
    return _flat_tensors(false_plan(*false_captures))


def cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` if ``pred`` is true, else ``false_fn()`` (``tf.cond``).

    Eagerly, it calls one of them. Inside ``d2l.function``, on a symbolic
    ``pred``, it traces both (they must return the same structure of tensors
    of the same dtypes) and the plan runs the one ``pred`` picks on each
    call. AutoGraph writes an ``if`` on a tensor as this ``cond``.

    >>> @d2l.function
    ... def relu_or_square(x):
    ...     return d2l.cond(x > 0, lambda: x, lambda: x * x)
    >>> relu_or_square(d2l.constant(3.0)).numpy(), relu_or_square(d2l.constant(-3.0)).numpy()
    (np.float32(3.0), np.float32(9.0))
    """
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("cond: true_fn and false_fn must be callables, e.g. lambda: x + 1")
    graph = _state.graph
    if graph is None or _state.depth or not _is_symbol(pred):
        return true_fn() if bool(pred) else false_fn()
    if pred.dtype.name != "bool" or pred.shape.rank not in (None, 0):
        raise TypeError(f"cond: pred must be a scalar bool tensor, got {pred!r}")
    t_graph, t_out, t_caps = _trace_branch(true_fn, [], "true")
    f_graph, f_out, f_caps = _trace_branch(false_fn, [], "false")
    try:
        nest.assert_same_structure(t_out, f_out, check_types=False)
    except (ValueError, TypeError) as e:
        raise ValueError(f"cond: true_fn and false_fn must return the same structure: {e}") from None
    specs = []
    for a, b in zip(_flat_tensors(t_out), _flat_tensors(f_out)):
        if a.dtype is not b.dtype:
            raise TypeError(f"cond: the branches return dtypes {a.dtype.name} and "
                            f"{b.dtype.name} for the same output; cast one of them")
        specs.append(stand_in.Spec(_merged_shape(TensorShape(a.shape), TensorShape(b.shape)),
                                   a.dtype))
    t_plan, f_plan = Plan(t_graph, t_out), Plan(f_graph, f_out)
    node_name = graph.unique_name(name or "cond")
    outputs = [SymbolicTensor(graph, f"{node_name}:{i}", s.shape, s.dtype)
               for i, s in enumerate(specs)]
    graph.add_call(_run_cond, (pred, t_plan.run, f_plan.run, t_caps, f_caps), {}, node_name,
                   "If", outputs=outputs, structure=_FLAT,
                   kind="call" if _has_state(t_plan, f_plan) else "branch")
    return nest.pack_sequence_as(t_out, outputs, sort_keys=False) if outputs else t_out


def _has_state(*plans):
    return any(n.stateful for p in plans for n in p.nodes)


def _run_while(cond_plan, body_plan, cond_captures, body_captures, limit, *values):
    count = 0
    while (limit is None or count < limit) and cond_plan(*values, *cond_captures):
        values = _flat_tensors(body_plan(*values, *body_captures))
        count += 1
    return list(values)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)`` (``tf.while_loop``).

    Eagerly, it is a Python loop. Inside ``d2l.function``, ``cond`` and
    ``body`` are traced once and the plan runs the loop: the way to write a
    ``while`` (or a ``for`` over ``d2l.range``) on tensors. The loop
    variables keep their dtypes, and their shapes unless ``shape_invariants``
    allow a change (None dimensions).

    >>> @d2l.function
    ... def collatz_steps(n):
    ...     step = lambda n, k: (d2l.where(n % 2 == 0, n // 2, 3 * n + 1), k + 1)
    ...     return d2l.while_loop(lambda n, k: n > 1, step, (n, 0))[1]
    >>> collatz_steps(d2l.constant(6)).numpy(), collatz_steps(d2l.constant(7)).numpy()
    (np.int32(8), np.int32(16))
    """
    if not callable(cond) or not callable(body):
        raise TypeError("while_loop: cond and body must be callables")
    single = not isinstance(loop_vars, (list, tuple))
    structure = [loop_vars] if single else loop_vars
    graph = _state.graph
    flat = nest.flatten(structure, sort_keys=False)
    if graph is None or _state.depth or not any(_is_symbol(x) for x in flat):
        values, count = structure, 0
        while (maximum_iterations is None or count < int(maximum_iterations)) and \
                bool(cond(*values)):
            out = body(*values)
            if not single and not isinstance(out, (list, tuple)):
                raise TypeError(f"while_loop: body must return the loop variables in the "
                                f"structure of loop_vars (a {type(loop_vars).__name__}), got "
                                f"{out!r:.60}")
            values = [out] if single else out
            count += 1
        return values[0] if single else nest.pack_sequence_as(loop_vars, nest.flatten(
            values, sort_keys=False), sort_keys=False)
    _state.depth += 1
    try:
        init = [x if _is_symbol(x) else convert_to_tensor(x) for x in flat]
    finally:
        _state.depth -= 1
    invariants = (nest.flatten(shape_invariants, sort_keys=False) if shape_invariants is not None
                  else [x.shape for x in init])
    specs = [(TensorShape(s), x.dtype) for s, x in zip(invariants, init)]

    def call(fn):
        def traced(*args):
            packed = nest.pack_sequence_as(structure, list(args), sort_keys=False)
            return fn(*packed)
        return traced
    c_graph, c_out, c_caps = _trace_branch(call(cond), specs, "cond")
    b_graph, b_out, b_caps = _trace_branch(call(body), specs, "body")
    if not isinstance(c_out, Tensor) or c_out.dtype.name != "bool":
        raise TypeError(f"while_loop: cond must return a bool tensor, got {c_out!r}")
    new = _flat_tensors([b_out] if single else b_out)
    if len(new) != len(init):
        raise ValueError(f"while_loop: body returned {len(new)} tensors for {len(init)} loop "
                         "variables; return them all, in the same structure")
    for (shape, dtype), x in zip(specs, new):
        if x.dtype is not dtype:
            raise TypeError(f"while_loop: a loop variable has dtype {dtype.name} but the body "
                            f"returns {x.dtype.name}; cast it in the body")
        if not shape.is_compatible_with(x.shape):
            raise ValueError(f"while_loop: a loop variable enters the loop with shape "
                             f"{_shape_text(shape)} but has shape {_shape_text(TensorShape(x.shape))} "
                             "after one iteration; pass shape_invariants with None where it may "
                             "change")
    c_plan, b_plan = Plan(c_graph, c_out), Plan(b_graph, b_out)
    node_name = graph.unique_name(name or "while")
    outputs = [SymbolicTensor(graph, f"{node_name}:{i}", shape, dtype)
               for i, (shape, dtype) in enumerate(specs)]
    limit = None if maximum_iterations is None else maximum_iterations
    graph.add_call(_run_while, (c_plan.run, b_plan.run, c_caps, b_caps, limit) + tuple(init), {},
                   node_name, "While", outputs=outputs, structure=_FLAT,
                   kind="call" if _has_state(c_plan, b_plan) else "branch")
    result = nest.pack_sequence_as(structure, outputs, sort_keys=False)
    return result[0] if single else result


# AutoGraph's helpers build graph control flow with these (d2l_core/autograph.py).
_AUTOGRAPH = _autograph.Runtime(cond, while_loop, _is_symbol)


# ============================================================== functions and signatures

def _tensor_spec(t):
    return ("T", array_of(t).shape, t.dtype)


def _signature_of(value, tensors):
    """A hashable key for one argument; tensors (and NumPy arrays) are appended to ``tensors``."""
    if type(value) is Tensor:                        # the common case, first
        tensors.append(value)
        return ("T", array_of(value).shape, value.dtype)
    if isinstance(value, Tensor):
        if isinstance(value, Variable):
            return ("V", id(value))
        if _is_symbol(value):
            raise TypeError("a symbolic tensor of another traced function was passed in")
        tensors.append(value)
        return _tensor_spec(value)
    if isinstance(value, np.ndarray):
        t = convert_to_tensor(value)
        tensors.append(t)
        return _tensor_spec(t)
    t = type(value)
    if t is list or t is tuple or (isinstance(value, tuple) and hasattr(value, "_fields")):
        return (t, tuple(_signature_of(v, tensors) for v in value))
    if t is dict:
        return (t, tuple((k, _signature_of(value[k], tensors)) for k in sorted(value, key=repr)))
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    if value is None or t in (bool, int, float, str, complex) or t.__module__ == "d2l_core.dtypes":
        return (t, value)
    return ("id", id(value))


def _relaxed(a, b):
    """The most specific signature both ``a`` and ``b`` fit, or None (reduce_retracing)."""
    if type(a) is not tuple or type(b) is not tuple or len(a) != len(b):
        return a if a == b else None
    if a and a[0] == "T" and b and b[0] == "T" and len(a) == 3:
        if a[2] is not b[2]:
            return None
        sa, sb = a[1], b[1]
        if sa is None or sb is None or len(sa) != len(sb):
            return ("T", None, a[2])
        return ("T", tuple(x if x == y else None for x, y in zip(sa, sb)), a[2])
    out = []
    for x, y in zip(a, b):
        r = _relaxed(x, y)
        if r is None and not (x is None and y is None):
            return None
        out.append(r)
    return tuple(out)


def _fits(key, general):
    """True when a call with signature ``key`` may run the trace made for ``general``."""
    if type(key) is not tuple or type(general) is not tuple:
        return key == general
    if key and key[0] == "T" and general and general[0] == "T" and len(key) == 3:
        if key[2] is not general[2]:
            return False
        shape = general[1]
        return shape is None or (len(shape) == len(key[1]) and all(
            g is None or g == k for g, k in zip(shape, key[1])))
    return len(key) == len(general) and all(_fits(k, g) for k, g in zip(key, general))


def _spec_text(shape, dtype):
    dims = "None" if shape is None else str(tuple(shape))
    return f"TensorSpec(shape={dims}, dtype=tf.{dtype.name}, name=None)"


class ConcreteFunction:
    """One trace of a ``Function``: its graph and compiled plan, for one input signature.

    Call it with tensors of that signature (Python values were fixed when it
    was traced). ``graph`` holds the nodes, ``plan_source`` the program the
    plan runs.

    >>> @d2l.function
    ... def f(x, n):
    ...     return x * n
    >>> cf = f.get_concrete_function(d2l.TensorSpec([None]), 3)
    >>> cf(d2l.constant([1.0, 2.0])).numpy()
    array([3., 6.], dtype=float32)
    """

    def __init__(self, function, graph, outputs, arg_names):
        self._function = function
        self.graph = graph
        self.structured_outputs = outputs
        self.inputs = list(graph.inputs)
        self._plan = Plan(graph, outputs)
        self._run = self._plan.run
        self._arg_names = arg_names

    @property
    def plan_source(self):
        """The Python source of the compiled plan (what each call runs)."""
        return self._plan.source

    @property
    def eager_plan_source(self):
        """The plan that calls the ops themselves: what runs while a tape records the call
        (or other device scopes are open, or an input lives on another device).
        ``plan_source`` calls raw kernels."""
        return self._plan.eager_source

    @property
    def plan_stats(self):
        """How many nodes the trace made and how many compiling folded, merged and removed."""
        return dict(self._plan.stats)

    @property
    def name(self):
        return self.graph.name

    def __call__(self, *args):
        tensors = [convert_to_tensor(a) for a in args]
        if len(tensors) != len(self.inputs):
            raise TypeError(f"{self.name}: expected {len(self.inputs)} tensor arguments, got "
                            f"{len(tensors)}")
        for t, p in zip(tensors, self.inputs):
            if t.dtype is not p.dtype or not p.shape.is_compatible_with(t.shape):
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast "
                    f"{_spec_text(t.shape.as_list(), t.dtype)} to "
                    f"{_spec_text(p.shape.as_list() if p.shape.rank is not None else None, p.dtype)}`.")
        return self._run(*tensors)

    def __repr__(self):
        return f"<ConcreteFunction {self.name} inputs={[str(x) for x in self.inputs]}>"


class Function:
    """A function ``d2l.function`` traces (``tf.function``'s result; see ``function``)."""

    def __init__(self, python_function, input_signature=None, reduce_retracing=False,
                 autograph=True, jit_compile=None, name=None):
        functools.update_wrapper(self, python_function)
        self.python_function = python_function
        self._signature = inspect.signature(python_function)
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self._autograph = bool(autograph)
        self._converted = None      # python_function with AutoGraph's control flow, once made
        self._reduce_retracing = bool(reduce_retracing)
        self._name = name or getattr(python_function, "__name__", "function")
        self._cache = {}            # signature key -> ConcreteFunction
        self._fast = {}             # (shape, NumPy dtype, ...) of positional tensors -> the same
        self._general = []          # (relaxed key, ConcreteFunction) for reduce_retracing
        self._last = None           # the last traced key (reduce_retracing relaxes from it)
        self._count = 0
        self._first = True          # Variables may be created on the first trace only
        self._bound = weakref.WeakKeyDictionary()
        params = list(self._signature.parameters.values())
        self._simple = len(params) if all(
            p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params) else None

    # ------------------------------------------------------------ methods of classes
    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        try:
            return self._bound[instance]
        except (KeyError, TypeError):
            pass
        bound = Function(functools.partial(self.python_function, instance), self.input_signature,
                         self._reduce_retracing, autograph=self._autograph, name=self._name)
        bound.python_function = self.python_function.__get__(instance, owner)
        try:
            self._bound[instance] = bound
        except TypeError:
            pass
        return bound

    # ------------------------------------------------------------ calls
    def _arguments(self, args, kwargs):
        if not kwargs and self._simple == len(args):
            names = list(self._signature.parameters)
            return names, list(args)
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self._name}(): {e}") from None
        bound.apply_defaults()
        return list(bound.arguments), list(bound.arguments.values())

    def _check_signature(self, names, values):
        spec = self.input_signature
        if len(values) < len(spec):
            raise TypeError(f"{self._name}(): expected {len(spec)} arguments for its "
                            f"input_signature, got {len(values)}")
        out = []
        for i, value in enumerate(values):
            if i >= len(spec):
                out.append(value)
                continue
            s = spec[i]
            t = value if isinstance(value, Tensor) else convert_to_tensor(
                value, dtype=s.dtype if isinstance(value, (float, int)) and
                not isinstance(value, bool) and s.dtype.is_floating else None)
            if t.dtype is not s.dtype or not TensorShape(s.shape).is_compatible_with(t.shape):
                shape = TensorShape(s.shape)
                wanted = ", ".join(
                    f"{n}: {_spec_text(None if sp.shape.rank is None else sp.shape.as_list(), sp.dtype)}"
                    for n, sp in zip(names, spec))
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast "
                    f"{_spec_text(t.shape.as_list(), t.dtype)} to "
                    f"{_spec_text(None if shape.rank is None else shape.as_list(), s.dtype)}`. "
                    f"Received args: {tuple(values)!r} and kwargs: {{}} for signature: ({wanted}).")
            out.append(t)
        return out

    def _key(self, args, kwargs):
        names, values = self._arguments(args, kwargs)
        if self.input_signature is not None:
            values = self._check_signature(names, values)
        tensors = []
        key = tuple(_signature_of(v, tensors) for v in values)
        return key, names, values, tensors

    def __call__(self, *args, **kwargs):
        if _state.graph is not None and not _state.depth:
            return self._traced_function()(*args, **kwargs)   # called while tracing: inline it
        if _EagerSwitch.on:
            return self.python_function(*args, **kwargs)     # run_functions_eagerly(True)
        fast = None
        if not kwargs and self._simple == len(args) and self.input_signature is None:
            # the common call, tensors by position: a flat key of the arrays' shapes and NumPy
            # dtypes (a tensor's dtype follows from its array's), without binding arguments
            fast = []
            for a in args:
                if type(a) is not Tensor:
                    fast = None
                    break
                v = array_of(a)
                fast.append(v.shape)
                fast.append(v.dtype)
            else:
                fast = tuple(fast)
                concrete = self._fast.get(fast)
                if concrete is not None:
                    return concrete._run(*args)
        key, names, values, tensors = self._key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = self._concrete_for(key, names, values)
        if fast is not None:
            self._fast[fast] = concrete
        return concrete._run(*tensors)

    def _concrete_for(self, key, names, values):
        if self.input_signature is not None:
            general = tuple(
                ("T", None if TensorShape(s.shape).rank is None else
                 tuple(TensorShape(s.shape).as_list()), s.dtype) for s in self.input_signature
            ) + key[len(self.input_signature):]
            concrete = self._cache.get(general)
            if concrete is None:
                concrete = self._trace(general, names, values)
                self._cache[general] = concrete
            self._cache[key] = concrete
            return concrete
        if self._reduce_retracing:
            for general, concrete in reversed(self._general):
                if _fits(key, general):
                    self._cache[key] = concrete
                    return concrete
            if self._last is not None:
                relaxed = _relaxed(self._last, key)
                if relaxed is not None:
                    key_traced = relaxed
                    concrete = self._trace(key_traced, names, values)
                    self._general.append((key_traced, concrete))
                    self._last = key_traced
                    self._cache[key] = concrete
                    return concrete
        concrete = self._trace(key, names, values)
        self._general.append((key, concrete))
        self._last = key
        self._cache[key] = concrete
        return concrete

    # ------------------------------------------------------------ tracing
    def _traced_function(self):
        """What tracing calls: python_function, converted by AutoGraph unless autograph=False."""
        if self._converted is None:
            self._converted = _autograph.convert(self.python_function, _AUTOGRAPH) \
                if self._autograph else self.python_function
        return self._converted

    def _trace(self, key, names, values):
        concrete = self._trace_once(key, names, values, allow_variables=self._first)
        if self._first:
            self._first = False
            if concrete.graph.created_variables:
                # As TensorFlow does: trace again to check the function does not create
                # Variables on every call (only the first call may create them).
                concrete = self._trace_once(key, names, values, allow_variables=False)
        return concrete

    def _trace_once(self, key, names, values, allow_variables):
        self._count += 1
        graph = FuncGraph(self._name, allow_variables=allow_variables)

        def placeholders(name, sig, value):
            if type(sig) is tuple and sig and sig[0] == "T" and len(sig) == 3:
                return graph.placeholder(name, sig[1], sig[2])
            if type(sig) is tuple and len(sig) == 2 and sig[0] in (list, tuple, dict) or (
                    type(sig) is tuple and len(sig) == 2 and isinstance(sig[0], type)
                    and issubclass(sig[0], tuple)):
                kind, parts = sig
                if kind is dict:
                    return {k: placeholders(name, s, value[k]) for k, s in parts}
                items = [placeholders(name, s, v) for s, v in zip(parts, value)]
                return items if kind is list else (kind(*items) if hasattr(kind, "_fields")
                                                   else tuple(items))
            return value

        call_values = [placeholders(n, s, v) for n, s, v in zip(names, key, values)]
        # Arguments traced by identity stay alive with their trace, so no new object can
        # take an id the cache knows (TensorFlow keeps weak references and traces again).
        graph._keep.extend(values)
        outer, saved_tapes = _state.graph, list(_recording.active)
        outer_devices = _state.outer_devices
        _recording.active.clear()
        _Twins.install()
        _state.graph = graph
        backend.ensure_initialized()   # the default device joins the stack now, not mid-trace
        _state.outer_devices = len(backend.device_stack)
        try:
            out = self._traced_function()(*call_values[:len(names)]) if not self._keyword_only() \
                else self._call_by_name(names, call_values)
            out = self._outputs(graph, out)
        finally:
            _state.graph = outer
            _state.outer_devices = outer_devices
            _Twins.remove()
            _recording.active[:] = saved_tapes
        return ConcreteFunction(self, graph, out, names)

    def _keyword_only(self):
        return any(p.kind in (p.KEYWORD_ONLY, p.VAR_POSITIONAL, p.VAR_KEYWORD)
                   for p in self._signature.parameters.values())

    def _call_by_name(self, names, values):
        args, kwargs = [], {}
        for (name, value) in zip(names, values):
            p = self._signature.parameters[name]
            if p.kind is p.VAR_POSITIONAL:
                args.extend(value)
            elif p.kind is p.VAR_KEYWORD:
                kwargs.update(value)
            elif p.kind is p.KEYWORD_ONLY:
                kwargs[name] = value
            else:
                args.append(value)
        return self._traced_function()(*args, **kwargs)

    @staticmethod
    def _outputs(graph, out):
        """The traced outputs as TensorFlow returns them: Python numbers become tensors,
        Variables are read when the plan runs."""
        def output(x):
            if _is_symbol(x):
                return x if x_graph(x) is graph else graph._own(x)
            if isinstance(x, Variable):
                return graph.read_variable(x)
            if isinstance(x, Tensor):
                return x
            if isinstance(x, (bool, int, float, np.generic, np.ndarray)):
                _state.depth += 1
                try:
                    return convert_to_tensor(x)
                finally:
                    _state.depth -= 1
            return x
        return nest.map_structure(output, out, sort_keys=False)

    # ------------------------------------------------------------ TensorFlow's API
    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments, tracing if needed.

        Tensors may be given as ``d2l.TensorSpec`` (None dimensions allowed);
        with an ``input_signature``, no arguments are needed.

        >>> @d2l.function
        ... def f(x):
        ...     return x + 1
        >>> f.get_concrete_function(d2l.TensorSpec([None, 2])).inputs
        [<tf.Tensor 'x:0' shape=(None, 2) dtype=float32>]
        """
        if not args and not kwargs and self.input_signature is not None:
            args = self.input_signature
        names, values = self._arguments(args, kwargs)
        tensors = []

        def sig(value):
            if _is_spec(value):
                shape = TensorShape(value.shape)
                return ("T", None if shape.rank is None else tuple(shape.as_list()), value.dtype)
            if type(value) in (list, tuple):
                return (type(value), tuple(sig(v) for v in value))
            if type(value) is dict:
                return (dict, tuple((k, sig(value[k])) for k in sorted(value, key=repr)))
            return _signature_of(value, tensors)
        key = tuple(sig(v) for v in values)
        if self.input_signature is not None and any(not _is_spec(v) for v in values):
            key, names, values, tensors = self._key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = self._concrete_for(key, names, values)
        return concrete

    def experimental_get_tracing_count(self):
        """How many times the Python function has been traced.

        >>> @d2l.function
        ... def f(x):
        ...     return x
        >>> _ = f(1), f(2), f(d2l.constant(1)), f(d2l.constant(2))
        >>> f.experimental_get_tracing_count()      # 1 and 2 are Python values: a trace each
        3
        """
        return self._count

    def __repr__(self):
        return f"<d2l.function {self._name}>"


def _is_spec(value):
    return (not isinstance(value, Tensor) and hasattr(value, "is_compatible_with")
            and hasattr(value, "shape") and hasattr(value, "dtype"))


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_relax_shapes=None, **unused):
    """Trace ``func`` into a graph and run its compiled plan on each call (``tf.function``).

    ``@function`` and ``@function(...)`` both work. A new trace happens for
    each new shape or dtype of a tensor argument and each new value of a
    Python argument; ``input_signature=[d2l.TensorSpec(...)]`` fixes the
    signature (None dimensions match any size) and rejects other inputs;
    ``reduce_retracing=True`` relaxes shapes after the first retrace.
    With ``autograph=True`` (the default), ``if``, ``while`` and ``for`` on
    tensors become ``d2l.cond`` and ``d2l.while_loop`` (``d2l_core/autograph.py``);
    ``autograph=False`` leaves the Python as it is. ``jit_compile`` is
    accepted; d2l_core has no XLA.

    >>> @d2l.function(input_signature=[d2l.TensorSpec([None], d2l.float32)])
    ... def square(x):
    ...     return x * x
    >>> square(d2l.constant([1.0, 2.0, 3.0])).numpy()
    array([1., 4., 9.], dtype=float32)
    >>> square(d2l.constant([[1.0]]))
    Traceback (most recent call last):
    ...
    TypeError: Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(1, 1), dtype=tf.float32, name=None) to TensorSpec(shape=(None,), dtype=tf.float32, name=None)`...
    """
    relax = reduce_retracing or bool(experimental_relax_shapes)

    def decorate(f):
        if isinstance(f, Function):
            return f
        return Function(f, input_signature=input_signature, reduce_retracing=relax,
                        autograph=autograph, jit_compile=jit_compile)
    return decorate if func is None else decorate(func)
