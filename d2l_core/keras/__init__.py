"""``d2l.keras``: layers, models, losses and optimizers with Keras's names."""
from .. import optimizers  # noqa: F401
