"""``d2l.keras``: layers, models, losses, metrics and optimizers with Keras's names.

>>> import d2l_core as d2l
>>> from d2l_core import keras
>>> from d2l_core.keras import layers, optimizers, datasets
>>> model = keras.Sequential([layers.Dense(256, activation='relu'),
...                           layers.Dense(128, activation='relu'),
...                           layers.Dense(10)])
>>> model(d2l.zeros((2, 784))).shape
TensorShape([2, 10])
"""
from .. import optimizers  # noqa: F401
from . import (activations, backend, callbacks, datasets, initializers, layers,  # noqa: F401
               losses, metrics, models, ops, saving, utils)
from .layers import Input  # noqa: F401
from .models import Model, Sequential  # noqa: F401

__all__ = ["Model", "Sequential", "Input", "activations", "backend", "callbacks", "datasets",
           "initializers", "layers", "losses", "metrics", "models", "ops", "optimizers", "utils"]
