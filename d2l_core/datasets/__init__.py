"""Datasets for the course: MNIST with a download cache, checksums and an offline subset.

Only NumPy (and the standard library) is needed here, so this package works
on its own. ``d2l_core.keras.datasets.mnist`` is the same module under
Keras's name.

>>> from d2l_core.datasets import mnist
>>> (x_train, y_train), (x_test, y_test) = mnist.load_subset()
>>> x_train.shape
(4000, 28, 28)
"""

from . import idx, mnist

__all__ = ["idx", "mnist"]
