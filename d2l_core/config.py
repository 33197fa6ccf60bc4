"""``d2l.config``: which devices exist (TensorFlow's ``tf.config``).

Probing for GPUs imports CuPy, so it happens only when you ask.

>>> import d2l_core as d2l
>>> [d.device_type for d in d2l.config.list_physical_devices('CPU')]
['CPU']
"""
import collections

from . import backend

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
PhysicalDevice.__doc__ = """A device of the machine, as ``list_physical_devices`` reports it.

>>> d2l.config.list_physical_devices('CPU')[0].device_type
'CPU'
"""
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
LogicalDevice.__doc__ = """A device ops can be placed on, with its full TensorFlow name.

>>> d2l.config.list_logical_devices('CPU')[0].device_type
'CPU'
"""


def list_physical_devices(device_type=None):
    """The machine's devices: one CPU, plus one entry per GPU CuPy can use.

    >>> d2l.config.list_physical_devices('CPU')
    [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
    """
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    found += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU") for i in range(backend.gpu_count())]
    return [d for d in found if device_type is None or d.device_type == device_type.upper()]


def list_logical_devices(device_type=None):
    """The devices ops can be placed on, with their full names.

    >>> d2l.config.list_logical_devices('CPU')[0].name
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    return [LogicalDevice(backend.Device(d.device_type, int(d.name.rsplit(":", 1)[1])).name,
                          d.device_type) for d in list_physical_devices(device_type)]


def get_soft_device_placement():
    """True when ops asked for a missing GPU run on the CPU instead.

    >>> d2l.config.get_soft_device_placement()
    True
    """
    return backend.placement.allow_soft_placement


def set_soft_device_placement(enabled):
    """Turn soft placement on or off (off: asking for a missing GPU is an error).

    >>> d2l.config.set_soft_device_placement(False)
    >>> d2l.config.get_soft_device_placement()
    False
    >>> d2l.config.set_soft_device_placement(True)
    """
    backend.placement.allow_soft_placement = bool(enabled)


def set_log_device_placement(enabled):
    """Print the device every op runs on (``tf.debugging.set_log_device_placement``).

    Each op then writes a line like ``add: /job:localhost/replica:0/task:0/device:CPU:0``
    to stderr.

    >>> d2l.config.set_log_device_placement(True)
    >>> d2l.config.set_log_device_placement(False)
    """
    backend.placement.log_device_placement = bool(enabled)


class experimental:  # noqa: N801  (TensorFlow's namespace)
    """``tf.config.experimental``: only what the course uses.

    >>> len(d2l.config.experimental.list_physical_devices('CPU'))
    1
    """

    list_physical_devices = staticmethod(list_physical_devices)

    @staticmethod
    def set_memory_growth(device, enable):
        """Accepted for compatibility: CuPy's memory pool already grows on demand."""
