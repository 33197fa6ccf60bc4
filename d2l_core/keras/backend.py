"""``keras.backend``: a few global settings (``clear_session``, ``epsilon``, ``floatx``).

>>> import d2l_core as d2l
>>> d2l.keras.backend.epsilon()
1e-07
"""
from . import _naming

__all__ = ["clear_session", "epsilon", "floatx"]


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
