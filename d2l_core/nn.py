"""``d2l.nn``: TensorFlow's ``tf.nn`` namespace (activations, softmax, losses on logits).

Its contents come from the op registry: every op whose entry exports "nn".

>>> import d2l_core as d2l
>>> d2l.nn.softmax([0.0, 0.0]).numpy()
array([0.5, 0.5], dtype=float32)
"""
from .ops.registry import exported as _exported

globals().update(_exported("nn"))     # every op whose registry entry exports it here

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("nn", globals())     # a missing name: a clear error
