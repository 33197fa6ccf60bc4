"""TensorFlow 1 variables: ``tf.Variable``, ``get_variable``, ``variable_scope``, initializers.

A graph variable is a node whose value lives in each ``Session``: creating
it only records how to initialise it (its ``initializer`` op). A session
gives it a value when that op runs, usually through
``tf.global_variables_initializer()``; reading it before then is a
``FailedPreconditionError`` that names it.

``get_variable`` creates or shares variables by name inside
``variable_scope`` blocks, with TensorFlow's rules: a second
``get_variable('v')`` is an error unless the scope allows reuse, and reuse
of a variable that does not exist is an error too.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     with tf.variable_scope('layer'):
...         w = tf.get_variable('w', shape=[2], initializer=tf.ones_initializer())
...     with tf.variable_scope('layer', reuse=True):
...         same = tf.get_variable('w')
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         print(w.name, same is w, sess.run(same))
layer/w:0 True [1. 1.]
"""
import contextlib
import math

import numpy as np

from ... import dtypes
from ... import tensor as _eager_tensor
from ...ops import array as _array
from ...ops import random as _random
from ...tensor_shape import TensorShape
from .constants import constant as _constant
from .constants import convert_to_tensor
from .graph import GraphKeys, Tensor, get_default_graph, graph_of, session_for, shape_str
from .graph_ops import graph_op, graph_tensors
from .scopes import group, no_op

_zeros = graph_op(_array.zeros, "zeros")
_ones = graph_op(_array.ones, "ones")
_random_normal = graph_op(_random.normal, "random_normal")
_truncated_normal = graph_op(_random.truncated_normal, "truncated_normal")
_random_uniform = graph_op(_random.uniform, "random_uniform")
_identity = graph_op(_array.identity, "identity")


# ============================================================== kernels

def _read_kernel(run, op, inputs):
    var = op._outputs[0]
    eager = run.session._eager_variable(var)
    if run.tape is not None and var in run.watch_vars:
        run.tape.watch(eager)
    return [eager.value()]


def _assign_kernel(mode, initializer=False):
    def kernel(run, op, inputs):
        return [run.session._assign(op._refs[0], inputs[0], mode, initializer)]
    return kernel


def _initialized_kernel(run, op, inputs):
    return [_eager_tensor.constant(op._refs[0] in run.session._variables)]


# ============================================================== Variable

class Variable(Tensor):
    """A TensorFlow 1 variable (``tf.Variable``): a graph node whose value each Session keeps.

    ``initial_value`` (a value, a graph tensor, or a function returning one)
    is computed when the variable's ``initializer`` op runs; a random initial
    value is drawn then. Trainable variables (the default) go in the
    TRAINABLE_VARIABLES collection, every variable in GLOBAL_VARIABLES.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, seed=1), name='w1')
    ...     print(w1)
    ...     with tf.Session() as sess:
    ...         sess.run(w1.initializer)
    ...         print(sess.run(w1).shape, sess.run(w1.assign(tf.zeros([2, 3])))[0])
    <tf.Variable 'w1:0' shape=(2, 3) dtype=float32_ref>
    (2, 3) [0. 0. 0.]
    """

    _is_variable = True

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 expected_shape=None, import_scope=None, constraint=None, use_resource=None,
                 synchronization=None, aggregation=None, shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        dtype = None if dtype is None else dtypes.as_dtype(dtype)
        graph = get_default_graph()
        with graph.name_scope(name or "Variable") as scope:
            if callable(initial_value) and not isinstance(initial_value, Tensor):
                with graph.name_scope("Initializer"):
                    initial_value = initial_value()
            init = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
            if init.graph is not graph:
                raise ValueError(f"initial_value {init} comes from a different graph than the "
                                 "default graph the variable is created in")
            self._setup(graph, scope[:-1], init, trainable, collections, validate_shape, shape)

    @classmethod
    def _create(cls, graph, full_name, init, trainable, collections, validate_shape=True,
                shape=None):
        """A variable with exactly ``full_name`` (used by get_variable)."""
        var = cls.__new__(cls)
        with graph.name_scope(full_name + "/"):
            var._setup(graph, full_name, init, trainable, collections, validate_shape, shape)
        return var

    def _setup(self, graph, op_name, init, trainable, collections, validate_shape, shape):
        trainable = True if trainable is None else bool(trainable)
        static = TensorShape(shape) if shape is not None else init.shape
        if shape is not None and not static.is_compatible_with(init.shape):
            raise ValueError(f"The initial value's shape {shape_str(init.shape)} is not "
                             f"compatible with the explicitly supplied `shape` {shape_str(static)}.")
        if validate_shape and not static.is_fully_defined():
            raise ValueError(f"initial_value must have a shape specified: {init}. (Give the "
                             "variable a shape with known dimensions, or pass "
                             "validate_shape=False.)")
        self.trainable = trainable
        self._validate_shape = bool(validate_shape)
        self._initial_value = init
        self._read = None
        op = graph._create_op("VariableV2", op_name, [], _read_kernel, absolute_name=True,
                              attrs={"dtype": init.dtype, "shape": static})
        Tensor.__init__(self, op, 0, init.dtype, static)
        op._outputs = [self]
        self._initializer_op = graph._create_op(
            "Assign", "Assign", [init], _assign_kernel("assign", initializer=True), refs=[self],
            outputs=[(init.dtype, static)])
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        graph.add_to_collections(collections, self)

    # ------------------------------------------------------------ attributes
    @property
    def initializer(self):
        """The op that gives this variable its initial value in a session."""
        return self._initializer_op

    @property
    def initial_value(self):
        """The graph tensor the initializer assigns."""
        return self._initial_value

    def value(self):
        """The variable's value as a graph tensor ('name/read:0')."""
        if self._read is None:
            graph = self.graph
            with graph.name_scope(self.op.name + "/"):
                self._read = _identity(self, name="read")
        return self._read

    read_value = value

    def initialized_value(self):
        """The value, initialising the variable first if needed (for initial values of others)."""
        graph = self.graph

        def kernel(run, op, inputs):
            if self not in run.session._variables:
                run.evaluate([self._initializer_op._outputs[0]], memo={})
            return [run.session._variables[self].value()]
        with graph.name_scope(self.op.name + "/"):
            op = graph._create_op("InitializedValue", "initialized_value", [], kernel,
                                  outputs=[(self.dtype, self.shape)])
        return op._outputs[0]

    def eval(self, session=None):
        """The value in ``session`` or the default session (a NumPy array)."""
        return Tensor.eval(self, session=session)

    def load(self, value, session=None):
        """Set the value in ``session`` directly from a NumPy value (no new graph op)."""
        sess = session_for(self, session, "load a variable")
        sess._check_open()
        sess._assign(self, sess.convert_feed(self, value))

    # ------------------------------------------------------------ assignment ops
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """An op that sets the variable to ``value``; running it gives the new value."""
        return _assign_op("assign", self, value, name or "Assign")

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        """An op that adds ``delta`` to the variable."""
        return _assign_op("assign_add", self, delta, name or "AssignAdd")

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        """An op that subtracts ``delta`` from the variable."""
        return _assign_op("assign_sub", self, delta, name or "AssignSub")

    def get_shape(self):
        return self.shape

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={shape_str(self.shape)} "
                f"dtype={self.dtype.name}_ref>")

    __str__ = __repr__
    __hash__ = Tensor.__hash__


def _assign_op(mode, ref, value, name):
    if not isinstance(ref, Variable):
        raise TypeError(f"{mode}: the first argument must be a tf.Variable, got "
                        f"{type(ref).__name__} {ref!r:.60}")
    graph = ref.graph
    with graph.as_default():
        value = convert_to_tensor(value, dtype=ref.dtype)
    graph_of([ref, value])
    if mode != "assign" or ref._validate_shape:
        if not ref.shape.is_compatible_with(value.shape):
            raise ValueError(f"{mode}: shapes must be equal: variable '{ref.op.name}' has shape "
                             f"{shape_str(ref.shape)}, the value {shape_str(value.shape)}")
    op_type = {"assign": "Assign", "assign_add": "AssignAdd", "assign_sub": "AssignSub"}[mode]
    op = graph._create_op(op_type, name, [value], _assign_kernel(mode), refs=[ref],
                          outputs=[(ref.dtype, ref.shape)])
    return op._outputs[0]


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that sets variable ``ref`` to ``value`` when run (``tf.assign``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable([1.0, 2.0])
    ...     sess = tf.Session()
    ...     sess.run(v.initializer)
    ...     print(sess.run(tf.assign(v, [5.0, 6.0])), sess.run(tf.assign_add(v, [1.0, 1.0])))
    [5. 6.] [6. 7.]
    """
    return _assign_op("assign", ref, value, name or "Assign")


def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to variable ``ref`` when run (``tf.assign_add``)."""
    return _assign_op("assign_add", ref, value, name or "AssignAdd")


def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from variable ``ref`` when run (``tf.assign_sub``)."""
    return _assign_op("assign_sub", ref, value, name or "AssignSub")


# ============================================================== collections

def add_to_collection(name, value):
    """Add ``value`` to the default graph's collection ``name`` (``tf.add_to_collection``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     tf.add_to_collection('losses', tf.constant(1.0))
    ...     print(len(tf.get_collection('losses')))
    1
    """
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    """Add ``value`` to each of the default graph's collections ``names``."""
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    """The default graph's collection ``key`` (a copy), optionally filtered by name ``scope``."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The default graph's collection ``key`` itself."""
    return get_default_graph().get_collection_ref(key)


def global_variables(scope=None):
    """Every variable of the default graph (``tf.global_variables``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name='a')
    ...     b = tf.Variable(2.0, name='b', trainable=False)
    ...     print([v.name for v in tf.global_variables()], [v.name for v in tf.trainable_variables()])
    ['a:0', 'b:0'] ['a:0']
    """
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """The default graph's trainable variables (``tf.trainable_variables``)."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    """The default graph's local variables (``tf.local_variables``)."""
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    """The default graph's model variables (``tf.model_variables``)."""
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    """The default graph's moving-average variables (``tf.moving_average_variables``)."""
    return get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op that runs the initializers of ``var_list`` (``tf.variables_initializer``).

    They run in the order the variables were created, so an initial value
    may read a variable created before it.
    """
    var_list = list(var_list)
    if not var_list:
        return no_op(name=name)
    return group(*[v.initializer for v in var_list], name=name)


def global_variables_initializer():
    """An op that initialises every variable of the default graph (``tf.global_variables_initializer``).

    Make it after the variables (and optimizers) exist: it initialises the
    variables that exist when it is made.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(3.0)
    ...     init = tf.global_variables_initializer()
    ...     with tf.Session() as sess:
    ...         sess.run(init)
    ...         print(sess.run(v))
    3.0
    """
    return variables_initializer(global_variables())


def local_variables_initializer():
    """An op that initialises the default graph's local variables."""
    return variables_initializer(local_variables(), name="init_1")


def initialize_all_variables():
    """The old name of ``global_variables_initializer``."""
    return global_variables_initializer()


def is_variable_initialized(variable):
    """An op giving True when ``variable`` has a value in the session that runs it.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.Variable(1.0)
    ...     sess = tf.Session()
    ...     ready = tf.is_variable_initialized(v)
    ...     before = sess.run(ready)
    ...     sess.run(v.initializer)
    ...     print(before, sess.run(ready))
    False True
    """
    graph = variable.graph
    op = graph._create_op("IsVariableInitialized", "IsVariableInitialized", [],
                          _initialized_kernel, refs=[variable],
                          outputs=[(dtypes.bool, TensorShape([]))])
    return op._outputs[0]


# ============================================================== initializers

class Initializer:
    """Base of the initializers: ``init(shape, dtype)`` gives a graph tensor of initial values."""

    dtype = None

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError

    def _dtype(self, dtype):
        return dtypes.as_dtype(dtype or self.dtype or dtypes.float32)

    def get_config(self):
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self):
        return f"<{type(self).__name__} {self.get_config()}>"


class zeros_initializer(Initializer):  # noqa: N801  (TensorFlow's name)
    """Initial values 0 (``tf.zeros_initializer``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.zeros_initializer()([2])))
    [0. 0.]
    """

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _zeros(shape, dtype=self._dtype(dtype))


class ones_initializer(Initializer):  # noqa: N801
    """Initial values 1 (``tf.ones_initializer``)."""

    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _ones(shape, dtype=self._dtype(dtype))


class constant_initializer(Initializer):  # noqa: N801
    """Initial values from ``value``: a scalar fills the shape, a list is reshaped to it.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.constant_initializer([1, 2, 3, 4])([2, 2])))
    [[1. 2.]
     [3. 4.]]
    """

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        self.value, self.dtype, self.verify_shape = value, dtypes.as_dtype(dtype), verify_shape

    def __call__(self, shape, dtype=None, partition_info=None):
        return _constant(self.value, dtype=self._dtype(dtype), shape=shape,
                         verify_shape=self.verify_shape)


class random_normal_initializer(Initializer):  # noqa: N801
    """Initial values from N(mean, stddev²) (``tf.random_normal_initializer``)."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random_normal(shape, self.mean, self.stddev, dtype=self._dtype(dtype),
                              seed=self.seed)


class truncated_normal_initializer(Initializer):  # noqa: N801
    """Normal initial values, redrawn beyond two standard deviations."""

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _truncated_normal(shape, self.mean, self.stddev, dtype=self._dtype(dtype),
                                 seed=self.seed)


class random_uniform_initializer(Initializer):  # noqa: N801
    """Initial values uniform in [minval, maxval) (``tf.random_uniform_initializer``)."""

    def __init__(self, minval=0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _random_uniform(shape, self.minval, self.maxval, dtype=self._dtype(dtype),
                               seed=self.seed)


def _fans(shape):
    shape = [int(d) for d in shape]
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(Initializer):  # noqa: N801
    """Initial values scaled to the layer's fan-in/fan-out (``tf.variance_scaling_initializer``)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"variance_scaling_initializer: mode must be fan_in, fan_out or "
                             f"fan_avg, got {mode!r}")
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"variance_scaling_initializer: unknown distribution "
                             f"{distribution!r}")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution
        self.seed, self.dtype = seed, dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        dtype = self._dtype(dtype)
        if self.distribution == "truncated_normal":
            return _truncated_normal(shape, 0.0, math.sqrt(scale) / 0.87962566103423978,
                                     dtype=dtype, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return _random_normal(shape, 0.0, math.sqrt(scale), dtype=dtype, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return _random_uniform(shape, -limit, limit, dtype=dtype, seed=self.seed)


class glorot_uniform_initializer(variance_scaling_initializer):  # noqa: N801
    """Xavier/Glorot uniform: U(±√(6/(fan_in+fan_out))); get_variable's default for floats."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class glorot_normal_initializer(variance_scaling_initializer):  # noqa: N801
    """Xavier/Glorot normal: truncated normal with stddev √(2/(fan_in+fan_out))."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


def he_normal(seed=None):
    """He normal initializer (ReLU layers)."""
    return variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """He uniform initializer (ReLU layers)."""
    return variance_scaling_initializer(2.0, "fan_in", "uniform", seed)


# ============================================================== variable scopes

class _ReuseMode:
    def __repr__(self):
        return "tf.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()
"""Pass ``reuse=tf.AUTO_REUSE`` to create a variable when missing and share it when not."""


class VariableScope:
    """A variable scope: the prefix, reuse mode and defaults ``get_variable`` uses inside it."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, dtype=dtypes.float32,
                 name_scope=""):
        self._reuse = reuse
        self._name = name
        self.initializer = initializer
        self.regularizer = regularizer
        self.dtype = dtypes.as_dtype(dtype)
        self._name_scope = name_scope

    @property
    def name(self):
        return self._name

    @property
    def original_name_scope(self):
        return self._name_scope

    @property
    def reuse(self):
        return self._reuse

    def reuse_variables(self):
        """From now on in this scope, get_variable shares existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer

    def set_dtype(self, dtype):
        self.dtype = dtypes.as_dtype(dtype)

    def get_variable(self, name, *args, **kwargs):
        return get_variable(name, *args, **kwargs)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


def get_variable_scope():
    """The current variable scope (``tf.get_variable_scope``)."""
    graph = get_default_graph()
    if not graph._var_scope_stack:
        graph._var_scope_stack.append(VariableScope(False))
    return graph._var_scope_stack[-1]


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """A scope for ``get_variable`` names and reuse (``tf.variable_scope``).

    Inside ``variable_scope('layer')``, ``get_variable('w')`` makes 'layer/w'
    (ops get a matching name scope). ``reuse=True`` shares existing
    variables and fails for missing ones; ``reuse=tf.AUTO_REUSE`` creates
    or shares; the default inherits the outer scope's reuse.
    ``variable_scope("", reuse=True)`` shares top-level variables.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     for _ in range(2):
    ...         with tf.variable_scope('dense', reuse=tf.AUTO_REUSE):
    ...             w = tf.get_variable('w', shape=[1])
    ...     print([v.name for v in tf.global_variables()])
    ['dense/w:0']
    """
    graph = graph_of(graph_tensors(values)) if values else get_default_graph()
    with graph.as_default():
        parent = get_variable_scope()
    if isinstance(name_or_scope, VariableScope):
        full, name_scope_name = name_or_scope.name, name_or_scope.original_name_scope
        base_reuse = name_or_scope.reuse
        inherit = name_or_scope
    else:
        if name_or_scope is None:
            if default_name is None:
                raise TypeError("variable_scope: give a name, or default_name with name None")
            base = (parent.name + "/" if parent.name else "") + default_name
            count = graph._var_scope_counts.get(base, 0)
            graph._var_scope_counts[base] = count + 1
            name = default_name if count == 0 else f"{default_name}_{count}"
        else:
            name = str(name_or_scope)
        full = (parent.name + "/" + name if parent.name and name else name or parent.name)
        name_scope_name = name
        base_reuse = parent.reuse
        inherit = parent
    if reuse is True or reuse is AUTO_REUSE:
        new_reuse = reuse
    else:
        new_reuse = base_reuse if base_reuse in (True, AUTO_REUSE) else False
    scope = VariableScope(
        new_reuse, full,
        initializer=initializer if initializer is not None else inherit.initializer,
        regularizer=regularizer if regularizer is not None else inherit.regularizer,
        dtype=dtype if dtype is not None else inherit.dtype)
    with contextlib.ExitStack() as stack:
        stack.enter_context(graph.as_default())
        if auxiliary_name_scope and name_scope_name:
            if isinstance(name_or_scope, VariableScope):
                scope._name_scope = stack.enter_context(graph.name_scope(name_scope_name or None))
            else:
                scope._name_scope = stack.enter_context(graph.name_scope(name_scope_name))
        else:
            scope._name_scope = graph.get_name_scope() + ("/" if graph.get_name_scope() else "")
        graph._var_scope_stack.append(scope)
        try:
            yield scope
        finally:
            graph._var_scope_stack.pop()


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """Create, or share, the variable ``name`` of the current variable scope (``tf.get_variable``).

    Its full name is the scope's name + '/' + ``name``. When it exists, the
    scope must allow reuse (``reuse=True`` or ``tf.AUTO_REUSE``); when it
    does not, the scope must not demand reuse. ``initializer`` is an
    initializer (default: Glorot uniform for floats, zeros for ints) or a
    value/tensor (then leave ``shape`` out).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable('v', shape=[1])
    ...     tf.get_variable('v', shape=[1])
    Traceback (most recent call last):
    ...
    ValueError: Variable v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in VarScope? ...
    """
    graph = get_default_graph()
    scope = get_variable_scope()
    full = scope.name + "/" + name if scope.name else name
    existing = graph._var_store.get(full)
    reuse = scope.reuse
    if existing is not None:
        if reuse is not True and reuse is not AUTO_REUSE:
            where = f" Originally defined at: {existing.op._defined_at}" \
                if existing.op._defined_at else ""
            raise ValueError(
                f"Variable {full} already exists, disallowed. Did you mean to set reuse=True or "
                f"reuse=tf.AUTO_REUSE in VarScope?{where} (To share it, open the scope with "
                f"tf.variable_scope(..., reuse=True); to make a second variable, use another "
                f"name.)")
        if shape is not None and not existing.shape.is_compatible_with(TensorShape(shape)):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{shape_str(TensorShape(shape))} and found shape "
                             f"{shape_str(existing.shape)}.")
        if dtype is not None and dtypes.as_dtype(dtype) is not existing.dtype:
            raise ValueError(f"Trying to share variable {full}, but specified dtype "
                             f"{dtypes.as_dtype(dtype).name} and found dtype "
                             f"{existing.dtype.name}.")
        return existing
    if reuse is True:
        raise ValueError(
            f"Variable {full} does not exist, or was not created with tf.get_variable(). Did you "
            f"mean to set reuse=tf.AUTO_REUSE in VarScope? (reuse=True only shares variables "
            f"that get_variable made before; existing ones are "
            f"{sorted(graph._var_store) or 'none'}.)")
    dtype = dtypes.as_dtype(dtype) if dtype is not None else scope.dtype
    if initializer is None:
        initializer = scope.initializer
    with graph.name_scope(full + "/"):
        if initializer is None:
            if shape is None:
                raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                                 "instead was <unknown>. Pass shape=[...] or an initializer "
                                 "value.")
            initializer = glorot_uniform_initializer() if dtype.is_floating else \
                zeros_initializer()
            if not (dtype.is_floating or dtype.is_integer or dtype.is_bool):
                raise ValueError(f"An initializer for variable {full} of {dtype.name} is "
                                 "required")
        if isinstance(initializer, Tensor) or not callable(initializer):
            if shape is not None and not isinstance(initializer, Tensor):
                raise ValueError("If initializer is a constant, do not specify shape.")
            with graph.name_scope("Initializer"):
                init = convert_to_tensor(initializer, dtype=dtype if not isinstance(
                    initializer, Tensor) else None)
            if shape is not None and not init.shape.is_compatible_with(TensorShape(shape)):
                raise ValueError(f"get_variable: the initializer's shape {shape_str(init.shape)} "
                                 f"does not match shape {shape_str(TensorShape(shape))}")
        else:
            if shape is None:
                raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                                 "instead was <unknown>.")
            shape = TensorShape(shape)
            if not shape.is_fully_defined():
                raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                                 f"instead was {shape_str(shape)}.")
            with graph.name_scope("Initializer"):
                init = initializer(shape.as_list(), dtype=dtype)
            init = convert_to_tensor(init)
    var = Variable._create(graph, full, init, trainable, collections, validate_shape)
    graph._var_store[full] = var
    reg = regularizer if regularizer is not None else scope.regularizer
    if reg is not None:
        with graph.name_scope(full + "/Regularizer/"):
            loss = reg(var)
        if loss is not None:
            graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return var
