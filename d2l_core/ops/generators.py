"""``tf.random.Generator`` and the stateless random ops: random numbers as a function of a state.

Two ways to control randomness besides ``tf.random.set_seed``:

* **stateless ops** (``stateless_normal(shape, seed=[1, 2])``): pure functions
  of (shape, seed); the same arguments give the same numbers, every time;
* **a Generator** keeps its state in a ``Variable`` (a Philox counter and
  key); every call hashes the counter and moves it on, so calls differ, and
  ``split`` makes generators whose streams never overlap.

Both use TensorFlow's Philox algorithm (``ops/philox.py``), so integers and
uniform floats equal TensorFlow's bit for bit and normals agree to the last
bit or so. Numbers are drawn on the host and moved to the op's device: a
seed gives the same values on the CPU and on a GPU.

>>> import d2l_core as d2l
>>> d2l.random.stateless_uniform([3], seed=[1, 2]).numpy()
array([0.8440604 , 0.19204533, 0.9962232 ], dtype=float32)
>>> g = d2l.random.Generator.from_seed(1)
>>> g.normal([2]).numpy()
array([ 0.43842274, -0.53439844], dtype=float32)
"""
import enum

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..tensor import Tensor, Variable, convert_to_tensor
from . import philox
from ._op import as_tensor, shape_tuple, wrap
from .random import place
from .registry import NOT_DIFFERENTIABLE, Sample, Test, op, random_shape


class Algorithm(enum.Enum):
    """Random-number algorithms (``tf.random.Algorithm``); d2l_core runs PHILOX (AUTO_SELECT is
    Philox, as on TensorFlow's CPU and GPU; THREEFRY needs XLA there and here is unsupported).

    >>> d2l.random.Algorithm.PHILOX.value
    1
    """
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_STATE_SIZE = {1: 3, 2: 2, 3: 3}        # int64 words: Philox's counter (2) and key (1)
_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
_INTS = (dtypes.int32, dtypes.int64)
_UINTS = (dtypes.uint32, dtypes.uint64)


def _alg_id(alg):
    """``alg`` (a name, an ``Algorithm`` or its number) as TensorFlow's number."""
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, int) and not isinstance(alg, bool):
        return alg
    if isinstance(alg, str):
        names = {"philox": 1, "threefry": 2, "autoselect": 3}
        canon = alg.strip().lower().replace("-", "").replace("_", "")
        if canon in names:
            return names[canon]
        raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are "
                         "philox for the Philox algorithm, threefry for the ThreeFry algorithm, "
                         "and auto_select for auto-selection.")
    raise TypeError(f"Can't convert argument `alg` (of value {alg} and type {type(alg)}) to int.")


def _philox_only(op, alg):
    if alg not in (1, 3):
        raise UnimplementedError(
            f"{op}: d2l_core supports only the Philox algorithm ('philox' or 'auto_select'), "
            f"got {alg}; TensorFlow too runs ThreeFry only under XLA", op=op)


def _seed(op, seed):
    """A stateless op's ``seed`` as two Python ints, checked: an int32/int64 tensor of shape [2]."""
    t = as_tensor(seed) if isinstance(seed, Tensor) else convert_to_tensor(seed)
    if t.dtype not in _INTS:
        raise InvalidArgumentError(
            f"{op}: seed must be int32 or int64, got dtype {t.dtype.name}; pass two integers, "
            "e.g. seed=[1, 2]", op=op)
    if tuple(t.shape) != (2,):
        raise InvalidArgumentError(
            f"{op}: seed must have shape [2], not {list(t.shape)}; a stateless op takes two "
            "integers, e.g. seed=[1, 2] (to derive more seeds use d2l.random.split)", op=op)
    s0, s1 = t.numpy().tolist()
    return s0, s1


def _key_counter(op, seed, alg):
    """The Philox (counter, key) of a stateless op's seed."""
    s0, s1 = _seed(op, seed)
    alg = _alg_id("auto_select" if alg is None else alg)
    if alg not in (1, 3):
        raise InvalidArgumentError(f"{op}: d2l_core supports only alg='philox' or 'auto_select' "
                                   f"(TensorFlow runs ThreeFry only under XLA), got {alg}", op=op)
    key, counter = philox.key_counter_from_seed(s0, s1)
    return counter, key


def _dtype(op, dtype, allowed):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise ValueError(f"{op}: dtype {dtype.name} is not supported; use one of {names}")
    return dtype


def _host(op, value, dtype, what):
    """``value`` (a number or tensor) as a host array of ``dtype``, TensorFlow's conversion rules."""
    t = as_tensor(value) if isinstance(value, Tensor) else convert_to_tensor(value, dtype=dtype)
    if t.dtype is not dtype:
        raise TypeError(f"{op}: {what} has dtype {t.dtype.name} but the result is {dtype.name}; "
                        f"cast it first: d2l.cast({what}, d2l.{dtype.name})")
    return t.numpy()


# ============================================================== the distributions, given (counter, key)
# Each returns a host array; callers place it on the device (``place``).

def _normal(op, counter, key, shape, mean, stddev, dtype):
    dtype = _dtype(op, dtype, _FLOATS)
    mean, stddev = _host(op, mean, dtype, "mean"), _host(op, stddev, dtype, "stddev")
    z = philox.normal(counter, key, _size(shape), dtype.np).reshape(shape)
    return z * stddev + mean, dtype


def _truncated_normal(op, counter, key, shape, mean, stddev, dtype):
    dtype = _dtype(op, dtype, _FLOATS)
    mean, stddev = _host(op, mean, dtype, "mean"), _host(op, stddev, dtype, "stddev")
    z = philox.truncated_normal(counter, key, _size(shape), dtype.np).reshape(shape)
    return z * stddev + mean, dtype


def _check_uniform(op, minval, maxval, dtype):
    """TensorFlow's rules: ints need both bounds or neither (the full range); floats default to [0, 1)."""
    dtype = _dtype(op, dtype, _FLOATS + _INTS + _UINTS)
    if dtype.is_integer and (minval is None) != (maxval is None):
        raise ValueError(f"{op}: for the integer dtype {dtype.name}, minval and maxval must be both "
                         f"None (the whole range) or both given; got minval={minval} and "
                         f"maxval={maxval}")
    if dtype in _UINTS and minval is not None:
        raise ValueError(f"{op}: unsigned dtype {dtype.name} draws only the whole range "
                         "(minval=None, maxval=None); use int32 or int64 for a range")
    return dtype


def _uniform(op, counter, key, shape, minval, maxval, dtype):
    n = _size(shape)
    if dtype.is_integer:
        if minval is None:
            return philox.full_int(counter, key, n, dtype.np).reshape(shape)
        lo, hi = _host(op, minval, dtype, "minval"), _host(op, maxval, dtype, "maxval")
        if lo.ndim or hi.ndim:
            raise InvalidArgumentError(f"{op}: integer minval and maxval must be scalars (0-D), "
                                       f"got shapes {list(lo.shape)} and {list(hi.shape)}", op=op)
        if not lo < hi:
            raise InvalidArgumentError(f"{op}: need minval < maxval, got {lo} >= {hi}", op=op)
        return philox.uniform_int(counter, key, n, lo, hi, dtype.np).reshape(shape)
    lo = _host(op, minval, dtype, "minval")
    hi = _host(op, 1 if maxval is None else maxval, dtype, "maxval")
    return philox.uniform(counter, key, n, dtype.np).reshape(shape) * (hi - lo) + lo


def _size(shape):
    return int(np.prod(shape, dtype=np.int64))


def _numpy_generator(counter, key):
    """A NumPy Generator seeded by a Philox (counter, key): for the distributions TensorFlow
    computes with rejection loops d2l_core does not replicate (binomial, Poisson)."""
    return np.random.Generator(np.random.Philox(counter=counter, key=key))


# ============================================================== stateless ops

def _seed_array(rng):
    return rng.integers(-2 ** 31, 2 ** 31, size=2).astype(rng.choice([np.int32, np.int64]))


def _stateless_samples(call, golden):
    """Samples for a stateless op: TensorFlow's own numbers for a few fixed calls (``golden``:
    ``(fn, expected)``), and a call drawn from ``rng`` for the device and graph-mode twins."""
    def samples(rng):
        fixed = [Sample(fn, (), lambda want=want: np.asarray(want)) for fn, want in golden]
        shape = random_shape(rng, max_side=5)
        return fixed + [Sample(lambda s, shape=shape: call(shape, s), (_seed_array(rng),))]
    return samples


@op("StatelessRandomNormalV2", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_stateless_samples(lambda shape, s: stateless_normal(shape, s), [
        (lambda: stateless_normal([2, 3], seed=[1, 2]),
         [[0.5441101, 0.2073803, 0.07356432], [0.04643455, -1.3015898, -0.9538565]]),
        (lambda: stateless_normal([3], [5, 6], mean=1.0, stddev=2.0, dtype=dtypes.float64),
         [4.822027041934792, -1.033522489493532, 2.8389948620662624])])))
def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """Normal samples that are a pure function of ``(shape, seed)`` (``tf.random.stateless_normal``).

    ``seed`` is two integers (an int32 or int64 tensor of shape [2]).

    >>> a = d2l.random.stateless_normal([2, 3], seed=[1, 2])
    >>> bool(d2l.reduce_all(a == d2l.random.stateless_normal([2, 3], seed=[1, 2])))
    True
    """
    shape = shape_tuple("stateless_normal", shape)
    counter, key = _key_counter("stateless_normal", seed, alg)
    return place(*_normal("stateless_normal", counter, key, shape, mean, stddev, dtype))


@op("StatelessTruncatedNormalV2", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_stateless_samples(lambda shape, s: stateless_truncated_normal(shape, s), [
        (lambda: stateless_truncated_normal([5], seed=[1, 2]),
         [0.5441101, 0.2073803, 0.07356432, 0.04643455, 0.16820592])])))
def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """Normal samples within two stddevs of the mean, a pure function of ``(shape, seed)``
    (``tf.random.stateless_truncated_normal``).

    >>> x = d2l.random.stateless_truncated_normal([1000], seed=[3, 4])
    >>> bool(d2l.reduce_max(d2l.abs(x)) < 2.0)
    True
    """
    op_name = "stateless_truncated_normal"
    shape = shape_tuple(op_name, shape)
    counter, key = _key_counter(op_name, seed, alg)
    return place(*_truncated_normal(op_name, counter, key, shape, mean, stddev, dtype))


@op("StatelessRandomUniformV2", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_stateless_samples(lambda shape, s: stateless_uniform(shape, s), [
        (lambda: stateless_uniform([2, 3], seed=[1, 2]),
         [[0.8440604, 0.19204533, 0.9962232], [0.1603874, 0.27199018, 0.649346]]),
        (lambda: stateless_uniform([4], [7, -3], minval=-5, maxval=5, dtype=dtypes.int32),
         [2, -3, 3, 3]),
        (lambda: stateless_uniform([3], [3, 4], minval=None, maxval=None, dtype=dtypes.int64),
         [-2882898006462487541, 4520458231610095266, -3428664559879909945])])))
def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """Uniform samples in [minval, maxval), a pure function of ``(shape, seed)``
    (``tf.random.stateless_uniform``).

    Floats default to [0, 1). Integers need both bounds, or neither for the
    integer type's whole range (``minval=None, maxval=None``).

    >>> d2l.random.stateless_uniform([4], seed=[7, -3], minval=-5, maxval=5, dtype=d2l.int32).numpy()
    array([ 2, -3,  3,  3], dtype=int32)
    """
    shape = shape_tuple("stateless_uniform", shape)
    dtype = _check_uniform("stateless_uniform", minval, maxval, dtype)
    counter, key = _key_counter("stateless_uniform", seed, alg)
    return place(_uniform("stateless_uniform", counter, key, shape, minval, maxval, dtype), dtype)


@op("StatelessMultinomial", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [
        Sample(lambda: stateless_categorical([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]], 5, seed=[1, 2]),
               (), lambda: np.array([[2, 2, 1, 2, 2], [0, 0, 0, 0, 0]])),
        Sample(lambda: stateless_categorical(
            [[0.0, -np.inf, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 5.0, 0.0]], 7, [4, 9],
            dtype=dtypes.int32), (),
            lambda: np.array([[3, 2, 0, 3, 2, 0, 2], [0, 2, 2, 0, 1, 3, 3], [2, 2, 2, 2, 2, 2, 2]])),
        Sample(lambda logits, s: stateless_categorical(logits, 3, s),
               (rng.uniform(-2, 2, (int(rng.integers(1, 4)), 4)), _seed_array(rng)))]))
def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Class indices drawn from each row of unnormalised log-probabilities ``logits``
    ([batch, classes]), a pure function of the arguments (``tf.random.stateless_categorical``).

    Classes whose logit is not finite (``-inf``) are never drawn.

    >>> d2l.random.stateless_categorical([[0.0, 1.0, 2.0]], 5, seed=[1, 2]).numpy()
    array([[2, 2, 1, 2, 2]])
    """
    op_name = "stateless_categorical"
    dtype = _dtype(op_name, dtype, _INTS)
    lg = as_tensor(logits)
    if lg.ndim != 2:
        raise InvalidArgumentError(f"{op_name}: logits should be a matrix [batch, classes], got "
                                   f"shape {list(lg.shape)}; add a batch axis, e.g. [logits]", op=op_name)
    counter, key = _key_counter(op_name, seed, None)
    lg = lg.numpy().astype(np.float64)
    batch, num_samples = lg.shape[0], int(num_samples)
    finite = np.isfinite(lg)
    top = np.where(finite, lg, -np.inf).max(axis=1, keepdims=True, initial=-np.inf)
    cdf = np.cumsum(np.where(finite, np.exp(lg - top), 0.0), axis=1)
    # TensorFlow's CPU kernel reads one stream, two words per sample, row after row
    # (its multi-threaded split of big batches is not reproduced).
    w = philox.words(counter, key, 2 * batch * num_samples).reshape(batch, num_samples, 2)
    u = philox.unit_float64(w[..., 0], w[..., 1]) * cdf[:, -1:]
    out = np.stack([np.searchsorted(cdf[b], u[b], side="right") for b in range(batch)]) \
        if batch else np.zeros((0, num_samples), np.int64)
    return place(out.reshape(batch, num_samples), dtype)


@op("StatelessRandomBinomial", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(
        lambda s: stateless_binomial([2, 3], s, counts=[5.0, 10.0, 20.0], probs=0.5),
        (_seed_array(rng),))]))
def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial samples (successes in ``counts`` trials of probability ``probs``), a pure
    function of the arguments (``tf.random.stateless_binomial``); ``counts`` and ``probs``
    broadcast against the right of ``shape``. Not TensorFlow's numbers (see the module note).

    >>> d2l.random.stateless_binomial([3], seed=[1, 2], counts=10.0, probs=0.0).numpy()
    array([0, 0, 0], dtype=int32)
    """
    shape = shape_tuple("stateless_binomial", shape)
    counter, key = _key_counter("stateless_binomial", seed, None)
    n, p = as_tensor(counts).numpy(), as_tensor(probs).numpy()
    draws = _numpy_generator(counter, key).binomial(n.astype(np.int64), p, size=shape)
    return place(draws, dtypes.as_dtype(output_dtype))


@op("StatelessRandomPoisson", exports=("random",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [Sample(
        lambda s: stateless_poisson([2, 3], s, lam=[0.5, 2.0, 30.0]), (_seed_array(rng),))]))
def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Poisson samples of rate ``lam``, a pure function of the arguments
    (``tf.random.stateless_poisson``). Not TensorFlow's numbers (see the module note).

    >>> d2l.random.stateless_poisson([2, 2], seed=[1, 2], lam=3.0).shape
    TensorShape([2, 2])
    """
    shape = shape_tuple("stateless_poisson", shape)
    counter, key = _key_counter("stateless_poisson", seed, None)
    draws = _numpy_generator(counter, key).poisson(as_tensor(lam).numpy(), size=shape)
    return place(draws, dtypes.as_dtype(dtype))


@op("StatelessRandomUniformFullIntV2", exports=("random.split",),
    grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [
        Sample(lambda: stateless_split([1, 2], 3), (), lambda: np.array(
            [[1105988140, 1738052849], [-335576002, 370444179], [10670227, -246211131]])),
        Sample(lambda s, num=int(rng.integers(1, 4)): stateless_split(s, num),
               (_seed_array(rng),))]))
def stateless_split(seed, num=2, alg="auto_select"):
    """``num`` new seeds, shape [num, 2], derived from ``seed`` (``tf.random.split``,
    ``tf.random.experimental.stateless_split``); they give independent streams.

    >>> d2l.random.split([1, 2], num=3).shape
    TensorShape([3, 2])
    """
    t = as_tensor(seed) if isinstance(seed, Tensor) else convert_to_tensor(seed)
    return stateless_uniform([num, 2], t, minval=None, maxval=None, dtype=t.dtype, alg=alg)


@op("StatelessRandomUniformFullIntV2", exports=("random.fold_in",),
    grad=NOT_DIFFERENTIABLE,
    test=Test(samples=lambda rng: [
        Sample(lambda: stateless_fold_in([1, 2], 7), (), lambda: np.array([1105988140, 7])),
        Sample(lambda s: stateless_fold_in(s, 5), (_seed_array(rng).astype(np.int32),))]))
def stateless_fold_in(seed, data, alg="auto_select"):
    """A new seed from ``seed`` and an integer ``data`` (``tf.random.fold_in``,
    ``tf.random.experimental.stateless_fold_in``), e.g. one seed per step or per worker.

    >>> d2l.random.fold_in([1, 2], 7).numpy()
    array([1105988140,          7], dtype=int32)
    """
    data = as_tensor(data) if isinstance(data, Tensor) else convert_to_tensor(data)
    first = stateless_uniform([], seed, minval=None, maxval=None, dtype=data.dtype, alg=alg)
    return place(np.stack([first.numpy(), data.numpy()]), data.dtype)


# ============================================================== states and Generator

def create_rng_state(seed, alg):
    """The state a Generator made ``from_seed(seed, alg)`` starts in (``tf.random.create_rng_state``).

    An int is cut into 64-bit words, lowest first; a list is taken as words
    and padded with zeros on the left (the counter), so a short seed sets the key.

    >>> d2l.random.create_rng_state(1234, "philox").numpy()
    array([1234,    0,    0])
    >>> d2l.random.create_rng_state([12, 34], "philox").numpy()
    array([ 0, 12, 34])
    """
    size = _STATE_SIZE.get(_alg_id(alg))
    if size is None:
        raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are 1 for "
                         "the Philox algorithm, 2 for the ThreeFry algorithm, and 3 for "
                         "auto-selection.")
    if isinstance(seed, int):       # Python ints only, as in TensorFlow (np.int64 is a list of one)
        words = [(seed >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(size)]
    else:
        words = np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed).reshape(-1)
        words = [int(w) for w in words][:size]
        words = [0] * (size - len(words)) + words
    return wrap(_int64_words(words))


def _int64_words(words):
    """Python ints (any of them up to 2**64) as an int64 array, the way TensorFlow stores them."""
    return np.array([w & 0xFFFFFFFFFFFFFFFF for w in words], np.uint64).view(np.int64)


class Generator:
    """A random-number generator with its state in a Variable (``tf.random.Generator``).

    Each call hashes the state's counter with its key (Philox) and moves the
    counter on, so calls give new numbers; the same seed gives the same
    sequence of calls' numbers, on any device. Make one with ``from_seed``,
    ``from_non_deterministic_state``, ``from_state`` or ``split``.

    >>> g = d2l.random.Generator.from_seed(1234)
    >>> g.state.numpy()
    array([1234,    0,    0])
    >>> g.normal([2, 3]).shape
    TensorShape([2, 3])
    >>> g.state.numpy()         # the counter moved on by 6 numbers (256 per number)
    array([2770,    0,    0])
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("Generator: pass either copy_from or (state, alg), not both")
            state, alg = copy_from.state.numpy(), copy_from.algorithm
        elif state is None or alg is None:
            raise ValueError("Generator: give both state and alg (or use Generator.from_seed(seed))")
        self._alg = _alg_id(alg)
        size = _STATE_SIZE.get(self._alg)
        if isinstance(state, Variable):
            self._check_shape(state.shape, size)
            self._state_var = state
            return
        array = np.asarray(state.numpy() if isinstance(state, Tensor) else state)
        array = _int64_words([int(w) for w in array.reshape(-1)]).reshape(array.shape)
        self._check_shape(array.shape, size)
        self._state_var = Variable(array, trainable=False, name="StateVar")

    @staticmethod
    def _check_shape(shape, size):
        if tuple(shape) != (size,):
            raise ValueError(f"Generator: the state must have shape [{size}] for this algorithm, "
                             f"got {list(shape)}")

    # ---- making generators
    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state comes from ``seed`` (an int, or a list of ints).

        >>> g = d2l.random.Generator.from_seed(1)
        >>> bool(g.normal([]) != g.normal([]))        # the state moves on
        True
        """
        alg = _alg_id("philox" if alg is None else alg)
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator with a state from the operating system's entropy: different every run.

        >>> d2l.random.Generator.from_non_deterministic_state().state.shape
        TensorShape([3])
        """
        alg = _alg_id("philox" if alg is None else alg)
        words = np.random.default_rng().integers(0, 2 ** 64, size=_STATE_SIZE[alg],
                                                 dtype=np.uint64)
        return cls(state=words.view(np.int64), alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        """A generator starting from ``state`` (int64 words; for Philox [counter_lo, counter_hi, key]).

        >>> d2l.random.Generator.from_state([5, 0, 7], "philox").key.numpy()
        np.int64(7)
        """
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a Philox ``key`` (an int) and ``counter`` (two int64 words).

        >>> d2l.random.Generator.from_key_counter(5, [1, 2], "philox").state.numpy()
        array([1, 2, 5])
        """
        return cls(state=_key_counter_state(key, counter), alg=alg)

    # ---- its state
    @property
    def state(self):
        """The state Variable (int64): for Philox, the 128-bit counter then the 64-bit key."""
        return self._state_var

    @property
    def algorithm(self):
        """The algorithm's number (1: Philox)."""
        return self._alg

    @property
    def key(self):
        """The key part of the state, a scalar int64 tensor."""
        return self._state_var[-1]

    def reset(self, state):
        """Set the state to ``state``.

        >>> g = d2l.random.Generator.from_seed(1); g.reset([1, 0, 0]); g.state.numpy()
        array([1, 0, 0])
        """
        self._state_var.assign(Generator(state=state, alg=self._alg).state.numpy())

    def reset_from_seed(self, seed):
        """Restart from ``seed``: the numbers repeat those of ``Generator.from_seed(seed)``.

        >>> g = d2l.random.Generator.from_seed(1)
        >>> a = g.normal([])
        >>> g.reset_from_seed(1)
        >>> bool(g.normal([]) == a)
        True
        """
        self._state_var.assign(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key, counter):
        """Set the state to a Philox ``key`` and ``counter``."""
        self._state_var.assign(_key_counter_state(key, counter))

    def skip(self, delta):
        """Move the counter on as ``delta`` numbers would; returns the state before.

        >>> g = d2l.random.Generator.from_seed(1)
        >>> g.skip(3).numpy(), g.state.numpy()
        (array([1, 0, 0]), array([769,   0,   0]))
        """
        _philox_only("Generator.skip", self._alg)
        old = self._state_var.numpy()
        words = old.view(np.uint64)
        counter = int(words[0]) | int(words[1]) << 64
        step = int(delta) * philox.SKIP_PER_ELEMENT & 0xFFFFFFFFFFFFFFFF    # TF's uint64 delta
        counter = (counter + step) % 2 ** 128
        self._state_var.assign(_int64_words([counter, counter >> 64, int(words[2])]))
        return wrap(old)

    def _draw(self, op, shape):
        """The shape checked, and the (counter, key) of this call's numbers; the state moves on."""
        shape = shape_tuple(op, shape)
        old = self.skip(_size(shape)).numpy().view(np.uint64)
        return shape, int(old[0]) | int(old[1]) << 64, int(old[2])

    # ---- numbers
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal samples N(mean, stddev²) (``tf.random.Generator.normal``).

        >>> d2l.random.Generator.from_seed(1).normal([2, 3]).shape
        TensorShape([2, 3])
        """
        _dtype("Generator.normal", dtype, _FLOATS)
        shape, counter, key = self._draw("Generator.normal", shape)
        return place(*_normal("Generator.normal", counter, key, shape, mean, stddev, dtype))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal samples redrawn until within two stddevs of the mean.

        >>> x = d2l.random.Generator.from_seed(1).truncated_normal([100])
        >>> bool(d2l.reduce_max(d2l.abs(x)) < 2.0)
        True
        """
        op_name = "Generator.truncated_normal"
        _dtype(op_name, dtype, _FLOATS)
        shape, counter, key = self._draw(op_name, shape)
        return place(*_truncated_normal(op_name, counter, key, shape, mean, stddev, dtype))

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform samples in [minval, maxval): floats default to [0, 1); integers need both
        bounds, or neither for the whole range (``minval=None, maxval=None``).

        >>> d2l.random.Generator.from_seed(1).uniform([3], 0, 10, dtype=d2l.int32).dtype
        tf.int32
        """
        dtype = _check_uniform("Generator.uniform", minval, maxval, dtype)
        shape, counter, key = self._draw("Generator.uniform", shape)
        return place(_uniform("Generator.uniform", counter, key, shape, minval, maxval, dtype),
                     dtype)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers over ``dtype``'s whole range (uint64 by default).

        >>> d2l.random.Generator.from_seed(1).uniform_full_int([2]).dtype
        tf.uint64
        """
        return self.uniform(shape, minval=None, maxval=None, dtype=dtype)

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Binomial samples: successes in ``counts`` trials of probability ``probs``, which
        broadcast against the right of ``shape``. Not TensorFlow's numbers (its rejection
        sampler is not replicated), but seeded the same way.

        >>> d2l.random.Generator.from_seed(1).binomial([2], counts=[10.0, 20.0], probs=1.0).numpy()
        array([10, 20], dtype=int32)
        """
        shape, counter, key = self._draw("Generator.binomial", shape)
        n, p = as_tensor(counts).numpy(), as_tensor(probs).numpy()
        draws = _numpy_generator(counter, key).binomial(n.astype(np.int64), p, size=shape)
        return place(draws, dtypes.as_dtype(dtype))

    # ---- more seeds and generators
    def make_seeds(self, count=1):
        """``count`` seeds for stateless ops, shape [2, count] (take column ``seeds[:, i]``).

        >>> seeds = d2l.random.Generator.from_seed(1).make_seeds(3)
        >>> seeds.shape, seeds.dtype
        (TensorShape([2, 3]), tf.int64)
        """
        keys = self.uniform_full_int([count], dtype=dtypes.int64).numpy()
        return place(np.stack([keys, np.zeros_like(keys)]), dtypes.int64)

    def split(self, count=1):
        """``count`` new generators whose streams are independent of each other and of this one's.

        >>> a, b = d2l.random.Generator.from_seed(1).split(2)
        >>> bool(a.normal([]) != b.normal([]))
        True
        """
        keys = self.uniform_full_int([count], dtype=dtypes.int64).numpy()
        size = _STATE_SIZE[self._alg]
        return [Generator(state=[0] * (size - 1) + [int(k)], alg=self._alg) for k in keys]


def _key_counter_state(key, counter):
    words = np.asarray(counter.numpy() if isinstance(counter, Tensor) else counter).reshape(-1)
    key = key.numpy() if isinstance(key, Tensor) else key
    return _int64_words([int(w) for w in words] + [int(key)])


class _Global:
    generator = None


def get_global_generator():
    """The global Generator (``tf.random.get_global_generator``), made from a non-deterministic
    state on first use; ``reset_from_seed`` makes it repeatable.

    >>> g = d2l.random.get_global_generator()
    >>> g is d2l.random.get_global_generator()
    True
    """
    if _Global.generator is None:
        _Global.generator = Generator.from_non_deterministic_state()
    return _Global.generator


def set_global_generator(generator):
    """Replace the global Generator (``tf.random.set_global_generator``); resetting the one
    there (``reset_from_seed``) is usually better.

    >>> d2l.random.set_global_generator(d2l.random.Generator.from_seed(5))
    >>> d2l.random.get_global_generator().state.numpy()
    array([5, 0, 0])
    """
    if not isinstance(generator, Generator):
        raise TypeError(f"set_global_generator: expected a d2l.random.Generator, got "
                        f"{type(generator).__name__}; make one with "
                        "d2l.random.Generator.from_seed(seed)")
    _Global.generator = generator
