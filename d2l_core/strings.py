"""``d2l.strings``: TensorFlow's ``tf.strings`` namespace (ops on ``string`` tensors).

Its contents come from the op registry: every op whose entry exports "strings".

>>> import d2l_core as d2l
>>> d2l.strings.length(["Gray wolf", "dog"]).numpy()
array([9, 3], dtype=int32)
"""
from .ops.registry import exported as _exported

globals().update(_exported("strings"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("strings", globals())     # a missing name: a clear error
