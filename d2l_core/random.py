"""``d2l.random``: TensorFlow's ``tf.random`` namespace (seeded random tensors).

The ops come from the op registry (entries that export "random"); the seed
functions are not ops.

>>> import d2l_core as d2l
>>> d2l.random.set_seed(0)
>>> d2l.random.normal([2, 3]).shape
TensorShape([2, 3])
"""
from .ops.registry import exported as _exported

globals().update(_exported("random"))     # every op whose registry entry exports it here

from .ops.random import get_global_seed, set_seed  # noqa: E402,F401  (not ops)
