"""Read IDX files, the simple binary format MNIST is distributed in.

An IDX file is a small header followed by the numbers themselves. Every
multi-byte value is big-endian (most significant byte first)::

    bytes 0-1   0x00 0x00       always zero
    byte  2     type code       0x08 uint8, 0x09 int8, 0x0B int16,
                                0x0C int32, 0x0D float32, 0x0E float64
    byte  3     ndim            how many dimensions follow
    4 * ndim    sizes           one unsigned 32-bit size per dimension
    the rest    the data        prod(sizes) numbers, row-major (C order)

Read as one big-endian integer, the first four bytes are the file's "magic
number": 0x00000803 means uint8 with 3 dimensions (MNIST images: count, 28,
28) and 0x00000801 means uint8 with 1 dimension (MNIST labels: count).

The files are usually gzipped (``train-images-idx3-ubyte.gz``);
:func:`read_idx` reads either form.

>>> import gzip, struct
>>> header = struct.pack(">I", 0x00000801) + struct.pack(">I", 3)  # 3 labels
>>> parse_idx(header + bytes([7, 2, 1]))
array([7, 2, 1], dtype=uint8)
>>> parse_idx(gzip.compress(header + bytes([7, 2, 1])))
array([7, 2, 1], dtype=uint8)
"""

import gzip
import zlib
from pathlib import Path

import numpy as np

# type code (byte 2 of the header) -> NumPy dtype, big-endian as stored on disk
TYPE_CODES = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"  # every gzip stream starts with these two bytes


class IDXError(ValueError):
    """An IDX file is damaged, incomplete or not the file that was expected.

    ``path`` names the file (``None`` for bytes that came from memory).

    >>> try:
    ...     parse_idx(b"hello world")
    ... except ValueError as e:
    ...     print(e)
    <bytes>: bad magic number 0x68656C6C: an IDX file starts with two zero bytes, a type code and the number of dimensions
    """

    def __init__(self, message, path=None):
        super().__init__(message)
        self.path = path


def describe_magic(magic):
    """Say in words what an IDX magic number means.

    >>> describe_magic(0x00000803)
    'uint8 with 3 dimensions'
    """
    dtype = TYPE_CODES.get((magic >> 8) & 0xFF)
    name = dtype.name if dtype is not None else "unknown type"
    ndim = magic & 0xFF
    return f"{name} with {ndim} dimension{'s' if ndim != 1 else ''}"


def parse_idx(data, name="<bytes>", expected_magic=None):
    """Turn the bytes of an IDX file (raw or gzipped) into a NumPy array.

    ``name`` is only used in error messages. With ``expected_magic`` (for
    example ``0x00000803`` for MNIST images) any other kind of file is
    refused. The result is a new, writable array in the machine's byte order.

    >>> import struct
    >>> header = struct.pack(">IIII", 0x00000803, 2, 2, 2)  # two 2x2 images
    >>> parse_idx(header + bytes(range(8))).shape
    (2, 2, 2)
    """
    data = bytes(data)
    if data[:2] == _GZIP_MAGIC:
        data = _gunzip(data, name)

    if len(data) < 4:
        raise IDXError(f"{name}: only {len(data)} bytes, too short for an IDX header "
                       "(the file is truncated or empty)", name)
    magic = int.from_bytes(data[:4], "big")
    type_code, ndim = data[2], data[3]
    if data[:2] != b"\x00\x00" or type_code not in TYPE_CODES:
        raise IDXError(f"{name}: bad magic number 0x{magic:08X}: an IDX file starts with "
                       "two zero bytes, a type code and the number of dimensions", name)
    if expected_magic is not None and magic != expected_magic:
        raise IDXError(f"{name}: bad magic number 0x{magic:08X} ({describe_magic(magic)}); "
                       f"expected 0x{expected_magic:08X} ({describe_magic(expected_magic)})", name)

    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise IDXError(f"{name}: truncated: the header needs {header_size} bytes for "
                       f"{ndim} dimension sizes but the file has only {len(data)}", name)
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))

    dtype = TYPE_CODES[type_code]
    # Python integers, so a huge (bogus) shape cannot overflow the product.
    count = 1
    for size in shape:
        count *= size
    expected_bytes = count * dtype.itemsize
    actual_bytes = len(data) - header_size
    if actual_bytes < expected_bytes:
        raise IDXError(f"{name}: truncated: the header promises shape {shape}, that is "
                       f"{expected_bytes:,} bytes of data, but only {actual_bytes:,} are there", name)
    if actual_bytes > expected_bytes:
        raise IDXError(f"{name}: {actual_bytes - expected_bytes:,} unexpected bytes after "
                       f"the data of shape {shape} (the file is damaged or not IDX)", name)

    array = np.frombuffer(data, dtype=dtype, count=count, offset=header_size)
    # astype copies: the result owns its memory, is writable, and uses the
    # machine's native byte order (NumPy is faster with that).
    return array.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def read_idx(path, expected_magic=None):
    """Read an IDX file (gzipped or raw) into a NumPy array.

    Errors are :class:`IDXError` (a ``ValueError``) naming the file.

    >>> import os, struct, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "labels-idx1-ubyte")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(struct.pack(">II", 0x00000801, 4) + bytes([5, 0, 4, 1]))
    >>> read_idx(path, expected_magic=0x00000801)
    array([5, 0, 4, 1], dtype=uint8)
    """
    path = Path(path)
    data = path.read_bytes()
    # A file named .gz must really be gzip; the content decides otherwise.
    if path.suffix == ".gz" and data[:2] != _GZIP_MAGIC:
        raise IDXError(f"{path}: not a gzip file (it should start with bytes 1f 8b; "
                       "a download may have saved an error page instead)", str(path))
    return parse_idx(data, name=str(path), expected_magic=expected_magic)


def _gunzip(data, name):
    """Decompress gzip bytes, turning the three ways that fails into IDXError."""
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        # OSError covers gzip.BadGzipFile (bad header or CRC), EOFError a stream
        # that was cut off, zlib.error scrambled compressed data.
        raise IDXError(f"{name}: not a valid gzip file ({e}); "
                       "it is damaged or was not downloaded completely", name) from e
