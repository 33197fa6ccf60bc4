"""Compatibility APIs: ``d2l_core.compat.v1`` runs TensorFlow 1 graph-and-session programs.

>>> import d2l_core.compat.v1 as tf
>>> tf.executing_eagerly()
False
"""
from . import v1  # noqa: F401
