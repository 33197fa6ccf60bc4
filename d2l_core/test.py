"""``d2l.test``: TensorFlow's ``tf.test`` helpers for checking the machine.

>>> import d2l_core as d2l
>>> isinstance(d2l.test.is_gpu_available(), bool)
True
"""
from . import backend


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """True when CuPy can use at least one CUDA GPU that ``config.set_visible_devices`` leaves visible."""
    return backend.visible_gpu_count() > 0


def is_built_with_cuda():
    """True when CuPy (d2l_core's CUDA backend) is installed, whether or not a GPU is present."""
    return backend.cupy_installed()


def gpu_device_name():
    """'/device:GPU:0' when a GPU is available, else ''."""
    return "/device:GPU:0" if is_gpu_available() else ""
