"""``keras.datasets``: the course's datasets under Keras's names.

``d2l.keras.datasets.mnist`` *is* :mod:`d2l_core.datasets.mnist` (the same
module object), so ``datasets.mnist.load_data()`` works as in Keras: uint8
images of shape (n, 28, 28) and uint8 labels, downloaded once and cached, or
a bundled 5,000-digit subset when offline.

>>> from d2l_core.keras import datasets
>>> (x, y), (x_test, y_test) = datasets.mnist.load_subset()
>>> x.shape, x.dtype
((4000, 28, 28), dtype('uint8'))
"""
import sys

from ...datasets import mnist

sys.modules[__name__ + ".mnist"] = mnist      # `import d2l_core.keras.datasets.mnist` works too

__all__ = ["mnist"]
