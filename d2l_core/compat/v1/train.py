"""TensorFlow 1 training: ``tf.train.GradientDescentOptimizer``, ``MomentumOptimizer``, ``AdamOptimizer``.

``opt.minimize(loss)`` returns a *train op*. Each time a session runs it,
the session computes ``loss`` while an eager ``GradientTape`` records, takes
the gradient of the loss (of its sum, when the loss is not a scalar) with
respect to the variables, and updates them with the same update rules as
``d2l_core.keras.optimizers`` (one implementation of each formula). The
optimizer's state (momentum, Adam's moments) lives in the session, next to
the variables' values.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable(3.0)
...     loss = w * w
...     train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         for _ in range(3):
...             sess.run(train)               # w <- w - 0.25 * 2w = w / 2
...         print(sess.run(w))
0.375
"""
from ... import dtypes
from ... import optimizers as _eager_optimizers
from ...ops import math as _m
from .graph import GraphKeys, Tensor, get_default_graph
from .constants import convert_to_tensor
from .gradients import gradients
from .graph_ops import graph_op
from .variables import Variable, get_variable, zeros_initializer


# ============================================================== optimizers

def _apply_kernel(run, op, inputs):
    optimizer, variables = op._attrs["optimizer"], op._attrs["variables"]
    session = run.session
    grads = inputs[:len(variables)]
    state = session._optimizers.get(op)
    if state is None:
        state = session._optimizers[op] = (optimizer._make_eager(), frozenset(variables))
    eager_opt = state[0]
    lr = optimizer._learning_rate
    if isinstance(lr, Tensor):
        lr = float(inputs[len(variables)])
    elif callable(lr):
        lr = float(lr())
    eager_opt.learning_rate = lr
    eager_vars = [session._eager_variable(v) for v in variables]
    eager_opt.apply_gradients(list(zip(grads, eager_vars)))
    step = op._attrs["global_step"]
    if step is not None:
        eager_step = session._eager_variable(step)
        eager_step.assign_add(1)
    return None


class Optimizer:
    """Base of the TensorFlow 1 optimizers: ``compute_gradients``, ``apply_gradients``, ``minimize``."""

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._name = name
        self._use_locking = use_locking

    def get_name(self):
        return self._name

    def _make_eager(self):
        raise NotImplementedError

    def _check_lr(self):
        lr = self._learning_rate
        if isinstance(lr, Tensor) or callable(lr):
            return
        if not isinstance(lr, (int, float)) or isinstance(lr, bool):
            raise TypeError(f"{type(self).__name__}: learning_rate must be a number or a scalar "
                            f"graph tensor, got {lr!r}")

    def compute_gradients(self, loss, var_list=None, gate_gradients=1, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """A list of (gradient tensor, variable) pairs; the gradient is None where loss ignores it.

        >>> import d2l_core.compat.v1 as tf
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable(2.0)
        ...     unused = tf.Variable(1.0)
        ...     pairs = tf.train.GradientDescentOptimizer(0.1).compute_gradients(w * w)
        ...     with tf.Session() as sess:
        ...         sess.run(tf.global_variables_initializer())
        ...         print([(None if g is None else float(sess.run(g)), v.name) for g, v in pairs])
        [(4.0, 'Variable:0'), (None, 'Variable_1:0')]
        """
        if callable(loss) and not isinstance(loss, Tensor):
            loss = loss()
        if not isinstance(loss, Tensor):
            raise TypeError(f"{type(self).__name__}: loss must be a graph tensor (built with "
                            f"compat.v1 ops), got {type(loss).__name__}")
        if not loss.dtype.is_floating:
            raise ValueError(f"Invalid type {loss.dtype.name} for {loss.name}, expected: "
                             "[float32, float64, float16]. Cast the loss to a float dtype.")
        graph = loss.graph
        if var_list is None:
            var_list = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise TypeError(f"{type(self).__name__}: var_list must hold tf.Variable objects, "
                                f"got {type(v).__name__} {v!r:.60}")
        with graph.as_default():
            grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op that updates each variable from its gradient (and adds 1 to ``global_step``)."""
        pairs = list(grads_and_vars)
        if not pairs:
            raise ValueError("No variables provided.")
        usable = [(g, v) for g, v in pairs if g is not None]
        if not usable:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in pairs]}.")
        graph = usable[0][1].graph
        with graph.as_default():
            grads = [convert_to_tensor(g) for g, _ in usable]
            variables = [v for _, v in usable]
            for g, v in zip(grads, variables):
                if g.graph is not graph or v.graph is not graph:
                    raise ValueError(f"apply_gradients: {g} and {v} come from different graphs")
                if g.dtype is not v.dtype:
                    raise ValueError(f"apply_gradients: gradient {g.name} has dtype "
                                     f"{g.dtype.name} but variable {v.name} has {v.dtype.name}")
            inputs = list(grads)
            lr = self._learning_rate
            if isinstance(lr, Tensor):
                inputs.append(lr)
            refs = list(variables) + ([global_step] if global_step is not None else [])
            if global_step is not None and not isinstance(global_step, Variable):
                raise TypeError("apply_gradients: global_step must be a tf.Variable")
            op = graph._create_op(
                type(self).__name__.replace("Optimizer", "") or "Apply", name or self._name,
                inputs, _apply_kernel, refs=refs,
                attrs={"optimizer": self, "variables": variables, "global_step": global_step})
        graph.add_to_collection(GraphKeys.TRAIN_OP, op)
        return op

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """An op that takes one optimisation step on ``loss`` each time a session runs it.

        The variables are ``var_list`` or all trainable variables. A loss
        that is not a scalar is summed first (its gradient is the gradient of
        its sum), as in TensorFlow. ``global_step``, when given, grows by one
        per step.
        """
        pairs = self.compute_gradients(loss, var_list, gate_gradients, aggregation_method,
                                       colocate_gradients_with_ops, grad_loss)
        if not [v for g, v in pairs if g is not None]:
            raise ValueError(
                f"No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in pairs]} and loss "
                f"{loss}.")
        return self.apply_gradients(pairs, global_step=global_step, name=name)

    def get_slot_names(self):
        """Names of the optimizer's per-variable state; here it lives in the session."""
        return []

    def variables(self):
        return []


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent: w ← w − lr·g (``tf.train.GradientDescentOptimizer``)."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._check_lr()

    def _make_eager(self):
        return _eager_optimizers.SGD(0.0)


class MomentumOptimizer(Optimizer):
    """Momentum: accum ← m·accum + g, then w ← w − lr·accum (``tf.train.MomentumOptimizer``).

    With ``use_nesterov``: w ← w − lr·(g + m·accum). (The update is Keras's
    SGD with momentum, which is the same while the learning rate is fixed.)
    """

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._check_lr()
        self._momentum = float(momentum)
        self._use_nesterov = bool(use_nesterov)

    def _make_eager(self):
        return _eager_optimizers.SGD(0.0, momentum=self._momentum, nesterov=self._use_nesterov)


class AdamOptimizer(Optimizer):
    """Adam (``tf.train.AdamOptimizer``): lr=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8.

    m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², lr_t = lr·√(1−β₂ᵗ)/(1−β₁ᵗ),
    w ← w − lr_t·m/(√v + ε): TensorFlow 1's "epsilon hat" placement, the
    same formula as Keras's Adam.

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0)
    ...     step = tf.train.AdamOptimizer(learning_rate=0.1).minimize(w * w)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         sess.run(step)
    ...         print(round(float(sess.run(w)), 4))   # the first Adam step moves by lr
    0.9
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._check_lr()
        self._beta1, self._beta2, self._epsilon = float(beta1), float(beta2), float(epsilon)

    def _make_eager(self):
        return _eager_optimizers.Adam(0.0, beta_1=self._beta1, beta_2=self._beta2,
                                      epsilon=self._epsilon)


class AdagradOptimizer(Optimizer):
    """Adagrad: accum ← accum + g², w ← w − lr·g/√accum (``tf.train.AdagradOptimizer``)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        super().__init__(use_locking, name)
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        self._learning_rate = learning_rate
        self._check_lr()
        self._initial = float(initial_accumulator_value)

    def _make_eager(self):
        return _eager_optimizers.Adagrad(0.0, initial_accumulator_value=self._initial,
                                         epsilon=0.0)


# ============================================================== global step and schedules

def get_global_step(graph=None):
    """The graph's global step variable, or None (``tf.train.get_global_step``)."""
    graph = get_default_graph() if graph is None else graph
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    return found[0] if found else None


def create_global_step(graph=None):
    """Make the int64 'global_step' variable (``tf.train.create_global_step``); error if it exists."""
    graph = get_default_graph() if graph is None else graph
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    with graph.as_default():
        from .variables import variable_scope
        with variable_scope("", reuse=False):
            step = get_variable("global_step", shape=[], dtype=dtypes.int64,
                                initializer=zeros_initializer(dtypes.int64), trainable=False,
                                collections=[GraphKeys.GLOBAL_VARIABLES, GraphKeys.GLOBAL_STEP])
    return step


def get_or_create_global_step(graph=None):
    """The graph's global step, made when missing (``tf.train.get_or_create_global_step``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.train.get_or_create_global_step()
    ...     w = tf.Variable(1.0)
    ...     train = tf.train.GradientDescentOptimizer(0.1).minimize(w * w, global_step=step)
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         sess.run(train); sess.run(train)
    ...         print(sess.run(step))
    2
    """
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """lr · decay_rate^(global_step / decay_steps) as a graph tensor (``tf.train.exponential_decay``).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     step = tf.Variable(20, trainable=False)
    ...     lr = tf.train.exponential_decay(0.1, step, 10, 0.5, staircase=True)
    ...     with tf.Session() as sess:
    ...         sess.run(step.initializer)
    ...         print(round(float(sess.run(lr)), 6))
    0.025
    """
    if global_step is None:
        raise ValueError("global_step is required for exponential_decay.")
    graph = global_step.graph if isinstance(global_step, Tensor) else get_default_graph()
    with graph.as_default(), graph.name_scope(name or "ExponentialDecay"):
        cast = graph_op(_m.cast, "cast")
        lr = convert_to_tensor(learning_rate, dtype=dtypes.float32, name="learning_rate") \
            if not isinstance(learning_rate, Tensor) else learning_rate
        step = cast(global_step, lr.dtype)
        p = step / float(decay_steps)
        if staircase:
            p = graph_op(_m.floor, "floor")(p)
        return lr * graph_op(_m.pow, "pow")(convert_to_tensor(decay_rate, dtype=lr.dtype), p)
