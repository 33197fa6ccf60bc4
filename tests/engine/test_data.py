"""d2l.data.Dataset: structure, batching, shuffling, cardinality, element_spec.

The reference for every behaviour is tf.data's documented semantics; where
a fast path exists (batching from_tensor_slices by slicing the arrays), it is
checked against the general element-by-element path.
"""
import collections

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_core as d2l
from d2l_core.data import (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec)
from d2l_core.errors import InvalidArgumentError, OutOfRangeError


def ints(ds):
    return [int(x) for x in ds]


def rows(ds):
    """Every element as nested Python lists (for comparisons)."""
    return [d2l.data._map(lambda t: t.numpy().tolist(), e) for e in ds]


def slow(ds):
    """The same pipeline input, forced off the fast (index) path by an identity map."""
    return ds.map(lambda *e: e if len(e) > 1 else e[0])


# ---------------------------------------------------------------- sources and structure

def test_tf_spelling_and_constants():
    assert d2l.data.Dataset is Dataset
    assert d2l.data.AUTOTUNE == d2l.data.experimental.AUTOTUNE == -1
    assert (INFINITE_CARDINALITY, UNKNOWN_CARDINALITY) == (-1, -2)


def test_from_tensor_slices_of_a_tensor_yields_rows_as_tensors():
    x = d2l.reshape(d2l.range(6), (3, 2))
    elements = list(Dataset.from_tensor_slices(x))
    assert all(type(e) is d2l.Tensor for e in elements)
    assert [e.numpy().tolist() for e in elements] == [[0, 1], [2, 3], [4, 5]]
    assert elements[0].dtype == d2l.int32


def test_numpy_arrays_keep_their_dtype_and_are_copied():
    a = np.arange(4, dtype=np.float64)
    ds = Dataset.from_tensor_slices(a)
    a[0] = 99.0
    assert ds.element_spec == TensorSpec((), d2l.float64)
    assert [float(x) for x in ds] == [0.0, 1.0, 2.0, 3.0]


def test_tuples_stay_tuples_and_dicts_stay_dicts():
    ds = Dataset.from_tensor_slices(((np.zeros((2, 3)), [1, 2]), {"b": [5.0, 6.0], "a": [7, 8]}))
    (x, y), d = next(iter(ds))
    assert x.shape == (3,) and int(y) == 1
    assert isinstance(d, dict) and list(d) == ["b", "a"] and float(d["b"]) == 5.0
    batch = next(iter(ds.batch(2)))
    assert isinstance(batch, tuple) and isinstance(batch[0], tuple) and isinstance(batch[1], dict)
    assert batch[1]["a"].numpy().tolist() == [7, 8]


def test_namedtuples_keep_their_type():
    Pair = collections.namedtuple("Pair", "x y")
    ds = Dataset.from_tensor_slices(Pair([1, 2], [3, 4]))
    first = next(iter(ds.batch(2)))
    assert isinstance(first, Pair) and first.y.numpy().tolist() == [3, 4]


def test_a_list_is_one_tensor_as_in_tensorflow():
    ds = Dataset.from_tensor_slices([[1, 2], [3, 4]])
    assert ds.element_spec == TensorSpec((2,), d2l.int32)


def test_first_dimensions_must_match_and_the_error_says_which():
    with pytest.raises(InvalidArgumentError, match=r"4 rows.*3"):
        Dataset.from_tensor_slices((np.zeros((4, 2)), np.zeros(3)))


def test_a_scalar_cannot_be_sliced():
    with pytest.raises(InvalidArgumentError, match="from_tensors"):
        Dataset.from_tensor_slices(3.0)


def test_from_tensors_is_one_element():
    ds = Dataset.from_tensors((d2l.zeros((2, 3)), 1))
    assert len(ds) == 1
    (x, y), = list(ds)
    assert x.shape == (2, 3) and int(y) == 1


def test_range_follows_python_and_is_int64():
    assert ints(Dataset.range(4)) == [0, 1, 2, 3]
    assert ints(Dataset.range(5, 1, -2)) == [5, 3]
    assert Dataset.range(3).element_spec == TensorSpec((), d2l.int64)
    assert Dataset.range(3, output_type=d2l.int32).element_spec.dtype == d2l.int32
    huge = Dataset.range(10 ** 12)          # lazy: nothing is materialised
    assert len(huge) == 10 ** 12 and ints(huge.take(3)) == [0, 1, 2]
    with pytest.raises(InvalidArgumentError):
        Dataset.range(0, 5, 0)


def test_from_generator_checks_what_it_yields():
    def gen():
        yield [1.0, 2.0]
        yield [3.0]
    ds = Dataset.from_generator(gen, output_signature=TensorSpec((None,), d2l.float32))
    assert [x.numpy().tolist() for x in ds] == [[1.0, 2.0], [3.0]]
    assert int(ds.cardinality()) == UNKNOWN_CARDINALITY
    bad = Dataset.from_generator(gen, output_signature=TensorSpec((2,), d2l.float32))
    with pytest.raises(TypeError, match="output_signature"):
        list(bad)
    with pytest.raises(TypeError, match="function"):
        Dataset.from_generator(gen(), output_signature=TensorSpec((2,), d2l.float32))


def test_iterators_and_get_next():
    it = iter(Dataset.range(2))
    assert int(it.get_next()) == 0 and int(next(it)) == 1
    with pytest.raises(OutOfRangeError):
        it.get_next()
    assert it.element_spec == TensorSpec((), d2l.int64)


def test_each_pass_starts_again():
    ds = Dataset.range(3).map(lambda x: x * 2)
    assert ints(ds) == ints(ds) == [0, 2, 4]


def test_as_numpy_iterator_keeps_structure():
    out = list(Dataset.from_tensor_slices(({"a": [1, 2]}, [0.5, 1.5])).as_numpy_iterator())
    assert isinstance(out[0], tuple) and isinstance(out[0][0], dict)
    assert isinstance(out[1][1], np.float32) and out[1][0]["a"] == 2


# ---------------------------------------------------------------- batch

@pytest.mark.parametrize("n,size,drop,expected", [
    (7, 3, False, [3, 3, 1]), (7, 3, True, [3, 3]), (6, 3, False, [3, 3]), (2, 5, False, [2]),
    (2, 5, True, []), (0, 2, False, [])])
def test_batch_sizes_and_cardinality(n, size, drop, expected):
    ds = Dataset.from_tensor_slices(np.arange(n)).batch(size, drop_remainder=drop)
    assert [len(b) for b in ds] == expected
    assert len(ds) == len(expected) == int(ds.cardinality())
    assert [len(b) for b in slow(Dataset.from_tensor_slices(np.arange(n))).batch(size, drop)] \
        == expected


def test_element_spec_has_a_none_batch_dimension_unless_remainders_are_dropped():
    ds = Dataset.from_tensor_slices((np.zeros((10, 28, 28), np.float32), np.zeros(10, np.uint8)))
    assert ds.batch(4).element_spec == (TensorSpec((None, 28, 28), d2l.float32),
                                        TensorSpec((None,), d2l.uint8))
    assert ds.batch(5).element_spec[0].shape == (None, 28, 28)      # even when 5 divides 10
    assert ds.batch(4, drop_remainder=True).element_spec[1] == TensorSpec((4,), d2l.uint8)
    assert ds.batch(2).batch(3).element_spec[0].shape == (None, None, 28, 28)


def test_batch_rejects_bad_sizes_and_ragged_elements():
    with pytest.raises(InvalidArgumentError, match="greater than zero"):
        Dataset.range(3).batch(0)
    ragged = Dataset.range(1, 4).map(lambda n: d2l.ones((n,)))
    with pytest.raises(InvalidArgumentError, match=r"different shapes.*\(1,\).*\(2,\)"):
        list(ragged.batch(2))


def test_batch_of_the_seed_program():
    x = 2 * d2l.convert_to_tensor(np.arange(10 * 4, dtype=np.uint8).reshape(10, 2, 2),
                                  dtype=d2l.float32) / 255. - 1
    y = d2l.one_hot(d2l.convert_to_tensor(np.arange(10) % 3, dtype=d2l.int32), depth=3)
    batches = list(Dataset.from_tensor_slices((x, y)).batch(4))
    assert [b[0].shape for b in batches] == [(4, 2, 2), (4, 2, 2), (2, 2, 2)]
    np.testing.assert_array_equal(np.concatenate([b[1].numpy() for b in batches]), y.numpy())
    assert all(type(b[0]) is d2l.Tensor and b[0].dtype == d2l.float32 for b in batches)


pipelines = st.lists(st.sampled_from(["shuffle", "small_shuffle", "take", "skip", "repeat",
                                      "cache", "prefetch"]), max_size=4)


def build(ds, steps, seed):
    for i, step in enumerate(steps):
        if step == "shuffle":
            ds = ds.shuffle(1000, seed=seed + i)
        elif step == "small_shuffle":
            ds = ds.shuffle(3, seed=seed + i)
        elif step == "take":
            ds = ds.take(7)
        elif step == "skip":
            ds = ds.skip(2)
        elif step == "repeat":
            ds = ds.repeat(2)
        elif step == "cache":
            ds = ds.cache()
        else:
            ds = ds.prefetch(d2l.data.AUTOTUNE)
    return ds


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 23), size=st.integers(1, 9), drop=st.booleans(), steps=pipelines,
       seed=st.integers(0, 1000))
def test_fast_batching_equals_element_by_element_batching(n, size, drop, steps, seed):
    data = (np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n) % 4)
    fast = build(Dataset.from_tensor_slices(data), steps, seed).batch(size, drop)
    general = build(slow(Dataset.from_tensor_slices(data)), steps, seed).batch(size, drop)
    assert rows(fast) == rows(general)
    assert int(fast.cardinality()) == int(general.cardinality())
    if int(fast.cardinality()) >= 0:
        assert len(list(fast)) == int(fast.cardinality())


# ---------------------------------------------------------------- shuffle

def test_shuffle_is_a_permutation():
    out = ints(Dataset.range(100).shuffle(100))
    assert sorted(out) == list(range(100)) and out != list(range(100))


def test_a_seed_makes_the_order_reproducible_and_each_pass_reshuffles():
    a = Dataset.range(50).shuffle(50, seed=7)
    b = Dataset.range(50).shuffle(50, seed=7)
    first_a, second_a = ints(a), ints(a)
    assert first_a == ints(b) and second_a == ints(b)
    assert first_a != second_a


def test_reshuffle_each_iteration_false_repeats_the_order():
    ds = Dataset.range(30).shuffle(30, seed=1, reshuffle_each_iteration=False)
    assert ints(ds) == ints(ds)


def test_the_global_seed_makes_unseeded_shuffles_reproducible():
    def run():
        d2l.random.set_seed(123)
        return ints(Dataset.range(40).shuffle(40)), ints(Dataset.range(40).shuffle(40))
    first, second = run()
    assert run() == (first, second) and first != second


def test_repeat_after_shuffle_gives_a_new_order_each_epoch():
    out = ints(Dataset.range(20).shuffle(20, seed=3).repeat(2))
    assert sorted(out[:20]) == sorted(out[20:]) == list(range(20)) and out[:20] != out[20:]


def test_shuffle_then_cache_freezes_the_first_order():
    ds = Dataset.range(20).shuffle(20, seed=3).cache()
    assert ints(ds) == ints(ds)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 60), buffer=st.integers(1, 70), seed=st.integers(0, 10 ** 6),
       general=st.booleans())
def test_a_buffer_only_mixes_neighbours(n, buffer, seed, general):
    """TF's buffer semantics: output k is drawn from the first k + buffer_size inputs."""
    ds = Dataset.range(n)
    ds = (slow(ds) if general else ds).shuffle(buffer, seed=seed)
    out = ints(ds)
    assert sorted(out) == list(range(n))
    assert all(x < k + buffer for k, x in enumerate(out))
    if buffer == 1:
        assert out == list(range(n))


@pytest.mark.parametrize("general", [False, True])
def test_a_large_buffer_draws_each_element_first_about_equally_often(general):
    counts = np.zeros(5)
    for seed in range(1000):
        ds = Dataset.range(5)
        counts[int(next(iter((slow(ds) if general else ds).shuffle(5, seed=seed))))] += 1
    assert counts.min() > 150 and counts.max() < 250     # 200 expected each


def test_shuffle_rejects_bad_buffers():
    with pytest.raises(InvalidArgumentError, match="greater than zero"):
        Dataset.range(3).shuffle(0)
    with pytest.raises(ValueError, match="AUTOTUNE"):
        Dataset.range(3).shuffle(d2l.data.AUTOTUNE)


# ---------------------------------------------------------------- map, filter, take, skip, repeat

def test_map_unpacks_tuples_and_passes_dicts():
    ds = Dataset.from_tensor_slices(([1, 2], [10, 20]))
    assert ints(ds.map(lambda x, y: x + y)) == [11, 22]
    dicts = Dataset.from_tensor_slices({"a": [1, 2]}).map(lambda d: {"b": d["a"] * 3})
    assert [int(d["b"]) for d in dicts] == [3, 6]


def test_map_output_lists_become_tuples_and_numbers_tensors():
    ds = Dataset.range(2).map(lambda x: [x, 1.5])
    first = next(iter(ds))
    assert isinstance(first, tuple) and first[1].dtype == d2l.float32


def test_map_infers_element_spec():
    ds = Dataset.from_tensor_slices(np.zeros((6, 28, 28), np.uint8)).batch(4)
    mapped = ds.map(lambda x: (d2l.reshape(d2l.cast(x, d2l.float32) / 255., (-1, 784)),
                               d2l.one_hot(d2l.zeros((d2l.shape(x)[0],), d2l.int32), 10)))
    assert mapped.element_spec == (TensorSpec((None, 784), d2l.float32),
                                   TensorSpec((None, 10), d2l.float32))


def test_map_returning_none_says_so():
    def forgot_return(x):
        x * 2
    with pytest.raises(TypeError, match="return"):
        list(Dataset.range(2).map(forgot_return))


def test_filter_keeps_true_elements_and_makes_cardinality_unknown():
    ds = Dataset.range(10).filter(lambda x: x % 3 == 0)
    assert ints(ds) == [0, 3, 6, 9]
    assert int(ds.cardinality()) == UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="unknown"):
        len(ds)
    assert int(Dataset.range(3).repeat().filter(lambda x: x > 0).cardinality()) == \
        INFINITE_CARDINALITY


def test_filter_needs_a_scalar_bool():
    with pytest.raises(TypeError, match="scalar bool"):
        list(Dataset.from_tensor_slices(np.zeros((2, 3))).filter(lambda x: x > 0))


@pytest.mark.parametrize("count,expected", [(3, [0, 1, 2]), (0, []), (-1, [0, 1, 2, 3, 4]),
                                            (9, [0, 1, 2, 3, 4])])
def test_take(count, expected):
    for ds in (Dataset.range(5), slow(Dataset.range(5))):
        assert ints(ds.take(count)) == expected and len(ds.take(count)) == len(expected)


@pytest.mark.parametrize("count,expected", [(2, [2, 3, 4]), (0, [0, 1, 2, 3, 4]), (-1, []),
                                            (9, [])])
def test_skip(count, expected):
    for ds in (Dataset.range(5), slow(Dataset.range(5))):
        assert ints(ds.skip(count)) == expected and len(ds.skip(count)) == len(expected)


def test_repeat_and_infinite_cardinality():
    assert ints(Dataset.range(2).repeat(2)) == [0, 1, 0, 1]
    forever = Dataset.range(2).repeat()
    assert int(forever.cardinality()) == INFINITE_CARDINALITY
    assert ints(forever.take(5)) == [0, 1, 0, 1, 0] and len(forever.take(5)) == 5
    assert int(forever.skip(3).cardinality()) == INFINITE_CARDINALITY
    assert int(forever.batch(4).cardinality()) == INFINITE_CARDINALITY
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    assert ints(Dataset.range(0).repeat()) == []       # an empty dataset repeated is empty
    assert ints(Dataset.range(3).repeat(0)) == []


def test_prefetch_and_cache_pass_elements_through():
    calls = []
    ds = Dataset.range(4).map(lambda x: (calls.append(1), x * 2)[1]).cache().prefetch(2)
    assert ints(ds) == ints(ds) == [0, 2, 4, 6]
    assert len(calls) == 4 and len(ds) == 4


def test_unbatch_zip_concatenate_enumerate_reduce():
    assert ints(Dataset.range(5).batch(2).unbatch()) == [0, 1, 2, 3, 4]
    assert Dataset.range(4).batch(2, drop_remainder=True).unbatch().element_spec.shape == ()
    zipped = Dataset.zip((Dataset.range(3), Dataset.range(5).map(lambda x: x * 10)))
    assert [(int(a), int(b)) for a, b in zipped] == [(0, 0), (1, 10), (2, 20)]
    assert len(zipped) == 3
    assert ints(Dataset.range(2).concatenate(Dataset.range(7, 9))) == [0, 1, 7, 8]
    with pytest.raises(TypeError, match="differ"):
        Dataset.range(2).concatenate(Dataset.from_tensor_slices([1.0]))
    ab = Dataset.from_tensor_slices({"a": [1], "b": [2.0]})
    ba = Dataset.from_tensor_slices({"b": [3.0], "a": [4]})     # same keys, another order
    assert [(int(e["a"]), float(e["b"])) for e in ab.concatenate(ba)] == [(1, 2.0), (4, 3.0)]
    pairs = [(int(i), int(x)) for i, x in Dataset.range(3, 5).enumerate(start=1)]
    assert pairs == [(1, 3), (2, 4)]
    assert int(Dataset.range(5).reduce(d2l.constant(0, d2l.int64), lambda s, x: s + x)) == 10


def test_repr_shows_the_element_spec():
    text = repr(Dataset.from_tensor_slices((np.zeros((3, 2), np.float32), [1, 2, 3])).batch(2))
    assert text.startswith("<_BatchDataset element_spec=(TensorSpec(shape=(None, 2), "
                           "dtype=tf.float32, name=None)")


def test_repr_does_not_run_a_map_function():
    calls = []
    mapped = Dataset.range(3).map(lambda x: (calls.append(1), x * 2)[1])
    assert repr(mapped) == "<_MapDataset element_spec=<not yet computed>>"
    assert repr(mapped.batch(2)) == "<_BatchDataset element_spec=<not yet computed>>"
    assert calls == []
    assert mapped.element_spec == TensorSpec((), d2l.int64)       # asked for: it runs
    assert repr(mapped.batch(2)) == ("<_BatchDataset element_spec=TensorSpec(shape=(None,), "
                                     "dtype=tf.int64, name=None)>")


def test_a_maps_spec_leaves_the_random_stream_alone():
    d2l.random.set_seed(0)
    expected = float(d2l.random.uniform(()))
    d2l.random.set_seed(0)
    ds = Dataset.range(3).map(lambda x: d2l.random.uniform(()))
    repr(ds)
    assert float(d2l.random.uniform(())) == expected
    d2l.random.set_seed(0)
    assert ds.element_spec == TensorSpec((), d2l.float32)        # runs the function once
    assert float(d2l.random.uniform(())) == expected


def test_tensorspec():
    spec = TensorSpec((None, 3), d2l.float32, name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert spec.is_compatible_with(d2l.zeros((7, 3)))
    assert not spec.is_compatible_with(d2l.zeros((7, 4)))
    assert not spec.is_compatible_with(d2l.zeros((7, 3), d2l.int32))
    assert TensorSpec.from_tensor(d2l.zeros((2,))) == TensorSpec((2,), d2l.float32)


def test_cardinality_of_combinations_follows_tensorflow():
    unknown = Dataset.range(5).filter(lambda x: x > 1)
    forever = Dataset.range(2).repeat()
    assert int(Dataset.zip((Dataset.range(3), forever)).cardinality()) == 3
    assert int(Dataset.zip((forever, forever)).cardinality()) == INFINITE_CARDINALITY
    assert int(Dataset.zip((Dataset.range(3), unknown)).cardinality()) == UNKNOWN_CARDINALITY
    assert int(Dataset.range(3).concatenate(forever).cardinality()) == INFINITE_CARDINALITY
    assert int(unknown.concatenate(forever).cardinality()) == UNKNOWN_CARDINALITY
    assert int(unknown.take(2).cardinality()) == UNKNOWN_CARDINALITY
    assert int(forever.take(4).batch(3).cardinality()) == 2
    assert int(unknown.repeat().cardinality()) == INFINITE_CARDINALITY


def test_generator_without_shapes_has_unknown_rank_specs():
    def gen():
        yield np.zeros((2, 2), np.float32)
    ds = Dataset.from_generator(gen, output_types=d2l.float32)
    assert ds.element_spec.shape.rank is None
    assert ds.batch(2).element_spec.shape.rank is None
    assert ds.map(lambda x: x + 1.0).element_spec == TensorSpec((2, 2), d2l.float32)


def test_from_generator_output_shapes_given_as_tuples():
    # A shape is itself a tuple: ((2,), ()) pairs with (float32, int32), not four leaves.
    def gen():
        for i in range(3):
            yield np.full(2, i, np.float32), i
    ds = d2l.data.Dataset.from_generator(gen, output_types=(d2l.float32, d2l.int32),
                                         output_shapes=((2,), ()))
    assert [s.shape for s in ds.element_spec] == [(2,), ()]
    x, y = next(iter(ds.batch(3)))
    assert x.shape == (3, 2) and y.numpy().tolist() == [0, 1, 2]
