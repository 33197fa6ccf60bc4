"""Ops on text: ``tf.strings`` (and ``tf.io.decode_raw``).

A ``string`` tensor holds ``bytes`` (a str is stored UTF-8 encoded) in a NumPy
object array. Its length is not one of its axes: ``d2l.constant(["a", "bcd"])``
has shape (2,). TensorFlow keeps text in host memory and has no GPU kernels for
it, so these ops run on the CPU, inside ``d2l.device('/gpu:0')`` too, and so do
their results (``_op.host_arrays``). Text has no gradient.

Where TensorFlow returns a ``RaggedTensor`` (rows of different lengths:
``split`` of a vector of strings), d2l_core, which has no ragged tensors,
raises an error that says so; one string at a time works.

>>> import d2l_core as d2l
>>> d2l.strings.split(d2l.constant("Gray wolf"))
<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'Gray', b'wolf'], dtype=object)>
>>> d2l.strings.to_number(d2l.strings.split("1 10 100"))
<tf.Tensor: shape=(3,), dtype=float32, numpy=array([  1.,  10., 100.], dtype=float32)>
"""
import builtins
import codecs
import math
import re

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, OutOfRangeError, UnimplementedError
from ..tensor import Tensor
from ._op import as_tensor, broadcast_shape, check_dtype, host_arrays, wrap
from .registry import (NOT_DIFFERENTIABLE, STRINGS, UNARY, VALUE, Sample, Test, op,
                       random_axis, random_shape, text, uniform)

_AS_TEXT = "d2l.strings.as_string(x)"        # the fix when numbers come where text should


# ================================================================ helpers

def _text(op, x):
    """``x`` (a string tensor, str, bytes or a list of them) as a string tensor, checked."""
    x = as_tensor(x)
    check_dtype(op, x, lambda d: d is dtypes.string, "a string", _AS_TEXT)
    return x


def _each(fn, a, dtype=object):
    """``fn`` applied to every element of array ``a``: an array of ``a``'s shape."""
    return np.array([fn(v) for v in a.flat], dtype=dtype).reshape(a.shape)


def _scalar_only(op, a, what):
    """The one string of a scalar; the error for other ranks names TensorFlow's RaggedTensor."""
    if a.ndim != 0:
        raise UnimplementedError(
            f"{op}: for a string tensor of shape {a.shape} TensorFlow returns a RaggedTensor "
            f"(each string gives a different number of {what}), which d2l_core does not have; "
            f"pass one string at a time, e.g. [d2l.strings.{op}(s) for s in t]", op=op)
    return a[()]


def _check_unit(op, unit):
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise InvalidArgumentError(f"{op}: unit must be 'BYTE' or 'UTF8_CHAR', got {unit!r}",
                                   op=op)


def _is_char_start(byte):
    return byte & 0xC0 != 0x80      # not a UTF-8 continuation byte (10xxxxxx)


def _char_starts(s):
    """Byte offsets where UTF-8 characters of ``s`` begin, and len(s) at the end."""
    return [i for i, b in enumerate(s) if _is_char_start(b)] + [len(s)]


def _regex(op, pattern):
    """``pattern`` compiled for text decoded as UTF-8 (as TensorFlow's RE2 reads it)."""
    pattern = pattern.decode("utf-8") if isinstance(pattern, bytes) else str(pattern)
    try:
        return re.compile(pattern)
    except re.error as e:
        raise InvalidArgumentError(f"{op}: invalid pattern {pattern!r}: {e}", op=op) from None


def _decoded(s):
    return s.decode("utf-8", "surrogateescape")   # bytes that are not UTF-8 survive the trip


def _encoded(s):
    return s.encode("utf-8", "surrogateescape")


# ================================================================ test data (see ops/registry.py)

def _text_samples(fn, reference, max_dims=2):
    """A sample of ``fn`` on random text of a random shape (``reference`` per element)."""
    def samples(rng):
        x = text()(rng, random_shape(rng, max_dims=max_dims))
        return [Sample(fn, (x,), lambda a: _each(reference, a) if reference else None)]
    return samples


def _split_samples(rng):
    s = text(max_words=5)(rng, ())
    return [Sample(split, (s,), lambda a: np.array(a[()].split(), dtype=object)),
            Sample(lambda x: split(x, " ", maxsplit=1), (s,),
                   lambda a: np.array(a[()].split(b" ", 1), dtype=object))]


def _join_samples(rng):
    shape = random_shape(rng, max_dims=2)
    a, b = text()(rng, shape), text()(rng, shape)
    return [Sample(lambda x, y: join([x, y], separator="-"), (a, b),
                   lambda x, y: np.asarray(x + b"-" + y, dtype=object)),
            Sample(lambda x: join([x, "!"]), (a,), lambda x: np.asarray(x + b"!", dtype=object))]


def _reduce_join_samples(rng):
    shape = random_shape(rng, max_dims=3)
    x = text()(rng, shape)
    axis = random_axis(rng, len(shape), none=True)
    keepdims = bool(rng.random() < 0.5)

    def reference(a):
        if axis is None:
            out = np.array(b",".join(a.ravel()), dtype=object)
            return out.reshape((1,) * a.ndim) if keepdims else out
        moved = np.moveaxis(a, axis, -1)
        rows = moved.reshape(math.prod(moved.shape[:-1]), moved.shape[-1])
        out = np.array([b",".join(r) for r in rows], object).reshape(moved.shape[:-1])
        return np.expand_dims(out, axis) if keepdims else out
    square = np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object)
    return [Sample(lambda t: reduce_join(t, axis=axis, keepdims=keepdims, separator=","), (x,),
                   reference),
            Sample(lambda t: reduce_join(t, axis=[0, 1]), (square,),     # TensorFlow's order
                   lambda a: np.array(b"acbd", dtype=object))]


def _to_number_samples(rng):
    shape = random_shape(rng)
    f = uniform(-100, 100)(rng, shape).astype(np.float32)
    i = rng.integers(-1000, 1000, size=shape)
    return [Sample(to_number, (_each(lambda v: repr(float(v)).encode(), f),),
                   lambda a: f),
            Sample(lambda s: to_number(s, out_type=dtypes.int64),
                   (_each(lambda v: str(int(v)).encode(), i),), lambda a: i.astype(np.int64))]


def _as_string_samples(rng):
    shape = random_shape(rng)
    x = uniform(-100, 100)(rng, shape)
    i = rng.integers(-1000, 1000, size=shape).astype(np.int32)
    return [Sample(as_string, (x,), lambda a: _each(lambda v: b"%f" % v, a)),
            Sample(lambda t: as_string(t, precision=2, width=9), (x,),
                   lambda a: _each(lambda v: b"%9.2f" % v, a)),
            Sample(as_string, (i,), lambda a: _each(lambda v: b"%d" % v, a))]


def _substr_samples(rng):
    x = text()(rng, random_shape(rng, max_dims=2))
    shortest = min([len(v) for v in x.flat] + [4])
    pos, n = int(rng.integers(-shortest, shortest + 1)), int(rng.integers(-1, 4))
    return [Sample(lambda t: substr(t, pos, n), (x,),
                   lambda a: _each(lambda v: v[pos % len(v) if pos < 0 else pos:][:n]
                                   if n >= 0 else v[pos:], a))]


def _regex_samples(rng):
    x = text()(rng, random_shape(rng, max_dims=2))
    return [Sample(lambda t: regex_full_match(t, r"[A-Za-z ]*"), (x,),
                   lambda a: _each(lambda v: re.fullmatch(rb"[A-Za-z ]*", v) is not None, a,
                                   bool)),
            Sample(lambda t: regex_replace(t, r"(o)", r"<\1>"), (x,),
                   lambda a: _each(lambda v: v.replace(b"o", b"<o>"), a)),
            Sample(lambda t: regex_replace(t, " ", "_", replace_global=False), (x,),
                   lambda a: _each(lambda v: v.replace(b" ", b"_", 1), a))]


def _bytes_split_samples(rng):
    s = text()(rng, ())
    return [Sample(bytes_split, (s,),
                   lambda a: np.array([bytes([b]) for b in a[()]], object))]


def _unicode_samples(rng):
    s = text()(rng, ())
    points = rng.integers(32, 0x1F600, size=random_shape(rng, min_dims=1, max_dims=2))
    points = np.where((points >= 0xD800) & (points < 0xE000), 65, points).astype(np.int32)
    return [Sample(lambda t: unicode_decode(t, "UTF-8"), (s,),
                   lambda a: np.array([ord(c) for c in a[()].decode()], dtype=np.int32)),
            Sample(lambda t: unicode_split(t, "UTF-8"), (s,),
                   lambda a: np.array([c.encode() for c in a[()].decode()], object)),
            Sample(lambda p: unicode_encode(p, "UTF-8"), (points,),
                   lambda p: np.array([("".join(map(chr, r))).encode() for r in
                                       p.reshape(-1, p.shape[-1])],
                                      object).reshape(p.shape[:-1]))]


def _decode_raw_samples(rng):
    raw = rng.integers(0, 256, size=(int(rng.integers(1, 3)), 4), dtype=np.uint8)
    s = np.array([r.tobytes() for r in raw], dtype=object)
    return [Sample(lambda t: decode_raw(t, dtypes.uint8), (s,), lambda a: raw),
            Sample(lambda t: decode_raw(t, dtypes.int16), (s,),
                   lambda a: raw.view("<i2").reshape(len(raw), 2))]


# ================================================================ length, case, whitespace

@op("StringLength", exports=("strings",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(lambda a: _each(len, a, np.int32), domain=text(), dtypes=STRINGS,
              samples=_text_samples(lambda t: length(t, unit="UTF8_CHAR"),
                                    lambda v: len(v.decode()))))
def length(input, unit="BYTE", name=None):  # noqa: A002
    """The length of each string, in bytes or (``unit='UTF8_CHAR'``) characters, as int32
    (``tf.strings.length``).

    >>> d2l.strings.length(["héllo", ""]).numpy()
    array([6, 0], dtype=int32)
    >>> d2l.strings.length("héllo", unit="UTF8_CHAR").numpy()
    np.int32(5)
    """
    _check_unit("length", unit)
    (a,) = host_arrays("length", _text("length", input))
    if unit == "BYTE":
        return wrap(_each(len, a, np.int32))
    return wrap(_each(lambda s: sum(map(_is_char_start, s)), a, np.int32))


def _ascii_case(table):
    return lambda s: s.translate(table)


_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_UPPER = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _case(op, input, encoding, table, method):
    (a,) = host_arrays(op, _text(op, input))
    if encoding == "":
        return wrap(_each(_ascii_case(table), a))
    if encoding.lower().replace("-", "") != "utf8":
        raise InvalidArgumentError(f"{op}: encoding must be '' (ASCII letters only) or "
                                   f"'utf-8', got {encoding!r}", op=op)
    return wrap(_each(lambda s: _encoded(method(_decoded(s))), a))


@op("StringLower", exports=("strings",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(lambda a: _each(bytes.lower, a), domain=text(), dtypes=STRINGS))
def lower(input, encoding="", name=None):  # noqa: A002
    """Lowercase (``tf.strings.lower``): ASCII letters only, unless ``encoding='utf-8'``.

    >>> d2l.strings.lower("HÉLLO").numpy().decode()
    'hÉllo'
    >>> d2l.strings.lower("HÉLLO", encoding="utf-8").numpy().decode()
    'héllo'
    """
    return _case("lower", input, encoding, _LOWER, str.lower)


@op("StringUpper", exports=("strings",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(lambda a: _each(bytes.upper, a), domain=text(), dtypes=STRINGS))
def upper(input, encoding="", name=None):  # noqa: A002
    """Uppercase (``tf.strings.upper``): ASCII letters only, unless ``encoding='utf-8'``.

    >>> d2l.strings.upper(["gray wolf", "é"]).numpy()
    array([b'GRAY WOLF', b'\\xc3\\xa9'], dtype=object)
    """
    return _case("upper", input, encoding, _UPPER, str.upper)


@op("StringStrip", exports=("strings",), kind=UNARY, grad=NOT_DIFFERENTIABLE,
    test=Test(lambda a: _each(bytes.strip, a), domain=text(), dtypes=STRINGS))
def strip(input, name=None):  # noqa: A002
    """Leading and trailing whitespace removed (``tf.strings.strip``).

    >>> d2l.strings.strip(["  Gray wolf\\n", "\\t"]).numpy()
    array([b'Gray wolf', b''], dtype=object)
    """
    (a,) = host_arrays("strip", _text("strip", input))
    return wrap(_each(bytes.strip, a))      # ASCII whitespace, as C's isspace


# ================================================================ split and join

@op("StringSplitV2", exports=("strings.split",), kind=VALUE, grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_split_samples), name="strings_split")     # d2l.split is another op
def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """The pieces of one string between separators ``sep`` (``tf.strings.split``).

    With ``sep=None`` it splits at runs of whitespace and drops empty pieces;
    with a ``sep`` every separator splits (empty pieces kept). At most
    ``maxsplit`` splits when it is not -1. For a scalar the result is a 1-D
    string tensor, as in TensorFlow; for a tensor of strings TensorFlow returns
    a RaggedTensor, which d2l_core lacks, so that is an error here.

    >>> d2l.strings.split("a,,b", sep=",")
    <tf.Tensor: shape=(3,), dtype=string, numpy=array([b'a', b'', b'b'], dtype=object)>
    """
    (a,) = host_arrays("split", _text("split", input))
    s = _scalar_only("split", a, "pieces")
    if sep is not None:
        sep = sep.numpy() if isinstance(sep, Tensor) else sep
        sep = sep.encode() if isinstance(sep, str) else bytes(sep)
    maxsplit = int(maxsplit)
    if sep == b"":
        pieces = [s]            # TensorFlow: an empty separator does not split
    else:
        pieces = s.split(sep, maxsplit)
    return wrap(np.array(pieces, dtype=object))


@op("StringsByteSplit", exports=("strings",), kind=VALUE, grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_bytes_split_samples))
def bytes_split(input, name=None):  # noqa: A002
    """A string's bytes, each as a string of length 1 (``tf.strings.bytes_split``).

    As with ``split``, a tensor of strings would need a RaggedTensor: pass a scalar.

    >>> d2l.strings.bytes_split(d2l.constant("Duck"))
    <tf.Tensor: shape=(4,), dtype=string, numpy=array([b'D', b'u', b'c', b'k'], dtype=object)>
    """
    (a,) = host_arrays("bytes_split", _text("bytes_split", input))
    s = _scalar_only("bytes_split", a, "bytes")
    return wrap(np.array([bytes([b]) for b in s], dtype=object))


@op("StringJoin", exports=("strings",), grad=NOT_DIFFERENTIABLE, test=Test(samples=_join_samples))
def join(inputs, separator="", name=None):
    """Elementwise concatenation of a list of string tensors (``tf.strings.join``).

    The tensors must all have one shape, or be scalars (which are repeated);
    ``separator`` goes between the pieces. To join the strings *inside* one
    tensor use ``reduce_join``.

    >>> d2l.strings.join([["Gray", "Lazy"], ["wolf", "dog"]], separator=" ").numpy()
    array([b'Gray wolf', b'Lazy dog'], dtype=object)
    """
    if isinstance(inputs, (str, bytes)):
        raise TypeError(f"join: expected a list of strings or string tensors, not {inputs!r:.40}; "
                        f"wrap it in a list: d2l.strings.join([{inputs!r:.20}, ...])")
    ts = [_text("join", x) for x in inputs]
    arrays = host_arrays("join", *ts)
    shapes = {a.shape for a in arrays if a.ndim}
    if len(shapes) > 1:
        a, b = sorted(shapes)[:2]
        raise InvalidArgumentError(f"join: input shapes do not match: {list(a)} vs. {list(b)}; "
                                   "every input must have one shape or be a scalar", op="join")
    shape = shapes.pop() if shapes else ()
    sep = separator.encode() if isinstance(separator, str) else bytes(separator)
    rows = [np.broadcast_to(a, shape).ravel() for a in arrays]
    out = [sep.join(parts) for parts in zip(*rows)] if rows else [b""]
    return wrap(np.array(out, dtype=object).reshape(shape))


@op("ReduceJoin", exports=("strings",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_reduce_join_samples))
def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """The strings of ``inputs`` joined over ``axis`` (all axes when None), with ``separator``
    between them (``tf.strings.reduce_join``).

    >>> d2l.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1, separator="-").numpy()
    array([b'a-b', b'c-d'], dtype=object)
    >>> d2l.strings.reduce_join(["Gray", "wolf"], separator=" ")
    <tf.Tensor: shape=(), dtype=string, numpy=b'Gray wolf'>
    """
    (a,) = host_arrays("reduce_join", _text("reduce_join", inputs))
    axes = _join_axes(a.ndim, axis)
    sep = separator.encode() if isinstance(separator, str) else bytes(separator)
    kept = [d for i, d in enumerate(a.shape) if i not in axes]
    # Each row of ``rows`` is one join: the kept axes first, then the joined ones, the
    # first listed varying fastest (TensorFlow's order: axis=[0, 1] of [[a, b], [c, d]]
    # gives b'acbd'; axis=None joins in row-major order, b'abcd').
    rows = np.transpose(a, [i for i in range(a.ndim) if i not in axes] + axes[::-1])
    rows = rows.reshape(math.prod(kept), math.prod(a.shape[i] for i in axes))
    out = np.array([sep.join(r) for r in rows], dtype=object).reshape(kept)
    if keepdims:
        out = out.reshape([1 if i in axes else d for i, d in enumerate(a.shape)])
    return wrap(out)


def _join_axes(ndim, axis):
    """reduce_join's axes in the order given (it decides the order of the pieces)."""
    if axis is None:
        return list(range(ndim))[::-1]      # the last axis fastest: row-major order
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    axes = []
    for ax in axis if isinstance(axis, (list, tuple)) else [axis]:
        if not -ndim <= int(ax) < ndim:
            raise OutOfRangeError(f"reduce_join: invalid reduction dimension {int(ax)} for input "
                                  f"with {ndim} dimension(s)", op="reduce_join")
        axes.append(int(ax) % ndim)
    if len(set(axes)) != len(axes):
        raise InvalidArgumentError(f"reduce_join: axis {axis} names an axis twice",
                                   op="reduce_join")
    return axes


# ================================================================ numbers and text

_NUMBER_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.uint32,
                 dtypes.uint64)
_INTEGER = re.compile(rb"\s*[+-]?\d+\s*")
_FLOAT = re.compile(rb"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan"
                    rb"|0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*([pP][+-]?\d+)?)\s*", re.IGNORECASE)


def _parse(op, out):
    integer = out.is_integer
    info = np.iinfo(out.np) if integer else None

    def parse(s):
        ok = (_INTEGER if integer else _FLOAT).fullmatch(s)
        if ok and integer:
            v = int(s)
            ok = info.min <= v <= info.max
        elif ok:
            t = s.strip().lower()
            v = float.fromhex(t.decode()) if b"x" in t else float(t)
        if not ok:
            raise InvalidArgumentError(
                f"{op}: could not correctly convert string {s!r} to {out.name}"
                f"{f' (an integer in {info.min}..{info.max})' if integer else ''}", op=op)
        return v
    return parse


@op("StringToNumber", exports=("strings",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_to_number_samples))
def to_number(input, out_type=dtypes.float32, name=None):  # noqa: A002
    """Each string parsed as a number of ``out_type`` (float32 by default;
    ``tf.strings.to_number``). Surrounding whitespace is allowed; anything
    else that is not a number is an error.

    >>> d2l.strings.to_number(["1.5", " -20 "]).numpy()
    array([  1.5, -20. ], dtype=float32)
    >>> d2l.strings.to_number("42", out_type=d2l.int32).numpy()
    np.int32(42)
    """
    out = dtypes.as_dtype(out_type)
    if out not in _NUMBER_TYPES:
        raise InvalidArgumentError(
            f"to_number: out_type must be one of {', '.join(d.name for d in _NUMBER_TYPES)}, "
            f"got {out.name}", op="to_number")
    (a,) = host_arrays("to_number", _text("to_number", input))
    values = [_parse("to_number", out)(s) for s in a.flat]
    with np.errstate(over="ignore"):        # 1e40 is inf in float32, as in TensorFlow
        return wrap(np.array(values, dtype=out.np).reshape(a.shape))


def _c_format(op, dtype, precision, scientific, shortest, width, fill):
    """The C format TensorFlow's AsString builds from its arguments, e.g. '%9.2f'."""
    fill = fill.decode() if isinstance(fill, bytes) else fill
    if len(fill) > 1:
        raise InvalidArgumentError(f"{op}: fill must be one or fewer characters, got {fill!r}",
                                   op=op)
    if fill not in ("", " ", "0"):
        raise InvalidArgumentError(f"{op}: fill {fill!r} is not supported; use ' ' or '0'",
                                   op=op)
    if scientific and shortest:
        raise InvalidArgumentError(f"{op}: cannot select both scientific and shortest notation",
                                   op=op)
    floating = dtype.is_floating or dtype.is_complex
    if precision > -1 and not floating:
        raise InvalidArgumentError(f"{op}: precision is not supported for dtype {dtype.name}",
                                   op=op)
    spec = "%" + (fill if fill == "0" else "") + (str(width) if width > -1 else "")
    if precision > -1:
        spec += f".{precision}"
    if floating:
        return spec + ("e" if scientific else "g" if shortest else "f")
    return spec + "d"


@op("AsString", exports=("strings",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_as_string_samples))
def as_string(input, precision=-1, scientific=False, shortest=False,  # noqa: A002
              width=-1, fill="", name=None):
    """Each number formatted as text, with C's printf rules (``tf.strings.as_string``).

    Floats get 6 decimals unless ``precision`` says otherwise; ``scientific``
    and ``shortest`` choose %e and %g; ``width`` pads on the left with spaces
    or, with ``fill='0'``, zeros. Bools become b'true' and b'false'.

    >>> d2l.strings.as_string([1.5, 2.0]).numpy()
    array([b'1.500000', b'2.000000'], dtype=object)
    >>> d2l.strings.as_string(7, width=3, fill="0").numpy()
    b'007'
    """
    x = as_tensor(input)
    (a,) = host_arrays("as_string", x)
    if x.dtype is dtypes.string:
        return wrap(a)
    if x.dtype.is_bool:
        return wrap(_each(lambda v: b"true" if v else b"false", a))
    fmt = _c_format("as_string", x.dtype, precision, scientific, shortest, width, fill).encode()
    if x.dtype.is_complex:
        return wrap(_each(lambda v: b"(" + fmt % v.real + b"," + fmt % v.imag + b")", a))
    convert = float if x.dtype.is_floating else int
    return wrap(_each(lambda v: fmt % convert(v), a))


# ================================================================ pieces and patterns

@op("Substr", exports=("strings",), grad=NOT_DIFFERENTIABLE, test=Test(samples=_substr_samples))
def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    """The substring of ``len`` bytes (or ``unit='UTF8_CHAR'`` characters) starting at ``pos``
    (``tf.strings.substr``). A negative ``pos`` counts from the end; a ``pos`` past
    either end is an error; ``len`` is cut at the end of the string.

    ``pos`` and ``len`` are ints, or int tensors of one shape that broadcasts
    against ``input``.

    >>> d2l.strings.substr("Gray wolf", 5, 3).numpy()
    b'wol'
    >>> d2l.strings.substr(["héllo", "wörld"], -2, 2, unit="UTF8_CHAR").numpy()
    array([b'lo', b'ld'], dtype=object)
    """
    _check_unit("substr", unit)
    x = _text("substr", input)
    p, n = as_tensor(pos), as_tensor(len)
    for what, t in (("pos", p), ("len", n)):
        check_dtype("substr", t, lambda d: d.is_integer, f"an integer {what}",
                    f"d2l.cast({what}, d2l.int32)")
    a, pa, na = host_arrays("substr", x, p, n)
    if pa.shape != na.shape:
        raise InvalidArgumentError(f"substr: pos and len should have the same shape, got: "
                                   f"{list(pa.shape)} vs. {list(na.shape)}", op="substr")
    shape = broadcast_shape("substr", a.shape, pa.shape)
    a, pa, na = (np.broadcast_to(v, shape) for v in (a, pa, na))
    out = []      # (``len`` is an argument here, as in TensorFlow: builtins.len is Python's)
    for i, (s, start, count) in enumerate(zip(a.flat, pa.flat, na.flat)):
        bounds = _char_starts(s) if unit == "UTF8_CHAR" else range(builtins.len(s) + 1)
        size = builtins.len(bounds) - 1         # in bytes or characters
        start, count = int(start), int(count)
        if not -size <= start <= size:
            raise InvalidArgumentError(f"substr: pos {start} out of range for string {s!r} at "
                                       f"index {i}", op="substr")
        if start < 0:
            start += size
        if count < 0:
            count = size if unit == "BYTE" else 0     # TensorFlow's readings of a negative len
        stop = min(start + count, size)
        out.append(s[bounds[start]:bounds[stop]])
    return wrap(np.array(out, dtype=object).reshape(shape))



@op("StaticRegexFullMatch", exports=("strings",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_regex_samples))
def regex_full_match(input, pattern, name=None):  # noqa: A002
    """True where the whole string matches regular expression ``pattern``
    (``tf.strings.regex_full_match``).

    TensorFlow uses RE2; d2l_core uses Python's ``re`` on the text read as
    UTF-8, which agrees for the common syntax (RE2 lacks backreferences and
    lookaround, so patterns written for TensorFlow work here).

    >>> d2l.strings.regex_full_match(["wolf", "dog 2"], r"[a-z]+").numpy()
    array([ True, False])
    """
    (a,) = host_arrays("regex_full_match", _text("regex_full_match", input))
    regex = _regex("regex_full_match", pattern)
    return wrap(_each(lambda s: regex.fullmatch(_decoded(s)) is not None, a, bool))


_REWRITE = re.compile(r"\\(\d|\\)|\\(.)|([^\\]+)|(\\$)", re.DOTALL)


def _rewrite(op, rewrite):
    """RE2's rewrite string as a function of a match: \\0..\\9 are groups, \\\\ a backslash."""
    rewrite = rewrite.decode("utf-8") if isinstance(rewrite, bytes) else str(rewrite)
    parts = []
    for m in _REWRITE.finditer(rewrite):
        group, bad, literal, end = m.groups()
        if bad is not None or end is not None:
            raise InvalidArgumentError(f"{op}: invalid rewrite {rewrite!r}: a backslash must "
                                       "be followed by a digit (a group) or a backslash", op=op)
        parts.append(literal if literal is not None else
                     "\\" if group == "\\" else int(group))
    return lambda match: "".join(p if isinstance(p, str) else (match.group(p) or "")
                                 for p in parts)


@op("StaticRegexReplace", exports=("strings",), grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_regex_samples))
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """Matches of ``pattern`` replaced by ``rewrite``, in which ``\\1`` is a group and
    ``\\0`` the whole match (``tf.strings.regex_replace``); only the first match
    unless ``replace_global``.

    >>> d2l.strings.regex_replace(["Gray  wolf", "Lazy dog"], " +", "_").numpy()
    array([b'Gray_wolf', b'Lazy_dog'], dtype=object)
    >>> d2l.strings.regex_replace("a1b22", r"(\\d+)", r"<\\1>").numpy()
    b'a<1>b<22>'
    """
    (a,) = host_arrays("regex_replace", _text("regex_replace", input))
    regex, fill = _regex("regex_replace", pattern), _rewrite("regex_replace", rewrite)

    def replace(s):
        previous_end = [-1]

        def one(m):
            # RE2 skips an empty match right after a match; Python would replace it too.
            if m.start() == m.end() == previous_end[0]:
                return ""
            previous_end[0] = m.end()
            return fill(m)
        return _encoded(regex.sub(one, _decoded(s), count=0 if replace_global else 1))
    return wrap(_each(replace, a))


# ================================================================ unicode and raw bytes

_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}
_REPLACED = "\udfff"          # marks an undecodable sequence (a lone surrogate: never real text)
codecs.register_error("d2l_core.mark", lambda e: (_REPLACED, e.end))


def _codec(op, encoding):
    codec = _ENCODINGS.get(str(encoding).upper())
    if codec is None:
        raise InvalidArgumentError(f"{op}: encoding {encoding!r} is not supported; use one of "
                                   f"{', '.join(_ENCODINGS)}", op=op)
    return codec


def _code_points(op, s, codec, errors, replacement_char, replace_control_characters):
    if errors not in ("strict", "replace", "ignore"):
        raise InvalidArgumentError(f"{op}: errors must be 'strict', 'replace' or 'ignore', got "
                                   f"{errors!r}", op=op)
    try:
        chars = s.decode(codec, "strict" if errors == "strict" else "d2l_core.mark")
    except UnicodeDecodeError as e:
        raise InvalidArgumentError(f"{op}: invalid {codec} in {s!r:.40}: {e.reason}; pass "
                                   "errors='replace' to keep going", op=op) from None
    points = []
    for c in chars:
        if c == _REPLACED:
            if errors == "replace":
                points.append(int(replacement_char))
        elif replace_control_characters and (ord(c) < 32 or 127 <= ord(c) < 160):
            points.append(int(replacement_char))
        else:
            points.append(ord(c))
    return points


@op("UnicodeDecode", exports=("strings",), kind=VALUE, grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_unicode_samples))
def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   replace_control_characters=False, name=None):
    """A string's characters as int32 code points (``tf.strings.unicode_decode``).

    Undecodable bytes become ``replacement_char`` (U+FFFD), are dropped
    (``errors='ignore'``), or raise (``'strict'``). Pass a scalar: for a tensor
    of strings TensorFlow returns a RaggedTensor.

    >>> d2l.strings.unicode_decode("héllo", "UTF-8").numpy()
    array([104, 233, 108, 108, 111], dtype=int32)
    """
    (a,) = host_arrays("unicode_decode", _text("unicode_decode", input))
    s = _scalar_only("unicode_decode", a, "characters")
    points = _code_points("unicode_decode", s, _codec("unicode_decode", input_encoding), errors,
                          replacement_char, replace_control_characters)
    return wrap(np.array(points, dtype=np.int32))


@op("UnicodeDecodeWithOffsets", exports=("strings",), kind=VALUE, grad=NOT_DIFFERENTIABLE,
    tested_by="unicode_decode")
def unicode_split(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                  name=None):
    """A string's characters, each as a string (``tf.strings.unicode_split``); pass a scalar.

    >>> d2l.strings.unicode_split("アヒル", "UTF-8").numpy()[0].decode()
    'ア'
    """
    (a,) = host_arrays("unicode_split", _text("unicode_split", input))
    s = _scalar_only("unicode_split", a, "characters")
    codec = _codec("unicode_split", input_encoding)
    points = _code_points("unicode_split", s, codec, errors, replacement_char, False)
    return wrap(np.array([chr(p).encode(codec) for p in points], dtype=object))


@op("UnicodeEncode", exports=("strings",), grad=NOT_DIFFERENTIABLE, tested_by="unicode_decode")
def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   name=None):
    """Rows of int code points encoded as strings (``tf.strings.unicode_encode``): the last
    axis is the characters, so a 1-D input gives a scalar string.

    >>> d2l.strings.unicode_encode([104, 233], "UTF-8").numpy().decode()
    'hé'
    """
    x = as_tensor(input)
    check_dtype("unicode_encode", x, lambda d: d.is_integer, "an int32 code point",
                "d2l.cast(x, d2l.int32)")
    (a,) = host_arrays("unicode_encode", x)
    if a.ndim == 0:
        raise InvalidArgumentError("unicode_encode: input's rank must be at least 1 (the last "
                                   "axis holds the characters); wrap one code point in a list",
                                   op="unicode_encode")
    codec = _codec("unicode_encode", output_encoding)

    def char(p):
        p = int(p)
        if 0 <= p <= 0x10FFFF and not 0xD800 <= p < 0xE000:
            return chr(p)
        if errors == "strict":
            raise InvalidArgumentError(f"unicode_encode: code point {p} is out of range for "
                                       "Unicode, or is a surrogate", op="unicode_encode")
        return chr(int(replacement_char)) if errors == "replace" else ""
    rows = a.reshape(-1, a.shape[-1])
    out = ["".join(map(char, r)).encode(codec) for r in rows]
    return wrap(np.array(out, dtype=object).reshape(a.shape[:-1]))


@op("DecodeRaw", exports=("io",), kind=VALUE, grad=NOT_DIFFERENTIABLE,
    test=Test(samples=_decode_raw_samples))
def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """The bytes of each string read as numbers of ``out_type`` (``tf.io.decode_raw``): a new
    last axis holds them, so every string must have the same length.

    >>> d2l.io.decode_raw(d2l.constant("Duck"), d2l.uint8).numpy()
    array([ 68, 117,  99, 107], dtype=uint8)
    """
    out = dtypes.as_dtype(out_type)
    if not out.is_numeric and not out.is_bool or out is dtypes.string:
        raise InvalidArgumentError(f"decode_raw: out_type must be a number or bool dtype, got "
                                   f"{out.name}", op="decode_raw")
    (a,) = host_arrays("decode_raw", _text("decode_raw", input_bytes))
    if fixed_length is not None:
        n = int(fixed_length)
        a = _each(lambda s: s[:n].ljust(n, b"\0"), a)
    sizes = {len(s) for s in a.flat}
    if len(sizes) > 1:
        raise InvalidArgumentError(f"decode_raw: requires input strings to all be the same "
                                   f"size, got sizes {sorted(sizes)}; pass fixed_length",
                                   op="decode_raw")
    size = sizes.pop() if sizes else 0
    if size % out.size:
        raise InvalidArgumentError(f"decode_raw: input has length {size} that is not a multiple "
                                   f"of {out.size}, the size of {out.name}", op="decode_raw")
    kind = out.np.newbyteorder("<" if little_endian else ">") if out.size > 1 else out.np
    flat = np.frombuffer(b"".join(a.flat), dtype=kind).astype(out.np)
    return wrap(flat.reshape(a.shape + (size // out.size,)))
