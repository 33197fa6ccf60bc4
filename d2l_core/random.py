"""``d2l.random``: TensorFlow's ``tf.random`` namespace (seeded random tensors).

The ops come from the op registry (entries that export "random"); the seed
functions and ``Generator`` are not ops.

>>> import d2l_core as d2l
>>> d2l.random.set_seed(0)
>>> d2l.random.normal([2, 3]).shape
TensorShape([2, 3])
>>> d2l.random.experimental.stateless_split([1, 2]).shape
TensorShape([2, 2])
"""
import types as _types

from .ops.registry import exported as _exported

globals().update(_exported("random"))     # every op whose registry entry exports it here

from .ops.random import get_global_seed, set_seed  # noqa: E402,F401  (not ops)
from .ops.generators import (Algorithm, Generator, create_rng_state,  # noqa: E402,F401
                             get_global_generator, set_global_generator)

experimental = _types.ModuleType("d2l_core.random.experimental",
                                 "``tf.random.experimental``: Generator and stateless helpers.")
experimental.__dict__.update(
    Algorithm=Algorithm, Generator=Generator, create_rng_state=create_rng_state,
    get_global_generator=get_global_generator, set_global_generator=set_global_generator,
    stateless_split=split, stateless_fold_in=fold_in)  # noqa: F821  (registry exports)

from .unsupported import namespace_getattr as _namespace_getattr  # noqa: E402

__getattr__ = _namespace_getattr("random", globals())     # a missing name: a clear error
