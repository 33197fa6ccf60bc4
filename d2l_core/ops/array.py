"""Making tensors and rearranging them: creation, reshape, join/split, indexing.

Shape ops move elements without doing arithmetic, so their gradients move
the upstream gradient back: a reshape's gradient is a reshape, a slice's
gradient is the slice written into zeros, a gather's gradient adds each
gathered row back to where it came from (repeated indices accumulate).

>>> import d2l_core as d2l
>>> x = d2l.reshape(d2l.range(6), (2, 3))
>>> x[:, 1:].numpy()
array([[1, 2],
       [4, 5]], dtype=int32)
"""
import builtins
import numbers

import numpy as np

from .. import backend, dtypes
from ..errors import DTypeMismatchError, InvalidArgumentError, InvalidIndexError
from ..tensor import Tensor, VariableSlice, constant, target_device
from ._op import (arrays, as_tensor, normalize_axis, record, record_many, shape_tuple, tapes, wrap,
                  xp_of)
from .broadcast import broadcast_to, reduce_sum, reshape, sum_to  # noqa: F401  (re-exported)
from .registry import (COMPOSITE, NOT_DIFFERENTIABLE, VALUE, Sample, Test, gradient, op,
                       random_axis, random_index, random_shape, uniform)

_range = builtins.range


# ================================================================ test data (see ops/registry.py)

def _zeros_samples(rng):
    return [Sample(lambda: zeros((2, 3)), (), lambda: np.zeros((2, 3), np.float32)),
            Sample(lambda: zeros([3], dtypes.int32), (), lambda: np.zeros(3, np.int32))]


def _ones_samples(rng):
    return [Sample(lambda: ones((2, 1)), (), lambda: np.ones((2, 1), np.float32))]


def _fill_samples(rng):
    shape = random_shape(rng)
    weights = uniform()(rng, shape)       # a weighted sum, so each element's gradient differs
    return [Sample(lambda v, w: fill(shape, v) * w, (np.array(rng.uniform(-2, 2)), weights),
                   lambda v, w: np.full(shape, v) * w)]


def _like_samples(rng):
    x = uniform()(rng, (2, 3))
    return [Sample(lambda x: zeros_like(x) + ones_like(x), (x,), np.ones_like)]


def _eye_samples(rng):
    return [Sample(lambda: eye(3), (), lambda: np.eye(3, dtype=np.float32)),
            Sample(lambda: eye(2, 3, batch_shape=[2]), (),
                   lambda: np.broadcast_to(np.eye(2, 3, dtype=np.float32), (2, 2, 3)))]


def _range_samples(rng):
    return [Sample(lambda: range(5), (), lambda: np.arange(5, dtype=np.int32)),
            Sample(lambda: range(1.0, 2.0, 0.25), (), lambda: np.arange(1, 2, 0.25, np.float32))]


def _linspace_samples(rng):
    return [Sample(lambda: linspace(0.0, 1.0, 5), (), lambda: np.linspace(0, 1, 5, dtype=np.float32))]


def _identity_samples(rng):
    return [Sample(identity, (uniform()(rng, random_shape(rng)),), lambda x: x)]


def _shape_samples(rng):
    x = uniform()(rng, (2, 3))
    return [Sample(lambda x: [shape(x), size(x), rank(x)], (x,),
                   lambda x: [np.array([2, 3], np.int32), np.int32(6), np.int32(2)])]


def _transpose_samples(rng):
    x = uniform()(rng, random_shape(rng))
    perm = [int(i) for i in rng.permutation(x.ndim)]
    return [Sample(transpose, (x,), np.transpose),
            Sample(lambda x: transpose(x, perm=perm), (x,), lambda x: x.transpose(perm))]


def _expand_dims_samples(rng):
    x = uniform()(rng, random_shape(rng))
    axis = random_axis(rng, x.ndim + 1)
    return [Sample(lambda x: expand_dims(x, axis), (x,), lambda x: np.expand_dims(x, axis))]


def _squeeze_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=2))
    # some of the axes of length 1, each maybe negative; none listed squeezes them all
    axis = [i - x.ndim * int(rng.integers(2)) for i, n in enumerate(x.shape)
            if n == 1 and rng.random() < 0.5] or None
    return [Sample(lambda x: squeeze(x, axis), (x,),
                   lambda x: np.squeeze(x, None if axis is None else tuple(axis)))]


def _tile_samples(rng):
    x = uniform()(rng, random_shape(rng, max_side=3))
    reps = [int(n) for n in rng.integers(1, 3, size=x.ndim)]
    return [Sample(lambda x: tile(x, reps), (x,), lambda x: np.tile(x, reps))]


def _concat_samples(rng):
    shape = list(random_shape(rng, min_dims=1))
    axis = random_axis(rng, len(shape))
    parts = []
    for _ in range(int(rng.integers(1, 4))):
        shape[axis] = int(rng.integers(1, 4))          # the parts differ along axis only
        parts.append(uniform()(rng, shape))
    return [Sample(lambda *xs: concat(list(xs), axis=axis), tuple(parts),
                   lambda *xs: np.concatenate(xs, axis))]


def _stack_samples(rng):
    shape = random_shape(rng, max_side=3)
    axis = random_axis(rng, len(shape) + 1)
    xs = tuple(uniform()(rng, shape) for _ in range(int(rng.integers(1, 4))))
    return [Sample(lambda *xs: stack(list(xs), axis=axis), xs, lambda *xs: np.stack(xs, axis))]


def _unstack_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1))
    axis = random_axis(rng, x.ndim)
    return [Sample(lambda x: unstack(x, axis=axis), (x,), lambda x: list(np.moveaxis(x, axis, 0)))]


def _split_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1, min_side=2))
    axis = random_axis(rng, x.ndim)
    n = x.shape[axis]
    cut = int(rng.integers(1, n))
    sizes = [[cut, n - cut], [cut, -1], 1, n][int(rng.integers(4))]    # sizes, or how many
    return [Sample(lambda x: split(x, sizes, axis=axis), (x,),
                   lambda x: np.split(x, [cut] if isinstance(sizes, list) else sizes, axis))]


def _boolean_mask_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1))
    mask = rng.random(x.shape[:int(rng.integers(1, x.ndim + 1))]) < 0.6     # leading axes
    return [Sample(boolean_mask, (x, mask), lambda x, m: x[m])]


def _one_hot_samples(rng):
    labels = np.array([1, 0, 3], np.int32)
    return [Sample(lambda i: one_hot(i, 4), (labels,), lambda i: np.eye(4, dtype=np.float32)[i]),
            Sample(lambda i: one_hot(i, 3, on_value=5.0, off_value=-1.0, axis=0), (labels,),
                   lambda i: np.where(np.arange(3)[:, None] == i, 5.0, -1.0).astype(np.float32))]


def _getitem_samples(rng):
    x = uniform()(rng, random_shape(rng, min_dims=1))
    key = random_index(rng, x.shape)
    return [Sample(lambda x: x[key], (x,), lambda x: x[key])]


# ================================================================ creation

def _new(op, shape, dtype, make):
    """A new array made by ``make(xp, shape, np_dtype)`` on the current device."""
    if dtypes.as_dtype(dtype) is dtypes.string:
        return _strings(op, shape)
    dev = target_device()
    backend.log_placement(op, dev)
    xp = backend.array_module(dev)
    with backend.on(dev):
        return wrap(make(xp, shape, dtypes.as_dtype(dtype).np))


def _strings(op, shape):
    """``zeros`` of dtype string: empty strings b'' (TensorFlow's zero for text), on the host
    like all text; text has no one."""
    if op not in ("zeros", "zeros_like"):
        raise DTypeMismatchError(f"{op}: Cannot convert 1 to EagerTensor of dtype string: text "
                                 "has no one (its zero is b''); use d2l.fill(shape, 'text')",
                                 op=op)
    backend.log_placement(op, backend.CPU)
    return wrap(np.full(shape, b"", dtype=object))


@op("Fill", grad=NOT_DIFFERENTIABLE, test=Test(samples=_zeros_samples))
def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros (``tf.zeros``); float32 unless ``dtype`` says otherwise.

    >>> d2l.zeros((2, 3))
    <tf.Tensor: shape=(2, 3), dtype=float32, numpy=
    array([[0., 0., 0.],
           [0., 0., 0.]], dtype=float32)>
    """
    return _new("zeros", shape_tuple("zeros", shape), dtype, lambda xp, s, d: xp.zeros(s, d))


@op("Fill", grad=NOT_DIFFERENTIABLE, test=Test(samples=_ones_samples))
def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of ones (``tf.ones``).

    >>> d2l.ones([3, 4], d2l.int32).shape
    TensorShape([3, 4])
    """
    return _new("ones", shape_tuple("ones", shape), dtype, lambda xp, s, d: xp.ones(s, d))


@op("Fill", test=Test(samples=_fill_samples))
def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value``; the dtype is ``value``'s (``tf.fill``).

    >>> d2l.fill([2], 7)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([7, 7], dtype=int32)>
    """
    v = as_tensor(value)
    if v.ndim != 0:
        raise InvalidArgumentError(f"fill: value must be a scalar, got shape {v.shape}", op="fill")
    shape = shape_tuple("fill", dims)
    (a,) = arrays("fill", v)
    y = wrap(xp_of(a).full(shape, a, dtype=a.dtype))
    if tapes:      # every element is the value: its gradient is the sum of them all
        record("fill", (v,), y)
    return y


@gradient("fill")
def _fill_grad(dy, inputs, y, attrs):
    return (reduce_sum(dy),)


@op("ZerosLike", grad=NOT_DIFFERENTIABLE, test=Test(samples=_like_samples))
def zeros_like(input, dtype=None, name=None):  # noqa: A002
    """Zeros with ``input``'s shape, dtype (unless given) and device (``tf.zeros_like``).

    >>> d2l.zeros_like([[1, 2]]).numpy()
    array([[0, 0]], dtype=int32)
    """
    x = as_tensor(input)
    d = x._dtype.np if dtype is None else dtypes.as_dtype(dtype).np
    if d.kind == "O":
        return _strings("zeros_like", x._value.shape)
    return wrap(xp_of(x._value).zeros(x._value.shape, d))


@op("OnesLike", grad=NOT_DIFFERENTIABLE, test=Test(samples=_like_samples))
def ones_like(input, dtype=None, name=None):  # noqa: A002
    """Ones with ``input``'s shape, dtype (unless given) and device (``tf.ones_like``).

    >>> d2l.ones_like([1.5, 2.5]).numpy()
    array([1., 1.], dtype=float32)
    """
    x = as_tensor(input)
    d = x._dtype.np if dtype is None else dtypes.as_dtype(dtype).np
    if d.kind == "O":
        return _strings("ones_like", x._value.shape)
    return wrap(xp_of(x._value).ones(x._value.shape, d))


@op("Eye", exports=("", "linalg"), grad=NOT_DIFFERENTIABLE, test=Test(samples=_eye_samples))
def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix, optionally repeated over ``batch_shape`` (``tf.eye``).

    >>> d2l.eye(2).numpy()
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    cols = num_rows if num_columns is None else num_columns
    batch = () if batch_shape is None else shape_tuple("eye", batch_shape)
    return _new("eye", (int(num_rows), int(cols)), dtype,
                lambda xp, s, d: xp.broadcast_to(xp.eye(*s, dtype=d), batch + s).copy())


@op("Range", grad=NOT_DIFFERENTIABLE, test=Test(samples=_range_samples))
def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """Numbers from ``start`` up to (not including) ``limit`` in steps of ``delta`` (``tf.range``).

    Ints give int32, any float gives float32.

    >>> d2l.range(5).numpy()
    array([0, 1, 2, 3, 4], dtype=int32)
    >>> d2l.range(1, 2, 0.25).numpy()
    array([1.  , 1.25, 1.5 , 1.75], dtype=float32)
    """
    if limit is None:
        start, limit = 0, start
    values = [v.numpy().item() if isinstance(v, Tensor) else v for v in (start, limit, delta)]
    if values[2] == 0:
        raise InvalidArgumentError("range: delta must not be 0", op="range")
    if (values[1] - values[0]) * values[2] < 0:
        way = "start <= limit when delta > 0" if values[2] > 0 else "start >= limit when delta < 0"
        raise InvalidArgumentError(
            f"range: requires {way}, got start={values[0]}, limit={values[1]}, delta={values[2]}; "
            "to count down give a negative delta, e.g. d2l.range(5, 0, -1)", op="range")
    if dtype is None:
        dtype = dtypes.float32 if any(isinstance(v, float) for v in values) else dtypes.int32
    dtype = dtypes.as_dtype(dtype)
    return _new("range", None, dtype, lambda xp, s, d: xp.arange(*values).astype(d))


@op("LinSpace", grad=NOT_DIFFERENTIABLE, test=Test(samples=_linspace_samples))
def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced numbers from ``start`` to ``stop`` inclusive (``tf.linspace``).

    >>> d2l.linspace(0.0, 1.0, 5).numpy()
    array([0.  , 0.25, 0.5 , 0.75, 1.  ], dtype=float32)
    """
    s, e = as_tensor(start), as_tensor(stop)
    dtype = s._dtype if s._dtype.is_floating else dtypes.float64   # TF: integer ends give float64
    a, b = arrays("linspace", s, e)
    return wrap(xp_of(a).linspace(a.astype(dtype.np), b.astype(dtype.np), int(num),
                                  axis=axis).astype(dtype.np))


@op("Identity", test=Test(samples=_identity_samples))
def identity(input, name=None):  # noqa: A002
    """The same values as a new tensor, on the current device if one is requested (``tf.identity``).

    >>> d2l.identity([1, 2]).numpy()
    array([1, 2], dtype=int32)
    """
    x = as_tensor(input)
    (a,) = arrays("identity", x)
    y = wrap(a)
    if tapes:
        record("identity", (x,), y)
    return y


@gradient("identity")
def _identity_grad(dy, inputs, y, attrs):
    return (dy,)


@op("StopGradient", grad=NOT_DIFFERENTIABLE, test=Test(samples=_identity_samples))
def stop_gradient(input, name=None):  # noqa: A002
    """The same values, but tapes treat the result as a constant (``tf.stop_gradient``).

    >>> x = d2l.constant(3.0)
    >>> with d2l.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * d2l.stop_gradient(x)
    >>> tape.gradient(y, x).numpy()
    np.float32(3.0)
    """
    return wrap(as_tensor(input)._value)


# ================================================================ shapes

@op("Shape", grad=NOT_DIFFERENTIABLE, test=Test(samples=_shape_samples))
def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shape as a 1-D int32 tensor (``tf.shape``); ``x.shape`` gives a TensorShape.

    >>> d2l.shape(d2l.zeros((2, 3))).numpy()
    array([2, 3], dtype=int32)
    """
    x = as_tensor(input)
    return constant(np.array(x._value.shape, dtype=dtypes.as_dtype(out_type).np))


@op("Size", grad=NOT_DIFFERENTIABLE, test=Test(samples=_shape_samples))
def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The number of elements as an int32 scalar (``tf.size``).

    >>> d2l.size(d2l.zeros((2, 3))).numpy()
    np.int32(6)
    """
    return constant(np.array(as_tensor(input)._value.size, dtype=dtypes.as_dtype(out_type).np))


@op("Rank", grad=NOT_DIFFERENTIABLE, test=Test(samples=_shape_samples))
def rank(input, name=None):  # noqa: A002
    """The number of dimensions as an int32 scalar (``tf.rank``).

    >>> d2l.rank(d2l.zeros((2, 3))).numpy()
    np.int32(2)
    """
    return constant(np.array(as_tensor(input)._value.ndim, dtype=np.int32))


@op("Transpose", test=Test(samples=_transpose_samples))
def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permute the axes; by default reverse them, so a matrix is transposed (``tf.transpose``).

    >>> d2l.transpose(d2l.zeros((2, 3, 4)), perm=[0, 2, 1]).shape
    TensorShape([2, 4, 3])
    """
    x = as_tensor(a)
    (v,) = arrays("transpose", x)
    if perm is None:
        perm = tuple(_range(v.ndim - 1, -1, -1))
    else:
        if isinstance(perm, Tensor):
            perm = perm.numpy().tolist()
        given = [int(p) for p in perm]
        # Negative axes count from the end; anything outside -ndim..ndim-1 is an error.
        perm = tuple(p % v.ndim if -v.ndim <= p < v.ndim else v.ndim for p in given)
        if sorted(perm) != list(_range(v.ndim)):
            raise InvalidArgumentError(
                f"transpose: perm {given} must be a permutation of 0..{v.ndim - 1} "
                f"for a tensor of shape {v.shape}", op="transpose")
    out = v.transpose(perm)
    if conjugate and x._dtype.is_complex:
        out = out.conj()
    y = wrap(out)
    if tapes:
        inverse = tuple(np.argsort(perm))
        record("transpose", (x,), y, {"inverse": inverse, "conjugate": conjugate})
    return y


@gradient("transpose")
def _transpose_grad(dy, inputs, y, attrs):
    return (transpose(dy, attrs["inverse"], attrs["conjugate"]),)


@op("ExpandDims", grad=COMPOSITE, test=Test(samples=_expand_dims_samples))
def expand_dims(input, axis, name=None):  # noqa: A002
    """Insert a length-1 axis at ``axis`` (``tf.expand_dims``).

    >>> d2l.expand_dims(d2l.zeros((3,)), -1).shape
    TensorShape([3, 1])
    """
    x = as_tensor(input)
    nd = x.ndim
    axis = int(axis)
    if not -nd - 1 <= axis <= nd:
        raise InvalidArgumentError(f"expand_dims: axis {axis} is out of range for a tensor of "
                                   f"rank {nd}; valid values are {-nd - 1}..{nd}", op="expand_dims")
    shape = list(x._value.shape)
    shape.insert(axis % (nd + 1), 1)
    return reshape(x, shape)


@op("Squeeze", grad=COMPOSITE, test=Test(samples=_squeeze_samples))
def squeeze(input, axis=None, name=None):  # noqa: A002
    """Remove length-1 axes: all of them, or those in ``axis`` (``tf.squeeze``).

    >>> d2l.squeeze(d2l.zeros((1, 3, 1))).shape
    TensorShape([3])
    """
    x = as_tensor(input)
    shape = x._value.shape
    if axis is None:
        axes = [i for i, d in enumerate(shape) if d == 1]
    else:
        axes = normalize_axis("squeeze", axis, len(shape))
        for i in axes:
            if shape[i] != 1:
                raise InvalidArgumentError(
                    f"squeeze: cannot squeeze axis {i} of shape {tuple(shape)}: it has length "
                    f"{shape[i]}, not 1", op="squeeze")
    return reshape(x, [d for i, d in enumerate(shape) if i not in axes])


@op("Tile", test=Test(samples=_tile_samples))
def tile(input, multiples, name=None):  # noqa: A002
    """Repeat ``input`` ``multiples[i]`` times along axis i (``tf.tile``).

    >>> d2l.tile([[1, 2]], [2, 2]).numpy()
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    x = as_tensor(input)
    reps = shape_tuple("tile", multiples)
    if len(reps) != x.ndim:
        raise InvalidArgumentError(f"tile: multiples {list(reps)} must have one entry per axis "
                                   f"of the input's shape {x.shape}", op="tile")
    (a,) = arrays("tile", x)
    y = wrap(xp_of(a).tile(a, reps))
    if tapes:
        record("tile", (x,), y, {"reps": reps})
    return y


@gradient("tile")
def _tile_grad(dy, inputs, y, attrs):
    shape, reps = inputs[0]._value.shape, attrs["reps"]
    split = [n for pair in zip(reps, shape) for n in pair]        # (r0, s0, r1, s1, ...)
    return (reduce_sum(reshape(dy, split), axis=tuple(_range(0, 2 * len(shape), 2))),)


# ================================================================ join and split

def _same_dtype(op, tensors):
    first = tensors[0]._dtype
    for t in tensors[1:]:
        if t._dtype is not first:
            raise InvalidArgumentError(
                f"{op}: all inputs must have one dtype, got {first.name} and {t._dtype.name}; "
                f"cast them first, e.g. d2l.cast(t, d2l.{first.name})", op=op)


def _need_rank(op, x, hint=""):
    if x._value.ndim == 0:
        raise InvalidArgumentError(f"{op}: needs a tensor of rank >= 1, got a scalar{hint}", op=op)


@op("ConcatV2", test=Test(samples=_concat_samples))
def concat(values, axis, name="concat"):
    """Join tensors along an existing ``axis`` (``tf.concat``).

    >>> x = d2l.ones((3, 4))
    >>> d2l.concat([x, x], axis=0).shape, d2l.concat([x, x], axis=1).shape
    (TensorShape([6, 4]), TensorShape([3, 8]))
    """
    ts = [as_tensor(v) for v in values]
    if not ts:
        raise ValueError("concat: needs at least one tensor")
    _same_dtype("concat", ts)
    _need_rank("concat", ts[0], "; to join scalars into a vector use d2l.stack")
    (ax,) = normalize_axis("concat", axis, ts[0].ndim)
    ref = ts[0]._value.shape
    for t in ts[1:]:
        s = t._value.shape
        if len(s) != len(ref) or any(a != b for i, (a, b) in enumerate(zip(s, ref)) if i != ax):
            raise InvalidArgumentError(
                f"concat: shapes {tuple(ref)} and {tuple(s)} must match in every axis except "
                f"axis {ax}", op="concat")
    arrs = arrays("concat", *ts)
    y = wrap(xp_of(arrs[0]).concatenate(arrs, axis=ax))
    if tapes:
        sizes = [a.shape[ax] for a in arrs]
        record("concat", tuple(ts), y, {"sizes": sizes, "axis": ax})
    return y


@gradient("concat")
def _concat_grad(dy, inputs, y, attrs):
    return tuple(split(dy, attrs["sizes"], axis=attrs["axis"]))


@op("Pack", grad=COMPOSITE, test=Test(samples=_stack_samples))
def stack(values, axis=0, name="stack"):
    """Join same-shaped tensors along a new ``axis`` (``tf.stack``).

    >>> d2l.stack([[1, 2], [3, 4]], axis=1).numpy()
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    ts = [as_tensor(v) for v in values]
    if not ts:
        raise ValueError("stack: needs at least one tensor")
    _same_dtype("stack", ts)
    for t in ts[1:]:
        if t._value.shape != ts[0]._value.shape:
            raise InvalidArgumentError(f"stack: all tensors must have one shape, got "
                                       f"{ts[0].shape} and {t.shape}", op="stack")
    nd = ts[0].ndim
    if not -nd - 1 <= int(axis) <= nd:
        raise InvalidArgumentError(f"stack: axis {axis} is out of range for stacking tensors of "
                                   f"rank {nd}; valid values are {-nd - 1}..{nd}", op="stack")
    return concat([expand_dims(t, axis) for t in ts], axis=axis)


@op("Unpack", test=Test(samples=_unstack_samples))
def unstack(value, num=None, axis=0, name="unstack"):
    """Split along ``axis`` into a list of tensors with that axis removed (``tf.unstack``).

    >>> [t.numpy() for t in d2l.unstack([[1, 2], [3, 4]])]
    [array([1, 2], dtype=int32), array([3, 4], dtype=int32)]
    """
    x = as_tensor(value)
    _need_rank("unstack", x)
    (ax,) = normalize_axis("unstack", axis, x.ndim)
    n = x._value.shape[ax]
    if num is not None and num != n:
        raise InvalidArgumentError(f"unstack: num={num} but axis {ax} has length {n}", op="unstack")
    lead = (slice(None),) * ax
    return _pieces("unstack", x, [lead + (i,) for i in _range(n)], ax)


@op("Split", test=Test(samples=_split_samples))
def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Cut along ``axis`` into equal parts or parts of given sizes (``tf.split``).

    >>> [t.shape for t in d2l.split(d2l.zeros((6, 2)), [1, 5])]
    [TensorShape([1, 2]), TensorShape([5, 2])]
    """
    x = as_tensor(value)
    _need_rank("split", x)
    (ax,) = normalize_axis("split", axis, x.ndim)
    n = x._value.shape[ax]
    if isinstance(num_or_size_splits, numbers.Integral):
        k = int(num_or_size_splits)
        if k <= 0 or n % k:
            raise InvalidArgumentError(f"split: axis {ax} of length {n} cannot be split into {k} "
                                       "equal parts; give a list of sizes instead", op="split")
        sizes = [n // k] * k
    else:
        sizes = [int(s) for s in (num_or_size_splits.numpy() if isinstance(
            num_or_size_splits, Tensor) else num_or_size_splits)]
        if sizes.count(-1) > 1:
            raise InvalidArgumentError(f"split: sizes {sizes} may contain only one -1 (the size "
                                       "inferred from the others)", op="split")
        if sizes.count(-1) == 1:
            sizes[sizes.index(-1)] = n - (sum(sizes) + 1)
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise InvalidArgumentError(f"split: sizes {sizes} must be non-negative and add up to "
                                       f"{n}, the length of axis {ax}", op="split")
    lead = (slice(None),) * ax
    bounds = np.cumsum([0] + sizes)
    return _pieces("split", x, [lead + (slice(int(b), int(e)),) for b, e in zip(bounds, bounds[1:])],
                   ax)


def _pieces(op, x, indices, axis):
    """``[x[i] for i in indices]``, recorded as one op whose gradient joins the pieces' gradients.

    One record, not one per piece: a piece's gradient on its own would be a
    full-size tensor of zeros, and adding up n of those is O(n²).
    """
    (a,) = arrays(op, x)
    pieces = [wrap(a[index]) for index in indices]
    if tapes:
        record_many(op, (x,), pieces, {"axis": axis})
    return pieces


def _filled(dys, pieces):
    """The pieces' gradients, zeros for a piece that got none."""
    return [zeros_like(y) if dy is None else dy for y, dy in zip(pieces, dys)]


@gradient("unstack")
def _unstack_grad(dys, inputs, pieces, attrs):
    return (stack(_filled(dys, pieces), axis=attrs["axis"]),)


@gradient("split")
def _split_grad(dys, inputs, pieces, attrs):
    return (concat(_filled(dys, pieces), axis=attrs["axis"]),)


# ================================================================ take, masks, one-hot

def _index_on(index, a):
    """``index`` (an array or a tuple of arrays and slices) on ``a``'s device.

    An index is prepared where its tensor was made, but the op (or its
    gradient) may run on another device: the default GPU, or a scope's.
    """
    host = type(a) is np.ndarray

    def move(i):
        if type(i) is np.ndarray:
            return i if host else backend.to_device(i, backend.device_of(a))
        if hasattr(i, "__cuda_array_interface__"):
            return backend.to_device(i, backend.device_of(a))
        return i
    return tuple(map(move, index)) if type(index) is tuple else move(index)


def take(op, x, index, accumulate=False):
    """``x[index]`` for a prepared NumPy index; the gradient writes dy back into zeros."""
    (a,) = arrays(op, x)
    y = wrap(a[_index_on(index, a)])
    if tapes:
        record(op, (x,), y, {"index": index, "accumulate": accumulate})
    return y


def take_grad(dy, inputs, y, attrs):
    """gather, boolean_mask, slicing and shuffle: dy written back into zeros at the index."""
    return (_put(dy, inputs[0]._value.shape, attrs["index"], attrs["accumulate"]),)


def _put(dy, shape, index, accumulate):
    """Zeros of ``shape`` with ``dy`` written (or, for repeats, added) at ``index``."""
    (g,) = arrays("scatter", dy)
    xp = xp_of(g)
    out = xp.zeros(shape, g.dtype)
    index = _index_on(index, g)
    if accumulate:
        xp.add.at(out, index, g)
    else:
        out[index] = g
    z = wrap(out)
    if tapes:
        record("scatter", (dy,), z, {"index": index})
    return z


op("ScatterNd", exports=(), name="scatter", tested_by="gather")(_put)


@gradient("scatter")
def _scatter_grad(dz, inputs, z, attrs):
    return (take("gather", dz, attrs["index"]),)


@op("BooleanMask", kind=VALUE, test=Test(samples=_boolean_mask_samples))
def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The elements (or slices) of ``tensor`` where ``mask`` is True (``tf.boolean_mask``).

    ``mask`` covers the leading dimensions of ``tensor`` starting at ``axis`` (default 0).

    >>> d2l.boolean_mask([[1, 2], [3, 4], [5, 6]], [True, False, True]).numpy()
    array([[1, 2],
           [5, 6]], dtype=int32)
    """
    x, m = as_tensor(tensor), as_tensor(mask)
    if not m._dtype.is_bool:
        raise DTypeMismatchError(f"boolean_mask: mask must be bool, got {m._dtype.name}; "
                                 "compare first, e.g. x > 0", op="boolean_mask")
    ax = 0 if axis is None else int(axis) % max(x.ndim, 1)
    ms, xs = m._value.shape, x._value.shape
    if m.ndim == 0 or xs[ax:ax + len(ms)] != ms:
        raise InvalidArgumentError(
            f"boolean_mask: mask shape {tuple(ms)} must match dimensions {ax}..{ax + len(ms) - 1} "
            f"of the tensor's shape {tuple(xs)}", op="boolean_mask")
    (mv,) = arrays("boolean_mask", m)
    index = (slice(None),) * ax + (backend.to_device(mv, backend.device_of(x._value)),)
    return take("boolean_mask", x, index)


def _one_hot_kernel(indices, depth, on_value=None, off_value=None, axis=None, dtype=None):
    """one_hot's default case on arrays: ones and zeros on the last axis."""
    if on_value is not None or off_value is not None or axis not in (None, -1):
        raise NotImplementedError("on_value, off_value and axis: the op itself")
    d = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
    return (indices[..., None] == xp_of(indices).arange(int(depth))).astype(d.np)


@op("OneHot", grad=NOT_DIFFERENTIABLE, test=Test(samples=_one_hot_samples), kernel=_one_hot_kernel)
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """Turn integer labels into one-hot vectors of length ``depth`` (``tf.one_hot``).

    Labels outside [0, depth) give an all-``off_value`` vector, as in TensorFlow.

    >>> d2l.one_hot([0, 2, 5], depth=3).numpy()
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]], dtype=float32)
    """
    idx = as_tensor(indices)
    if not idx._dtype.is_integer:
        raise DTypeMismatchError(f"one_hot: indices must be integers, got {idx._dtype.name}; "
                                 "cast them: d2l.cast(labels, d2l.int32)", op="one_hot")
    given = [as_tensor(v) for v in (on_value, off_value) if v is not None]
    if len(given) == 2 and given[0]._dtype is not given[1]._dtype:
        raise DTypeMismatchError(
            f"one_hot: on_value has dtype {given[0]._dtype.name} but off_value has dtype "
            f"{given[1]._dtype.name}; give both as ints or both as floats", op="one_hot")
    if dtype is None:
        dtype = given[0]._dtype if given else dtypes.float32
    dtype = dtypes.as_dtype(dtype)
    for v in given:
        if v._dtype is not dtype:
            raise DTypeMismatchError(f"one_hot: on_value/off_value have dtype {v._dtype.name} but "
                                     f"dtype={dtype.name} was requested", op="one_hot")
    default_on, default_off = (True, False) if dtype.is_bool else (1, 0)
    on = as_tensor(default_on if on_value is None else on_value, dtype)._value
    off = as_tensor(default_off if off_value is None else off_value, dtype)._value
    depth = int(depth)
    if depth < 0:
        raise InvalidArgumentError(f"one_hot: depth must be >= 0, got {depth}", op="one_hot")
    nd = idx.ndim
    if axis is not None and not -1 <= int(axis) <= nd:
        raise InvalidArgumentError(f"one_hot: axis must be -1 or in 0..{nd} for indices of rank "
                                   f"{nd}, got {axis}", op="one_hot")
    (iv,) = arrays("one_hot", idx)
    xp = xp_of(iv)
    hot = iv[..., None] == xp.arange(depth)
    out = xp.where(hot, xp.asarray(on), xp.asarray(off)).astype(dtype.np)
    if axis is not None and axis != -1:
        out = xp.moveaxis(out, -1, axis)
    return wrap(out)


# ================================================================ indexing

def _index_error(op, i, axis, shape):
    n = shape[axis]
    raise InvalidIndexError(
        f"{op}: index {i} is out of bounds for axis {axis} with size {n} (tensor shape "
        f"{tuple(shape)}); valid indices are {-n}..{n - 1}", op=op)


def _as_int(op, k):
    if isinstance(k, Tensor):
        if k.ndim != 0 or not k._dtype.is_integer:
            raise TypeError(f"{op}: only integer scalars, slices, ... and None can index a "
                            f"tensor, got a {k._dtype.name} tensor of shape {k.shape}; "
                            "use d2l.gather or d2l.boolean_mask")
        return int(k)
    if isinstance(k, numbers.Integral) and not isinstance(k, bool):
        return int(k)
    return None


def _parse_index(shape, key, op="getitem"):
    """A checked NumPy basic index for ``key`` (ints, slices, ``...``, None)."""
    key = key if isinstance(key, tuple) else (key,)
    consumed = sum(1 for k in key if k is not None and k is not Ellipsis)
    if sum(1 for k in key if k is Ellipsis) > 1:
        raise IndexError(f"{op}: an index can only have a single ellipsis ('...')")
    if consumed > len(shape):
        raise InvalidIndexError(f"{op}: too many indices ({consumed}) for a tensor of rank "
                                f"{len(shape)} (shape {tuple(shape)})", op=op)
    out, axis = [], 0
    for k in key:
        if k is None:
            out.append(None)
        elif k is Ellipsis:
            out.append(Ellipsis)
            axis += len(shape) - consumed
        elif isinstance(k, slice):
            parts = []
            for p in (k.start, k.stop, k.step):
                if p is None:
                    parts.append(None)
                    continue
                v = _as_int(op, p)
                if v is None:
                    raise TypeError(f"{op}: slice bounds must be integers, got {p!r}")
                parts.append(v)
            if parts[2] == 0:
                raise InvalidArgumentError(f"{op}: slice step cannot be zero", op=op)
            out.append(slice(*parts))
            axis += 1
        else:
            i = _as_int(op, k)
            if i is None:
                hint = ("use d2l.boolean_mask(x, mask)" if isinstance(k, Tensor) and k._dtype.is_bool
                        else "use d2l.gather(x, indices) to pick several positions")
                raise TypeError(f"{op}: only integers, slices (':'), ellipsis ('...') and None "
                                f"are valid indices, got {type(k).__name__}; {hint}")
            if not -shape[axis] <= i < shape[axis]:
                _index_error(op, i, axis, shape)
            out.append(i)
            axis += 1
    return tuple(out)


def _is_mask(key):
    """A bool tensor or array used as an index: ``x[x > 0]`` means ``boolean_mask(x, x > 0)``."""
    return ((isinstance(key, Tensor) and key._dtype.is_bool) or
            (isinstance(key, np.ndarray) and key.dtype == np.bool_))


@op("StridedSlice", exports=(), name="getitem", test=Test(samples=_getitem_samples))
def getitem(x, key):
    """``x[key]`` for Tensors: ints, negative ints, slices with steps, ``...``, None, or a bool mask."""
    x = as_tensor(x)
    if _is_mask(key):
        return boolean_mask(x, key)
    return take("getitem", x, _parse_index(x._value.shape, key))


def getitem_variable(v, key):
    """``v[key]`` for Variables: the slice's value, which also remembers where it came from,
    so that ``v[0, 1:].assign(...)`` writes into the Variable (keeping its identity)."""
    sliced = getitem(v.value(), key)
    if _is_mask(key):       # picks scattered elements: a plain Tensor, nothing to assign into
        return sliced
    view = VariableSlice(v, key, _parse_index(v._value.shape, key, "assign"), sliced)
    if tapes:               # the slice stands for `sliced` on any tape
        record("identity", (sliced,), view)
    return view


def iterate(x):
    """``for row in x``: the slices along the first axis, as one ``unstack``."""
    if x._value.ndim == 0:
        raise TypeError("Cannot iterate over a scalar tensor.")
    return iter(unstack(x))


for _name in ("boolean_mask", "getitem"):     # both take elements at an index
    gradient(_name)(take_grad)

_getitem = getitem       # compat.v1 still names it so; removed with its rewrite
