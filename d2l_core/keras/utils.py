"""``keras.utils``: small helpers (one-hot labels, seeding everything).

>>> import d2l_core as d2l
>>> d2l.keras.utils.to_categorical([0, 2], num_classes=3)
array([[1., 0., 0.],
       [0., 0., 1.]], dtype=float32)
"""
import random

import numpy as np

__all__ = ["to_categorical", "set_random_seed"]


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encode integer class labels as a NumPy array (``keras.utils.to_categorical``).

    A trailing dimension of size 1 is dropped; ``num_classes`` defaults to
    the largest label + 1.

    >>> d2l.keras.utils.to_categorical(np.array([[1], [0]])).shape
    (2, 2)
    """
    y = np.asarray(y)
    if y.dtype.kind == "f":
        if not np.all(y == np.round(y)):
            raise ValueError("to_categorical: labels must be whole numbers (class indices)")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "iu":
        raise TypeError(f"to_categorical: labels must be integers, got dtype {y.dtype}")
    if y.ndim and y.shape[-1] == 1 and y.ndim > 1:
        y = y[..., 0]
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"to_categorical: labels must be in [0, {num_classes}), got values "
                         f"from {y.min()} to {y.max()}")
    out = np.zeros(y.shape + (num_classes,), dtype=dtype)
    np.put_along_axis(out, y[..., None].astype(np.int64), 1, axis=-1)
    return out


def set_random_seed(seed):
    """Seed Python's ``random``, NumPy's global generator and ``d2l.random`` at once.

    >>> d2l.keras.utils.set_random_seed(0)
    """
    from ..ops.random import set_seed
    random.seed(seed)
    np.random.seed(seed)
    set_seed(seed)
