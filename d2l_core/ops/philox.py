"""TensorFlow's counter-based random numbers (Philox-4x32-10), bit for bit, on the host.

``tf.random.Generator`` and the ``tf.random.stateless_*`` ops hash a 128-bit
*counter* with a 64-bit *key*: block ``i`` of a stream is
``philox(counter + i, key)``, four uint32 words. Nothing else is stateful, so
the same (key, counter) gives the same numbers anywhere: d2l_core computes
them with NumPy on the host and moves them to the op's device.

How the words become numbers follows TensorFlow's kernels
(``random_distributions.h``): each output group takes one block (4 float32 or
int32, 2 float64 or int64); floats keep 23 (52) random mantissa bits; normals
use Box-Muller; a truncated normal's group ``g`` starts 256 blocks per
element further on and rejects ``|x| >= 2``. Integers and uniform floats equal
TensorFlow's exactly; normals may differ in the last bit (float32 ``sin``,
``cos`` and ``log`` round differently in different libraries).

>>> [hex(w) for w in philox_blocks(0, 0, 1)[0]]   # Random123's known answer for counter 0, key 0
['0x6627e8d5', '0xe169c58d', '0xbc57ac4c', '0x9b00dbd8']
"""
import numpy as np

_U32 = np.uint64(0xFFFFFFFF)
_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)      # the paper's multipliers
_W0, _W1 = 0x9E3779B9, 0xBB67AE85                             # and key increments
_SEED_KEY = 0x02461E293EC8F720                                # TensorFlow's seed scrambler
RESERVED_BLOCKS_PER_ELEMENT = 256 // 4     # a truncated normal's group g starts g * 4 * this on
SKIP_PER_ELEMENT = 256                     # a Generator call of n numbers advances its counter n * this


def philox_blocks(counter, key, offsets):
    """Blocks ``philox(counter + offset, key)`` as uint32 words, shape ``offsets.shape + (4,)``.

    ``counter`` is a 128-bit and ``key`` a 64-bit Python int; ``offsets`` an int
    (meaning ``range(offsets)``) or an array of non-negative ints.

    >>> philox_blocks(1, 0, 2).shape
    (2, 4)
    """
    offsets = np.arange(offsets, dtype=np.uint64) if np.ndim(offsets) == 0 \
        else np.asarray(offsets, dtype=np.uint64)
    base = np.uint64(counter & 0xFFFFFFFFFFFFFFFF)
    lo = base + offsets                                   # wraps mod 2**64 ...
    hi = np.uint64(counter >> 64 & 0xFFFFFFFFFFFFFFFF) + (lo < base)   # ... and carries
    c0, c1, c2, c3 = lo & _U32, lo >> np.uint64(32), hi & _U32, hi >> np.uint64(32)
    k0, k1 = key & 0xFFFFFFFF, key >> 32 & 0xFFFFFFFF
    for _ in range(10):
        p0, p1 = _M0 * c0, _M1 * c2            # 32 x 32 -> 64-bit products, exact in uint64
        c0, c1, c2, c3 = ((p1 >> np.uint64(32)) ^ c1 ^ np.uint64(k0), p1 & _U32,
                          (p0 >> np.uint64(32)) ^ c3 ^ np.uint64(k1), p0 & _U32)
        k0, k1 = (k0 + _W0) & 0xFFFFFFFF, (k1 + _W1) & 0xFFFFFFFF
    return np.stack([c0, c1, c2, c3], axis=-1).astype(np.uint32)


def words(counter, key, n):
    """The first ``n`` uint32 words of the stream at ``counter``, one block after another.

    >>> words(0, 0, 5).tolist() == philox_blocks(0, 0, 2).ravel()[:5].tolist()
    True
    """
    return philox_blocks(counter, key, -(-n // 4)).ravel()[:n]


def key_counter_from_seed(seed0, seed1):
    """The (key, counter) TensorFlow's stateless ops derive from a seed pair: one Philox block
    of the seed, so that neither half of the seed needs to be strong on its own.

    >>> key, counter = key_counter_from_seed(1, 2)
    >>> counter < 2 ** 128 and key < 2 ** 64
    True
    """
    s0, s1 = seed0 & 0xFFFFFFFFFFFFFFFF, seed1 & 0xFFFFFFFFFFFFFFFF
    mix = [int(w) for w in philox_blocks(s0 | s1 << 64, _SEED_KEY, 1)[0]]
    return mix[0] | mix[1] << 32, (mix[2] | mix[3] << 32) << 64


# ============================================================== words -> numbers

def _unit_float32(w):
    """[0, 1) from the low 23 bits: a float in [1, 2) built from them, minus 1."""
    return ((w & np.uint32(0x7FFFFF)) | np.uint32(0x3F800000)).view(np.float32) - np.float32(1)


def unit_float64(hi, lo):
    """Floats in [0, 1) from 52 bits of two uint32 word arrays: 20 of ``hi``, all of ``lo``.

    >>> unit_float64(np.uint32([0]), np.uint32([1 << 31])).tolist()
    [4.76837158203125e-07]
    """
    man = (hi.astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32) | lo.astype(np.uint64)
    return (man | np.uint64(0x3FF0000000000000)).view(np.float64) - 1.0


def _unit_float16(w):
    """[0, 1) from the low 10 bits of each word."""
    return ((w & np.uint32(0x3FF)) | np.uint32(15 << 10)).astype(np.uint16).view(np.float16) \
        - np.float16(1)


def _box_muller32(x0, x1):
    """Two float32 standard normals per word pair, as TensorFlow's BoxMullerFloat.

    Each float32 function is evaluated in float64 and rounded once, as a
    correctly rounded float32 library would; ``2 * M_PI`` is a double in TF.
    """
    f32, f64 = np.float32, np.float64
    u1 = np.maximum(_unit_float32(x0), f32(1e-7))      # keep log away from 0
    v1 = (2 * np.pi * _unit_float32(x1).astype(f64)).astype(f32).astype(f64)
    log_u1 = np.log(u1.astype(f64)).astype(f32)
    u2 = np.sqrt((f32(-2) * log_u1).astype(f64)).astype(f32)
    return np.sin(v1).astype(f32) * u2, np.cos(v1).astype(f32) * u2


def _box_muller64(x0, x1, x2, x3):
    u1 = np.maximum(unit_float64(x0, x1), 1e-7)
    v1 = 2 * np.pi * unit_float64(x2, x3)
    u2 = np.sqrt(-2.0 * np.log(u1))
    return np.sin(v1) * u2, np.cos(v1) * u2


def _pairs(a, b):
    """Interleave two Box-Muller outputs: a0, b0, a1, b1, ..."""
    return np.stack([a, b], axis=-1).reshape(a.shape[:-1] + (2 * a.shape[-1],))


def _normals(blocks, np_dtype):
    """Every block's normals in order: 4 per block (float16/32), 2 per block (float64)."""
    if np_dtype == np.float64:
        return np.stack(_box_muller64(*(blocks[..., i] for i in range(4))), axis=-1)
    f0, f1 = _box_muller32(blocks[..., 0::2], blocks[..., 1::2])
    return _pairs(f0, f1).astype(np_dtype)


def _per_block(np_dtype):
    return 2 if np.dtype(np_dtype).itemsize == 8 else 4


def uniform(counter, key, n, np_dtype):
    """``n`` floats in [0, 1) (TensorFlow's ``UniformDistribution``).

    >>> uniform(0, 0, 3, np.float32).dtype
    dtype('float32')
    """
    per = _per_block(np_dtype)
    b = philox_blocks(counter, key, -(-n // per))
    if per == 2:
        out = unit_float64(b[:, 0::2], b[:, 1::2])
    elif np_dtype == np.float16:
        out = _unit_float16(b)
    else:
        out = _unit_float32(b)
    return out.ravel()[:n]


def normal(counter, key, n, np_dtype):
    """``n`` standard normals (TensorFlow's ``NormalDistribution``).

    >>> normal(1, 0, 2, np.float32).shape
    (2,)
    """
    b = philox_blocks(counter, key, -(-n // _per_block(np_dtype)))
    return _normals(b, np.dtype(np_dtype)).ravel()[:n]


def truncated_normal(counter, key, n, np_dtype):
    """``n`` standard normals within (-2, 2) (TensorFlow's ``TruncatedNormalDistribution``).

    Output group ``g`` (``per`` numbers) draws candidates from its own stretch of
    the stream, ``g * per * 64`` blocks on, and keeps the first ``per`` inside.

    >>> bool((abs(truncated_normal(0, 0, 100, np.float64)) < 2).all())
    True
    """
    np_dtype = np.dtype(np_dtype)
    per = _per_block(np_dtype)
    groups = -(-n // per)
    out = np.empty((groups, per), np_dtype)
    todo, blocks = np.arange(groups), 2
    while todo.size:
        starts = todo.astype(np.uint64) * np.uint64(per * RESERVED_BLOCKS_PER_ELEMENT)
        cand = _normals(philox_blocks(counter, key, starts[:, None] + np.arange(blocks,
                                                                       dtype=np.uint64)),
                        np_dtype).reshape(todo.size, -1)
        keep = np.abs(cand) < 2
        done = keep.sum(axis=1) >= per
        first = np.argsort(~keep[done], axis=1, kind="stable")[:, :per]   # first kept, in order
        out[todo[done]] = np.take_along_axis(cand[done], first, axis=1)
        todo, blocks = todo[~done], blocks * 2        # rare: a group that needs more candidates
    return out.ravel()[:n]


def full_int(counter, key, n, np_dtype):
    """``n`` integers over the whole range of ``np_dtype`` (32 or 64 bits).

    >>> full_int(0, 0, 2, np.uint32).tolist()
    [1713891541, 3781805453]
    """
    np_dtype = np.dtype(np_dtype)
    if np_dtype.itemsize == 4:
        return words(counter, key, n).view(np_dtype)
    b = philox_blocks(counter, key, -(-n // 2)).astype(np.uint64)
    bits = b[:, 0::2] | b[:, 1::2] << np.uint64(32)
    return bits.ravel()[:n].view(np_dtype)


def uniform_int(counter, key, n, lo, hi, np_dtype):
    """``n`` integers in [lo, hi): ``lo + bits % (hi - lo)``, slightly biased as TensorFlow's.

    >>> bool(((uniform_int(0, 0, 50, -3, 4, np.int32) >= -3)).all())
    True
    """
    np_dtype = np.dtype(np_dtype)
    unsigned = np.uint32 if np_dtype.itemsize == 4 else np.uint64
    bits = full_int(counter, key, n, unsigned)
    offset = bits % unsigned(int(hi) - int(lo))
    return (offset.astype(np.uint64) + np.uint64(int(lo) & 0xFFFFFFFFFFFFFFFF)).astype(
        unsigned).view(np_dtype)
