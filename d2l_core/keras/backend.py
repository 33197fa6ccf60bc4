"""``keras.backend``: a few global settings (``clear_session``, ``epsilon``, ``floatx``).

>>> import d2l_core as d2l
>>> d2l.keras.backend.epsilon()
1e-07
"""
from ..tensor import Tensor, array_of
from . import _naming

__all__ = ["clear_session", "epsilon", "floatx", "int_shape"]


def int_shape(x):
    """``x``'s shape as a tuple of ints, None where only a run can tell (``keras.backend.int_shape``).

    Layers use it instead of the array's shape, so they also work on the
    symbolic tensors of a traced ``fit`` step (a batch dimension may be None).

    >>> d2l.keras.backend.int_shape(d2l.zeros((2, 3)))
    (2, 3)
    """
    if type(x) is Tensor:           # eager: the array's own shape, the fast path
        return array_of(x).shape
    return tuple(x.shape.as_list())


def clear_session():
    """Forget automatic layer names, so the next Dense is 'dense' again.

    >>> d2l.keras.backend.clear_session()
    >>> d2l.keras.layers.Dense(1).name
    'dense'
    """
    _naming.reset()


def epsilon():
    """The small constant losses use to keep ``log`` away from 0 (1e-7)."""
    return 1e-7


def floatx():
    """The default float type of layers: 'float32'."""
    return "float32"
