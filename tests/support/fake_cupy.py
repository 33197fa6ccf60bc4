"""A stand-in for CuPy that runs on the CPU, strict where CuPy is strict.

GPU tests need a GPU, and most machines that run this suite have none. This
module lets ``tests/engine/test_gpu.py`` run its device-parity suite anyway, on
a pretend device "GPU:0" whose arrays are NumPy arrays in a wrapper that
behaves like ``cupy.ndarray`` in the ways d2l_core's code can get wrong:

* it is not a ``numpy.ndarray`` (``type(a) is np.ndarray`` is False);
* converting it to NumPy implicitly (``np.asarray(a)``, ``np.array(a)``)
  raises ``TypeError``, as CuPy does: only ``a.get()`` copies to the host;
* a ufunc or NumPy function mixing it with a NumPy array raises
  ``TypeError``, as CuPy does: inputs must be moved to the device first;
* reductions and indexing return 0-d device arrays, never NumPy scalars;
* it has ``__cuda_array_interface__`` and ``.device.id``.

With ``D2L_STAND_IN_JITTER=1`` it also rounds like a GPU: results of the
operations whose last bits differ between a GPU and NumPy (transcendental
functions, matrix products, sums and other reductions) move by one unit in
the last place at some elements, chosen from a hash of the inputs (so the
same inputs still give the same result); elements that a wider computation
gives exactly were never rounded, and stay, as a GPU gets them exactly too.
Tests that expect NumPy's bits there fail on the CPU as they would on a GPU;
+ - * / and sqrt stay exact, as they are on a GPU.

It also counts what a real GPU would pay for (:func:`counting`): kernel
launches (every ufunc, every NumPy function or method whose result is new
data, not a view), host synchronisations (``get()``, ``float()``,
``bool()``, ``int()``, ``item()``: the host waits for the device's queue)
and uploads (host-to-device copies: ``cupy.asarray`` stages them through
pinned memory and copies asynchronously, so they do not wait for the queue,
but each is a transfer). The launch-budget tests use it to keep a training
step free of round trips.

NumPy functions called on it dispatch through ``__array_ufunc__`` and
``__array_function__`` exactly as they dispatch to CuPy. Only names CuPy
has are served: ``cupy_api.json`` (written by ``tools/cupy_api.py`` from
CuPy itself) lists its functions, its ``ndarray`` attributes and the ufuncs
whose ``.at`` works, and anything else fails as it would on a GPU. What it
cannot show is whether a CuPy function matches NumPy's signature and results
in every case: that needs a real GPU (the same suite runs there with ``gpu``).

Install it with :func:`install` (pytest's ``monkeypatch``), which points
``d2l_core.backend`` at it and says one GPU exists. The runtime has started
by then with the CPU as its default device, so only ``d2l.device('/gpu:0')``
scopes use the stand-in. Inside :func:`as_default` the runtime restarts and
sees the stand-in as TensorFlow sees a visible GPU: ops and new tensors with
no scope go to GPU:0 (the ``gpu_default`` fixture of ``tests/conftest.py``).
Setting ``D2L_STAND_IN_GPU=1`` for a pytest run makes the stand-in the
default device for the whole run (:func:`install_for_session`).
"""
import contextlib
import json
import os
import types
import zlib

import numpy as np

with open(os.path.join(os.path.dirname(__file__), "cupy_api.json")) as _f:
    CUPY_API = json.load(_f)
_NAMES = {ns: frozenset(names) for ns, names in CUPY_API["namespaces"].items()}
_NDARRAY = frozenset(CUPY_API["ndarray"])
_UFUNC_AT = frozenset(CUPY_API["ufunc_at"])


JITTER = os.environ.get("D2L_STAND_IN_JITTER", "0") != "0"
# D2L_STAND_IN_JITTER=1 rounds one way; another number picks other elements to nudge.
_JITTER_SEED = int(os.environ.get("D2L_STAND_IN_JITTER", "0") or 0) if JITTER else 0
_INEXACT = frozenset("""exp expm1 exp2 log log1p log2 log10 sin cos tan arcsin arccos arctan arctan2
    sinh cosh tanh arcsinh arccosh arctanh power float_power cbrt hypot logaddexp logaddexp2
    matmul dot vdot inner tensordot einsum sum mean prod std var nansum nanmean cumsum cumprod
    average trace norm inv solve det slogdet cholesky eigh svd lstsq pinv qr""".split())


def _upcast(a):
    """``a`` in a wider float type (float32 -> float64 -> long double), else as it is."""
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return a.astype(np.float64 if a.dtype.itemsize < 8 else np.longdouble)
    return a


def _jitter(result, where, inputs, again=None):
    """``result`` nudged by one ulp at some elements, as a GPU's rounding differs (see above).

    ``again(cast)`` recomputes the op with ``cast`` applied to each array argument: an
    element that the wider computation gives exactly was not rounded, so a GPU gets
    it exactly too, and it stays (a diagonal picked by einsum, 0.5 * 2, a sum of 0s).
    """
    if not JITTER or where.split(".")[-1] not in _INEXACT:
        return result
    if isinstance(result, tuple):
        return tuple(_jitter(r, where, inputs) for r in result)
    if not isinstance(result, (np.ndarray, np.generic)) or result.dtype.kind != "f" or not result.size:
        return result
    key = zlib.crc32(where.encode())              # a stable hash: the same on every run
    for a in inputs:
        if isinstance(a, np.ndarray):
            key = zlib.crc32(a.tobytes(), key)
    key ^= _JITTER_SEED
    r = np.array(result, copy=True)
    flat = r.reshape(-1)
    chosen = ((np.arange(flat.size, dtype=np.uint64) * np.uint64(2654435761)
               + np.uint64(key & 0xFFFFFFFF)) >> np.uint64(5)) % np.uint64(3) == 0
    chosen &= np.isfinite(flat) & (np.abs(flat) >= np.finfo(flat.dtype).tiny)   # not subnormal
    if again is not None:
        try:
            with np.errstate(all="ignore"):
                wide = np.asarray(again(_upcast)).reshape(-1)
            chosen &= wide != flat.astype(wide.dtype)          # rounded: the GPU may differ
        except Exception:  # noqa: BLE001  (no wider version: every element may differ)
            pass
    direction = np.where(np.arange(flat.size) % 2 == 0, np.inf, -np.inf).astype(r.dtype)
    flat[chosen] = np.nextafter(flat[chosen], direction[chosen])
    return r


def _cupy_has(func):
    """Whether CuPy implements the NumPy function ``func`` (in the same namespace)."""
    for ns, module in (("linalg", np.linalg), ("fft", np.fft)):
        if getattr(module, func.__name__, None) is func:
            return func.__name__ in _NAMES[ns]
    return func.__name__ in _NAMES[""]

HOST_ERROR = ("Implicit conversion to a NumPy array is not allowed. "
              "Please use `.get()` to construct a NumPy array explicitly.")


class Counts:
    """Kernel launches, host synchronisations and uploads seen inside :func:`counting`."""

    def __init__(self):
        self.launches, self.syncs, self.uploads = 0, 0, 0
        self.launch_log, self.sync_log, self.upload_log = [], [], []

    def __repr__(self):
        return f"Counts(launches={self.launches}, syncs={self.syncs}, uploads={self.uploads})"


_counts = None        # the active Counts, or None when nobody counts


@contextlib.contextmanager
def counting():
    """Count kernel launches and host syncs on the stand-in inside the block.

    >>> with counting() as c:
    ...     _ = ndarray(np.ones(3)) * 2
    >>> c.launches, c.syncs
    (1, 0)
    """
    global _counts
    outer, _counts = _counts, Counts()
    try:
        yield _counts
    finally:
        _counts = outer


def _launch(what, result=None, inputs=()):
    """Count one kernel launch, unless ``result`` is a view of an input (no work)."""
    if _counts is None:
        return
    if isinstance(result, np.ndarray) and any(
            isinstance(a, np.ndarray) and (a is result or np.may_share_memory(a, result))
            for a in inputs):
        return
    if result is not None and not isinstance(result, (np.ndarray, np.generic, tuple, list)):
        return                            # a Python value (a dtype, a shape): no device work
    _counts.launches += 1
    _counts.launch_log.append(what)


def _upload(what):
    if _counts is not None:
        _counts.uploads += 1
        _counts.upload_log.append(what)


def _sync(what):
    if _counts is not None:
        _counts.syncs += 1
        _counts.sync_log.append(what)


_NO_KERNEL = {"empty", "empty_like", "shape", "ndim", "size", "result_type", "can_cast",
              "iscomplexobj", "isrealobj", "isscalar"}


class _DeviceId:
    def __init__(self, i):
        self.id = i

    def __repr__(self):
        return f"<CUDA Device {self.id}>"


def _unwrap(x, where):
    """The NumPy array inside ``x`` (recursively in lists/tuples); reject host arrays."""
    if isinstance(x, ndarray):
        return x._a
    if type(x) is np.ndarray or isinstance(x, np.ndarray):
        raise TypeError(f"Unsupported type {type(x)} in {where}: move NumPy arrays to the "
                        "device first (cupy.asarray)")
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(v, where) for v in x)
    if isinstance(x, dict):
        return {k: _unwrap(v, where) for k, v in x.items()}
    return x


def _arrays_in(args, kwargs):
    return tuple(a for a in (*args, *kwargs.values()) if isinstance(a, np.ndarray))


def _wrap(x):
    """Device arrays for array results; 0-d arrays, never scalars, for NumPy scalars."""
    if isinstance(x, np.ndarray):
        return ndarray(x)
    if isinstance(x, np.generic):
        return ndarray(np.asarray(x))
    if isinstance(x, tuple):
        return tuple(_wrap(v) for v in x)
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


class ndarray(np.lib.mixins.NDArrayOperatorsMixin):  # noqa: N801  (CuPy's name)
    """A NumPy array pretending to live on GPU 0."""

    __slots__ = ("_a",)
    __array_priority__ = 200

    def __init__(self, a):
        self._a = a

    # -- what makes it a device array
    @property
    def __cuda_array_interface__(self):
        return {"shape": self._a.shape, "typestr": self._a.dtype.str, "version": 3,
                "data": (self._a.ctypes.data, False), "strides": None}

    @property
    def device(self):
        return _DeviceId(0)

    def get(self, stream=None, order="C", out=None):
        _sync("ndarray.get")
        return self._a.copy()

    def __array__(self, dtype=None, copy=None):
        raise TypeError(HOST_ERROR)

    # -- NumPy dispatch, as CuPy implements it
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        where = f"{ufunc.__name__}.{method}" if method != "__call__" else ufunc.__name__
        if method == "at" and ufunc.__name__ not in _UFUNC_AT:
            raise NotImplementedError(f"cupy.{ufunc.__name__}.at is not supported: CuPy "
                                      f"{CUPY_API['cupy']} has .at for {sorted(_UFUNC_AT)} only")
        inputs = _unwrap(inputs, where)
        if "out" in kwargs:
            kwargs["out"] = _unwrap(kwargs["out"], where)
        with np.errstate(all="ignore"):      # CuPy computes inf and nan without a warning
            result = getattr(ufunc, method)(*inputs, **kwargs)
        _launch(where)
        if method == "at":
            return None
        if JITTER and method in ("__call__", "reduce", "accumulate"):
            name = ufunc.__name__
            if method != "__call__" and name in ("add", "multiply"):
                name = "sum"                   # a sum's order differs; a max's does not matter
            plain = {k: v for k, v in kwargs.items() if k not in ("out", "dtype")}
            nudged = _jitter(result, name, inputs, lambda cast: getattr(ufunc, method)(
                *[cast(a) for a in inputs], **plain))
            if "out" in kwargs and nudged is not result:
                out = kwargs["out"][0] if isinstance(kwargs["out"], tuple) else kwargs["out"]
                out[...] = nudged
                nudged = out
            result = nudged
        return _wrap(result)

    def __array_function__(self, func, types, args, kwargs):
        where = func.__name__
        if not _cupy_has(func):
            raise TypeError(f"no implementation found for 'numpy.{where}' on types that implement "
                            "__array_function__: [<class 'cupy.ndarray'>] (CuPy "
                            f"{CUPY_API['cupy']} has no cupy.{where})")
        args, kwargs = _unwrap(args, where), _unwrap(kwargs, where)
        with np.errstate(all="ignore"):
            result = func(*args, **kwargs)
        if where not in _NO_KERNEL:
            _launch(where, result, _arrays_in(args, kwargs))
        return _wrap(_jitter(result, where, _arrays_in(args, kwargs), lambda cast: func(
            *[cast(a) for a in args], **{k: cast(v) for k, v in kwargs.items() if k != "out"})))

    # -- the ndarray interface: forward, keep results on the device
    def __getattr__(self, name):
        if name not in _NDARRAY:
            raise AttributeError(f"'cupy.ndarray' object has no attribute {name!r} "
                                 f"(CuPy {CUPY_API['cupy']})")
        value = getattr(self._a, name)
        if callable(value):
            def method(*args, **kwargs):
                args = _unwrap(args, f"ndarray.{name}")
                kwargs = _unwrap(kwargs, f"ndarray.{name}")
                result = value(*args, **kwargs)
                if name == "tolist":
                    _sync("ndarray.tolist")
                else:
                    _launch(f"ndarray.{name}", result, (self._a,) + _arrays_in(args, kwargs))
                    result = _jitter(result, name, (self._a,) + _arrays_in(args, kwargs),
                                     lambda cast: getattr(cast(self._a), name)(
                                         *[cast(a) for a in args],
                                         **{k: v for k, v in kwargs.items() if k not in ("out", "dtype")}))
                return _wrap(result)
            return method
        return _wrap(value)

    @property
    def shape(self):
        return self._a.shape

    @property
    def dtype(self):
        return self._a.dtype

    @property
    def ndim(self):
        return self._a.ndim

    @property
    def size(self):
        return self._a.size

    @property
    def T(self):  # noqa: N802
        return ndarray(self._a.T)

    @property
    def real(self):
        return ndarray(self._a.real)

    def __getitem__(self, key):
        result = self._a[_unwrap(key, "indexing")]
        _launch("getitem", result, (self._a,))
        return _wrap(result)

    def __setitem__(self, key, value):
        self._a[_unwrap(key, "indexing")] = _unwrap(value, "indexing")
        _launch("setitem")

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (_wrap(v) for v in self._a)

    def __bool__(self):
        _sync("__bool__")
        return bool(self._a)

    def __int__(self):
        _sync("__int__")
        return int(self._a)

    def __float__(self):
        _sync("__float__")
        return float(self._a)

    def __index__(self):
        _sync("__index__")
        return self._a.__index__()

    def item(self):
        _sync("item")
        return self._a.item()

    def __repr__(self):
        return repr(self._a).replace("array(", "fake_cupy.array(")

    def __copy__(self):
        _launch("copy")
        return ndarray(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray(self._a.copy())

    def __reduce__(self):
        raise TypeError("fake_cupy arrays do not pickle")


# ------------------------------------------------------------------ the module's functions

def asarray(a, dtype=None, order=None):
    if isinstance(a, ndarray):
        if dtype is None or a.dtype == dtype:
            return a
        _launch("asarray(astype)")
        return ndarray(a._a.astype(dtype))
    _upload("asarray(host -> device)")
    return ndarray(np.array(a, dtype=dtype, order=order))   # a host -> device copy


def array(a, dtype=None, copy=True, order="K", ndmin=0):
    if isinstance(a, ndarray):
        a = a._a
        _launch("array")
    else:
        _upload("array(host -> device)")
    return ndarray(np.array(a, dtype=dtype, copy=copy, order=order, ndmin=ndmin))


def asnumpy(a, stream=None):
    return a.get() if isinstance(a, ndarray) else np.asarray(a)


def get_array_module(*arrays):
    return module if any(isinstance(a, ndarray) for a in arrays) else np


def _forward(name):
    func = getattr(np, name)
    if isinstance(func, np.ufunc):
        return func                     # ufuncs dispatch through __array_ufunc__

    def device_function(*args, **kwargs):
        # Results are device arrays: creation functions (zeros, arange, ...) included.
        args, kwargs = _unwrap(args, name), _unwrap(kwargs, name)
        with np.errstate(all="ignore"):
            result = func(*args, **kwargs)
        if name not in _NO_KERNEL:
            _launch(name, result, _arrays_in(args, kwargs))
        return _wrap(_jitter(result, name, _arrays_in(args, kwargs), lambda cast: func(
            *[cast(a) for a in args], **{k: cast(v) for k, v in kwargs.items() if k != "out"})))
    device_function.__name__ = name
    return device_function


def _rounded_like_a_gpu(name):
    """NumPy's ``name``, rounded as the stand-in rounds the ufunc ``cupy.name`` (JITTER):
    inside a fused kernel a GPU computes exp, log... with the same code as its ufuncs."""
    func = getattr(np, name)

    def call(*xs):
        with np.errstate(all="ignore"):
            return _jitter(func(*xs), name, xs, lambda cast: func(*[cast(x) for x in xs]))
    return call


_KERNEL_MATH = types.SimpleNamespace(**{n: _rounded_like_a_gpu(n) for n in
                                        ("sqrt", "exp", "log", "maximum", "minimum", "where")})


class ElementwiseKernel:
    """``cupy.ElementwiseKernel`` on the stand-in: the body's statements run as NumPy
    expressions (d2l_core.fused reads them), counted as the one launch a GPU makes."""

    def __init__(self, in_params, out_params, operation, name="kernel", preamble="", **kwargs):
        from d2l_core.fused import Elementwise
        self._kernel = Elementwise(name, in_params, out_params, operation)

    def __call__(self, *args):
        arrays = [_unwrap(a, self._kernel.name) for a in args]
        saved, globals()["_counts"] = _counts, None      # the statements are one launch
        try:
            self._kernel.run_statements(_KERNEL_MATH, arrays)
        finally:
            globals()["_counts"] = saved
        _launch(self._kernel.name)
        outs = args[len(self._kernel.inputs):]
        return outs if len(outs) > 1 else outs[0]


class _Cuda(types.SimpleNamespace):
    pass


@contextlib.contextmanager
def _device_context(index=0):
    if index != 0:
        raise RuntimeError(f"fake_cupy has one device, not {index}")
    yield


class _Runtime:
    @staticmethod
    def getDeviceCount():  # noqa: N802  (CUDA's name)
        return 1


class _Module(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if not hasattr(np, name) or name not in _NAMES[""]:
            raise AttributeError(f"module 'cupy' has no attribute {name!r} (CuPy "
                                 f"{CUPY_API['cupy']}; the stand-in serves CuPy's names only)")
        value = getattr(np, name)
        if callable(value) and not isinstance(value, type):
            return _forward(name)
        return value


module = _Module("cupy")
module.ndarray = ndarray
module.asarray = asarray
module.array = array
module.asnumpy = asnumpy
module.get_array_module = get_array_module
module.ElementwiseKernel = ElementwiseKernel
module.cuda = _Cuda(Device=_device_context, is_available=lambda: True, runtime=_Runtime())
module.__fake__ = True


def install(monkeypatch):
    """Point d2l_core's backend at this fake with one visible GPU (undone after the test)."""
    from d2l_core import backend
    backend.ensure_initialized()     # the real default device first: a scope must ask for the fake
    monkeypatch.setattr(backend, "_cupy", module)
    monkeypatch.setattr(backend, "_gpu_count", 1)
    monkeypatch.setattr(backend.placement, "warned_fallback", False, raising=False)
    return module


@contextlib.contextmanager
def as_default():
    """Restart the runtime so that the installed GPU (stand-in or real) is the default device.

    Undone on exit: the device stack and the runtime's state come back as they were.
    """
    from d2l_core import backend
    saved_stack = list(backend.device_stack)
    rt = backend.runtime
    saved = (rt.initialized, rt.visible_gpus, rt.default)
    backend.reset_runtime()
    backend.device_stack.clear()
    try:
        yield
    finally:
        backend.device_stack[:] = saved_stack
        rt.initialized, rt.visible_gpus, rt.default = saved


def install_for_session():
    """Make the stand-in the default GPU for a whole pytest run (``D2L_STAND_IN_GPU=1``).

    Tests that silently assume the CPU then show up; tests that need the
    CPU say so with ``with d2l.device('/CPU:0')``.
    """
    from d2l_core import backend
    if backend.gpu_count() > 0:
        return                           # a real GPU is already the default
    backend._cupy, backend._gpu_count = module, 1
    backend.reset_runtime()
