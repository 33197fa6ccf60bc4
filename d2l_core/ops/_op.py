"""What every op does before and after its kernel: convert, check, place, record.

Kept tiny because it is the hot path: an op on two CPU tensors with no tape
pays for two type checks, one dtype comparison, the NumPy kernel and one
``Tensor`` allocation.

"Plain" means no ``d2l.device(...)`` scope is open and placement logging is
off (``backend.placement.log_device_placement``): then arrays stay where they
are, so an op whose inputs are all NumPy arrays skips the device logic.
Ops test ``not device_stack and not placement.log_device_placement``
inline rather than through a function call, because a call costs about as
much as the test itself. benchmarks/ measures this path (``run.py --only
overhead``) and ``benchmarks/profile_ops.py`` shows where its time goes.
"""
import numbers
import warnings

import numpy as np

from .. import _recording, backend, dtypes
from ..backend import device_stack, placement
from ..errors import DTypeMismatchError, InvalidArgumentError
from ..tensor import Tensor, Variable, convert_to_tensor, shape_tuple, wrap
from .registry import OPS

# TensorFlow computes inf and nan without a word (1/0, log(0), an overflowing
# multiply); NumPy warns. Drop NumPy's floating-point warnings raised inside
# d2l_core only: a learner's own NumPy code keeps its warnings, and ops pay nothing.
warnings.filterwarnings("ignore", r"(overflow|underflow|divide by zero|invalid value) encountered",
                        RuntimeWarning, r"d2l_core(\.|$)")

needs = _recording.needs
tapes = _recording.active
NDARRAY = np.ndarray
_STRING = dtypes.string
_FLOAT32_MAX = float(dtypes.float32.max)


def record(op_name, inputs, output, attrs=None):
    """Put registered op ``op_name``'s call on the active tapes (call it only when ``tapes``).

    Ops marked not differentiable (and internal kernels that are not ops)
    are not recorded: no gradient flows through them.
    """
    entry = OPS.get(op_name)
    if entry is not None and entry.grad is not None:
        _recording.record(entry, inputs, output, attrs)


def record_many(op_name, inputs, outputs, attrs=None):
    """``record`` for an op with several outputs (``unstack``, ``split``)."""
    _recording.record_many(OPS[op_name], inputs, outputs, attrs)


def as_tensor(x, dtype=None):
    """``x`` as a Tensor: Tensors pass through, Variables are read, values converted."""
    if type(x) is Tensor and dtype is None:
        return x
    if isinstance(x, Variable):
        x = x.value()
        if dtype is None:
            return x
    return convert_to_tensor(x, dtype=dtype)


def _convert_like(value, dtype, op):
    """A Python/NumPy operand converted to the dtype of the tensor it meets.

    As in TensorFlow, a Python float never becomes an integer or bool (not even
    2.0), and a Python int never becomes a bool; True becomes 1 of a number
    dtype. NumPy arrays are converted as NumPy's ``astype`` would.
    """
    if isinstance(value, (float, int)) and not isinstance(value, (bool, np.generic)) and (
            dtype.is_bool or (dtype.is_integer and isinstance(value, float))):
        fix = ("compare first to get bools, e.g. x > 0" if dtype.is_bool else
               "write the number as an int, or cast the tensor first: d2l.cast(x, d2l.float32)")
        raise DTypeMismatchError(
            f"{op}: cannot combine the Python {type(value).__name__} {value!r} with a tensor "
            f"of dtype {dtype.name}; TensorFlow never converts it implicitly. Hint: {fix}", op=op)
    if (type(value) is float or type(value) is int) and dtype.is_floating and dtype.size >= 4 \
            and -_FLOAT32_MAX <= value <= _FLOAT32_MAX:
        # The common case in gradients and user code (``1 - y``, ``x * 0.5``): a finite
        # Python number meets a float32/float64 tensor. np.array rounds it exactly as
        # convert_to_tensor would, without its general checks.
        array = np.array(value, dtype.np)
        if device_stack:
            dev = backend.current_device()
            if dev.kind == "GPU":   # its device copy, made once: no host -> device copy per use
                array = backend.scalar_to_device(array, dev)
        return wrap(array)
    return convert_to_tensor(value, dtype=dtype)


def pair(x, y, op):
    """Two operands as Tensors of one dtype, as TensorFlow requires.

    A Python number or NumPy array takes the dtype of the Tensor it meets;
    two Tensors of different dtypes are an error that suggests ``cast``.
    """
    tx, ty = type(x), type(y)
    if tx is Tensor and ty is Tensor:
        if x._dtype is not y._dtype:
            _dtype_clash(x, y, op)
        return x, y
    x_is = isinstance(x, Tensor)
    y_is = isinstance(y, Tensor)
    if x_is and y_is:
        x, y = as_tensor(x), as_tensor(y)
        if x._dtype is not y._dtype:
            _dtype_clash(x, y, op)
        return x, y
    if x_is:
        x = as_tensor(x)
        return x, _convert_like(y, x._dtype, op)
    if y_is:
        y = as_tensor(y)
        return _convert_like(x, y._dtype, op), y
    x = convert_to_tensor(x)
    return x, _convert_like(y, x._dtype, op)


def _dtype_clash(x, y, op):
    a, b = x._dtype.name, y._dtype.name
    target = b if y._dtype.is_floating and not x._dtype.is_floating else a
    raise DTypeMismatchError(
        f"{op}: the inputs have different dtypes, {a} and {b}; TensorFlow never converts "
        f"dtypes implicitly. Cast one of them first, e.g. d2l.cast(x, d2l.{target})", op=op)


def arrays(op, *tensors):
    """The tensors' arrays on one device (the requested one, else where they live)."""
    if not device_stack and not placement.log_device_placement:
        values = [t._value for t in tensors]
        kind = type(values[0])
        for v in values:
            if type(v) is not kind:
                break
        else:
            if kind is NDARRAY or backend.gpu_count() == 1:
                return values   # plain, and all on the host or all on the one GPU: nothing to move
    dev = backend.current_device()
    if dev is None:
        for t in tensors:
            if type(t._value) is not NDARRAY:
                dev = backend.device_of(t._value)
                break
        else:
            if backend.placement.log_device_placement:
                backend.log_placement(op, backend.CPU)
            return [t._value for t in tensors]
    if dev.kind == "GPU" and any(t._dtype is _STRING for t in tensors):
        dev = backend.CPU      # an op on text runs on the host, as in TensorFlow (see host_arrays)
    if backend.placement.log_device_placement:
        backend.log_placement(op, dev)
    if dev.kind == "GPU":   # a Python number's 0-d array: reuse its device copy (no upload)
        return [backend.scalar_to_device(v, dev) if type(v) is NDARRAY and v.ndim == 0
                and v.dtype.kind in "biuf" else backend.to_device(v, dev)
                for v in (t._value for t in tensors)]
    return [backend.to_device(t._value, dev) for t in tensors]


def host_arrays(op, *tensors):
    """The tensors' arrays as NumPy arrays: where ops on text run.

    TensorFlow keeps string tensors in host memory and has no GPU kernels for
    string ops, so they run on the CPU even inside ``d2l.device('/gpu:0')``,
    and so do their results (``strings.length`` gives a CPU int32 tensor).
    """
    if placement.log_device_placement:
        backend.log_placement(op, backend.CPU)
    return [backend.to_numpy(t._value) for t in tensors]


xp_of = backend.xp_of


def broadcast_shape(op, a, b):
    """The shape ``a`` and ``b`` broadcast to, or an error that explains why they can't."""
    try:
        return np.broadcast_shapes(a, b)
    except ValueError:
        raise InvalidArgumentError(
            f"{op}: shapes {tuple(a)} and {tuple(b)} cannot be broadcast together. Aligned from "
            f"the right, each pair of dimensions must be equal or one of them 1; reshape or "
            f"expand_dims an input so they line up", op=op) from None


def check_dtype(op, t, allowed, what, fix="d2l.cast(x, d2l.float32)"):
    """Raise an error naming the op when ``t``'s dtype is not ``allowed(t.dtype)``.

    The error is an ``InvalidArgumentError`` (what TensorFlow raises) and a ``TypeError``.
    """
    if not allowed(t._dtype):
        raise DTypeMismatchError(f"{op}: expected {what} tensor, got dtype {t._dtype.name}; "
                                 f"cast it first, e.g. {fix}", op=op)


def numbers_only(op, t):
    """Arithmetic and order are defined on numbers only (``dtype.is_numeric``), as in
    TensorFlow: for a bool tensor say how to count, for a string tensor how to parse."""
    if t._dtype.is_bool:
        raise DTypeMismatchError(
            f"{op}: bool tensors do not support arithmetic; cast to a number dtype first, "
            "e.g. d2l.cast(mask, d2l.int32) to count or d2l.cast(mask, d2l.float32) to average",
            op=op)
    if not t._dtype.is_numeric:
        raise DTypeMismatchError(
            f"{op}: string tensors have no arithmetic or order (TensorFlow's {op} takes numbers "
            "only); parse numbers first with d2l.strings.to_number(s), or join strings with + "
            "or d2l.strings.join", op=op)


def normalize_axis(op, axis, ndim):
    """``axis`` as a sorted tuple of non-negative ints, checked against ``ndim``."""
    if axis is None:
        return tuple(range(ndim))
    if hasattr(axis, "_value"):
        if not axis.dtype.is_integer or axis.ndim > 1:
            raise InvalidArgumentError(
                f"{op}: axis must be an int or a 1-D list of ints, got a {axis.dtype.name} "
                f"tensor of shape {axis.shape}; to reduce over all axes leave axis=None", op=op)
        axis = axis.numpy().tolist()
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    out = []
    for a in axes:
        if type(a) is not int and (not isinstance(a, numbers.Integral) or isinstance(a, bool)):
            raise InvalidArgumentError(
                f"{op}: axis must be an int or a list of ints, got {axis!r:.60}; "
                "axes are numbered 0 (first) to -1 (last)", op=op)
        a = int(a)
        if not -ndim <= a < max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise InvalidArgumentError(
                f"{op}: axis {a} is out of range for a tensor of rank {ndim}; "
                f"valid axes are {-ndim}..{ndim - 1}", op=op)
        out.append(a % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise InvalidArgumentError(f"{op}: axis {axis} names an axis twice", op=op)
    return tuple(sorted(out)) if ndim else ()


__all__ = ["as_tensor", "pair", "arrays", "host_arrays", "xp_of", "wrap", "record", "record_many",
           "needs", "tapes", "broadcast_shape", "check_dtype", "numbers_only", "normalize_axis",
           "shape_tuple", "dtypes"]
