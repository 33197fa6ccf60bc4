"""Where arrays live: NumPy on the CPU, CuPy on an NVIDIA GPU.

This is the only module that knows about CuPy. Everything above it asks for
``array_module(device)`` and moves arrays with ``to_device``. CuPy is imported
only when a GPU is asked for or probed, so ``import d2l_core`` stays fast and
works on machines without CUDA.

Placement follows TensorFlow 2. The runtime starts at the first op (or the
first new tensor), as TensorFlow's eager context does, not at import: it then
probes for GPUs once and chooses the default device, GPU:0 when a GPU is
visible, else the CPU. Ops and new tensors with no ``d2l.device`` scope go to
the default device, and an op copies its inputs there, as TensorFlow does
(``tf.data`` is the exception: its pipeline runs on the CPU). Before that
first op ``config.set_visible_devices([], 'GPU')`` can hide the GPUs;
afterwards changing them is an error, as in TensorFlow.

Device names follow TensorFlow; every spelling TF accepts parses:

>>> Device.parse('/gpu:0').name
'/job:localhost/replica:0/task:0/device:GPU:0'
>>> Device.parse('CPU:0') == CPU
True
"""
import contextlib
import os
import re
import sys
import warnings

import numpy as np

from . import _logging

_DEVICE_RE = re.compile(
    r"^/?(?:job:[^/]+/)?(?:replica:\d+/)?(?:task:\d+/)?(?:device:)?"
    r"(?P<kind>cpu|gpu)(?::(?P<index>\d+))?$",
    re.IGNORECASE,
)


class Device:
    """A device: a kind ('CPU' or 'GPU') and an index. Interned, compare with ``is`` or ``==``.

    >>> d = Device.parse('/device:GPU:1')
    >>> d.kind, d.index, d is Device('GPU', 1)
    ('GPU', 1, True)
    """

    __slots__ = ("kind", "index", "name")
    _interned = {}

    def __new__(cls, kind, index=0):
        key = (kind.upper(), int(index))
        dev = cls._interned.get(key)
        if dev is None:
            dev = object.__new__(cls)
            dev.kind, dev.index = key
            dev.name = f"/job:localhost/replica:0/task:0/device:{key[0]}:{key[1]}"
            cls._interned[key] = dev
        return dev

    @classmethod
    def parse(cls, spec):
        """Parse a TensorFlow device string ('/gpu:0', 'GPU:0', '/device:CPU:0', ...)."""
        if isinstance(spec, Device):
            return spec
        if spec is None or spec == "":
            return None
        m = _DEVICE_RE.match(str(spec).strip())
        if m is None:
            raise ValueError(
                f"device: cannot parse device name {spec!r}; "
                "use a TensorFlow spelling such as '/cpu:0', '/gpu:0' or '/device:GPU:0'"
            )
        return cls(m["kind"], m["index"] or 0)

    @property
    def device_type(self):
        return self.kind

    def __repr__(self):
        return f"Device({self.name!r})"

    def __str__(self):
        return self.name

    def __reduce__(self):
        return (Device, (self.kind, self.index))


CPU = Device("CPU", 0)

# ---------------------------------------------------------------- CuPy probing

_cupy = None          # the cupy module once imported
_gpu_count = None     # None until probed


def _import_cupy():
    global _cupy
    if _cupy is None:
        try:
            import cupy
        except ImportError:
            return None
        _cupy = cupy
    return _cupy


def gpu_count():
    """Number of physical GPUs CuPy can use (0 without CuPy or CUDA). Probes once.

    ``CUDA_VISIBLE_DEVICES=""`` (or ``-1``) hides every GPU from CUDA, so then
    CuPy is not even imported.
    """
    global _gpu_count
    if _gpu_count is None:
        hidden = os.environ.get("CUDA_VISIBLE_DEVICES", "unset").strip() in ("", "-1")
        cp = None if hidden else _import_cupy()
        if cp is None:
            _gpu_count = 0
        else:
            try:
                _gpu_count = cp.cuda.runtime.getDeviceCount() if cp.cuda.is_available() else 0
            except Exception:  # CUDARuntimeError without a driver
                _gpu_count = 0
    return _gpu_count


def cupy_installed():
    """True when the cupy package can be imported (whether or not a GPU works)."""
    return _import_cupy() is not None


# ---------------------------------------------------------------- the runtime

class _Runtime:
    """Process-wide state fixed when the runtime starts (TensorFlow's eager context).

    ``visible_gpus`` is None (every GPU) or how many of the first GPUs stay
    visible (``config.set_visible_devices``); ``default`` is the device ops
    use outside any scope, chosen at the first op.
    """

    initialized = False
    visible_gpus = None
    default = None


runtime = _Runtime()


def visible_gpu_count():
    """GPUs ops may use: the physical ones less those ``set_visible_devices`` hides."""
    if runtime.visible_gpus == 0:
        return 0                 # hidden: no need to probe (or import CuPy)
    n = gpu_count()
    return n if runtime.visible_gpus is None else min(n, runtime.visible_gpus)


def ensure_initialized():
    """Start the runtime, as TensorFlow does at its first op: choose the default device.

    With a visible GPU the default is GPU:0, kept as the bottom entry of the
    device stack: default placement is then exactly an outermost
    ``with d2l.device('/GPU:0')``, and an op's hot path needs no extra test.
    """
    if runtime.initialized:
        return
    runtime.initialized = True
    runtime.default = Device("GPU", 0) if visible_gpu_count() > 0 else CPU
    if runtime.default is not CPU:
        _device_stack.insert(0, runtime.default)


def default_device():
    """The device of ops and new tensors outside any ``d2l.device`` scope (starts the runtime).

    >>> from d2l_core import backend
    >>> backend.default_device().device_type in ('CPU', 'GPU')
    True
    """
    ensure_initialized()
    return runtime.default


def reset_runtime():
    """Forget the started runtime, for tests (TensorFlow's ``context._reset_context``).

    The next op probes and chooses the default device again, and visible
    devices may be set again. Tensors made before keep their devices.
    """
    if runtime.initialized and runtime.default is not CPU and _device_stack \
            and _device_stack[0] is runtime.default:
        del _device_stack[0]
    runtime.initialized = False
    runtime.visible_gpus = None
    runtime.default = None


# ---------------------------------------------------------------- placement

class _Placement:
    """Process-wide placement switches (set by compat.v1.ConfigProto or by hand)."""

    allow_soft_placement = True
    log_device_placement = False
    warned_fallback = False


placement = _Placement()
_device_stack = []   # innermost requested device last
device_stack = _device_stack   # public-internal: the ops' hot path tests it inline


def resolve(dev):
    """The device an op really runs on when ``dev`` is requested.

    A GPU that does not exist (or that ``set_visible_devices`` hides) falls
    back to the CPU (soft placement) with one warning per process, or raises
    when soft placement is off.
    """
    if dev.kind == "GPU" and dev.index >= visible_gpu_count():
        n = visible_gpu_count()
        if not placement.allow_soft_placement:
            from .errors import InvalidArgumentError
            raise InvalidArgumentError(
                f"Cannot assign a device for operation: {dev.name} was requested but "
                f"{'no GPU is visible' if n == 0 else f'only {n} GPU(s) are visible'}. "
                "Set allow_soft_placement=True to run on the CPU instead."
            )
        if not placement.warned_fallback:
            placement.warned_fallback = True
            why = ("CuPy is not installed" if runtime.visible_gpus != 0 and not cupy_installed()
                   else "config.set_visible_devices hides the GPUs" if gpu_count() > 0
                   else "no CUDA GPU is visible")
            warnings.warn(
                f"{dev.name} requested but {why}; running on the CPU instead (soft "
                "placement). To use a GPU, install CuPy on a machine with a CUDA GPU: "
                "pip install -e .[gpu]",
                RuntimeWarning, stacklevel=_logging.outside_caller()[1])
        return CPU
    return dev


def current_device():
    """Where ops run now: the innermost ``d2l.device(...)`` scope (resolved), else the
    default device when it is a GPU; None when ops run where TensorFlow's CPU-only
    default puts them (no scope, no visible GPU). Starts the runtime if needed.
    """
    if _device_stack:
        return _device_stack[-1]
    if not runtime.initialized:
        ensure_initialized()
        if _device_stack:
            return _device_stack[-1]
    return None


@contextlib.contextmanager
def device(name):
    """Context manager placing new tensors and ops on ``name`` (TensorFlow's ``tf.device``).

    >>> import d2l_core as d2l
    >>> with d2l.device('/cpu:0'):
    ...     x = d2l.ones((2,))
    >>> x.device
    '/job:localhost/replica:0/task:0/device:CPU:0'
    """
    requested = Device.parse(name)
    ensure_initialized()     # ops will run: the visible devices are fixed from here on, as in TF
    _device_stack.append(resolve(requested) if requested is not None else current_device())
    try:
        yield requested
    finally:
        _device_stack.pop()


# ---------------------------------------------------------------- arrays

def array_module(dev):
    """NumPy for the CPU, CuPy for a GPU."""
    return np if dev.kind == "CPU" else _cupy


def device_of(array):
    """The Device an array lives on."""
    if type(array) is np.ndarray or isinstance(array, np.ndarray):
        return CPU
    return Device("GPU", array.device.id)


def module_of(array):
    """NumPy or CuPy, whichever owns ``array``."""
    return np if isinstance(array, np.ndarray) else _cupy


def xp_of(array):
    """NumPy or CuPy, whichever owns ``array`` (the NumPy test first: it is the common case).

    >>> import numpy as np
    >>> from d2l_core.backend import xp_of
    >>> xp_of(np.zeros(2)) is np
    True
    """
    return np if type(array) is np.ndarray else module_of(array)


def to_device(array, dev):
    """``array`` on ``dev`` (a copy when it moves, the same array when it is there)."""
    if dev.kind == "CPU":
        if isinstance(array, np.ndarray):
            return array
        return array.get()
    cp = _cupy
    if isinstance(array, np.ndarray):
        if array.dtype.kind == "O":
            return array      # strings stay on the host, as in TensorFlow (GPUs hold no text)
        with cp.cuda.Device(dev.index):
            return cp.asarray(array)
    if array.device.id == dev.index:
        return array
    with cp.cuda.Device(dev.index):
        return cp.asarray(array)


def to_numpy(array):
    """A NumPy array with ``array``'s values (a device-to-host copy for CuPy)."""
    return array if isinstance(array, np.ndarray) else array.get()


@contextlib.contextmanager
def on(dev):
    """Make ``dev`` CuPy's current device, so new CuPy arrays land there."""
    if dev.kind == "GPU":
        with _cupy.cuda.Device(dev.index):
            yield
    else:
        yield


def log_placement(op_name, dev):
    """Print where an op ran when ``log_device_placement`` is on (as TF does)."""
    if placement.log_device_placement:
        print(f"{op_name}: {dev.name}", file=sys.stderr)


# ---------------------------------------------------------------- device constants

_CONSTANTS = {}       # (key, device) -> device array; never written into (tensors are immutable)


def device_constant(key, dev, make):
    """A small array made on GPU ``dev`` once and reused: ``make()`` builds it on the host.

    A Python number meeting a GPU tensor (``x / 2``), the gradient seed 1 and
    ``arange(n)`` would otherwise be copied host -> device on every step: a
    small transfer each time, for the same few numbers. Nothing writes into a
    tensor's array in place (a Variable's assign rebinds it to a new array), so
    sharing one is safe.
    """
    k = (key, dev.index)
    array = _CONSTANTS.get(k)
    if array is None:
        if len(_CONSTANTS) > 1024:      # many distinct numbers: start again rather than grow
            _CONSTANTS.clear()
        array = _CONSTANTS[k] = to_device(make(), dev)
    return array


def scalar_to_device(value, dev):
    """A 0-d host array on GPU ``dev``, from the cache: keyed by its bytes (so -0.0 and NaN
    are told apart exactly) and dtype."""
    return device_constant(("scalar", value.dtype.str, value.tobytes()), dev, lambda: value)
