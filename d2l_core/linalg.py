"""``d2l.linalg``: TensorFlow's ``tf.linalg`` namespace.

Its contents come from the op registry: every op whose entry exports "linalg".

>>> import d2l_core as d2l
>>> d2l.linalg.norm([3.0, 4.0]).numpy()
np.float32(5.0)
"""
from .ops.registry import exported as _exported

globals().update(_exported("linalg"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("linalg", globals())     # a missing name: a clear error
