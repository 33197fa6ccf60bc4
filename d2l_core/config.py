"""``d2l.config``: which devices exist (TensorFlow's ``tf.config``).

Probing for GPUs imports CuPy, so it happens only when you ask for GPUs or
run the first op (TensorFlow likewise starts CUDA at its first op, not at import).

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
    kind = None if device_type is None else device_type.upper()
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if kind != "CPU":              # only a question about GPUs probes for them
        found += [PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
                  for i in range(backend.gpu_count())]
    return [d for d in found if kind is None or d.device_type == kind]


def get_visible_devices(device_type=None):
    """The physical devices the runtime may use (``tf.config.get_visible_devices``).

    >>> [d.device_type for d in d2l.config.get_visible_devices('CPU')]
    ['CPU']
    """
    n = backend.runtime.visible_gpus
    return [d for d in list_physical_devices(device_type)
            if d.device_type == "CPU" or n is None or int(d.name.rsplit(":", 1)[1]) < n]


def set_visible_devices(devices, device_type=None):
    """Choose the devices the runtime may use (``tf.config.set_visible_devices``).

    ``set_visible_devices([], 'GPU')`` hides the GPUs: ops and new tensors then
    stay on the CPU. As in TensorFlow, this must happen before the first op
    (the runtime starts there); afterwards a change raises ``RuntimeError``
    and setting what is already set does nothing. d2l_core keeps the first
    GPUs (GPU:0 to GPU:k-1) or none; ``CUDA_VISIBLE_DEVICES`` chooses others.

    >>> d2l.config.set_visible_devices(d2l.config.list_physical_devices('CPU'), 'CPU')
    """
    if not isinstance(devices, list):
        devices = [devices]
    physical = list_physical_devices()
    kind = None if device_type is None else device_type.upper()
    for d in devices:
        if d not in physical or (kind is not None and d.device_type != kind):
            raise ValueError(f"Unrecognized device: {d!r}")
    if kind in (None, "CPU") and not any(d.device_type == "CPU" for d in devices):
        raise ValueError("set_visible_devices: the CPU must stay visible (TensorFlow then "
                         "fails with 'No CPU devices are available'); pass "
                         "config.list_physical_devices('CPU') among the devices")
    if kind == "CPU":
        return
    gpus = sorted(int(d.name.rsplit(":", 1)[1]) for d in devices if d.device_type == "GPU")
    if gpus != list(range(len(gpus))):
        raise ValueError(f"set_visible_devices: d2l_core can keep the first GPUs or none, not "
                         f"GPUs {gpus}; start Python with CUDA_VISIBLE_DEVICES={gpus[0]} to use "
                         "another one")
    count = None if len(gpus) == backend.gpu_count() else len(gpus)
    if count == backend.runtime.visible_gpus:
        return
    if backend.runtime.initialized:
        raise RuntimeError("Visible devices cannot be modified after being initialized")
    backend.runtime.visible_gpus = count


def list_logical_devices(device_type=None):
    """The devices ops can be placed on, with their full names (starts the runtime, as in TF).

    A CPU split by ``set_logical_device_configuration`` is listed once per part
    (``CPU:0``, ``CPU:1``, ...); d2l_core runs every part's ops on the one CPU.
    GPUs hidden by ``set_visible_devices`` are not listed.

    >>> d2l.config.list_logical_devices('CPU')[0].name
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    backend.ensure_initialized()
    found = []
    for d in get_visible_devices(device_type):
        parts = len(_logical_configs.get(d.name) or [None])
        start = len([f for f in found if f.device_type == d.device_type])
        found += [LogicalDevice(backend.Device(d.device_type, start + i).name, d.device_type)
                  for i in range(parts)]
    return found


class LogicalDeviceConfiguration(collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """One logical device to make of a physical one (``tf.config.LogicalDeviceConfiguration``).

    >>> d2l.config.LogicalDeviceConfiguration()
    LogicalDeviceConfiguration(memory_limit=None, experimental_priority=None, experimental_device_ordinal=None)
    """

    __slots__ = ()

    def __new__(cls, memory_limit=None, experimental_priority=None,
                experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority,
                               experimental_device_ordinal)


_logical_configs = {}       # physical device name -> [LogicalDeviceConfiguration, ...]


def set_logical_device_configuration(device, logical_devices):
    """Split a physical device into logical ones (``tf.config.set_logical_device_configuration``).

    On a CPU, as in TensorFlow, each ``LogicalDeviceConfiguration()`` adds a
    logical CPU (``/cpu:1``, ``/cpu:2``, ...) for distribution strategies;
    a ``memory_limit`` is refused. d2l_core records the split, lists it in
    ``list_logical_devices`` and runs all of them on the one CPU.

    >>> cpu = d2l.config.list_physical_devices('CPU')[0]
    >>> d2l.config.set_logical_device_configuration(
    ...     cpu, [d2l.config.LogicalDeviceConfiguration()] * 2)
    >>> [d.name[-5:] for d in d2l.config.list_logical_devices('CPU')]
    ['CPU:0', 'CPU:1']
    >>> d2l.config.set_logical_device_configuration(cpu, None)      # back to one
    """
    name = getattr(device, "name", device)
    if logical_devices is None:
        _logical_configs.pop(name, None)
        return
    configs = list(logical_devices)
    if getattr(device, "device_type", "CPU") == "CPU" and any(
            c.memory_limit is not None for c in configs):
        raise ValueError("Setting memory limit on CPU virtual devices is currently not "
                         "supported; leave memory_limit=None for logical CPUs")
    _logical_configs[name] = configs


def get_logical_device_configuration(device):
    """The logical devices set for ``device`` (None when it is not split).

    >>> d2l.config.get_logical_device_configuration(d2l.config.list_physical_devices('CPU')[0])
    """
    configs = _logical_configs.get(getattr(device, "name", device))
    return None if configs is None else list(configs)


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
    list_logical_devices = staticmethod(list_logical_devices)
    get_visible_devices = staticmethod(get_visible_devices)
    set_visible_devices = staticmethod(set_visible_devices)
    VirtualDeviceConfiguration = LogicalDeviceConfiguration
    set_virtual_device_configuration = staticmethod(set_logical_device_configuration)
    get_virtual_device_configuration = staticmethod(get_logical_device_configuration)

    @staticmethod
    def set_memory_growth(device, enable):
        """Accepted for compatibility: CuPy's memory pool already grows on demand."""
