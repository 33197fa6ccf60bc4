"""``d2l.math``: TensorFlow's ``tf.math`` namespace (elementwise math and reductions).

>>> import d2l_core as d2l
>>> d2l.math.exp(0.0).numpy()
np.float32(1.0)
"""
from .ops.math import (abs, add, add_n, cast, ceil, cos, divide, equal, exp, expm1,  # noqa: F401,A004
                       floor, floordiv, floormod, greater, greater_equal, less, less_equal, log,
                       log1p, logical_and, logical_not, logical_or, logical_xor, maximum, minimum,
                       mod, multiply, negative, not_equal, pow, reciprocal, round, rsqrt, sigmoid,
                       sign, sin, softplus, sqrt, square, squared_difference, subtract, tan, tanh,
                       truediv)
from .ops.reduce import (argmax, argmin, cumprod, cumsum, reduce_all, reduce_any,  # noqa: F401
                         reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                         reduce_sum)
from .ops.nn import log_softmax, softmax  # noqa: F401

