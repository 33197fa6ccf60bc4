"""tf.random.Generator and the stateless ops: TensorFlow's numbers, states and errors.

Expected values were printed by TensorFlow 2.21 (CPU). Integers and uniform
floats are bit-identical; normals are compared to float32 rounding (TF's
float32 sin/cos/log may round the last bit differently). The registry's
generated tests cover the stateless ops on the GPU stand-in and in graph mode.
"""
import numpy as np
import pytest

import d2l_core as d2l
import d2l_core.compat.v1 as tf1
import fake_cupy
from d2l_core import backend
from d2l_core.ops import philox


def close(t, want, dtype):
    assert t.dtype == dtype
    np.testing.assert_allclose(t.numpy(), np.asarray(want), rtol=1e-6, atol=1e-7)


# ============================================================ TensorFlow's numbers

def test_a_seeded_generator_gives_tensorflows_numbers_and_moves_its_counter_as_tf():
    g = d2l.random.Generator.from_seed(1234)
    assert g.state.name == "StateVar:0" and not g.state.trainable
    close(g.normal([2, 3]), [[0.9356609, 1.0854305, -0.93788373],
                             [-0.5061547, 1.3169702, 0.7137579]], d2l.float32)
    assert g.uniform([4], minval=0, maxval=10, dtype=d2l.int64).numpy().tolist() == [8, 7, 0, 4]
    assert g.make_seeds(2).numpy().tolist() == [[4288978007584066042, 7759893060715269298],
                                                [0, 0]]
    assert g.state.numpy().tolist() == [4306, 0, 0]          # 256 per number drawn
    close(g.split(2)[1].uniform([3]), [0.9412646, 0.69887125, 0.76652193], d2l.float32)
    close(g.truncated_normal([3], dtype=d2l.float64),
          [-1.591311900614339, -0.5203472056197413, 0.31732794986659196], d2l.float64)
    assert g.uniform_full_int([2]).numpy().tolist() == [12298570646012143564, 9443645555947291834]
    assert g.state.numpy().tolist() == [6098, 0, 0]


def test_the_guides_split_example_matches_tensorflow():
    g = d2l.random.Generator.from_seed(1)
    first = g.normal([])
    new = [n.normal([]).numpy() for n in g.split(3)]
    close(first, 0.43842274, d2l.float32)
    np.testing.assert_allclose(new, [2.536413, 0.33186463, -0.07144657], rtol=1e-6)
    close(g.normal([]), -0.79253083, d2l.float32)


def test_skip_returns_the_old_state_and_an_empty_draw_does_not_move_it():
    g = d2l.random.Generator.from_seed(3)
    g.normal([0])
    assert g.state.numpy().tolist() == [3, 0, 0]
    g.normal([])
    assert g.skip(3).numpy().tolist() == [259, 0, 0]
    assert g.state.numpy().tolist() == [1027, 0, 0]


def test_states_from_seeds_as_tensorflow_makes_them():
    assert d2l.random.create_rng_state(2 ** 70 + 5, "philox").numpy().tolist() == [5, 64, 0]
    assert d2l.random.create_rng_state(-1, "philox").numpy().tolist() == [-1, -1, -1]
    assert d2l.random.create_rng_state([12, 34], "threefry").numpy().tolist() == [12, 34]
    assert d2l.random.Generator.from_seed([1, 2]).state.numpy().tolist() == [0, 1, 2]
    assert d2l.random.Generator.from_seed(np.int64(5)).state.numpy().tolist() == [0, 0, 5]
    assert d2l.random.Generator.from_key_counter(5, [1, 2], "philox").state.numpy().tolist() \
        == [1, 2, 5]
    assert d2l.random.Generator.from_seed(7, alg=d2l.random.Algorithm.PHILOX).algorithm == 1


def test_stateless_ops_are_pure_functions_of_shape_and_seed():
    for seed in ([1, 2], d2l.constant([1, 2], d2l.int64)):
        close(d2l.random.stateless_uniform([3], seed=seed), [0.8440604, 0.19204533, 0.9962232],
              d2l.float32)
    a = d2l.random.stateless_normal([5], seed=[3, 4])
    d2l.random.normal([7])                           # other randomness does not matter
    assert np.array_equal(a.numpy(), d2l.random.stateless_normal([5], seed=[3, 4]).numpy())
    assert not np.array_equal(a.numpy(), d2l.random.stateless_normal([5], seed=[3, 5]).numpy())
    close(d2l.random.stateless_uniform([3], seed=[0, 2 ** 40], dtype=d2l.float64),
          [0.06597081846625308, 0.3615461770450328, 0.6413749659725321], d2l.float64)
    assert d2l.random.split(d2l.constant([1, 2], d2l.int64)).numpy().tolist() == [
        [7464880146280614444, 1591045637757961278], [-1057468755545501549, 2524363516007002203]]


def test_normals_are_standard_normal():
    z = philox.normal(*reversed(philox.key_counter_from_seed(1, 2)), 1000, np.float32)
    assert z.dtype == np.float32 and abs(z.mean()) < 0.1 and abs(z.std() - 1) < 0.1


# ============================================================ devices and graph mode

@pytest.fixture
def fake_gpu(monkeypatch):
    if backend.gpu_count() > 0:
        return
    fake_cupy.install(monkeypatch)


def test_a_generator_gives_the_same_numbers_on_a_gpu(fake_gpu):
    want = d2l.random.Generator.from_seed(9).normal([2, 2]).numpy()
    with d2l.device("/gpu:0"):
        g = d2l.random.Generator.from_seed(9)
        got = g.normal([2, 2])
        seeds = g.make_seeds(1)
        assert "GPU" in got.device and "GPU" in g.state.device and "GPU" in seeds.device
    np.testing.assert_array_equal(got.numpy(), want)


def test_graph_mode_feeds_seeds_to_stateless_ops_and_refuses_a_generator():
    with tf1.Graph().as_default():
        seed = tf1.placeholder(tf1.int64, [2])
        x = tf1.random.stateless_uniform([3], seed=seed)
        assert x.shape == (3,)
        with tf1.Session() as sess:
            got = sess.run(x, {seed: [1, 2]})
        with pytest.raises(d2l.errors.UnimplementedError, match="stateless"):
            tf1.random.Generator.from_seed(1)
    np.testing.assert_array_equal(got, d2l.random.stateless_uniform([3], [1, 2]).numpy())


def test_the_global_generator_is_made_once_and_can_be_replaced():
    g = d2l.random.get_global_generator()
    assert d2l.random.get_global_generator() is g
    d2l.random.set_global_generator(d2l.random.Generator.from_seed(1))
    close(d2l.random.get_global_generator().normal([]), 0.43842274, d2l.float32)
    d2l.random.set_global_generator(g)
    with pytest.raises(TypeError, match="Generator.from_seed"):
        d2l.random.set_global_generator(3)


# ============================================================ errors, as TensorFlow raises them

@pytest.mark.parametrize("seed, match", [
    ([1, 2, 3], r"seed must have shape \[2\], not \[3\]"),
    (1, r"seed must have shape \[2\], not \[\]"),
    ([[1, 2]], r"shape \[2\], not \[1, 2\]"),
    ([1.0, 2.0], "seed must be int32 or int64, got dtype float32"),
])
def test_bad_seeds_are_invalid_argument_errors(seed, match):
    with pytest.raises(d2l.errors.InvalidArgumentError, match=match):
        d2l.random.stateless_normal([2], seed=seed)


def test_uniform_bounds_and_dtypes_follow_tensorflows_rules():
    u = d2l.random.stateless_uniform
    with pytest.raises(ValueError, match="both None"):
        u([2], [1, 2], dtype=d2l.int32)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="minval < maxval, got 5 >= 5"):
        u([2], [1, 2], minval=5, maxval=5, dtype=d2l.int32)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="scalars"):
        u([2], [1, 2], minval=[1, 2], maxval=5, dtype=d2l.int32)
    with pytest.raises(ValueError, match="unsigned"):
        u([2], [1, 2], minval=0, maxval=3, dtype=d2l.uint32)
    with pytest.raises(ValueError, match="bool is not supported"):
        u([2], [1, 2], dtype=d2l.bool)
    with pytest.raises(ValueError, match="unsupported value foo"):
        u([2], [1, 2], alg="foo")
    with pytest.raises(d2l.errors.InvalidArgumentError, match="negative"):
        u([-1], [1, 2])
    close(u([3], [1, 2], minval=[1.0, 2.0, 3.0], maxval=5.0), [4.3762417, 2.576136, 4.9924464],
          d2l.float32)
    with pytest.raises(ValueError, match="float"):
        d2l.random.Generator.from_seed(1).normal([2], dtype=d2l.int32)


def test_generator_errors():
    with pytest.raises(ValueError, match=r"shape \[3\]"):
        d2l.random.Generator.from_state([1, 2], "philox")
    with pytest.raises(d2l.errors.UnimplementedError, match="Philox"):
        d2l.random.Generator.from_seed(1, alg="threefry").normal([2])
    with pytest.raises(d2l.errors.InvalidArgumentError, match="matrix"):
        d2l.random.stateless_categorical([0.0, 1.0], 2, seed=[1, 2])
