"""``d2l.math``: TensorFlow's ``tf.math`` namespace (elementwise math and reductions).

Its contents come from the op registry (``d2l_core/ops/registry.py``): every
op whose entry lists "math" in its exports.

>>> import d2l_core as d2l
>>> d2l.math.exp(0.0).numpy()
np.float32(1.0)
"""
from .ops.registry import exported as _exported

globals().update(_exported("math"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("math", globals())     # a missing name: a clear error
