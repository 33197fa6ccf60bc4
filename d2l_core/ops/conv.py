"""Convolution, pooling and batch normalization on NHWC images (``tf.nn.conv2d``, ...).

Images are 4-D, ``(batch, height, width, channels)`` (TensorFlow's default
"NHWC"); a filter is ``(filter_height, filter_width, in_channels,
out_channels)``.

**How a convolution is computed here (im2col).** Every output pixel looks at
a window of the (padded) input. Copying each window into one row of a matrix
("image to columns") turns the whole convolution into one matrix product:

    windows (N·OH·OW, KH·KW·C)  @  filter (KH·KW·C, OC)  ->  output (N·OH·OW, OC)

The windows are gathered with KH·KW strided slices (one per filter tap), so
the same code runs on NumPy and CuPy. Its adjoint, "fold" (columns back to
an image, adding where windows overlap), gives the gradients:

* the input's gradient is ``conv2d_transpose`` (``Conv2DBackpropInput``):
  ``dy @ filterᵀ`` folded back into an image;
* the filter's gradient is ``Conv2DBackpropFilter``: ``windowsᵀ @ dy``.

The three ops are each linear in each argument and are each other's
gradients, so derivatives of every order come for free.

**Padding.** "VALID" uses only full windows: ``out = ceil((in - k_eff + 1) / s)``
with ``k_eff = (k - 1)·dilation + 1``. "SAME" gives ``out = ceil(in / s)`` and
pads ``max((out - 1)·s + k_eff - in, 0)`` zeros in total, the smaller half
before (top/left), the larger after, exactly as TensorFlow does.

>>> import d2l_core as d2l
>>> x = d2l.reshape(d2l.range(16.0), (1, 4, 4, 1))
>>> d2l.nn.conv2d(x, d2l.ones((2, 2, 1, 1)), strides=2, padding='VALID')[0, ..., 0].numpy()
array([[10., 18.],
       [42., 50.]], dtype=float32)
>>> d2l.nn.max_pool2d(x, 2, 2, 'SAME')[0, ..., 0].numpy()
array([[ 5.,  7.],
       [13., 15.]], dtype=float32)
"""
import numbers

import numpy as np

from ..errors import DTypeMismatchError, InvalidArgumentError, UnimplementedError
from ._op import arrays, as_tensor, normalize_axis, record, tapes, wrap, xp_of
from .array import squeeze, take_grad
from .math import add, multiply, rsqrt, squared_difference, subtract
from .reduce import reduce_mean
from .registry import COMPOSITE, Sample, Test, gradient, op, uniform

# ================================================================ arguments and geometry


def _pair(op, value, what, channel_dims=False):
    """``strides``/``dilations``/``ksize`` as (height, width), TensorFlow's way: an int, or a
    list of 1, 2 or 4 ints (with 4, the batch and channel entries must be 1)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = [value]
    try:
        values = [int(v) for v in value]
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{op}: {what} must be an int or a list of 1, 2 or 4 ints, "
                                   f"got {value!r}", op=op) from None
    if len(values) == 1:
        values = values * 2
    elif len(values) == 4:
        if values[0] != 1 or values[3] != 1:
            raise UnimplementedError(
                f"{op}: {what}={values} moves along the batch or channel dimension; only "
                f"[1, h, w, 1] is supported (as in TensorFlow). Give {what}=[{values[1]}, "
                f"{values[2]}]", op=op)
        values = values[1:3]
    elif len(values) != 2:
        raise InvalidArgumentError(f"{op}: {what} must be an int or a list of 1, 2 or 4 ints, "
                                   f"got {value!r}", op=op)
    if any(v < 1 for v in values):
        raise InvalidArgumentError(f"{op}: {what} must be positive, got {value!r}", op=op)
    return tuple(values)


def _padding(op, padding, explicit=True):
    """'SAME', 'VALID' or (conv2d only) explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]``."""
    if isinstance(padding, str):
        if padding in ("SAME", "VALID"):
            return padding
        hint = (f"; did you mean '{padding.upper()}'? (TensorFlow spells it in capitals)"
                if padding.upper() in ("SAME", "VALID") else "")
        raise InvalidArgumentError(f"{op}: padding must be 'SAME' or 'VALID', got "
                                   f"{padding!r}{hint}", op=op)
    if explicit:
        try:
            pads = [[int(a), int(b)] for a, b in padding]
        except (TypeError, ValueError):
            pads = None
        if pads is not None and len(pads) == 4 and pads[0] == pads[3] == [0, 0] and \
                min(min(p) for p in pads) >= 0:
            return (tuple(pads[1]), tuple(pads[2]))
    raise InvalidArgumentError(
        f"{op}: padding must be 'SAME', 'VALID'"
        f"{' or [[0, 0], [top, bottom], [left, right], [0, 0]] (non-negative)' if explicit else ''}"
        f", got {padding!r}", op=op)


def _data_format(op, data_format):
    if data_format not in (None, "NHWC"):
        raise UnimplementedError(f"{op}: data_format={data_format!r} is not supported; d2l_core "
                                 "works on NHWC images (batch, height, width, channels). "
                                 "Transpose NCHW data with d2l.transpose(x, [0, 2, 3, 1])", op=op)


def _output_size(size, k, stride, dilation, padding, op="conv2d"):
    """(output size, pad before, pad after) along one spatial axis."""
    k_eff = (k - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + k_eff - size, 0)
        return out, total // 2, total - total // 2
    before, after = (0, 0) if padding == "VALID" else padding
    span = size + before + after - k_eff + stride
    out = span // stride if span >= 0 else -(-span // stride)     # C's division, as TF
    if out < 0:
        raise InvalidArgumentError(
            f"{op}: computed output size would be negative: {out} [input_size: {size}, "
            f"effective_filter_size: {k_eff}, stride: {stride}]; the input is smaller than the "
            "window: use padding='SAME', a smaller window or a bigger input", op=op)
    return out, before, after


class _Geometry:
    """Where the windows of one convolution or pooling sit: sizes, strides, dilations, pads."""

    __slots__ = ("in_hw", "k", "strides", "dilations", "out_hw", "pads")

    def __init__(self, in_hw, k, strides, dilations, padding, op="conv2d"):
        self.in_hw, self.k, self.strides, self.dilations = in_hw, k, strides, dilations
        if not isinstance(padding, str) and isinstance(padding[0], int):
            padding = (padding, padding)                    # pads for one axis
        rows = _output_size(in_hw[0], k[0], strides[0], dilations[0],
                            padding if isinstance(padding, str) else padding[0], op)
        cols = _output_size(in_hw[1], k[1], strides[1], dilations[1],
                            padding if isinstance(padding, str) else padding[1], op)
        self.out_hw = (rows[0], cols[0])
        self.pads = (rows[1:], cols[1:])      # explicit pads: what gradients reuse

    def attrs(self):
        """What a backward op needs to rebuild the same windows (padding made explicit)."""
        return {"strides": self.strides, "dilations": self.dilations, "pads": self.pads}


def _tap(geo, i, j):
    """The slices of the padded image seen by filter tap (i, j), one per output pixel."""
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.strides, geo.dilations
    return (slice(None), slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
            slice(j * dw, j * dw + (ow - 1) * sw + 1, sw), slice(None))


def _windows(a, geo, fill=0):
    """im2col: ``(N, OH, OW, KH, KW, C)``, every window of ``a`` padded with ``fill``."""
    xp = xp_of(a)
    n, h, w, c = a.shape
    (pt, pb), (pl, pr) = geo.pads
    if pt or pb or pl or pr:
        padded = xp.full((n, h + pt + pb, w + pl + pr, c), fill, dtype=a.dtype)
        padded[:, pt:pt + h, pl:pl + w, :] = a
    else:
        padded = a
    out = xp.empty((n,) + geo.out_hw + geo.k + (c,), dtype=a.dtype)
    if out.size:
        for i in range(geo.k[0]):
            for j in range(geo.k[1]):
                out[:, :, :, i, j, :] = padded[_tap(geo, i, j)]
    return out


def _fold(cols, shape, geo):
    """col2im, the adjoint of ``_windows``: add every window back where it came from."""
    xp = xp_of(cols)
    n, h, w, c = shape
    (pt, pb), (pl, pr) = geo.pads
    padded = xp.zeros((n, h + pt + pb, w + pl + pr, c), dtype=cols.dtype)
    if cols.size:
        for i in range(geo.k[0]):
            for j in range(geo.k[1]):
                padded[_tap(geo, i, j)] += cols[:, :, :, i, j, :]
    return padded[:, pt:pt + h, pl:pl + w, :]


def _image(op, x, what="input"):
    x = as_tensor(x)
    if x.ndim != 4:
        raise InvalidArgumentError(
            f"{op}: {what} must be 4-D (batch, height, width, channels), got shape {x.shape}; "
            "for one image add a batch axis with d2l.expand_dims(x, 0), for grey images a "
            "channel axis with d2l.expand_dims(x, -1)", op=op)
    return x


def _same_dtype(op, x, w, allowed=lambda d: d.is_floating or d.name == "int32"):
    if x.dtype is not w.dtype:
        raise DTypeMismatchError(f"{op}: the input is {x.dtype.name} but the filter is "
                                 f"{w.dtype.name}; cast one, e.g. d2l.cast(w, d2l.{x.dtype.name})",
                                 op=op)
    if not allowed(x.dtype):
        raise DTypeMismatchError(f"{op}: expected float (or int32) tensors, got "
                                 f"{x.dtype.name}; cast first, e.g. d2l.cast(x, d2l.float32)",
                                 op=op)


def _filter_geometry(op, x_shape, w_shape, strides, dilations, padding):
    if len(w_shape) != 4:
        raise InvalidArgumentError(
            f"{op}: filters must be 4-D (height, width, in_channels, out_channels), got shape "
            f"{tuple(w_shape)}", op=op)
    if x_shape[3] != w_shape[2]:
        raise InvalidArgumentError(
            f"{op}: the input has {x_shape[3]} channels (shape {tuple(x_shape)}) but the filters "
            f"expect {w_shape[2]} (shape {tuple(w_shape)}); the filters' third dimension must "
            "equal the input's last", op=op)
    return _Geometry(tuple(x_shape[1:3]), tuple(w_shape[:2]), strides, dilations, padding, op)


# ================================================================ kernels (raw arrays)

def _conv_kernel(a, f, geo):
    n, oc = a.shape[0], f.shape[3]
    cols = _windows(a, geo)
    k = cols.shape[3] * cols.shape[4] * cols.shape[5]
    y = cols.reshape(-1, k) @ f.reshape(k, oc)
    return y.reshape((n,) + geo.out_hw + (oc,))


def _input_grad_kernel(d, f, shape, geo):
    kh, kw, c, oc = f.shape
    cols = d.reshape(-1, oc) @ f.reshape(-1, oc).T
    return _fold(cols.reshape(d.shape[:3] + (kh, kw, c)), shape, geo)


def _filter_grad_kernel(a, d, shape, geo):
    cols = _windows(a, geo)
    oc = d.shape[3]
    return (cols.reshape(-1, int(np.prod(shape[:3]))).T @ d.reshape(-1, oc)).reshape(shape)


# ================================================================ test data (see ops/registry.py)

def _np_conv(x, w, strides, padding, dilations=(1, 1)):
    """The definition, one output pixel at a time: Σ window · filter."""
    n, h, wd, c = x.shape
    kh, kw, _, oc = w.shape
    geo = _Geometry((h, wd), (kh, kw), strides, dilations, padding)
    (pt, pb), (pl, pr) = geo.pads
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    out = np.zeros((n,) + geo.out_hw + (oc,))
    for r in range(geo.out_hw[0]):
        for s in range(geo.out_hw[1]):
            rows = r * strides[0] + dilations[0] * np.arange(kh)
            cols = s * strides[1] + dilations[1] * np.arange(kw)
            window = xp[:, rows][:, :, cols]                   # (n, kh, kw, c)
            out[:, r, s] = np.einsum("nijc,ijco->no", window, w)
    return out


def _np_pool(x, k, strides, padding, kind):
    n, h, w, c = x.shape
    geo = _Geometry((h, w), k, strides, (1, 1), padding)
    (pt, _), (pl, _) = geo.pads
    out = np.zeros((n,) + geo.out_hw + (c,))
    for r in range(geo.out_hw[0]):
        for s in range(geo.out_hw[1]):
            r0, s0 = r * strides[0] - pt, s * strides[1] - pl
            window = x[:, max(r0, 0):r0 + k[0], max(s0, 0):s0 + k[1]]    # valid part only
            out[:, r, s] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return out


def _draw_conv(rng, max_k=3):
    """An image, a filter, strides, dilations and a padding drawn from ``rng``."""
    n, c, oc = (int(v) for v in rng.integers(1, 3, size=3))
    kh, kw = (int(v) for v in rng.integers(1, max_k + 1, size=2))
    h, w = (int(v) for v in rng.integers(1, 6, size=2))
    strides = tuple(int(v) for v in rng.integers(1, 3, size=2))
    dilations = tuple(int(v) for v in rng.integers(1, 3, size=2)) if rng.random() < 0.3 else (1, 1)
    padding = ["SAME", "VALID", ((int(rng.integers(0, 2)), int(rng.integers(0, 2))),
                                 (int(rng.integers(0, 2)), int(rng.integers(0, 2))))][
        int(rng.integers(0, 3))]
    if not isinstance(padding, str) or (padding == "VALID" and rng.random() < 0.8):
        h, w = h + (kh - 1) * dilations[0], w + (kw - 1) * dilations[1]   # mostly non-empty
    h = max(h, (kh - 1) * dilations[0] + 1 - strides[0])      # else VALID's size is negative
    w = max(w, (kw - 1) * dilations[1] + 1 - strides[1])
    x = uniform()(rng, (n, h, w, c))
    f = uniform()(rng, (kh, kw, c, oc))
    return x, f, strides, dilations, padding


def _tf_padding(padding):
    return padding if isinstance(padding, str) else [[0, 0], list(padding[0]), list(padding[1]),
                                                     [0, 0]]


def _conv_samples(rng):
    x, f, strides, dilations, padding = _draw_conv(rng)
    return [Sample(lambda x, f: conv2d(x, f, strides, _tf_padding(padding), dilations=dilations),
                   (x, f), lambda x, f: _np_conv(x, f, strides, padding, dilations))]


def _adjoint(shape, linear, d):
    """The adjoint of a linear map applied to ``d``, one unit input at a time:
    element i is <linear(e_i), d>. Slow, obviously right: a test reference."""
    out = np.zeros(shape)
    for idx in np.ndindex(shape):
        e = np.zeros(shape)
        e[idx] = 1.0
        out[idx] = np.sum(linear(e) * d)
    return out


def _transpose_samples(rng):
    x, f, strides, dilations, padding = _draw_conv(rng)
    padding = padding if isinstance(padding, str) else "SAME"
    dy = uniform()(rng, _np_conv(x, f, strides, padding, dilations).shape)
    # Its reference: the gradient of <conv2d(x, f), dy> with respect to x.
    def reference(d, f):
        return _adjoint(x.shape, lambda e: _np_conv(e, f, strides, padding, dilations), d)
    return [Sample(lambda d, f: conv2d_transpose(d, f, x.shape, strides, padding,
                                                 dilations=dilations),
                   (dy, f), reference)]


def _filter_grad_samples(rng):
    x, f, strides, dilations, padding = _draw_conv(rng)
    geo = _Geometry(x.shape[1:3], f.shape[:2], strides, dilations, padding)
    dy = uniform()(rng, (x.shape[0],) + geo.out_hw + (f.shape[3],))

    def reference(x, d):       # the gradient of <conv2d(x, f), dy> with respect to f
        return _adjoint(f.shape, lambda e: _np_conv(x, e, strides, padding, dilations), d)
    return [Sample(lambda x, d: conv2d_backprop_filter(x, f.shape, d, strides,
                                                       _tf_padding(padding), dilations=dilations),
                   (x, dy), reference)]


def _pool_draw(rng):
    n, c = (int(v) for v in rng.integers(1, 3, size=2))
    k = tuple(int(v) for v in rng.integers(1, 4, size=2))
    strides = tuple(int(v) for v in rng.integers(1, 4, size=2))
    padding = ["SAME", "VALID"][int(rng.integers(0, 2))]
    h, w = (int(v) for v in rng.integers(1, 6, size=2))
    if padding == "VALID":
        h, w = h + k[0] - 1, w + k[1] - 1
    return (n, h, w, c), k, strides, padding


def _max_pool_samples(rng):
    shape, k, strides, padding = _pool_draw(rng)
    x = (rng.permutation(int(np.prod(shape))) * 0.3 - 1.0).reshape(shape)    # no ties
    return [Sample(lambda x: max_pool2d(x, k, strides, padding), (x,),
                   lambda a: _np_pool(a, k, strides, padding, "max"))]


def _avg_pool_samples(rng):
    shape, k, strides, padding = _pool_draw(rng)
    return [Sample(lambda x: avg_pool2d(x, k, strides, padding), (uniform()(rng, shape),),
                   lambda a: _np_pool(a, k, strides, padding, "avg"))]


def _moments_samples(rng):
    shape = tuple(int(v) for v in rng.integers(1, 4, size=int(rng.integers(1, 4))))
    axes = sorted(int(a) for a in rng.permutation(len(shape))[:int(rng.integers(1, len(shape) + 1))])
    keep = bool(rng.random() < 0.5)
    return [Sample(lambda x: moments(x, axes, keepdims=keep), (uniform()(rng, shape),),
                   lambda a: [a.mean(axis=tuple(axes), keepdims=keep),
                              a.var(axis=tuple(axes), keepdims=keep)])]


def _batch_norm_samples(rng):
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    x, m, s, b = (uniform()(rng, shape[-1:] if i else shape) for i in range(4))
    v = uniform(0.2, 2.0)(rng, shape[-1:])
    return [Sample(lambda x, m, v, b, s: batch_normalization(x, m, v, b, s, 1e-3), (x, m, v, b, s),
                   lambda x, m, v, b, s: (x - m) / np.sqrt(v + 1e-3) * s + b),
            Sample(lambda x, m, v: batch_normalization(x, m, v, None, None, 0.1), (x, m, v),
                   lambda x, m, v: (x - m) / np.sqrt(v + 0.1))]


# ================================================================ convolution

@op("Conv2D", exports=("nn",), test=Test(samples=_conv_samples, rtol=1e-4, atol=1e-5))
def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):  # noqa: A002
    """2-D convolution of NHWC images with a bank of filters (``tf.nn.conv2d``).

    ``input`` is ``(batch, height, width, in_channels)``, ``filters`` is
    ``(filter_height, filter_width, in_channels, out_channels)``. ``strides``
    and ``dilations`` are an int or ``[h, w]`` (or ``[1, h, w, 1]``);
    ``padding`` is 'SAME' (output size ceil(input / stride)), 'VALID' (only
    full windows) or explicit ``[[0, 0], [top, bottom], [left, right], [0, 0]]``.
    Like TensorFlow (and every deep-learning library) it computes a
    cross-correlation: the filter is not flipped.

    >>> x = d2l.ones((1, 5, 5, 1))
    >>> d2l.nn.conv2d(x, d2l.ones((3, 3, 1, 2)), strides=1, padding='SAME').shape
    TensorShape([1, 5, 5, 2])
    >>> d2l.nn.conv2d(x, d2l.ones((3, 3, 1, 2)), strides=2, padding='VALID')[0, :, :, 0].numpy()
    array([[9., 9.],
           [9., 9.]], dtype=float32)
    """
    op = "conv2d"
    _data_format(op, data_format)
    x, w = _image(op, input), as_tensor(filters)
    _same_dtype(op, x, w)
    geo = _filter_geometry(op, x.shape, w.shape, _pair(op, strides, "strides"),
                           _pair(op, 1 if dilations is None else dilations, "dilations"),
                           _padding(op, padding))
    a, f = arrays(op, x, w)
    y = wrap(_conv_kernel(a, f, geo))
    if tapes:
        record(op, (x, w), y, geo.attrs())
    return y


def _geometry_of(x_shape, w_shape, attrs):
    return _Geometry(tuple(x_shape[1:3]), tuple(w_shape[:2]), attrs["strides"],
                     attrs["dilations"], attrs["pads"])


@gradient("conv2d")
def _conv2d_grad(dy, inputs, y, attrs):
    x, w = inputs
    return (_backprop_input(dy, w, x.shape, attrs), _backprop_filter(x, dy, w.shape, attrs))


@op("Conv2DBackpropInput", exports=(), name="conv2d_backprop_input",
    tested_by="conv2d_transpose")
def _backprop_input(dy, w, input_shape, attrs):
    """The gradient of conv2d with respect to its input: ``dy @ filterᵀ`` folded into an image."""
    geo = _geometry_of(input_shape, w.shape, attrs)
    d, f = arrays("conv2d_backprop_input", dy, w)
    g = wrap(_input_grad_kernel(d, f, tuple(input_shape), geo))
    if tapes:
        record("conv2d_backprop_input", (dy, w), g, {**attrs, "input_shape": tuple(input_shape)})
    return g


@gradient("conv2d_backprop_input")
def _backprop_input_grad(dg, inputs, g, attrs):
    # g = B(dy, w) with <B(dy, w), h> = <dy, conv2d(h, w)>: linear in dy and in w.
    dy, w = inputs
    return (_conv_with(dg, w, attrs), _backprop_filter(dg, dy, w.shape, attrs))


@op("Conv2DBackpropFilter", exports=(), name="conv2d_backprop_filter",
    test=Test(samples=_filter_grad_samples, rtol=1e-4, atol=1e-5))
def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its filters (``tf.compat.v1.nn.conv2d_backprop_filter``).

    >>> g = conv2d_backprop_filter(d2l.ones((1, 3, 3, 1)), (2, 2, 1, 1), d2l.ones((1, 2, 2, 1)),
    ...                            strides=1, padding='VALID')
    >>> g[..., 0, 0].numpy()
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    op = "conv2d_backprop_filter"
    _data_format(op, data_format)
    x, dy = _image(op, input), _image(op, out_backprop, "out_backprop")
    _same_dtype(op, x, dy)
    shape = tuple(int(s) for s in filter_sizes)
    geo = _filter_geometry(op, x.shape, shape, _pair(op, strides, "strides"),
                           _pair(op, 1 if dilations is None else dilations, "dilations"),
                           _padding(op, padding))
    _check_out(op, dy.shape, (x.shape[0],) + geo.out_hw + (shape[3],))
    return _backprop_filter(x, dy, shape, geo.attrs())


def _backprop_filter(x, dy, filter_shape, attrs):
    geo = _geometry_of(x.shape, filter_shape, attrs)
    a, d = arrays("conv2d_backprop_filter", x, dy)
    g = wrap(_filter_grad_kernel(a, d, tuple(filter_shape), geo))
    if tapes:
        record("conv2d_backprop_filter", (x, dy), g, attrs)
    return g


@gradient("conv2d_backprop_filter")
def _backprop_filter_grad(dg, inputs, g, attrs):
    # g = F(x, dy) with <F(x, dy), h> = <dy, conv2d(x, h)>: linear in x and in dy.
    x, dy = inputs
    return (_backprop_input(dy, dg, x.shape, attrs), _conv_with(x, dg, attrs))


def _conv_with(x, w, attrs):
    """conv2d with the (explicit) geometry of a recorded convolution."""
    geo = _geometry_of(x.shape, w.shape, attrs)
    a, f = arrays("conv2d", x, w)
    y = wrap(_conv_kernel(a, f, geo))
    if tapes:
        record("conv2d", (x, w), y, attrs)
    return y


def _check_out(op, got, want):
    if tuple(got) != tuple(want):
        raise InvalidArgumentError(
            f"{op}: the gradient (out_backprop) has shape {tuple(got)} but a convolution with "
            f"these sizes, strides and padding gives {tuple(want)}", op=op)


@op("Conv2DBackpropInput", exports=("nn",), grad=COMPOSITE,
    test=Test(samples=_transpose_samples, rtol=1e-4, atol=1e-5))
def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose (adjoint) of conv2d, used to upsample (``tf.nn.conv2d_transpose``).

    ``filters`` is ``(height, width, output_channels, in_channels)``: the
    shape of the conv2d whose transpose this is, so that
    ``conv2d_transpose(dy, w, x.shape, ...)`` is the gradient of
    ``conv2d(x, w, ...)`` with respect to ``x``. ``output_shape`` is the
    full NHWC shape of the result.

    >>> y = d2l.nn.conv2d_transpose(d2l.ones((1, 2, 2, 1)), d2l.ones((2, 2, 1, 1)),
    ...                             output_shape=(1, 4, 4, 1), strides=2)
    >>> y[0, ..., 0].numpy()
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    op = "conv2d_transpose"
    _data_format(op, data_format)
    dy, w = _image(op, input), as_tensor(filters)
    _same_dtype(op, dy, w)
    if hasattr(output_shape, "numpy"):
        output_shape = output_shape.numpy().tolist()
    shape = tuple(int(s) for s in output_shape)
    if len(shape) != 4:
        raise InvalidArgumentError(f"{op}: output_shape must have 4 entries (batch, height, "
                                   f"width, channels), got {output_shape!r}", op=op)
    geo = _filter_geometry(op, shape, w.shape, _pair(op, strides, "strides"),
                           _pair(op, 1 if dilations is None else dilations, "dilations"),
                           _padding(op, padding))
    if dy.shape[3] != w.shape[3]:
        raise InvalidArgumentError(f"{op}: the input has {dy.shape[3]} channels but the filters' "
                                   f"last dimension is {w.shape[3]} (shape {w.shape}); they must "
                                   "be equal", op=op)
    _check_out(op, dy.shape, (shape[0],) + geo.out_hw + (w.shape[3],))
    return _backprop_input(dy, w, shape, geo.attrs())


# ================================================================ pooling

def _pool_geometry(op, x, ksize, strides, padding, data_format):
    _data_format(op, data_format)
    k = _pair(op, ksize, "ksize")
    return _Geometry(tuple(x.shape[1:3]), k, _pair(op, strides, "strides"), (1, 1),
                     _padding(op, padding, explicit=False), op)


@op("MaxPool", exports=("nn", "nn.max_pool"), test=Test(samples=_max_pool_samples, smooth=False))
def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The largest value of each window, per channel (``tf.nn.max_pool2d``, ``tf.nn.max_pool``).

    Padding ('SAME') never wins: windows only compare real pixels. The
    gradient goes to the position of each window's maximum (the first one
    on a tie, in row-major order, as in TensorFlow), summed where windows
    overlap.

    >>> x = d2l.reshape(d2l.range(16.0), (1, 4, 4, 1))
    >>> d2l.nn.max_pool2d(x, ksize=2, strides=2, padding='VALID')[0, ..., 0].numpy()
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    """
    op = "max_pool2d"
    x = _image(op, input)
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise DTypeMismatchError(f"max_pool2d: expected a number tensor, got {x.dtype.name}",
                                 op=op)
    geo = _pool_geometry(op, x, ksize, strides, padding, data_format)
    (a,) = arrays(op, x)
    xp = xp_of(a)
    n, h, w, c = a.shape
    lowest = -np.inf if a.dtype.kind == "f" else np.iinfo(a.dtype).min
    win = _windows(a, geo, fill=lowest)
    if win.size == 0:                                               # an empty batch or output
        return wrap(xp.zeros((n,) + geo.out_hw + (c,), dtype=a.dtype))
    win = win.reshape(win.shape[:3] + (-1, c))                      # (N, OH, OW, KH·KW, C)
    k = win.argmax(axis=3)                                           # first maximum
    y = wrap(xp.take_along_axis(win, k[:, :, :, None], axis=3)[:, :, :, 0])
    if tapes:
        # Where each maximum came from, as an index into the input: dy goes there.
        (pt, _), (pl, _) = geo.pads
        oh, ow = geo.out_hw
        kw = geo.k[1]
        rows = xp.arange(oh)[:, None, None] * geo.strides[0] + k // kw - pt
        cols = xp.arange(ow)[None, :, None] * geo.strides[1] + k % kw - pl
        # A window of -inf only ties with its padding: clip onto a real pixel of the window.
        rows, cols = xp.clip(rows, 0, h - 1), xp.clip(cols, 0, w - 1)
        index = (xp.arange(n)[:, None, None, None], rows, cols, xp.arange(c))
        record(op, (x,), y, {"index": index, "accumulate": True})
    return y


gradient("max_pool2d")(take_grad)      # dy scattered to the maxima; its gradient is a gather


def _window_counts(xp, geo, dtype):
    """How many real (unpadded) pixels each output window covers: (OH, OW, 1)."""
    ones = xp.ones((1,) + geo.in_hw + (1,), dtype=dtype)
    return _windows(ones, geo).sum(axis=(3, 4))[0]


@op("AvgPool", exports=("nn", "nn.avg_pool"), test=Test(samples=_avg_pool_samples))
def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The mean of each window, per channel (``tf.nn.avg_pool2d``, ``tf.nn.avg_pool``).

    With 'SAME' padding a border window averages only its real pixels (the
    padding is not counted), as in TensorFlow.

    >>> x = d2l.reshape(d2l.range(16.0), (1, 4, 4, 1))
    >>> d2l.nn.avg_pool2d(x, ksize=3, strides=2, padding='SAME')[0, ..., 0].numpy()
    array([[ 5. ,  6.5],
           [11. , 12.5]], dtype=float32)
    """
    op = "avg_pool2d"
    x = _image(op, input)
    if not x.dtype.is_floating:
        raise DTypeMismatchError(f"avg_pool2d: expected a float tensor, got {x.dtype.name}; "
                                 "cast first, e.g. d2l.cast(x, d2l.float32)", op=op)
    return _avg_pool(x, _pool_geometry(op, x, ksize, strides, padding, data_format))


def _avg_pool(x, geo):
    (a,) = arrays("avg_pool2d", x)
    y = wrap(_windows(a, geo).sum(axis=(3, 4)) / _window_counts(xp_of(a), geo, a.dtype))
    if tapes:
        record("avg_pool2d", (x,), y, {"geometry": geo, "shape": tuple(a.shape)})
    return y


@gradient("avg_pool2d")
def _avg_pool_grad(dy, inputs, y, attrs):
    return (_avg_pool_backprop(dy, attrs),)


@op("AvgPoolGrad", exports=(), name="avg_pool_grad", tested_by="avg_pool2d")
def _avg_pool_backprop(dy, attrs):
    """avg_pool2d's gradient: each window's dy / count spread over its pixels."""
    geo = attrs["geometry"]
    (d,) = arrays("avg_pool_grad", dy)
    xp = xp_of(d)
    share = d / _window_counts(xp, geo, d.dtype)
    cols = xp.broadcast_to(share[:, :, :, None, None, :], share.shape[:3] + geo.k + share.shape[3:])
    g = wrap(_fold(cols, attrs["shape"], geo))
    if tapes:
        record("avg_pool_grad", (dy,), g, attrs)
    return g


@gradient("avg_pool_grad")
def _avg_pool_backprop_grad(dg, inputs, g, attrs):
    return (_avg_pool(dg, attrs["geometry"]),)      # the adjoint of the adjoint


# ================================================================ normalization

@op("Moments", exports=("nn",), grad=COMPOSITE, test=Test(samples=_moments_samples))
def moments(x, axes, shift=None, keepdims=False, name=None):
    """Mean and (population) variance of ``x`` over ``axes`` (``tf.nn.moments``).

    For batch normalization of images use ``axes=[0, 1, 2]`` (one mean per
    channel). ``shift`` is accepted and unused, as in TensorFlow 2.

    Deliberate difference: TensorFlow computes the variance around
    ``stop_gradient(mean)``; that leaves first derivatives unchanged (the
    mean's term is zero) but drops a term from second derivatives. d2l_core
    keeps it, so gradients of gradients are exact.

    >>> mean, variance = d2l.nn.moments(d2l.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])
    >>> mean.numpy(), variance.numpy()
    (array([2., 4.], dtype=float32), array([1., 4.], dtype=float32))
    """
    x = as_tensor(x)
    if axes is None or (isinstance(axes, (list, tuple)) and not axes):
        raise InvalidArgumentError("moments: give the axes to reduce, e.g. axes=[0] for a batch "
                                   "of vectors or axes=[0, 1, 2] for NHWC images", op="moments")
    axes = list(normalize_axis("moments", axes, x.ndim))
    mean = reduce_mean(x, axes, keepdims=True)
    variance = reduce_mean(squared_difference(x, mean), axes, keepdims=True)
    if not keepdims:
        mean, variance = squeeze(mean, axes), squeeze(variance, axes)
    return mean, variance


@op("BatchNormalization", exports=("nn",), grad=COMPOSITE,
    test=Test(samples=_batch_norm_samples))
def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) / sqrt(variance + ε) · scale + offset (``tf.nn.batch_normalization``).

    ``offset`` (β) and ``scale`` (γ) may be None. Computed as TensorFlow does:
    ``x · inv + (offset - mean · inv)`` with ``inv = scale / sqrt(variance + ε)``.

    >>> d2l.nn.batch_normalization(d2l.constant([1.0, 3.0]), 2.0, 1.0, None, None, 0.0).numpy()
    array([-1.,  1.], dtype=float32)
    """
    x = as_tensor(x)
    inv = rsqrt(add(as_tensor(variance, x.dtype), variance_epsilon))
    if scale is not None:
        inv = multiply(inv, as_tensor(scale, x.dtype))
    shift = multiply(as_tensor(mean, x.dtype), inv)
    shift = subtract(as_tensor(offset, x.dtype), shift) if offset is not None else \
        multiply(shift, -1.0)
    return add(multiply(x, inv), shift)


__all__ = ["conv2d", "conv2d_transpose", "conv2d_backprop_filter", "max_pool2d", "avg_pool2d",
           "moments", "batch_normalization"]
