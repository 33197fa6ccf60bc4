"""Elementwise math: arithmetic, comparisons, logic, and the functions of calculus.

Each op is its forward kernel plus, right below it, its chain rule. Gradients
are written with d2l_core ops, so an outer tape records them and derivatives
of any order come for free. Broadcasting is NumPy's; the tape sums each
gradient back to its input's shape.

>>> import d2l_core as d2l
>>> d2l.add([1, 2], 10)
<tf.Tensor: shape=(2,), dtype=int32, numpy=array([11, 12], dtype=int32)>
"""
import numpy as np

from .. import dtypes, fused
from ..errors import InvalidArgumentError, UnimplementedError
from ..tensor import Tensor
from ._op import (NDARRAY, device_stack, placement, arrays, as_tensor, broadcast_shape, xp_of,
                  check_dtype, host_arrays, needs, numbers_only, pair, record, tapes, wrap)
from .array import ones_like, zeros_like
from .registry import (BINARY, BOOLS, COMPOSITE, INTS, NOT_DIFFERENTIABLE, NUMBERS, OTHER,
                       STRINGS, UNARY, Sample, Test, away_from_zero, broadcastable_shapes,
                       gradient, op, random_shape, uniform)


# ================================================================ helpers
#
# _binary and _unary are the hot path of every elementwise op. Their fast
# path (plain Tensors holding NumPy arrays, see ops/_op.py) goes straight to
# the kernel; anything else (Variables, Python numbers, CuPy arrays, a device
# scope, placement logging) takes the general route through pair/arrays.
# When a tape is recording, the call is recorded under the op's registry name;
# the tape later calls the gradient registered for it (see ops/registry.py).

def _binary(op, x, y, kernel):
    """Run a broadcasting two-input op and record it when a tape is watching."""
    if (type(x) is Tensor and type(y) is Tensor and x._dtype is y._dtype
            and type(x._value) is NDARRAY and type(y._value) is NDARRAY
            and not device_stack and not placement.log_device_placement):
        a, b = x._value, y._value
    else:
        x, y = pair(x, y, op)
        a, b = arrays(op, x, y)
    try:
        z = wrap(kernel(a, b))
    except ValueError:
        broadcast_shape(op, a.shape, b.shape)
        raise
    if tapes:
        record(op, (x, y), z)
    return z


def _arith(op, x, y, kernel):
    """``_binary`` for arithmetic, which TensorFlow does not define on bool tensors."""
    x, y = pair(x, y, op)
    if not x._dtype.is_numeric:     # bool or string
        numbers_only(op, x)
    return _binary(op, x, y, kernel)


def _unary(op, x, kernel):
    if type(x) is not Tensor:
        x = as_tensor(x)
    a = x._value
    if type(a) is not NDARRAY or device_stack or placement.log_device_placement:
        (a,) = arrays(op, x)
    y = wrap(kernel(a))
    if tapes:
        record(op, (x,), y)
    return y


def _is_float_or_complex(d):
    return d.is_floating or d.is_complex


def _float_only(op, x):
    x = as_tensor(x)
    check_dtype(op, x, _is_float_or_complex, "a floating-point")
    return x


def _numeric(op, x):
    x = as_tensor(x)
    if not x._dtype.is_numeric:     # bool or string
        numbers_only(op, x)
    return x


# ================================================================ test data (see ops/registry.py)

def _mod_samples(rng):
    """x = y·(k + f), f in [0.2, 0.8]: never near a multiple of y, where mod jumps."""
    shape = random_shape(rng)
    y = away_from_zero(0.5, 2.0)(rng, shape[int(rng.integers(len(shape) + 1)):])   # broadcast
    x = y * (rng.integers(-3, 3, size=shape) + rng.uniform(0.2, 0.8, size=shape))
    c = float(rng.choice([-1.5, 1.3]))                                           # a Python number
    x1 = c * (rng.integers(-3, 3, size=shape) + rng.uniform(0.2, 0.8, size=shape))
    return [Sample(mod, (x, y), np.mod), Sample(lambda x: mod(x, c), (x1,), lambda a: np.mod(a, c))]


def _untied_samples(fn, reference, rng):
    """x on multiples of 0.5, y on odd multiples of 0.25 (broadcast): never tied, where
    maximum and minimum have no derivative."""
    sx, sy = broadcastable_shapes(rng)
    x, y = rng.integers(-4, 5, size=sx) * 0.5, rng.integers(-4, 4, size=sy) * 0.5 + 0.25
    return [Sample(fn, (x, y), reference)]


def _off_integers(rng, shape):
    """Values at least 0.1 from an integer or a half: floor, ceil and round agree everywhere."""
    return rng.integers(-5, 5, size=shape) + rng.choice([0.15, 0.35, 0.65, 0.85], size=shape)


def _small_ints(rng, shape):
    """Few distinct values, so comparisons see ties as well as both orders."""
    return rng.integers(-2, 3, size=shape).astype(np.float64)


def _where_samples(rng):
    sc, sx, sy = broadcastable_shapes(rng, 3)
    c = np.asarray(rng.random(sc) < 0.5)
    x, y = uniform()(rng, sx), uniform()(rng, sy)
    return [Sample(lambda x, y: where(c, x, y), (x, y), lambda x, y: np.where(c, x, y)),
            Sample(lambda c: where(c), (c,), np.argwhere)]


def _cast_samples(rng):
    x = uniform(-3, 3)(rng, (2, 3))
    return [Sample(lambda x: cast(cast(x, dtypes.float32), dtypes.float64), (x,),
                   lambda x: x.astype(np.float32).astype(np.float64)),
            Sample(lambda x: cast(x, dtypes.int32), (x,), lambda x: x.astype(np.int32))]


def _clip_samples(rng):
    shape = random_shape(rng)
    t = rng.integers(-10, 10, size=shape) * 0.1 + 0.05      # never on a bound
    bounds = shape[int(rng.integers(len(shape) + 1)):]      # broadcast to t's shape
    lo, hi = rng.choice([-0.5, -0.3], size=bounds), rng.choice([0.3, 0.5], size=bounds)
    return [Sample(lambda x: clip_by_value(x, -0.5, 0.6), (t,), lambda x: np.clip(x, -0.5, 0.6)),
            Sample(clip_by_value, (t, lo, hi), np.clip)]


def _add_n_samples(rng):
    shape = random_shape(rng, max_side=3)
    xs = tuple(uniform()(rng, shape) for _ in range(int(rng.integers(1, 4))))
    return [Sample(lambda *xs: add_n(list(xs)), xs, lambda *xs: sum(xs))]


# ================================================================ arithmetic

@op("AddV2", exports=("", "math"), kind=BINARY, kernel=np.add,
    test=Test(np.add, dtypes=NUMBERS + STRINGS))
def add(x, y, name=None):
    """Elementwise ``x + y`` with broadcasting (``tf.add``, operator ``+``).

    On string tensors ``+`` concatenates, as in TensorFlow (on the host, see ``strings``).

    >>> d2l.add(d2l.ones((2, 1)), [10.0, 20.0]).numpy()
    array([[11., 21.],
           [11., 21.]], dtype=float32)
    >>> d2l.constant(["Gray ", "Lazy "]) + "wolf"
    <tf.Tensor: shape=(2,), dtype=string, numpy=array([b'Gray wolf', b'Lazy wolf'], dtype=object)>
    """
    x, y = pair(x, y, "add")
    if not x._dtype.is_numeric:       # bool or string: the same test _arith makes
        if x._dtype is dtypes.string:
            return _concatenate(x, y)
        numbers_only("add", x)
    return _binary("add", x, y, np.add)


def _concatenate(x, y):
    """``+`` of string tensors: each pair of strings joined, with broadcasting."""
    a, b = host_arrays("add", x, y)
    try:
        return wrap(np.add(a, b))           # NumPy's add of two bytes objects joins them
    except ValueError:
        broadcast_shape("add", a.shape, b.shape)
        raise


@gradient("add")
def _add_grad(dz, inputs, z, attrs):
    return dz, dz


@op("Sub", exports=("", "math"), kind=BINARY, kernel=np.subtract,
    test=Test(np.subtract, dtypes=NUMBERS))
def subtract(x, y, name=None):
    """Elementwise ``x - y`` (``tf.subtract``, operator ``-``).

    >>> d2l.subtract([5, 7], 2).numpy()
    array([3, 5], dtype=int32)
    """
    return _arith("subtract", x, y, np.subtract)


@gradient("subtract")
def _subtract_grad(dz, inputs, z, attrs):
    x, y = inputs
    return dz, (negative(dz) if needs(y) else None)


@op("Mul", exports=("", "math"), kind=BINARY, kernel=np.multiply,
    test=Test(np.multiply, dtypes=NUMBERS))
def multiply(x, y, name=None):
    """Elementwise ``x * y`` (``tf.multiply``, operator ``*``); see ``matmul`` for matrices.

    d(xy)/dx = y and d(xy)/dy = x.

    >>> d2l.multiply([1.0, 2.0], [3.0, 4.0]).numpy()
    array([3., 8.], dtype=float32)
    """
    return _arith("multiply", x, y, np.multiply)


@gradient("multiply")
def _multiply_grad(dz, inputs, z, attrs):
    x, y = inputs
    return (multiply(dz, y) if needs(x) else None,
            multiply(dz, x) if needs(y) else None)


_true_div_dtype = {dtypes.int8: dtypes.float32, dtypes.uint8: dtypes.float32,
                   dtypes.int16: dtypes.float32, dtypes.uint16: dtypes.float32,
                   dtypes.int32: dtypes.float64, dtypes.uint32: dtypes.float64,
                   dtypes.int64: dtypes.float64, dtypes.uint64: dtypes.float64}


@op("RealDiv", exports=("", "math", ".truediv", "math.truediv"), kind=BINARY, kernel=np.true_divide,
    test=Test(np.true_divide, domain=away_from_zero()))
def divide(x, y, name=None):
    """Elementwise true division ``x / y`` (``tf.divide``, ``tf.truediv``, operator ``/``).

    As in TensorFlow, integer inputs are first converted to floats
    (int32 / int32 gives float64), and dividing by zero gives inf or nan.
    d(x/y)/dx = 1/y and d(x/y)/dy = -x/y².

    >>> d2l.divide([1, 2], [2, 4])
    <tf.Tensor: shape=(2,), dtype=float64, numpy=array([0.5, 0.5])>
    """
    x, y = pair(x, y, "divide")
    numbers_only("divide", x)
    target = _true_div_dtype.get(x._dtype)
    if target is not None:
        x, y = cast(x, target), cast(y, target)
    return _binary("divide", x, y, np.true_divide)


@gradient("divide")
def _divide_grad(dz, inputs, z, attrs):
    x, y = inputs
    return (divide(dz, y) if needs(x) else None,
            negative(multiply(dz, divide(z, y))) if needs(y) else None)


truediv = divide     # tf.truediv: the same op


# One launch on a GPU for the three operations of x / y with 0 where y == 0.
_div_no_nan = fused.Elementwise("div_no_nan", "T a, T b", "T out", "out = where(b == 0, 0, a / b)")


def _div_no_nan_kernel(a, b):
    if a.dtype.kind == "c":        # complex: NumPy-style operations (no fused complex kernel)
        return np.where(b == 0, 0, np.true_divide(a, np.where(b == 0, 1, b))).astype(a.dtype)
    return _div_no_nan(a, b)


@op("DivNoNan", exports=("math",), kind=BINARY, kernel=_div_no_nan_kernel,
    test=Test(lambda x, y: np.where(y == 0, 0, np.true_divide(x, y)), domain=away_from_zero()))
def divide_no_nan(x, y, name=None):
    """``x / y``, and 0 wherever ``y`` is 0, even where ``x`` is 0, inf or nan (``tf.math.divide_no_nan``).

    For averages that may be empty: a mean of nothing is 0, not nan. Integers
    are converted to floats first, as by ``divide``. The gradient is 0 where
    ``y`` is 0.

    >>> d2l.math.divide_no_nan([3.0, 3.0, 0.0], [2.0, 0.0, 0.0]).numpy()
    array([1.5, 0. , 0. ], dtype=float32)
    """
    x, y = pair(x, y, "divide_no_nan")
    numbers_only("divide_no_nan", x)
    target = _true_div_dtype.get(x._dtype)
    if target is not None:
        x, y = cast(x, target), cast(y, target)
    return _binary("divide_no_nan", x, y, _div_no_nan_kernel)


@gradient("divide_no_nan")
def _divide_no_nan_grad(dz, inputs, z, attrs):
    x, y = inputs        # TensorFlow's rule: 0 wherever y is 0, for both inputs
    return (divide_no_nan(dz, y) if needs(x) else None,
            multiply(dz, divide_no_nan(divide_no_nan(negative(x), y), y)) if needs(y) else None)


def _int_zero_check(op, x, y):
    if x._dtype.is_integer:
        (b,) = arrays(op, y)
        if not b.all():
            raise InvalidArgumentError(f"{op}: integer division by zero; check the divisor, "
                                       "or divide floats to get inf", op=op)


def _float_floordiv(a, b):
    # TensorFlow computes floor(x / y) for floats; NumPy's floor_divide can differ
    # by one where x / y rounds up to an integer (1.0 // 0.1 is 9 in NumPy, 10 here).
    return np.floor(np.true_divide(a, b))


@op("FloorDiv", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(lambda a, b: np.floor(a / b), domain=away_from_zero()))
def floordiv(x, y, name=None):
    """Elementwise division rounded down, ``x // y`` (``tf.math.floordiv``). Not differentiable.

    Integers round toward minus infinity (the result has the sign of x*y);
    floats give ``floor(x / y)``.

    >>> d2l.floordiv([7, -7], 2).numpy()
    array([ 3, -4], dtype=int32)
    """
    x, y = pair(x, y, "floordiv")
    numbers_only("floordiv", x)
    _int_zero_check("floordiv", x, y)
    kernel = np.floor_divide if x._dtype.is_integer else _float_floordiv
    return _binary("floordiv", x, y, kernel)


@op("FloorMod", exports=("", "math", "math.floormod"), kind=BINARY,
    test=Test(samples=_mod_samples))
def mod(x, y, name=None):
    """Elementwise remainder with the sign of ``y``, ``x % y`` (``tf.math.floormod``).

    >>> d2l.mod([7, -7], 3).numpy()
    array([1, 2], dtype=int32)
    """
    x, y = pair(x, y, "mod")
    numbers_only("mod", x)
    _int_zero_check("mod", x, y)
    return _binary("mod", x, y, np.mod)


@gradient("mod")
def _mod_grad(dz, inputs, z, attrs):
    x, y = inputs
    return dz, (negative(multiply(dz, floor(divide(x, y)))) if needs(y) else None)


floormod = mod


def _pow_kernel(a, b):
    try:
        return np.power(a, b)
    except ValueError as e:   # NumPy: "Integers to negative integer powers are not allowed."
        raise InvalidArgumentError(f"pow: {e} Use a float base, e.g. d2l.cast(x, d2l.float32)",
                                   op="pow") from None


@op("Pow", exports=("", "math"), kind=BINARY,
    test=Test(np.power, domain=(0.5, 2.0)))
def pow(x, y, name=None):  # noqa: A001  (TensorFlow's name)
    """Elementwise ``x ** y`` (``tf.pow``, operator ``**``).

    d(x^y)/dx = y·x^(y-1) and d(x^y)/dy = x^y·ln x (taken as 0 where x <= 0).

    >>> d2l.pow([2.0, 3.0], 2).numpy()
    array([4., 9.], dtype=float32)
    """
    return _arith("pow", x, y, _pow_kernel)


@gradient("pow")
def _pow_grad(dz, inputs, z, attrs):
    x, y = inputs
    dx = multiply(dz, multiply(y, pow(x, subtract(y, 1)))) if needs(x) else None
    dy = None
    if needs(y):
        positive = greater(x, 0)
        log_x = where(positive, log(where(positive, x, ones_like(x))), zeros_like(x))
        dy = multiply(dz, multiply(z, log_x))
    return dx, dy


@op("Maximum", exports=("", "math"), kind=BINARY, kernel=np.maximum,
    test=Test(np.maximum, dtypes=NUMBERS, smooth=False,
              samples=lambda rng: _untied_samples(maximum, np.maximum, rng)))
def maximum(x, y, name=None):
    """Elementwise larger of ``x`` and ``y`` (``tf.maximum``). Ties send the gradient to ``x``.

    >>> d2l.maximum([1, 5], [3, 2]).numpy()
    array([3, 5], dtype=int32)
    """
    return _arith("maximum", x, y, np.maximum)


@gradient("maximum")
def _maximum_grad(dz, inputs, z, attrs):
    x, y = inputs
    x_wins = greater_equal(x, y)
    return (where(x_wins, dz, zeros_like(dz)) if needs(x) else None,
            where(x_wins, zeros_like(dz), dz) if needs(y) else None)


@op("Minimum", exports=("", "math"), kind=BINARY, kernel=np.minimum,
    test=Test(np.minimum, dtypes=NUMBERS, smooth=False,
              samples=lambda rng: _untied_samples(minimum, np.minimum, rng)))
def minimum(x, y, name=None):
    """Elementwise smaller of ``x`` and ``y`` (``tf.minimum``). Ties send the gradient to ``x``.

    >>> d2l.minimum([1, 5], [3, 2]).numpy()
    array([1, 2], dtype=int32)
    """
    return _arith("minimum", x, y, np.minimum)


@gradient("minimum")
def _minimum_grad(dz, inputs, z, attrs):
    x, y = inputs
    x_wins = less_equal(x, y)
    return (where(x_wins, dz, zeros_like(dz)) if needs(x) else None,
            where(x_wins, zeros_like(dz), dz) if needs(y) else None)


@op("SquaredDifference", exports=("math",), kind=BINARY, grad=COMPOSITE,
    test=Test(lambda a, b: np.square(a - b), dtypes=NUMBERS))
def squared_difference(x, y, name=None):
    """Elementwise ``(x - y)²`` (``tf.math.squared_difference``).

    >>> d2l.math.squared_difference([1.0, 4.0], [3.0, 1.0]).numpy()
    array([4., 9.], dtype=float32)
    """
    return square(subtract(x, y))


# ================================================================ one-input functions

@op("Neg", exports=("", "math"), kind=UNARY, kernel=np.negative,
    test=Test(np.negative, dtypes=NUMBERS))
def negative(x, name=None):
    """Elementwise ``-x`` (``tf.negative``).

    >>> d2l.negative([1, -2]).numpy()
    array([-1,  2], dtype=int32)
    """
    return _unary("negative", _numeric("negative", x), np.negative)


@gradient("negative")
def _negative_grad(dy, inputs, y, attrs):
    return (negative(dy),)


@op("Abs", exports=("", "math"), kind=UNARY,
    test=Test(np.abs, domain=away_from_zero(), dtypes=NUMBERS))
def abs(x, name=None):  # noqa: A001
    """Elementwise ``|x|`` (``tf.abs``); its derivative is sign(x) (0 at 0).

    >>> d2l.abs([-1.5, 2.0]).numpy()
    array([1.5, 2. ], dtype=float32)
    """
    return _unary("abs", _numeric("abs", x), np.abs)


@gradient("abs")
def _abs_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (multiply(dy, sign(x)),)


@op("Sign", exports=("", "math"), kind=UNARY,
    test=Test(np.sign, domain=away_from_zero(), dtypes=NUMBERS))
def sign(x, name=None):
    """Elementwise -1, 0 or 1 (``tf.sign``); its gradient is zero.

    >>> d2l.sign([-3.0, 0.0, 2.0]).numpy()
    array([-1.,  0.,  1.], dtype=float32)
    """
    return _unary("sign", _numeric("sign", x), np.sign)


@gradient("sign")
def _sign_grad(dy, inputs, y, attrs):
    return (zeros_like(dy),)


@op("Exp", exports=("", "math"), kind=UNARY, kernel=np.exp,
    test=Test(np.exp))
def exp(x, name=None):
    """Elementwise eˣ (``tf.exp``); d eˣ/dx = eˣ.

    >>> d2l.exp([0.0]).numpy()
    array([1.], dtype=float32)
    >>> d2l.exp([1.0]).numpy().round(4)
    array([2.7183], dtype=float32)
    """
    return _unary("exp", _float_only("exp", x), np.exp)


@gradient("exp")
def _exp_grad(dy, inputs, y, attrs):
    return (multiply(dy, y),)


@op("Expm1", exports=("math",), kind=UNARY,
    test=Test(np.expm1))
def expm1(x, name=None):
    """Elementwise eˣ - 1, accurate near 0 (``tf.math.expm1``).

    >>> d2l.math.expm1([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary("expm1", _float_only("expm1", x), np.expm1)


@gradient("expm1")
def _expm1_grad(dy, inputs, y, attrs):
    return (multiply(dy, add(y, 1)),)


@op("Log", exports=("", "math"), kind=UNARY, kernel=np.log,
    test=Test(np.log, domain=(0.3, 3.0)))
def log(x, name=None):
    """Elementwise natural logarithm (``tf.math.log``); d ln x/dx = 1/x. log(0) = -inf.

    >>> d2l.math.log([1.0, 2.718281828]).numpy()
    array([0., 1.], dtype=float32)
    """
    return _unary("log", _float_only("log", x), np.log)


@gradient("log")
def _log_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (divide(dy, x),)


@op("Log1p", exports=("math",), kind=UNARY,
    test=Test(np.log1p, domain=(-0.6, 2.0)))
def log1p(x, name=None):
    """Elementwise ln(1 + x), accurate near 0 (``tf.math.log1p``).

    >>> d2l.math.log1p([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary("log1p", _float_only("log1p", x), np.log1p)


@gradient("log1p")
def _log1p_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (divide(dy, add(x, 1)),)


@op("Sqrt", exports=("", "math"), kind=UNARY, kernel=np.sqrt,
    test=Test(np.sqrt, domain=(0.3, 3.0)))
def sqrt(x, name=None):
    """Elementwise √x (``tf.sqrt``); d√x/dx = 1/(2√x), infinite at 0.

    >>> d2l.sqrt([4.0, 9.0]).numpy()
    array([2., 3.], dtype=float32)
    """
    return _unary("sqrt", _float_only("sqrt", x), np.sqrt)


@gradient("sqrt")
def _sqrt_grad(dy, inputs, y, attrs):
    return (divide(multiply(dy, 0.5), y),)


@op("Rsqrt", exports=("math",), kind=UNARY,
    test=Test(lambda a: 1 / np.sqrt(a), domain=(0.3, 3.0)))
def rsqrt(x, name=None):
    """Elementwise 1/√x (``tf.math.rsqrt``).

    >>> d2l.math.rsqrt([4.0]).numpy()
    array([0.5], dtype=float32)
    """
    x = _float_only("rsqrt", x)
    return _unary("rsqrt", x, lambda a: 1 / np.sqrt(a))


@gradient("rsqrt")
def _rsqrt_grad(dy, inputs, y, attrs):
    return (multiply(dy, multiply(-0.5, multiply(y, square(y)))),)


@op("Reciprocal", exports=("math",), kind=UNARY,
    test=Test(np.reciprocal, domain=away_from_zero()))
def reciprocal(x, name=None):
    """Elementwise 1/x (``tf.math.reciprocal``).

    >>> d2l.math.reciprocal([2.0, 4.0]).numpy()
    array([0.5 , 0.25], dtype=float32)
    """
    x = _float_only("reciprocal", x)
    return _unary("reciprocal", x, np.reciprocal)


@gradient("reciprocal")
def _reciprocal_grad(dy, inputs, y, attrs):
    return (negative(multiply(dy, square(y))),)


@op("Square", exports=("", "math"), kind=UNARY, kernel=np.square,
    test=Test(np.square, dtypes=NUMBERS))
def square(x, name=None):
    """Elementwise x² (``tf.square``); d x²/dx = 2x.

    >>> d2l.square([3, -2]).numpy()
    array([9, 4], dtype=int32)
    """
    return _unary("square", _numeric("square", x), np.square)


@gradient("square")
def _square_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (multiply(dy, multiply(x, 2)),)


@op("Sin", exports=("", "math"), kind=UNARY, kernel=np.sin,
    test=Test(np.sin, domain=(-3.0, 3.0)))
def sin(x, name=None):
    """Elementwise sine (``tf.sin``); d sin x/dx = cos x.

    >>> d2l.sin([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary("sin", _float_only("sin", x), np.sin)


@gradient("sin")
def _sin_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (multiply(dy, cos(x)),)


@op("Cos", exports=("", "math"), kind=UNARY, kernel=np.cos,
    test=Test(np.cos, domain=(-3.0, 3.0)))
def cos(x, name=None):
    """Elementwise cosine (``tf.cos``); d cos x/dx = -sin x.

    >>> d2l.cos([0.0]).numpy()
    array([1.], dtype=float32)
    """
    return _unary("cos", _float_only("cos", x), np.cos)


@gradient("cos")
def _cos_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (negative(multiply(dy, sin(x))),)


@op("Tan", exports=("math",), kind=UNARY,
    test=Test(np.tan, domain=(-1.2, 1.2)))
def tan(x, name=None):
    """Elementwise tangent (``tf.math.tan``); d tan x/dx = 1 + tan² x.

    >>> d2l.math.tan([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary("tan", _float_only("tan", x), np.tan)


@gradient("tan")
def _tan_grad(dy, inputs, y, attrs):
    return (multiply(dy, add(square(y), 1)),)


@op("Tanh", exports=("", "math", "nn"), kind=UNARY, activation=True, kernel=np.tanh,
    test=Test(np.tanh, domain=(-3.0, 3.0)))
def tanh(x, name=None):
    """Elementwise hyperbolic tangent (``tf.tanh``); d tanh x/dx = 1 - tanh² x.

    >>> d2l.tanh([0.0]).numpy()
    array([0.], dtype=float32)
    """
    return _unary("tanh", _float_only("tanh", x), np.tanh)


@gradient("tanh")
def _tanh_grad(dy, inputs, y, attrs):
    return (multiply(dy, subtract(1, square(y))),)


def _sigmoid_kernel(a):
    # exp of a negative number never overflows: use σ(a) = e^a/(1+e^a) for a < 0.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


@op("Sigmoid", exports=("", "math", "nn"), kind=UNARY, activation=True, kernel=_sigmoid_kernel,
    test=Test(lambda a: 1 / (1 + np.exp(-a)), domain=(-4.0, 4.0)))
def sigmoid(x, name=None):
    """Elementwise logistic function σ(x) = 1/(1+e⁻ˣ) (``tf.sigmoid``); σ' = σ(1-σ).

    >>> d2l.sigmoid([0.0]).numpy()
    array([0.5], dtype=float32)
    """
    return _unary("sigmoid", _float_only("sigmoid", x), _sigmoid_kernel)


@gradient("sigmoid")
def _sigmoid_grad(dy, inputs, y, attrs):
    return (multiply(dy, multiply(y, subtract(1, y))),)


@op("Softplus", exports=("math", "nn"), kind=UNARY, activation=True,
    test=Test(lambda a: np.logaddexp(0, a), domain=(-4.0, 4.0)))
def softplus(x, name=None):
    """Elementwise ln(1 + eˣ), computed without overflow (``tf.math.softplus``).

    >>> d2l.math.softplus([0.0]).numpy()
    array([0.6931472], dtype=float32)
    """
    x = _float_only("softplus", x)
    return _unary("softplus", x, lambda a: np.logaddexp(0, a).astype(a.dtype, copy=False))


@gradient("softplus")
def _softplus_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (multiply(dy, sigmoid(x)),)


@op("Floor", exports=("", "math"), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.floor, domain=_off_integers))
def floor(x, name=None):
    """Elementwise round down (``tf.floor``). Not differentiable.

    >>> d2l.floor([1.7, -1.2]).numpy()
    array([ 1., -2.], dtype=float32)
    """
    return _unary("floor", _float_only("floor", x), np.floor)


@op("Ceil", exports=("math",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.ceil, domain=_off_integers))
def ceil(x, name=None):
    """Elementwise round up (``tf.math.ceil``). Not differentiable.

    >>> d2l.math.ceil([1.2]).numpy()
    array([2.], dtype=float32)
    """
    return _unary("ceil", _float_only("ceil", x), np.ceil)


@op("Round", exports=("", "math"), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.round, domain=_off_integers, dtypes=NUMBERS))
def round(x, name=None):  # noqa: A001
    """Elementwise round half to even, "banker's rounding" (``tf.round``). Not differentiable.

    >>> d2l.round([0.5, 1.5, 2.4]).numpy()
    array([0., 2., 2.], dtype=float32)
    """
    return _unary("round", _numeric("round", x), np.round)


# ================================================================ comparison and logic

def _compare(op, kernel, ordered=True):
    def compare(x, y, name=None):
        return (_arith if ordered else _binary)(op, x, y, kernel)
    compare.__name__ = op
    return compare


equal = op("Equal", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.equal, domain=_small_ints, dtypes=NUMBERS + STRINGS))(
    _compare("equal", np.equal, ordered=False))
equal.__doc__ = """Elementwise ``x == y`` as a bool tensor (``tf.equal``).

>>> d2l.equal([1, 2, 3], [1, 0, 3]).numpy()
array([ True, False,  True])
"""
not_equal = op("NotEqual", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.not_equal, domain=_small_ints, dtypes=NUMBERS + STRINGS))(
    _compare("not_equal", np.not_equal, ordered=False))
not_equal.__doc__ = """Elementwise ``x != y`` (``tf.not_equal``).

>>> d2l.not_equal([1, 2], 1).numpy()
array([False,  True])
"""
less = op("Less", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.less, domain=_small_ints, dtypes=NUMBERS))(
    _compare("less", np.less))
less.__doc__ = """Elementwise ``x < y`` (``tf.less``).

>>> d2l.less([1, 2], 2).numpy()
array([ True, False])
"""
less_equal = op("LessEqual", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.less_equal, domain=_small_ints, dtypes=NUMBERS))(
    _compare("less_equal", np.less_equal))
less_equal.__doc__ = """Elementwise ``x <= y`` (``tf.less_equal``).

>>> d2l.less_equal([1, 2], 2).numpy()
array([ True,  True])
"""
greater = op("Greater", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.greater, domain=_small_ints, dtypes=NUMBERS))(
    _compare("greater", np.greater))
greater.__doc__ = """Elementwise ``x > y`` (``tf.greater``).

>>> d2l.greater([1, 3], 2).numpy()
array([False,  True])
"""
greater_equal = op("GreaterEqual", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.greater_equal, domain=_small_ints, dtypes=NUMBERS))(
    _compare("greater_equal", np.greater_equal))
greater_equal.__doc__ = """Elementwise ``x >= y`` (``tf.greater_equal``).

>>> d2l.greater_equal([1, 2], 2).numpy()
array([False,  True])
"""


TO_BOOL = "a comparison such as x > 0, or d2l.cast(x, d2l.bool)"   # the fix for a non-bool


def _logical(op, kernel):
    def logical(x, y, name=None):
        x, y = pair(x, y, op)
        check_dtype(op, x, lambda d: d.is_bool, "a bool", TO_BOOL)
        return _binary(op, x, y, kernel)
    logical.__name__ = op
    return logical


logical_and = op("LogicalAnd", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.logical_and, dtypes=BOOLS))(
    _logical("logical_and", np.logical_and))
logical_and.__doc__ = """Elementwise AND of bool tensors (``tf.logical_and``, operator ``&``).

>>> d2l.logical_and([True, True], [True, False]).numpy()
array([ True, False])
"""
logical_or = op("LogicalOr", exports=("", "math"), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.logical_or, dtypes=BOOLS))(
    _logical("logical_or", np.logical_or))
logical_or.__doc__ = """Elementwise OR of bool tensors (``tf.logical_or``, operator ``|``).

>>> d2l.logical_or([True, False], [False, False]).numpy()
array([ True, False])
"""
logical_xor = op("LogicalXor", exports=("math",), kind=BINARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.logical_xor, dtypes=BOOLS))(
    _logical("logical_xor", np.logical_xor))
logical_xor.__doc__ = """Elementwise XOR of bool tensors (``tf.math.logical_xor``).

>>> d2l.math.logical_xor([True, True], [True, False]).numpy()
array([False,  True])
"""


@op("LogicalNot", exports=("", "math"), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.logical_not, dtypes=BOOLS))
def logical_not(x, name=None):
    """Elementwise NOT of a bool tensor (``tf.logical_not``, operator ``~``).

    >>> d2l.logical_not([True, False]).numpy()
    array([False,  True])
    """
    x = as_tensor(x)
    check_dtype("logical_not", x, lambda d: d.is_bool, "a bool", TO_BOOL)
    return _unary("logical_not", x, np.logical_not)


def _float_test(tf_type, name, kernel, what):
    """``tf.math.is_nan`` and friends: which elements of a float tensor are ``what``."""
    def test_values(x, name=None):
        x = as_tensor(x)
        check_dtype(name_, x, lambda d: d.is_floating, "a floating-point",
                    "d2l.cast(x, d2l.float32) (only floats can be nan or inf)")
        return _unary(name_, x, kernel)
    name_ = name
    test_values.__name__ = name
    test_values.__doc__ = (f"True where ``x`` is {what} (``tf.math.{name}``); ``x`` must be "
                           "floating-point.\n\n"
                           f"    >>> d2l.math.{name}([1.0, float('nan'), float('inf')]).numpy()\n"
                           f"    {kernel(np.array([1.0, np.nan, np.inf]))!r}\n")
    return op(tf_type, exports=("math",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
              test=Test(kernel))(test_values)


is_nan = _float_test("IsNan", "is_nan", np.isnan, "nan (not a number)")
is_inf = _float_test("IsInf", "is_inf", np.isinf, "+inf or -inf")
is_finite = _float_test("IsFinite", "is_finite", np.isfinite, "finite (neither nan nor inf)")


def _bitwise(op_name, kernel, tf_type):
    def bitwise(x, y, name=None):
        x, y = pair(x, y, op_name)
        check_dtype(op_name, x, lambda d: d.is_integer, "an integer", "d2l.cast(x, d2l.int32)")
        return _binary(op_name, x, y, kernel)
    bitwise.__name__ = op_name
    return op(tf_type, exports=("bitwise",), kind=BINARY, grad=NOT_DIFFERENTIABLE,
              test=Test(kernel, domain=(-9, 9), dtypes=INTS))(bitwise)


bitwise_and = _bitwise("bitwise_and", np.bitwise_and, "BitwiseAnd")
bitwise_and.__doc__ = """Elementwise AND of the bits of integers (``tf.bitwise.bitwise_and``, ``&``).

>>> d2l.bitwise.bitwise_and([12, 10], 6).numpy()
array([4, 2], dtype=int32)
"""
bitwise_or = _bitwise("bitwise_or", np.bitwise_or, "BitwiseOr")
bitwise_or.__doc__ = """Elementwise OR of the bits of integers (``tf.bitwise.bitwise_or``, ``|``).

>>> d2l.bitwise.bitwise_or([12, 10], 6).numpy()
array([14, 14], dtype=int32)
"""
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor, "BitwiseXor")
bitwise_xor.__doc__ = """Elementwise XOR of the bits of integers (``tf.bitwise.bitwise_xor``, ``^``).

>>> d2l.bitwise.bitwise_xor([12, 10], 6).numpy()
array([10, 12], dtype=int32)
"""


@op("Invert", exports=("bitwise",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(np.invert, domain=(-9, 9), dtypes=INTS))
def invert(x, name=None):
    """Flip every bit of an integer, ``~x`` (``tf.bitwise.invert``); ``~`` on bools is logical_not.

    >>> d2l.bitwise.invert([0, 5]).numpy()
    array([-1, -6], dtype=int32)
    """
    x = as_tensor(x)
    check_dtype("invert", x, lambda d: d.is_integer, "an integer",
                "d2l.cast(x, d2l.int32), or d2l.logical_not for bools")
    return _unary("invert", x, np.invert)


# ================================================================ selection and casting

@op("SelectV2", exports=("",), kind=OTHER,
    test=Test(samples=_where_samples))
def where(condition, x=None, y=None, name=None):
    """Pick from ``x`` where ``condition`` holds, else from ``y`` (``tf.where``).

    All three broadcast together. With only ``condition``, returns the
    coordinates of its True elements as an int64 tensor of shape (n, rank).

    >>> d2l.where([True, False], [1, 2], [10, 20]).numpy()
    array([ 1, 20], dtype=int32)
    >>> d2l.where([[True, False], [False, True]]).numpy()
    array([[0, 0],
           [1, 1]])
    """
    c = as_tensor(condition)
    check_dtype("where", c, lambda d: d.is_bool, "a bool condition",
                "a comparison: d2l.where(x > 0, x, 0)")
    if x is None and y is None:
        (a,) = arrays("where", c)
        return wrap(np.argwhere(a).astype(np.int64))
    if x is None or y is None:
        raise InvalidArgumentError("where: give both x and y, or neither", op="where")
    x, y = pair(x, y, "where")
    a, b, cond = arrays("where", x, y, c)
    try:
        z = wrap(np.where(cond, a, b))
    except ValueError:
        broadcast_shape("where", cond.shape, broadcast_shape("where", a.shape, b.shape))
        raise
    if tapes:
        record("where", (x, y), z, {"condition": c})
    return z


@gradient("where")
def _where_grad(dz, inputs, z, attrs):
    x, y = inputs
    c, zero = attrs["condition"], zeros_like(dz)
    return (where(c, dz, zero) if needs(x) else None,
            where(c, zero, dz) if needs(y) else None)


# The gradient sample is a float32 round trip: float32 rounding (about 1e-7 relative) in
# every evaluation limits finite differences to about 1e-4, whatever the step.
@op("Cast", exports=("", "math"), kind=OTHER,
    test=Test(samples=_cast_samples, grad_eps=1e-2, grad_rtol=1e-3))
def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (``tf.cast``). Floats to ints truncate toward zero.

    The gradient flows through float-to-float casts only.

    >>> d2l.cast([1.7, -1.7], d2l.int32).numpy()
    array([ 1, -1], dtype=int32)
    """
    x = as_tensor(x)
    dtype = dtypes.as_dtype(dtype)
    if x._dtype is dtype:
        return x
    if dtype is dtypes.string or x._dtype is dtypes.string:
        fix = (f"parse it with d2l.strings.to_number(x, out_type=d2l.{dtype.name})"
               if x._dtype is dtypes.string else "format it with d2l.strings.as_string(x)")
        raise UnimplementedError(f"cast: Cast {x._dtype.name} to {dtype.name} is not supported; "
                                 f"{fix}", op="cast")
    (a,) = arrays("cast", x)
    if x._dtype.is_complex and not dtype.is_complex:
        a = a.real
    with np.errstate(invalid="ignore", over="ignore"):
        y = wrap(a.astype(dtype.np))
    if tapes and x._dtype.is_differentiable:
        record("cast", (x,), y)
    return y


@gradient("cast")
def _cast_grad(dy, inputs, y, attrs):
    return (cast(dy, inputs[0]._dtype),)     # float to float: back in the source's dtype


@op("ClipByValue", exports=("",), kind=OTHER,
    test=Test(samples=_clip_samples))
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clamp every element into [min, max] (``tf.clip_by_value``).

    The gradient passes where ``min <= t <= max`` and is zero outside. As in
    TensorFlow, it is max(min(t, max), min): bounds the wrong way round give
    ``min`` everywhere, not an error (checking would stop a GPU to read the answer).

    >>> d2l.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy()
    array([0. , 0.5, 1. ], dtype=float32)
    """
    t = _numeric("clip_by_value", t)
    lo, _ = pair(clip_value_min, t, "clip_by_value")
    hi, _ = pair(clip_value_max, t, "clip_by_value")
    a, l, h = arrays("clip_by_value", t, lo, hi)
    try:
        z = wrap(np.maximum(np.minimum(a, h), l))
    except ValueError:
        broadcast_shape("clip_by_value", a.shape, l.shape)
        broadcast_shape("clip_by_value", a.shape, h.shape)
        raise
    if z._value.shape != a.shape:
        raise InvalidArgumentError(
            f"clip_by_value: the bounds (shapes {l.shape} and {h.shape}) must broadcast to the "
            f"input's shape {a.shape}, not enlarge it", op="clip_by_value")
    if tapes:
        record("clip_by_value", (t, lo, hi), z)
    return z


@gradient("clip_by_value")
def _clip_grad(dz, inputs, z, attrs):
    t, lo, hi = inputs
    zero = zeros_like(dz)
    below, above = less(t, lo), greater(t, hi)
    return (where(logical_or(below, above), zero, dz),
            where(below, dz, zero) if needs(lo) else None,
            where(above, dz, zero) if needs(hi) else None)


@op("AddN", exports=("", "math"), kind=OTHER, grad=COMPOSITE,
    test=Test(samples=_add_n_samples))
def add_n(inputs, name=None):
    """Sum of a list of same-shaped tensors (``tf.add_n``).

    >>> d2l.add_n([[1, 2], [3, 4], [5, 6]]).numpy()
    array([ 9, 12], dtype=int32)
    """
    if not inputs:
        raise ValueError("add_n: needs at least one tensor")
    total = as_tensor(inputs[0])
    if len(inputs) > 1 and total._dtype is dtypes.string:   # + joins strings, AddN does not
        numbers_only("add_n", total)
    for t in inputs[1:]:
        t = as_tensor(t)
        if t.shape != total.shape:
            raise InvalidArgumentError(f"add_n: all inputs must have one shape, got "
                                       f"{total.shape} and {t.shape}", op="add_n")
        total = add(total, t)
    return total
