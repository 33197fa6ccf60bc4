"""Python operators on graph tensors (``+ - * / @ ** < [] ...``): each adds a graph node.

Installed on ``graph.Tensor`` when compat.v1 is imported; each operator is
the graph twin of the eager op the same operator calls on eager tensors.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.constant([[1.0, 2.0]])
...     y = (x * 2.0 + 1.0)[:, 1:]
...     print(y.op.type, y.shape, tf.Session().run(y))
StridedSlice (1, 1) [[5.]]
"""
import operator

from ...ops import linalg as _linalg
from ...ops import math as _math
from .graph import Tensor
from .graph_ops import graph_op


def _wrap_named(fn, public, default_name):
    op = graph_op(fn, public)

    def method(*args, **kwargs):
        return op(*args, name=default_name, **kwargs)
    return method


def _swap(method):
    def reflected(self, other):
        return method(other, self)
    return reflected


# Indexing: eager tensors' own ``[]`` on the input values (strided_slice in TensorFlow).
getitem = graph_op(operator.getitem, "strided_slice")


def _install_operators():
    """Set the operator methods of graph ``Tensor``."""
    binary = {
        "add": (_math.add, "add"), "sub": (_math.subtract, "sub"), "mul": (_math.multiply, "mul"),
        "truediv": (_math.divide, "truediv"), "floordiv": (_math.floordiv, "floordiv"),
        "mod": (_math.mod, "mod"), "pow": (_math.pow, "pow"), "matmul": (_linalg.matmul, "MatMul"),
        "and": (_math.logical_and, "and"), "or": (_math.logical_or, "or"),
        "xor": (_math.logical_xor, "xor"),
    }
    for dunder, (fn, nm) in binary.items():
        method = _wrap_named(fn, fn.__name__, nm)
        setattr(Tensor, f"__{dunder}__", method)
        setattr(Tensor, f"__r{dunder}__", _swap(method))
    for dunder, (fn, nm) in {"lt": (_math.less, "Less"), "le": (_math.less_equal, "LessEqual"),
                             "gt": (_math.greater, "Greater"),
                             "ge": (_math.greater_equal, "GreaterEqual"),
                             "neg": (_math.negative, "Neg"), "abs": (_math.abs, "Abs"),
                             "invert": (_math.logical_not, "LogicalNot")}.items():
        setattr(Tensor, f"__{dunder}__", _wrap_named(fn, fn.__name__, nm))
    Tensor.__pos__ = lambda self: self
    Tensor.__getitem__ = lambda self, key: getitem(self, key)


_install_operators()
