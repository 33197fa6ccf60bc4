"""d2l.nest: flatten, pack_sequence_as and map_structure over lists, tuples, namedtuples, dicts."""
import collections

import pytest
from hypothesis import given
from hypothesis import strategies as st

import d2l_core as d2l
from d2l_core import nest

Point = collections.namedtuple("Point", ["x", "y"])

structures = st.recursive(
    st.integers() | st.none() | st.text(max_size=3),
    lambda inner: (st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
                   | st.dictionaries(st.text(max_size=2), inner, max_size=3)
                   | st.tuples(inner, inner).map(lambda t: Point(*t))),
    max_leaves=10)


@given(structures)
def test_pack_undoes_flatten(s):
    assert nest.pack_sequence_as(s, nest.flatten(s)) == s
    assert nest.map_structure(lambda x: x, s) == s


@given(structures)
def test_map_structure_visits_leaves_in_flatten_order(s):
    seen = []
    nest.map_structure(seen.append, s)
    assert seen == nest.flatten(s)


def test_leaves_come_depth_first_with_dict_values_by_sorted_key():
    s = [1, (2, {"b": 4, "a": [3]}), Point(5, 6)]
    assert nest.flatten(s) == [1, 2, 3, 4, 5, 6]
    assert nest.flatten(7) == [7]
    assert nest.flatten(None) == [None]
    assert nest.flatten([]) == [] and nest.flatten({}) == []


def test_sort_keys_false_keeps_insertion_order_and_rebuilt_dicts_keep_their_order():
    s = {"b": 1, "a": 2}
    assert nest.flatten(s, sort_keys=False) == [1, 2]
    packed = nest.pack_sequence_as(s, ["B", "A"], sort_keys=False)
    assert list(packed.items()) == [("b", "B"), ("a", "A")]
    packed = nest.pack_sequence_as(s, ["A", "B"])         # sorted: "a" first
    assert list(packed.items()) == [("b", "B"), ("a", "A")]


def test_kinds_are_kept():
    s = (Point(1, 2), collections.OrderedDict(z=3, y=4), [5])
    out = nest.map_structure(lambda v: v * 10, s)
    assert type(out) is tuple and type(out[0]) is Point and type(out[2]) is list
    assert type(out[1]) is collections.OrderedDict and list(out[1]) == ["z", "y"]
    assert out == (Point(10, 20), collections.OrderedDict(z=30, y=40), [50])


def test_lists_are_leaves_is_tf_data_rule():
    s = ([1, 2], {"k": [3]})
    assert nest.flatten(s, lists_are_leaves=True) == [[1, 2], [3]]
    assert nest.map_structure(len, s, lists_are_leaves=True) == (2, {"k": 1})
    assert not nest.is_nested([1], lists_are_leaves=True) and nest.is_nested((1,))


def test_map_structure_over_several_structures():
    assert nest.map_structure(lambda a, b: a + b, {"x": (1, 2)}, {"x": (10, 20)}) == \
        {"x": (11, 22)}
    with pytest.raises(ValueError, match="same nested structure"):
        nest.map_structure(lambda a, b: a, (1, 2), (1, 2, 3))
    with pytest.raises(TypeError, match="same nested structure"):
        nest.map_structure(lambda a, b: a, (1, 2), [1, 2])
    with pytest.raises(TypeError, match="at least one structure"):
        nest.map_structure(abs)


def test_assert_same_structure():
    nest.assert_same_structure({"a": [1]}, {"a": ["x"]})
    nest.assert_same_structure((1, 2), [1, 2], check_types=False)
    with pytest.raises(ValueError):
        nest.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError):
        nest.assert_same_structure([1, [2]], [1, 2])


def test_pack_checks_the_number_of_leaves():
    with pytest.raises(ValueError, match="3 leaves but 2 values"):
        nest.pack_sequence_as([1, (2, 3)], ["a", "b"])
    with pytest.raises(ValueError, match="1 leaves but 2 values"):
        nest.pack_sequence_as(1, ["a", "b"])


def test_unsortable_keys_are_explained():
    with pytest.raises(TypeError, match="cannot be compared"):
        nest.flatten({1: "a", "b": 2})
    assert nest.flatten({1: "a", "b": 2}, sort_keys=False) == ["a", 2]


def test_tensors_are_leaves_and_the_tape_uses_nest():
    a, b = d2l.Variable(1.0), d2l.Variable(2.0)
    assert nest.flatten([a, {"b": b}]) == [a, b]
    with d2l.GradientTape() as tape:
        y = a * b
    grads = tape.gradient(y, Point(x=a, y=b))       # a namedtuple of sources
    assert type(grads) is Point and (float(grads.x), float(grads.y)) == (2.0, 1.0)


def test_exported_as_d2l_nest():
    assert d2l.nest is nest
    assert set(nest.__all__) == {"is_nested", "flatten", "pack_sequence_as", "map_structure",
                                 "assert_same_structure"}
