"""Compatibility APIs: ``d2l_core.compat.v1`` runs TensorFlow 1 graph-and-session programs.

``v1`` is imported on first use, so ``import d2l_core`` stays quick.

>>> import d2l_core.compat.v1 as tf
>>> tf.executing_eagerly()
False
>>> import d2l_core as d2l
>>> d2l.compat.v1 is tf
True
"""
import importlib


def __getattr__(name):
    if name == "v1":
        return importlib.import_module(".v1", __name__)
    raise AttributeError(f"module 'd2l_core.compat' has no attribute '{name}'")


def __dir__():
    return ["v1"]
