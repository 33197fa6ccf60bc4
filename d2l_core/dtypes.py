"""TensorFlow's dtypes as interned objects over NumPy dtypes.

TensorFlow never promotes between dtypes implicitly: ``int32 + float32`` is an
error, and you ``cast`` on purpose. Python values get a default dtype when they
become tensors: ints become ``int32`` and floats ``float32`` (not NumPy's 64-bit
defaults, because GPUs are fastest in 32 bits).

>>> import d2l_core as d2l
>>> d2l.as_dtype('float32') is d2l.float32
True
>>> d2l.float32.is_floating, d2l.int32.is_integer
(True, True)

Text is ``string``: each element is a ``bytes`` object (str is stored UTF-8 encoded).

>>> d2l.as_dtype(np.str_), d2l.string.is_numeric
(tf.string, False)
"""
import builtins

import numpy as np

_pybool = builtins.bool   # this module rebinds `bool` to TensorFlow's dtype


class DType:
    """A tensor element type (``tf.DType``). Compare with ``==`` or ``is``.

    >>> d2l.float32.name, d2l.float32.is_floating, d2l.float32.size, d2l.float32 == 'float32'
    ('float32', True, 4, True)
    >>> print(d2l.int32)
    <dtype: 'int32'>
    """

    __slots__ = ("name", "np", "is_floating", "is_integer", "is_bool", "is_complex",
                 "is_unsigned", "is_numeric", "size")

    def __init__(self, name, np_dtype):
        self.name = name
        self.np = np.dtype(np_dtype)
        kind = self.np.kind
        self.is_floating = kind == "f"
        self.is_integer = kind in "iu"
        self.is_unsigned = kind == "u"
        self.is_bool = kind == "b"
        self.is_complex = kind == "c"
        self.is_numeric = kind in "fiuc"      # arithmetic is defined (not bool, not string)
        self.size = 0 if kind == "O" else self.np.itemsize    # a string has no fixed size

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (``np.float32`` for ``float32``; ``object`` for ``string``)."""
        return object if self.np.kind == "O" else self.np.type

    @property
    def base_dtype(self):
        return self

    @property
    def is_differentiable(self):
        """Gradients flow only through floating and complex tensors."""
        return self.is_floating or self.is_complex

    @property
    def min(self):
        if self.np.kind == "O":
            raise TypeError(f"Cannot find minimum value of {self} with type {self}.")
        return np.finfo(self.np).min if self.is_floating else np.iinfo(self.np).min if self.is_integer else False

    @property
    def max(self):
        if self.np.kind == "O":
            raise TypeError(f"Cannot find maximum value of {self} with type {self}.")
        return np.finfo(self.np).max if self.is_floating else np.iinfo(self.np).max if self.is_integer else True

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"      # TensorFlow's print(x.dtype)

    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return (as_dtype, (self.name,))


float16 = half = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = double = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001  (TensorFlow's name)
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)
string = DType("string", object)   # bytes elements in a NumPy object array, as TF's .numpy() gives

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16,
       uint32, uint64, bool, complex64, complex128, string)

_by_np = {d.np: d for d in ALL}
by_numpy = _by_np
"""Public-internal: NumPy dtype -> DType for every dtype d2l_core has (a plain dict, so the
hot path that wraps every op's result pays one lookup; ``from_numpy`` is the checked form)."""
_by_name = {d.name: d for d in ALL}
_by_name.update(half=float16, double=float64, float=float32, int=int32)


def from_numpy(np_dtype):
    """The DType of a NumPy dtype; a TypeError for ones TensorFlow lacks.

    >>> from d2l_core import dtypes
    >>> dtypes.from_numpy(np.dtype('float32')), dtypes.by_numpy[np.dtype('int64')]
    (tf.float32, tf.int64)
    """
    d = _by_np.get(np_dtype)
    if d is None:
        raise TypeError(
            f"dtype: NumPy dtype {np.dtype(np_dtype)} has no d2l_core equivalent; "
            f"supported: {', '.join(x.name for x in ALL)}"
        )
    return d


def as_dtype(value):
    """Turn a DType, name, NumPy dtype or Python type into a DType.

    >>> as_dtype('int32'), as_dtype(np.float64), as_dtype(float)
    (tf.int32, tf.float64, tf.float32)
    """
    if isinstance(value, DType):
        return value
    if isinstance(value, str):
        d = _by_name.get(value.lower().removeprefix("tf."))
        if d is None:
            raise TypeError(
                f"as_dtype: unknown dtype name {value!r}; "
                f"use one of {', '.join(x.name for x in ALL)}"
            )
        return d
    if value is float:
        return float32
    if value is int:
        return int32
    if value is _pybool:
        return bool
    if value is complex:
        return complex128
    if value is str or value is bytes:
        raise TypeError(f"as_dtype: cannot interpret {value!r} as a dtype (neither can "
                        "TensorFlow); text is dtype d2l.string")
    try:
        np_dtype = np.dtype(value)
    except TypeError:
        raise TypeError(
            f"as_dtype: cannot interpret {value!r} as a dtype; "
            "pass a d2l_core dtype such as d2l.float32, or a name like 'float32'"
        ) from None
    if np_dtype.kind in "US":
        return string        # np.str_ and np.bytes_, as in TensorFlow
    return from_numpy(np_dtype)



def infer(value):
    """The dtype TensorFlow gives a Python or NumPy value: ints int32, floats float32.

    Python ints that do not fit int32 become int64, as in TensorFlow.
    """
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        return from_numpy(value.dtype)
    if isinstance(value, _pybool):
        return bool
    if isinstance(value, int):
        return int32 if -2**31 <= value < 2**31 else int64
    if isinstance(value, float):
        return float32
    if isinstance(value, complex):
        return complex128
    if isinstance(value, (str, bytes)):
        return string
    return None
