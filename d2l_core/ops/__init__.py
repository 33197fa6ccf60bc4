"""Every op lives here, grouped by kind; this module also gives Tensor its operators.

Operators, indexing (``t[1:, 0]``, ``v[0].assign(...)``) and iteration are
installed here rather than written in ``tensor.py`` so that the tensor layer
does not import the op layer (arrows only point down).
"""

from ..errors import DTypeMismatchError, InvalidArgumentError
from ..tensor import Tensor, Variable
from ._op import check_dtype, pair
from . import (array, broadcast, conv, debugging, decompositions, einsum,  # noqa: F401
               generators, indexing, linalg, math, nn, random, reduce, registry, sparse, strings)
from .array import getitem, getitem_variable, iterate, reshape
from .linalg import matmul
from .math import (TO_BOOL, abs, add, bitwise_and, bitwise_or, bitwise_xor, divide,  # noqa: A004
                   equal, floordiv, greater, greater_equal, invert, less, less_equal, logical_and,
                   logical_not, logical_or, logical_xor, mod, multiply, negative, not_equal, pow,
                   subtract)


def _swap(op):
    def reflected(self, other):
        return op(other, self)
    reflected.__name__ = f"r{op.__name__}"
    return reflected


def _eq(self, other):
    """Elementwise ``==`` (TensorFlow 2); False for None or shapes that cannot broadcast.

    Values that cannot meet the tensor's dtype raise, as in TensorFlow.
    """
    if other is None:
        return False
    try:
        return equal(self, other)
    except DTypeMismatchError:
        raise
    except InvalidArgumentError:
        return False


def _ne(self, other):
    if other is None:
        return True
    try:
        return not_equal(self, other)
    except DTypeMismatchError:
        raise
    except InvalidArgumentError:
        return True


def _bitwise_or_logical(op, logical, bitwise):
    """``&``, ``|``, ``^``: logical on bool tensors, bitwise on integers (as in TensorFlow 2)."""
    def operator(x, y):
        x, y = pair(x, y, op)
        return bitwise(x, y) if x.dtype.is_integer else logical(x, y)
    return operator


def _invert(x):
    """``~x``: logical NOT for bool tensors, bitwise NOT for integers."""
    if x.dtype.is_integer:
        return invert(x)
    check_dtype("logical_not", x, lambda d: d.is_bool, "a bool or integer", TO_BOOL)
    return logical_not(x)


_and = _bitwise_or_logical("and", logical_and, bitwise_and)
_or = _bitwise_or_logical("or", logical_or, bitwise_or)
_xor = _bitwise_or_logical("xor", logical_xor, bitwise_xor)


def _tensor_reshape(self, *shape):
    """``t.reshape(3, 4)`` or ``t.reshape((3, 4))``, as with TensorFlow's NumPy behaviour."""
    if len(shape) == 1 and not isinstance(shape[0], int):
        shape = shape[0]
    return reshape(self, shape)


_OPERATORS = {
    "__add__": add, "__radd__": _swap(add),
    "__sub__": subtract, "__rsub__": _swap(subtract),
    "__mul__": multiply, "__rmul__": _swap(multiply),
    "__truediv__": divide, "__rtruediv__": _swap(divide),
    "__floordiv__": floordiv, "__rfloordiv__": _swap(floordiv),
    "__mod__": mod, "__rmod__": _swap(mod),
    "__pow__": pow, "__rpow__": _swap(pow),
    "__matmul__": matmul, "__rmatmul__": _swap(matmul),
    "__neg__": negative, "__abs__": abs, "__pos__": lambda self: self,
    "__lt__": less, "__le__": less_equal, "__gt__": greater, "__ge__": greater_equal,
    "__eq__": _eq, "__ne__": _ne,
    "__and__": _and, "__rand__": _swap(_and),
    "__or__": _or, "__ror__": _swap(_or),
    "__xor__": _xor, "__rxor__": _swap(_xor),
    "__invert__": _invert,
    "reshape": _tensor_reshape,
    "__getitem__": getitem, "__iter__": iterate,
}
for _name, _fn in _OPERATORS.items():
    setattr(Tensor, _name, _fn)
Variable.__getitem__ = getitem_variable    # a Variable's slice can be assigned into
registry.check_complete()      # every differentiable op has its gradient
