"""d2l_core: the engine under d2l-course, speaking TensorFlow 2's dialect.

Tensors on NumPy (CPU) and CuPy (GPU), tape autodiff with higher-order
derivatives, layers, optimizers, datasets, and a TF1-style graph mode in
``d2l_core.compat.v1``. Every public name is TensorFlow's, so

    import d2l_core as tf

runs TensorFlow 2 code from the course's sources unchanged.

>>> import d2l_core as d2l
>>> x = d2l.constant(range(12))
>>> d2l.reshape(x, (3, 4)).shape
TensorShape([3, 4])
"""
from ._version import __version__
from . import dtypes, errors
from .backend import Device, device
from .dtypes import (DType, as_dtype, bool, complex64,  # noqa: A004
                     complex128, double, float16, float32, float64, half, int8, int16, int32,
                     int64, uint8, uint16, uint32, uint64)
from .tensor import Tensor, Variable, constant, convert_to_tensor, is_tensor
from .tensor_shape import TensorShape
from . import ops
from .ops.array import (boolean_mask, broadcast_to, concat, expand_dims, eye, fill, gather,
                        identity, linspace, one_hot, ones, ones_like, range, rank, reshape, shape,
                        size, split, squeeze, stack, stop_gradient, tile, transpose, unstack, zeros,
                        zeros_like)
from .ops.linalg import matmul, tensordot
from .ops.math import (abs, add, add_n, cast, clip_by_value, cos, divide, equal, exp, floor,
                       floordiv, greater, greater_equal, less, less_equal, log, logical_and,
                       logical_not, logical_or, maximum, minimum, mod, multiply, negative,
                       not_equal, pow, round, sigmoid, sign, sin, sqrt, square, subtract, tanh,
                       truediv, where)
from .ops.reduce import (argmax, argmin, norm, reduce_all, reduce_any, reduce_logsumexp,
                         reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from . import config, linalg, math, nest, nn, random, test
from .autodiff import GradientTape, UnconnectedGradients
from .eager import executing_eagerly, function
from . import optimizers, keras, data
from .data import TensorSpec
from .keras import losses, metrics          # tf.losses and tf.metrics are Keras's
from . import test_util                     # check_gradients: tape vs finite differences
from . import plot                          # imports matplotlib only when a figure is drawn
from .selfcheck import check                # exercise self-checks
from . import compat                        # TensorFlow 1 graph mode: d2l_core.compat.v1

newaxis = None
