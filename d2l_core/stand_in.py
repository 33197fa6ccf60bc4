"""Output shapes and dtypes, learned by running the real eager op on stand-in values.

Graph mode (``compat.v1``), ``Dataset.map``'s ``element_spec`` and Keras
layers called on ``keras.Input`` all need to know what a function returns
before any real data exists. ``probe(fn, args, kwargs)`` answers by calling
``fn`` itself (an eager op, a layer, a user's function) on *stand-ins*:
eager tensors with the dtype and shape of each ``Spec`` among the arguments.
So every check, every dtype rule and every shape rule is the op's own; this
module adds none, except for the few ops whose output shape depends on input
*values* (``VALUE_DEPENDENT_SHAPES`` below).

Partly unknown shapes are handled TensorFlow's way: an output dimension is
static when the op fixes it and None when it follows an unknown input
dimension (never wrong; unknown where in doubt). The stand-ins give unknown
dimensions several sizes (1, 12 and 0, more when those do not fit) and vary
their values; output dimensions that differ between the runs that succeed
are None. An error is raised only when no run succeeds, so it does not
depend on the unknowns: a dtype clash, known ``matmul`` inner dimensions
that differ, known dimensions that do not broadcast.

>>> import d2l_core as d2l
>>> from d2l_core.stand_in import Spec, probe
>>> x = Spec([None, 2], d2l.float32)
>>> probe(d2l.matmul, (x, d2l.ones((2, 3))))
Spec(shape=(None, 3), dtype=float32)
>>> probe(d2l.add, (x, Spec([None, 1], d2l.float32)))
Spec(shape=(None, 2), dtype=float32)
"""
import contextlib
import inspect
import math
import numbers
import warnings

import numpy as np

from . import backend, dtypes, nest
from .ops import array as _array
from .ops import math as _math
from .ops import random as _random
from .ops import strings as _strings
from .tensor import Tensor, Variable, wrap
from .tensor_shape import TensorShape


class Spec:
    """What a probe knows of a tensor: a static ``shape`` (None for unknown parts) and a ``dtype``.

    >>> import d2l_core as d2l
    >>> Spec([None, 3], d2l.float32)
    Spec(shape=(None, 3), dtype=float32)
    """

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)

    def __eq__(self, other):
        return isinstance(other, Spec) and self.shape == other.shape and self.dtype is other.dtype

    __hash__ = None

    def __repr__(self):
        dims = "unknown" if self.shape.rank is None else tuple(self.shape.as_list())
        return f"Spec(shape={dims}, dtype={self.dtype.name})"


# ==================================================================== stand-ins

_SIZES = (1, 12, 0)          # sizes for unknown dimensions, first to last run
_RANKS = (2, 1, 3)           # ranks for inputs of unknown rank, likewise
_SPARE_SIZES = (2, 3, 5)     # tried (after the inputs' known sizes) when those do not fit
_LIMIT = 1 << 20             # stand-in elements (unknown dimensions at size 1); bigger known
                             # shapes are probed as if unknown


class _Plan:
    """One run: the size of unknown dimensions, the rank of unknown ranks, which values."""

    __slots__ = ("size", "rank", "varied", "dims")

    def __init__(self, size, rank, varied, dims=None):
        self.size, self.rank, self.varied = size, rank, varied
        self.dims = dims or {}       # {(input number, axis): size}: one dimension set apart


def _value(dtype, plan, index):
    """The number every element of a stand-in holds.

    The first run uses values that are valid almost everywhere (0 is an index into any
    non-empty axis, 0.5 a valid rate, probability, divisor and log input); the varied
    run changes them, so an output shape that depends on input values shows up.
    """
    kind = dtype.np.kind
    if kind == "b":
        return not plan.varied
    if kind in "iu":
        return 1 + index % 2 if plan.varied else 0
    if kind in "fc":
        return -1.5 if plan.varied else 0.5
    if kind == "O":   # text: 8 bytes (decode_raw reads them as any dtype) that to_number parses,
        return b"1 1 1 1 1 1 1 10" if plan.varied else b"00000000"   # then 16 in 8 numbers
    return 0


def _make(spec, template, plan, index):
    if template is None:
        dims = (plan.size,) * plan.rank
    else:
        dims = tuple(plan.dims.get((index, axis), plan.size) if d is None else d
                     for axis, d in enumerate(template))
    value = np.full(dims, _value(spec.dtype, plan, index), dtype=spec.dtype.np)
    if value.dtype.kind in "fc" and value.ndim >= 2 and not plan.varied:
        # 1 more on the main diagonal: full-rank (square: positive definite) matrices, so
        # inv, solve, cholesky and lstsq succeed on the stand-ins.
        value += np.eye(*dims[-2:], dtype=value.dtype)
    return wrap(value)


def _templates(specs):
    """Each input's dimensions, None where unknown; big known dimensions become unknown too.

    Big ones go by value (every 784 at once), so dimensions that must agree still do.
    """
    templates = [None if s.shape.rank is None else list(s.shape.as_list()) for s in specs]

    def elements():      # unknown dimensions (the batch) counted once: 1 is their first size
        return sum(math.prod(1 if d is None else d for d in t) for t in templates
                   if t is not None)
    for big in sorted({d for t in templates if t for d in t if d is not None and d > 1},
                      reverse=True):
        if elements() <= _LIMIT:
            break
        templates = [t if t is None else [None if d == big else d for d in t] for t in templates]
    return templates


# ==================================================================== arguments

def _bounds(leaf):
    return (leaf.start, leaf.stop, leaf.step) if isinstance(leaf, slice) else (leaf,)


def specs_in(obj):
    """The ``Spec`` leaves of ``obj`` (nested lists, tuples, dicts; slice bounds too), in order.

    >>> import d2l_core as d2l
    >>> len(specs_in(([Spec([2], d2l.int32), 3], {'k': slice(Spec([], d2l.int32), None)})))
    2
    """
    return [x for leaf in nest.flatten(obj, sort_keys=False) for x in _bounds(leaf)
            if isinstance(x, Spec)]


def _replace(obj, values):
    """``obj`` with each Spec leaf replaced by ``values[id(spec)]``."""
    def fill(leaf):
        if isinstance(leaf, Spec):
            return values[id(leaf)]
        if isinstance(leaf, slice):
            return slice(*(fill(x) for x in _bounds(leaf)))
        return leaf
    return nest.map_structure(fill, obj, sort_keys=False)


def _is_tensor(x):
    return isinstance(x, (Tensor, Variable))


def _specs_of(out):
    return nest.map_structure(lambda t: Spec(t.shape, t.dtype) if _is_tensor(t) else t, out,
                              sort_keys=False)


_program_random = [False]    # True while a probe lets random ops draw from the program's stream


@contextlib.contextmanager
def _quietly():
    """No placement log, no NumPy warnings, and random ops leave the program's stream alone
    (unless the probe was asked to build weights: see ``probe``)."""
    saved = backend.placement.log_device_placement
    backend.placement.log_device_placement = False
    private = contextlib.nullcontext() if _program_random[0] else \
        _random.using_generator(np.random.default_rng(0))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), private:
            warnings.simplefilter("ignore")
            yield
    finally:
        backend.placement.log_device_placement = saved


# ==================================================================== the probe

def _merge(outs):
    """One output structure: dims that agree in every run stay, others become None."""
    flats = [nest.flatten(o, sort_keys=False) for o in outs]
    for o in outs[1:]:
        try:
            nest.assert_same_structure(outs[0], o, check_types=False)
        except (ValueError, TypeError):
            raise ValueError("cannot tell how many tensors it returns: that depends on sizes "
                             "or values not known yet; give the inputs fully known shapes") from None
    merged = []
    for leaves in zip(*flats):
        first = leaves[0]
        if not isinstance(first, Spec):
            merged.append(first)
            continue
        ranks = {s.shape.rank for s in leaves}
        if len(ranks) > 1:
            merged.append(Spec(None, first.dtype))
            continue
        dims = [d if all(s.shape[i] == d for s in leaves) else None
                for i, d in enumerate(first.shape.as_list())]
        merged.append(Spec(dims, first.dtype))
    return nest.pack_sequence_as(outs[0], merged, sort_keys=False)


def _aligned(templates):
    """Each unknown dimension sized like another input's known one at the same place, aligned
    from the right as broadcasting aligns them (for ops that need equal dimensions)."""
    dims = {}
    for i, t in enumerate(templates):
        for a, d in enumerate(t or ()):
            others = [u[len(u) - len(t) + a] for j, u in enumerate(templates)
                      if j != i and u and 0 <= len(u) - len(t) + a < len(u)]
            known = [d for d in others if d is not None]
            if d is None and known:
                dims[(i, a)] = known[0]
    return dims


def _plans(templates):
    """The runs to try: first those that vary everything, then ones for picky ops."""
    unknown = any(t is None or None in t for t in templates)
    if not unknown:
        return [_Plan(1, 2, False), _Plan(1, 2, True)], []
    first = [_Plan(s, r, i == 1) for i, (s, r) in enumerate(zip(_SIZES, _RANKS))]
    known = sorted({d for t in templates if t for d in t if d is not None} - set(_SIZES))
    spare = [_Plan(1, 2, False, _aligned(templates))]
    spare += [_Plan(s, 2, False) for s in dict.fromkeys(known[:6] + list(_SPARE_SIZES))]
    return first, spare + [_Plan(1, r, False) for r in (1, 3, 0)]


def _probe(fn, args, kwargs):
    specs = specs_in((args, kwargs))
    if not specs:
        with _quietly():
            return _specs_of(fn(*args, **kwargs))
    templates = _templates(specs)
    done, errors = [], []     # (plan, output specs) of the runs that worked; the errors

    def attempt(plan):
        values = {id(s): _make(s, t, plan, i) for i, (s, t) in enumerate(zip(specs, templates))}
        try:
            with _quietly():
                out = fn(*_replace(args, values), **_replace(kwargs, values))
        except TypeError as e:            # a dtype or argument problem: no size can fix it
            if not done:
                raise
            errors.append(e)
        except Exception as e:            # noqa: BLE001  (this run's sizes or values may be to blame)
            errors.append(e)
        else:
            done.append((plan, _specs_of(out)))

    def kinds():                          # how many different sizings have worked
        return len({(p.size, tuple(sorted(p.dims.items()))) for p, _ in done})

    first, spare = _plans(templates)
    for plan in first:
        attempt(plan)
    for plan in spare:
        if kinds() >= 2:
            break
        attempt(plan)
    if not done:
        raise errors[0]
    # A dimension that every working run gave one size may still be free (b in
    # [3, 1] + [a, b] must fit 3, b need not): vary each such one alone.
    base = done[0][0]
    slots = [(i, a) for i, t in enumerate(templates) if t for a, d in enumerate(t) if d is None]
    for slot in slots[:8]:
        seen = {p.dims.get(slot, p.size) for p, _ in done}
        for size in _SIZES + _SPARE_SIZES:
            if len(seen) >= 2:
                break
            if size not in seen:
                n = len(done)
                attempt(_Plan(base.size, base.rank, False, {**base.dims, slot: size}))
                if len(done) > n:
                    seen.add(size)
    outs = [out for _, out in done]
    if None in templates and len({p.rank for p, _ in done}) < 2:
        # Only one rank worked for the inputs of unknown rank: the outputs' ranks are unknown.
        outs.append(nest.map_structure(lambda s: Spec(None, s.dtype) if isinstance(s, Spec)
                                       else s, outs[0], sort_keys=False))
    return _merge(outs)


def probe(fn, args=(), kwargs=None, builds_weights=False):
    """What ``fn(*args, **kwargs)`` returns, as ``Spec``s, learned from runs on stand-ins.

    Random ops inside ``fn`` draw from a private generator, so probing leaves
    the program's random stream alone; with ``builds_weights=True`` (Keras
    building a model) they draw from the program's stream, so new weights
    follow ``d2l.random.set_seed`` as TensorFlow's do.

    Each ``Spec`` among the arguments (also inside lists, tuples, dicts and
    slices) is replaced by an eager tensor of its dtype and shape; other
    arguments are passed as they are. The result has the structure of
    ``fn``'s result, each tensor replaced by its ``Spec``. Errors that no
    choice of the unknown sizes avoids are raised, as ``fn`` raised them.

    >>> import d2l_core as d2l
    >>> probe(d2l.reduce_sum, (Spec([None, 4, 5], d2l.float32),), {'axis': 1})
    Spec(shape=(None, 5), dtype=float32)
    >>> probe(d2l.unstack, (Spec([3, None], d2l.int32),))
    [Spec(shape=(None,), dtype=int32), Spec(shape=(None,), dtype=int32), Spec(shape=(None,), dtype=int32)]
    >>> probe(d2l.matmul, (Spec([None, 2], d2l.float32), d2l.ones((3, 3))))
    Traceback (most recent call last):
    ...
    d2l_core.errors.InvalidArgumentError: matmul: inner dimensions differ: (1, 2) @ (3, 3) needs 2 == 3...
    """
    if builds_weights:
        saved, _program_random[0] = _program_random[0], True
        try:
            return probe(fn, args, kwargs)
        finally:
            _program_random[0] = saved
    kwargs = dict(kwargs or {})
    rule = VALUE_DEPENDENT_SHAPES.get(fn)
    if rule is None:
        return _probe(fn, args, kwargs)
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments

    def run(**overrides):
        b = inspect.signature(fn).bind(*args, **kwargs)
        b.arguments.update(overrides)
        return _probe(fn, b.args, b.kwargs)
    return rule(a, run)


# ==================================================================== value-dependent shapes

def _static(x):
    """``x`` as a NumPy value when it is known now (no Spec inside), else None."""
    if specs_in(x):
        return None
    if _is_tensor(x):
        return x.numpy()
    try:
        return np.asarray(x)
    except Exception:        # noqa: BLE001
        return None


def _dims(x):
    """The dimensions a size argument names (None for each unknown one), or None if unknown."""
    v = _static(x)
    if v is not None and v.dtype.kind in "iu":
        return [int(d) for d in np.reshape(v, (-1,))]
    if isinstance(x, (list, tuple)):
        return [int(d) if isinstance(d, numbers.Integral) and d >= 0 else None for d in x]
    if isinstance(x, Spec) and x.shape.rank == 1 and x.shape[0] is not None:
        return [None] * x.shape[0]
    return None


def _shape_of(x):
    if isinstance(x, Spec) or _is_tensor(x):
        return x.shape
    return TensorShape(None) if specs_in(x) else TensorShape(np.shape(x))


def _sized(param):
    """Creation ops: the output begins with the dimensions ``param`` names; a run with a
    scalar size gives the dtype and the rest (random_gamma's alpha shape)."""
    def rule(a, run):
        dims = _dims(a[param])
        if dims is not None and None not in dims and math.prod(dims) <= _LIMIT:
            return run()                     # small and known: the op checks everything itself
        out = run(**{param: ()})
        shape = TensorShape(None) if dims is None else TensorShape(dims).concatenate(out.shape)
        return Spec(shape, out.dtype)
    return rule


def _reshape(a, run):
    target = a["shape"]
    if not specs_in(target):
        if _shape_of(a["tensor"]).is_fully_defined():
            return run()
        try:
            return run()                     # -1 follows the unknown sizes when some size fits
        except TypeError:
            raise
        except Exception:                    # noqa: BLE001  (no stand-in size fits this target)
            pass
    out = run(shape=[-1])                    # the dtype (and any dtype error) from a flat reshape
    dims = _dims(target)
    return Spec(None if dims is None else [d if d is not None and d >= 0 else None for d in dims],
                out.dtype)


def _broadcast_to(a, run):
    if not specs_in(a["shape"]):
        return run()
    dtype = probe(_array.identity, (a["input"],)).dtype
    return Spec(_dims(a["shape"]), dtype)


def _range(a, run):
    start, limit, delta = a["start"], a["limit"], a["delta"]
    if not specs_in([start, limit, delta]):
        return run()

    def valid(x, value):                     # a Spec's place taken by a number that works
        return wrap(np.asarray(value, x.dtype.np)) if isinstance(x, Spec) else x
    if limit is None:
        out = run(start=valid(start, 1), delta=valid(delta, 1))
    else:
        out = run(start=valid(start, 0), limit=valid(limit, 1), delta=valid(delta, 1))
    return Spec([None], out.dtype)


def _boolean_mask(a, run):
    out = run()
    if not specs_in(a["mask"]) or out.shape.rank is None or isinstance(a["axis"], Spec):
        return out
    dims = out.shape.as_list()
    dims[0 if a["axis"] is None else int(a["axis"]) % max(len(dims), 1)] = None
    return Spec(dims, out.dtype)


def _where(a, run):
    out = run()
    if a["x"] is None and a["y"] is None and specs_in(a["condition"]):
        return Spec([None, _shape_of(a["condition"]).rank], out.dtype)
    return out


def _pieces(param, trailing=False):
    """Ops that cut text into pieces: how many depends on the text. The output is one
    axis of unknown length (``split`` of a scalar), or ``param``'s shape and then
    that axis (``trailing``: ``decode_raw``)."""
    def rule(a, run):
        out = run()         # the dtype, and the op's own errors (a non-scalar to split)
        if not specs_in(a[param]):
            return out
        shape = _shape_of(a[param])
        if not trailing:
            return Spec([None], out.dtype)
        return Spec(None if shape.rank is None else shape.as_list() + [None], out.dtype)
    return rule


def _axis_length(op, value, axis, num):
    """The length of ``axis`` of ``value`` (``num`` if it is unknown), with the axis number."""
    shape = _shape_of(value)
    if shape.rank is None or isinstance(axis, Spec):
        return None, None
    ax = int(axis) % max(shape.rank, 1)
    n = shape[ax] if shape[ax] is not None else num
    if n is None:
        raise ValueError(f"{op}: cannot infer num from shape {shape}: the length of axis {ax} is "
                         "unknown; pass num=")
    return ax, int(n)


def _unstack(a, run):
    value, num = a["value"], a["num"]
    if not isinstance(value, Spec):
        return run()
    ax, n = _axis_length("unstack", value, a["axis"], num)
    if ax is None:
        if num is None:
            raise ValueError("unstack: cannot infer num from an unknown shape; pass num=")
        dtype = run(value=Spec([num], value.dtype), axis=0)[0].dtype
        return [Spec(None, dtype)] * int(num)
    dims = value.shape.as_list()
    dims[ax] = n
    return run(value=Spec(dims, value.dtype))


def _split(a, run):
    value, spec = a["value"], a["num_or_size_splits"]
    sizes = _dims(spec) if not isinstance(spec, numbers.Integral) else None
    if not isinstance(value, Spec) or isinstance(a["axis"], Spec) or (
            not specs_in(spec) and value.shape.rank is not None
                                       and value.shape[int(a["axis"])] is not None):
        return run()
    k = int(spec) if isinstance(spec, numbers.Integral) else None if sizes is None else len(sizes)
    if k is None:
        raise ValueError("split: cannot tell how many pieces to make; pass an int or a list of "
                         "sizes")
    if value.shape.rank is None:
        dtype = run(value=Spec([k], value.dtype), num_or_size_splits=k, axis=0)[0].dtype
        return [Spec(None, dtype)] * k
    ax = int(a["axis"]) % max(value.shape.rank, 1)
    dims = value.shape.as_list()
    dims[ax] = k                             # one element per piece, then the piece is unknown
    pieces = run(value=Spec(dims, value.dtype), num_or_size_splits=k)
    out = []
    for p, size in zip(pieces, sizes or [None] * k):
        d = p.shape.as_list()
        d[ax] = size if size is not None and size >= 0 and not specs_in(spec) else None
        out.append(Spec(d, p.dtype))
    return out


# The ops whose output shape depends on input values, not only on input shapes: a rule each,
# keyed by the eager function. Every other op's shape comes from running it.
VALUE_DEPENDENT_SHAPES = {
    _array.reshape: _reshape,
    _array.broadcast_to: _broadcast_to,
    _array.boolean_mask: _boolean_mask,
    _math.where: _where,
    _array.range: _range,
    _array.unstack: _unstack,
    _array.split: _split,
    _array.zeros: _sized("shape"),
    _array.ones: _sized("shape"),
    _array.fill: _sized("dims"),
    _strings.split: _pieces("input"),
    _strings.bytes_split: _pieces("input"),
    _strings.unicode_decode: _pieces("input"),
    _strings.unicode_split: _pieces("input"),
    _strings.decode_raw: _pieces("input_bytes", trailing=True),
    _random.normal: _sized("shape"),
    _random.truncated_normal: _sized("shape"),
    _random.uniform: _sized("shape"),
    _random.gamma: _sized("shape"),
    _random.poisson: _sized("shape"),
}
