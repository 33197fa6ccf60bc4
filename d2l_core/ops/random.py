"""Random tensors with TensorFlow's two-level seeds.

``set_seed(s)`` fixes the *global* seed; an op may also take its own ``seed``.
As in TensorFlow:

* neither seed set: different numbers every run;
* global seed set: each op call draws from a stream fixed by the global seed
  and a counter, so a program gives the same numbers every run;
* op seed set: calls with that seed continue one reproducible stream, and
  ``set_seed`` restarts it.

Numbers are drawn on the host with NumPy's PCG64 and then moved to the
op's device, so a seed gives the same values on the CPU and on a GPU.

>>> import d2l_core as d2l
>>> d2l.random.set_seed(42)
>>> a = d2l.random.uniform([2])
>>> d2l.random.set_seed(42)
>>> bool(d2l.reduce_all(a == d2l.random.uniform([2])))
True
"""
import contextlib

import numpy as np

from .. import backend, dtypes
from ..errors import InvalidArgumentError
from ..tensor import target_device
from ._op import as_tensor, shape_tuple, wrap
from .array import take, take_grad
from .registry import NOT_DIFFERENTIABLE, Sample, Test, gradient, op

DEFAULT_GLOBAL_SEED = 87654321    # TensorFlow's global seed when only an op seed is given


class _SeedState:
    global_seed = None
    op_counter = 0
    streams = {}          # (global seed, op seed) -> np.random.Generator
    unseeded = np.random.default_rng()
    override = None       # the Generator every op draws from inside using_generator()


_state = _SeedState()


def set_seed(seed):
    """Set the global random seed; every random op after it repeats run to run (``tf.random.set_seed``).

    >>> d2l.random.set_seed(0)
    """
    _state.global_seed = None if seed is None else int(seed)
    _state.op_counter = 0
    _state.streams = {}


def get_global_seed():
    """The global seed set by ``set_seed`` (None when unset).

    >>> d2l.random.set_seed(7)
    >>> d2l.random.get_global_seed()
    7
    """
    return _state.global_seed


def generator(seed):
    """The NumPy Generator a random op with op-level ``seed`` draws from (TensorFlow's rules).

    Every random op calls it once per call; so does anything else that should
    follow the global seed (an initializer, a shuffle).
    """
    if _state.override is not None:
        return _state.override
    g = _state.global_seed
    if seed is None:
        if g is None:
            return _state.unseeded
        _state.op_counter += 1
        return np.random.default_rng([g, _state.op_counter, 0x5EED])
    key = (DEFAULT_GLOBAL_SEED if g is None else g, int(seed))
    gen = _state.streams.get(key)
    if gen is None:
        gen = _state.streams[key] = np.random.default_rng([key[0], key[1]])
    return gen


@contextlib.contextmanager
def using_generator(gen):
    """Make every random op inside the block draw from NumPy Generator ``gen``.

    The seed state (global seed, op counter, seeded streams) is put back
    afterwards, so the numbers the rest of the program draws do not change.
    Graph mode runs each random node with its own generator this way, and a
    dataset's ``map`` tries its function on stand-in inputs.

    >>> from d2l_core.ops import random as random_ops
    >>> d2l.random.set_seed(0)
    >>> first = float(d2l.random.uniform(()))
    >>> d2l.random.set_seed(0)
    >>> with random_ops.using_generator(np.random.default_rng(1)):
    ...     _ = d2l.random.uniform([5])          # drawn from the given generator
    >>> float(d2l.random.uniform(())) == first   # the seeded stream goes on as before
    True
    """
    st = _state
    saved = (st.global_seed, st.op_counter, st.streams, st.override)
    st.override = gen
    try:
        yield gen
    finally:
        st.global_seed, st.op_counter, st.streams, st.override = saved


def _float_dtype(op, dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"{op}: dtype must be a float type, got {dtype.name}")
    return dtype


def place(array, dtype):
    """A Tensor of ``dtype`` on the current device from host array ``array`` (drawn numbers)."""
    dev = target_device()
    backend.log_placement("random", dev)
    return wrap(backend.to_device(np.asarray(array, dtype=dtype.np), dev))


def _scalar(v):
    return as_tensor(v).numpy() if hasattr(v, "_value") else v


@op("RandomStandardNormal", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: normal([2, 3], seed=1), ())], deterministic=False))
def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Samples from a normal distribution N(mean, stddev²) (``tf.random.normal``).

    >>> d2l.random.normal([3, 4], mean=0, stddev=1).shape
    TensorShape([3, 4])
    """
    dtype = _float_dtype("normal", dtype)
    gen = generator(seed)
    x = gen.standard_normal(shape_tuple("normal", shape)) * _scalar(stddev) + _scalar(mean)
    return place(x, dtype)


@op("TruncatedNormal", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: truncated_normal([2, 3], seed=1), ())], deterministic=False))
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal samples, redrawn until within two standard deviations of the mean (``tf.random.truncated_normal``).

    >>> x = d2l.random.truncated_normal([1000])
    >>> bool(d2l.reduce_max(d2l.abs(x)) <= 2.0)
    True
    """
    dtype = _float_dtype("truncated_normal", dtype)
    gen = generator(seed)
    z = gen.standard_normal(shape_tuple("truncated_normal", shape))
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = gen.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return place(z * _scalar(stddev) + _scalar(mean), dtype)


@op("RandomUniform", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: uniform([2, 3], seed=1), ())], deterministic=False))
def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples uniform in [minval, maxval) (``tf.random.uniform``); maxval defaults to 1 for floats.

    Integer dtypes need an explicit ``maxval``.

    >>> x = d2l.random.uniform([100], minval=2, maxval=3)
    >>> bool(d2l.reduce_all((x >= 2) & (x < 3)))
    True
    """
    dtype = dtypes.as_dtype(dtype)
    shape = shape_tuple("uniform", shape)
    gen = generator(seed)
    lo = _scalar(minval)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"uniform: an integer dtype ({dtype.name}) needs maxval")
        hi = _scalar(maxval)
        if hi <= lo:
            raise InvalidArgumentError(f"uniform: need minval < maxval, got {lo} and {hi}", op="uniform")
        return place(gen.integers(lo, hi, size=shape), dtype)
    hi = 1.0 if maxval is None else _scalar(maxval)
    dtype = _float_dtype("uniform", dtype)
    x = (gen.random(shape) * (hi - lo) + lo).astype(dtype.np)
    # Rounding to a narrower float can land exactly on maxval; step back below it.
    below_hi = np.nextafter(dtype.np.type(hi), dtype.np.type(lo))
    return place(np.minimum(x, below_hi) if hi > lo else x, dtype)


@op("RandomGamma", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: gamma([2], alpha=[1.0, 2.0], seed=1), ())], deterministic=False))
def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Samples from Gamma(alpha, beta) with rate ``beta`` (``tf.random.gamma``); shape + alpha's shape.

    >>> d2l.random.gamma([2], alpha=[1.0, 2.0, 3.0]).shape
    TensorShape([2, 3])
    """
    dtype = _float_dtype("gamma", dtype)
    a = np.asarray(_scalar(alpha), dtype=np.float64)
    b = np.ones_like(a) if beta is None else np.asarray(_scalar(beta), dtype=np.float64)
    full = shape_tuple("gamma", shape) + np.broadcast_shapes(a.shape, b.shape)
    return place(generator(seed).gamma(a, size=full) / b, dtype)


@op("RandomPoisson", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: poisson([3], lam=2.0, seed=1), ())], deterministic=False))
def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """Samples from Poisson(lam) (``tf.random.poisson``); shape + lam's shape.

    >>> d2l.random.poisson([3], lam=2.0).shape
    TensorShape([3])
    """
    lam = np.asarray(_scalar(lam), dtype=np.float64)
    full = shape_tuple("poisson", shape) + lam.shape
    return place(generator(seed).poisson(lam, size=full), dtypes.as_dtype(dtype))


def _shuffle_samples(rng):
    def reseeded(x):        # the same permutation on every call, so gradients can be checked
        set_seed(0)
        return shuffle(x, seed=1)
    return [Sample(reseeded, (rng.uniform(-2, 2, (4, 2)),))]


@op("RandomShuffle", exports=("random",),
    test=Test(samples=_shuffle_samples))
def shuffle(value, seed=None, name=None):
    """``value`` with its first axis randomly permuted (``tf.random.shuffle``).

    >>> d2l.random.set_seed(1)
    >>> sorted(d2l.random.shuffle([1, 2, 3]).numpy().tolist())
    [1, 2, 3]
    """
    x = as_tensor(value)
    if x.ndim == 0:
        return x     # nothing to permute, as in TensorFlow
    perm = generator(seed).permutation(x._value.shape[0])
    return take("shuffle", x, (backend.to_device(perm, backend.device_of(x._value)),))


@op("Multinomial", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(lambda: categorical([[0.0, 1.0, -1.0]], 4, seed=1), ())], deterministic=False))
def categorical(logits, num_samples, dtype=dtypes.int64, seed=None, name=None):
    """Draw class indices from unnormalised log-probabilities, one row per batch (``tf.random.categorical``).

    >>> d2l.random.categorical([[0.0, -1e9]], 3).numpy()
    array([[0, 0, 0]])
    """
    lg = as_tensor(logits).numpy().astype(np.float64)
    p = np.exp(lg - lg.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    gen = generator(seed)
    out = np.stack([gen.choice(p.shape[-1], size=int(num_samples), p=row) for row in p])
    return place(out, dtypes.as_dtype(dtype))


gradient("shuffle")(take_grad)      # a permutation: dy goes back to where each row came from
