"""``d2l.bitwise``: TensorFlow's ``tf.bitwise`` namespace (the bits of integers).

Its contents come from the op registry: every op whose entry exports "bitwise".

>>> import d2l_core as d2l
>>> d2l.bitwise.bitwise_and([12, 10], 6).numpy()
array([4, 2], dtype=int32)
"""
from .ops.registry import exported as _exported

globals().update(_exported("bitwise"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("bitwise", globals())     # a missing name: a clear error
