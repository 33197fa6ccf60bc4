"""``d2l.random``: TensorFlow's ``tf.random`` namespace (seeded random tensors).

>>> import d2l_core as d2l
>>> d2l.random.set_seed(0)
>>> d2l.random.normal([2, 3]).shape
TensorShape([2, 3])
"""
from .ops.random import (categorical, gamma, get_global_seed, normal, poisson,  # noqa: F401
                         set_seed, shuffle, truncated_normal, uniform)
