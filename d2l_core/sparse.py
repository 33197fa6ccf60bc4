"""``d2l.sparse``: the part of TensorFlow's ``tf.sparse`` the guides need (``SparseTensor``, ``to_dense``).

Its ops come from the op registry: every op whose entry exports "sparse".

>>> import d2l_core as d2l
>>> d2l.sparse.to_dense(d2l.sparse.SparseTensor([[1]], [3], [2])).numpy()
array([0, 3], dtype=int32)
"""
from .ops.registry import exported as _exported
from .ops.sparse import SparseTensor  # noqa: F401  (tf.sparse.SparseTensor, also tf.SparseTensor)
from .unsupported import not_supported as _not_supported

globals().update(_exported("sparse"))     # every op whose registry entry exports it here


# The rest of TensorFlow's tf.sparse: out of scope, so each says so (other names do not exist).
_OUT_OF_SCOPE = {"add", "bincount", "concat", "cross", "expand_dims", "eye", "fill_empty_rows",
                 "from_dense", "mask", "map_values", "maximum", "minimum", "reduce_max",
                 "reduce_sum", "reorder", "reset_shape", "reshape", "retain", "segment_mean",
                 "segment_sum", "slice", "softmax", "sparse_dense_matmul", "split", "to_indicator",
                 "transpose"}


def __getattr__(name):
    if name in _OUT_OF_SCOPE:
        raise _not_supported(f"sparse.{name}", "sparse")
    raise AttributeError(f"module 'd2l_core.sparse' has no attribute '{name}'")
