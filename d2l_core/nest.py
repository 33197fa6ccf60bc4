"""``d2l.nest``: nested structures of tensors (TensorFlow's ``tf.nest``).

Many APIs take or give a *structure* rather than one tensor: a list of
variables for ``tape.gradient``, an ``(image, label)`` tuple in a dataset, a
dict of fetches for ``sess.run``. A structure is a list, tuple, namedtuple or
dict whose items are structures again or *leaves*; everything else (a
Tensor, a number, an array, None, a string) is a leaf.

* ``flatten(s)``: the leaves, in order (a dict's values by sorted key);
* ``pack_sequence_as(s, leaves)``: a structure shaped like ``s`` holding
  ``leaves`` (the inverse of ``flatten``);
* ``map_structure(fn, *structures)``: ``fn`` applied leaf by leaf.

>>> import d2l_core as d2l
>>> s = {"w": [1, 2], "b": (3,)}
>>> d2l.nest.flatten(s)
[3, 1, 2]
>>> d2l.nest.pack_sequence_as(s, ["b", "w0", "w1"])
{'w': ['w0', 'w1'], 'b': ('b',)}
>>> d2l.nest.map_structure(lambda x: x * 10, s)
{'w': [10, 20], 'b': (30,)}

Every function takes two keyword options for the engine's own callers:

* ``lists_are_leaves=True`` is ``tf.data``'s rule: a list is one tensor's
  worth of values (``from_tensor_slices([1, 2, 3])`` is one tensor), and
  only tuples and dicts are structures.
* ``sort_keys=False`` keeps a dict's insertion order instead of sorting its
  keys (a session runs ``sess.run({...})`` fetches in the order given).
  Either way a rebuilt dict has its keys in the original dict's order.
"""

__all__ = ["is_nested", "flatten", "pack_sequence_as", "map_structure", "assert_same_structure"]


def _is_namedtuple(s):
    return isinstance(s, tuple) and hasattr(s, "_fields")


def _kinds(lists_are_leaves):
    """The types that are structures (namedtuples are tuples, OrderedDicts dicts)."""
    return (tuple, dict) if lists_are_leaves else (list, tuple, dict)


def is_nested(s, *, lists_are_leaves=False):
    """True for a structure (list, tuple, namedtuple, dict), False for a leaf.

    >>> d2l.nest.is_nested([1, 2]), d2l.nest.is_nested(d2l.constant([1, 2]))
    (True, False)
    >>> d2l.nest.is_nested([1, 2], lists_are_leaves=True)
    False
    """
    return isinstance(s, _kinds(lists_are_leaves))


def _keys(d, sort_keys):
    """A dict's keys in flattening order: sorted (TensorFlow's rule) or as inserted."""
    if not sort_keys:
        return list(d)
    try:
        return sorted(d)
    except TypeError:
        raise TypeError(f"nest: a dict's values are taken in sorted key order, but the keys "
                        f"{list(d)!r:.80} cannot be compared with each other; use keys of one "
                        "kind (all strings, say)") from None


def _like(s, items):
    """A structure of the same kind as ``s`` holding ``items`` (for a dict: {key: item})."""
    if isinstance(s, dict):
        pairs = [(k, items[k]) for k in s]      # the original key order, however visited
        return dict(pairs) if type(s) is dict else type(s)(pairs)
    if _is_namedtuple(s):
        return type(s)._make(items)     # as stored: a subclass's __new__ may convert its fields
    return tuple(items) if isinstance(s, tuple) else list(items)


def flatten(structure, *, lists_are_leaves=False, sort_keys=True):
    """The leaves of ``structure``, depth first, as a list (a leaf alone gives ``[leaf]``).

    >>> d2l.nest.flatten([1, (2, {"b": 4, "a": 3})])
    [1, 2, 3, 4]
    >>> d2l.nest.flatten(None)
    [None]
    """
    kinds = _kinds(lists_are_leaves)
    if not isinstance(structure, kinds):
        return [structure]
    flat = []
    _flatten_into(structure, kinds, sort_keys, flat)
    return flat


def _flatten_into(s, kinds, sort_keys, flat):
    items = [s[k] for k in _keys(s, sort_keys)] if isinstance(s, dict) else s
    for item in items:
        if isinstance(item, kinds):
            _flatten_into(item, kinds, sort_keys, flat)
        else:
            flat.append(item)


def _map_leaves(fn, s, kinds, sort_keys):
    """``s`` with every leaf ``x`` replaced by ``fn(x)``, visiting leaves in ``flatten`` order."""
    if not isinstance(s, kinds):
        return fn(s)
    if isinstance(s, dict):
        return _like(s, {k: _map_leaves(fn, s[k], kinds, sort_keys) for k in _keys(s, sort_keys)})
    return _like(s, [_map_leaves(fn, x, kinds, sort_keys) for x in s])


def pack_sequence_as(structure, flat_sequence, *, lists_are_leaves=False, sort_keys=True):
    """A structure shaped like ``structure`` whose leaves are ``flat_sequence``, in order.

    >>> point = {"x": 0, "y": 0}
    >>> d2l.nest.pack_sequence_as(point, [3, 4])
    {'x': 3, 'y': 4}
    >>> d2l.nest.pack_sequence_as((1, [2, 3]), "abc")
    ('a', ['b', 'c'])
    """
    kinds = _kinds(lists_are_leaves)
    flat = list(flat_sequence)
    n = len(flatten(structure, lists_are_leaves=lists_are_leaves, sort_keys=sort_keys))
    if n != len(flat):
        raise ValueError(f"pack_sequence_as: the structure has {n} leaves but "
                         f"{len(flat)} values were given")
    if type(structure) in (list, tuple) and not any(isinstance(x, kinds) for x in structure):
        return type(structure)(flat)        # a flat list (of variables, say): no walk needed
    it = iter(flat)
    return _map_leaves(lambda _: next(it), structure, kinds, sort_keys)


def map_structure(fn, *structures, check_types=True, lists_are_leaves=False, sort_keys=True):
    """``fn`` applied to the leaves of ``structures`` (one leaf from each), in their structure.

    With several structures they must have the same nesting
    (``assert_same_structure``, with ``check_types``); ``fn`` gets one
    argument per structure. The result has the first structure's kinds.

    >>> d2l.nest.map_structure(lambda a, b: a + b, (1, [2]), (10, [20]))
    (11, [22])
    """
    if not structures:
        raise TypeError("map_structure: give at least one structure after the function")
    first = structures[0]
    if len(structures) == 1:
        return _map_leaves(fn, first, _kinds(lists_are_leaves), sort_keys)
    for other in structures[1:]:
        assert_same_structure(first, other, check_types, lists_are_leaves=lists_are_leaves)
    flats = [flatten(s, lists_are_leaves=lists_are_leaves, sort_keys=sort_keys)
             for s in structures]
    return pack_sequence_as(first, [fn(*leaves) for leaves in zip(*flats)],
                            lists_are_leaves=lists_are_leaves, sort_keys=sort_keys)


def assert_same_structure(nest1, nest2, check_types=True, *, lists_are_leaves=False):
    """Raise ValueError unless both have the same nesting (TypeError where kinds differ).

    ``check_types=False`` lets a list stand where the other has a tuple.

    >>> d2l.nest.assert_same_structure((1, [2]), ("a", ["b"]))
    >>> d2l.nest.assert_same_structure((1, [2]), (1, 2))
    Traceback (most recent call last):
    ...
    ValueError: The two structures don't have the same nested structure: (1, [2]) and (1, 2)
    """
    def fail(error=ValueError):
        raise error(f"The two structures don't have the same nested structure: {nest1!r:.100} "
                    f"and {nest2!r:.100}")

    kinds = _kinds(lists_are_leaves)
    pending = [(nest1, nest2)]
    while pending:
        a, b = pending.pop()
        nested = isinstance(a, kinds)
        if nested != isinstance(b, kinds):
            fail()
        if not nested:
            continue
        if check_types and type(a) is not type(b):
            fail(TypeError)
        if isinstance(a, dict) != isinstance(b, dict):
            fail()
        if isinstance(a, dict):
            if set(a) != set(b):
                fail()
            pending.extend((a[k], b[k]) for k in a)
        else:
            if len(a) != len(b):
                fail()
            pending.extend(zip(a, b))
