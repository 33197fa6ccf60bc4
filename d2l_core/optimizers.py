"""Optimizers: rules that turn gradients into Variable updates (``tf.keras.optimizers``).

Every optimizer follows one loop: ``apply_gradients(zip(grads, variables))``
updates each variable in place (its ``id()`` never changes) and counts a step
in ``iterations``. Update arithmetic follows TensorFlow/Keras exactly,
including where each ``epsilon`` sits. Updates run on the raw arrays of the
variable's own device, outside any tape: on a GPU each rule's update is one
fused kernel per variable (see "fused GPU updates" below), with no host sync.

>>> import d2l_core as d2l
>>> w = d2l.Variable(1.0)
>>> opt = d2l.keras.optimizers.SGD(learning_rate=0.1)
>>> _ = opt.apply_gradients([(d2l.constant(2.0), w)])
>>> float(w)   # 1 - 0.1 * 2
0.8
"""
import math

import numpy as np

from . import _logging, backend, fused
from .autodiff import GradientTape
from .errors import InvalidArgumentError
from .function import stateful
from .backend import xp_of
from .tensor import Tensor, Variable, array_of, set_array, wrap


# ================================================================ schedules

class LearningRateSchedule:
    """A learning rate that depends on the step number: ``schedule(step) -> float``.

    Subclass it and define ``__call__``; an optimizer calls it with its step count.

    >>> class Halving(LearningRateSchedule):
    ...     def __call__(self, step):
    ...         return 0.1 * 0.5 ** step
    >>> Halving()(2)
    0.025
    >>> opt = d2l.keras.optimizers.SGD(learning_rate=Halving())
    """

    def __call__(self, step):
        raise NotImplementedError

    def get_config(self):
        return dict(vars(self))


class ExponentialDecay(LearningRateSchedule):
    """lr = initial · decay_rate^(step / decay_steps); with ``staircase`` the exponent is floored.

    >>> s = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> round(s(10), 6), round(s(20), 6)
    (0.05, 0.025)
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        if decay_steps <= 0:
            raise ValueError(f"ExponentialDecay: decay_steps must be positive, got {decay_steps}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = decay_steps
        self.decay_rate = float(decay_rate)
        self.staircase = staircase

    def __call__(self, step):
        p = float(step) / self.decay_steps
        return self.initial_learning_rate * self.decay_rate ** (math.floor(p) if self.staircase else p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while step <= ``boundaries[i]``, then the last value.

    >>> s = PiecewiseConstantDecay([100], [0.1, 0.01])
    >>> s(100), s(101)
    (0.1, 0.01)
    """

    def __init__(self, boundaries, values, name=None):
        if len(values) != len(boundaries) + 1:
            raise ValueError("PiecewiseConstantDecay: need one more value than boundaries, got "
                             f"{len(boundaries)} boundaries and {len(values)} values")
        self.boundaries, self.values = list(boundaries), list(values)

    def __call__(self, step):
        for b, v in zip(self.boundaries, self.values):
            if step <= b:
                return v
        return self.values[-1]


class InverseTimeDecay(LearningRateSchedule):
    """lr = initial / (1 + decay_rate · step / decay_steps).

    >>> InverseTimeDecay(1.0, 1, 1.0)(1)
    0.5
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps, self.decay_rate, self.staircase = decay_steps, float(decay_rate), staircase

    def __call__(self, step):
        p = float(step) / self.decay_steps
        return self.initial_learning_rate / (1 + self.decay_rate * (math.floor(p) if self.staircase else p))


class schedules:  # noqa: N801  (keras.optimizers.schedules)
    """``keras.optimizers.schedules``: learning rates that change with the step.

    >>> lr = d2l.keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
    >>> opt = d2l.keras.optimizers.SGD(learning_rate=lr)
    >>> round(lr(100), 6)
    0.05
    """

    LearningRateSchedule = LearningRateSchedule
    ExponentialDecay = ExponentialDecay
    PiecewiseConstantDecay = PiecewiseConstantDecay
    InverseTimeDecay = InverseTimeDecay


# ================================================================ fused GPU updates

# On a GPU every operation is a kernel launch that costs the host microseconds, however
# small the array; so each rule below also has one fused kernel (d2l_core.fused) doing
# its whole update in one pass. Every kernel starts with these statements, Keras's options
# with neutral values when unset: clipvalue (clip = inf), clipnorm or global_clipnorm
# (scale = 1) and decoupled weight decay (decay = 0; `where` keeps w exact then, inf too).
# Each statement repeats the CPU path's arithmetic in its order, so results agree to the bit
# on the CPU stand-in (a GPU's sqrt and division round as NumPy's; fused.py turns off FMA).
_INPUTS = "T g, T w, T scale, T clip, T decay"
_PREPARE = ("T gc = minimum(maximum(g * scale, -clip), clip); "
            "T wd = where(decay == 0, w, w - decay * w); ")

# min(1, clip / norm) from a sum of squares, on the device: no float() of the norm.
_clip_scale = fused.Elementwise(
    "clip_scale", "T squares, T clip", "T scale",
    "T norm = sqrt(squares); scale = where(norm > clip, clip / norm, 1.0)")


def _on_one_gpu(pairs):
    """Whether every variable lives on one GPU (then the fused kernels run)."""
    arrays = [array_of(v) for _, v in pairs]
    if any(type(a) is np.ndarray for a in arrays):
        return False
    return len({a.device.id for a in arrays}) == 1


# ================================================================ the base class

class Optimizer:
    """Base class: checks the (gradient, variable) pairs and keeps per-variable slots.

    Every optimizer also takes Keras's keyword arguments (at most one of the
    three clipping ones):

    - ``clipnorm``: scale each gradient down so its norm is at most this;
    - ``clipvalue``: clip each gradient element to [-clipvalue, clipvalue];
    - ``global_clipnorm``: scale all gradients by one factor so the norm of
      them all together is at most this (``tf.clip_by_global_norm``);
    - ``weight_decay``: decoupled weight decay (as in AdamW): before its
      update, each variable shrinks by ``w ← w - lr·weight_decay·w``.

    >>> w = d2l.Variable(1.0)
    >>> sgd = d2l.keras.optimizers.SGD(learning_rate=0.1, weight_decay=0.5, clipnorm=1.0)
    >>> _ = sgd.apply_gradients([(d2l.constant(4.0), w)])
    >>> round(float(w), 4)       # w = 1 - 0.1·0.5·1 = 0.95, then - 0.1·1 (g clipped to 1)
    0.85

    Subclasses implement ``_update(xp, w, g, slots, lr, step)`` on raw arrays
    and return the new value of ``w``.
    """

    _slot_names = ()
    _CLIPS = ("clipnorm", "clipvalue", "global_clipnorm")
    # A rule's fused GPU update, (g, w, scale, clip, decay, out, slots, lr, step) -> None,
    # writing the new w into `out` and the slots in place; None: the NumPy-style path only.
    _fused = None

    def __init__(self, learning_rate=0.001, name=None, **kwargs):
        unknown = set(kwargs) - {*self._CLIPS, "weight_decay"}
        if unknown:
            raise TypeError(f"{type(self).__name__}: unexpected arguments {sorted(unknown)}")
        given = {k: kwargs[k] for k in self._CLIPS if kwargs.get(k) is not None}
        if len(given) > 1:
            raise ValueError(f"{type(self).__name__}: only one of clipnorm, clipvalue and "
                             f"global_clipnorm can be set, got {given}")
        for key, value in given.items():
            if not float(value) > 0:
                raise ValueError(f"{type(self).__name__}: {key} must be positive, got {value}")
        self.learning_rate = learning_rate
        self.clipnorm = kwargs.get("clipnorm")
        self.clipvalue = kwargs.get("clipvalue")
        self.global_clipnorm = kwargs.get("global_clipnorm")
        self.weight_decay = kwargs.get("weight_decay")
        self.name = name or type(self).__name__
        self.iterations = Variable(np.int64(0), trainable=False, name="iteration")
        # The step number as a Python int, beside the array it was read from (or set to):
        # reading a GPU array is a host sync, so it is read again only if someone assigned
        # ``iterations`` meanwhile (a restore, a user's assign).
        self._step_array, self._step_count = array_of(self.iterations), 0
        self._slots = {}      # id(variable) -> (variable, {slot name: array})

    @property
    def lr(self):
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        self.learning_rate = value

    def _has_fused(self):
        # The fused kernel does the arithmetic of the _update beside it: a subclass with
        # its own _update (a variant of the rule) takes the NumPy-style path.
        cls = type(self)
        if cls._fused is None:
            return False
        owner = cls._fused.__qualname__.rpartition(".")[0]
        return cls._update.__qualname__.rpartition(".")[0] == owner

    def _steps_done(self):
        """The number of steps taken (``iterations``), without a host sync when it can."""
        array = array_of(self.iterations)
        if array is not self._step_array:           # assigned from outside: read it once
            self._step_array, self._step_count = array, int(array)
        return self._step_count

    def _count_step(self, step):
        """Set ``iterations`` to ``step``: on a GPU, +1 on the device (no host -> device copy)."""
        old = array_of(self.iterations)
        if type(old) is np.ndarray:
            new = np.asarray(step, dtype=np.int64)
        else:
            new = old + 1                               # one launch; 1 travels as a kernel argument
        set_array(self.iterations, new)
        self._step_array, self._step_count = new, step

    def _current_lr(self):
        # As in Keras: a schedule gets the step count; any other callable takes no arguments.
        lr = self.learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = lr(self._steps_done())
        elif callable(lr):
            lr = lr()
        return float(lr)

    def variables(self):
        """The optimizer's state: the step counter and every slot (as Tensors).

        The slots are copied: updates change the optimizer's own arrays in place.
        """
        return [self.iterations] + [wrap(a.copy()) for _, slots in self._slots.values()
                                    for a in slots.values()]

    def _pairs(self, grads_and_vars):
        pairs, missing = [], []
        for item in grads_and_vars:
            try:
                g, v = item
            except (TypeError, ValueError):
                raise TypeError(f"apply_gradients: expected (gradient, variable) pairs, got "
                                f"{item!r:.60}; pass zip(grads, variables)") from None
            if not isinstance(v, Variable):
                raise TypeError(f"apply_gradients: can only update d2l.Variable objects, got a "
                                f"{type(v).__name__}; wrap parameters in d2l.Variable(...)")
            if g is None:
                missing.append(v.name)
                continue
            if not isinstance(g, Tensor):
                from .tensor import convert_to_tensor
                g = convert_to_tensor(g, dtype=v.dtype)
            if g.dtype is not v.dtype:
                raise InvalidArgumentError(
                    f"apply_gradients: gradient dtype {g.dtype.name} does not match variable "
                    f"'{v.name}' dtype {v.dtype.name}")
            if array_of(g).shape != array_of(v).shape:
                raise InvalidArgumentError(
                    f"apply_gradients: gradient shape {tuple(array_of(g).shape)} does not match "
                    f"variable '{v.name}' shape {tuple(array_of(v).shape)}; did you pair the "
                    "gradients and variables in the same order?")
            pairs.append((g, v))
        if missing and not pairs:
            raise ValueError(
                f"No gradients provided for any variable: {missing}. Every gradient is None, "
                "which means the tape saw no path from these variables to the loss: compute the "
                "loss from them with d2l ops inside the GradientTape (not NumPy, .numpy() or "
                "float()), and pass the loss as the target of tape.gradient")
        if missing:
            _logging.warning(f"Gradients do not exist for variables {missing} when minimizing "
                             "the loss. If you're using `model.compile()`, did you forget to "
                             "provide a `loss` argument? Otherwise, check that the loss depends "
                             "on these variables (a None gradient means it does not).")
        return pairs

    @stateful        # inside d2l.function: a step of the plan, run on every call
    def apply_gradients(self, grads_and_vars, name=None, **kwargs):
        """Update each variable from its gradient; skips None gradients with a warning.

        ``grads_and_vars`` is any iterable of (gradient, Variable) pairs, usually
        ``zip(grads, variables)``. Returns the step counter ``iterations`` (after
        incrementing it). If every gradient is None, nothing could be learned:
        that is a ValueError, as in Keras.

        >>> w, b = d2l.Variable(1.0), d2l.Variable(0.0)
        >>> opt = d2l.keras.optimizers.SGD(learning_rate=0.5)
        >>> with d2l.GradientTape() as tape:
        ...     loss = (w * 2.0 + b - 1.0) ** 2
        >>> grads = tape.gradient(loss, [w, b])      # [4.0, 2.0]
        >>> int(opt.apply_gradients(zip(grads, [w, b]))), float(w), float(b)
        (1, -1.0, -1.0)
        """
        items = list(grads_and_vars)
        if not items:           # nothing to update: a no-op, as in Keras
            return self.iterations
        pairs = self._pairs(items)
        lr = self._current_lr()
        step = self._steps_done() + 1
        if self._has_fused() and _on_one_gpu(pairs):
            self._apply_fused(pairs, lr, step)
        else:
            self._apply_numpy(pairs, lr, step)
        self._count_step(step)
        return self.iterations

    def _apply_numpy(self, pairs, lr, step):
        """The update with NumPy-style operations (the CPU's path, tuned for NumPy)."""
        scale = 1.0
        if self.global_clipnorm is not None:    # one factor for all: min(1, clip / global norm)
            norm = math.sqrt(sum(float((array_of(g) * array_of(g)).sum()) for g, _ in pairs))
            if norm > self.global_clipnorm:
                scale = self.global_clipnorm / norm
        decay = None if not self.weight_decay else lr * float(self.weight_decay)
        for g, v in pairs:
            w, gv = array_of(v), array_of(g)
            if type(w) is np.ndarray and type(gv) is np.ndarray:
                xp = np                         # the common CPU case: no device to check
            else:
                gv = backend.to_device(gv, backend.device_of(w))
                xp = xp_of(w)
            if self.clipvalue is not None:
                gv = xp.clip(gv, -self.clipvalue, self.clipvalue)
            if self.clipnorm is not None:
                n = float(xp.sqrt((gv * gv).sum()))
                if n > self.clipnorm:
                    gv = gv * (self.clipnorm / n)
            if scale != 1.0:
                gv = gv * scale
            if decay is not None:               # decoupled weight decay, before the update
                w = w - decay * w
            new = self._update(xp, w, gv, self._slots_of(v, xp, w), lr, step)
            set_array(v, new.astype(w.dtype, copy=False))

    def _apply_fused(self, pairs, lr, step):
        """The update on a GPU: one fused kernel per variable (:attr:`_fused`), no host sync.

        Each kernel also clips the gradient (``clipvalue``; ±inf when unset), scales it
        (``clipnorm``/``global_clipnorm``: a 0-d array made on the device; 1 when unset)
        and applies weight decay (0: none), so the arithmetic is the CPU path's, in one pass.
        """
        grads = [backend.to_device(array_of(g), backend.device_of(array_of(v)))
                 for g, v in pairs]
        scales = self._clip_scales(xp_of(grads[0]), grads)
        clip = math.inf if self.clipvalue is None else float(self.clipvalue)
        decay = 0.0 if not self.weight_decay else lr * float(self.weight_decay)
        for (_, v), g, scale in zip(pairs, grads, scales, strict=True):
            w = array_of(v)
            xp = xp_of(w)
            if getattr(scale, "dtype", w.dtype) != w.dtype:
                scale = scale.astype(w.dtype)   # variables of several dtypes share one norm
            out = xp.empty_like(w)              # a new array: tape snapshots share w's
            self._fused(g, w, scale, clip, decay, out, self._slots_of(v, xp, w), lr, step)
            set_array(v, out)

    def _clip_scales(self, xp, grads):
        """Each gradient's factor min(1, clip / norm): 0-d device arrays (1.0: no clipping)."""
        if self.clipnorm is None and self.global_clipnorm is None:
            return [1.0] * len(grads)
        squares = xp.stack([xp.vdot(g, g) for g in grads])     # one reduction per gradient
        if self.global_clipnorm is not None:                   # one norm for all of them
            total = squares.sum()
            scale = _clip_scale(total, self.global_clipnorm, xp.empty_like(total))
            return [scale] * len(grads)
        scales = _clip_scale(squares, self.clipnorm, xp.empty_like(squares))
        return [scales[k, ...] for k in range(len(grads))]     # 0-d views, no copies

    def _slots_of(self, v, xp, w):
        entry = self._slots.get(id(v))
        if entry is None or entry[0] is not v:
            entry = self._slots[id(v)] = (v, self._new_slots(xp, w))
        return entry[1]

    def _new_slots(self, xp, w):
        return {name: xp.zeros_like(w) for name in self._slot_names}

    def minimize(self, loss, var_list, tape=None):
        """Compute the gradient of ``loss`` (a zero-argument callable) and apply it.

        >>> w = d2l.Variable(3.0)
        >>> opt = d2l.keras.optimizers.SGD(0.25)
        >>> _ = opt.minimize(lambda: w * w, [w])   # w - 0.25 * 2w
        >>> float(w)
        1.5
        """
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if tape is None:
            if not callable(loss):
                raise TypeError("minimize: pass the loss as a zero-argument function "
                                "(lambda: ...) so the optimizer can record it on a tape, or "
                                "pass the tape that recorded it")
            with GradientTape() as tape:
                value = loss()
        else:
            value = loss
        grads = tape.gradient(value, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def get_config(self):
        config = {"name": self.name, "learning_rate": self.learning_rate}
        for key in ("weight_decay",) + self._CLIPS:
            if getattr(self, key) is not None:
                config[key] = getattr(self, key)
        return config

    def __repr__(self):
        return f"<{type(self).__name__} learning_rate={self.learning_rate!r}>"


# ================================================================ the rules

def _sgd_kernel(name, slots, body):
    return fused.Elementwise(name, _INPUTS + ", T lr, T momentum", "T out" + slots, _PREPARE + body)


_SGD = {   # plain, momentum, nesterov: the arithmetic of SGD._update
    "plain": _sgd_kernel("sgd", "", "out = wd - lr * gc"),
    "momentum": _sgd_kernel("sgd_momentum", ", T v", "v = momentum * v - lr * gc; out = wd + v"),
    "nesterov": _sgd_kernel("sgd_nesterov", ", T v",
                            "v = momentum * v - lr * gc; out = wd + (momentum * v - lr * gc)"),
}


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Plain: w ← w - lr·g. With momentum m: v ← m·v - lr·g, then w ← w + v
    (Nesterov: w ← w + m·v - lr·g).

    >>> w = d2l.Variable(1.0)
    >>> opt = SGD(learning_rate=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     _ = opt.apply_gradients([(d2l.constant(1.0), w)])
    >>> round(float(w), 4)         # v = -0.1, then v = -0.09 - 0.1 = -0.19
    0.71
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        if not 0 <= momentum <= 1:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum}")
        self.momentum, self.nesterov = float(momentum), bool(nesterov)
        self._slot_names = ("momentum",) if momentum else ()

    def _update(self, xp, w, g, slots, lr, step):
        if not self.momentum:
            step = lr * g                   # a new array: the update is written into it
            return xp.subtract(w, step, out=step) if step.ndim else w - step
        v = slots["momentum"] = self.momentum * slots["momentum"] - lr * g
        return w + (self.momentum * v - lr * g if self.nesterov else v)

    def _fused(self, g, w, scale, clip, decay, out, slots, lr, step):
        args = (g, w, scale, clip, decay, lr, self.momentum, out)
        if not self.momentum:
            _SGD["plain"](*args)
        else:
            _SGD["nesterov" if self.nesterov else "momentum"](*args, slots["momentum"])


_ADAM_INPUTS = _INPUTS + ", T c1, T c2, T alpha, T eps"
_ADAM = {   # Adam._update's arithmetic; c1 = 1 - β₁, c2 = 1 - β₂ (rounded as the CPU does)
    False: fused.Elementwise("adam", _ADAM_INPUTS, "T out, T m, T v", _PREPARE + """
        m = m + (gc - m) * c1;
        v = v + (gc * gc - v) * c2;
        out = wd - m * alpha / (sqrt(v) + eps)"""),
    True: fused.Elementwise("adam_amsgrad", _ADAM_INPUTS, "T out, T m, T v, T vhat", _PREPARE + """
        m = m + (gc - m) * c1;
        v = v + (gc * gc - v) * c2;
        vhat = maximum(vhat, v);
        out = wd - m * alpha / (sqrt(vhat) + eps)"""),
}


class Adam(Optimizer):
    """Adam: moving averages of the gradient (m) and its square (v), bias-corrected.

    m ← β₁m + (1-β₁)g,  v ← β₂v + (1-β₂)g²,
    w ← w - lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m / (√v + ε)   (ε outside the root, as in Keras).
    ``amsgrad`` uses the running maximum of v instead of v.

    >>> w = d2l.Variable(1.0)
    >>> opt = Adam(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(d2l.constant(3.0), w)])
    >>> round(float(w), 4)         # the first step is about lr, whatever the gradient's size
    0.9
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = float(beta_1), float(beta_2), float(epsilon)
        self.amsgrad = bool(amsgrad)
        self._slot_names = ("m", "v", "vhat") if amsgrad else ("m", "v")

    def _update(self, xp, w, g, slots, lr, step):
        b1, b2 = self.beta_1, self.beta_2
        alpha = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        # The slots are the optimizer's alone, so they are updated in place with one
        # scratch array (same arithmetic, fewer temporaries); w is shared with
        # snapshots on tapes, so it gets a new array.
        m, v = slots["m"], slots["v"]
        t = xp.subtract(g, m, out=xp.empty_like(m))   # (out= keeps 0-d results arrays)
        t *= 1 - b1
        m += t                                      # m ← m + (g - m)(1 - β₁)
        xp.multiply(g, g, out=t)
        t -= v
        t *= 1 - b2
        v += t                                      # v ← v + (g² - v)(1 - β₂)
        if self.amsgrad:
            v = xp.maximum(slots["vhat"], v, out=slots["vhat"])
        xp.sqrt(v, out=t)
        t += self.epsilon
        update = xp.multiply(m, alpha, out=xp.empty_like(m))
        update /= t
        return xp.subtract(w, update, out=update)   # w - α·m / (√v + ε)

    def _fused(self, g, w, scale, clip, decay, out, slots, lr, step):
        b1, b2 = self.beta_1, self.beta_2
        alpha = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)   # Python floats: no sync
        extra = (slots["vhat"],) if self.amsgrad else ()
        _ADAM[self.amsgrad](g, w, scale, clip, decay, 1 - b1, 1 - b2, alpha, self.epsilon,
                            out, slots["m"], slots["v"], *extra)


def _rmsprop_kernel(centered, momentum):
    """The arithmetic of RMSprop._update, for one choice of its two options."""
    name = "rmsprop" + ("_centered" if centered else "") + ("_momentum" if momentum else "")
    slots = ", T s" + (", T a" if centered else "") + (", T p" if momentum else "")
    body = (_PREPARE + "s = rho * s + c * gc * gc; T den = s + eps; "
            + ("a = rho * a + c * gc; den = den - a * a; " if centered else "")
            + "T inc = lr * gc / sqrt(den); "
            + ("p = momentum * p + inc; inc = p; " if momentum else "")
            + "out = wd - inc")
    return fused.Elementwise(name, _INPUTS + ", T lr, T rho, T c, T eps, T momentum",
                             "T out" + slots, body)


_RMSPROP = {(centered, momentum): _rmsprop_kernel(centered, momentum)
            for centered in (False, True) for momentum in (False, True)}


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a moving root-mean-square of recent gradients.

    s ← ρs + (1-ρ)g²;  w ← w - lr·g / √(s + ε)  (``centered`` subtracts the mean
    gradient's square from s; ``momentum`` accumulates the steps).

    >>> w = d2l.Variable(1.0)
    >>> opt = RMSprop(learning_rate=0.1)
    >>> _ = opt.apply_gradients([(d2l.constant(2.0), w)])
    >>> round(float(w), 4)         # s = 0.1·4 = 0.4; w = 1 - 0.1·2/√0.4
    0.6838
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.rho, self.momentum, self.epsilon = float(rho), float(momentum), float(epsilon)
        self.centered = bool(centered)
        self._slot_names = ("velocity",) + (("momentum",) if momentum else ()) + (
            ("average_gradient",) if centered else ())

    def _update(self, xp, w, g, slots, lr, step):
        rho = self.rho
        s = slots["velocity"] = rho * slots["velocity"] + (1 - rho) * g * g
        denominator = s + self.epsilon
        if self.centered:
            a = slots["average_gradient"] = rho * slots["average_gradient"] + (1 - rho) * g
            denominator = denominator - a * a
        increment = lr * g / xp.sqrt(denominator)
        if self.momentum:
            increment = slots["momentum"] = self.momentum * slots["momentum"] + increment
        return w - increment

    def _fused(self, g, w, scale, clip, decay, out, slots, lr, step):
        extra = ((slots["average_gradient"],) if self.centered else ()) + (
            (slots["momentum"],) if self.momentum else ())
        _RMSPROP[self.centered, bool(self.momentum)](
            g, w, scale, clip, decay, lr, self.rho, 1 - self.rho, self.epsilon, self.momentum,
            out, slots["velocity"], *extra)


_ADAGRAD = fused.Elementwise(   # the arithmetic of Adagrad._update
    "adagrad", _INPUTS + ", T lr, T eps", "T out, T acc", _PREPARE + """
    acc = acc + gc * gc;
    out = wd - lr * gc / sqrt(acc + eps)""")


class Adagrad(Optimizer):
    """Adagrad: each coordinate's step shrinks with its accumulated squared gradients.

    a ← a + g²  (a starts at ``initial_accumulator_value``);  w ← w - lr·g / √(a + ε).

    >>> w = d2l.Variable(1.0)
    >>> opt = Adagrad(learning_rate=0.1, initial_accumulator_value=0.0)
    >>> _ = opt.apply_gradients([(d2l.constant(2.0), w)])
    >>> round(float(w), 4)         # a = 4; w = 1 - 0.1·2/√4
    0.9
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name=None, **kwargs):
        super().__init__(learning_rate, name, **kwargs)
        self.initial_accumulator_value, self.epsilon = float(initial_accumulator_value), float(epsilon)

    def _new_slots(self, xp, w):
        return {"accumulator": xp.full_like(w, self.initial_accumulator_value)}

    def _update(self, xp, w, g, slots, lr, step):
        a = slots["accumulator"] = slots["accumulator"] + g * g
        return w - lr * g / xp.sqrt(a + self.epsilon)

    def _fused(self, g, w, scale, clip, decay, out, slots, lr, step):
        _ADAGRAD(g, w, scale, clip, decay, lr, self.epsilon, out, slots["accumulator"])


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


def get(identifier):
    """An optimizer from a name ('adam'), an instance, or a config dict (``keras.optimizers.get``).

    >>> get('adam')
    <Adam learning_rate=0.001>
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        name = identifier if isinstance(identifier, str) else identifier.get("class_name", "")
        cls = _BY_NAME.get(name.lower())
        if cls is None:
            raise ValueError(f"optimizers.get: unknown optimizer {name!r}; "
                             f"use one of {sorted(_BY_NAME)}")
        return cls() if isinstance(identifier, str) else cls(**identifier.get("config", {}))
    raise TypeError(f"optimizers.get: cannot make an optimizer from {identifier!r}")
