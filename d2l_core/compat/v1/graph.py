"""Graphs: TensorFlow 1's ``tf.Graph``, ``tf.Operation`` and symbolic ``tf.Tensor``.

In TensorFlow 1 a program first *describes* a computation as a graph and
then *runs* it in a ``Session``. A node of the graph is an ``Operation``
(``op``): it names a d2l_core op and the graph tensors it takes. A graph
``Tensor`` is an op's output: it has a name, a dtype and a (possibly partly
unknown) static shape, but no value until a session computes one.

>>> import d2l_core.compat.v1 as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     a = tf.constant(2.0, name='a')
...     b = a * 3.0
>>> b
<tf.Tensor 'mul:0' shape=() dtype=float32>
>>> [op.name for op in g.get_operations()]
['a', 'mul']
>>> with tf.Session(graph=g) as sess:
...     print(sess.run(b))
6.0
"""
import contextlib
import re

from ... import _logging, backend
from ...tensor_shape import TensorShape

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")

# TensorFlow 1 spells a few dtypes differently in its messages.
_TF1_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def tf1_dtype_name(dtype):
    """The dtype as TensorFlow 1's error messages spell it ('float', 'double', 'int32')."""
    return _TF1_DTYPE_NAMES.get(dtype.name, dtype.name)


def shape_str(shape):
    """A static shape as TensorFlow 1 prints it: ``(?, 2)``, ``()``, ``<unknown>``."""
    shape = TensorShape(shape)
    if shape.rank is None:
        return "<unknown>"
    dims = ["?" if d is None else str(d) for d in shape]
    return "(" + dims[0] + ",)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def shape_list_str(shape):
    """A static shape as TensorFlow 1 writes it in op errors: ``[?,2]``."""
    shape = TensorShape(shape)
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _defined_at():
    """'file:line' of the first caller outside d2l_core (TensorFlow's 'defined at')."""
    frame, _ = _logging.outside_caller()
    return None if frame is None else f"{frame.f_code.co_filename}:{frame.f_lineno}"


class GraphKeys:
    """Names of the collections TensorFlow maintains itself (``tf.GraphKeys``).

    >>> import d2l_core.compat.v1 as tf
    >>> tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES
    ('variables', 'trainable_variables')
    """

    GLOBAL_VARIABLES = "variables"
    VARIABLES = GLOBAL_VARIABLES          # the old name
    LOCAL_VARIABLES = "local_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    TRAIN_OP = "train_op"
    GLOBAL_STEP = "global_step"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    SUMMARY_OP = "summary_op"


class _V1Shape(TensorShape):
    """A TensorShape that prints as TensorFlow 1 does: unknown dimensions as '?'."""

    __slots__ = ()

    def __str__(self):
        return shape_str(self)


# ============================================================== symbolic tensors

class Tensor:
    """A symbolic tensor: output ``value_index`` of the operation ``op`` (TF1's ``tf.Tensor``).

    It has a ``name`` ('op_name:index'), a ``dtype`` and a static ``shape``
    whose unknown dimensions are None, but no value: ``Session.run`` (or
    ``.eval()``) computes one. Operators (``+ - * / @ ** < <= > >=``, unary
    ``-``, indexing) add nodes to the graph. ``==`` compares identity, as in
    TensorFlow 1; use ``tf.equal`` for elementwise equality.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, shape=[None, 2], name='x')
    ...     y = tf.reduce_sum(x * 2.0, axis=1)
    ...     print(x, y.shape)
    ...     with tf.Session() as sess:
    ...         print(y.eval(feed_dict={x: [[1.0, 2.0]]}))
    Tensor("x:0", shape=(?, 2), dtype=float32) (?,)
    [6.]
    """

    __array_priority__ = 200
    __array_ufunc__ = None        # NumPy operators defer to ours: ndarray * tensor builds a node

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = TensorShape(shape)

    # ------------------------------------------------------------ attributes
    @property
    def op(self):
        """The Operation that produces this tensor."""
        return self._op

    @property
    def value_index(self):
        return self._value_index

    @property
    def graph(self):
        """The Graph this tensor belongs to."""
        return self._op.graph

    @property
    def name(self):
        """'op_name:output_index', e.g. 'variable_a:0'."""
        return f"{self._op.name}:{self._value_index}"

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        """The static shape (a TensorShape; unknown dimensions are None, printed '?')."""
        return _V1Shape(self._shape)

    @property
    def device(self):
        """The device requested for the producing op ('' when none was)."""
        return self._op.device

    def get_shape(self):
        """Same as ``.shape``."""
        return _V1Shape(self._shape)

    def set_shape(self, shape):
        """Make the static shape more specific; a ValueError if it contradicts what is known.

        >>> import d2l_core.compat.v1 as tf
        >>> with tf.Graph().as_default():
        ...     x = tf.placeholder(tf.float32)
        ...     x.set_shape([None, 3])
        ...     print(x.shape)
        (?, 3)
        """
        new = TensorShape(shape)
        if not self._shape.is_compatible_with(new):
            raise ValueError(f"set_shape: shape {shape_str(new)} is not compatible with the "
                             f"shape {shape_str(self._shape)} already known for {self.name}")
        self._shape = self._shape.merge_with(new)

    def consumers(self):
        """The operations that take this tensor as an input."""
        return [op for op in self.graph._ops if any(t is self for t in op.inputs)]

    def _as_graph_element(self):
        return self

    def eval(self, feed_dict=None, session=None):
        """This tensor's value, computed by ``session`` or the default session.

        Same as ``session.run(tensor, feed_dict)``.
        """
        return session_for(self, session, "evaluate tensor using `eval()`").run(self, feed_dict)

    # ------------------------------------------------------------ Python protocols
    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={shape_str(self._shape)} dtype={self._dtype.name}>"

    def __str__(self):
        # TensorFlow leaves the shape out when not even the rank is known
        shape = "" if self._shape.rank is None else f", shape={shape_str(self._shape)}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype.name})'

    __hash__ = object.__hash__

    def __bool__(self):
        raise TypeError(
            "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` instead "
            "of `if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to "
            "execute subgraphs conditioned on the value of a tensor. (A graph tensor has no value "
            "until a Session runs it.)")

    def __len__(self):
        raise TypeError(
            f"len is not well defined for symbolic Tensors. ({self.name} has shape "
            f"{shape_str(self._shape)}) Please call `x.shape` rather than `len(x)` for shape "
            "information.")

    def __iter__(self):
        raise TypeError(
            "Tensor objects are only iterable when eager execution is enabled. To iterate over "
            "this tensor use tf.unstack(t) (its first dimension must be known), or run it in a "
            "Session and iterate over the NumPy array you get back.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            f"Cannot convert a symbolic Tensor ({self.name}) to a numpy array: it has no value "
            "until a Session runs it. Use sess.run(t) (or t.eval()) to get its value as NumPy.")

    def __index__(self):
        raise TypeError(f"A symbolic Tensor ({self.name}) cannot be used as a Python int; "
                        "run it in a Session first")

    def __reduce__(self):
        raise TypeError("Graph tensors cannot be pickled or deep-copied; "
                        "run them in a Session and save the NumPy values instead")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # Operators (+, *, @, <, [], ...) are installed by d2l_core.compat.v1.operators.


# ============================================================== operations

class Operation:
    """A node of the graph: a d2l_core op with its input tensors (TF1's ``tf.Operation``).

    ``inputs`` are the graph tensors it reads, ``outputs`` the tensors it
    makes, ``control_inputs`` the operations that must run before it.
    ``run()`` runs it in the default session.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.matmul(tf.ones([2, 3]), tf.ones([3, 1]))
    ...     print(repr(c.op), c.op.type, [t.name for t in c.op.inputs])
    <tf.Operation 'MatMul' type=MatMul> MatMul ['ones:0', 'ones_1:0']
    """

    def __init__(self, graph, op_type, name, inputs, kernel, refs=(), attrs=None,
                 control_inputs=(), device=""):
        self._graph = graph
        self._type = op_type
        self._name = name
        self._inputs = tuple(inputs)           # the tensors the session evaluates first
        self._refs = tuple(refs)               # variables written or read by reference
        self._kernel = kernel                  # kernel(run, op, input_values) -> output values
        self._attrs = dict(attrs or {})
        self._control_inputs = list(control_inputs)
        self._device = device
        self._outputs = []
        self._watch = ()                       # tensors a Gradients op differentiates against
        self._lazy = ()                        # tensors its kernel evaluates on demand (tf.cond)
        self._id = len(graph._ops)
        self._defined_at = _defined_at()

    # ------------------------------------------------------------ attributes
    @property
    def name(self):
        return self._name

    @property
    def type(self):
        """The op type, e.g. 'MatMul', 'Placeholder', 'VariableV2'."""
        return self._type

    @property
    def graph(self):
        return self._graph

    @property
    def inputs(self):
        """The input tensors (for an assignment, the variable first)."""
        return tuple(self._refs) + self._inputs

    @property
    def outputs(self):
        return list(self._outputs)

    @property
    def control_inputs(self):
        return list(self._control_inputs)

    @property
    def device(self):
        """The device requested with ``tf.device(...)`` when the op was made ('' for none)."""
        return self._device

    def values(self):
        """The outputs as a tuple."""
        return tuple(self._outputs)

    def get_attr(self, name):
        """An attribute of the op (e.g. 'dtype', 'shape', 'seed')."""
        try:
            return self._attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None

    def _add_control_input(self, op):
        self._control_inputs.append(op)

    def _as_graph_element(self):
        return self

    def run(self, feed_dict=None, session=None):
        """Run this operation in ``session`` or the default session (returns None)."""
        session_for(self, session, "execute operation using `run()`").run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self):
        lines = [f'name: "{self._name}"', f'op: "{self._type}"']
        lines += [f'input: "{t.op.name if t.value_index == 0 else t.name}"' for t in self.inputs]
        lines += [f'input: "^{op.name}"' for op in self._control_inputs]
        if self._device:
            lines.append(f'device: "{self._device}"')
        return "\n".join(lines)

    __hash__ = object.__hash__


# ============================================================== graphs

class Graph:
    """A TensorFlow 1 computation graph (``tf.Graph``).

    Ops are added to the *default graph*; ``with g.as_default():`` makes
    ``g`` the default inside the block. Graphs are isolated: tensors and
    variables of one cannot be used in another.

    >>> import d2l_core.compat.v1 as tf
    >>> g1, g2 = tf.Graph(), tf.Graph()
    >>> with g1.as_default():
    ...     v = tf.get_variable('v', shape=[1], initializer=tf.zeros_initializer())
    >>> with g2.as_default():
    ...     v = tf.get_variable('v', shape=[1], initializer=tf.ones_initializer())
    >>> with tf.Session(graph=g2) as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(v), v.graph is g2)
    [1.] True
    """

    def __init__(self):
        self._ops = []
        self._ops_by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._device_stack = []
        self._control_stack = []
        self._collections = {}
        self._finalized = False
        self._seed = None
        self._var_store = {}            # get_variable's variables, by full name
        self._var_scope_stack = []      # VariableScope objects
        self._var_scope_counts = {}
        self._version = 0

    # ------------------------------------------------------------ default graph
    def as_default(self):
        """A context manager that makes this graph the default graph (nestable)."""
        return _GraphContext(self)

    @property
    def seed(self):
        """The graph-level random seed (``tf.set_random_seed`` sets it)."""
        return self._seed

    @seed.setter
    def seed(self, value):
        self._seed = None if value is None else int(value)

    @property
    def version(self):
        """Grows by one with every op added."""
        return self._version

    @property
    def finalized(self):
        return self._finalized

    def finalize(self):
        """Make the graph read-only: adding an op afterwards raises RuntimeError."""
        self._finalized = True

    @property
    def building_function(self):
        return False

    @property
    def _last_id(self):
        return len(self._ops)

    # ------------------------------------------------------------ lookup
    def get_operations(self):
        """Every operation, in the order they were added."""
        return list(self._ops)

    def get_operation_by_name(self, name):
        """The operation called ``name`` (KeyError if there is none)."""
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        """The tensor called ``name``, e.g. 'variable_a:0' (KeyError if there is none).

        >>> import d2l_core.compat.v1 as tf
        >>> g = tf.Graph()
        >>> with g.as_default():
        ...     a = tf.placeholder(tf.float32, name='variable_a')
        >>> g.get_tensor_by_name('variable_a:0') is a
        True
        """
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """The Tensor or Operation that ``obj`` (an element or a name) refers to in this graph."""
        if isinstance(obj, str):
            if ":" in obj:
                if not allow_tensor:
                    raise ValueError(f"Name '{obj}' appears to refer to a Tensor, not an Operation.")
                op_name, _, index = obj.rpartition(":")
                op = self._ops_by_name.get(op_name)
                if op is None:
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. The "
                                   f"operation, '{op_name}', does not exist in the graph.")
                try:
                    return op._outputs[int(index)]
                except (ValueError, IndexError):
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist. The "
                                   f"operation, '{op_name}', exists but only has "
                                   f"{len(op._outputs)} outputs.") from None
            op = self._ops_by_name.get(obj)
            if op is None:
                raise KeyError(f"The name '{obj}' refers to an Operation not in the graph.")
            if not allow_operation:
                raise ValueError(f"The name '{obj}' looks like an (invalid) Operation name, not a "
                                 f"Tensor. Tensor names must be of the form "
                                 f"\"<op_name>:<output_index>\", e.g. '{obj}:0'.")
            return op
        element = getattr(obj, "_as_graph_element", None)
        if element is not None:
            element = element()
            if isinstance(element, Tensor) and allow_tensor:
                if element.graph is not self:
                    raise ValueError(f"Tensor {element} is not an element of this graph.")
                return element
            if isinstance(element, Operation) and allow_operation:
                if element.graph is not self:
                    raise ValueError(f"Operation {element!r} is not an element of this graph.")
                return element
        kinds = " or ".join(k for k, ok in (("Tensor", allow_tensor), ("Operation", allow_operation))
                            if ok)
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    # ------------------------------------------------------------ names
    def get_name_scope(self):
        """The current name scope, e.g. 'layer1/dense' ('' at the top)."""
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """``name``, or ``name_1``, ``name_2``, ... if it is taken (names are case-insensitive)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        return self._unique(name, mark_as_used)

    def _unique(self, name, mark_as_used=True):
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """A context manager that prefixes the names of new ops with ``name/``.

        Yields the full scope ('outer/name/'). Reusing a name makes a new scope
        ('name_1/'); a name ending in '/' re-enters that exact scope; None or
        '' goes back to the top level.

        >>> import d2l_core.compat.v1 as tf
        >>> g = tf.Graph()
        >>> with g.as_default(), g.name_scope('layer1') as scope:
        ...     c = tf.constant(1.0, name='c')
        >>> scope, c.name
        ('layer1/', 'layer1/c:0')
        """
        old = self._name_stack
        if not name:
            new, scope = "", ""
        elif name.endswith("/"):
            if not _VALID_SCOPE_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid scope name: use letters, digits and "
                                 "'_.-/' only")
            new, scope = name[:-1], name
        else:
            if not (_VALID_SCOPE_NAME.match(name) if old else _VALID_OP_NAME.match(name)):
                raise ValueError(f"'{name}' is not a valid scope name: use letters, digits and "
                                 "'_.-/' only (and start with a letter or digit)")
            new = self.unique_name(name)
            scope = new + "/"
        self._name_stack = new
        try:
            yield scope
        finally:
            self._name_stack = old

    # ------------------------------------------------------------ devices and dependencies
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """A context manager placing the ops made inside it on a device (``'/gpu:0'``, ``'/cpu:0'``).

        The request is checked when a session runs the ops: without a GPU they
        run on the CPU if the session allows soft placement, and fail
        otherwise. None clears an outer request.

        >>> import d2l_core.compat.v1 as tf
        >>> g = tf.Graph()
        >>> with g.as_default(), g.device('/cpu:0'):
        ...     c = tf.constant(1.0)
        >>> c.device
        '/device:CPU:0'
        """
        spec = device_name_or_function
        if spec is not None and not callable(spec):
            spec = canonical_device(spec)
        self._device_stack.append(spec)
        try:
            yield
        finally:
            self._device_stack.pop()

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops made inside run only after ``control_inputs`` (ops or tensors); None clears."""
        if control_inputs is None:
            saved, self._control_stack = self._control_stack, []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = []
        for c in control_inputs:
            element = self.as_graph_element(c)
            ops.append(element.op if isinstance(element, Tensor) else element)
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        """Accepted for compatibility; d2l_core places each op by itself."""
        yield

    # ------------------------------------------------------------ collections
    def add_to_collection(self, name, value):
        """Append ``value`` to the collection ``name`` (created when missing)."""
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        """Add ``value`` to each collection in ``names`` (a name or a list of names)."""
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection(self, name, scope=None):
        """A copy of the collection ``name``; with ``scope``, only items whose name starts so.

        >>> import d2l_core.compat.v1 as tf
        >>> g = tf.Graph()
        >>> g.add_to_collection('losses', 1.5)
        >>> g.get_collection('losses'), g.get_collection('missing')
        ([1.5], [])
        """
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        pattern = re.compile(scope)
        return [x for x in items if hasattr(x, "name") and pattern.match(x.name)]

    def get_collection_ref(self, name):
        """The collection ``name`` itself (a list you may change)."""
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self):
        """The names of the collections that exist."""
        return [k for k in self._collections]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    # ------------------------------------------------------------ adding ops
    def _create_op(self, op_type, name, inputs, kernel, outputs=(), refs=(), attrs=None,
                   absolute_name=False):
        """Add an op; ``outputs`` is a list of (dtype, shape). Returns the Operation."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        name = name or op_type
        if not absolute_name:
            if not (_VALID_SCOPE_NAME.match(name) if self._name_stack else _VALID_OP_NAME.match(name)):
                raise ValueError(f"'{name}' is not a valid node name: use letters, digits and "
                                 "'_.-/' only (and start with a letter or digit)")
            name = self.unique_name(name)
        elif name in self._ops_by_name:
            name = self._unique(name)
        else:
            self._names_in_use.setdefault(name.lower(), 1)
        for t in list(inputs) + list(refs):
            if t.graph is not self:
                raise ValueError(f"Tensor {t} must be from the same graph as the op "
                                 f"'{name}' being added to it.")
        control = []
        for frame in self._control_stack:
            for c in frame:
                if c not in control:
                    control.append(c)
        spec = ""
        for d in reversed(self._device_stack):
            if d is None:
                break
            if d:
                spec = d
                break
        op = Operation(self, op_type, name, inputs, kernel, refs=refs, attrs=attrs,
                       control_inputs=control, device=spec if not callable(spec) else "")
        if callable(spec):
            op._device = canonical_device(spec(op) or "")
        op._outputs = [Tensor(op, i, dtype, shape) for i, (dtype, shape) in enumerate(outputs)]
        self._ops.append(op)
        self._ops_by_name[name] = op
        self._version += 1
        return op

    def __repr__(self):
        return f"<tf.Graph object at {id(self):#x}>"


def canonical_device(spec):
    """A device string in TensorFlow's canonical form: '/gpu:0' -> '/device:GPU:0'."""
    if spec is None or spec == "":
        return ""
    text = str(spec)
    try:
        dev = backend.Device.parse(text)
    except ValueError:
        if re.match(r"^(/job:[^/]+)?(/replica:\d+)?(/task:\d+)?$", text):
            return ""          # a job/task without a device type: any device will do
        raise ValueError(f"device: cannot parse device name {text!r}; use a TensorFlow spelling "
                         "such as '/cpu:0', '/gpu:0' or '/device:GPU:0'") from None
    return f"/device:{dev.kind}:{dev.index}"


# ============================================================== the default session hook

class _SessionLookup:
    find = None          # session.py sets it: graphs sit below sessions and never import them


def set_session_lookup(find):
    """Register ``find(element, session, what)``, the session ``eval()`` and ``run()`` use.

    The session module registers itself on import, so a graph needs no
    import of the session module.

    >>> import d2l_core.compat.v1 as tf
    >>> tf.graph._SessionLookup.find is tf.session.session_for
    True
    """
    _SessionLookup.find = find


def session_for(element, session, what):
    """The session to run ``element`` in: ``session``, or the default one, checked.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.constant(1.0)
    ...     with tf.Session() as sess:
    ...         print(session_for(c, None, 'evaluate') is sess)
    True
    """
    if _SessionLookup.find is None:
        raise RuntimeError("no session module is loaded: import d2l_core.compat.v1")
    return _SessionLookup.find(element, session, what)


# ============================================================== the default graph

class _GraphStack:
    default = None        # the global default graph, made on first use
    stack = []            # graphs made default with as_default(), innermost last


_graph_stack = _GraphStack()


class _GraphContext:
    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        _graph_stack.stack.append(self)
        return self._graph

    def __exit__(self, *exc):
        # Remove this entry even when an InteractiveSession entered out of order.
        for i in range(len(_graph_stack.stack) - 1, -1, -1):
            if _graph_stack.stack[i] is self:
                del _graph_stack.stack[i]
                break
        return False


def get_default_graph():
    """The graph new ops go into: the innermost ``as_default()`` graph, else the global one.

    >>> import d2l_core.compat.v1 as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     print(tf.get_default_graph() is g)
    True
    """
    if _graph_stack.stack:
        return _graph_stack.stack[-1]._graph
    if _graph_stack.default is None:
        _graph_stack.default = Graph()
    return _graph_stack.default


def reset_default_graph():
    """Replace the global default graph with a new, empty one (``tf.reset_default_graph``).

    Not allowed inside a ``with graph.as_default():`` block, a ``with
    tf.Session():`` block or while an InteractiveSession is open.

    >>> import d2l_core.compat.v1 as tf
    >>> tf.reset_default_graph()
    >>> tf.get_default_graph().get_operations()
    []
    """
    if _graph_stack.stack:
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
            "graph, exit the nesting and create a new graph. (Close any InteractiveSession and "
            "leave `with graph.as_default():` / `with tf.Session():` blocks first.)")
    _graph_stack.default = Graph()


def graph_of(tensors, default=None):
    """The graph shared by ``tensors``; a ValueError naming two that come from different graphs."""
    graph, first = None, None
    for t in tensors:
        if graph is None:
            graph, first = t.graph, t
        elif t.graph is not graph:
            raise ValueError(
                f"{t} must be from the same graph as {first}. Tensors from different tf.Graph "
                "objects cannot be combined; build them inside one `with graph.as_default():` "
                "block.")
    if graph is None:
        graph = default or get_default_graph()
    return graph
