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
    s1 = multiply(s0, s0)  # Mul
    del s0
    s2 = add(s1, 1.0)  # AddV2
    del s1
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
* **The plan**: constants folded, duplicate nodes merged, dead nodes removed,
  each value dropped after its last use, then written out as Python source
  (``ConcreteFunction.plan_source``) that calls the eager ops. Gradient tapes
  record those calls as they run, exactly as in eager mode, so
  ``GradientTape`` inside a traced function or around a call of one gives
  the eager gradients, to any order, with no second autodiff.
"""
import builtins
import functools
import inspect
import math
import sys
import threading
import types
import weakref

import numpy as np

from . import _recording, autodiff, autograph as _autograph, backend, nest, stand_in
from .errors import OperatorNotAllowedInGraphError
from .ops import registry
from .tensor import Tensor, Variable, array_of, convert_to_tensor
from .tensor_shape import TensorShape


# ============================================================== tracing state

class _TraceState(threading.local):
    graph = None        # the FuncGraph being traced in this thread, or None
    depth = 0           # > 0 while an op (or the tracer itself) runs: twins call the eager op
    outer_devices = 0   # device scopes open when the trace began (the caller's)


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
        return f'Tensor("{self.name}", shape={_shape_text(self._static_shape)}, ' \
               f'dtype={self._dtype.name})'

    def __reduce__(self):
        raise TypeError(f"symbolic tensor {self.name} cannot be pickled or copied by value")

    __hash__ = Tensor.__hash__


def _shape_text(shape):
    if shape.rank is None:
        return "<unknown>"
    dims = tuple(shape.as_list())
    return str(dims)


class _TapeHandle:
    """The plan's name for a GradientTape made inside the traced function (one per call)."""

    __slots__ = ("name", "_graph")

    def __init__(self, graph, name):
        self._graph, self.name = graph, name


def _is_symbol(x):
    return type(x) is SymbolicTensor or type(x) is _TapeHandle


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
    def add_op(self, entry, args, kwargs):
        """Add registry op ``entry`` called with ``args``/``kwargs``; its symbolic output(s)."""
        args, kwargs = self._own(args), self._own(kwargs)
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
        name = self.unique_name(entry.name)
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
        self.nodes.append(Node("op", entry.fn, name, entry.type, args, kwargs, outputs, out,
                               stateful=random, pure=not random and not has_state))
        return result

    def add_call(self, fn, args, kwargs, name, op_type, outputs=(), structure=None,
                 kind="call"):
        """Add a stateful step ``fn(*args, **kwargs)`` (an assignment, a tape action, a print)."""
        args, kwargs = self._own(args), self._own(kwargs)
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
        _state.depth += 1
        try:
            out = producer.fn(*_substitute(producer.args, values),
                              **_substitute(producer.kwargs, values))
        finally:
            _state.depth -= 1
        for o, v in zip(producer.outputs, _flat_tensors(out)):
            self.constants[id(o)] = v
        self.nodes.remove(producer)       # computed once, now: the plan need not compute it
        return self.constants[id(symbol)]


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
        return graph.add_op(entry, args, kwargs)
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
    handle = _TapeHandle(graph, graph.unique_name("tape"))
    graph.tapes[id(self)] = handle
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
    graph.add_call(_tape_stop, (_handle(graph, self),), {}, "tape_stop", "GradientTapeStop")
    return False


def _tape_watch(self, tensor):
    graph = _state.graph
    if graph is None or _state.depth or id(self) not in graph.tapes:
        return _RAW_TAPE["watch"](self, tensor)
    graph.add_call(_RAW_TAPE["watch"], (_handle(graph, self), tensor), {}, "watch", "Watch")


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
    reach = _connected(graph, self, _handle(graph, self), target)
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
        nodes = list(graph.nodes)
        constants = dict(graph.constants)
        alias = {}
        stats = {"traced": len(nodes), "folded": 0, "merged": 0, "dead": 0}

        # 1. constant folding: pure ops on values known while tracing run once, now
        watched = {id(x) for n in nodes if n.fn is _RAW_TAPE["watch"]
                   for x in _leaves(n.args[1])}
        kept = []
        for node in nodes:
            leaves = list(_leaves((node.args, node.kwargs)))
            if (node.pure and node.kind == "op"
                    and all(id(x) in constants and id(x) not in watched
                            for x in leaves if _is_symbol(x))
                    and not any(isinstance(x, Tensor) and not _is_symbol(x) for x in leaves)):
                _state.depth += 1
                try:
                    out = node.fn(*_substitute(node.args, constants),
                                  **_substitute(node.kwargs, constants))
                finally:
                    _state.depth -= 1
                for o, v in zip(node.outputs, _flat_tensors(out)):
                    constants[id(o)] = v
                stats["folded"] += 1
            else:
                kept.append(node)
        nodes = kept

        # 2. merging duplicates: the same pure op on the same arguments, with no stateful
        #    step (a tape starting or stopping, an assignment) in between
        seen, kept = {}, []
        for node in nodes:
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

        # 4. the program: one line per node; each value is dropped after its last use
        names, namespace, kernels = {}, {}, {}
        for i, x in enumerate(graph.inputs):
            names[id(x)] = f"s{i}"
        counter = [len(graph.inputs)]

        def const(value):
            key = f"c{len(namespace)}"
            namespace[key] = value
            return key

        def render(x):
            if _is_symbol(x):
                x = real(x)
                if id(x) in names:
                    return names[id(x)]
                if id(x) in constants:
                    names[id(x)] = const(constants[id(x)])
                    return names[id(x)]
                raise RuntimeError(f"d2l.function: {x.name} is used before it is computed")
            t = type(x)
            if x is None or t is bool or t is int or t is str or (
                    t is float and math.isfinite(x)):
                return repr(x)
            if t is list:
                return "[" + ", ".join(render(v) for v in x) + "]"
            if t is tuple:
                return "(" + "".join(render(v) + ", " for v in x) + ")"
            if isinstance(x, tuple) and hasattr(x, "_fields"):    # a namedtuple (SparseTensor)
                return const(t) + "._make((" + "".join(render(v) + ", " for v in x) + "))"
            if t is dict and all(type(k) in (str, int) for k in x):
                return "{" + ", ".join(f"{k!r}: {render(v)}" for k, v in x.items()) + "}"
            if t is slice:
                return f"slice({render(x.start)}, {render(x.stop)}, {render(x.step)})"
            return const(x)

        def kernel(fn):
            key = kernels.get(id(fn))
            if key is None:
                base = getattr(fn, "__name__", "kernel").strip("_") or "kernel"
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

        lines = [f"def plan({', '.join(names[id(x)] for x in graph.inputs)}):"]
        for i, node in enumerate(nodes):
            call = kernel(node.fn) + "(" + ", ".join(
                [render(a) for a in node.args] +
                [f"{k}={render(v)}" for k, v in node.kwargs.items()]) + ")"
            targets = []
            for o in node.outputs:
                names[id(o)] = f"s{counter[0]}"
                counter[0] += 1
                targets.append(names[id(o)])
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
            lines.append(f"    {line}  # {node.type}")
            dead = [names[id(x)] for x in dict.fromkeys(map(real, node.inputs()))
                    if last_use.get(id(x)) == i and id(x) not in returned and id(x) in names
                    and names[id(x)].startswith("s")]
            dead += [t for o, t in zip(node.outputs, targets)
                     if id(o) not in last_use and id(o) not in returned]
            if dead:
                lines.append(f"    del {', '.join(dead)}")
        lines.append(f"    return {render(outputs)}")
        self.source = "\n".join(lines)
        code = compile(self.source + "\n", f"<d2l.function {graph.name}>", "exec")
        exec(code, namespace)      # noqa: S102  (our own generated program)
        self.run = namespace["plan"]


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
        key, names, values, tensors = self._key(args, kwargs)
        concrete = self._cache.get(key)
        if concrete is None:
            concrete = self._concrete_for(key, names, values)
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
