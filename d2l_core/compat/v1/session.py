"""Sessions: where a TensorFlow 1 graph runs (``tf.Session``, ``tf.InteractiveSession``).

A session owns the *values* of a graph's variables (each session its own)
and computes fetched tensors: ``sess.run(fetches, feed_dict)`` finds the ops
the fetches need, evaluates each once with d2l_core's eager ops, and returns
NumPy values in the shape of ``fetches`` (a tensor, an op, or nested
lists, tuples and dicts of them; an op gives None).

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, shape=[None, 2], name='x')
...     w = tf.Variable([[1.0], [2.0]], name='w')
...     y = tf.matmul(x, w)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         print(sess.run({'y': y, 'w': w}, feed_dict={x: [[1.0, 1.0]]}))
{'y': array([[3.]], dtype=float32), 'w': array([[1.],
       [2.]], dtype=float32)}
"""
import contextlib
import sys

import numpy as np

from ... import _logging, backend, nest
from ... import tensor as _eager_tensor
from ...autodiff import GradientTape
from ...errors import FailedPreconditionError, InvalidArgumentError
from .constants import missing_feed_error
from .graph import (Graph, Operation, Tensor, get_default_graph, set_session_lookup,
                    shape_list_str, shape_str, tf1_dtype_name)

EagerTensor = _eager_tensor.Tensor


# ============================================================== configuration

class _Proto:
    """A small stand-in for a protocol buffer message: known fields only, proto-style repr."""

    _FIELDS = {}

    def __init__(self, **kwargs):
        for field, default in self._FIELDS.items():
            object.__setattr__(self, field, default() if callable(default) else default)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __setattr__(self, key, value):
        if key not in self._FIELDS:
            raise ValueError(f'Protocol message {type(self).__name__} has no "{key}" field.')
        object.__setattr__(self, key, value)

    def __repr__(self):
        lines = []
        for field, default in self._FIELDS.items():
            value = getattr(self, field)
            if isinstance(value, _Proto):
                inner = repr(value)
                if inner:
                    lines.append(f"{field} {{\n" + "".join(f"  {x}\n" for x in inner.splitlines())
                                 + "}")
            elif value != (default() if callable(default) else default):
                text = str(value).lower() if isinstance(value, bool) else repr(value)
                lines.append(f"{field}: {text}")
        return "\n".join(lines)

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(self, f) == getattr(other, f) for f in self._FIELDS)

    __hash__ = None


class GPUOptions(_Proto):
    """GPU settings (``tf.GPUOptions``); accepted for compatibility, CuPy manages GPU memory."""

    _FIELDS = {"allow_growth": False, "per_process_gpu_memory_fraction": 0.0,
               "visible_device_list": "", "allocator_type": ""}


class GraphOptions(_Proto):
    """Graph optimisation settings (``tf.GraphOptions``); accepted for compatibility."""

    _FIELDS = {"place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
               "build_cost_model": 0}


class ConfigProto(_Proto):
    """Session configuration (``tf.ConfigProto``).

    ``allow_soft_placement``: run ops asked for a missing device (a GPU on a
    machine without one) on the CPU instead of failing. As in TensorFlow 1 it
    is False unless you set it. ``log_device_placement``: print where each
    op runs (to stderr, the first time the session runs it). The thread and
    GPU-memory fields are accepted and ignored.

    >>> import d2l_core.compat.v1 as tf
    >>> config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
    >>> config.allow_soft_placement
    True
    >>> print(config)
    allow_soft_placement: true
    log_device_placement: true
    >>> tf.ConfigProto(allow_soft_placment=True)
    Traceback (most recent call last):
    ...
    ValueError: Protocol message ConfigProto has no "allow_soft_placment" field.
    """

    _FIELDS = {"allow_soft_placement": False, "log_device_placement": False,
               "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
               "use_per_session_threads": False, "device_count": dict,
               "operation_timeout_in_ms": 0, "isolate_session_state": False,
               "gpu_options": GPUOptions, "graph_options": GraphOptions}


class RunOptions(_Proto):
    """Per-call options (``tf.RunOptions``); accepted and ignored."""

    _FIELDS = {"trace_level": 0, "timeout_in_ms": 0}
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3


class RunMetadata(_Proto):
    """Per-call metadata (``tf.RunMetadata``); left empty."""

    _FIELDS = {}


# ============================================================== the default session

_session_stack = []


def get_default_session():
    """The session ``Tensor.eval()`` and ``Operation.run()`` use (None when there is none).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     with tf.Session() as sess:
    ...         print(tf.get_default_session() is sess)
    True
    """
    return _session_stack[-1] if _session_stack else None


class _SessionContext:
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _session_stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        for i in range(len(_session_stack) - 1, -1, -1):
            if _session_stack[i] is self._session:
                del _session_stack[i]
                break
        return False


def session_for(element, session, what):
    """The session to run ``element`` in: ``session`` or the default, with TF's errors.

    Graph tensors' ``eval()`` and operations' ``run()`` call it through the
    hook this module registers with ``graph``.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.constant(2.0)
    ...     with tf.Session() as sess:
    ...         print(session_for(c, None, 'evaluate tensor') is sess)
    True
    """
    kind, call = ("tensor", "eval") if isinstance(element, Tensor) else ("operation", "run")
    if session is None:
        session = get_default_session()
        if session is None:
            raise ValueError(
                f"Cannot {what}: No default session is registered. Use `with sess.as_default()` "
                f"or pass an explicit session to `{call}(session=sess)`")
        if session.graph is not element.graph:
            raise ValueError(
                f"Cannot use the default session to {what.split(' using')[0]}: the {kind}'s graph "
                f"is different from the session's graph. Pass an explicit session to "
                f"`{call}(session=sess)`.")
    elif session.graph is not element.graph:
        raise ValueError(f"Cannot use the given session to {what.split(' using')[0]}: the "
                         f"{kind}'s graph is different from the session's graph.")
    return session


set_session_lookup(session_for)


# ============================================================== fetches and feeds

def convert_feed(t, value):
    """A fed value as an eager tensor of ``t``'s dtype, after TensorFlow's checks.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 2])
    ...     print(convert_feed(x, [[1, 2]]))
    tf.Tensor([[1. 2.]], shape=(1, 2), dtype=float32)
    """
    where = f"placeholder '{t.op.name}'" if t.op.type == "Placeholder" else f"tensor '{t.name}'"
    if isinstance(value, Tensor):
        raise TypeError(
            f"The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
            f"Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, the "
            f"tensor object was {value} which was passed to the feed with key {t}. (Run it first: "
            f"feed_dict={{{t.op.name}: sess.run(that_tensor)}}.)")
    if isinstance(value, EagerTensor):
        value = value.numpy()
    try:
        arr = np.asarray(value)
    except ValueError as e:
        raise ValueError(f"Cannot feed a ragged value to {where}: {e}; every row must have the "
                         "same length") from None
    target = t.dtype
    kind = arr.dtype.kind
    problem = None
    if target.name == "string":     # text feeds text: str (UTF-8) or bytes, as tf.constant takes
        converted = _eager_tensor.array_of(_eager_tensor.constant(value, dtype=target))
        problem = None if kind in "OUS" or not arr.size else "it holds numbers, not text"
    elif kind not in "biufc":
        problem = f"it holds {arr.dtype} data, not numbers"
    elif target.is_bool and kind != "b":
        problem = "only True/False values can feed a bool tensor"
    elif target.is_integer:
        if kind == "c" or (kind == "f" and arr.size and not np.all(np.isfinite(arr))):
            problem = "it cannot be converted to integers"
        elif kind == "f" and arr.size and not np.array_equal(np.trunc(arr), arr):
            problem = "its values have fractional parts that would be lost"
        elif arr.size and kind in "iuf":
            info = np.iinfo(target.np)
            if arr.min() < info.min or arr.max() > info.max:
                problem = f"its values do not fit in {target.name} ({info.min}..{info.max})"
    elif target.is_floating and kind == "c":
        problem = "complex values cannot feed a real tensor"
    if problem:
        raise TypeError(
            f"Cannot feed value of dtype {arr.dtype} to {where} of dtype "
            f"{tf1_dtype_name(target)}: {problem}. Convert it first, or make the placeholder "
            f"with a matching dtype.")
    if target.name != "string":
        with np.errstate(all="ignore"):
            converted = arr.astype(target.np)
    if not t.shape.is_compatible_with(converted.shape):
        raise ValueError(
            f"Cannot feed value of shape {tuple(converted.shape)} for Tensor '{t.name}', which "
            f"has shape '{shape_str(t.shape)}'. (Dimensions given as None/? may be anything; the "
            f"others must match. Reshape the value, e.g. value.reshape([-1, ...]).)")
    return _eager_tensor.wrap(converted)


# ============================================================== one call of run()

class _Plan:
    __slots__ = ("steps", "watch_vars", "watch_tensors", "needs_tape")

    def __init__(self, steps, watch):
        self.steps = steps
        self.watch_vars = {x for x in watch if getattr(x, "_is_variable", False)}
        self.watch_tensors = {x for x in watch if not getattr(x, "_is_variable", False)}
        self.needs_tape = bool(watch)


def _topological(targets, available):
    """The ops needed for ``targets`` in an order where inputs come first (a loop, no recursion).

    Tensors in ``available`` (fed, or computed already) need no op.
    """
    order, visited = [], set()
    stack = [(op, False) for op in reversed(targets)]
    while stack:
        op, expanded = stack.pop()
        if expanded:
            order.append(op)
            continue
        if op in visited:
            continue
        visited.add(op)
        stack.append((op, True))
        deps = [t.op for t in op._inputs if t not in available] + op._control_inputs
        for dep in reversed(deps):
            if dep not in visited:
                stack.append((dep, False))
    return order


class _Run:
    """The state of one ``Session.run``: computed values, and the tape when gradients are asked."""

    __slots__ = ("session", "memo", "tape", "watch_vars", "watch_tensors", "fed")

    def __init__(self, session, memo, plan, fed):
        self.session, self.memo, self.fed = session, memo, fed
        self.watch_vars, self.watch_tensors = plan.watch_vars, plan.watch_tensors
        self.tape = GradientTape(persistent=True, watch_accessed_variables=False) \
            if plan.needs_tape else None

    def gradient_source(self, x, values):
        """What a Gradients op differentiates against for ``x``: the session's eager Variable."""
        if getattr(x, "_is_variable", False) and x not in self.fed:
            return self.session._eager_variable(x)
        return values[id(x)]

    @contextlib.contextmanager
    def tape_paused(self):
        self.tape.__exit__(None, None, None)
        try:
            yield
        finally:
            self.tape.__enter__()

    def evaluate(self, tensors, memo=None):
        """Values of ``tensors`` computed on demand (branches of tf.cond, bodies of loops)."""
        memo = self.memo if memo is None else memo
        targets = [t.op for t in tensors if t not in memo]
        for op in _topological(targets, memo):
            self.session._run_op(self, op, self.session._resolve(op), memo)
        return [memo[t] for t in tensors]


# ============================================================== sessions

class Session:
    """A TensorFlow 1 session: runs a graph and holds its variables' values (``tf.Session``).

    ``Session(graph=None, config=None)`` runs ``graph`` (the default graph
    when None). Use it as a context manager: inside ``with tf.Session() as
    sess:`` it is the default session and its graph the default graph, and
    it is closed at the end. Each session has its own variable values.

    ``config`` is a ``tf.ConfigProto``. Without one, an op asked for a GPU
    the machine lacks runs on the CPU when the engine allows soft placement
    (``d2l.config.get_soft_device_placement()``, True unless you change it).

    >>> import d2l_core.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     v = tf.Variable(0.0)
    ...     inc = tf.assign_add(v, 1.0)
    >>> with tf.Session(graph=g) as s1, tf.Session(graph=g) as s2:
    ...     s1.run(v.initializer); s2.run(v.initializer)
    ...     _ = s1.run(inc); _ = s1.run(inc)
    ...     print(s1.run(v), s2.run(v))
    2.0 0.0
    >>> s1.run(v)
    Traceback (most recent call last):
    ...
    RuntimeError: Attempted to use a closed Session.
    """

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph).__name__}")
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError(f"config must be a tf.ConfigProto, but got {type(config).__name__}")
        self._graph = graph
        self._config = config
        self._target = target
        self._closed = False
        self._variables = {}      # graph Variable -> eager d2l_core Variable
        self._generators = {}     # random op -> NumPy generator
        self._optimizers = {}     # train op -> (eager optimizer, variables it updates)
        self._logged = set()
        self._plans = {}
        self._contexts = []
        if config is not None and config.log_device_placement:
            n = backend.gpu_count()
            mapping = "\n".join(f"/job:localhost/replica:0/task:0/device:GPU:{i} -> device: {i}"
                                for i in range(n)) or "no known devices."
            print(f"Device mapping: {mapping}", file=sys.stderr)

    # ------------------------------------------------------------ properties
    @property
    def graph(self):
        """The graph this session runs."""
        return self._graph

    @property
    def sess_str(self):
        return self._target

    def list_devices(self):
        """The devices this session can place ops on."""
        from ... import config
        return config.list_logical_devices()

    # ------------------------------------------------------------ contexts and closing
    def as_default(self):
        """A context manager making this the default session (for ``eval()`` and ``run()``)."""
        return _SessionContext(self)

    def __enter__(self):
        graph_ctx, session_ctx = self._graph.as_default(), self.as_default()
        graph_ctx.__enter__()
        session_ctx.__enter__()
        self._contexts.append((graph_ctx, session_ctx))
        return self

    def __exit__(self, *exc):
        if self._contexts:
            graph_ctx, session_ctx = self._contexts.pop()
            session_ctx.__exit__(*exc)
            graph_ctx.__exit__(*exc)
        self.close()
        return False

    def close(self):
        """Free the session's resources (its variable values); using it later is an error."""
        self._closed = True
        self._variables.clear()
        self._generators.clear()
        self._optimizers.clear()
        self._plans.clear()

    def _check_open(self):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    # ------------------------------------------------------------ running
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Compute ``fetches`` with ``feed_dict`` values for placeholders; NumPy results.

        ``fetches`` is a graph tensor, an operation, a variable, a tensor name
        ('y:0'), or a list, tuple or dict of them (nested). The result has
        the same structure: NumPy arrays (NumPy scalars for rank 0) for
        tensors, None for operations. ``feed_dict`` maps placeholders (or
        any tensor) to values, which are checked against their dtype and shape.

        Only the ops the fetches need run, each once per call: a random op
        fetched twice in one call gives the same numbers, and new ones the
        next call.
        """
        self._check_open()
        leaves = nest.flatten(fetches, sort_keys=False)    # a dict's fetches run in its order
        elements = [self._fetch_element(x) for x in leaves]
        feeds = self._feeds(feed_dict)
        memo = self._execute(elements, feeds)
        results = []
        for e in elements:
            if isinstance(e, Operation):
                results.append(None)
            else:
                results.append(memo[e].numpy())
        return nest.pack_sequence_as(fetches, results, sort_keys=False)

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function that runs ``fetches``, taking values for ``feed_list`` as arguments.

        >>> import d2l_core.compat.v1 as tf
        >>> with tf.Graph().as_default():
        ...     x = tf.placeholder(tf.float32)
        ...     double = tf.Session().make_callable(x * 2.0, [x])
        ...     print(double(21.0))
        42.0
        """
        feed_list = list(feed_list or [])

        def call(*values, **kwargs):
            if len(values) != len(feed_list):
                raise ValueError(f"expected {len(feed_list)} feed values, got {len(values)}")
            return self.run(fetches, dict(zip(feed_list, values)))
        return call

    def _fetch_element(self, fetch):
        try:
            return self._graph.as_graph_element(fetch)
        except TypeError:
            hint, kind = "", type(fetch).__name__
            if isinstance(fetch, EagerTensor):
                kind = "eager d2l_core Tensor"
                hint = (" It is an eager d2l_core tensor: it already has a value (call "
                        ".numpy()); sessions run graph tensors made with compat.v1 ops.")
            raise TypeError(
                f"Fetch argument {fetch!r:.80} has invalid type {type(fetch)}, must be a string or "
                f"Tensor. (Can not convert a {kind} into a Tensor or Operation.){hint}") from None
        except ValueError as e:
            raise ValueError(
                f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({e}) It belongs to "
                "another tf.Graph: run it in a session made for that graph, "
                "tf.Session(graph=t.graph), or build it in this session's graph.") from None
        except KeyError as e:
            raise ValueError(f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. "
                             f"({e.args[0]})") from None

    def _feeds(self, feed_dict):
        if not feed_dict:
            return {}
        if not isinstance(feed_dict, dict):
            raise TypeError(f"feed_dict must be a dict mapping placeholders to values, got "
                            f"{type(feed_dict).__name__}")
        feeds = {}
        for key, value in feed_dict.items():
            try:
                t = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, ValueError, KeyError) as e:
                reason = e.args[0] if e.args else e
                if isinstance(key, EagerTensor):
                    reason = ("it is an eager d2l_core tensor, which already has a value; feed "
                              "placeholders made with tf.placeholder")
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {reason}") from None
            feeds[t] = convert_feed(t, value)
        return feeds

    def _plan(self, targets, fed):
        key = (targets, fed)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        order = [op for op in _topological(list(targets), fed)
                 if not (op.type == "Placeholder" and op._outputs[0] in fed)]
        for op in order:
            if op.type == "Placeholder":
                raise missing_feed_error(op._outputs[0])
        steps = [(op, self._resolve(op)) for op in order]
        watch = [x for op in order for x in op._watch]
        plan = _Plan(steps, watch)
        if len(self._plans) > 512:
            self._plans.clear()
        self._plans[key] = plan
        return plan

    def _execute(self, elements, feeds):
        targets = []
        for e in elements:
            op = e if isinstance(e, Operation) else (None if e in feeds else e.op)
            if op is not None and op not in targets:
                targets.append(op)
        fed = frozenset(feeds)
        plan = self._plan(tuple(targets), fed)
        memo = dict(feeds)
        run = _Run(self, memo, plan, fed)
        saved_log = backend.placement.log_device_placement
        backend.placement.log_device_placement = False   # the session logs, not each eager op
        try:
            if run.tape is not None:
                run.tape.__enter__()
                for t in run.watch_tensors:
                    if t in memo:
                        run.tape.watch(memo[t])
            for op, dev in plan.steps:
                self._run_op(run, op, dev, memo)
        finally:
            backend.placement.log_device_placement = saved_log
            if run.tape is not None and run.tape._recording:
                run.tape.__exit__(None, None, None)
        return memo

    def _run_op(self, run, op, dev, memo):
        inputs = [memo[t] for t in op._inputs]
        try:
            if dev is None:
                outs = op._kernel(run, op, inputs)
            else:
                with backend.device(dev):
                    outs = op._kernel(run, op, inputs)
        except Exception as e:
            if not getattr(e, "_d2l_node", None):
                e._d2l_node = op.name
                where = f", defined at {op._defined_at}" if op._defined_at else ""
                e.add_note(f"(while running the graph node '{op.name}' of type {op.type}{where})")
            raise
        if self._config is not None and self._config.log_device_placement \
                and op not in self._logged:
            self._logged.add(op)
            shown = dev or (backend.device_of(_eager_tensor.array_of(outs[0])) if outs else backend.CPU)
            print(f"{op.name}: ({op.type}): {shown.name}", file=sys.stderr)
        if outs:
            for t, value in zip(op._outputs, outs):
                if t not in run.fed:
                    memo[t] = value
                    if run.tape is not None and t in run.watch_tensors:
                        run.tape.watch(value)

    # ------------------------------------------------------------ devices
    def _soft_placement(self):
        if self._config is not None:
            return bool(self._config.allow_soft_placement)
        return backend.placement.allow_soft_placement

    def _gpus(self):
        """How many GPUs this session may use (ConfigProto(device_count={'GPU': 0}) hides them)."""
        n = backend.visible_gpu_count()
        if self._config is not None and "GPU" in self._config.device_count:
            n = min(n, int(self._config.device_count["GPU"]))
        return n

    def _resolve(self, op):
        spec = op.device
        if not spec:
            # The default device (GPU:0 when visible), unless device_count hides the GPUs.
            return backend.CPU if self._gpus() == 0 and backend.visible_gpu_count() > 0 else None
        dev = backend.Device.parse(spec)
        n = self._gpus()
        if dev.kind == "GPU" and dev.index >= n:
            if self._soft_placement():
                return backend.CPU
            why = ("no GPU is available (CuPy is not installed)" if not backend.cupy_installed()
                   else "no GPU is available (no CUDA GPU is visible)" if backend.gpu_count() == 0
                   else "the session's ConfigProto(device_count=...) hides the GPUs" if n == 0
                   else f"only {n} GPU(s) exist")
            raise InvalidArgumentError(
                f"Cannot assign a device for operation {op.name}: Could not satisfy explicit "
                f"device specification '{spec}' because {why}. Available devices: "
                f"/job:localhost/replica:0/task:0/device:CPU:0"
                + "".join(f", /job:localhost/replica:0/task:0/device:GPU:{i}" for i in range(n))
                + ". Create the session with tf.ConfigProto(allow_soft_placement=True) to run "
                "such ops on the CPU instead, or remove the tf.device(...) block.", op=op.name)
        return dev

    # ------------------------------------------------------------ state the kernels use
    convert_feed = staticmethod(convert_feed)     # Variable.load checks values as feeds are

    def _generator(self, op):
        gen = self._generators.get(op)
        if gen is None:
            g, s = op._attrs.get("seed"), op._attrs.get("seed2")
            gen = np.random.default_rng([g, s]) if g is not None else np.random.default_rng()
            self._generators[op] = gen
        return gen

    def _eager_variable(self, var):
        eager = self._variables.get(var)
        if eager is None:
            name = var.op.name
            raise FailedPreconditionError(
                f"Attempting to use uninitialized value {name}\n\t [[node {name}]]\n"
                f"A variable gets its value in a session only when its initializer runs: "
                f"sess.run(tf.global_variables_initializer()) after creating all variables, or "
                f"sess.run({name}.initializer).", op=name)
        return eager

    def _assign(self, var, value, mode="assign", initializer=False):
        """Set (or add to, subtract from) ``var``'s value in this session; returns the new value."""
        eager = self._variables.get(var)
        if value.dtype is not var.dtype:
            raise InvalidArgumentError(
                f"{mode}: value has dtype {value.dtype.name} but variable '{var.op.name}' has "
                f"dtype {var.dtype.name}; cast it first with tf.cast", op=var.op.name)
        if mode == "assign":
            shape = value.shape
            if var._validate_shape and not var.shape.is_compatible_with(shape):
                raise InvalidArgumentError(
                    f"Assign requires shapes of both tensors to match. lhs shape= "
                    f"{shape_list_str(var.shape)} rhs shape= {shape_list_str(shape)} (variable "
                    f"'{var.op.name}')", op=var.op.name)
            if eager is None or eager.shape != value.shape:
                eager = _eager_tensor.Variable(value, trainable=var.trainable, name=var.op.name)
                self._variables[var] = eager
            else:
                eager.assign(value)
            if initializer:
                self._forget_optimizer_state(var)
        else:
            if eager is None:
                self._eager_variable(var)
            if eager.shape != value.shape:
                raise InvalidArgumentError(
                    f"{mode}: cannot add a value of shape {tuple(value.shape)} to variable "
                    f"'{var.op.name}' of shape {tuple(eager.shape)}", op=var.op.name)
            (eager.assign_add if mode == "assign_add" else eager.assign_sub)(value)
        return eager.value()

    def _forget_optimizer_state(self, var):
        for op, (_, variables) in list(self._optimizers.items()):
            if var in variables:
                del self._optimizers[op]


class InteractiveSession(Session):
    """A session that makes itself the default on creation, for notebooks and shells.

    ``t.eval()`` and ``op.run()`` then work without a ``with`` block. Close it
    with ``close()`` when done.

    >>> import d2l_core.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     a = tf.placeholder(tf.float32, name='variable_a')
    ...     c = tf.add(a, 4.0, name='variable_c')
    >>> sess = tf.InteractiveSession(graph=g)
    >>> c.eval(feed_dict={a: 2.0})
    np.float32(6.0)
    >>> sess.close()
    """

    _active = 0

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        if InteractiveSession._active:
            _logging.warning(
                "An interactive session is already active. This can cause out-of-memory errors "
                "in some cases. You must explicitly call `InteractiveSession.close()` to release "
                "resources held by the other session(s).")
        InteractiveSession._active += 1
        self._default_session = self.as_default()
        self._default_session.__enter__()
        self._default_graph = self._graph.as_default()
        self._default_graph.__enter__()
        self._explicitly_closed = False

    def close(self):
        """Close the session and stop it being the default."""
        super().close()
        if not self._explicitly_closed:
            self._explicitly_closed = True
            InteractiveSession._active -= 1
            self._default_graph.__exit__(None, None, None)
            self._default_session.__exit__(None, None, None)
