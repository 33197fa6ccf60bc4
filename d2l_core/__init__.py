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
                     int64, string, uint8, uint16, uint32, uint64)
from .tensor import Tensor, Variable, constant, convert_to_tensor, is_tensor
from .tensor_shape import TensorShape
from . import ops
from .ops.registry import exported as _exported
globals().update(_exported(""))     # d2l.add, d2l.matmul, ...: every op the registry exports here
from . import bitwise, config, debugging, io, linalg, math, nest, nn, random, sparse, strings, test
from .sparse import SparseTensor
from .autodiff import GradientTape, UnconnectedGradients, custom_gradient
from .function import cond, executing_eagerly, function, while_loop
from .function import print_ as print  # noqa: A004  (tf.print)
from . import autograph                     # tf.autograph.to_code, experimental.do_not_convert
from .function import functions_run_eagerly as _functions_run_eagerly
from .function import run_functions_eagerly as _run_functions_eagerly
config.run_functions_eagerly = _run_functions_eagerly      # tf.config's switches; config sits
config.functions_run_eagerly = _functions_run_eagerly      # below function, so attached here
from .module import Module, get_current_name_scope, name_scope
from . import optimizers, keras, data
from .data import TensorSpec
from .keras import losses, metrics          # tf.losses and tf.metrics are Keras's
from . import test_util                     # check_gradients: tape vs finite differences
from . import plot                          # imports matplotlib only when a figure is drawn
from .selfcheck import check                # exercise self-checks
from . import compat                        # TensorFlow 1 graph mode: d2l_core.compat.v1

newaxis = None

# Out of scope: namespaces that explain themselves (d2l_core/unsupported.py), and a clear
# error for every other TensorFlow name d2l_core does not have.
from . import unsupported as _unsupported
globals().update({_ns: _unsupported.Unsupported(_ns) for _ns in _unsupported.FEATURES
                  if _ns not in globals()})     # d2l.sparse has a few ops: it is a module


def __getattr__(name):
    if name in _unsupported.CLASSES:
        raise _unsupported.not_supported(name, _unsupported.CLASSES[name])
    if name.startswith("_"):            # __path__, __wrapped__, _repr_html_: tools ask these
        raise AttributeError(f"module 'd2l_core' has no attribute '{name}'")
    raise _unsupported.unknown_name("", name, globals())
