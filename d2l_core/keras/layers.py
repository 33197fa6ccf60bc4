"""Layers: the building blocks of models (``tf.keras.layers``).

A layer holds weights (Variables) and maps input tensors to output tensors.
Weights are created lazily: ``Dense(256)`` does not know its input size until
it is first called, then ``build`` makes a kernel of shape (inputs, 256).

>>> import d2l_core as d2l
>>> from d2l_core.keras import layers
>>> dense = layers.Dense(3, activation='relu')
>>> dense.built
False
>>> y = dense(d2l.ones((2, 4)))
>>> y.shape, [w.shape for w in dense.weights]
(TensorShape([2, 3]), [TensorShape([4, 3]), TensorShape([3])])

To write your own layer, subclass :class:`Layer`: create weights in
``build(input_shape)`` with ``add_weight`` and compute in ``call(inputs)``.
"""
import contextlib
import functools
import inspect

import numpy as np

from .. import dtypes, nest, stand_in
from ..module import Module, name_scope, with_paths
from ..errors import InvalidArgumentError
from ..ops import array as _array
from ..ops import conv as _conv
from ..ops import linalg as _linalg
from ..ops import math as _math
from ..ops import nn as _nn
from ..ops import reduce as _reduce
from ..tensor import Tensor, Variable, array_of, convert_to_tensor, name_scope_prefix
from ..tensor_shape import TensorShape
from . import _naming
from . import activations as _activations
from .backend import int_shape
from . import initializers as _initializers

__all__ = ["Layer", "InputLayer", "Input", "Dense", "Flatten", "Dropout", "Activation", "ReLU",
           "Softmax", "LeakyReLU", "Reshape", "Lambda", "KerasTensor"]


# ==================================================================== the training flag

_training_stack = []    # the ``training`` value of the enclosing layer calls
_loss_layers = []       # layers holding add_loss values, cleared by the next outermost call


@functools.lru_cache(maxsize=None)      # one answer per layer class
def _call_has_training(cls):
    """Whether ``cls.call`` accepts ``training`` (by name or through ``**kwargs``)."""
    try:
        params = inspect.signature(cls.call).parameters
    except (TypeError, ValueError):
        return False
    return "training" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


# ==================================================================== symbolic inputs

class KerasTensor:
    """A symbolic tensor: what ``keras.Input`` returns and layers return when called on one.

    It has a shape (``None`` for the batch) and a dtype but no values; calling
    layers on it records a graph that ``keras.Model(inputs, outputs)`` runs.

    >>> d2l.keras.backend.clear_session()     # restart automatic names
    >>> x = d2l.keras.Input(shape=(784,))
    >>> x
    <KerasTensor: shape=(None, 784) dtype=float32 (created by layer 'input_1')>
    """

    def __init__(self, shape, dtype, layer, node=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self._layer, self._node = layer, node     # node None: made by an InputLayer

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def name(self):
        return self._layer.name

    def __repr__(self):
        return (f"<KerasTensor: shape={self.shape} dtype={self.dtype.name} "
                f"(created by layer '{self._layer.name}')>")

    def _refuse(self, *args, **kwargs):
        raise TypeError("A symbolic Keras input has no values, so d2l ops cannot run on it. Wrap "
                        "the computation in a layer, e.g. layers.Lambda(lambda t: t * 2)(x), or "
                        "subclass keras.Model and write it in call()")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _refuse
    __matmul__ = __rmatmul__ = __pow__ = __neg__ = __getitem__ = __array__ = _refuse

    def __len__(self):
        self._refuse()

    def __bool__(self):
        return True

    def __hash__(self):
        return id(self)


class _Node:
    """One recorded layer call in a functional graph: layer(inputs, **kwargs) -> outputs."""

    __slots__ = ("layer", "inputs", "kwargs", "outputs")

    def __init__(self, layer, inputs, kwargs):
        self.layer, self.inputs, self.kwargs, self.outputs = layer, inputs, kwargs, None


# ==================================================================== Layer

class Layer(Module):
    """Base class of all layers (``tf.keras.layers.Layer``); a layer is a ``tf.Module``.

    Subclasses create weights in ``build(input_shape)`` (called once, on the
    first call, when the input's shape is known) and compute in ``call``.
    Layers, Modules, Variables, and lists or dicts of them assigned as
    attributes are tracked, in the order assigned (a dict's items by sorted
    key): their weights show up in ``weights`` and ``trainable_weights``.
    Variables made in ``build`` are named after the layer ('dense/kernel:0').

    >>> class Scale(d2l.keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight('w', shape=(input_shape[-1],), initializer='ones')
    ...     def call(self, inputs):
    ...         return inputs * self.w
    >>> s = Scale()
    >>> s(d2l.constant([[1.0, 2.0]])).numpy(), s.name
    (array([[1., 2.]], dtype=float32), 'scale')
    """

    _scoped_build = True     # build() runs in the layer's name scope (Model: False)

    def __init__(self, trainable=True, name=None, dtype=None, dynamic=False, input_shape=None,
                 batch_input_shape=None, input_dim=None, batch_size=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__}: keyword argument(s) not understood: "
                            f"{sorted(kwargs)}")
        self._own_weights = []          # created by add_weight, in order
        self._losses = []
        self._name = name or _naming.unique_name(_naming.snake_case(type(self).__name__))
        self._trainable = bool(trainable)
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
        if not (self._dtype.is_floating):
            raise TypeError(f"{type(self).__name__}: a layer's dtype must be a float type, got "
                            f"{self._dtype.name}")
        self.built = False
        self._out_shape = None          # last output shape (batch dim as None) for summary()
        self._inbound = []              # _Nodes of its calls on KerasTensors, first first
        if batch_input_shape is None and input_shape is not None:
            if isinstance(input_shape, int):
                input_shape = (input_shape,)
            batch_input_shape = (batch_size,) + tuple(input_shape)
        if batch_input_shape is None and input_dim is not None:
            batch_input_shape = (batch_size, int(input_dim))
        self._batch_input_shape = (None if batch_input_shape is None
                                   else tuple(batch_input_shape))

    # ---------------------------------------------------------------- properties
    @property
    def name(self):
        """The layer's unique name ('dense', 'dense_1', ...)."""
        return self._name

    @property
    def dtype(self):
        """The dtype of the layer's weights and computations, as a name ('float32')."""
        return self._dtype.name

    @property
    def trainable(self):
        """False freezes the layer: its weights leave ``trainable_weights``."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    # ---------------------------------------------------------------- weights
    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None, **kwargs):
        """Create a Variable owned by this layer (call it from ``build``).

        ``initializer`` is a name ('zeros', 'glorot_uniform', ...), an
        initializer object or a function of (shape, dtype); by default
        'glorot_uniform'.

        >>> layer = d2l.keras.layers.Layer(name='demo')
        >>> w = layer.add_weight('w', shape=(2, 3), initializer='zeros')
        >>> w.name, w.shape
        ('demo/w:0', TensorShape([2, 3]))
        """
        if regularizer is not None or constraint is not None:
            raise NotImplementedError("add_weight: regularizers and constraints are not "
                                      "supported; add a penalty to the loss instead")
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = self._dtype if dtype is None else dtypes.as_dtype(dtype)
        init = _initializers.get("glorot_uniform" if initializer is None and dtype.is_floating
                                 else "zeros" if initializer is None else initializer)
        value = init(shape, dtype=dtype)
        with self._build_scope():
            v = Variable(value, trainable=trainable, name=name or "Variable", dtype=dtype)
        self._own_weights.append(v)
        return v

    def _build_scope(self):
        """The scope weights are made in: the layer's name, added once (not again in build)."""
        if name_scope_prefix().endswith(f"{self._name}/"):
            return contextlib.nullcontext()
        return name_scope(self._name)

    def _children(self):
        """Direct sublayers (and Modules) and Variables found in attributes (lists, tuples,
        dicts by sorted key too), in the order the attributes were set."""
        d = self.__dict__
        if "_own_weights" not in d:
            _forgot_super(self)
        layers, variables = [], list(self._own_weights)
        seen = {id(v) for v in variables}
        seen.add(id(self))
        todo = [v for k, v in d.items() if isinstance(v, _TRACKABLE) and k not in _UNTRACKED]
        todo.reverse()
        while todo:                        # depth-first, in attribute order
            value = todo.pop()
            if isinstance(value, Module):
                if id(value) not in seen:
                    seen.add(id(value))
                    layers.append(value)
            elif isinstance(value, Variable):
                if id(value) not in seen:
                    seen.add(id(value))
                    variables.append(value)
            else:
                items = _sorted_values(value) if isinstance(value, dict) else value
                todo.extend(reversed([v for v in items if isinstance(v, _TRACKABLE)]))
        return layers, variables

    def _leaves(self, key=None):
        """``tf.Module``'s walk sees what Keras tracks: own weights, then attributes as set."""
        for i, v in enumerate(self._own_weights):
            yield ("_own_weights", i), v
        d = self.__dict__
        names = [k for k in d if isinstance(d[k], _TRACKABLE) and k not in _UNTRACKED]
        for k in (names if key is None else sorted(names, key=key)):
            yield from with_paths((k,), d[k])

    @property
    def name_scope(self):
        """A ``name_scope`` named after the layer, made where it is entered."""
        return name_scope(self._name)

    def _gather(self, trainable):
        layers, own = self._children()
        if trainable:
            if not self._trainable:
                return []
            out = [v for v in own if v.trainable]
            for layer in layers:
                out.extend(layer._gather(True) if isinstance(layer, Layer)
                           else layer.trainable_variables)
        else:
            out = [v for v in own if not v.trainable or not self._trainable]
            for layer in layers:
                if not isinstance(layer, Layer):        # a plain tf.Module
                    out.extend(layer.non_trainable_variables if self._trainable
                               else layer.variables)
                else:
                    out.extend(layer._gather(False) if self._trainable else layer.weights)
        seen, unique = set(), []
        for v in out:
            if id(v) not in seen:
                seen.add(id(v))
                unique.append(v)
        return unique

    @property
    def trainable_weights(self):
        """The Variables a optimizer should update (none when ``trainable`` is False)."""
        return self._gather(True)

    @property
    def non_trainable_weights(self):
        """Variables that training leaves alone."""
        return self._gather(False)

    @property
    def weights(self):
        """All Variables: trainable ones first."""
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_variables(self):
        """Same as ``trainable_weights``: what ``tape.gradient`` and ``apply_gradients`` take."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights

    @property
    def variables(self):
        """Same as ``weights``."""
        return self.weights

    @property
    def losses(self):
        """Extra losses added with ``add_loss`` during the last call (this layer and sublayers)."""
        if not _loss_layers:       # the usual case: nobody called add_loss
            return []
        out = list(self._losses)
        for layer in self._children()[0]:
            out.extend(layer.losses)
        return out

    def add_loss(self, loss):
        """Add a value (e.g. a penalty) that ``fit`` adds to the loss of this step.

        >>> layer = d2l.keras.layers.Layer()
        >>> layer.add_loss(d2l.constant(0.5)); len(layer.losses)
        1
        """
        self._losses.append(loss() if callable(loss) else loss)
        _loss_layers.append(self)

    def get_weights(self):
        """The weights' values as a list of NumPy arrays (the order of ``weights``).

        >>> d = d2l.keras.layers.Dense(2)
        >>> _ = d(d2l.ones((1, 3)))
        >>> [w.shape for w in d.get_weights()]
        [(3, 2), (2,)]
        """
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Set the weights from a list of arrays shaped like ``get_weights()``'s.

        >>> d = d2l.keras.layers.Dense(1)
        >>> _ = d(d2l.ones((1, 2)))
        >>> d.set_weights([np.array([[1.0], [2.0]]), np.array([0.5])])
        >>> d(d2l.ones((1, 2))).numpy()
        array([[3.5]], dtype=float32)
        """
        variables = self.weights
        weights = list(weights)
        if len(weights) != len(variables):
            raise ValueError(
                f"set_weights: layer '{self.name}' has {len(variables)} weights "
                f"({', '.join(v.name for v in variables) or 'none; is it built?'}) but "
                f"{len(weights)} arrays were given; pass a list like get_weights() returns")
        for i, (v, w) in enumerate(zip(variables, weights)):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(array_of(v).shape):
                raise ValueError(
                    f"set_weights: weight {i} ('{v.name}') has shape {v.shape} but "
                    f"the array given has shape {w.shape}; the arrays must be in the "
                    "order of get_weights(), with the same shapes")
        for v, w in zip(variables, weights):
            v.assign(np.asarray(w).astype(v.dtype.np, copy=False))

    def count_params(self):
        """The number of numbers in all the weights.

        >>> d = d2l.keras.layers.Dense(10)
        >>> d.build((None, 784)); d.count_params()
        7850
        """
        if not self.built and not self.weights:
            raise ValueError(f"You tried to call count_params on layer '{self.name}', but the "
                             "layer isn't built. Build it first with "
                             f"{self.name}.build(input_shape) or by calling it on data")
        return int(sum(int(np.prod(v.shape.as_list())) for v in self.weights))

    # ---------------------------------------------------------------- building and calling
    def build(self, input_shape):
        """Create the weights, knowing the input's shape; called once before the first ``call``."""
        self.built = True

    def call(self, inputs, *args, **kwargs):
        """The computation; subclasses override it. The base layer returns its input."""
        return inputs

    def _convert(self, inputs):
        if type(inputs) is Tensor:
            x = inputs
        elif isinstance(inputs, Variable):
            x = inputs.value()
        elif isinstance(inputs, (dict, tuple)) or (
                isinstance(inputs, list) and inputs and isinstance(inputs[0], (Tensor, np.ndarray))):
            return nest.map_structure(self._convert, inputs)
        elif isinstance(inputs, Tensor):
            x = inputs
        else:
            try:
                x = convert_to_tensor(inputs)
            except (TypeError, ValueError) as e:
                raise TypeError(f"Layer '{self.name}' ({type(self).__name__}): cannot use a "
                                f"{type(inputs).__name__} as input ({e}); pass a tensor or a "
                                "NumPy array") from None
        if x.dtype is not self._dtype and x.dtype.is_floating:
            x = _math.cast(x, self._dtype)      # Keras casts float inputs to the layer's dtype
        return x

    def _maybe_build(self, inputs):
        shapes = nest.map_structure(lambda t: t.shape, inputs)
        if self._scoped_build:
            with self._build_scope():     # tf.Variable(..., name='w') in build: 'layer/w:0'
                self.build(shapes)
        else:
            self.build(shapes)
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if "_own_weights" not in self.__dict__:
            _forgot_super(self)
        if type(inputs) is not Tensor:
            if any(isinstance(t, KerasTensor) for t in nest.flatten(inputs)):
                return self._symbolic_call(inputs, args, kwargs)
            inputs = self._convert(inputs)
        elif inputs.dtype is not self._dtype and inputs.dtype.is_floating:
            inputs = _math.cast(inputs, self._dtype)
        training = kwargs.pop("training", None)
        if training is None and _training_stack:
            training = _training_stack[-1]
        if not self.built:
            self._maybe_build(inputs)
        if training is not None and _call_has_training(type(self)):
            kwargs["training"] = training
        if _loss_layers and not _training_stack:     # a new outermost call: forget old losses
            for layer in _loss_layers:
                layer._losses = []
            _loss_layers.clear()
        _training_stack.append(training)
        try:
            outputs = self.call(inputs, *args, **kwargs)
        finally:
            _training_stack.pop()
        if type(outputs) is Tensor:
            shape = (None,) + array_of(outputs).shape[1:] if array_of(outputs).ndim else ()
            if self._out_shape is None:
                self._out_shape = shape
            elif self._out_shape != "multiple" and (len(self._out_shape) != len(shape) or
                                                      self._out_shape[1:] != shape[1:]):
                self._out_shape = "multiple"    # another shape than before (the batch aside)
        return outputs

    def _symbolic_call(self, inputs, args, kwargs):
        """Calling a layer on ``keras.Input`` results: record the call, return KerasTensors."""
        kwargs = dict(kwargs)
        kwargs.pop("training", None)

        def run(stand_ins):
            return self(stand_ins, *args, training=False, **kwargs)

        node = _Node(self, inputs, kwargs)
        specs = nest.map_structure(
            lambda t: stand_in.Spec(t.shape, t.dtype) if isinstance(t, KerasTensor) else t, inputs)
        # Output dimensions that follow the batch size (or another unknown one) are None.
        node.outputs = nest.map_structure(lambda s: KerasTensor(s.shape, s.dtype, self, node),
                                          stand_in.probe(run, (specs,), builds_weights=True))
        made = nest.flatten(node.outputs)
        self._out_shape = tuple(made[0].shape) if len(made) == 1 else "multiple"
        self._inbound.append(node)
        return node.outputs

    def _nested_call(self):
        """True while another layer's call (or a stand-in probe of one) is running."""
        return bool(_training_stack)

    def _first_node(self, what):
        inbound = self.__dict__.get("_inbound")
        if not inbound:
            raise AttributeError(
                f"The layer {self.name} has never been called and thus has no defined {what}. "
                f"A layer gets its {what} when it is called on a keras.Input(...) result, or "
                "when a Sequential model that holds it knows its input shape")
        return inbound[0]

    @property
    def input(self):
        """The symbolic input of the layer's first call on ``keras.Input`` results (Keras 3).

        >>> inputs = d2l.keras.Input(shape=(3,))
        >>> dense = d2l.keras.layers.Dense(2)
        >>> _ = dense(inputs)
        >>> dense.input is inputs
        True
        """
        node = self._first_node("input")
        flat = nest.flatten(node.inputs)
        return flat[0] if len(flat) == 1 else node.inputs

    @property
    def output(self):
        """The symbolic output of the layer's first call on ``keras.Input`` results (Keras 3).

        >>> inputs = d2l.keras.Input(shape=(3,))
        >>> dense = d2l.keras.layers.Dense(2)
        >>> outputs = dense(inputs)
        >>> dense.output is outputs, dense.output.shape
        (True, TensorShape([None, 2]))
        """
        node = self._first_node("output")
        flat = nest.flatten(node.outputs)
        return flat[0] if len(flat) == 1 else node.outputs

    # ---------------------------------------------------------------- misc
    def get_config(self):
        """The constructor arguments, as a dict."""
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = self._batch_input_shape
        return config

    @classmethod
    def from_config(cls, config):
        """A new layer made from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


_TRACKABLE = (Module, Variable, list, tuple, dict)
_UNTRACKED = frozenset({"_own_weights", "_losses", "_out_shape", "_batch_input_shape",
                        "_inbound", "_keras_tensor", "_compiled", "optimizer", "_history",
                        "_fit_state", "_output_tensors", "_input_tensors", "_nodes",
                        "_graph", "_graph_shape"})


def _sorted_values(d):
    """A dict's values by sorted key (``tf.nest``'s order); as added when keys do not compare."""
    try:
        return [d[k] for k in sorted(d)]
    except TypeError:
        return list(d.values())


def _forgot_super(layer):
    kind = "Model" if type(layer).__mro__[1].__name__ in ("Model", "Sequential") else "Layer"
    raise RuntimeError(f"It looks like you are subclassing `{kind}` and you forgot to call "
                       f"`super().__init__()` in {type(layer).__name__}.__init__. Always start "
                       "__init__ with that line, before creating sublayers or weights")


# ==================================================================== input

class InputLayer(Layer):
    """The entry point of a model: it only fixes the input's shape (``keras.layers.InputLayer``).

    >>> d2l.keras.backend.clear_session()     # restart automatic names
    >>> d2l.keras.layers.InputLayer(input_shape=(784,)).name
    'input_1'
    """

    def __init__(self, input_shape=None, batch_size=None, dtype=None, name=None,
                 batch_input_shape=None, **kwargs):
        if batch_input_shape is None:
            if input_shape is None:
                raise ValueError("InputLayer: give input_shape (without the batch dimension), "
                                 "e.g. input_shape=(784,)")
            if isinstance(input_shape, int):
                input_shape = (input_shape,)
            batch_input_shape = (batch_size,) + tuple(input_shape)
        if name is None:
            name = _naming.unique_name("input")
            if name == "input":
                name = _naming.unique_name("input")
        super().__init__(name=name, dtype=dtype, batch_input_shape=batch_input_shape, **kwargs)
        self.built = True
        self._out_shape = tuple(batch_input_shape)
        self._keras_tensor = KerasTensor(batch_input_shape, self._dtype, self)

    def call(self, inputs):
        return inputs


def Input(shape=None, batch_size=None, name=None, dtype=None, batch_shape=None, **kwargs):  # noqa: N802
    """A symbolic input of the given shape (without the batch dimension) (``keras.Input``).

    Use it as the first element of a ``Sequential`` model, or to start a
    functional model: ``keras.Model(inputs, outputs)``.

    >>> inputs = d2l.keras.Input(shape=(4,))
    >>> outputs = d2l.keras.layers.Dense(2)(inputs)
    >>> outputs.shape
    TensorShape([None, 2])
    """
    if batch_shape is None and shape is None:
        raise ValueError("Input: give shape (without the batch dimension), e.g. "
                         "keras.Input(shape=(784,))")
    layer = InputLayer(input_shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                       batch_input_shape=batch_shape, **kwargs)
    return layer._keras_tensor


# ==================================================================== core layers

class Dense(Layer):
    """A fully connected layer: ``activation(inputs @ kernel + bias)`` (``keras.layers.Dense``).

    The kernel has shape (last input dimension, units) and is created on the
    first call. Inputs must be floats: cast integer data first.

    >>> layer = d2l.keras.layers.Dense(4, activation='relu', input_shape=(3,))
    >>> layer(d2l.ones((2, 3))).shape
    TensorShape([2, 4])
    >>> layer.kernel.shape, layer.bias.shape
    (TensorShape([3, 4]), TensorShape([4]))
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, (tuple, list)) or isinstance(units, bool) or not isinstance(
                units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense: units must be a positive integer (the number of outputs), "
                             f"got {units!r}")
        self.units = int(units)
        self.activation = _activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _initializers.get(kernel_initializer)
        self.bias_initializer = _initializers.get(bias_initializer)
        self.kernel = self.bias = None
        self._linear = self.activation is _activations.linear

    def build(self, input_shape):
        """Create ``kernel`` (last input dimension × units) and ``bias`` (units)."""
        input_shape = TensorShape(input_shape)
        last = input_shape[-1] if input_shape.rank else None
        if last is None:
            raise ValueError(f"Dense '{self.name}': the last dimension of the inputs must be "
                             f"known to build the kernel, got shape {input_shape}")
        self.kernel = self.add_weight("kernel", shape=(last, self.units),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.units,),
                                        initializer=self.bias_initializer)
        self.built = True

    def call(self, inputs):
        dt = inputs.dtype
        if not dt.is_floating:
            raise TypeError(
                f"Dense '{self.name}': got an input of dtype {dt.name}, but the layer computes "
                f"in {self._dtype.name}. Convert and scale the data first, e.g. "
                f"d2l.cast(x, d2l.float32) / 255.0 for uint8 pixels")
        shape = int_shape(inputs)
        kernel = self.kernel
        if len(shape) < 2:
            raise InvalidArgumentError(
                f"Dense '{self.name}': expected inputs with a batch dimension (rank >= 2), got "
                f"shape {shape}; for one example add it with "
                "d2l.reshape(x, (1, -1))", op="Dense")
        if shape[-1] != array_of(kernel).shape[0]:
            raise InvalidArgumentError(
                f"Dense '{self.name}': expected inputs with last dimension "
                f"{array_of(kernel).shape[0]} (the layer was built for that), got shape "
                f"{shape}. Reshape the inputs (Flatten images first) or use a new "
                "layer", op="Dense")
        if len(shape) == 2:
            y = _linalg.matmul(inputs, kernel)
        else:
            y = _linalg.tensordot(inputs, kernel, [[len(shape) - 1], [0]])
        if self.bias is not None:
            y = _math.add(y, self.bias)
        return y if self._linear else self.activation(y)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": _activations.serialize(self.activation), "use_bias": self.use_bias}


class Flatten(Layer):
    """Flatten each example into a vector: (batch, 28, 28) becomes (batch, 784).

    >>> d2l.keras.layers.Flatten()(d2l.zeros((32, 28, 28))).shape
    TensorShape([32, 784])
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        shape = int_shape(inputs)
        if not shape:
            raise InvalidArgumentError(f"Flatten '{self.name}': needs a batch dimension, got a "
                                       "scalar", op="Flatten")
        if shape[0] is None:          # traced with an unknown batch size: -1 stands for it
            if None in shape[1:]:
                raise NotImplementedError(f"Flatten '{self.name}': traced with unknown sizes "
                                          f"{shape}; only the batch size may be unknown. Use "
                                          "model.compile(run_eagerly=True)")
            return _array.reshape(inputs, (-1, int(np.prod(shape[1:]))))
        return _array.reshape(inputs, (shape[0], -1) if shape[0] else (0, int(np.prod(shape[1:]))))


class Dropout(Layer):
    """Randomly zero a fraction ``rate`` of the inputs while training, scaling the rest by
    1/(1 - rate); at inference (``training`` not True) it passes inputs unchanged.

    >>> drop = d2l.keras.layers.Dropout(0.5)
    >>> drop(d2l.ones((2, 2))).numpy()          # not training: unchanged
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    >>> sorted(set(drop(d2l.ones((100,)), training=True).numpy().tolist()))
    [0.0, 2.0]
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= float(rate) < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1) (the fraction to drop), got {rate}")
        self.rate, self.noise_shape, self.seed = float(rate), noise_shape, seed

    def call(self, inputs, training=None):
        if training is True and self.rate > 0:
            return _nn.dropout(inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return inputs

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Activation(Layer):
    """Apply an activation function, by name or as a function.

    >>> d2l.keras.layers.Activation('relu')(d2l.constant([[-1.0, 2.0]])).numpy()
    array([[0., 2.]], dtype=float32)
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = _activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": _activations.serialize(self.activation)}


class ReLU(Layer):
    """max(x, 0) as a layer, optionally capped (``max_value``), leaky or shifted.

    >>> d2l.keras.layers.ReLU(max_value=1.0)(d2l.constant([[-1.0, 0.5, 3.0]])).numpy()
    array([[0. , 0.5, 1. ]], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0:
            raise ValueError(f"ReLU: max_value must be >= 0, got {max_value}")
        if negative_slope < 0:
            raise ValueError(f"ReLU: negative_slope must be >= 0, got {negative_slope}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return _activations.relu(inputs, alpha=self.negative_slope, max_value=self.max_value,
                                 threshold=self.threshold)


class LeakyReLU(Layer):
    """x for x > 0, else alpha·x (Keras's default alpha 0.3).

    >>> d2l.keras.layers.LeakyReLU()(d2l.constant([[-1.0, 1.0]])).numpy()
    array([[-0.3,  1. ]], dtype=float32)
    """

    def __init__(self, alpha=0.3, **kwargs):
        super().__init__(**kwargs)
        self.alpha = float(alpha)

    def call(self, inputs):
        return _nn.leaky_relu(inputs, alpha=self.alpha)


class Softmax(Layer):
    """Softmax along ``axis`` (default the last): scores to probabilities.

    >>> d2l.keras.layers.Softmax()(d2l.constant([[2.0, 2.0]])).numpy()
    array([[0.5, 0.5]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return _nn.softmax(inputs, axis=self.axis)


class Reshape(Layer):
    """Reshape each example to ``target_shape`` (the batch dimension is kept).

    >>> d2l.keras.layers.Reshape((28, 28))(d2l.zeros((5, 784))).shape
    TensorShape([5, 28, 28])
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)

    def call(self, inputs):
        batch = int_shape(inputs)[0]
        if batch is None:             # traced with an unknown batch size
            if -1 in self.target_shape:
                raise NotImplementedError(f"Reshape '{self.name}': a -1 in target_shape needs a "
                                          "known batch size; give the full shape, or use "
                                          "model.compile(run_eagerly=True)")
            batch = -1
        return _array.reshape(inputs, (batch,) + self.target_shape)


class Lambda(Layer):
    """Wrap a function of tensors as a layer (it has no weights).

    >>> d2l.keras.layers.Lambda(lambda x: x * 2.0)(d2l.constant([[1.0]])).numpy()
    array([[2.]], dtype=float32)
    """

    def __init__(self, function, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda: function must be callable, got {type(function).__name__}")
        self.function = function

    def call(self, inputs):
        return self.function(inputs)


# ==================================================================== images: convolution, pooling, normalization

def _two(layer, what, value):
    """An int or a pair of ints as (height, width), checked (Keras's ``kernel_size=3``)."""
    values = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(values) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                                   and v > 0 for v in values):
        raise ValueError(f"{layer}: {what} must be a positive int or a pair of them, e.g. 3 or "
                         f"(3, 3); got {value!r}")
    return tuple(int(v) for v in values)


def _padding_arg(layer, padding):
    if not isinstance(padding, str) or padding.lower() not in ("same", "valid"):
        raise ValueError(f"{layer}: padding must be 'valid' (no padding, the default) or 'same' "
                         f"(output size = input size / stride); got {padding!r}")
    return padding.lower()


def _channels_last(layer, data_format):
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(f"{layer}: data_format={data_format!r} is not supported; "
                                  "d2l_core works on channels_last images (batch, height, width, "
                                  "channels). Transpose with d2l.transpose(x, [0, 2, 3, 1])")
    return "channels_last"


def _no_extras(layer, **extras):
    given = sorted(k for k, v in extras.items() if v is not None)
    if given:
        raise NotImplementedError(f"{layer}: {', '.join(given)} is not supported; add a penalty "
                                  "to the loss (model.add_loss) instead")


def _images(layer, inputs, rank=4):
    shape = int_shape(inputs)
    if len(shape) != rank:
        raise ValueError(
            f"Input 0 of layer '{layer.name}' ({type(layer).__name__}) is incompatible with the "
            f"layer: expected ndim={rank} (batch, height, width, channels), found ndim="
            f"{len(shape)}. Full shape received: {shape}. For grey images add a channel axis "
            "(x[..., None] or layers.Reshape((28, 28, 1)))")
    if not inputs.dtype.is_floating:
        raise TypeError(f"{type(layer).__name__} '{layer.name}': got an input of dtype "
                        f"{inputs.dtype.name}; convert and scale the data first, e.g. "
                        "d2l.cast(x, d2l.float32) / 255.0 for uint8 pixels")


class Conv2D(Layer):
    """2-D convolution over images (``keras.layers.Conv2D``): ``activation(conv2d(x, kernel) + bias)``.

    Inputs are ``(batch, height, width, channels)``; the kernel has shape
    ``kernel_size + (channels, filters)`` and is created on the first call
    (Glorot-uniform, as in Keras); the bias has ``filters`` zeros.
    ``padding='valid'`` keeps only full windows, ``'same'`` pads with zeros so
    the output is ``ceil(input / strides)``.

    >>> conv = d2l.keras.layers.Conv2D(8, 3, activation='relu', input_shape=(28, 28, 1))
    >>> conv(d2l.zeros((2, 28, 28, 1))).shape
    TensorShape([2, 26, 26, 8])
    >>> conv.kernel.shape, conv.count_params()
    (TensorShape([3, 3, 1, 8]), 80)
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters <= 0:
            raise ValueError(f"{kind}: filters must be a positive integer (the number of output "
                             f"channels), got {filters!r}")
        if groups != 1:
            raise NotImplementedError(f"{kind}: groups={groups} (grouped convolution) is not "
                                      "supported; use groups=1")
        _no_extras(kind, kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                   activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
                   bias_constraint=bias_constraint)
        self.filters = int(filters)
        self.kernel_size = _two(kind, "kernel_size", kernel_size)
        self.strides = _two(kind, "strides", strides)
        self.dilation_rate = _two(kind, "dilation_rate", dilation_rate)
        self.padding = _padding_arg(kind, padding)
        self.data_format = _channels_last(kind, data_format)
        self.groups = 1
        self.activation = _activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = _initializers.get(kernel_initializer)
        self.bias_initializer = _initializers.get(bias_initializer)
        self.kernel = self.bias = None

    def build(self, input_shape):
        """Create ``kernel`` (kernel_size + (channels, filters)) and ``bias`` (filters)."""
        input_shape = TensorShape(input_shape)
        channels = input_shape[-1] if input_shape.rank else None
        if input_shape.rank != 4 or channels is None:
            raise ValueError(
                f"Input 0 of layer '{self.name}' ({type(self).__name__}) is incompatible with "
                f"the layer: expected ndim=4 (batch, height, width, channels) with known "
                f"channels. Full shape received: {input_shape}. For grey images add a channel "
                "axis (x[..., None] or layers.Reshape((28, 28, 1)))")
        self.kernel = self.add_weight("kernel", shape=self.kernel_size + (channels, self.filters),
                                      initializer=self.kernel_initializer)
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=(self.filters,),
                                        initializer=self.bias_initializer)
        self.built = True

    def call(self, inputs):
        _images(self, inputs)
        channels = array_of(self.kernel).shape[2]
        if int_shape(inputs)[-1] != channels:
            raise ValueError(f"{type(self).__name__} '{self.name}': expected inputs with "
                             f"{channels} channels (it was built for that), got shape "
                             f"{int_shape(inputs)}")
        y = _conv.conv2d(inputs, self.kernel, self.strides, self.padding.upper(),
                         dilations=self.dilation_rate)
        if self.bias is not None:
            y = _math.add(y, self.bias)
        return self.activation(y)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": _activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": _initializers.serialize(self.kernel_initializer),
                "bias_initializer": _initializers.serialize(self.bias_initializer)}


class _Pooling2D(Layer):
    """Shared by MaxPooling2D and AveragePooling2D: windows of ``pool_size``, moved by ``strides``."""

    _op = None

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        self.pool_size = _two(kind, "pool_size", pool_size)
        self.strides = self.pool_size if strides is None else _two(kind, "strides", strides)
        self.padding = _padding_arg(kind, padding)
        self.data_format = _channels_last(kind, data_format)

    def call(self, inputs):
        _images(self, inputs)
        return type(self)._op(inputs, self.pool_size, self.strides, self.padding.upper())

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class MaxPooling2D(_Pooling2D):
    """The largest value in each ``pool_size`` window, per channel (``keras.layers.MaxPooling2D``).

    ``strides`` defaults to ``pool_size`` (windows side by side): 2×2 halves each side.

    >>> d2l.keras.layers.MaxPooling2D()(d2l.zeros((1, 28, 28, 8))).shape
    TensorShape([1, 14, 14, 8])
    """

    _op = staticmethod(_conv.max_pool2d)


class AveragePooling2D(_Pooling2D):
    """The mean of each ``pool_size`` window, per channel (``keras.layers.AveragePooling2D``).

    >>> d2l.keras.layers.AveragePooling2D(2)(d2l.ones((1, 4, 4, 1)))[0, :, :, 0].numpy()
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """

    _op = staticmethod(_conv.avg_pool2d)


class _GlobalPooling2D(Layer):
    """Reduce height and width away with the subclass's ``_pool`` (a mean or a max)."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _channels_last(type(self).__name__, data_format)
        self.keepdims = bool(keepdims)

    def call(self, inputs):
        _images(self, inputs)
        return type(self)._pool(inputs, axis=[1, 2], keepdims=self.keepdims)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean over height and width: (batch, h, w, c) becomes (batch, c).

    >>> d2l.keras.layers.GlobalAveragePooling2D()(d2l.ones((2, 5, 5, 3))).shape
    TensorShape([2, 3])
    """

    _pool = staticmethod(_reduce.reduce_mean)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The largest value over height and width: (batch, h, w, c) becomes (batch, c).

    >>> x = d2l.reshape(d2l.range(8.0), (1, 2, 2, 2))
    >>> d2l.keras.layers.GlobalMaxPooling2D()(x).numpy()
    array([[6., 7.]], dtype=float32)
    """

    _pool = staticmethod(_reduce.reduce_max)


class BatchNormalization(Layer):
    """Normalise each feature with batch statistics while training (``keras.layers.BatchNormalization``).

    ``y = gamma · (x - mean) / sqrt(variance + epsilon) + beta`` along ``axis``
    (the channels). With ``training=True`` (as in ``fit``) mean and variance
    come from the batch and update the non-trainable ``moving_mean`` and
    ``moving_variance``: ``moving = moving · momentum + batch · (1 - momentum)``.
    Otherwise (``predict``, ``evaluate``, a plain call) the moving statistics
    are used. As in Keras, a layer with ``trainable = False`` always runs in
    inference mode and leaves its moving statistics alone (fine-tuning).

    >>> bn = d2l.keras.layers.BatchNormalization()
    >>> y = bn(d2l.constant([[0.0], [2.0]]), training=True)
    >>> y.numpy().round(2).ravel(), bn.moving_mean.numpy()
    (array([-1.,  1.], dtype=float32), array([0.01], dtype=float32))
    >>> [w.name for w in bn.weights]
    ['batch_normalization/gamma:0', 'batch_normalization/beta:0', 'batch_normalization/moving_mean:0', 'batch_normalization/moving_variance:0']
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        _no_extras("BatchNormalization", beta_regularizer=beta_regularizer,
                   gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
                   gamma_constraint=gamma_constraint)
        if isinstance(axis, (list, tuple)):
            if len(axis) != 1:
                raise NotImplementedError("BatchNormalization: normalising over several axes is "
                                          "not supported; give one axis (the channels)")
            axis = axis[0]
        self.axis, self.momentum, self.epsilon = int(axis), float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = _initializers.get(beta_initializer)
        self.gamma_initializer = _initializers.get(gamma_initializer)
        self.moving_mean_initializer = _initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = _initializers.get(moving_variance_initializer)
        self.synchronized = bool(synchronized)
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        """Create ``gamma``, ``beta`` (trainable) and the moving statistics (not trainable)."""
        input_shape = TensorShape(input_shape)
        rank = input_shape.rank
        if not rank or not -rank <= self.axis < rank or input_shape[self.axis] is None:
            raise ValueError(f"BatchNormalization '{self.name}': axis {self.axis} of inputs of "
                             f"shape {input_shape} must exist and have a known size")
        n = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight("gamma", shape=n, initializer=self.gamma_initializer)
        if self.center:
            self.beta = self.add_weight("beta", shape=n, initializer=self.beta_initializer)
        self.moving_mean = self.add_weight("moving_mean", shape=n, trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight("moving_variance", shape=n, trainable=False,
                                               initializer=self.moving_variance_initializer)
        self.built = True

    def call(self, inputs, training=None):
        ndim = len(int_shape(inputs))
        axis = self.axis % ndim
        shape = [1] * ndim
        shape[axis] = array_of(self.moving_mean).shape[0]

        def along(v):           # a (channels,) vector shaped to broadcast along axis
            return v if axis == ndim - 1 else _array.reshape(v, shape)

        if training is True and self.trainable:
            reduce_axes = [a for a in range(ndim) if a != axis]
            mean, variance = _conv.moments(inputs, reduce_axes)
            m = self.momentum
            self.moving_mean.assign(_math.add(_math.multiply(self.moving_mean, m),
                                              _math.multiply(_array.stop_gradient(mean), 1 - m)))
            self.moving_variance.assign(
                _math.add(_math.multiply(self.moving_variance, m),
                          _math.multiply(_array.stop_gradient(variance), 1 - m)))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        return _conv.batch_normalization(
            inputs, along(mean), along(variance),
            None if self.beta is None else along(self.beta),
            None if self.gamma is None else along(self.gamma), self.epsilon)

    def get_config(self):
        init = _initializers.serialize
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale,
                "beta_initializer": init(self.beta_initializer),
                "gamma_initializer": init(self.gamma_initializer),
                "moving_mean_initializer": init(self.moving_mean_initializer),
                "moving_variance_initializer": init(self.moving_variance_initializer),
                "synchronized": self.synchronized}


__all__ += ["Conv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D",
            "GlobalMaxPooling2D", "GlobalMaxPool2D",
            "BatchNormalization", "Convolution2D", "MaxPool2D", "AvgPool2D", "GlobalAvgPool2D"]
Convolution2D = Conv2D                  # Keras's aliases
MaxPool2D, AvgPool2D, GlobalAvgPool2D = MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
