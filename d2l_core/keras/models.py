"""Models: ``Sequential``, functional ``Model(inputs, outputs)`` and subclassed ``Model``.

A model is a layer that knows how to train itself: ``compile`` picks the
optimizer, loss and metrics, ``fit`` runs the training loop (a forward pass
under a ``GradientTape``, the loss, ``apply_gradients``) with a progress bar,
``evaluate`` and ``predict`` run it on new data.

As in TensorFlow, each batch's step (``train_step``, ``test_step``,
``predict_step``, yours if you override them) runs traced by
``d2l.function``: its Python code runs once per input signature, then each
batch runs the compiled plan (``model.train_function``). Python loops
between the steps (callbacks, the progress bar) stay Python. Compile with
``run_eagerly=True`` to run the steps as plain Python, e.g. to debug them.

>>> import d2l_core as d2l
>>> from d2l_core import keras
>>> from d2l_core.keras import layers
>>> d2l.random.set_seed(0)
>>> model = keras.Sequential([layers.Dense(8, activation='relu'), layers.Dense(1)])
>>> model.compile(optimizer='adam', loss='mse')
>>> x = np.linspace(-1, 1, 64, dtype=np.float32).reshape(-1, 1)
>>> history = model.fit(x, 2 * x, epochs=3, batch_size=16, verbose=0)
>>> len(history.history['loss'])
3
>>> model.predict(x[:2], verbose=0).shape
(2, 1)
"""
import os
import sys
import time

import numpy as np

from .. import _logging, dtypes, nest, stand_in
from .. import optimizers as _optimizers
from ..autodiff import GradientTape
from ..errors import OperatorNotAllowedInGraphError
from ..function import function as _traced, functions_run_eagerly
from ..ops import array as _array
from ..data import Dataset, UNKNOWN_CARDINALITY, INFINITE_CARDINALITY
from ..ops import math as _math
from ..tensor import Tensor, array_of
from ..tensor_shape import TensorShape
from . import _naming
from . import callbacks as _callbacks
from . import losses as _losses
from . import metrics as _metrics
from . import saving as _saving
from .backend import int_shape
from .layers import InputLayer, KerasTensor, Layer

__all__ = ["Model", "Sequential"]


# ==================================================================== helpers

def _unpack(data):
    """(x, y, sample_weight) from a dataset element, as Keras's ``unpack_x_y_sample_weight``."""
    if isinstance(data, tuple) and not hasattr(data, "_fields"):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return data
        raise ValueError(f"Data is expected to be (x,), (x, y) or (x, y, sample_weight); got a "
                         f"tuple of {len(data)} items")
    return data, None, None


def _num_rows(value):
    if isinstance(value, Tensor):
        return array_of(value).shape[0] if array_of(value).ndim else None
    return np.shape(value)[0] if np.ndim(value) else None


def _as_structure(value):
    """Arrays for ``from_tensor_slices``: lists of arrays mean several inputs (a tuple)."""
    if isinstance(value, list) and value and all(
            isinstance(v, (np.ndarray, Tensor)) for v in value):
        return tuple(value)
    return value


def _interactive():
    """True in a Jupyter kernel or a terminal: then a live progress bar makes sense."""
    ipython = sys.modules.get("IPython")
    if ipython is not None:
        try:
            shell = ipython.get_ipython()
            if shell is not None and "IPKernelApp" in shell.config:
                return True
        except Exception:      # noqa: BLE001
            pass
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _display_mode(verbose):
    if verbose == "auto":
        verbose = 1
    if verbose in (0, False, None):
        return None
    if verbose == 1 and _interactive():
        return "bar"
    return "line"


def _floats(logs):
    """Step logs (Tensors, NumPy or Python numbers) as Python floats (arrays stay arrays)."""
    out = {}
    for k, v in logs.items():
        a = np.asarray(v)
        out[k] = float(a) if a.size == 1 else a
    return out


def _format_logs(logs):
    return " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())


class _Progress:
    """A tqdm bar (interactive, verbose=1), one plain line at the end (verbose=2 or not
    interactive), or nothing (verbose=0)."""

    def __init__(self, mode, total, desc):
        self.mode, self.total, self.desc = mode, total, desc
        self.start = time.perf_counter()
        self.bar = None
        if mode == "bar":
            from tqdm.auto import tqdm
            self.bar = tqdm(total=total, desc=desc, unit="batch", leave=True, dynamic_ncols=True)

    def update(self, logs):
        if self.bar is not None:
            self.bar.set_postfix_str(_format_logs(logs), refresh=False)
            self.bar.update(1)

    def close(self, steps, logs):
        if self.bar is not None:
            self.bar.set_postfix_str(_format_logs(logs), refresh=False)
            self.bar.close()
        elif self.mode == "line":
            elapsed = time.perf_counter() - self.start
            total = self.total if self.total is not None else steps
            parts = [p for p in (self.desc, f"{steps}/{total}", f"{elapsed:.1f}s",
                                 _format_logs(logs)) if p]
            print(" - ".join(parts), flush=True)


class _CompiledLoss:
    """``model.compiled_loss(y_true, y_pred, sample_weight, regularization_losses)``: the
    compiled loss plus extra losses, also recorded in the 'loss' metric (as Keras)."""

    def __init__(self, model, loss):
        self._model, self.loss = model, loss
        if loss is None:
            self._fn = None
        elif isinstance(loss, _losses.Loss):
            self._fn = loss
        else:
            fn = _losses.get(loss)
            self._fn = fn if isinstance(fn, _losses.Loss) else _losses.LossFunctionWrapper(fn)

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        if self._fn is None:
            raise ValueError("No loss to compute: compile() was called without a loss. Give one, "
                             "e.g. model.compile(optimizer='adam', loss='mse')")
        if y_true is None:
            raise ValueError("The model's loss needs targets, but the data has none: pass "
                             "fit(x, y) or a Dataset of (x, y) pairs")
        loss = self._fn(y_true, y_pred, sample_weight)
        if regularization_losses:
            loss = _math.add(loss, _math.add_n(list(regularization_losses)))
        # The running mean of the loss, weighted by the batch size (Keras's loss tracker); on
        # a stopped copy of the loss, so the tape does not record the bookkeeping.
        batch = nest.flatten(y_pred)[0]
        shape = int_shape(batch) if isinstance(batch, Tensor) else ()
        n = 1 if not shape else shape[0] if shape[0] is not None else \
            _math.cast(_array.shape(batch)[0], dtypes.float32)
        self._model._loss_tracker.update_state(_array.stop_gradient(loss), sample_weight=n)
        return loss


class _CompiledMetrics:
    """``model.compiled_metrics.update_state(y_true, y_pred, sample_weight)``."""

    def __init__(self, model, specs, loss):
        self._model, self._specs, self.metrics = model, specs, None
        # Made now, before any step is traced, so their Variables exist outside traces
        # ('accuracy' picks binary, sparse or categorical from each batch's shapes).
        loss = _losses.get(loss) if isinstance(loss, str) else loss
        self._objects = [_metrics.resolve(m, loss=loss) for m in specs]

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._specs:
            return
        if y_true is None:
            raise ValueError("The compiled metrics need targets, but the data has none: pass "
                             "fit(x, y) or a Dataset of (x, y) pairs")
        if self.metrics is None:          # listed in model.metrics from the first update on
            self.metrics = self._objects
        for m in self.metrics:
            m.update_state(y_true, y_pred, sample_weight)

    def reset_state(self):
        for m in self.metrics or []:
            m.reset_state()


def _metric_names(specs):
    names = []
    for m in specs:
        if isinstance(m, str):
            names.append(m)
        elif isinstance(m, _metrics.Metric):
            names.append(m.name)
        elif isinstance(m, type):
            names.append(m().name)
        else:
            names.append(getattr(m, "__name__", "metric"))
    return names


# ==================================================================== Model

class Model(Layer):
    """A layer with training methods (``tf.keras.Model``).

    Three ways to make one:

    * subclass it: create layers in ``__init__`` (after ``super().__init__()``)
      and use them in ``call(inputs, training=None)``;
    * functional: ``keras.Model(inputs=keras.Input(shape=...), outputs=...)``;
    * :class:`Sequential` for a plain stack of layers.

    >>> d2l.keras.backend.clear_session()     # restart automatic layer names
    >>> class MLP(d2l.keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = d2l.keras.layers.Dense(16, activation='relu')
    ...         self.out = d2l.keras.layers.Dense(10)
    ...     def call(self, x, training=None):
    ...         return self.out(self.hidden(x))
    >>> mlp = MLP()
    >>> mlp(d2l.zeros((2, 784))).shape
    TensorShape([2, 10])
    >>> [v.name for v in mlp.trainable_variables]
    ['dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0']
    """

    _scoped_build = False    # its layers keep their own names: 'dense/kernel:0'

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", None)
        outputs = kwargs.pop("outputs", None)
        if args:
            if len(args) != 2 or inputs is not None or outputs is not None:
                raise TypeError("Model: positional arguments are (inputs, outputs); a subclass "
                                "takes keyword arguments such as name=")
            inputs, outputs = args
        name = kwargs.pop("name", None)
        if name is None and type(self) is Model:
            name = _naming.unique_name("model")
        super().__init__(name=name, **kwargs)
        self._compiled = False
        self.optimizer = None
        self.stop_training = False
        self._history = None
        self._compiled_loss_obj = None
        self._compiled_metrics_obj = None
        self._loss_tracker = None
        self._nodes = None
        self._run_eagerly = None
        self._reset_step_functions()
        if inputs is not None or outputs is not None:
            self._init_functional(inputs, outputs)

    # ---------------------------------------------------------------- functional graphs
    def _init_functional(self, inputs, outputs):
        if inputs is None or outputs is None:
            raise ValueError("Model: a functional model needs both inputs= and outputs=")
        for t in nest.flatten(inputs):
            if not isinstance(t, KerasTensor) or t._node is not None:
                raise TypeError(f"Model: inputs must come from keras.Input(...), got {t!r:.80}")
        for t in nest.flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise TypeError(f"Model: outputs must be the results of calling layers on "
                                f"keras.Input(...), got {type(t).__name__}")
        input_ids = {id(t) for t in nest.flatten(inputs)}
        nodes, done = [], set()

        def visit(t, path):
            if t._node is None:
                if id(t) not in input_ids:
                    raise ValueError(f"Model: the outputs depend on {t!r}, which is not among "
                                     "the model's inputs; add it to inputs=[...]")
                return
            node = t._node
            if id(node) in done:
                return
            if id(node) in path:
                raise ValueError("Model: the layer graph has a cycle")
            for parent in nest.flatten(node.inputs):
                if isinstance(parent, KerasTensor):
                    visit(parent, path | {id(node)})
            done.add(id(node))
            nodes.append(node)

        for t in nest.flatten(outputs):
            visit(t, frozenset())
        self._input_tensors, self._output_tensors, self._nodes = inputs, outputs, nodes
        layers = [t._layer for t in nest.flatten(inputs)]
        for node in nodes:
            if all(node.layer is not other for other in layers):
                layers.append(node.layer)
        self._layers = layers
        self.built = True

    def _run_graph(self, inputs, training):
        given = nest.flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        expected = nest.flatten(self._input_tensors)
        if isinstance(inputs, dict):
            missing = [t.name for t in expected if t.name not in inputs]
            if missing:
                raise ValueError(f"Model '{self.name}': missing inputs {missing}; the model "
                                 f"expects inputs named {[t.name for t in expected]}")
            given = [inputs[t.name] for t in expected]
        if len(given) != len(expected):
            raise ValueError(f"Model '{self.name}' expects {len(expected)} input(s) but got "
                             f"{len(given)}")
        values = {}
        for t, v in zip(expected, given):
            want = t.shape.as_list()
            got = int_shape(v)
            if len(want) != len(got) or any(w is not None and g is not None and w != g
                                            for w, g in zip(want, got)):
                raise ValueError(f"Model '{self.name}': input '{t.name}' expects shape "
                                 f"{t.shape} but got {got}")
            values[id(t)] = v
        for node in self._nodes:
            args = nest.map_structure(
                lambda t: values[id(t)] if isinstance(t, KerasTensor) else t, node.inputs)
            out = node.layer(args, training=training, **node.kwargs)
            for t, o in zip(nest.flatten(node.outputs), nest.flatten(out)):
                values[id(t)] = o
        return nest.map_structure(lambda t: values[id(t)], self._output_tensors)

    # ---------------------------------------------------------------- layer protocol
    def call(self, inputs, training=None, mask=None):
        """The forward pass. Subclasses override it; functional models run their graph."""
        if self._nodes is not None:
            return self._run_graph(inputs, training)
        raise NotImplementedError(f"Model '{self.name}': a subclassed model must implement "
                                  "call(self, inputs, training=None)")

    def _maybe_build(self, inputs):
        # A subclass's own build() runs; the generic one would call the model recursively.
        if type(self).build not in (Model.build, Sequential.build):
            self.build(nest.map_structure(lambda t: t.shape, inputs))
        self.built = True

    def build(self, input_shape=None):
        """Create the weights by running the model on stand-ins of ``input_shape``.

        ``None`` dimensions (the batch) may be anything.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(4)])
        >>> model.build((None, 3))
        >>> model.count_params()
        16
        """
        if input_shape is None:
            raise ValueError(f"Model '{self.name}'.build: give the input shape, e.g. "
                             "model.build((None, 784)) (None is the batch dimension)")
        self._build_on_stand_ins(_specs(input_shape, self._dtype))
        self.built = True

    def _build_on_stand_ins(self, specs):
        """Create the weights by running the model on stand-ins shaped like ``specs``."""
        stand_in.probe(lambda x: self(x, training=False), (specs,), builds_weights=True)

    @property
    def layers(self):
        """The model's layers, in order."""
        if self._nodes is not None:
            return list(self._layers)
        return self._children()[0]

    def get_layer(self, name=None, index=None):
        """A layer by name or position.

        >>> m = d2l.keras.Sequential([d2l.keras.layers.Dense(2, name='hidden')])
        >>> m.get_layer('hidden').name
        'hidden'
        """
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index {index} is out of range; the model has "
                                 f"{len(layers)} layers")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: "
                         f"{[l.name for l in layers]}")

    # ---------------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, metrics=None, loss_weights=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=None,
                jit_compile=None, **kwargs):
        """Choose how to train: the optimizer, the loss and the metrics to report.

        Each may be given by name ('adam', 'mse', 'accuracy') or as an object.
        'accuracy' becomes binary, categorical or sparse categorical accuracy
        depending on the labels' and outputs' shapes, as in Keras.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(10)])
        >>> model.compile(optimizer=d2l.keras.optimizers.Adam(1e-3),
        ...               loss=d2l.keras.losses.CategoricalCrossentropy(from_logits=True),
        ...               metrics=['accuracy'])
        >>> model.metrics_names
        ['loss', 'accuracy']
        """
        if kwargs:
            raise TypeError(f"compile: unexpected keyword arguments {sorted(kwargs)}")
        if loss_weights is not None or weighted_metrics is not None:
            raise NotImplementedError("compile: loss_weights and weighted_metrics are not "
                                      "supported (models here have one output)")
        self.optimizer = _optimizers.get(optimizer)
        if isinstance(metrics, (str, _metrics.Metric)) or callable(metrics):
            metrics = [metrics]
        if isinstance(metrics, dict):
            raise NotImplementedError("compile: metrics as a dict (per output) is not supported; "
                                      "pass a list")
        specs = list(metrics or [])
        for m in specs:
            if isinstance(m, str):
                if m.lower() not in ("accuracy", "acc"):
                    _metrics.get(m)     # an unknown name fails now, not in the first step
            elif not (isinstance(m, _metrics.Metric) or callable(m)):
                raise TypeError(f"compile: cannot use {m!r} as a metric; give a name such as "
                                "'accuracy', a Metric object, or a function (y_true, y_pred)")
        self.loss = loss
        self._compiled_loss_obj = _CompiledLoss(self, loss)
        self._compiled_metrics_obj = _CompiledMetrics(self, specs, loss)
        self._metric_names = _metric_names(specs)
        self._loss_tracker = _metrics.Mean(name="loss")
        self._compiled = True
        self._run_eagerly = run_eagerly
        self._reset_step_functions()

    @property
    def compiled_loss(self):
        """The compiled loss: ``model.compiled_loss(y, y_pred, regularization_losses=...)``."""
        self._require_compiled("compiled_loss")
        return self._compiled_loss_obj

    @property
    def compiled_metrics(self):
        """The compiled metrics: ``model.compiled_metrics.update_state(y, y_pred)``."""
        self._require_compiled("compiled_metrics")
        return self._compiled_metrics_obj

    @property
    def metrics(self):
        """The metric objects: the loss's running mean, then the compiled metrics."""
        if not self._compiled:
            return []
        return [self._loss_tracker] + list(self._compiled_metrics_obj.metrics or [])

    @property
    def metrics_names(self):
        """Names of what ``evaluate`` returns, in order: 'loss', then the metrics."""
        if not self._compiled:
            return []
        return ["loss"] + list(self._metric_names)

    @property
    def history(self):
        """The :class:`History` of the last ``fit``."""
        return self._history

    @history.setter
    def history(self, value):
        self._history = value

    def reset_metrics(self):
        """Reset every metric's running state (fit does this each epoch)."""
        for m in self.metrics:
            m.reset_state()
        if self._compiled:
            self._compiled_metrics_obj.reset_state()

    def _require_compiled(self, what):
        if not self._compiled:
            raise RuntimeError(f"You must call compile() before using the model for {what}, e.g. "
                               "model.compile(optimizer='adam', loss='mse', metrics=['accuracy'])")

    # ---------------------------------------------------------------- steps
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None):
        """The compiled loss on one batch, plus any ``add_loss`` losses."""
        return self.compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)

    def compute_metrics(self, x, y, y_pred, sample_weight):
        """Update the compiled metrics with one batch; returns every metric's result."""
        self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        """``{name: tensor}`` for the loss and every metric, so far this epoch."""
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        """One training step on a batch; override it to customise ``fit``.

        Runs the forward pass under a GradientTape, applies the gradients of
        the loss, updates the metrics, and returns their results.
        """
        x, y, sample_weight = _unpack(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        variables = self.trainable_variables
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        """One evaluation step: forward pass (not training), loss and metrics."""
        x, y, sample_weight = _unpack(data)
        y_pred = self(x, training=False)
        if self._compiled_loss_obj._fn is not None:
            self.compute_loss(x, y, y_pred, sample_weight)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """One prediction step: the model's output for a batch of inputs."""
        x, _, _ = _unpack(data)
        return self(x, training=False)

    # ---------------------------------------------------------------- traced steps
    @property
    def run_eagerly(self):
        """True when ``fit``, ``evaluate`` and ``predict`` run their steps as plain Python.

        By default (``compile(run_eagerly=None)``) they trace ``train_step``,
        ``test_step`` and ``predict_step`` with ``d2l.function``, as
        TensorFlow does: your step's Python code runs once per input
        signature, and each batch runs the compiled plan. Set it to True (or
        ``compile(run_eagerly=True)``, or ``d2l.config.run_functions_eagerly(True)``)
        to debug a step with ``print`` and ``.numpy()``.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1)])
        >>> model.compile('sgd', loss='mse')
        >>> model.run_eagerly
        False
        >>> model.run_eagerly = True
        >>> model.run_eagerly
        True
        """
        return bool(self._run_eagerly or
                    (self._run_eagerly is None and functions_run_eagerly()))

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = value
        self._reset_step_functions()

    def _reset_step_functions(self):
        self.train_function = self.test_function = self.predict_function = None

    def _step_function(self, step, name):
        """``step`` (a bound ``train_step``, ...) traced by ``d2l.function``, or as it is when
        running eagerly; Keras's ``make_train_function``."""
        def run(data):
            return step(data)
        run.__name__ = name
        if self.run_eagerly:
            return run
        # reduce_retracing: the last, smaller batch makes one more trace, with the batch
        # dimension relaxed to None, and every later batch size uses that one.
        traced = _traced(run, reduce_retracing=True)

        def call(data):
            before = traced.experimental_get_tracing_count()
            try:
                return traced(data)
            except (TypeError, AttributeError, NotImplementedError,
                    OperatorNotAllowedInGraphError) as e:
                if traced.experimental_get_tracing_count() != before:    # failed while tracing
                    e.add_note(
                        f"(Model.{name.replace('function', 'step')} ran inside d2l.function, as "
                        "fit, evaluate and predict trace their steps by default. If the step "
                        "needs Python values (.numpy(), float(), NumPy, an `if` on a tensor), "
                        "compile the model with run_eagerly=True.)")
                raise
        call.python_function = step
        call.function = traced
        call.experimental_get_tracing_count = traced.experimental_get_tracing_count
        call.get_concrete_function = traced.get_concrete_function
        return call

    def make_train_function(self, force=False):
        """The function ``fit`` calls on each batch: ``train_step``, traced unless running
        eagerly (``model.train_function``).

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1)])
        >>> model.compile('sgd', loss='mse')
        >>> _ = model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=4, verbose=0)
        >>> model.train_function.experimental_get_tracing_count()
        1
        """
        if self.train_function is None or force:
            self.train_function = self._step_function(self.train_step, "train_function")
        return self.train_function

    def make_test_function(self, force=False):
        """The function ``evaluate`` calls on each batch: ``test_step``, traced unless running
        eagerly."""
        if self.test_function is None or force:
            self.test_function = self._step_function(self.test_step, "test_function")
        return self.test_function

    def make_predict_function(self, force=False):
        """The function ``predict`` calls on each batch: ``predict_step``, traced unless
        running eagerly."""
        if self.predict_function is None or force:
            self.predict_function = self._step_function(self.predict_step, "predict_function")
        return self.predict_function

    def _build_from(self, data, step_name):
        """Create the weights with one eager forward pass on the first batch, before any
        trace: a trace that creates Variables must be traced twice (TensorFlow's rule)."""
        if self.built or getattr(type(self), step_name) is not getattr(Model, step_name):
            return
        self(_unpack(data)[0], training=False)

    # ---------------------------------------------------------------- data
    def _dataset(self, op, x, y=None, sample_weight=None, batch_size=None, shuffle=False):
        if isinstance(x, Dataset):
            if y is not None:
                raise ValueError(f"{op}: y must not be given with a Dataset; its elements must "
                                 "be (x, y) pairs")
            if batch_size is not None:
                raise ValueError(f"{op}: do not give batch_size with a Dataset; it decides its "
                                 "own batches: use dataset.batch(n)")
            if sample_weight is not None:
                raise ValueError(f"{op}: sample_weight is not supported with a Dataset; make "
                                 "its elements (x, y, sample_weight)")
            return x
        if x is None:
            raise ValueError(f"{op}: no data given; pass x (and y), or a Dataset")
        x = _as_structure(x)
        parts = [("x", x)] + ([("y", _as_structure(y))] if y is not None else []) + (
            [("sample_weight", sample_weight)] if sample_weight is not None else [])
        sizes = [(name, _num_rows(leaf)) for name, value in parts
                 for leaf in (nest.flatten(value) if isinstance(value, (tuple, dict)) else [value])]
        counts = {n for _, n in sizes}
        if None in counts:
            bad = [name for name, n in sizes if n is None][0]
            raise ValueError(f"{op}: {bad} is a scalar; it needs one row per example")
        if len(counts) > 1:
            described = ", ".join(f"{name} has {n}" for name, n in sizes)
            raise ValueError(f"{op}: data cardinality is ambiguous: {described} samples. Make "
                             "sure x and y contain the same number of examples (slice both the "
                             "same way, e.g. x[:n], y[:n])")
        n = counts.pop()
        if n == 0:
            raise ValueError(f"{op}: got empty data (0 examples)")
        element = tuple(value for _, value in parts)
        ds = Dataset.from_tensor_slices(element)
        if shuffle:
            ds = ds.shuffle(n)
        return ds.batch(32 if batch_size is None else int(batch_size))

    @staticmethod
    def _steps(ds, steps, op):
        n = ds._cardinality()
        if steps is not None:
            return int(steps)
        if n == INFINITE_CARDINALITY:
            raise ValueError(f"{op}: the dataset repeats forever; give steps_per_epoch (or "
                             "steps) so an epoch ends, or remove .repeat()")
        return None if n == UNKNOWN_CARDINALITY else n

    # ---------------------------------------------------------------- fit
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Train for ``epochs`` passes over the data; returns a :class:`History`.

        ``x`` and ``y`` are arrays or tensors (batched by ``batch_size``,
        default 32, and shuffled each epoch unless ``shuffle=False``), or ``x``
        is a Dataset of (x, y) batches. ``validation_data`` (a tuple or a
        Dataset) or ``validation_split`` (the last fraction of the arrays) is
        evaluated after each epoch and logged as 'val_loss', 'val_accuracy', ...

        ``verbose``: 0 prints nothing, 1 ('auto') a progress bar per epoch in
        a notebook or terminal (one line per epoch otherwise), 2 one line per
        epoch.

        >>> d2l.random.set_seed(1)
        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2)])
        >>> model.compile('sgd', loss='mse', metrics=['mae'])
        >>> h = model.fit(np.ones((8, 3)), np.zeros((8, 2)), epochs=2, verbose=0,
        ...               validation_data=(np.ones((4, 3)), np.zeros((4, 2))))
        >>> sorted(h.history), h.epoch
        (['loss', 'mae', 'val_loss', 'val_mae'], [0, 1])
        """
        unknown = set(kwargs) - {"max_queue_size", "workers", "use_multiprocessing"}
        if unknown:
            raise TypeError(f"fit: unexpected keyword arguments {sorted(unknown)}")
        self._require_compiled("training (fit)")
        if class_weight is not None:
            raise NotImplementedError("fit: class_weight is not supported; pass sample_weight")
        if validation_split:
            if isinstance(x, Dataset):
                raise ValueError("fit: validation_split only works with arrays; split a Dataset "
                                 "with take() and skip() and pass validation_data=")
            if not 0 < validation_split < 1:
                raise ValueError(f"fit: validation_split must be between 0 and 1, got "
                                 f"{validation_split}")
            if validation_data is None:
                n = _num_rows(nest.flatten(_as_structure(x))[0])
                cut = int(n * (1.0 - validation_split))
                take = (lambda v, a, b: nest.map_structure(lambda t: t[a:b], _as_structure(v))
                        if v is not None else None)
                validation_data = (take(x, cut, n), take(y, cut, n)) + (
                    (take(sample_weight, cut, n),) if sample_weight is not None else ())
                x, y = take(x, 0, cut), take(y, 0, cut)
                sample_weight = take(sample_weight, 0, cut)
        ds = self._dataset("fit", x, y, sample_weight, batch_size, shuffle)
        steps = self._steps(ds, steps_per_epoch, "fit")
        val_ds = None
        if validation_data is not None:
            if isinstance(validation_data, Dataset):
                val_ds = validation_data
            else:
                if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
                    raise ValueError("fit: validation_data must be a Dataset or a tuple "
                                     "(x_val, y_val) or (x_val, y_val, sample_weight)")
                val_ds = self._dataset("validation_data", validation_data[0], validation_data[1],
                                       validation_data[2] if len(validation_data) == 3 else None,
                                       validation_batch_size or batch_size)

        history = _callbacks.History()
        mode = _display_mode(verbose)
        cbs = _callbacks.CallbackList(list(callbacks or []) + [history], model=self,
                                      verbose=verbose, epochs=epochs, steps=steps)
        batch_end = cbs.wants("on_train_batch_end")
        batch_begin = cbs.wants("on_train_batch_begin")
        self.stop_training = False
        cbs.call("on_train_begin", {})
        iterator = iter(ds) if steps_per_epoch is not None else None
        train_function = self.make_train_function()
        want_floats = batch_end or mode == "bar"
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.call("on_epoch_begin", epoch, {})
            progress = _Progress(mode, steps, f"Epoch {epoch + 1}/{epochs}")
            batches = iterator if iterator is not None else iter(ds)
            step = 0
            while steps is None or step < steps:
                try:
                    data = next(batches)
                except StopIteration:
                    if iterator is not None:      # steps_per_epoch ran past the data
                        _logging.warning(
                            f"fit: the input ran out of data after {step} of {steps} steps in "
                            f"epoch {epoch + 1}; it starts again next epoch. Use "
                            "dataset.repeat() so steps_per_epoch * epochs batches exist")
                        iterator = iter(ds)
                    break
                if batch_begin:
                    cbs.call("on_train_batch_begin", step, {})
                if not self.built:
                    self._build_from(data, "train_step")
                logs = train_function(data)
                if want_floats:           # callbacks and the bar see Python numbers
                    logs = _floats(logs)
                step += 1
                if batch_end:
                    cbs.call("on_train_batch_end", step - 1, logs)
                progress.update(logs)
                if self.stop_training:
                    break
            if step == 0:
                progress.close(0, {})
                raise ValueError("fit: the training data produced no batches (is the dataset "
                                 "empty, or exhausted by take()/a generator?)")
            logs = _floats(logs)      # as Keras: the last step's logs (running means)
            if val_ds is not None and ((epoch + 1) in validation_freq
                                       if isinstance(validation_freq, (list, tuple, set, range))
                                       else (epoch + 1) % validation_freq == 0):
                val_logs = self.evaluate(val_ds, steps=validation_steps, verbose=0,
                                         return_dict=True)
                logs.update({"val_" + k: v for k, v in val_logs.items()})
            progress.close(step, logs)
            cbs.call("on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        cbs.call("on_train_end", logs)
        history.params = {"verbose": verbose, "epochs": epochs, "steps": steps}
        self._history = history
        return history

    # ---------------------------------------------------------------- evaluate / predict
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """The loss and metrics on data, computed in batches (not training).

        Returns the loss (a float) when no metrics were compiled, else
        ``[loss, metric, ...]`` in the order of ``metrics_names``; a dict with
        ``return_dict=True``.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1, kernel_initializer='zeros')])
        >>> model.compile('sgd', loss='mse', metrics=['mae'])
        >>> model.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
        [1.0, 1.0]
        """
        self._require_compiled("evaluation")
        ds = self._dataset("evaluate", x, y, sample_weight, batch_size)
        total = self._steps(ds, steps, "evaluate")
        self.reset_metrics()
        cbs = _callbacks.CallbackList(callbacks, model=self) if callbacks else None
        if cbs:
            cbs.call("on_test_begin", {})
        mode = _display_mode(verbose)
        progress = _Progress(mode, total, "")
        test_function = self.make_test_function()
        logs, step = {}, 0
        for data in ds:
            if total is not None and step >= total:
                break
            if not self.built:
                self._build_from(data, "test_step")
            logs = test_function(data)
            if cbs or mode == "bar":
                logs = _floats(logs)
            if cbs:
                cbs.call("on_test_batch_end", step, logs)
            step += 1
            progress.update(logs)
        logs = _floats(logs if step else self.get_metrics_result())
        if self._compiled_loss_obj._fn is None and type(self).test_step is Model.test_step:
            logs.pop("loss", None)
        progress.close(step, logs)
        if cbs:
            cbs.call("on_test_end", logs)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """The model's outputs for ``x``, computed in batches (default 32), as a NumPy array.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(3)])
        >>> model.predict(np.zeros((70, 5)), verbose=0).shape
        (70, 3)
        """
        ds = self._dataset("predict", x, batch_size=batch_size)
        total = self._steps(ds, steps, "predict")
        progress = _Progress(_display_mode(verbose), total, "")
        predict_function = self.make_predict_function()
        outputs, step = [], 0
        for data in ds:
            if total is not None and step >= total:
                break
            if not self.built:
                self._build_from(data, "predict_step")
            out = predict_function(data)
            outputs.append(nest.map_structure(np.asarray, out))
            step += 1
            progress.update({})
        progress.close(step, {})
        if not outputs:
            raise ValueError("predict: the data produced no batches (is it empty?)")
        return nest.map_structure(lambda *batches: np.concatenate(batches, axis=0), *outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True,
                       return_dict=False):
        """One training step on one batch; returns the loss (and metrics) on it.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1)])
        >>> model.compile('sgd', loss='mse')
        >>> isinstance(model.train_on_batch(np.ones((4, 2)), np.ones((4, 1))), float)
        True
        """
        self._require_compiled("training (train_on_batch)")
        if reset_metrics:
            self.reset_metrics()
        data = (self._convert(_as_structure(x)),) + (
            (self._convert_any(y),) if y is not None else ()) + (
            (self._convert_any(sample_weight),) if sample_weight is not None else ())
        data = data if len(data) > 1 else data[0]
        if not self.built:
            self._build_from(data, "train_step")
        logs = _floats(self.make_train_function()(data))
        return logs if return_dict else (list(logs.values()) if len(logs) > 1
                                         else list(logs.values())[0])

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        """Loss (and metrics) on one batch, without training."""
        self._require_compiled("evaluation (test_on_batch)")
        if reset_metrics:
            self.reset_metrics()
        data = (self._convert(_as_structure(x)),) + (
            (self._convert_any(y),) if y is not None else ())
        data = data if len(data) > 1 else data[0]
        if not self.built:
            self._build_from(data, "test_step")
        logs = _floats(self.make_test_function()(data))
        return logs if return_dict else (list(logs.values()) if len(logs) > 1
                                         else list(logs.values())[0])

    def predict_on_batch(self, x):
        """The outputs for one batch, as NumPy.

        >>> d2l.keras.Sequential([d2l.keras.layers.Dense(2)]).predict_on_batch(np.ones((3, 4))).shape
        (3, 2)
        """
        data = self._convert(_as_structure(x))
        if not self.built:
            self._build_from(data, "predict_step")
        return nest.map_structure(np.asarray, self.make_predict_function()(data))

    @staticmethod
    def _convert_any(value):
        from ..tensor import convert_to_tensor
        return value if isinstance(value, Tensor) else convert_to_tensor(np.asarray(value))

    # ---------------------------------------------------------------- summary
    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print a table of the layers, their output shapes and parameter counts.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(4, input_shape=(3,), name='h'),
        ...                               d2l.keras.layers.Dense(1, name='out')], name='demo')
        >>> model.summary()
        Model: "demo"
        _________________________________________________________________
        Layer (type)                 Output Shape              Param #
        =================================================================
        h (Dense)                    (None, 4)                 16
        _________________________________________________________________
        out (Dense)                  (None, 1)                 5
        =================================================================
        Total params: 21
        Trainable params: 21
        Non-trainable params: 0
        _________________________________________________________________
        """
        if not self.built:
            raise ValueError(
                f"This model ('{self.name}') has not yet been built, so its weights and shapes "
                "are unknown. Build it first by calling it on a batch of data (model(x)), by "
                "calling model.build((None, 784)), or by giving the first layer an input_shape "
                "(e.g. layers.Dense(256, input_shape=(784,)))")
        print_fn = print_fn or print
        line_length = line_length or 65
        positions = positions or [0.45, 0.85, 1.0]
        if positions[-1] <= 1:
            positions = [int(line_length * p) for p in positions]
        headers = ["Layer (type)", "Output Shape", "Param #"]

        def row(fields):
            line = ""
            for i, field in enumerate(fields):
                if i > 0:
                    line = line[:-1] + " "
                line += str(field)
                line = line[:positions[i]]
                line += " " * (positions[i] - len(line))
            return line.rstrip()

        print_fn(f'Model: "{self.name}"')
        print_fn("_" * line_length)
        print_fn(row(headers))
        print_fn("=" * line_length)
        layers = self.layers
        for i, layer in enumerate(layers):
            shape = layer._out_shape
            shape_text = ("multiple" if shape == "multiple" else "?" if shape is None
                          else shape)
            if isinstance(layer, InputLayer):
                shape_text = f"[{shape_text}]"
            params = layer.count_params() if (layer.built or layer.weights) else 0
            print_fn(row([f"{layer.name} ({type(layer).__name__})", shape_text, params]))
            print_fn(("=" if i == len(layers) - 1 else "_") * line_length)
        if not layers:
            print_fn("=" * line_length)
        trainable = sum(int(np.prod(v.shape.as_list())) for v in self.trainable_weights)
        frozen = sum(int(np.prod(v.shape.as_list())) for v in self.non_trainable_weights)
        print_fn(f"Total params: {trainable + frozen:,}")
        print_fn(f"Trainable params: {trainable:,}")
        print_fn(f"Non-trainable params: {frozen:,}")
        print_fn("_" * line_length)

    # ---------------------------------------------------------------- saving
    def save_weights(self, filepath, overwrite=True, save_format=None, options=None):
        """Save every weight to a NumPy ``.npz`` file at exactly ``filepath``.

        >>> import os, tempfile
        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
        >>> path = os.path.join(tempfile.mkdtemp(), 'mlp.weights.npz')
        >>> model.save_weights(path)
        >>> clone = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
        >>> clone.load_weights(path)
        >>> all(np.array_equal(a, b) for a, b in zip(model.get_weights(), clone.get_weights()))
        True
        """
        variables = self.weights
        if not variables:
            raise ValueError(f"save_weights: model '{self.name}' has no weights yet (layers "
                             "create them on their first call); build it or train it first")
        filepath = os.fspath(filepath)
        if not overwrite and os.path.exists(filepath):
            raise FileExistsError(f"save_weights: {filepath} exists and overwrite=False")
        folder = os.path.dirname(filepath)
        if folder:
            os.makedirs(folder, exist_ok=True)
        arrays = {f"w{i:04d}": v.numpy() for i, v in enumerate(variables)}
        arrays["names"] = np.array([v.name for v in variables])
        with open(filepath, "wb") as f:       # a file object: np.savez adds no '.npz'
            np.savez(f, **arrays)

    def load_weights(self, filepath, skip_mismatch=False, by_name=False, options=None):
        """Load weights saved by ``save_weights`` into this (built) model, in order."""
        filepath = os.fspath(filepath)
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"load_weights: no file at {filepath!r}; save one with "
                                    "model.save_weights(path) first")
        variables = self.weights
        with np.load(filepath, allow_pickle=False) as npz:
            names = [str(n) for n in npz["names"]] if "names" in npz.files else None
            arrays = [npz[k] for k in sorted(k for k in npz.files if k.startswith("w"))]
        if not variables:
            raise ValueError(f"load_weights: model '{self.name}' has no weights yet, so there "
                             f"is nothing to load {len(arrays)} arrays into. Build it first: "
                             "call it on a batch, or model.build(input_shape)")
        if len(arrays) != len(variables):
            raise ValueError(f"load_weights: {filepath} holds {len(arrays)} weights but model "
                             f"'{self.name}' has {len(variables)}; it was saved from a different "
                             "architecture")
        for i, (v, a) in enumerate(zip(variables, arrays)):
            if tuple(a.shape) != tuple(array_of(v).shape):
                saved = f" (saved as '{names[i]}')" if names else ""
                raise ValueError(f"load_weights: weight {i} '{v.name}' has shape "
                                 f"{v.shape} but the file's weight{saved} has shape "
                                 f"{a.shape}; it was saved from a different "
                                 "architecture")
        for v, a in zip(variables, arrays):
            v.assign(a.astype(v.dtype.np, copy=False))

    def save(self, filepath, overwrite=True, save_format=None, **kwargs):
        """Save architecture, weights and compile settings to one ``.keras`` file.

        The file is a zip (config.json, metadata.json, model.weights.npz) in
        d2l_core's own format: ``keras.models.load_model`` reads it back;
        TensorFlow cannot (see ``d2l_core.keras.saving``). SavedModel
        directories and ``.h5`` files are not supported.

        >>> import os, tempfile
        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
        >>> path = os.path.join(tempfile.mkdtemp(), 'model.keras')
        >>> model.save(path)
        >>> clone = d2l.keras.models.load_model(path)
        >>> all(np.array_equal(a, b) for a, b in zip(model.get_weights(), clone.get_weights()))
        True
        """
        filepath = _saving.check_path("save", filepath)
        if self._nodes is None and not isinstance(self, Sequential):
            raise NotImplementedError(
                f"save: '{self.name}' is a subclassed model, whose architecture is Python code "
                "that cannot be written to a file. Save its weights with "
                "model.save_weights('name.weights.npz') and load them into a new instance, or "
                "build it with keras.Sequential or keras.Model(inputs, outputs)")
        if not self.built or not self.weights:
            raise ValueError(f"save: model '{self.name}' is not built yet (its weights do not "
                             "exist); call it on data, fit it, or give the first layer "
                             "input_shape= before saving")
        config = {"class_name": "Sequential" if isinstance(self, Sequential) else "Functional",
                  "config": _saving.json_ready(self.get_config())}
        if self._compiled:
            config["compile_config"] = _saving.compile_config(
                self.optimizer, self.loss, self._compiled_metrics_obj._specs)
        _saving.write_archive(filepath, config, self.weights, overwrite)

    def get_config(self):
        """The architecture: for a functional model, its layers and how they connect.

        >>> inputs = d2l.keras.Input(shape=(3,), name='x')
        >>> model = d2l.keras.Model(inputs, d2l.keras.layers.Dense(2, name='d')(inputs), name='m')
        >>> config = model.get_config()
        >>> [l['name'] for l in config['layers']], config['output_layers']
        (['x', 'd'], ['d', 0, 0])
        """
        if self._nodes is None:
            return super().get_config()
        made = {}           # id(KerasTensor) -> [layer name, 0, index among its outputs]
        for t in nest.flatten(self._input_tensors):
            made[id(t)] = [t._layer.name, 0, 0]
        layers = [{"class_name": "InputLayer", "name": t._layer.name,
                   "config": t._layer.get_config(), "inbound_nodes": []}
                  for t in nest.flatten(self._input_tensors)]
        for node in self._nodes:
            if id(node.layer) in {id(n.layer) for n in self._nodes if n is not node}:
                raise NotImplementedError(f"get_config: layer '{node.layer.name}' is called more "
                                          "than once (a shared layer); saving such models is not "
                                          "supported")
            for i, t in enumerate(nest.flatten(node.outputs)):
                made[id(t)] = [node.layer.name, 0, i]
            inbound = nest.map_structure(
                lambda t: made[id(t)] if isinstance(t, KerasTensor) else t, node.inputs)
            layers.append({**_saving.serialize_layer(node.layer), "name": node.layer.name,
                           "inbound_nodes": [{"args": [inbound], "kwargs": node.kwargs}]})
        return {"name": self.name, "trainable": self.trainable, "layers": layers,
                "input_layers": nest.map_structure(lambda t: made[id(t)], self._input_tensors),
                "output_layers": nest.map_structure(lambda t: made[id(t)],
                                                     self._output_tensors)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a functional model from ``get_config()``'s dict (new, untrained weights).

        >>> inputs = d2l.keras.Input(shape=(3,))
        >>> model = d2l.keras.Model(inputs, d2l.keras.layers.Dense(2)(inputs))
        >>> d2l.keras.Model.from_config(model.get_config()).count_params()
        8
        """
        if "layers" not in config or "input_layers" not in config:
            return cls(**config)
        made = {}
        for spec in config["layers"]:
            layer = _saving.deserialize_layer(spec, custom_objects)
            if isinstance(layer, InputLayer):
                made[spec["name"]] = [layer._keras_tensor]
                continue
            node = spec["inbound_nodes"][0]
            args = _resolve(node["args"][0], made)
            outputs = layer(args, **node.get("kwargs", {}))
            made[spec["name"]] = nest.flatten(outputs)
        inputs = _resolve(config["input_layers"], made)
        outputs = _resolve(config["output_layers"], made)
        return Model(inputs, outputs, name=config.get("name"))


def _specs(input_shape, dtype):
    """Specs for ``build(input_shape)``: one shape, or a list or dict of shapes."""
    if isinstance(input_shape, dict):
        return {k: _specs(v, dtype) for k, v in input_shape.items()}
    if isinstance(input_shape, (list, tuple)) and input_shape and all(
            isinstance(s, (list, tuple, TensorShape)) for s in input_shape):
        return [_specs(s, dtype) for s in input_shape]
    return stand_in.Spec(input_shape, dtype)


# ==================================================================== Sequential

class Sequential(Model):
    """A plain stack of layers, each feeding the next (``tf.keras.Sequential``).

    >>> model = d2l.keras.Sequential([
    ...     d2l.keras.layers.Dense(256, activation='relu'),
    ...     d2l.keras.layers.Dense(10)])
    >>> model(d2l.zeros((4, 784))).shape
    TensorShape([4, 10])
    >>> model.count_params()      # 784·256 + 256 + 256·10 + 10
    203530
    """

    def __init__(self, layers=None, name=None, **kwargs):
        super().__init__(name=name or _naming.unique_name("sequential"), **kwargs)
        self._layers = []
        self._input_layer = None
        self._graph = None          # (input, output) KerasTensors once the input shape is known
        self._graph_shape = None    # the input shape they were traced for
        if layers is not None:
            if isinstance(layers, (Layer, KerasTensor)):
                layers = [layers]
            for layer in layers:
                self.add(layer)

    @property
    def layers(self):
        """The layers, in order (an ``Input`` is not listed, as in Keras)."""
        return list(self._layers)

    def add(self, layer):
        """Append a layer on top of the stack.

        >>> model = d2l.keras.Sequential()
        >>> model.add(d2l.keras.layers.Dense(2))
        >>> len(model.layers)
        1
        """
        if isinstance(layer, KerasTensor):
            if layer._node is not None:
                raise TypeError("Sequential.add: only an Input (keras.Input(shape=...)) can be "
                                "added as a tensor; add layers otherwise")
            layer = layer._layer
        if isinstance(layer, type) and issubclass(layer, Layer):
            raise TypeError(f"Sequential.add: got the class {layer.__name__}, not a layer; did "
                            f"you forget the parentheses, e.g. layers.{layer.__name__}(...)?")
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add: the added layer must be a Layer, got "
                            f"{type(layer).__name__} {layer!r:.60}")
        if isinstance(layer, InputLayer):
            if self._layers or self._input_layer is not None:
                raise ValueError("Sequential.add: an Input must be the first layer")
            self._input_layer = layer
            self._batch_input_shape = layer._batch_input_shape
            return
        if any(layer is other for other in self._layers):
            raise ValueError(f"Sequential.add: layer '{layer.name}' is already in the model; "
                             "create a new layer to add another one")
        self._layers.append(layer)
        if len(self._layers) == 1 and self._input_layer is None and \
                layer._batch_input_shape is not None:
            self._batch_input_shape = layer._batch_input_shape
        if self._batch_input_shape is not None:
            if self.built and self._graph is not None and len(self._layers) > 1 and \
                    self._graph_shape == tuple(TensorShape(self._batch_input_shape)):
                # Only the new layer needs building: call it on the stack's symbolic output
                # (as the whole-stack build would, it is built on stand-ins).
                self._out_shape = None
                self._graph = (self._graph[0], layer(self._graph[1]))
            else:
                self.build(self._batch_input_shape)
        else:
            self.built = False

    def pop(self):
        """Remove the last layer.

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2), d2l.keras.layers.Dense(1)])
        >>> model.pop(); len(model.layers)
        1
        """
        if not self._layers:
            raise TypeError("Sequential.pop: there are no layers in the model")
        self._layers.pop()
        if self._graph is not None:
            self._graph = None
            if self._layers:
                self._trace(tuple(self._batch_input_shape or self._graph_shape))

    def build(self, input_shape=None):
        """Build every layer for inputs of ``input_shape`` (None = batch), e.g. ``(None, 784)``."""
        if input_shape is None:
            input_shape = self._batch_input_shape
        if input_shape is None:
            raise ValueError(f"Sequential '{self.name}'.build: give the input shape, e.g. "
                             "model.build((None, 784)), or give the first layer input_shape=")
        input_shape = tuple(TensorShape(input_shape))
        self._batch_input_shape = input_shape
        if self._layers:
            self._out_shape = None             # the stack changed: forget the old output shape
            self._build_on_stand_ins(stand_in.Spec(input_shape, self._dtype))
            self._trace(input_shape)
        self.built = True

    def _trace(self, input_shape):
        """Call the (built) layers on a ``keras.Input`` of ``input_shape``, as Keras 3 does, so
        the model has ``inputs``/``outputs`` and each layer an ``input``/``output``."""
        first = self._input_layer
        if first is None or tuple(first._batch_input_shape) != tuple(input_shape):
            first = InputLayer(batch_input_shape=input_shape, dtype=self._dtype)
        x = first._keras_tensor
        for layer in self._layers:
            x = layer(x)
        self._graph, self._graph_shape = (first._keras_tensor, x), tuple(input_shape)

    def __call__(self, inputs, *args, **kwargs):
        first_call = not self.built
        outputs = super().__call__(inputs, *args, **kwargs)
        if first_call and self._graph is None and self._batch_input_shape is None and \
                self._layers and not self._nested_call():
            # Keras 3 builds a Sequential for the shape it is first called on.
            shape = getattr(inputs, "shape", None)
            if shape is not None and not isinstance(inputs, KerasTensor):
                try:
                    self._trace(tuple(TensorShape(shape).as_list()))
                except Exception:       # noqa: BLE001  (the model ran; only its graph is unknown)
                    self._graph = None
        return outputs

    def _traced(self, what):
        if self._graph is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has no defined {what} yet. Its input shape is "
                "not known: start it with keras.Input(shape=...), call model.build(input_shape) "
                "or call it on a batch of data")
        return self._graph

    @property
    def inputs(self):
        """``[keras.Input]`` the model starts from, once its input shape is known (Keras 3).

        >>> model = d2l.keras.Sequential([d2l.keras.Input(shape=(4,)), d2l.keras.layers.Dense(2)])
        >>> model.inputs[0].shape
        TensorShape([None, 4])
        """
        return [self._traced("inputs")[0]]

    @property
    def outputs(self):
        """``[KerasTensor]`` the last layer returns for ``inputs`` (Keras 3).

        >>> model = d2l.keras.Sequential([d2l.keras.Input(shape=(4,)), d2l.keras.layers.Dense(2)])
        >>> model.outputs[0].shape
        TensorShape([None, 2])
        """
        return [self._traced("outputs")[1]]

    def call(self, inputs, training=None, mask=None):
        x = inputs
        if not self._layers:
            raise ValueError(f"Sequential '{self.name}' has no layers; add some with "
                             "model.add(layer)")
        for layer in self._layers:
            x = layer(x, training=training)
        return x

    def get_config(self):
        return {"name": self.name, "layers": [
            {"class_name": type(l).__name__, "config": l.get_config()} for l in self._layers],
            "build_input_shape": self._batch_input_shape}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new Sequential model from ``get_config()``'s dict (built when the input shape is known).

        >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
        >>> d2l.keras.Sequential.from_config(model.get_config()).count_params()
        8
        """
        model = cls(name=config.get("name"))
        for spec in config.get("layers", []):
            model.add(_saving.deserialize_layer(spec, custom_objects))
        shape = config.get("build_input_shape")
        if shape is not None and not model.built:
            model.build(tuple(shape))
        return model


def _resolve(structure, made):
    """Replace each ``[layer name, node, index]`` reference in ``structure`` by that tensor."""
    if isinstance(structure, list) and len(structure) == 3 and isinstance(structure[0], str) \
            and isinstance(structure[1], int):
        return made[structure[0]][structure[2]]
    if isinstance(structure, (list, tuple)):
        return [_resolve(s, made) for s in structure]
    if isinstance(structure, dict):
        return {k: _resolve(v, made) for k, v in structure.items()}
    return structure


# ==================================================================== saving and loading

def save_model(model, filepath, overwrite=True, save_format=None, **kwargs):
    """``model.save(filepath)`` (``keras.models.save_model``): d2l_core's ``.keras`` zip.

    >>> import os, tempfile
    >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1, input_shape=(2,))])
    >>> d2l.keras.models.save_model(model, os.path.join(tempfile.mkdtemp(), 'm.keras'))
    """
    model.save(filepath, overwrite=overwrite, save_format=save_format, **kwargs)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):  # noqa: A002
    """A model saved by ``model.save('x.keras')``: architecture, weights and compile settings.

    Only files written by d2l_core load (its own format; see
    ``d2l_core.keras.saving``). With ``compile=True`` (the default) a model
    saved after ``compile`` comes back compiled with the same optimizer
    settings, loss and metrics, so ``evaluate`` gives the same numbers.

    >>> import os, tempfile
    >>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(1, input_shape=(2,))])
    >>> model.compile(optimizer='adam', loss='mse')
    >>> path = os.path.join(tempfile.mkdtemp(), 'm.keras')
    >>> model.save(path)
    >>> restored = d2l.keras.models.load_model(path)
    >>> restored.optimizer, restored.loss
    (<Adam learning_rate=0.001>, 'mse')
    """
    config, arrays = _saving.read_archive(filepath)
    kind, architecture = config.get("class_name"), config.get("config", {})
    if kind == "Sequential":
        model = Sequential.from_config(architecture, custom_objects)
    elif kind == "Functional":
        model = Model.from_config(architecture, custom_objects)
    else:
        raise ValueError(f"load_model: unknown model class {kind!r} in {filepath}")
    if not model.built:
        raise ValueError(f"load_model: the model in {filepath} has no input shape, so its "
                         "weights cannot be created; it was saved unbuilt")
    _saving.assign_weights(model, arrays, filepath)
    if compile and config.get("compile_config"):
        model.compile(**_saving.compile_args(config["compile_config"]))
    return model


__all__ += ["save_model", "load_model"]
