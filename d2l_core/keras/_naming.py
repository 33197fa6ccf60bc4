"""Keras's automatic names: the class name in snake_case, numbered to stay unique.

Layers and models are named 'dense', 'dense_1', 'dense_2', ... until
``keras.backend.clear_session()`` restarts the count; losses and metrics take
the snake_case name alone ('mean_squared_error').
"""
import re
from collections import Counter

_counts = Counter()       # base name -> how many were handed out


def snake_case(name):
    """A CamelCase class name in snake_case, as Keras names objects.

    >>> snake_case("SparseCategoricalAccuracy"), snake_case("Dense"), snake_case("ReLU")
    ('sparse_categorical_accuracy', 'dense', 're_lu')
    """
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def unique_name(base):
    """``base`` the first time, then ``base_1``, ``base_2``, ... (until ``reset()``)."""
    n = _counts[base]
    _counts[base] += 1
    return base if n == 0 else f"{base}_{n}"


def reset():
    """Start every count again (``keras.backend.clear_session``)."""
    _counts.clear()
