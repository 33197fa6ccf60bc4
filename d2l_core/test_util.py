"""Gradient checking: do the tape's gradients agree with finite differences?

A derivative is a slope, so it can be measured without calculus: nudge the
input a tiny step ``h`` forwards and backwards and look at how the output
moves, ``(f(x + h·d) - f(x - h·d)) / 2h``. ``check_gradients`` compares that
*numeric* slope with the *analytic* one the ``GradientTape`` computes, in
float64 so rounding does not blur the comparison.

Checking every element one by one would call ``f`` twice per element, so the
check looks along random directions instead (the style of HIPS autograd's
``check_grads``): the output is weighted by random numbers ``u`` to make one
scalar ``s = Σ u·f(x)``, the input is moved along a random direction ``d``,
and the tape's ``∇s · d`` must match the finite difference of ``s`` along
``d``. A wrong gradient almost surely shows up along a random direction; only
then does the check go element by element to name the worst one.

``order=2`` checks gradients of gradients, which nested tapes compute: with
another random direction ``v`` it takes ``h(x) = ∇s(x) · v`` (computed with a
tape, so it is itself a d2l computation) and checks *its* gradient, taken by an
outer tape, against finite differences of ``h``.

>>> import numpy as np
>>> import d2l_core as d2l
>>> from d2l_core.test_util import check_gradients
>>> check_gradients(lambda x, y: d2l.sin(x) * y, [np.array([0.5, 1.0]), 2.0], order=2)

A function whose gradient is wrong fails with a message naming the element:

>>> def half_broken(x):
...     return x * d2l.stop_gradient(x)   # the tape sees x·c, so it gives c, not 2x
>>> check_gradients(half_broken, [np.array([1.0, 2.0])])
Traceback (most recent call last):
...
d2l_core.test_util.GradientCheckError: Gradient check failed (order 1) for argument 'x' ...
"""
import inspect

import numpy as np

from .autodiff import GradientTape
from .ops import math as _math
from .ops import reduce as _reduce
from .tensor import Tensor, array_of, constant

__all__ = ["check_gradients", "GradientCheckError"]


class GradientCheckError(AssertionError):
    """The tape's gradient disagrees with finite differences (an ``AssertionError``)."""


def check_gradients(f, args, order=1, wrt=None, eps=1e-5, rtol=1e-4, atol=1e-6, seed=0,
                    max_elements=1000):
    """Check the tape's gradients of ``f`` at ``args`` against central finite differences.

    Args:
        f: a function of d2l tensors returning a floating tensor (or a list or
            tuple of them; they are weighted and summed). It is called with
            float64 tensors, so it should keep its inputs' dtype (write
            ``x * 2.0``, not ``x * d2l.constant(2.0)``, which is float32).
        args: the point, as a list or tuple of arguments to ``f`` (an array or
            number may be passed alone; a list is always read as the list of
            arguments, so write ``[np.array([1.0, 2.0])]`` for one vector). Float arguments (NumPy arrays, Python
            floats, float Tensors) become float64 tensors and are checked; other
            arguments (integer labels or indices, Python objects) are passed
            through unchanged.
        order: 1 checks gradients; 2 also checks gradients of gradients
            (nested tapes); higher orders continue the same way.
        wrt: positions of the arguments to check (default: every float argument).
        eps: the finite-difference step.
        rtol, atol: analytic ``a`` and numeric ``n`` agree when
            ``|a - n| <= atol + rtol·max(|a|, |n|)``.
        seed: seeds the random weights and directions, so a check is repeatable.
        max_elements: when a check fails, at most this many elements per
            argument are examined one by one to name the worst.

    Returns None when every check passes; raises ``GradientCheckError`` (an
    ``AssertionError``) explaining the worst mismatch otherwise.

    >>> check_gradients(lambda x: d2l.reduce_sum(x ** 3.0), [np.array([1.0, -2.0])], order=2)
    """
    if order < 1:
        raise ValueError(f"check_gradients: order must be 1 or more, got {order!r}")
    rng = np.random.default_rng(seed)
    args = list(args) if isinstance(args, (list, tuple)) else [args]
    points = [_float64(a) for a in args]
    if wrt is None:
        wrt = [i for i, p in enumerate(points) if p is not None]
    else:
        wrt = [wrt] if isinstance(wrt, int) else list(wrt)
        for i in wrt:
            if not 0 <= i < len(args) or points[i] is None:
                raise ValueError(f"check_gradients: wrt={wrt} names argument {i}, which is not a "
                                 "floating-point argument of f; only float arguments have "
                                 "gradients")
    if not wrt:
        raise ValueError("check_gradients: f has no floating-point argument to check; pass "
                         "floats, e.g. np.array([1.0, 2.0]), not ints")
    names = _argument_names(f, len(args))
    check = _Checker(f, args, points, wrt, names, eps, rtol, atol, rng, max_elements)
    phi = check.weighted_output
    for k in range(1, order + 1):
        check.run(phi, k)
        if k < order:
            phi = check.next_level(phi)


def _float64(value):
    """A float64 copy of a floating-point argument, or None for arguments passed through."""
    if isinstance(value, Tensor):
        return np.array(value.numpy(), dtype=np.float64) if value.dtype.is_floating else None
    if isinstance(value, (bool, int, np.integer, str)) or value is None:
        return None
    try:
        array = np.asarray(value)
    except Exception:   # noqa: BLE001  (an object f understands, passed through)
        return None
    return array.astype(np.float64) if array.dtype.kind == "f" else None


def _argument_names(f, n):
    try:
        params = [p for p in inspect.signature(f).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    names = [repr(p.name) for p in params[:n]]
    return names + [f"#{i}" for i in range(len(names), n)]


def _element(name, index):
    return name.strip("'") + "".join(f"[{i}]" for i in index) if index else name.strip("'")


class _Checker:
    """One gradient check: the point, the random weights, and the report on failure."""

    def __init__(self, f, args, points, wrt, names, eps, rtol, atol, rng, max_elements):
        self.f, self.args, self.points, self.wrt, self.names = f, args, points, wrt, names
        self.eps, self.rtol, self.atol, self.rng = eps, rtol, atol, rng
        self.max_elements = max_elements
        self.weights = None       # random output weights u, made on the first call of f
        self.weighted = None      # f's output shapes, when it is not a scalar

    # ------------------------------------------------------------ the functions checked
    def call(self, xs):
        """``f`` at the float64 tensors ``xs`` (one per checked argument)."""
        full = list(self.args)
        for i, x in zip(self.wrt, xs):
            full[i] = x
        for i, p in enumerate(self.points):
            if p is not None and i not in self.wrt:
                full[i] = constant(p)
        return self.f(*full)

    def weighted_output(self, xs):
        """s = Σ u·f(xs): one scalar, with fixed random weights u."""
        out = self.call(xs)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        if self.weights is None:
            for y in outs:
                if not isinstance(y, Tensor):
                    raise TypeError(f"check_gradients: f must return a d2l Tensor (or a list of "
                                    f"them), got {type(y).__name__} {y!r:.60}; compute the "
                                    "result with d2l ops, not NumPy or Python floats")
                if y.dtype.name != "float64":
                    raise TypeError(
                        f"check_gradients: f returned a {y.dtype.name} tensor for float64 "
                        "inputs; finite differences need float64 to be accurate. Keep the "
                        "inputs' dtype inside f: write x * 2.0 rather than "
                        "x * d2l.constant(2.0), and avoid casts to float32")
            if sum(array_of(y).size for y in outs) == 1:     # a scalar f: its own slope
                self.weights = [constant(np.ones(array_of(y).shape)) for y in outs]
            else:
                self.weights = [constant(self.rng.standard_normal(array_of(y).shape)) for y in outs]
                self.weighted = [tuple(array_of(y).shape) for y in outs]
        total = None
        for y, u in zip(outs, self.weights):
            term = _reduce.reduce_sum(_math.multiply(y, u))
            total = term if total is None else _math.add(total, term)
        return total

    def next_level(self, phi):
        """h(xs) = ∇phi(xs) · v for a fixed random direction v, computed with a tape."""
        directions = [constant(self._direction(self.points[i])) for i in self.wrt]

        def h(xs):
            with GradientTape() as tape:
                tape.watch(xs)
                value = phi(xs)
            grads = tape.gradient(value, xs)
            total = constant(np.float64(0.0))
            for g, v in zip(grads, directions):
                if g is not None:
                    total = _math.add(total, _reduce.reduce_sum(_math.multiply(g, v)))
            return total
        return h

    # ------------------------------------------------------------ one order
    def run(self, phi, order):
        base = [np.array(self.points[i]) for i in self.wrt]
        xs = [constant(p) for p in base]
        with GradientTape() as tape:
            tape.watch(xs)
            value = phi(xs)
        grads = tape.gradient(value, xs)
        analytic = []
        for g, p in zip(grads, base):
            if g is not None and tuple(g.shape) != p.shape:
                raise GradientCheckError(f"the tape's gradient has shape {tuple(g.shape)} but its "
                                         f"argument has shape {p.shape}; a gradient always has its "
                                         "source's shape (an op forgot to sum over broadcasting?)")
            analytic.append(None if g is None else np.asarray(g.numpy(), dtype=np.float64))

        def value_at(j, delta):
            moved = [constant(p + delta) if k == j else constant(p) for k, p in enumerate(base)]
            return float(phi(moved).numpy())

        first, again = float(value.numpy()), value_at(0, 0.0)
        if not (first == again or abs(first - again) <= 1e-12 * abs(again)
                or (np.isnan(first) and np.isnan(again))):
            raise GradientCheckError(
                f"f gives different results at the same point ({first!r}, then {again!r}), "
                "so finite differences mean nothing. Random numbers inside f "
                "(d2l.random, dropout)? Draw them once outside f, or set a fixed seed inside it.")

        def slope(j, direction):
            return (value_at(j, self.eps * direction) - value_at(j, -self.eps * direction)) / (
                2 * self.eps)

        for j, (g, p) in enumerate(zip(analytic, base)):
            d = self._direction(p)
            ana = 0.0 if g is None else float(np.sum(g * d))
            num = slope(j, d)
            if not self._close(ana, num):
                self._fail(order, j, g, p, ana, num, slope)

    # ------------------------------------------------------------ helpers
    def _direction(self, p):
        return self.rng.standard_normal(p.shape)

    def _close(self, a, n):
        return bool(np.isfinite(a) and np.isfinite(n)
                    and abs(a - n) <= self.atol + self.rtol * max(abs(a), abs(n)))

    def _fail(self, order, j, g, p, ana, num, slope):
        i = self.wrt[j]
        name = self.names[i]
        grad = np.zeros_like(p) if g is None else g
        indices = list(np.ndindex(p.shape))
        note = ""
        if len(indices) > self.max_elements:
            picks = self.rng.choice(len(indices), self.max_elements, replace=False)
            indices = [indices[k] for k in sorted(picks)]
            note = f" (of {self.max_elements} elements examined out of {p.size})"
        worst = None
        for index in indices:
            e = np.zeros_like(p)
            e[index] = 1.0
            a_k, n_k = float(grad[index]), slope(j, e)
            if not np.isfinite(n_k) or not np.isfinite(a_k):
                badness = np.inf
            else:
                badness = abs(a_k - n_k) / (self.atol + self.rtol * max(abs(a_k), abs(n_k)))
            if worst is None or badness > worst[0]:
                worst = (badness, index, a_k, n_k)
        what = ("" if order == 1 else
                " (the gradient of the gradient: d/dx of (tape gradient · v) for a random v)"
                if order == 2 else f" (derivative number {order}, through nested tapes)")
        lines = [f"Gradient check failed (order {order}) for argument {name} (position {i}, "
                 f"shape {p.shape}){what}."]
        if worst is not None and worst[0] > 1:
            _, index, a_k, n_k = worst
            lines += [
                f"  Worst element{note}: {_element(name, index)}"
                + (f" at index {index}" if index else ""),
                f"    analytic (from the tape):     {a_k:.10g}",
                f"    numeric (finite differences): {n_k:.10g}",
                f"    relative error: {_relative(a_k, n_k):.3g} "
                f"(allowed: rtol={self.rtol:g}, atol={self.atol:g})"]
            hint = _hint(a_k, n_k, g is None, order)
        else:
            lines.append("  Every element examined agrees on its own, but not together")
            hint = _hint(ana, num, g is None, order)
        s_is = "f(...)"
        if self.weighted:
            shapes = ", ".join(str(s) for s in self.weighted)
            s_is = "reduce_sum(u * f(...))"
            if order == 1:
                lines.append(f"  (f's output has shape {shapes}, so these are slopes of "
                             f"s = {s_is} for fixed random weights u.)")
        if order >= 2:
            lines.append(f"  (These are slopes of h = ∇s · v, where s = {s_is}"
                         f"{' with fixed random weights u' if self.weighted else ''} and v is a "
                         "fixed random direction" + ("; higher orders repeat this" if order > 2
                                                     else "") + ".)")
        lines += [f"  Along a random direction: analytic {ana:.10g}, numeric {num:.10g}.",
                  f"  Hint: {hint}"]
        raise GradientCheckError("\n".join(lines))


def _relative(a, n):
    scale = max(abs(a), abs(n))
    return abs(a - n) / scale if scale else 0.0


def _hint(a, n, unconnected, order):
    if not np.isfinite(n):
        return ("f is not finite (nan or inf) next to this point: move the point inside f's "
                "domain (e.g. positive inputs for log and sqrt).")
    if not np.isfinite(a):
        return "the tape's gradient is nan or inf here: look for a division by zero in a gradient."
    if unconnected and order >= 2:
        return ("an outer tape sees the gradient as a constant (its gradient is None): some op's "
                "backward function computes with NumPy or .numpy() instead of d2l ops, so the "
                "outer tape cannot record it.")
    if unconnected:
        return ("the tape found no path from this argument to the output (its gradient is None). "
                "Did f leave d2l for NumPy or Python (.numpy(), float(), np.exp), use "
                "stop_gradient, or call an op that has no gradient?")
    if order >= 2:
        prefix = ("the first-order gradients matched, so some op's backward function is not "
                  "itself differentiable: it should be written with d2l ops (which an outer tape "
                  "records), not NumPy or .numpy(). ")
    else:
        prefix = ""
    if n != 0 and abs(a + n) <= 1e-3 * abs(n):
        return prefix + "the analytic value has the wrong sign."
    if n != 0 and a != 0 and (abs(a / n - 2) < 1e-3 or abs(a / n - 0.5) < 1e-3):
        return prefix + "the values differ by a factor of 2 (e.g. d(x²)/dx = 2x)."
    if a == 0:
        return prefix + ("the tape's gradient is 0 but f does change here: a stop_gradient, a "
                         "comparison or an integer step may cut the path.")
    return prefix + ("an op's gradient formula may be wrong, or the point sits at a kink (abs, "
                     "relu, maximum or max with ties, clip bounds) where the two one-sided slopes "
                     "differ; move the point away from the kink.")
