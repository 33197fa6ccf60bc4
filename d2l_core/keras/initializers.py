"""Weight initializers (``tf.keras.initializers``).

An initializer is called with a shape and returns a tensor of starting
values: ``GlorotUniform()((784, 256))``. Layers take them as objects or by
name (``kernel_initializer='he_normal'``).

Seeds follow Keras: an initializer made with ``seed=`` returns the same
values every call; one without draws from the global random stream, so
``d2l.random.set_seed`` makes a whole model's initial weights repeatable.

>>> import d2l_core as d2l
>>> init = d2l.keras.initializers.GlorotUniform(seed=0)
>>> w = init((784, 256))
>>> bool(d2l.reduce_max(d2l.abs(w)) <= (6 / (784 + 256)) ** 0.5)
True
"""
import math

import numpy as np

from .. import dtypes
from ..ops import random as _random
from ..tensor import shape_tuple

__all__ = ["Initializer", "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform",
           "TruncatedNormal", "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeNormal",
           "HeUniform", "LecunNormal", "LecunUniform", "get", "serialize"]


def _float(dtype, who):
    dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(f"{who}: random initial values need a float dtype, got {dtype.name}; "
                        "use Zeros/Ones/Constant for integer weights")
    return dtype


class Initializer:
    """Base class: ``__call__(shape, dtype=None)`` returns a Tensor of initial values.

    >>> class Twos(Initializer):
    ...     def __call__(self, shape, dtype=None, **kwargs):
    ...         return d2l.fill(shape, 2.0)
    >>> d2l.keras.layers.Dense(2, kernel_initializer=Twos())(d2l.ones((1, 3))).numpy()
    array([[6., 6.]], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def _shape(self, shape):
        """``shape`` (a list, tuple, TensorShape or int) as a tuple of ints, checked."""
        return shape_tuple(type(self).__name__, shape)

    def get_config(self):
        """The constructor arguments, as a dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """An initializer made from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class _Random(Initializer):
    def __init__(self, seed=None):
        self.seed = seed

    def _rng(self):
        if self.seed is None:
            return _random.generator(None)
        return np.random.default_rng([int(self.seed), 0x1417])   # same values every call

    def get_config(self):
        return {"seed": self.seed}


class Zeros(Initializer):
    """All zeros (the default for biases).

    >>> d2l.keras.initializers.Zeros()((2,)).numpy()
    array([0., 0.], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
        return _random.place(np.zeros(self._shape(shape)), dtype)


class Ones(Initializer):
    """All ones.

    >>> d2l.keras.initializers.Ones()((2,)).numpy()
    array([1., 1.], dtype=float32)
    """

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
        return _random.place(np.ones(self._shape(shape)), dtype)


class Constant(Initializer):
    """Every value equal to ``value``.

    >>> d2l.keras.initializers.Constant(0.1)((2,)).numpy()
    array([0.1, 0.1], dtype=float32)
    """

    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
        return _random.place(np.broadcast_to(np.asarray(self.value), self._shape(shape)), dtype)

    def get_config(self):
        return {"value": self.value}


class RandomNormal(_Random):
    """Samples from N(mean, stddev²); Keras's default stddev is 0.05.

    >>> d2l.keras.initializers.RandomNormal(stddev=0.01, seed=1)((3, 2)).shape
    TensorShape([3, 2])
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float(dtype, "RandomNormal")
        x = self._rng().standard_normal(self._shape(shape)) * self.stddev + self.mean
        return _random.place(x, dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_Random):
    """Samples uniform in [minval, maxval); Keras's default is [-0.05, 0.05).

    >>> w = d2l.keras.initializers.RandomUniform(0.0, 1.0, seed=1)((100,))
    >>> bool(d2l.reduce_min(w) >= 0.0)
    True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float(dtype, "RandomUniform")
        x = self._rng().random(self._shape(shape)) * (self.maxval - self.minval) + self.minval
        return _random.place(x, dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


def _truncated(rng, shape):
    """Standard normal samples redrawn until within two standard deviations."""
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return z


class TruncatedNormal(_Random):
    """Normal samples, redrawn when more than two standard deviations from the mean.

    >>> w = d2l.keras.initializers.TruncatedNormal(stddev=1.0, seed=0)((1000,))
    >>> bool(d2l.reduce_max(d2l.abs(w)) <= 2.0)
    True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float(dtype, "TruncatedNormal")
        return _random.place(_truncated(self._rng(), self._shape(shape)) * self.stddev + self.mean,
                              dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


def _fans(shape):
    """Keras's fan-in and fan-out: for a Dense kernel (in, out); for convolutions times the window."""
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(_Random):
    """Scale the spread to the layer's size, so signals neither blow up nor die out.

    With n = fan_in, fan_out or their average (``mode``), the variance is
    ``scale / n``: ``'truncated_normal'`` uses stddev √(scale/n) / 0.8796 (the
    stddev of a normal truncated at ±2σ, as Keras does), ``'untruncated_normal'``
    √(scale/n), and ``'uniform'`` the limit √(3·scale/n).

    >>> init = d2l.keras.initializers.VarianceScaling(2.0, 'fan_in', 'uniform', seed=0)
    >>> bool(d2l.reduce_max(init((50, 10))) <= (6 / 50) ** 0.5)
    True
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive, got {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"VarianceScaling: mode must be 'fan_in', 'fan_out' or 'fan_avg', "
                             f"got {mode!r}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError("VarianceScaling: distribution must be 'truncated_normal', "
                             f"'untruncated_normal' or 'uniform', got {distribution!r}")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _float(dtype, type(self).__name__)
        shape = self._shape(shape)
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        scale = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            x = _truncated(rng, shape) * (math.sqrt(scale) / 0.87962566103423978)
        elif self.distribution == "untruncated_normal":
            x = rng.standard_normal(shape) * math.sqrt(scale)
        else:
            limit = math.sqrt(3.0 * scale)
            x = rng.random(shape) * (2 * limit) - limit
        return _random.place(x, dtype)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


class GlorotUniform(VarianceScaling):
    """Uniform in ±√(6 / (fan_in + fan_out)) (Xavier uniform): Dense's default kernel initializer.

    >>> w = d2l.keras.initializers.GlorotUniform(seed=1)((784, 256))
    >>> bool(d2l.reduce_max(d2l.abs(w)) <= (6 / 1040) ** 0.5)
    True
    """

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class GlorotNormal(VarianceScaling):
    """Truncated normal with stddev √(2 / (fan_in + fan_out)) (Xavier normal), as Keras.

    >>> d2l.keras.initializers.GlorotNormal(seed=1)((4, 4)).shape
    TensorShape([4, 4])
    """

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class HeNormal(VarianceScaling):
    """Truncated normal with stddev √(2 / fan_in): suits relu layers (Kaiming normal).

    >>> d2l.keras.initializers.HeNormal(seed=1)((4, 4)).shape
    TensorShape([4, 4])
    """

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class HeUniform(VarianceScaling):
    """Uniform in ±√(6 / fan_in) (Kaiming uniform).

    >>> d2l.keras.initializers.HeUniform(seed=1)((4, 4)).shape
    TensorShape([4, 4])
    """

    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


class LecunNormal(VarianceScaling):
    """Truncated normal with stddev √(1 / fan_in).

    >>> d2l.keras.initializers.LecunNormal(seed=1)((4, 4)).shape
    TensorShape([4, 4])
    """

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed}


class LecunUniform(VarianceScaling):
    """Uniform in ±√(3 / fan_in).

    >>> d2l.keras.initializers.LecunUniform(seed=1)((4, 4)).shape
    TensorShape([4, 4])
    """

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed}


_BY_NAME = {
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "random_normal": RandomNormal, "randomnormal": RandomNormal,
    "random_uniform": RandomUniform, "randomuniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "truncatednormal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "variancescaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorotuniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "glorotnormal": GlorotNormal,
    "he_normal": HeNormal, "henormal": HeNormal, "he_uniform": HeUniform, "heuniform": HeUniform,
    "lecun_normal": LecunNormal, "lecunnormal": LecunNormal,
    "lecun_uniform": LecunUniform, "lecununiform": LecunUniform,
}

# Keras also exposes the lower-case aliases as classes.
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
glorot_uniform, glorot_normal, he_normal, he_uniform = GlorotUniform, GlorotNormal, HeNormal, HeUniform
lecun_normal, lecun_uniform = LecunNormal, LecunUniform


def get(identifier):
    """An initializer from a name ('glorot_uniform'), a class, an instance or a function.

    >>> d2l.keras.initializers.get('he_normal')
    HeNormal(seed=None)
    """
    if identifier is None:
        return None
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown initializer: {identifier!r}. Use one of "
                             f"{sorted(k for k in _BY_NAME if '_' in k or k in ('zeros', 'ones', 'constant'))}")
        return cls()
    if isinstance(identifier, dict):
        cls = _BY_NAME.get(identifier.get("class_name", "").lower())
        if cls is None:
            raise ValueError(f"Unknown initializer config: {identifier!r}")
        return cls(**identifier.get("config", {}))
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if callable(identifier):
        return identifier       # a function (shape, dtype=None) -> values
    raise TypeError(f"Could not interpret initializer identifier: {identifier!r}; pass a name "
                    "such as 'glorot_uniform', an Initializer, or a function of the shape")


def serialize(initializer):
    """``{'class_name': ..., 'config': ...}`` for an initializer.

    >>> d2l.keras.initializers.serialize(d2l.keras.initializers.Zeros())
    {'class_name': 'Zeros', 'config': {}}
    """
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}
