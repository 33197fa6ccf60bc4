"""``d2l.sparse``: TensorFlow's ``tf.sparse`` namespace (``SparseTensor``, ``to_dense``).

Its ops come from the op registry: every op whose entry exports "sparse".

>>> import d2l_core as d2l
>>> d2l.sparse.to_dense(d2l.sparse.SparseTensor([[1]], [3], [2])).numpy()
array([0, 3], dtype=int32)
"""
from .ops.registry import exported as _exported
from .ops.sparse import SparseTensor  # noqa: F401  (tf.sparse.SparseTensor, also tf.SparseTensor)

globals().update(_exported("sparse"))     # every op whose registry entry exports it here
