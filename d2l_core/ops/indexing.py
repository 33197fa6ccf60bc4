"""Indexing and padding: gather and scatter by index, slices, pads, reversal, repetition.

TensorFlow's ways to pick parts of a tensor and to write parts back (its guide
"Introduction to tensor slicing"). Most of these ops turn their arguments into
one NumPy/CuPy index (ints, slices, index arrays), so the kernel is
``a[index]`` and the gradient writes ``dy`` back at that index into zeros
(``array.take_grad``; where an index repeats, the gradients add up). The
scatters and ``gather_nd`` are each other's gradients, as in TensorFlow.

Indices are checked as TensorFlow's CPU kernels check them: an index outside
its axis (a negative one too) raises ``InvalidArgumentError`` naming the entry.
On a GPU they follow TensorFlow's GPU kernels instead, because checking would
stop the GPU until the host has read the answer: ``gather`` and ``gather_nd``
give 0 for an index out of range, and the scatters ignore such a row.

>>> import d2l_core as d2l
>>> t = d2l.constant([[0, 5], [1, 6], [2, 7]])
>>> d2l.gather_nd(t, [[2], [0]]).numpy()
array([[2, 7],
       [0, 5]], dtype=int32)
"""
import builtins

import numpy as np

from .. import backend, dtypes, fused
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidIndexError
from ..tensor import Tensor, convert_to_tensor
from ._op import (arrays, as_tensor, numbers_only, normalize_axis, record, shape_tuple, tapes, wrap,
                  xp_of)
from .array import shape, take_grad, zeros_like
from .broadcast import broadcast_to, reshape
from .math import cast, divide, equal, multiply, negative, where
from .registry import (COMPOSITE, NOT_DIFFERENTIABLE, Sample, Test, distinct, gradient, op,
                       random_axis, random_index, random_shape, uniform)

_slice = builtins.slice       # this module defines tf.slice


# ================================================================ shared helpers

def _take(op, x, a, index, accumulate=False):
    """``a[index]``, ``a`` being ``x``'s array already placed with the index arrays.

    Recorded so that the gradient writes dy back at ``index`` (``accumulate``:
    adding where an index repeats).
    """
    y = wrap(a[index])
    if tapes:
        record(op, (x,), y, {"index": index, "accumulate": accumulate})
    return y


def _int_array(op, value, what):
    """``value`` (an int, a list, a NumPy array or an integer Tensor) as a host int64 array."""
    if isinstance(value, Tensor):
        if not value.dtype.is_integer:
            raise DTypeMismatchError(f"{op}: {what} must be integers, got a {value.dtype.name} "
                                     f"tensor; cast it: d2l.cast({what}, d2l.int32)", op=op)
        return value.numpy().astype(np.int64)
    a = np.asarray(value)
    if a.size and a.dtype.kind not in "iu":
        raise DTypeMismatchError(f"{op}: {what} must be integers, got {value!r:.60}", op=op)
    return a.astype(np.int64)


def _indices(op, indices, vector=True):
    """``indices`` as an integer Tensor (at least 1-D when ``vector``: rows of coordinates)."""
    idx = as_tensor(indices)
    if not idx._dtype.is_integer:
        raise DTypeMismatchError(f"{op}: indices must be integers (int32 or int64), got "
                                 f"{idx._dtype.name}; cast them: d2l.cast(indices, d2l.int32)",
                                 op=op)
    if vector and idx.ndim == 0:
        raise InvalidArgumentError(f"{op}: indices must be at least a vector (rows of "
                                   "coordinates, the last axis holding one row), got a scalar; "
                                   "write [[i]] for one index", op=op)
    return idx


def _grid(xp, dims, extra):
    """``xp.arange`` over each of ``dims``, shaped to broadcast against ``extra`` more axes:
    the index arrays that keep leading (batch) axes aligned in an advanced index."""
    n = len(dims)
    return tuple(xp.arange(d).reshape((1,) * i + (d,) + (1,) * (n - i - 1 + extra))
                 for i, d in enumerate(dims))


def _same_batch(op, x, idx, batch_dims):
    for i in range(batch_dims):
        if x.shape[i] != idx.shape[i]:
            raise InvalidArgumentError(
                f"{op}: params.shape[{i}] = {x.shape[i]} should equal indices.shape[{i}] = "
                f"{idx.shape[i]}: the first batch_dims={batch_dims} axes are batch axes that "
                f"params (shape {tuple(x.shape)}) and indices (shape {tuple(idx.shape)}) share",
                op=op)


def _check_rows(op, iv, dims, what, batch_dims=0):
    """Raise TensorFlow's error for the first row of ``iv`` (shape (..., k)) outside ``dims``.

    Each row's coordinates index the first k of ``dims`` after ``batch_dims`` batch axes
    (the error shows a row with its batch coordinates, as TensorFlow does).
    """
    k = iv.shape[-1]
    if iv.size == 0:
        return
    limits = backend.to_device(np.array(dims[batch_dims:batch_dims + k], iv.dtype),
                               backend.device_of(iv))
    bad = ((iv < 0) | (iv >= limits)).any(axis=-1)
    if not bool(bad.any()):
        return
    pos = int(bad.reshape(-1).argmax())
    rows = backend.to_numpy(iv).reshape(-1, k)
    where = np.unravel_index(pos, iv.shape[:-1])[:batch_dims]
    row = ", ".join(str(int(i)) for i in (*where, *rows[pos]))
    raise InvalidIndexError(
        f"{op}: indices[{pos}] = [{row}] does not index into {what} [{','.join(map(str, dims))}]; "
        "each coordinate must lie in [0, n) for its axis of length n (negative indices are not "
        "allowed)", op=op)


# One launch for both: ``ok`` where 0 <= i < n, and ``safe``, i there and 0 elsewhere.
_in_range = fused.Elementwise("index_in_range", "T index, T n", "T safe, bool ok",
                              "ok = (index >= 0) * (index < n); safe = where(ok, index, 0)",
                              kind="int")


def _in_range_on_device(iv, dims):
    """On a GPU: indices that are safe to use (0 where out of range) and where they were valid.

    ``dims``: one length per coordinate on the last axis of ``iv`` (rows), or an int
    (every element one index).
    """
    if isinstance(dims, int):
        return _in_range(iv, dims)
    xp = xp_of(iv)
    safe, ok = xp.empty_like(iv), xp.empty(iv.shape, bool)
    row_ok = xp.empty(iv.shape[:-1], bool)
    for j, n in enumerate(dims):
        _in_range(iv[..., j], n, safe[..., j], row_ok if j == 0 else ok[..., j])
        if j:
            xp.logical_and(row_ok, ok[..., j], out=row_ok)
    return safe, row_ok


def _zero_where_invalid(y, ok, shape):
    """``y`` with 0 where ``ok`` (reshaped to broadcast) is False: recorded, so the
    gradient is 0 there too."""
    return where(wrap(ok.reshape(shape)), y, zeros_like(y))


def _same_dtype_as(op, value, dtype, what):
    """``value`` as a Tensor of ``dtype``: Python values are converted, Tensors must match."""
    if isinstance(value, Tensor):
        t = as_tensor(value)
        if t._dtype is not dtype:
            raise DTypeMismatchError(
                f"{op}: {what} has dtype {t._dtype.name} but the tensor has dtype {dtype.name}; "
                f"cast it first: d2l.cast({what}, d2l.{dtype.name})", op=op)
        return t
    return convert_to_tensor(value, dtype=dtype)


# ================================================================ gather

def _gather_reference(x, idx, axis, batch_dims):
    """tf.gather by loops: out[b..., m..., i..., r...] = x[b..., m..., idx[b..., i...], r...]."""
    lead, inner = x.shape[:axis], idx.shape[batch_dims:]
    out = np.empty(lead + inner + x.shape[axis + 1:], x.dtype)
    for pos in np.ndindex(*lead):
        for i in np.ndindex(*inner):
            out[pos + i] = x[pos + (idx[pos[:batch_dims] + i],)]
    return out


def _gather_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1, max_side=3))
    b = int(rng.integers(0, x.ndim))                         # batch axes: 0..ndim-1
    axis = int(rng.integers(b, x.ndim))
    # indices of any shape after the batch axes, repeated ones too: their gradients add up
    idx_shape = x.shape[:b] + random_shape(rng, max_dims=2)
    idx = rng.integers(0, x.shape[axis], size=idx_shape).astype(np.int32)
    given = None if axis == b and rng.random() < 0.5 else axis - x.ndim * int(rng.integers(2))
    return [Sample(lambda x, i: gather(x, i, axis=given, batch_dims=b), (x, idx),
                   lambda x, i: _gather_reference(x, i, axis, b))]


@op("GatherV2", test=Test(samples=_gather_samples))
def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Pick slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).

    Indices must be in [0, n); the gradient adds up where an index repeats.
    With ``batch_dims=b`` the first b axes of ``params`` and ``indices`` are
    batch axes: each batch element gathers with its own indices (``axis``
    defaults to ``batch_dims`` and must not be smaller).

    >>> d2l.gather([10, 20, 30], [2, 0, 2]).numpy()
    array([30, 10, 30], dtype=int32)
    >>> d2l.gather([[1, 2, 3], [4, 5, 6]], [[0, 0], [2, 1]], batch_dims=1).numpy()
    array([[1, 1],
           [6, 5]], dtype=int32)
    """
    x = as_tensor(params)
    idx = _indices("gather", indices, vector=False)
    if x.ndim == 0:
        raise InvalidArgumentError("gather: params must be at least 1-D, got a scalar", op="gather")
    b = int(batch_dims)
    if not -idx.ndim <= b <= idx.ndim:
        raise InvalidArgumentError(f"gather: batch_dims must be in [{-idx.ndim}, {idx.ndim}] for "
                                   f"indices of rank {idx.ndim}, got {b}", op="gather")
    if b < 0:
        b += idx.ndim
    (ax,) = normalize_axis("gather", b if axis is None else axis, x.ndim)
    if ax < b:
        raise InvalidArgumentError(f"gather: axis {ax} must be >= batch_dims {b}: the batch axes "
                                   "come first and are not gathered from", op="gather")
    _same_batch("gather", x, idx, b)
    a, iv = arrays("gather", x, idx)
    n = a.shape[ax]
    ok = None
    if xp_of(iv) is not np:     # a GPU: TensorFlow's GPU kernel gives 0, checks nothing
        iv, ok = _in_range_on_device(iv, n)
        if n == 0:              # nothing to pick from: a 1-long axis of zeros to pick
            a = xp_of(a).zeros(a.shape[:ax] + (1,) + a.shape[ax + 1:], a.dtype)
            x = wrap(a)
    elif iv.size:
        bad = (iv < 0) | (iv >= n)
        if bool(bad.any()):
            pos = np.unravel_index(int(bad.reshape(-1).argmax()), iv.shape)
            value = int(backend.to_numpy(iv)[pos])
            raise InvalidIndexError(
                f"gather: indices[{','.join(map(str, pos))}] = {value} is not in [0, {n}) (axis "
                f"{ax} of params shape {tuple(a.shape)}); negative indices are not allowed",
                op="gather")
    if b == 0:
        index = (_slice(None),) * ax + (iv,)
    else:       # batch and middle axes by aranges, so every index array sits together up front
        index = (*_grid(xp_of(iv), a.shape[:ax], iv.ndim - b),
                 iv.reshape(iv.shape[:b] + (1,) * (ax - b) + iv.shape[b:]))
    y = _take("gather", x, a, index, accumulate=True)
    if ok is not None:
        y = _zero_where_invalid(y, ok, iv.shape[:b] + (1,) * (ax - b) + iv.shape[b:]
                                + (1,) * (a.ndim - ax - 1))
    return y


# ================================================================ gather_nd

def _gather_nd_reference(x, idx, b=0):
    """tf.gather_nd by loops, one row of coordinates at a time."""
    lead, k = idx.shape[:-1], idx.shape[-1]
    out = np.empty(lead + x.shape[b + k:], x.dtype)
    for pos in np.ndindex(*lead):
        out[pos] = x[pos[:b] + tuple(idx[pos])]
    return out


def _rows(rng, dims, lead, unique=False):
    """Index rows (shape ``lead + (len(dims),)``) into ``dims``; ``unique``: no row twice."""
    n = int(np.prod(lead, dtype=int))
    if not dims:
        return np.zeros(lead + (0,), np.int32)
    if unique:
        flat = rng.permutation(int(np.prod(dims, dtype=int)))[:n]
        rows = np.stack(np.unravel_index(flat, dims), -1)
        return rows.reshape(lead + (len(dims),)).astype(np.int32)
    cols = [rng.integers(0, d, size=lead) for d in dims]
    return np.stack(cols, -1).reshape(lead + (len(dims),)).astype(np.int32)


def _gather_nd_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1, max_side=3))
    b = int(rng.integers(0, x.ndim))
    k = int(rng.integers(0, x.ndim - b + 1))       # k = 0 picks whole (batch) slices
    idx = _rows(rng, x.shape[b:b + k], x.shape[:b] + random_shape(rng, max_dims=2, max_side=3))
    return [Sample(lambda x, i: gather_nd(x, i, batch_dims=b), (x, idx),
                   lambda x, i: _gather_nd_reference(x, i, b))]


@op("GatherNd", test=Test(samples=_gather_nd_samples))
def gather_nd(params, indices, batch_dims=0, name=None):
    """Pick elements or slices of ``params`` by rows of coordinates (``tf.gather_nd``).

    The last axis of ``indices`` holds one row ``[i0, i1, ...]`` of k coordinates;
    each row picks ``params[i0, i1, ...]`` (a slice when k < rank). With
    ``batch_dims=b`` the first b axes are batch axes shared by both.

    >>> t = d2l.reshape(d2l.range(8), (2, 2, 2))
    >>> d2l.gather_nd(t, [[0, 1, 1], [1, 0, 0]]).numpy()
    array([3, 4], dtype=int32)
    >>> d2l.gather_nd(t, [[1, 0]]).numpy()
    array([[4, 5]], dtype=int32)
    """
    x = as_tensor(params)
    idx = _indices("gather_nd", indices)
    b = int(batch_dims)
    if not 0 <= b < idx.ndim:
        raise InvalidArgumentError(f"gather_nd: batch_dims must be in [0, {idx.ndim}) (below the "
                                   f"rank of indices, {idx.ndim}), got {b}", op="gather_nd")
    k = idx.shape[-1]
    if x.ndim == 0 or b + k > x.ndim:
        raise InvalidArgumentError(
            f"gather_nd: each row of indices has {k} coordinates, but params of shape "
            f"{tuple(x.shape)} has only {x.ndim - b} axes after its {b} batch axes; a row "
            "may have at most that many coordinates", op="gather_nd")
    _same_batch("gather_nd", x, idx, b)
    if k == 0:     # each row picks all of params (per batch): index a new axis of length 1
        x = reshape(x, x._value.shape[:b] + (1,) + x._value.shape[b:])
    a, iv = arrays("gather_nd", x, idx)
    xp = xp_of(iv)
    ok = None
    if k == 0:
        iv = xp.zeros(iv.shape[:-1] + (1,), iv.dtype)
    elif xp is not np:          # a GPU: TensorFlow's GPU kernel gives 0, checks nothing
        iv, ok = _in_range_on_device(iv, a.shape[b:b + k])
        if 0 in a.shape[b:b + k]:
            a = xp.zeros(a.shape[:b] + tuple(max(d, 1) for d in a.shape[b:b + k])
                         + a.shape[b + k:], a.dtype)
            x = wrap(a)
    else:
        _check_rows("gather_nd", iv, a.shape, "param shape", b)
    index = _grid(xp, a.shape[:b], iv.ndim - 1 - b) + tuple(iv[..., j]
                                                             for j in range(iv.shape[-1]))
    y = _take("gather_nd", x, a, index, accumulate=True)
    if ok is not None:
        y = _zero_where_invalid(y, ok, ok.shape + (1,) * (a.ndim - b - k))
    return y


# ================================================================ scatters

def _scatter_reference(x, idx, u, combine):
    """A scatter by loops: each row of ``idx`` combines its update into ``x``, in order."""
    out = x.copy()
    for pos in np.ndindex(*idx.shape[:-1]):
        at = tuple(idx[pos])
        out[at] = combine(out[at], u[pos])
    return out


def _scatter_case(rng, unique=False):
    """A target shape, rows of coordinates into it, and updates of the matching shape."""
    target = random_shape(rng, min_dims=1, max_side=3)
    k = int(rng.integers(1, len(target) + 1))
    lead = random_shape(rng, min_dims=1, max_dims=2, max_side=3)
    if unique:
        lead = (min(int(np.prod(lead)), int(np.prod(target[:k]))),)
    idx = _rows(rng, target[:k], lead, unique)
    return target, idx, lead + target[k:]


def _scatter_nd_samples(rng):
    target, idx, ushape = _scatter_case(rng)
    u = uniform()(rng, ushape)
    return [Sample(lambda i, u: scatter_nd(i, u, target), (idx, u),
                   lambda i, u: _scatter_reference(np.zeros(target), i, u, np.add))]


def _check_scatter(op, idx, u, target, what):
    """TensorFlow's shape rules: indices (..., k) with k <= rank; updates (...) + target[k:]."""
    k = idx.shape[-1]
    if not 1 <= k <= len(target):
        raise InvalidArgumentError(
            f"{op}: each row of indices must have 1 to {len(target)} coordinates (the rank of "
            f"{what} {list(target)}), got {k}", op=op)
    want = tuple(idx.shape[:-1]) + tuple(target[k:])
    if tuple(u.shape) != want:
        raise InvalidArgumentError(
            f"{op}: updates must have shape {list(want)} (indices.shape[:-1] + {what}[{k}:]), "
            f"got {list(u.shape)}; indices have shape {list(idx.shape)} and {what} is "
            f"{list(target)}", op=op)


_COMBINE = {"update": None, "add": "add", "sub": "subtract", "min": "minimum", "max": "maximum"}


def _scatter_into(out, iv, uv, how):
    """Combine ``uv`` into ``out`` in place at the rows of ``iv``. Where a row repeats,
    "update" keeps the last update and the others combine them all."""
    index = tuple(iv[..., j] for j in range(iv.shape[-1]))
    if how == "update":
        out[index] = uv
    else:
        getattr(xp_of(out), _COMBINE[how]).at(out, index, uv)


def _scattered(op, base, iv, uv, how):
    """A new array: ``base`` with ``uv`` combined in at the rows of ``iv``.

    On the CPU a row out of range raises TensorFlow's error. On a GPU it is
    ignored, as TensorFlow's GPU kernels do (checking would be a host round trip):
    such rows are sent to one extra slice past the end of axis 0, cut off after.
    """
    if xp_of(iv) is np:
        _check_rows(op, iv, base.shape, "shape")
        out = base.copy()
        _scatter_into(out, iv, uv, how)
        return out
    xp = xp_of(iv)
    safe, ok = _in_range_on_device(iv, base.shape[:iv.shape[-1]])
    safe[..., 0] = xp.where(ok, safe[..., 0], base.shape[0])
    out = xp.empty((base.shape[0] + 1,) + base.shape[1:], base.dtype)
    out[:-1] = base
    _scatter_into(out, safe, uv, how)
    return out[:-1]


@op("ScatterNd", test=Test(samples=_scatter_nd_samples))
def scatter_nd(indices, updates, shape, name=None):
    """Zeros of ``shape`` with ``updates`` added at rows of coordinates (``tf.scatter_nd``).

    Updates whose rows repeat are summed; the gradient gathers back (``gather_nd``).

    >>> d2l.scatter_nd([[1], [3], [1]], [2, 4, 6], [5]).numpy()
    array([0, 8, 0, 4, 0], dtype=int32)
    """
    idx = _indices("scatter_nd", indices)
    u = as_tensor(updates)
    target = shape_tuple("scatter_nd", shape)
    _check_scatter("scatter_nd", idx, u, target, "shape")
    uv, iv = arrays("scatter_nd", u, idx)
    y = wrap(_scattered("scatter_nd", xp_of(uv).zeros(target, uv.dtype), iv, uv, "add"))
    if tapes:
        record("scatter_nd", (u,), y, {"indices": idx})
    return y


@gradient("scatter_nd")
def _scatter_nd_grad(dy, inputs, y, attrs):
    return (gather_nd(dy, attrs["indices"]),)


def _tensor_scatter(op, how, tensor, indices, updates):
    """``tensor`` with ``updates`` combined in (``how``) at rows of ``indices``: a new tensor."""
    x = as_tensor(tensor)
    if how != "update":
        numbers_only(op, x)
    idx = _indices(op, indices)
    u = _same_dtype_as(op, updates, x._dtype, "updates")
    _check_scatter(op, idx, u, x.shape, "the tensor's shape")
    a, uv, iv = arrays(op, x, u, idx)
    y = wrap(_scattered(op, a, iv, uv, how))
    if tapes:
        record(op, (x, u), y, {"indices": idx})
    return y


def _tensor_scatter_samples(name, combine, unique=False, domain=uniform()):
    def samples(rng):
        target, idx, ushape = _scatter_case(rng, unique)
        n = int(np.prod(target, dtype=int))
        values = domain(rng, (n + int(np.prod(ushape, dtype=int)),))
        x, u = values[:n].reshape(target), values[n:].reshape(ushape)
        fn = globals()[name]        # looked up when drawn: the op is defined below its samples
        return [Sample(lambda x, i, u: fn(x, i, u), (x, idx, u),
                       lambda x, i, u: _scatter_reference(x, i, u, combine))]
    return samples


# For update, no row twice: an overwritten update gets TensorFlow's gradient (dy) though it
# has no effect. For min and max, distinct values: no ties.
@op("TensorScatterUpdate",
    test=Test(samples=_tensor_scatter_samples("tensor_scatter_nd_update", lambda old, new: new,
                                              unique=True)))
def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` written at rows of coordinates
    (``tf.tensor_scatter_nd_update``); where a row repeats, one of its updates wins.

    >>> d2l.tensor_scatter_nd_update([[1, 2], [3, 4]], [[1]], [[7, 8]]).numpy()
    array([[1, 2],
           [7, 8]], dtype=int32)
    """
    return _tensor_scatter("tensor_scatter_nd_update", "update", tensor, indices, updates)


@gradient("tensor_scatter_nd_update")
def _update_grad(dy, inputs, y, attrs):
    idx = attrs["indices"]
    return (tensor_scatter_nd_update(dy, idx, zeros_like(inputs[1])), gather_nd(dy, idx))


@op("TensorScatterAdd", test=Test(samples=_tensor_scatter_samples("tensor_scatter_nd_add",
                                                                   np.add)))
def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` added at rows of coordinates
    (``tf.tensor_scatter_nd_add``); repeated rows add up.

    >>> d2l.tensor_scatter_nd_add([1, 1, 1], [[0], [2], [0]], [5, 6, 7]).numpy()
    array([13,  1,  7], dtype=int32)
    """
    return _tensor_scatter("tensor_scatter_nd_add", "add", tensor, indices, updates)


@gradient("tensor_scatter_nd_add")
def _add_grad(dy, inputs, y, attrs):
    return (dy, gather_nd(dy, attrs["indices"]))


@op("TensorScatterSub", test=Test(samples=_tensor_scatter_samples("tensor_scatter_nd_sub",
                                                                   np.subtract)))
def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` subtracted at rows of coordinates
    (``tf.tensor_scatter_nd_sub``).

    >>> d2l.tensor_scatter_nd_sub([1, 1, 1], [[0], [2]], [5, 6]).numpy()
    array([-4,  1, -5], dtype=int32)
    """
    return _tensor_scatter("tensor_scatter_nd_sub", "sub", tensor, indices, updates)


@gradient("tensor_scatter_nd_sub")
def _sub_grad(dy, inputs, y, attrs):
    return (dy, negative(gather_nd(dy, attrs["indices"])))


@op("TensorScatterMin", test=Test(samples=_tensor_scatter_samples(
    "tensor_scatter_nd_min", np.minimum, domain=distinct())))
def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """A copy of ``tensor`` keeping the smaller of it and ``updates`` at rows of coordinates
    (``tf.tensor_scatter_nd_min``).

    >>> d2l.tensor_scatter_nd_min([1, 5, 3], [[1], [2]], [2, 9]).numpy()
    array([1, 2, 3], dtype=int32)
    """
    return _tensor_scatter("tensor_scatter_nd_min", "min", tensor, indices, updates)


@op("TensorScatterMax", test=Test(samples=_tensor_scatter_samples(
    "tensor_scatter_nd_max", np.maximum, domain=distinct())))
def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """A copy of ``tensor`` keeping the larger of it and ``updates`` at rows of coordinates
    (``tf.tensor_scatter_nd_max``).

    >>> d2l.tensor_scatter_nd_max([1, 5, 3], [[1], [2]], [2, 9]).numpy()
    array([1, 5, 9], dtype=int32)
    """
    return _tensor_scatter("tensor_scatter_nd_max", "max", tensor, indices, updates)


@gradient("tensor_scatter_nd_min")
@gradient("tensor_scatter_nd_max")
def _min_max_grad(dy, inputs, y, attrs):
    # TensorFlow's rule: dy goes to every element equal to the result, split evenly on ties.
    x, u = inputs
    idx = attrs["indices"]
    x_hits = cast(equal(x, y), dy.dtype)
    u_hits = cast(equal(u, gather_nd(y, idx)), dy.dtype)
    hits = x_hits + scatter_nd(idx, u_hits, x.shape)         # >= 1 everywhere
    return (divide(multiply(dy, x_hits), hits), multiply(gather_nd(divide(dy, hits), idx), u_hits))


# ================================================================ slice, strided_slice

def _slice_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=4))
    begin = [int(rng.integers(0, n + 1)) for n in x.shape]
    size = [-1 if rng.random() < 0.3 else int(rng.integers(0, n - b + 1))
            for n, b in zip(x.shape, begin)]
    key = tuple(_slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
    return [Sample(lambda x: slice(x, begin, size), (x,), lambda x: x[key])]


@op("Slice", test=Test(samples=_slice_samples))
def slice(input_, begin, size, name=None):  # noqa: A001  (TensorFlow's name)
    """The block of ``size[i]`` elements from ``begin[i]`` along each axis i (``tf.slice``).

    A size of -1 takes everything from ``begin[i]`` to the end of the axis.

    >>> t = d2l.constant([[1, 2, 3], [4, 5, 6]])
    >>> d2l.slice(t, begin=[0, 1], size=[2, 2]).numpy()
    array([[2, 3],
           [5, 6]], dtype=int32)
    >>> d2l.slice(t, [1, 0], [-1, 1]).numpy()
    array([[4]], dtype=int32)
    """
    x = as_tensor(input_)
    b, s = _int_array("slice", begin, "begin"), _int_array("slice", size, "size")
    dims = tuple(x.shape)
    if b.shape != (len(dims),) or s.shape != (len(dims),):
        raise InvalidArgumentError(
            f"slice: begin and size need one entry per axis of the input's shape {dims}, got "
            f"begin={b.tolist()} and size={s.tolist()}", op="slice")
    index = []
    for i, (n, start, length) in enumerate(zip(dims, b.tolist(), s.tolist())):
        if not 0 <= start <= n:
            raise InvalidIndexError(f"slice: begin[{i}] = {start} is not in [0, {n}] (axis {i} "
                                    f"of shape {dims}); slice counts from 0, without negative "
                                    "positions", op="slice")
        if length == -1:
            length = n - start
        if not 0 <= length <= n - start:
            raise InvalidIndexError(f"slice: size[{i}] = {length} is not in [0, {n - start}] "
                                    f"(axis {i} of shape {dims} from begin {start}); -1 means "
                                    "'to the end'", op="slice")
        index.append(_slice(start, start + length))
    (a,) = arrays("slice", x)
    return _take("slice", x, a, tuple(index))


def _strided_args(rng, key):
    """``key`` spelled as strided_slice's arguments, as ``t[key]`` spells it in TensorFlow;
    mask bits that lose to another (a begin mask on a shrunk axis, a shrink bit on a new axis,
    a new-axis bit on the ellipsis) are set at random, with junk bounds where they are ignored."""
    begin, end, strides = [], [], []
    masks = dict.fromkeys(("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                           "shrink_axis_mask"), 0)
    junk = lambda: int(rng.integers(-3, 4))     # noqa: E731

    def maybe(mask, bit):
        if rng.random() < 0.3:
            masks[mask] |= bit
    for i, k in enumerate(key):
        bit = 1 << i
        if k is Ellipsis:
            masks["ellipsis_mask"] |= bit
            maybe("new_axis_mask", bit)
            begin.append(junk()), end.append(junk()), strides.append(1)
        elif k is None:
            masks["new_axis_mask"] |= bit
            maybe("shrink_axis_mask", bit)
            begin.append(junk()), end.append(junk()), strides.append(1)
        elif isinstance(k, int):
            masks["shrink_axis_mask"] |= bit
            maybe("begin_mask", bit)
            maybe("end_mask", bit)
            begin.append(k), end.append(junk()), strides.append(int(rng.integers(1, 3)))
        else:
            begin.append(junk() if k.start is None else k.start)
            end.append(junk() if k.stop is None else k.stop)
            strides.append(1 if k.step is None else k.step)
            if k.start is None:
                masks["begin_mask"] |= bit
            if k.stop is None:
                masks["end_mask"] |= bit
    if rng.random() < 0.3:           # bits past the spec's end are ignored
        masks["shrink_axis_mask"] |= 1 << len(key)
    return begin, end, strides, masks


def _strided_slice_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=4))
    key = random_index(rng, x.shape)
    begin, end, strides, masks = _strided_args(rng, key)
    return [Sample(lambda x: strided_slice(x, begin, end, strides, **masks), (x,),
                   lambda x: x[key])]


def _strided_index(shape, begin, end, strides, begin_mask, end_mask, ellipsis_mask,
                   new_axis_mask, shrink_axis_mask):
    """TensorFlow's slice spec as a NumPy basic index (ints, slices, ``...``, None).

    Position i is read by its mask bits in TensorFlow's order: the ellipsis, else a new
    axis, else a shrunk axis (an int: begin[i]), else a slice with open ends where
    begin_mask/end_mask say. Python slices clamp out-of-range bounds as TensorFlow does.
    """
    n, ndim = len(begin), len(shape)
    if bin(ellipsis_mask).count("1") > 1:           # TensorFlow counts bits past the spec too
        raise InvalidArgumentError("strided_slice: more than one ellipsis in the slice spec "
                                   f"(ellipsis_mask={ellipsis_mask}); use at most one",
                                   op="strided_slice")
    used = sum(1 for i in range(n) if not (ellipsis_mask | new_axis_mask) & (1 << i))
    if used > ndim:
        raise InvalidIndexError(f"strided_slice: the slice spec indexes {used} axes, but the "
                                f"input of shape {tuple(shape)} has only {ndim}",
                                op="strided_slice")
    key, axis = [], 0
    for i in range(n):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
            axis += ndim - used
            continue
        if new_axis_mask & bit:
            key.append(None)
            continue
        if strides[i] == 0:
            raise InvalidArgumentError(f"strided_slice: strides[{i}] must be non-zero",
                                       op="strided_slice")
        if shrink_axis_mask & bit:
            d, j = shape[axis], begin[i]
            if strides[i] < 0:
                raise InvalidArgumentError(
                    f"strided_slice: position {i} takes one index (shrink_axis_mask), which "
                    f"needs a positive stride, got {strides[i]}", op="strided_slice")
            if not -d <= j < d:
                raise InvalidIndexError(f"strided_slice: index {j} is out of bounds for axis "
                                        f"{axis} of shape {tuple(shape)} (valid: {-d}..{d - 1})",
                                        op="strided_slice")
            key.append(j % d)
        else:
            key.append(_slice(None if begin_mask & bit else begin[i],
                              None if end_mask & bit else end[i], strides[i]))
        axis += 1
    return tuple(key)


@op("StridedSlice", test=Test(samples=_strided_slice_samples))
def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """``input_[begin:end:strides]`` along each axis, spelled out (``tf.strided_slice``).

    This is what ``t[...]`` runs in TensorFlow. Bit i of a mask applies to
    position i of ``begin``/``end``/``strides``: ``begin_mask``/``end_mask`` leave
    that bound open (``:`` ends), ``ellipsis_mask`` makes it ``...``,
    ``new_axis_mask`` inserts an axis (``None``) and ``shrink_axis_mask``
    takes the single index ``begin[i]``, removing the axis.

    >>> t = d2l.reshape(d2l.range(12), (3, 4))
    >>> d2l.strided_slice(t, [0, 3], [3, 0], [2, -1]).numpy()      # t[0:3:2, 3:0:-1]
    array([[ 3,  2,  1],
           [11, 10,  9]], dtype=int32)
    >>> d2l.strided_slice(t, [1, 0], [2, 0], end_mask=2, shrink_axis_mask=1).numpy()  # t[1, 0:]
    array([4, 5, 6, 7], dtype=int32)
    """
    x = as_tensor(input_)
    b = _int_array("strided_slice", begin, "begin")
    e = _int_array("strided_slice", end, "end")
    s = np.ones_like(b) if strides is None else _int_array("strided_slice", strides, "strides")
    if not b.ndim == e.ndim == s.ndim == 1 or not len(b) == len(e) == len(s):
        raise InvalidArgumentError(
            f"strided_slice: begin, end and strides must be 1-D and of one length, got "
            f"{b.tolist()}, {e.tolist()} and {s.tolist()}", op="strided_slice")
    index = _strided_index(x.shape, b.tolist(), e.tolist(), s.tolist(), int(begin_mask),
                           int(end_mask), int(ellipsis_mask), int(new_axis_mask),
                           int(shrink_axis_mask))
    (a,) = arrays("strided_slice", x)
    return _take("strided_slice", x, a, index)


# ================================================================ pad

def _pad_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=3))
    mode = ["CONSTANT", "REFLECT", "SYMMETRIC", "reflect"][int(rng.integers(4))]
    most = {"CONSTANT": 2, "REFLECT": -1, "SYMMETRIC": 0}[mode.upper()]     # beyond the side
    paddings = np.array([[int(rng.integers(0, max(0, n + most) + 1)) for _ in "ab"]
                         for n in x.shape], np.int32).reshape(-1, 2)      # (0, 2) for a scalar
    value = round(float(rng.uniform(-2, 2)), 2)
    kind = mode.lower()
    return [Sample(lambda x: pad(x, paddings, mode, constant_values=value), (x,),
                   lambda x: np.pad(x, paddings, kind, **({"constant_values": value}
                                                          if kind == "constant" else {}))
                   if x.ndim else x)]       # NumPy cannot pad a scalar; nothing to pad anyway


@op("Pad", test=Test(samples=_pad_samples))
def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """``tensor`` with ``paddings[i] = [before, after]`` elements added on each side of axis i
    (``tf.pad``).

    ``mode`` (any case): "CONSTANT" fills with ``constant_values``, "REFLECT"
    mirrors the tensor without repeating its edge (paddings < the axis length),
    "SYMMETRIC" with it (paddings <= the axis length).

    >>> d2l.pad([[1, 2], [3, 4]], [[1, 0], [0, 2]]).numpy()
    array([[0, 0, 0, 0],
           [1, 2, 0, 0],
           [3, 4, 0, 0]], dtype=int32)
    >>> d2l.pad([1, 2, 3], [[2, 2]], "REFLECT").numpy()
    array([3, 2, 1, 2, 3, 2, 1], dtype=int32)
    >>> d2l.pad([1, 2, 3], [[2, 2]], "SYMMETRIC").numpy()
    array([2, 1, 1, 2, 3, 3, 2], dtype=int32)
    """
    x = as_tensor(tensor)
    p = _int_array("pad", paddings, "paddings")
    if p.shape != (x.ndim, 2):
        raise InvalidArgumentError(
            f"pad: paddings must have shape [{x.ndim}, 2], a [before, after] pair per axis of "
            f"the input's shape {tuple(x.shape)}, got shape {list(p.shape)}", op="pad")
    if (p < 0).any():
        raise InvalidArgumentError(f"pad: paddings must be non-negative, got {p.tolist()}",
                                   op="pad")
    how = str(mode).upper()
    if how == "CONSTANT":
        return _constant_pad(x, p.tolist(), constant_values)
    if how not in ("REFLECT", "SYMMETRIC"):
        raise InvalidArgumentError(f"pad: mode must be 'CONSTANT', 'REFLECT' or 'SYMMETRIC', got "
                                   f"{mode!r}", op="pad")
    return _mirror_pad(x, p.tolist(), how == "SYMMETRIC")


def _constant_pad(x, paddings, constant_values):
    if type(constant_values) is int and constant_values == 0:    # the default: the dtype's zero
        c = wrap(np.zeros((), x._dtype.np))
    else:
        c = _same_dtype_as("pad", constant_values, x._dtype, "constant_values")
    if c.ndim != 0:
        raise InvalidArgumentError(f"pad: constant_values must be a scalar, got shape "
                                   f"{tuple(c.shape)}", op="pad")
    a, cv = arrays("pad", x, c)
    inner = tuple(_slice(lo, lo + n) for (lo, hi), n in zip(paddings, a.shape))
    out = xp_of(a).full(tuple(n + lo + hi for (lo, hi), n in zip(paddings, a.shape)), cv,
                        dtype=a.dtype)
    out[inner] = a
    y = wrap(out)
    if tapes:
        record("pad", (x,), y, {"index": inner})
    return y


@gradient("pad")
def _pad_grad(dy, inputs, y, attrs):
    (g,) = arrays("slice", dy)
    return (_take("slice", dy, g, attrs["index"]),)


def _mirror_pad(x, paddings, symmetric):
    """REFLECT or SYMMETRIC padding as one gather: an index array per axis (``np.ix_``)."""
    (a,) = arrays("pad", x)
    shift = 1 if symmetric else 0        # SYMMETRIC repeats the edge element, REFLECT does not
    rows = []
    for axis, ((lo, hi), n) in enumerate(zip(paddings, a.shape)):
        if max(lo, hi) > n - 1 + shift:
            bound = "no greater than" if symmetric else "less than"
            raise InvalidArgumentError(
                f"pad: in {'SYMMETRIC' if symmetric else 'REFLECT'} mode paddings must be "
                f"{bound} the axis length: axis {axis} has length {n} but paddings [{lo}, {hi}]",
                op="pad")
        i = np.arange(-lo, n + hi)
        i = np.where(i < 0, -i - shift, i)
        rows.append(np.where(i >= n, 2 * n - 2 + shift - i, i))
    dev = backend.device_of(a)
    index = tuple(backend.to_device(r, dev) for r in np.ix_(*rows))
    return _take("mirror_pad", x, a, index, accumulate=True)


op("MirrorPad", exports=(), name="mirror_pad", tested_by="pad")(_mirror_pad)


# ================================================================ reverse, repeat

def _reverse_samples(rng):
    x = uniform()(rng, random_shape(rng))
    axes = [i - x.ndim * int(rng.integers(2)) for i in range(x.ndim) if rng.random() < 0.5]
    return [Sample(lambda x: reverse(x, axes), (x,), lambda x: np.flip(x, tuple(axes)))]


@op("ReverseV2", test=Test(samples=_reverse_samples))
def reverse(tensor, axis, name=None):
    """``tensor`` with the order of its elements reversed along each axis in ``axis``
    (a list; ``tf.reverse``).

    >>> d2l.reverse([[1, 2, 3], [4, 5, 6]], [1]).numpy()
    array([[3, 2, 1],
           [6, 5, 4]], dtype=int32)
    """
    x = as_tensor(tensor)
    ax = _int_array("reverse", axis, "axis")
    if ax.ndim != 1:
        raise InvalidArgumentError(f"reverse: axis must be a list of axes, got {axis!r}; e.g. "
                                   f"d2l.reverse(x, [{axis!r}])", op="reverse")
    axes = normalize_axis("reverse", ax.tolist(), x.ndim)
    (a,) = arrays("reverse", x)
    y = wrap(a[tuple(_slice(None, None, -1 if i in axes else None) for i in range(a.ndim))])
    if tapes:
        record("reverse", (x,), y, {"axes": list(axes)})
    return y


@gradient("reverse")
def _reverse_grad(dy, inputs, y, attrs):
    return (reverse(dy, attrs["axes"]),)


def _repeat_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=3))
    axis = random_axis(rng, x.ndim, none=True)
    n = x.size if axis is None else x.shape[axis]
    repeats = [int(rng.integers(0, 4)), [int(rng.integers(0, 4))],
               [int(r) for r in rng.integers(0, 4, size=n)]][int(rng.integers(3))]
    return [Sample(lambda x: repeat(x, repeats, axis), (x,),
                   lambda x: np.repeat(x, np.broadcast_to(repeats, (n,)), axis))]


@op("Repeat", test=Test(samples=_repeat_samples))
def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Repeat each element (or slice along ``axis``) ``repeats`` times (``tf.repeat``).

    ``repeats`` is one count for all, or one per element of the axis; with
    ``axis=None`` the tensor is flattened first. The gradient sums each
    element's copies.

    >>> d2l.repeat([[1, 2], [3, 4]], repeats=[1, 2], axis=0).numpy()
    array([[1, 2],
           [3, 4],
           [3, 4]], dtype=int32)
    >>> d2l.repeat([[1, 2], [3, 4]], 2).numpy()
    array([1, 1, 2, 2, 3, 3, 4, 4], dtype=int32)
    """
    x = as_tensor(input)
    r = _int_array("repeat", repeats, "repeats")
    if r.ndim > 1:
        raise InvalidArgumentError(f"repeat: repeats must be a number or a 1-D list, got shape "
                                   f"{list(r.shape)}", op="repeat")
    if axis is None or x.ndim == 0:
        x = reshape(x, [-1])
    (ax,) = normalize_axis("repeat", 0 if axis is None else axis, x.ndim)
    n = x.shape[ax]
    if r.size not in (1, n):
        raise InvalidArgumentError(
            f"repeat: repeats has {r.size} counts but axis {ax} has {n} elements; give one count "
            "for all or one per element", op="repeat")
    counts = np.broadcast_to(np.maximum(r, 0), (n,))      # as in TensorFlow, -k repeats 0 times
    (a,) = arrays("repeat", x)
    idx = backend.to_device(np.repeat(np.arange(n), counts), backend.device_of(a))
    return _take("repeat", x, a, (_slice(None),) * ax + (idx,), accumulate=True)


# ================================================================ meshgrid, shape_n

def _meshgrid_samples(rng):
    xs = tuple(uniform()(rng, (int(rng.integers(1, 4)),)) for _ in range(int(rng.integers(1, 4))))
    indexing = ["xy", "ij"][int(rng.integers(2))]
    return [Sample(lambda *xs: meshgrid(*xs, indexing=indexing), xs,
                   lambda *xs: list(np.meshgrid(*xs, indexing=indexing)))]


@op("Meshgrid", grad=COMPOSITE, test=Test(samples=_meshgrid_samples))
def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D coordinate vectors (``tf.meshgrid``).

    ``indexing='xy'`` (the default, Cartesian) gives grids of shape
    ``(len(y), len(x), ...)``; ``indexing='ij'`` (matrix) ``(len(x), len(y), ...)``.

    >>> X, Y = d2l.meshgrid([1, 2, 3], [4, 5])
    >>> X.numpy(), Y.numpy()
    (array([[1, 2, 3],
           [1, 2, 3]], dtype=int32), array([[4, 4, 4],
           [5, 5, 5]], dtype=int32))
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"meshgrid: unexpected keyword arguments {sorted(kwargs)}; it takes "
                        "indexing= and name=")
    if indexing not in ("xy", "ij"):
        raise InvalidArgumentError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}",
                                   op="meshgrid")
    xs = [reshape(as_tensor(a), [-1]) for a in args]      # any shape counts as its elements
    for t in xs[1:]:
        if t._dtype is not xs[0]._dtype:
            raise DTypeMismatchError(
                f"meshgrid: all inputs must have one dtype, got {xs[0]._dtype.name} and "
                f"{t._dtype.name}; cast them first, e.g. d2l.cast(t, d2l.{xs[0]._dtype.name})",
                op="meshgrid")
    order = list(range(len(xs)))
    if indexing == "xy" and len(xs) > 1:        # x varies along columns, y along rows
        order[0], order[1] = 1, 0
    grid = [xs[i].shape[0] for i in order]
    out = []
    for i, t in enumerate(xs):
        side = [1] * len(xs)
        side[order.index(i)] = -1
        out.append(broadcast_to(reshape(t, side), grid))
    return out


def _shape_n_samples(rng):
    xs = tuple(uniform()(rng, random_shape(rng)) for _ in range(int(rng.integers(1, 4))))
    return [Sample(lambda *xs: shape_n(list(xs)), xs,
                   lambda *xs: [np.array(x.shape, np.int32) for x in xs])]


@op("ShapeN", grad=NOT_DIFFERENTIABLE, test=Test(samples=_shape_n_samples))
def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors, each a 1-D ``out_type`` tensor (``tf.shape_n``).

    >>> [s.numpy() for s in d2l.shape_n([d2l.zeros((2, 3)), 5.0])]
    [array([2, 3], dtype=int32), array([], dtype=int32)]
    """
    return [shape(t, out_type) for t in input]


for _name in ("gather", "gather_nd", "slice", "strided_slice", "mirror_pad", "repeat"):
    gradient(_name)(take_grad)          # all of them take elements at an index
