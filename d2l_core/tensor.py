"""``Tensor`` (an immutable value on a device) and ``Variable`` (a mutable one).

A Tensor wraps a NumPy or CuPy array that nobody mutates: every op makes a new
array, and a Variable's ``assign`` rebinds the Variable to a new array. That
invariant is what lets a tape keep references to inputs for the backward pass
without copying them.

>>> import d2l_core as d2l
>>> x = d2l.constant([[1, 2], [3, 4]])
>>> x
<tf.Tensor: shape=(2, 2), dtype=int32, numpy=
array([[1, 2],
       [3, 4]], dtype=int32)>
>>> x.shape, x.dtype
(TensorShape([2, 2]), tf.int32)
"""
import numbers

import numpy as np

from . import _recording, backend, dtypes
from .errors import DTypeMismatchError, InvalidArgumentError
from .tensor_shape import TensorShape

_from_np = dtypes.by_numpy


class Tensor:
    """An immutable n-dimensional array with a dtype and a device (``tf.Tensor``).

    Make one with ``d2l.constant``, ``d2l.ones``, an op, or ``convert_to_tensor``.

    >>> t = d2l.constant([1.0, 2.0])
    >>> t.numpy()
    array([1., 2.], dtype=float32)
    """

    __slots__ = ("_value", "_dtype")
    __array_priority__ = 100   # so ndarray + Tensor defers to Tensor.__radd__

    def __init__(self, value, dtype=None):
        t = convert_to_tensor(value, dtype=dtype)
        self._value, self._dtype = t._value, t._dtype

    # ---------------------------------------------------------- attributes
    @property
    def shape(self):
        """The shape as a TensorShape (compares equal to a tuple)."""
        return TensorShape(self._value.shape)

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def device(self):
        """TensorFlow's full device name, e.g. '/job:localhost/replica:0/task:0/device:CPU:0'."""
        return backend.device_of(self._value).name

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled "
                             "(it exists in graph mode, d2l_core.compat.v1).")

    def get_shape(self):
        """Same as ``.shape`` (TensorFlow 1 spelling)."""
        return self.shape

    def numpy(self):
        """The value as a NumPy array, a copy (a NumPy scalar for a rank-0 tensor)."""
        a = backend.to_numpy(self._value)
        if a.ndim == 0:
            return a[()]
        return a.copy() if a is self._value else a   # a device array's copy is already new

    def __array__(self, dtype=None, copy=None):
        a = backend.to_numpy(self._value)
        if dtype is not None and a.dtype != dtype:
            return a.astype(dtype)
        return a if copy is False else a.copy()

    # ---------------------------------------------------------- Python protocols
    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("len() is not defined for a scalar (rank-0) tensor; "
                            "use d2l.size(t) for its number of elements")
        return self._value.shape[0]

    def _scalar(self, what):
        """The value as a Python number; only scalars (rank 0) convert, as in TensorFlow."""
        if self._value.ndim != 0:
            raise TypeError(
                f"{what}() needs a scalar (rank-0) tensor, got shape {tuple(self._value.shape)}; "
                "pick one element first (t[0], d2l.reshape(t, [])) or reduce it (d2l.reduce_sum)")
        return backend.to_numpy(self._value).item()

    def __bool__(self):
        # Like NumPy (and TensorFlow), a one-element tensor of any rank has a truth value.
        if self._value.size != 1:
            raise ValueError(
                f"The truth value of a tensor with shape {tuple(self._value.shape)} is ambiguous: "
                "only a tensor with exactly one element is True or False; "
                "use d2l.reduce_any(t) or d2l.reduce_all(t)")
        return bool(backend.to_numpy(self._value).reshape(()).item())

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if not self._dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, not {self._dtype.name}; "
                            "cast it with d2l.cast(t, d2l.int32)")
        return int(self._scalar("index"))

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __format__(self, spec):
        # TensorFlow formats the NumPy value: f"{t}" gives '[1 2]', f"{t:.2f}" works on scalars.
        return format(self.numpy(), spec)

    def __hash__(self):
        return id(self)     # by identity; TF 2 refuses to hash tensors, but dict keys are handy

    def __setitem__(self, key, value):
        raise TypeError(
            "'Tensor' object does not support item assignment: Tensors are immutable. "
            "Use a d2l.Variable and assign into a slice instead, e.g. "
            "v = d2l.Variable(t); v[1, 2].assign(9)")

    def _no_assign(self):
        raise AttributeError(
            "'Tensor' object has no attribute 'assign': Tensors are immutable. Make a "
            "d2l.Variable to change values in place, e.g. v = d2l.Variable(t); v.assign(...); "
            "or compute a new tensor, t = t + 1")

    assign = assign_add = assign_sub = property(_no_assign)

    def __reduce__(self):
        return (constant, (self.numpy(),))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    # ---------------------------------------------------------- display
    def _numpy_text(self, is_repr):
        a = backend.to_numpy(self._value)
        if a.ndim == 0:
            return str(a)
        text = repr(a) if is_repr else str(a)
        return "\n" + text if "\n" in text else text

    def __repr__(self):
        return (f"<tf.Tensor: shape={self.shape}, dtype={self._dtype.name}, "
                f"numpy={self._numpy_text(True)}>")

    def __str__(self):
        return f"tf.Tensor({self._numpy_text(False)}, shape={self.shape}, dtype={self._dtype.name})"

    # Operators (+, *, @, <, ...), indexing (t[1:, 0]) and iteration (for row in t)
    # are ops: d2l_core.ops installs them on Tensor and Variable, since it owns them.


_ndarray = np.ndarray
_np_scalar = np.generic
_FLOAT32_MAX = float(dtypes.float32.max)


def _wrap(array):
    """A Tensor around an array produced by an op (no copy, no checks); ``tensor.wrap``.

    >>> import numpy as np
    >>> from d2l_core.tensor import wrap
    >>> wrap(np.arange(3, dtype=np.float32))
    <tf.Tensor: shape=(3,), dtype=float32, numpy=array([0., 1., 2.], dtype=float32)>
    """
    if type(array) is not _ndarray:
        if isinstance(array, _np_scalar):
            array = np.asarray(array)      # NumPy returns scalars from 0-d arithmetic
        elif isinstance(array, bytes):
            array = np.array(array, dtype=object)   # and bytes from 0-d string arrays
    t = Tensor.__new__(Tensor)
    t._value = array
    t._dtype = _from_np[array.dtype]
    return t


# ============================================================== public-internal
#
# The layers above ops (keras, data, optimizers, compat, autodiff) use these
# names instead of a Tensor's private attributes. They are d2l_core's own, not
# TensorFlow's API.

def array_of(t):
    """The NumPy or CuPy array behind Tensor ``t`` (a Variable's current value), not a copy.

    >>> from d2l_core.tensor import array_of
    >>> with d2l.device('/cpu:0'):          # a NumPy array on the CPU, a CuPy array on a GPU
    ...     array_of(d2l.constant([1, 2]))
    array([1, 2], dtype=int32)
    """
    return t._value


wrap = _wrap      # the same function: no extra call on the path every op result takes


def set_array(variable, array):
    """Rebind ``variable`` to ``array`` (same dtype, shape and device: not checked).

    For optimizers and graph mode, which compute the new value on raw arrays;
    ``Variable.assign`` is the checked, public way. The old array is never
    mutated, since tape snapshots may share it.

    >>> import numpy as np
    >>> from d2l_core.tensor import set_array
    >>> v = d2l.Variable([1.0, 2.0])
    >>> set_array(v, np.array([3.0, 4.0], dtype=np.float32))
    >>> v.numpy()
    array([3., 4.], dtype=float32)
    """
    if type(array) is not _ndarray:
        if isinstance(array, _np_scalar):
            array = np.asarray(array)     # 0-d NumPy arithmetic returns scalars
        elif isinstance(array, bytes):
            array = np.array(array, dtype=object)    # and bytes from 0-d string arrays
    variable._value = array


_scope = [""]    # the eager name scope, 'outer/inner/' ('' at the top); one slot, so a read is cheap


def name_scope_prefix(scope=None):
    """The eager name scope new Variable names start with; with ``scope``, set it and return the old.

    ``d2l.name_scope`` (d2l_core.module) sets it; a Variable made inside
    ``with d2l.name_scope('dense'):`` is named 'dense/...:0', as in TensorFlow.

    >>> from d2l_core.tensor import name_scope_prefix
    >>> old = name_scope_prefix('demo/')
    >>> d2l.Variable(1.0, name='w').name
    'demo/w:0'
    >>> name_scope_prefix(old)
    'demo/'
    """
    old = _scope[0]
    if scope is not None:
        _scope[0] = scope
    return old


def shape_tuple(op, shape):
    """``shape`` (a list, tuple, TensorShape, int or Tensor) as a tuple of ints, checked.

    The errors name ``op``: a TypeError when ``shape`` is not a shape, an
    InvalidArgumentError for a negative dimension.

    >>> from d2l_core.tensor import shape_tuple
    >>> shape_tuple("zeros", [2, 3]), shape_tuple("zeros", 4), shape_tuple("ones", d2l.constant([1]))
    ((2, 3), (4,), (1,))
    >>> shape_tuple("zeros", (2, -1))
    Traceback (most recent call last):
    ...
    d2l_core.errors.InvalidArgumentError: zeros: shape (2, -1) has a negative dimension
    """
    if type(shape) is not tuple and type(shape) is not list:    # tuples and lists: the hot path
        if isinstance(shape, Tensor):
            shape = shape.numpy().tolist()
        if isinstance(shape, numbers.Integral):
            shape = (shape,)
    try:
        shape = tuple(map(int, shape))
    except TypeError:
        raise TypeError(f"{op}: shape must be a list or tuple of ints, got {shape!r}") from None
    if shape and min(shape) < 0:
        raise InvalidArgumentError(f"{op}: shape {shape} has a negative dimension", op=op)
    return shape


# ============================================================== conversion

def target_device():
    """The device new tensors go to: the innermost ``d2l.device`` scope, else the
    default device (GPU:0 when a GPU is visible, as in TensorFlow, else the CPU).

    >>> from d2l_core.tensor import target_device
    >>> with d2l.device('/cpu:0'):
    ...     target_device().name
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    return _target_device()


def _target_device():
    return backend.current_device() or backend.CPU


def _nested_to_numpy(value, typed):
    """Nested lists/tuples that may hold Tensors, as plain Python/NumPy values.

    The dtype of every leaf that has one (a Tensor, a NumPy array or scalar) is
    added to the dict ``typed`` (used as an ordered set).
    """
    if isinstance(value, Tensor):
        typed[value._dtype] = None
        return value.numpy()
    if isinstance(value, (list, tuple)):
        return [_nested_to_numpy(v, typed) for v in value]
    if isinstance(value, (np.ndarray, np.generic)) and value.dtype in _from_np:
        typed[_from_np[value.dtype]] = None
    return value


def _common_dtype(typed, op):
    """The one dtype of a list's Tensor and NumPy leaves; TensorFlow never mixes dtypes."""
    seen = list(typed)
    if len(seen) > 1:
        first, other = seen[0], seen[1]
        target = other if other.is_floating and not first.is_floating else first
        raise DTypeMismatchError(
            f"{op}: the list holds tensors (or NumPy values) of different dtypes, {first.name} "
            f"and {other.name}; TensorFlow never converts dtypes implicitly. Cast them to one "
            f"dtype first, e.g. d2l.cast(t, d2l.{target.name})", op=op)
    return seen[0]


def _out_of_range(op, value, what, fix="use smaller numbers"):
    # A plain ValueError, as TensorFlow raises ("Can't convert Python sequence with
    # out-of-range integer to Tensor."); d2l's message says which value and dtype.
    return ValueError(f"{op}: {value!r:.60} is out of range for {what}; {fix}")


def _python_array(value, dtype, op):
    """An ndarray from Python values with TensorFlow's inference and lossless checks.

    A list that holds Tensors or NumPy values takes their dtype (as TensorFlow
    packs them); only plain Python numbers get the defaults int32 and float32.
    """
    if isinstance(value, range):
        value = np.arange(value.start, value.stop, value.step)
        inferred = dtypes.int32 if value.size == 0 or (
            value.min() >= -2**31 and value.max() < 2**31) else dtypes.int64
        return value.astype(dtype.np if dtype else inferred.np)
    typed = {}
    value = _nested_to_numpy(value, typed)
    if dtype is None and typed:
        dtype = _common_dtype(typed, op)
    try:
        raw = np.array(value)
    except ValueError:
        raise ValueError(      # TensorFlow's type and first sentence, then d2l's explanation
            f"Can't convert non-rectangular Python sequence to Tensor. {op}: cannot make a "
            f"tensor from the ragged nested list {value!r:.60}; every row must have the same "
            "length") from None
    if raw.dtype == object and raw.size and all(
            isinstance(v, numbers.Integral) for v in raw.flat):
        raise _out_of_range(op, value, "a 64-bit integer tensor")
    if raw.dtype.kind in "US" or (raw.dtype == object and any(
            isinstance(v, (str, bytes)) for v in raw.flat)):
        return _string_array(value, dtype, op)
    if raw.dtype == object or raw.dtype.kind in "UST":
        raise TypeError(f"{op}: cannot convert {type(value).__name__} value {value!r:.60} to a tensor; "
                        "expected numbers, bools, strings, nested lists of them, or a NumPy array")
    if dtype is None:
        kind = raw.dtype.kind
        if kind == "b":
            dtype = dtypes.bool
        elif kind in "iu":
            dtype = dtypes.int32 if raw.size == 0 or (
                raw.min() >= -2**31 and raw.max() < 2**31) else dtypes.int64
            if raw.size and kind == "u" and raw.max() >= 2**63:
                raise _out_of_range(op, value, "a 64-bit integer tensor")
        elif kind == "f":
            # A finite Python float beyond float32's range would silently become inf.
            too_big = (abs(value) > _FLOAT32_MAX and abs(value) != np.inf
                       if type(value) is float else
                       raw.size and not (np.abs(raw) <= _FLOAT32_MAX).all()
                       and (np.isfinite(raw) & (np.abs(raw) > _FLOAT32_MAX)).any())
            if too_big:
                raise _out_of_range(op, value, "float32, the default float dtype",
                                    "pass dtype=d2l.float64 to keep it")
            return raw.astype(np.float32)
        elif kind == "c":
            dtype = dtypes.complex128
        else:
            dtype = dtypes.from_numpy(raw.dtype)
        if raw.size == 0 and kind == "f":
            dtype = dtypes.float32
        return raw.astype(dtype.np)
    # A dtype was requested. As in TensorFlow, Python floats never become integers
    # or bools (not even 2.0), ints never become bools, and nothing is lost silently.
    kind = raw.dtype.kind
    if dtype is dtypes.string and raw.size:
        raise _not_text(op, value)
    if raw.size and ((kind in "fc" and (dtype.is_integer or dtype.is_bool)) or
                     (kind == "c" and not dtype.is_complex) or (kind in "iu" and dtype.is_bool)):
        python = {"f": "float", "c": "complex", "i": "int", "u": "int"}[kind]
        fix = ("use True/False, or compare: d2l.constant(x) > 0" if dtype.is_bool else
               "use a complex dtype, or take the real part" if kind == "c" else
               "write the numbers as ints, or make a float tensor and d2l.cast it")
        raise DTypeMismatchError(f"{op}: cannot convert the Python {python} value {value!r:.60} "
                                 f"to a tensor of dtype {dtype.name}; {fix}", op=op)
    with np.errstate(all="ignore"):
        out = raw.astype(dtype.np)
    if raw.size and dtype.is_integer and kind in "iu":
        info = np.iinfo(dtype.np)
        if raw.min() < info.min or raw.max() > info.max:
            raise DTypeMismatchError(f"{op}: value {value!r:.60} is out of range for dtype "
                                     f"{dtype.name} ({info.min}..{info.max})", op=op)
    return out


def _not_text(op, value):
    return DTypeMismatchError(
        f"{op}: Cannot convert {value!r:.60} to EagerTensor of dtype string: numbers never "
        "become text implicitly; format them with d2l.strings.as_string(x)", op=op)


def _as_bytes(v, op):
    """One element of a string tensor: bytes as they are, str encoded as UTF-8 (as TensorFlow)."""
    if isinstance(v, bytes):
        return bytes(v)          # np.bytes_ too, as a plain bytes object
    if isinstance(v, str):
        return v.encode("utf-8")
    raise ValueError(f"{op}: can't convert a sequence with mixed types to a tensor (text and "
                     f"{type(v).__name__} {v!r:.30}); a tensor holds one dtype: make every "
                     "element a string (str(x)), or every element a number")


def _string_array(value, dtype, op):
    """A NumPy object array of ``bytes``: how d2l_core holds a ``tf.string`` tensor.

    ``value`` is str or bytes, nested lists of them, or a NumPy str/bytes/object array.
    """
    if dtype is not None and dtype is not dtypes.string:
        raise DTypeMismatchError(
            f"{op}: Cannot convert {value!r:.60} to EagerTensor of dtype {dtype.name}: text never "
            f"becomes numbers implicitly; parse it with d2l.strings.to_number(s, "
            f"out_type=d2l.{dtype.name})", op=op)
    obj = np.array(value, dtype=object)
    return np.array([_as_bytes(v, op) for v in obj.flat], dtype=object).reshape(obj.shape)


def _to_array(value, dtype, op, copy=True):
    """An ndarray on the host for any value, in ``dtype`` if given.

    A NumPy array is copied (a tensor must not share memory the caller can change)
    unless ``copy`` is False, for a caller that copies it anyway (to a GPU).
    """
    if isinstance(value, Tensor):
        a = backend.to_numpy(value._value)
        return a if dtype is None else a.astype(dtype.np)
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        if value.dtype.kind in "OUS":
            return _string_array(value, dtype, op)
        if value.dtype.kind == "V" or dtype is dtypes.string:
            if dtype is dtypes.string:
                raise _not_text(op, value)
            raise TypeError(f"{op}: cannot make a tensor from a NumPy array of dtype {value.dtype}")
        dtypes.from_numpy(value.dtype)   # a clear TypeError for dtypes d2l_core lacks
        if not copy:
            return np.asarray(value, dtype=None if dtype is None else dtype.np)
        return np.array(value, dtype=None if dtype is None else dtype.np, copy=True)
    if hasattr(value, "__cuda_array_interface__"):            # a CuPy array
        return backend.to_numpy(value) if dtype is None else backend.to_numpy(value).astype(dtype.np)
    if isinstance(value, (numbers.Number, list, tuple, range, np.bool_)):
        return _python_array(value, dtype, op)
    if isinstance(value, TensorShape):
        return _shape_array(value, dtype, op)
    if isinstance(value, (str, bytes)):
        return _string_array(value, dtype, op)
    if hasattr(value, "__array__"):
        return _to_array(np.asarray(value), dtype, op)
    raise TypeError(f"{op}: cannot convert a {type(value).__name__} to a tensor; "
                    "expected a number, a string, a nested list, a NumPy array or a Tensor")


def _shape_array(shape, dtype, op):
    """A fully known TensorShape as its dimensions: int32, or int64 when one needs it (as in TF)."""
    if shape.dims is None or None in shape.dims:
        raise ValueError(f"{op}: cannot convert a partially known TensorShape {shape} to a tensor; "
                         "use d2l.shape(x) for the shape a tensor has when it runs")
    dims = np.array(shape.dims, np.int64)
    if dtype is None:
        return dims.astype(np.int32 if dims.size == 0 or dims.max() < 2**31 else np.int64)
    return dims.astype(dtype.np)


def constant(value, dtype=None, shape=None, name=None):
    """A tensor holding ``value`` (``tf.constant``).

    Python ints become int32 and floats float32; NumPy arrays keep their dtype.
    With ``shape``, a scalar is repeated to fill it, or the values are reshaped.

    >>> d2l.constant(range(4))
    <tf.Tensor: shape=(4,), dtype=int32, numpy=array([0, 1, 2, 3], dtype=int32)>
    >>> d2l.constant(0.5, shape=(2,))
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.5, 0.5], dtype=float32)>
    """
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._dtype is not dtype:
            raise DTypeMismatchError(
                f"constant: expected a tensor of dtype {dtype.name}, got one of dtype "
                f"{value._dtype.name}; change a tensor's dtype with d2l.cast(t, d2l.{dtype.name})",
                op="constant")
        if shape is None and not isinstance(value, Variable):
            return value          # TensorFlow returns the tensor itself, on its own device
        if shape is None:
            return _wrap(backend.to_device(value._value, _target_device()))
    target = _target_device()
    array = _to_array(value, dtype, "constant", copy=target.kind == "CPU")  # a GPU copy is new
    if shape is not None:
        shape = tuple(int(d) for d in shape)
        if array.size == 1:
            array = np.full(shape, array.reshape(()), dtype=array.dtype)
        elif array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        else:
            raise InvalidArgumentError(
                f"constant: {array.size} values given but shape {shape} needs {int(np.prod(shape))}; "
                "pass a single value to fill the shape, or matching values")
    if target.kind == "GPU" and array.ndim == 0 and array.dtype.kind in "biuf":
        # A number on a GPU (a metric's weight, ``v.assign_add(1.0)``): one device copy,
        # made once and shared (tensors are immutable), so no host -> device copy per step
        return _wrap(backend.scalar_to_device(array, target))
    return _wrap(backend.to_device(array, target))


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """``value`` as a Tensor; Tensors pass through unchanged (``tf.convert_to_tensor``).

    >>> import numpy as np
    >>> d2l.convert_to_tensor(np.array([0, 255], dtype=np.uint8), dtype=d2l.float32)
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([  0., 255.], dtype=float32)>
    """
    if type(value) is Tensor and dtype is None:
        return value
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if isinstance(value, Variable):
            value = value.value()
        if dtype is not None and value._dtype is not dtype:
            raise DTypeMismatchError(
                f"convert_to_tensor: requested dtype {dtype.name} for a Tensor with dtype "
                f"{value._dtype.name}; use d2l.cast(t, d2l.{dtype.name}) to change the dtype")
        return value
    if dtype is not None and isinstance(value, TensorShape) and not (
            dtype is dtypes.int32 or dtype is dtypes.int64):
        raise TypeError(f"convert_to_tensor: cannot convert TensorShape {value} to dtype "
                        f"{dtype.name}; a shape converts to int32 or int64 (d2l.constant "
                        "converts it to any dtype)")
    if hasattr(value, "_as_graph_element"):
        raise TypeError(f"convert_to_tensor: {value!r} is a graph-mode (compat.v1) tensor; "
                        "evaluate it with Session.run before using it eagerly")
    if dtype is None and dtype_hint is not None:
        try:                     # the hint is a preference: fall back where it does not fit
            return constant(value, dtype=dtype_hint)
        except (TypeError, ValueError):
            pass
    return constant(value, dtype=dtype)


def is_tensor(x):
    """True for Tensors and Variables (``tf.is_tensor``).

    >>> d2l.is_tensor(d2l.constant(1)), d2l.is_tensor(d2l.Variable(1.0)), d2l.is_tensor(1)
    (True, True, False)
    """
    return isinstance(x, Tensor)


# ============================================================== Variable

class Variable(Tensor):
    """A mutable tensor: model parameters live in Variables (``tf.Variable``).

    ``assign``, ``assign_add`` and ``assign_sub`` change the value in place, so the
    Python object (its ``id()``) stays the same; slices assign too. Inside a
    ``GradientTape``, reading a trainable Variable watches it automatically.

    >>> v = d2l.Variable([1.0, 2.0, 3.0])
    >>> before = id(v)
    >>> _ = v.assign_add([1.0, 1.0, 1.0])
    >>> _ = v[0].assign(9.0)
    >>> v.numpy(), id(v) == before
    (array([9., 3., 4.], dtype=float32), True)
    """

    __slots__ = ("_name", "trainable", "_shape_tuple", "__weakref__")

    def __init__(self, initial_value=None, trainable=True, name=None, dtype=None, shape=None,
                 validate_shape=True, caching_device=None, constraint=None,
                 synchronization=None, aggregation=None, import_scope=None):
        if initial_value is None:
            raise ValueError("Variable: initial_value must be given, e.g. d2l.Variable(d2l.zeros((3,)))")
        if callable(initial_value):
            initial_value = initial_value()
        dtype = None if dtype is None else dtypes.as_dtype(dtype)
        if isinstance(initial_value, Tensor):
            t = initial_value.value() if isinstance(initial_value, Variable) else initial_value
            if dtype is not None and t._dtype is not dtype:
                raise DTypeMismatchError(
                    f"Variable: initial_value has dtype {t._dtype.name} but dtype={dtype.name} "
                    f"was requested; cast it first: d2l.Variable(d2l.cast(t, d2l.{dtype.name}))",
                    op="Variable")
            array = backend.to_device(t._value, _target_device())
        else:
            array = constant(initial_value, dtype=dtype)._value
        self._value = array
        self._dtype = _from_np[array.dtype]
        self._shape_tuple = array.shape
        self.trainable = bool(trainable)
        self._name = _scope[0] + (name or "Variable")     # inside d2l.name_scope: 'scope/name'

    @property
    def name(self):
        return self._name + ":0"

    # ---- reading
    def value(self):
        """A Tensor snapshot of the current value; later assigns do not change it."""
        snap = _wrap(self._value)
        if _recording.active:
            _recording.read_variable(self, snap)
        return snap

    read_value = value

    # ---- writing
    def _array_of(self, value, op):
        """``value`` as an array of this variable's dtype on its device (any shape)."""
        if isinstance(value, Tensor):
            t = value.value() if isinstance(value, Variable) else value
            if t._dtype is not self._dtype:
                raise DTypeMismatchError(
                    f"{op}: value has dtype {t._dtype.name} but Variable '{self._name}' has dtype "
                    f"{self._dtype.name}; cast it first: d2l.cast(value, d2l.{self._dtype.name})",
                    op=op)
            array = t._value
        else:
            array = constant(value, dtype=self._dtype)._value
        return backend.to_device(array, backend.device_of(self._value))

    def _checked(self, value, op):
        """``value`` as an array of this variable's dtype, shape and device."""
        array = self._array_of(value, op)
        if array.shape != self._value.shape:
            # TensorFlow: assign checks the shape in Python (ValueError), assign_add and
            # assign_sub fail in the kernel (InvalidArgumentError).
            error = ValueError if op == "assign" else InvalidArgumentError
            raise error(
                f"{op}: cannot assign a value of shape {tuple(array.shape)} to Variable "
                f"'{self._name}' of shape {tuple(self._value.shape)}; a Variable keeps its shape, "
                "so reshape the value or create a new Variable")
        return array

    _set_value = set_array    # rebind to a new array (never mutate the old one: snapshots share it)

    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Set the value (same shape and dtype); returns the Variable."""
        self._set_value(self._checked(value, "assign"))
        return self if read_value else None

    def _arithmetic(self, op):
        if not self._dtype.is_numeric:
            raise DTypeMismatchError(f"{op}: Variable '{self._name}' has dtype {self._dtype.name}, "
                                     "which has no arithmetic; use assign to set a new value",
                                     op=op)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        """``self += delta``, keeping identity; returns the Variable."""
        self._arithmetic("assign_add")
        self._set_value(self._value + self._checked(delta, "assign_add"))
        return self if read_value else None

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        """``self -= delta``, keeping identity; returns the Variable."""
        self._arithmetic("assign_sub")
        self._set_value(self._value - self._checked(delta, "assign_sub"))
        return self if read_value else None

    def _assign_slice(self, key, index, value):
        target_shape = np.shape(self._value[index])    # a string element is bytes, no array
        array = self._array_of(value, "assign")
        if array.shape != target_shape:
            try:
                np.broadcast_shapes(array.shape, target_shape)
                ok = len(array.shape) <= len(target_shape)
            except ValueError:
                ok = False
            if not ok:
                raise InvalidArgumentError(
                    f"assign: the slice {_format_key(key)} of Variable '{self._name}' has shape "
                    f"{tuple(target_shape)} but the value has shape {tuple(array.shape)}")
        new = self._value.copy()
        new[index] = array[()] if array.ndim == 0 else array   # into text: bytes, not a 0-d array
        self._set_value(new)
        return self

    def _no_inplace(self, other):
        raise RuntimeError(
            "In-place operators (+=, -=, *=, ...) are not supported on a Variable, as in "
            "TensorFlow: they would silently replace it with a new Tensor. Use "
            "v.assign_add(value) / v.assign_sub(value) / v.assign(v * value) to change it, "
            "or out = v + value for a new Tensor.")

    __iadd__ = __isub__ = __imul__ = __itruediv__ = __ifloordiv__ = __imod__ = __ipow__ = \
        __imatmul__ = _no_inplace

    def __setitem__(self, key, value):
        raise TypeError(
            f"'Variable' object does not support item assignment; assign into the slice "
            f"instead: v{_format_key(key)}.assign(value)")

    # ---- conversions and display
    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self._dtype.name}, "
                f"numpy={self._numpy_text(True)}>")

    def __str__(self):
        return self.__repr__()

    def __hash__(self):
        return id(self)

    def __reduce__(self):
        return (Variable, (self.numpy(), self.trainable, self._name))

    def __deepcopy__(self, memo):
        return Variable(self.numpy(), self.trainable, self._name)


class _VariableSlice(Tensor):
    """``v[...]``: a Tensor that remembers where it came from, so ``.assign`` writes back.

    ``Variable.__getitem__`` (installed by d2l_core.ops) makes one from the
    sliced value and the checked NumPy ``index`` it parsed from ``key``.
    """

    __slots__ = ("_variable", "_key", "_index")

    def __init__(self, variable, key, index, sliced):
        self._value, self._dtype = sliced._value, sliced._dtype
        self._variable, self._key, self._index = variable, key, index

    def assign(self, value, use_locking=False, name=None, read_value=True):
        """Write ``value`` into this slice of the Variable; returns the Variable."""
        return self._variable._assign_slice(self._key, self._index, value)

    def _current(self):
        """This slice of the variable as it is now (the view itself may be stale)."""
        return _wrap(self._variable._value[self._index])

    def assign_add(self, delta, **kwargs):
        return self.assign(self._current() + delta)     # + and - check dtypes and shapes

    def assign_sub(self, delta, **kwargs):
        return self.assign(self._current() - delta)


def _format_key(key):
    key = key if isinstance(key, tuple) else (key,)
    parts = []
    for k in key:
        if isinstance(k, slice):
            s = f"{'' if k.start is None else k.start}:{'' if k.stop is None else k.stop}"
            parts.append(s + (f":{k.step}" if k.step is not None else ""))
        elif k is Ellipsis:
            parts.append("...")
        else:
            parts.append(repr(k))
    return "[" + ", ".join(parts) + "]"


VariableSlice = _VariableSlice     # public-internal: ops' slicing makes them (``v[0].assign``)
