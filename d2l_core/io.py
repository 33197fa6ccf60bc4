"""``d2l.io``: TensorFlow's ``tf.io`` namespace (so far ``decode_raw``: bytes as numbers).

Its contents come from the op registry: every op whose entry exports "io".

>>> import d2l_core as d2l
>>> d2l.io.decode_raw(d2l.constant("Duck"), d2l.uint8).numpy()
array([ 68, 117,  99, 107], dtype=uint8)
"""
from .ops.registry import exported as _exported

globals().update(_exported("io"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("io", globals())     # a missing name: a clear error
