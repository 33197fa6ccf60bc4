"""``TensorShape``: a tuple of dimensions, some possibly unknown (``None``).

Eager tensors always know every dimension; graph-mode placeholders may not.

>>> s = TensorShape([3, 4])
>>> s, len(s), s[0], s.as_list(), s == (3, 4)
(TensorShape([3, 4]), 2, 3, [3, 4], True)
>>> TensorShape([None, 2]).is_compatible_with([5, 2])
True
"""


class TensorShape:
    """The shape of a tensor: ``len``, indexing, ``as_list()``, equality with tuples.

    >>> s = d2l.zeros((2, 3)).shape
    >>> s, s[1], s.as_list(), s == (2, 3), s.num_elements()
    (TensorShape([2, 3]), 3, [2, 3], True, 6)
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif dims is None:
            self._dims = None          # unknown rank
        else:
            self._dims = tuple(None if d is None else int(d) for d in dims)

    # ---- sequence behaviour
    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        return iter(self._dims or ())

    def __getitem__(self, key):
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def as_list(self):
        """The dimensions as a list (``None`` where unknown)."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    # ---- properties
    @property
    def rank(self):
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def num_elements(self):
        """Number of elements, or None when a dimension is unknown."""
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_fully_defined(self):
        return self._dims is not None and None not in self._dims

    def is_compatible_with(self, other):
        """True when the two shapes could describe the same tensor."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        return len(self._dims) == len(other._dims) and all(
            a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other):
        """The most specific shape compatible with both; ValueError if they clash."""
        other = TensorShape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other):
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    # ---- comparison and display
    def __eq__(self, other):
        try:
            other = TensorShape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __repr__(self):
        return "TensorShape(None)" if self._dims is None else f"TensorShape({list(self._dims)})"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join("None" if d is None else str(d) for d in self._dims) + ")"
