"""``d2l.debugging``: assertions about tensors (TensorFlow's ``tf.debugging``).

Each ``assert_*`` returns None when the condition holds and raises otherwise,
with TensorFlow's message: an ``InvalidArgumentError`` for values
(``assert_equal``, ``assert_less``, ``assert_near``, ...), a ``ValueError``
for static shapes and ranks, a ``TypeError`` for dtypes.

>>> import d2l_core as d2l
>>> x = d2l.constant([1.0, 2.0, 3.0])
>>> d2l.debugging.assert_less(x, 4.0)                 # holds: returns None
>>> try:
...     d2l.debugging.assert_equal(x, [1.0, 2.0, 4.0])
... except d2l.errors.InvalidArgumentError as e:
...     print(str(e).splitlines()[0])
Condition x == y did not hold.
"""
import numpy as np

from .config import set_log_device_placement  # noqa: F401  (tf.debugging's name for it too)
from .dtypes import as_dtype
from .errors import InvalidArgumentError
from .ops import math as _math
from .ops.debugging import check_numerics
from .tensor import Tensor, array_of, convert_to_tensor

__all__ = ["assert_equal", "assert_none_equal", "assert_less", "assert_less_equal",
           "assert_greater", "assert_greater_equal", "assert_near", "assert_rank",
           "assert_shapes", "assert_type", "assert_all_finite", "check_numerics",
           "enable_check_numerics", "disable_check_numerics", "set_log_device_placement"]


def _binary_assert(sym, op, x, y, data, summarize, message):
    """TensorFlow's eager ``_binary_assert``: the message lists the first failing values."""
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if y.dtype is not x.dtype and not isinstance(y, Tensor):
        y = convert_to_tensor(y, x.dtype)
    test = op(x, y)                       # the op's own errors: dtypes differ, shapes clash
    ok = array_of(test)
    if bool(ok.all()):
        return None
    summarize = 3 if summarize is None else 10 ** 9 if summarize < 0 else summarize
    if data is None:
        data = [f"Condition x {sym} y did not hold."]
        xs, ys = x.numpy(), y.numpy()
        if summarize > 0:
            if x.shape == y.shape and x.shape.as_list():
                bad = ~test.numpy()
                indices = np.argwhere(bad)
                n = min(summarize, indices.shape[0])
                data += [f"Indices of first {n} different values:", indices[:n],
                         "Corresponding x values:", xs[bad].reshape(-1)[:n],
                         "Corresponding y values:", ys[bad].reshape(-1)[:n]]
            fx, fy = np.reshape(xs, -1), np.reshape(ys, -1)
            data += [f"First {min(fx.size, summarize)} elements of x:", fx[:summarize],
                     f"First {min(fy.size, summarize)} elements of y:", fy[:summarize]]
    if message is not None:
        data = [message] + list(data)
    raise InvalidArgumentError("\n".join(_pretty(d, summarize) for d in data))


def _pretty(item, summarize):
    if isinstance(item, Tensor):
        flat = np.reshape(item.numpy(), -1)
        if item.ndim == 0:
            return str(item.numpy())
        items = [str(v) for v in flat[:summarize]] + (["..."] if flat.size > summarize else [])
        return str(items)
    return str(item)


def assert_equal(x, y, message=None, summarize=None, name=None):
    """Assert ``x == y`` elementwise (``tf.debugging.assert_equal``).

    >>> d2l.debugging.assert_equal(d2l.constant([1, 2]), [1, 2])
    """
    return _binary_assert("==", _math.equal, x, y, None, summarize, message)


def assert_none_equal(x, y, summarize=None, message=None, name=None):
    """Assert ``x != y`` everywhere (``tf.debugging.assert_none_equal``).

    >>> d2l.debugging.assert_none_equal(d2l.constant([1, 2]), [3, 4])
    """
    return _binary_assert("!=", _math.not_equal, x, y, None, summarize, message)


def assert_less(x, y, message=None, summarize=None, name=None):
    """Assert ``x < y`` elementwise (``tf.debugging.assert_less``).

    >>> d2l.debugging.assert_less(d2l.constant([1.0, 2.0]), 3.0)
    """
    return _binary_assert("<", _math.less, x, y, None, summarize, message)


def assert_less_equal(x, y, message=None, summarize=None, name=None):
    """Assert ``x <= y`` elementwise (``tf.debugging.assert_less_equal``).

    >>> d2l.debugging.assert_less_equal(d2l.constant([1.0, 3.0]), 3.0)
    """
    return _binary_assert("<=", _math.less_equal, x, y, None, summarize, message)


def assert_greater(x, y, message=None, summarize=None, name=None):
    """Assert ``x > y`` elementwise (``tf.debugging.assert_greater``).

    >>> d2l.debugging.assert_greater(d2l.constant([1.0, 2.0]), 0.0)
    """
    return _binary_assert(">", _math.greater, x, y, None, summarize, message)


def assert_greater_equal(x, y, message=None, summarize=None, name=None):
    """Assert ``x >= y`` elementwise (``tf.debugging.assert_greater_equal``).

    >>> d2l.debugging.assert_greater_equal(d2l.constant([0.0, 2.0]), 0.0)
    """
    return _binary_assert(">=", _math.greater_equal, x, y, None, summarize, message)


def _summarize_eager(item, summarize):
    """TensorFlow's eager ``Assert`` data: bytes for strings, 'a, b, c' for tensors."""
    if isinstance(item, str):
        return repr(item.encode())
    t = convert_to_tensor(item)
    if t.ndim == 0:
        return str(t.numpy())
    flat = np.reshape(t.numpy(), -1)
    items = [str(v) for v in flat[:summarize]] + (["..."] if flat.size > summarize else [])
    return ", ".join(items)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Assert ``|x - y| < atol + rtol * |y|`` elementwise (``tf.debugging.assert_near``).

    ``rtol`` and ``atol`` default to 10 machine epsilons of the dtype.

    >>> d2l.debugging.assert_near(d2l.constant([1.0, 2.0]), [1.0, 2.0000001])
    """
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, x.dtype if not isinstance(y, Tensor) else None)
    if not x.dtype.is_floating:
        raise ValueError(f"assert_near: x has dtype {x.dtype.name}, but tolerances need a "
                         "floating-point dtype; use assert_equal for integers, or cast first")
    eps = float(np.finfo(x.dtype.np).eps)
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, x.dtype)
    atol = convert_to_tensor(10 * eps if atol is None else atol, x.dtype)
    diff = _math.abs(_math.subtract(x, y))
    ok = _math.less(diff, _math.add(atol, _math.multiply(rtol, _math.abs(y))))
    if bool(array_of(ok).all()):
        return None
    data = ["" if message is None else message,
            f"x and y not equal to tolerance rtol = {rtol!s}, atol = {atol!s}",
            f"x (shape={x.shape} dtype={x.dtype.name}) = ", x,
            f"y (shape={y.shape} dtype={y.dtype.name}) = ", y]
    summarize = 3 if summarize is None else 10 ** 9 if summarize < 0 else summarize
    raise InvalidArgumentError(
        "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
        + "\n".join(_summarize_eager(d, summarize) for d in data))


def _prefix(message):
    return f"{message}.  " if message else ""


def assert_rank(x, rank, message=None, name=None):
    """Assert that ``x`` has rank ``rank``: a ValueError otherwise (``tf.debugging.assert_rank``).

    >>> d2l.debugging.assert_rank(d2l.zeros((2, 3)), 2)
    """
    x = convert_to_tensor(x)
    r = np.asarray(rank.numpy() if isinstance(rank, Tensor) else rank)
    if r.ndim != 0:
        raise ValueError("Rank must be a scalar.")
    if x.ndim != int(r):
        raise ValueError(f"{_prefix(message)}Tensor  must have rank {int(r)}.  Received rank "
                         f"{x.ndim}, shape {x.shape}")


def assert_type(tensor, tf_type, message=None, name=None):
    """Assert that ``tensor`` has dtype ``tf_type``: a TypeError otherwise (``tf.debugging.assert_type``).

    >>> d2l.debugging.assert_type(d2l.constant([1.0]), d2l.float32)
    """
    want, got = as_dtype(tf_type), convert_to_tensor(tensor).dtype
    if got is not want:
        raise TypeError(f"{_prefix(message)}tensor must be of type {want!r}; got {got!r}")


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Assert shapes, naming shared sizes with letters (``tf.debugging.assert_shapes``).

    ``shapes`` is a list of ``(tensor, shape)`` pairs; a shape's entries are
    sizes, letters (every use of a letter must have one size), or ``...``
    (any leading axes) first. A mismatch raises ValueError.

    >>> x, w = d2l.zeros((8, 3)), d2l.zeros((3, 5))
    >>> d2l.debugging.assert_shapes([(x, ('N', 'D')), (w, ('D', 5))])
    """
    if isinstance(shapes, dict):
        shapes = list(shapes.items())
    sizes = {}                      # letter -> (size, tensor that set it)
    for tensor, spec in shapes:
        x = convert_to_tensor(tensor)
        spec = [spec] if isinstance(spec, (int, str)) else list(spec)
        shape = list(x.shape.as_list())
        what = f"Tensor shape={x.shape} dtype={x.dtype.name}"
        if spec and spec[0] is Ellipsis:
            spec = spec[1:]
            if len(shape) < len(spec):
                raise ValueError(f"{_prefix(message)}Tensor  must have rank at least "
                                 f"{len(spec)}.  Received rank {len(shape)}, shape {x.shape}")
            shape = shape[len(shape) - len(spec):]
            offset = x.ndim - len(spec)
        else:
            if len(shape) != len(spec):
                raise ValueError(f"{_prefix(message)}Tensor  must have rank {len(spec)}.  "
                                 f"Received rank {len(shape)}, shape {x.shape}")
            offset = 0
        for i, (want, got) in enumerate(zip(spec, shape)):
            if isinstance(want, str):
                if want not in sizes:
                    sizes[want] = (got, x)
                    continue
                size, source = sizes[want]
                by = f"Specified by tensor shape={source.shape} dtype={source.dtype.name} " \
                     f"dimension {_dim_of(source, want, shapes)}"
            else:
                size, by = int(want), "Specified explicitly"
            if got != size:
                raise ValueError(f"{_prefix(message)}{by}.  {what} dimension {i + offset} "
                                 f"must have size {size}.  Received size {got}, shape {x.shape}")


def _dim_of(tensor, letter, shapes):
    """Which dimension of ``tensor`` first named ``letter`` (for the error message)."""
    for t, spec in (shapes.items() if isinstance(shapes, dict) else shapes):
        if t is tensor:
            spec = [spec] if isinstance(spec, (int, str)) else list(spec)
            if spec and spec[0] is Ellipsis:
                return tensor.ndim - len(spec) + 1 + spec[1:].index(letter)
            return spec.index(letter)
    return 0


def assert_all_finite(x, message, name=None):
    """``x`` itself, or InvalidArgumentError when it holds NaN or Inf (``tf.debugging.assert_all_finite``).

    >>> d2l.debugging.assert_all_finite(d2l.constant([1.0]), 'weights').numpy()
    array([1.], dtype=float32)
    """
    return check_numerics(x, message)


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Accepted, and does nothing: d2l_core does not check every op's output for NaN or Inf.

    TensorFlow then checks every op; in d2l_core call ``check_numerics`` (or
    ``assert_all_finite``) on the tensors you suspect.

    >>> d2l.debugging.enable_check_numerics()
    """


def disable_check_numerics():
    """Accepted, and does nothing (see ``enable_check_numerics``).

    >>> d2l.debugging.disable_check_numerics()
    """
