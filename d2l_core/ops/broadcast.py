"""Broadcasting and its adjoint: ``broadcast_to``, ``reshape``, ``reduce_sum``, ``sum_to``.

These four are each other's gradients: the gradient of ``broadcast_to`` sums
the stretched axes back (``sum_to``, made of ``reduce_sum`` and ``reshape``),
and the gradient of ``reduce_sum`` broadcasts dy back over the summed axes.
Every op that broadcasts returns its gradients to its inputs' shapes through
``sum_to``. Keeping them in one module lets every other op module import
them without a cycle.

>>> import d2l_core as d2l
>>> x = d2l.constant([1.0, 2.0])
>>> with d2l.GradientTape() as tape:
...     tape.watch(x)
...     y = d2l.reduce_sum(d2l.broadcast_to(x, (3, 2)))
>>> tape.gradient(y, x).numpy()
array([3., 3.], dtype=float32)
"""
import math
import numbers

import numpy as np

from ..errors import InvalidArgumentError
from ..tensor import Tensor
from ._op import (NDARRAY, device_stack, placement, arrays, as_tensor, numbers_only,
                  normalize_axis, record, shape_tuple, tapes, wrap, xp_of)
from .registry import NUMBERS, REDUCE, VALUE, Sample, Test, gradient, op, random_shape, uniform


# ================================================================ test data (see ops/registry.py)

def _reshape_samples(rng):
    """The same sizes in another order, maybe a 1 more, maybe one of them -1 (inferred)."""
    x = uniform()(rng, random_shape(rng))
    target = [x.shape[i] for i in rng.permutation(x.ndim)]
    if rng.random() < 0.5:
        target.insert(int(rng.integers(len(target) + 1)), 1)
    if target and rng.random() < 0.5:
        target[int(rng.integers(len(target)))] = -1
    return [Sample(lambda x: reshape(x, target), (x,), lambda x: x.reshape(target)),
            Sample(lambda x: reshape(x, [-1]), (x,), lambda x: x.reshape(-1))]


def _broadcast_to_samples(rng):
    """Axes of length 1 stretched, maybe a new leading axis."""
    x = uniform()(rng, random_shape(rng, max_side=3))
    target = [int(rng.integers(1, 4)) if n == 1 else n for n in x.shape]
    target = [int(n) for n in rng.integers(1, 4, size=rng.integers(2))] + target
    return [Sample(lambda x: broadcast_to(x, target), (x,), lambda x: np.broadcast_to(x, target))]


@op("Reshape", kind=VALUE, test=Test(samples=_reshape_samples),
    kernel=lambda a, shape: a.reshape(tuple(map(int, shape))))
def reshape(tensor, shape, name=None):
    """The same elements in a new shape; one dimension may be -1 (inferred) (``tf.reshape``).

    >>> d2l.reshape(d2l.range(12), (3, -1)).shape
    TensorShape([3, 4])
    """
    x = as_tensor(tensor)
    if type(shape) is not tuple and type(shape) is not list:    # tuples and lists: the hot path
        if isinstance(shape, Tensor):
            shape = shape.numpy().tolist()
        if isinstance(shape, numbers.Integral):
            shape = (shape,)
    shape = tuple(map(int, shape))
    (a,) = arrays("reshape", x)
    if shape != a.shape:
        _check_reshape(a.shape, shape)
    y = wrap(a.reshape(shape))
    if tapes:
        record("reshape", (x,), y)
    return y


@gradient("reshape")
def _reshape_grad(dy, inputs, y, attrs):
    return (reshape(dy, inputs[0]._value.shape),)


def _check_reshape(old, new):
    n = math.prod(old)
    if (not new or min(new) >= 0) and math.prod(new) == n:
        return                      # fully given and holds every element: the usual case
    unknown = [i for i, d in enumerate(new) if d == -1]
    known = math.prod([d for d in new if d != -1])
    bad = len(unknown) > 1 or any(d < -1 for d in new) or (
        n != known if not unknown else (known == 0 or n % known))
    if bad:
        hint = ("only one dimension may be -1" if len(unknown) > 1 else
                f"the new shape must hold exactly {n} elements" + (
                    f"; with -1 the other dimensions ({known}) must divide {n}" if unknown else ""))
        raise InvalidArgumentError(
            f"reshape: cannot reshape a tensor with {n} elements (shape {tuple(old)}) "
            f"into shape {tuple(new)}: {hint}", op="reshape")


@op("BroadcastTo", test=Test(samples=_broadcast_to_samples),
    kernel=lambda a, shape: a if a.shape == tuple(shape) else xp_of(a).broadcast_to(a, tuple(shape)))
def broadcast_to(input, shape, name=None):  # noqa: A002
    """``input`` stretched to ``shape`` by broadcasting (``tf.broadcast_to``).

    >>> d2l.broadcast_to([1, 2], (2, 2)).numpy()
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    x = as_tensor(input)
    shape = shape_tuple("broadcast_to", shape)
    (a,) = arrays("broadcast_to", x)
    if a.shape == shape:
        return x
    try:
        out = xp_of(a).broadcast_to(a, shape)
    except ValueError:
        raise InvalidArgumentError(
            f"broadcast_to: cannot broadcast shape {a.shape} to {shape}; aligned from the right, "
            "each input dimension must equal the target's or be 1", op="broadcast_to") from None
    y = wrap(out)
    if tapes:
        record("broadcast_to", (x,), y)
    return y


@gradient("broadcast_to")
def _broadcast_to_grad(dy, inputs, y, attrs):
    return (sum_to(dy, inputs[0]._value.shape),)


def sum_to(g, shape):
    """Sum ``g`` over the axes that broadcasting stretched, giving ``shape``.

    This is how every broadcasting op's gradient returns to its input's shape.
    """
    gshape = g._value.shape
    shape = tuple(shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    stretched = tuple(i + lead for i, d in enumerate(shape) if d == 1 and gshape[i + lead] != 1)
    if lead and not stretched:      # e.g. a bias (n,) added to a batch (b, n): one op
        return reduce_sum(g, axis=tuple(range(lead)))
    axes = tuple(range(lead)) + stretched
    if axes:
        g = reduce_sum(g, axis=axes, keepdims=True)
    return reshape(g, shape)




# ================================================================ reductions

def _kept_shape(shape, axes):
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def reduction(op, x, axis, keepdims, kernel, arithmetic=True):
    """Run reduction ``op``: ``kernel(array, axis=axes, keepdims=keepdims)``, checked and recorded.

    Its record's attrs are the normalised ``axes`` and ``keepdims``, which
    every reduction's gradient needs to expand dy back to the input's shape.
    """
    if type(x) is not Tensor:
        x = as_tensor(x)
    if arithmetic and not x._dtype.is_numeric:   # reduce_all/any are the ones made for bools
        numbers_only(op, x)
    a = x._value
    if type(a) is not NDARRAY or device_stack or placement.log_device_placement:
        (a,) = arrays(op, x)                    # the general route (see ops/_op.py)
    axes = normalize_axis(op, axis, a.ndim)
    # NumPy returns a scalar for a full reduction, CuPy a 0-d array: wrap takes either.
    y = wrap(kernel(a, axis=axes, keepdims=keepdims))
    if tapes:
        record(op, (x,), y, {"axes": axes, "keepdims": keepdims})
    return y


def expand_back(dy, x, attrs):
    """A reduction's ``dy`` reshaped to broadcast against its input ``x`` (reduced axes as 1s)."""
    axes, keepdims = attrs["axes"], attrs["keepdims"]
    if keepdims or not axes or dy._value.ndim == 0:     # a scalar broadcasts as it is
        return dy
    return reshape(dy, _kept_shape(x._value.shape, axes))


@op("Sum", exports=("", "math"), kind=REDUCE, test=Test(np.sum, dtypes=NUMBERS),
    kernel=lambda a, axis=None, keepdims=False: a.sum(
        axis=tuple(axis) if type(axis) is list else axis, keepdims=keepdims, dtype=a.dtype))
def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements over ``axis`` (``tf.reduce_sum``). Its gradient copies dy to every input.

    >>> d2l.reduce_sum([[1.0, 2.0], [3.0, 4.0]], axis=1, keepdims=True).numpy()
    array([[3.],
           [7.]], dtype=float32)
    """
    return reduction("reduce_sum", input_tensor, axis, keepdims, _sum_kernel)


def _sum_kernel(a, axis, keepdims):
    return a.sum(axis=axis, keepdims=keepdims, dtype=a.dtype)


@gradient("reduce_sum")
def _sum_grad(dy, inputs, y, attrs):
    (x,) = inputs
    return (broadcast_to(expand_back(dy, x, attrs), x._value.shape),)
