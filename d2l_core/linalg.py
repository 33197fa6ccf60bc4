"""``d2l.linalg``: TensorFlow's ``tf.linalg`` namespace.

>>> import d2l_core as d2l
>>> d2l.linalg.norm([3.0, 4.0]).numpy()
np.float32(5.0)
"""
from .ops.array import eye  # noqa: F401
from .ops.linalg import matmul, tensordot  # noqa: F401
from .ops.reduce import norm  # noqa: F401
