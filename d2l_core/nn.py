"""``d2l.nn``: TensorFlow's ``tf.nn`` namespace (activations, softmax, losses on logits).

>>> import d2l_core as d2l
>>> d2l.nn.softmax([0.0, 0.0]).numpy()
array([0.5, 0.5], dtype=float32)
"""
from .ops.nn import (bias_add, dropout, elu, l2_loss, leaky_relu, log_softmax, relu,  # noqa: F401
                     sigmoid, sigmoid_cross_entropy_with_logits, softmax,
                     softmax_cross_entropy_with_logits, sparse_softmax_cross_entropy_with_logits,
                     tanh)
