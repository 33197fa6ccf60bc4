"""Indexing and padding ops (``d2l_core/ops/indexing.py``) against TensorFlow's own behaviour.

The registry's generated tests check values against NumPy, gradients against
finite differences, the GPU and graph mode. This file holds what they cannot
see: TensorFlow's guide "Introduction to tensor slicing" printing what it
prints under TensorFlow 2.21, TensorFlow's error for each kind of bad input,
its edge cases, and its gradient where finite differences are ambiguous (ties).
Every expected value here was produced by TensorFlow itself.
"""
import numpy as np
import pytest

import d2l_core as tf
import fake_cupy
from d2l_core.errors import InvalidArgumentError


def printed(t):
    return str(t)


# ============================================================ the guide, cell by cell

def test_the_tensor_slicing_guide_prints_what_tensorflow_prints():
    t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
    assert printed(tf.slice(t1, begin=[1], size=[3])) == \
        "tf.Tensor([1 2 3], shape=(3,), dtype=int32)"
    assert printed(t1[1:4]) == "tf.Tensor([1 2 3], shape=(3,), dtype=int32)"
    assert printed(t1[-3:]) == "tf.Tensor([5 6 7], shape=(3,), dtype=int32)"
    t2 = tf.constant([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14],
                      [15, 16, 17, 18, 19]])
    assert printed(t2[:-1, 1:3]) == ("tf.Tensor(\n[[ 1  2]\n [ 6  7]\n [11 12]], shape=(3, 2), "
                                     "dtype=int32)")
    t3 = tf.constant([[[1, 3, 5, 7], [9, 11, 13, 15]], [[17, 19, 21, 23], [25, 27, 29, 31]]])
    assert printed(tf.slice(t3, begin=[1, 1, 0], size=[1, 1, 2])) == \
        "tf.Tensor([[[25 27]]], shape=(1, 1, 2), dtype=int32)"
    assert printed(tf.gather(t1, indices=[0, 3, 6])) == \
        "tf.Tensor([0 3 6], shape=(3,), dtype=int32)"
    assert repr(t1[::3]) == "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 3, 6], dtype=int32)>"
    t4 = tf.constant([[0, 5], [1, 6], [2, 7], [3, 8], [4, 9]])
    assert printed(tf.gather_nd(t4, indices=[[2], [3], [0]])) == \
        "tf.Tensor(\n[[2 7]\n [3 8]\n [0 5]], shape=(3, 2), dtype=int32)"
    t5 = np.reshape(np.arange(18), [2, 3, 3])
    assert printed(tf.gather_nd(t5, indices=[[0, 0, 0], [1, 2, 1]])) == \
        "tf.Tensor([ 0 16], shape=(2,), dtype=int64)"
    assert printed(tf.gather_nd(t5, indices=[[[0, 0], [0, 2]], [[1, 0], [1, 2]]])) == (
        "tf.Tensor(\n[[[ 0  1  2]\n  [ 6  7  8]]\n\n [[ 9 10 11]\n  [15 16 17]]], "
        "shape=(2, 2, 3), dtype=int64)")
    assert printed(tf.gather_nd(t5, indices=[[0, 0], [0, 2], [1, 0], [1, 2]])) == (
        "tf.Tensor(\n[[ 0  1  2]\n [ 6  7  8]\n [ 9 10 11]\n [15 16 17]], shape=(4, 3), "
        "dtype=int64)")
    t6 = tf.constant([10])
    indices = tf.constant([[1], [3], [5], [7], [9]])
    data = tf.constant([2, 4, 6, 8, 10])
    assert printed(tf.scatter_nd(indices=indices, updates=data, shape=t6)) == \
        "tf.Tensor([ 0  2  0  4  0  6  0  8  0 10], shape=(10,), dtype=int32)"
    new_indices = tf.constant([[0, 2], [2, 1], [3, 3]])
    t7 = tf.gather_nd(t2, indices=new_indices)
    t8 = tf.scatter_nd(indices=new_indices, updates=t7, shape=tf.constant([4, 5]))
    assert printed(t8) == ("tf.Tensor(\n[[ 0  0  2  0  0]\n [ 0  0  0  0  0]\n [ 0 11  0  0  0]\n"
                           " [ 0  0  0 18  0]], shape=(4, 5), dtype=int32)")
    t11 = tf.constant([[2, 7, 0], [9, 0, 1], [0, 3, 8]])
    t12 = tf.tensor_scatter_nd_add(t11, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
    assert printed(t12) == "tf.Tensor(\n[[2 7 6]\n [9 5 1]\n [4 3 8]], shape=(3, 3), dtype=int32)"
    t13 = tf.tensor_scatter_nd_sub(
        t11, indices=[[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [2, 1], [2, 2]],
        updates=[1, 7, 9, -1, 1, 3, 7])
    assert printed(t13) == "tf.Tensor(\n[[1 0 0]\n [0 1 0]\n [0 0 1]], shape=(3, 3), dtype=int32)"
    t14 = tf.constant([[-2, -7, 0], [-9, 0, 1], [0, -3, -8]])
    t15 = tf.tensor_scatter_nd_min(t14, indices=[[0, 2], [1, 1], [2, 0]], updates=[-6, -5, -4])
    assert printed(t15) == ("tf.Tensor(\n[[-2 -7 -6]\n [-9 -5  1]\n [-4 -3 -8]], shape=(3, 3), "
                            "dtype=int32)")
    t16 = tf.tensor_scatter_nd_max(t14, indices=[[0, 2], [1, 1], [2, 0]], updates=[6, 5, 4])
    assert printed(t16) == ("tf.Tensor(\n[[-2 -7  6]\n [-9  5  1]\n [ 4 -3 -8]], shape=(3, 3), "
                            "dtype=int32)")


# ============================================================ TensorFlow's errors

ERRORS = [
    (lambda: tf.gather([1, 2, 3], [0, 5]), r"indices\[1\] = 5 is not in \[0, 3\)"),
    (lambda: tf.gather([1, 2, 3], [-1]), r"indices\[0\] = -1 is not in \[0, 3\)"),
    (lambda: tf.gather([[1, 2, 3], [4, 5, 6]], [[0, 0], [2, 3]], batch_dims=1),
     r"indices\[1,1\] = 3 is not in \[0, 3\)"),
    (lambda: tf.gather(np.zeros((2, 3, 4)), [[0], [1], [2]], axis=1, batch_dims=1),
     r"params.shape\[0\] = 2 should equal indices.shape\[0\] = 3"),
    (lambda: tf.gather(np.zeros((2, 3)), [0, 1], axis=1, batch_dims=2),
     r"batch_dims must be in \[-1, 1\]"),
    (lambda: tf.gather(np.zeros((2, 3)), [[0], [1]], axis=0, batch_dims=1),
     r"axis 0 must be >= batch_dims 1"),
    (lambda: tf.gather(5, [0]), "params must be at least 1-D"),
    (lambda: tf.gather([1, 2], [0.0]), "indices must be integers"),
    (lambda: tf.gather_nd([1, 2, 3], [[0], [5]]),
     r"indices\[1\] = \[5\] does not index into param shape \[3\]"),
    (lambda: tf.gather_nd([[1, 2, 3]], [[0, 1], [0, 5]]),
     r"indices\[1\] = \[0, 5\] does not index into param shape \[1,3\]"),
    (lambda: tf.gather_nd([[1, 2, 3], [4, 5, 6]], [[0], [5]], batch_dims=1),
     r"indices\[1\] = \[1, 5\] does not index into param shape \[2,3\]"),
    (lambda: tf.gather_nd([1, 2, 3], [[-1]]), r"indices\[0\] = \[-1\] does not index"),
    (lambda: tf.gather_nd([1, 2, 3], [[0, 1]]), "has only 1 axes"),
    (lambda: tf.gather_nd([1, 2, 3], 0), "indices must be at least a vector"),
    (lambda: tf.gather_nd([[1, 2]], [[0]], batch_dims=-1), "batch_dims must be in"),
    (lambda: tf.scatter_nd([[5]], [1], [3]), r"indices\[0\] = \[5\] does not index into shape \[3\]"),
    (lambda: tf.scatter_nd([[1], [1]], [1, 2, 3], [3]), r"updates must have shape \[2\]"),
    (lambda: tf.scatter_nd([[1, 1]], [1], [3]), "1 to 1 coordinates"),
    (lambda: tf.tensor_scatter_nd_update([1, 2, 3], [[5]], [1]),
     r"indices\[0\] = \[5\] does not index into shape \[3\]"),
    (lambda: tf.tensor_scatter_nd_add([1, 2, 3], [[1]], [1, 2]), r"updates must have shape \[1\]"),
    (lambda: tf.tensor_scatter_nd_add([True], [[0]], [True]), "bool tensors do not support"),
    (lambda: tf.tensor_scatter_nd_max([1.0], [[0]], tf.constant([1])), "updates has dtype int32"),
    (lambda: tf.slice([1, 2, 3], [1], [5]), r"size\[0\] = 5 is not in \[0, 2\]"),
    (lambda: tf.slice([1, 2, 3], [-1], [1]), r"begin\[0\] = -1 is not in \[0, 3\]"),
    (lambda: tf.slice([1, 2, 3], [1, 0], [1, 1]), "one entry per axis"),
    (lambda: tf.strided_slice([1, 2], [0, 0], [1, 1], [1, 1], ellipsis_mask=3),
     "more than one ellipsis"),
    (lambda: tf.strided_slice([1, 2], [0], [1], [0]), r"strides\[0\] must be non-zero"),
    (lambda: tf.strided_slice([1, 2], [1], [0], [-1], shrink_axis_mask=1), "positive stride"),
    (lambda: tf.strided_slice([1, 2], [5], [6], [1], shrink_axis_mask=1),
     "index 5 is out of bounds for axis 0"),
    (lambda: tf.strided_slice(5, [0], [1], [1]), "indexes 1 axes, but the input of shape"),
    (lambda: tf.strided_slice([1, 2], [0], [1, 2], [1]), "1-D and of one length"),
    (lambda: tf.pad([1, 2, 3], [[3, 0]], "REFLECT"), "must be less than the axis length"),
    (lambda: tf.pad([1, 2, 3], [[4, 0]], "SYMMETRIC"), "no greater than the axis length"),
    (lambda: tf.pad([1, 2, 3], [[-1, 0]]), "paddings must be non-negative"),
    (lambda: tf.pad([1, 2, 3], [[1, 0], [0, 1]]), r"paddings must have shape \[1, 2\]"),
    (lambda: tf.pad([1, 2, 3], [1, 0]), r"paddings must have shape \[1, 2\]"),
    (lambda: tf.pad([1, 2, 3], [[1, 0]], "WRAP"), "mode must be"),
    (lambda: tf.reverse([[1, 2]], [0, -2]), "names an axis twice"),
    (lambda: tf.reverse([[1, 2]], [2]), "axis 2 is out of range"),
    (lambda: tf.reverse([[1, 2]], 1), "axis must be a list"),
    (lambda: tf.repeat([[1, 2], [3, 4]], [1, 2, 3], axis=0), "repeats has 3 counts but axis 0 has 2"),
    (lambda: tf.repeat([1, 2], [[1, 2]], axis=0), "a number or a 1-D list"),
    (lambda: tf.repeat([1, 2], 2, axis=1), "axis 1 is out of range"),
    (lambda: tf.meshgrid([1, 2], [3, 4], indexing="xx"), "indexing must be 'xy' or 'ij'"),
]


@pytest.mark.parametrize("call, message", ERRORS, ids=[m[:30] for _, m in ERRORS])
def test_bad_input_raises_tensorflows_error_with_a_clear_message(call, message):
    # On the CPU: TensorFlow's GPU kernels do not check gather indices (see below).
    with tf.device("/CPU:0"), pytest.raises(InvalidArgumentError, match=message) as info:
        call()
    assert isinstance(info.value, ValueError)


def test_dtype_errors_are_type_errors_too():
    with pytest.raises(TypeError):
        tf.pad([1, 2, 3], [[1, 0]], constant_values=1.5)     # TF: cannot convert 1.5 to int32
    with pytest.raises(TypeError):
        tf.tensor_scatter_nd_update([1, 2, 3], [[1]], [1.0])
    with pytest.raises(TypeError, match="meshgrid: all inputs must have one dtype"):
        tf.meshgrid([1, 2, 3], [4.0, 5.0])
    with pytest.raises(TypeError, match="repeats must be integers"):
        tf.repeat([1, 2], 2.0)
    with pytest.raises(TypeError, match="unexpected keyword"):
        tf.meshgrid([1], indexes="ij")


# ============================================================ TensorFlow's edge cases

def test_edge_cases_match_tensorflow():
    # gather_nd with empty rows picks the whole tensor once per row
    got = tf.gather_nd([[1, 2, 3], [4, 5, 6]], tf.zeros([2, 0], tf.int32))
    assert got.shape == (2, 2, 3) and got.numpy()[1].tolist() == [[1, 2, 3], [4, 5, 6]]
    # tf.gather's axis defaults to batch_dims
    assert tf.gather([[1, 2, 3], [4, 5, 6]], [[0], [2]], batch_dims=1).numpy().tolist() == [[1], [6]]
    g = tf.gather(np.arange(24).reshape(2, 3, 4), [[0, 0], [2, 1]], axis=-1, batch_dims=-1)
    assert g.shape == (2, 3, 2) and g.numpy()[1, 2].tolist() == [22, 21]
    # repeated rows: scatter_nd adds (a logical or for bools), update keeps the last on the CPU
    assert tf.scatter_nd([[1], [1]], [1, 2], [3]).numpy().tolist() == [0, 3, 0]
    assert tf.scatter_nd([[1], [1]], [True, True], [3]).numpy().tolist() == [False, True, False]
    assert tf.tensor_scatter_nd_update([1, 2, 3], [[1], [1]], [7, 8]).numpy().tolist() == [1, 8, 3]
    assert tf.scatter_nd([[1]], [1.0], tf.constant([3], tf.int64)).dtype == tf.float32
    # slice's size -1, pad's default value for bools, mode in any case, scalars
    assert tf.slice([1, 2, 3], [1], [-1]).numpy().tolist() == [2, 3]
    assert tf.pad(tf.constant([True]), [[1, 0]]).numpy().tolist() == [False, True]
    assert tf.pad([1, 2, 3], [[1, 0]], "reflect").numpy().tolist() == [2, 1, 2, 3]
    assert tf.pad([1, 2, 3], [[3, 2]], "SYMMETRIC").numpy().tolist() == [3, 2, 1, 1, 2, 3, 3, 2]
    assert tf.pad(3.0, tf.zeros([0, 2], tf.int32)).numpy() == 3.0
    assert tf.reverse(5, [0]).numpy() == 5 and tf.reverse([[1, 2]], []).numpy().tolist() == [[1, 2]]
    # repeat: a negative count repeats 0 times; one count for all; scalars become vectors
    assert tf.repeat([1, 2], [-1, 2], axis=0).numpy().tolist() == [2, 2]
    assert tf.repeat([1, 2], [3], axis=0).numpy().tolist() == [1, 1, 1, 2, 2, 2]
    assert tf.repeat(5, 3, axis=0).numpy().tolist() == [5, 5, 5]
    assert tf.repeat([[1, 2], [3, 4]], [1, 2, 0, 1]).numpy().tolist() == [1, 2, 2, 4]
    # meshgrid flattens its inputs; nothing in, nothing out
    assert tf.meshgrid() == []
    assert [m.shape for m in tf.meshgrid(1, [4, 5])] == [(2, 1), (2, 1)]
    assert [m.shape for m in tf.meshgrid([[1, 2], [3, 4]], [4, 5])] == [(2, 4), (2, 4)]
    assert [s.numpy().tolist() for s in tf.shape_n([[1, 2], 3], out_type=tf.int64)] == [[2], []]
    assert tf.shape_n([[1, 2]], out_type=tf.int64)[0].dtype == tf.int64


def test_strided_slice_reads_its_masks_as_tensorflow_does():
    x = tf.reshape(tf.range(24), [2, 3, 4])

    def ss(**kw):
        y = tf.strided_slice(x, **kw)
        return y.shape, y.numpy().ravel().tolist()
    # a shrunk axis ignores begin_mask, end and a stride > 1
    assert ss(begin=[1], end=[0], strides=[2], shrink_axis_mask=1, begin_mask=1) == \
        ((3, 4), list(range(12, 24)))
    assert ss(begin=[-1], end=[0], strides=[1], shrink_axis_mask=1)[0] == (3, 4)
    # a new axis beats a shrink bit; the ellipsis beats a new-axis bit
    assert ss(begin=[0], end=[1], strides=[1], shrink_axis_mask=1, new_axis_mask=1)[0] == (1, 2, 3, 4)
    assert ss(begin=[0, 0], end=[1, 1], strides=[1, 1], ellipsis_mask=1, new_axis_mask=1) == \
        ((2, 3, 1), [0, 4, 8, 12, 16, 20])
    # bits past the spec are ignored; strides default to 1; bounds clamp
    assert ss(begin=[0], end=[1], begin_mask=6, end_mask=6, shrink_axis_mask=2)[0] == (1, 3, 4)
    assert ss(begin=[-100], end=[100], strides=[1])[0] == (2, 3, 4)
    assert ss(begin=[0], end=[0], strides=[-1], begin_mask=1, end_mask=1)[1][:4] == [12, 13, 14, 15]
    assert tf.strided_slice(tf.constant(5), [0], [1], [1], new_axis_mask=1).shape == (1,)
    assert tf.strided_slice(tf.constant(5), [0], [1], [1], ellipsis_mask=1).shape == ()


# ============================================================ gradients TensorFlow defines

def _grads(f, *values):
    xs = [tf.constant(np.asarray(v, np.float64)) for v in values]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = f(*xs)
        weights = tf.cast(tf.reshape(tf.range(tf.size(y)), tf.shape(y)), y.dtype)
        loss = tf.reduce_sum(y * weights)
    return [np.round(g.numpy(), 5).tolist() for g in tape.gradient(loss, xs)]


X = [[1.0, 5, 3], [2, 2, 7]]


def test_min_max_and_update_gradients_are_tensorflows_on_ties_and_repeats():
    assert _grads(lambda x, u: tf.tensor_scatter_nd_min(x, [[0, 1], [1, 0], [1, 0]], u),
                  X, [5.0, 2, 1]) == [[[0.0, 0.5, 2.0], [0.0, 4.0, 5.0]], [0.5, 0.0, 3.0]]
    assert _grads(lambda x, u: tf.tensor_scatter_nd_max(x, [[0, 1], [1, 2], [1, 2]], u),
                  X, [5.0, 7, 7]) == [[[0.0, 0.5, 2.0], [3.0, 4.0, 1.66667]],
                                      [0.5, 1.66667, 1.66667]]
    # an overwritten update still gets dy, as in TensorFlow
    assert _grads(lambda x, u: tf.tensor_scatter_nd_update(x, [[0, 1], [0, 1]], u),
                  X, [5.0, 2]) == [[[0.0, 0.0, 2.0], [3.0, 4.0, 5.0]], [1.0, 1.0]]


def test_gradients_put_dy_back_where_each_element_came_from():
    assert _grads(lambda x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT"), X) == \
        [[[72.0, 102.0, 64.0], [44.0, 60.0, 36.0]]]
    assert _grads(lambda x: tf.repeat(x, [2, 0, 3], axis=1), X) == \
        [[[1.0, 0.0, 9.0], [11.0, 0.0, 24.0]]]
    assert _grads(lambda x: tf.gather(x, [[0, 2, 2], [1, 1, 0]], batch_dims=1), X) == \
        [[[0.0, 0.0, 3.0], [5.0, 7.0, 0.0]]]
    assert _grads(lambda x: tf.gather_nd(x, [[1], [1]], batch_dims=1), X) == \
        [[[0.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]
    assert _grads(lambda x: tf.strided_slice(x, [1, 2, 0], [0, 0, 0], [-1, -2, 1], end_mask=1,
                                             new_axis_mask=4) * 2 + 1, X) == \
        [[[0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]]
    assert _grads(lambda u: tf.scatter_nd([[1], [1], [3]], u, [4]), [1.0, 2, 3]) == \
        [[1.0, 1.0, 3.0]]


def test_a_variable_can_be_gathered_from_and_gets_its_gradient():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather_nd(v, [[1, 0], [1, 0]]))
    assert tape.gradient(y, v).numpy().tolist() == [[0.0, 0.0], [2.0, 0.0]]


# ============================================================ on a GPU: errors name the same entry

@pytest.fixture
def fake_gpu(monkeypatch):
    fake_cupy.install(monkeypatch)


def test_indices_out_of_range_on_a_gpu_give_zero_or_are_ignored_as_tensorflow(fake_gpu):
    """TF's documented GPU semantics: gather and gather_nd store 0 for an out-of-range
    index and the scatters ignore such a row, raising nothing (checking would make the
    host wait for the GPU); gradients follow. No host sync for indices on the GPU."""
    with tf.device("/gpu:0"):
        x = tf.Variable([[1.0, 2.0, 3.0]])
        i = tf.constant([[0, 3], [-1, 2]])
        with tf.GradientTape() as tape:
            y = tf.gather(x, i, axis=1)
        np.testing.assert_array_equal(y.numpy(), [[[1.0, 0.0], [0.0, 3.0]]])
        np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[1.0, 0.0, 1.0]])
        rows = tf.constant([[0, 1], [0, 5], [1, 0]])
        with fake_cupy.counting() as counts:
            z = tf.gather_nd(x, rows)
        assert counts.syncs == counts.uploads == 0, (counts.sync_log, counts.upload_log)
        np.testing.assert_array_equal(z.numpy(), [2.0, 0.0, 0.0])
        assert "GPU" in z.device
        # the scatters ignore a row out of range, gradients included
        u = tf.Variable([1.0, 2.0, 3.0])
        with tf.GradientTape() as tape:
            s = tf.scatter_nd([[7], [1], [-1]], u, [3])
            t = tf.tensor_scatter_nd_update(s, [[0], [3]], [5.0, 6.0])
        np.testing.assert_array_equal(s.numpy(), [0.0, 2.0, 0.0])
        np.testing.assert_array_equal(t.numpy(), [5.0, 2.0, 0.0])
        np.testing.assert_array_equal(tape.gradient(t, u).numpy(), [0.0, 1.0, 0.0])
        added = tf.tensor_scatter_nd_add(tf.ones((2, 2)), [[1, 0], [1, 2], [2, 0]], [1.0, 2.0, 3.0])
        np.testing.assert_array_equal(added.numpy(), [[1.0, 1.0], [2.0, 1.0]])
        assert "GPU" in tf.repeat(x, 2).device and "GPU" in tf.pad(x, [[0, 0], [2, 2]], "SYMMETRIC").device


# ============================================================ a TensorShape as a tensor

def test_a_fully_known_tensorshape_converts_to_an_int32_tensor():
    shape = tf.zeros([2, 3]).shape
    assert repr(tf.constant(shape)) == \
        "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([2, 3], dtype=int32)>"
    assert tf.convert_to_tensor(shape).dtype == tf.int32
    assert tf.convert_to_tensor(shape, dtype=tf.int64).dtype == tf.int64
    assert tf.constant(shape, dtype=tf.float32).numpy().tolist() == [2.0, 3.0]
    assert tf.convert_to_tensor(tf.TensorShape([])).shape == (0,)
    assert tf.convert_to_tensor(tf.TensorShape([2 ** 31])).dtype == tf.int64
    assert (tf.constant([1, 2]) + tf.constant([3, 4]).shape).numpy().tolist() == [3, 4]
    with pytest.raises(TypeError, match="converts to int32 or int64"):
        tf.convert_to_tensor(shape, dtype=tf.float32)
    for partial in (tf.TensorShape([None, 3]), tf.TensorShape(None)):
        with pytest.raises(ValueError, match="partially known TensorShape"):
            tf.convert_to_tensor(partial)


# ============================================================ the guide's sparse tensor

def test_the_guides_sparse_tensor_prints_and_densifies_as_in_tensorflow():
    t9 = tf.SparseTensor(indices=[[0, 2], [2, 1], [3, 3]], values=[2, 11, 18], dense_shape=[4, 5])
    assert str(t9) == (
        "SparseTensor(indices=tf.Tensor(\n[[0 2]\n [2 1]\n [3 3]], shape=(3, 2), dtype=int64), "
        "values=tf.Tensor([ 2 11 18], shape=(3,), dtype=int32), "
        "dense_shape=tf.Tensor([4 5], shape=(2,), dtype=int64))")
    assert str(tf.sparse.to_dense(t9)) == (
        "tf.Tensor(\n[[ 0  0  2  0  0]\n [ 0  0  0  0  0]\n [ 0 11  0  0  0]\n"
        " [ 0  0  0 18  0]], shape=(4, 5), dtype=int32)")
    assert t9.shape == (4, 5) and t9.dtype == tf.int32 and tf.sparse.SparseTensor is tf.SparseTensor


@pytest.mark.parametrize("indices, message", [
    ([[2, 1], [0, 2]], r"indices\[1\] = \[0,2\] is out of order"),
    ([[0, 2], [0, 2]], r"indices\[1\] = \[0,2\] is repeated"),
    ([[0, 2], [5, 2]], r"indices\[1\] = \[5,2\] is out of bounds: need 0 <= index < \[3,4\]"),
])
def test_to_dense_checks_its_indices_as_tensorflow_does(indices, message):
    with pytest.raises(InvalidArgumentError, match=message):
        tf.sparse.to_dense(tf.SparseTensor(indices, [1, 2], [3, 4]))


def test_sparse_edge_cases_match_tensorflow():
    unordered = tf.SparseTensor([[2, 1], [0, 2]], [1, 2], [3, 4])
    assert tf.sparse.to_dense(unordered, validate_indices=False).numpy()[2, 1] == 1
    st = tf.SparseTensor([[0, 2], [2, 1]], [2.5, 11.0], [3, 4])
    assert tf.sparse.to_dense(st, default_value=-1.0).numpy()[1].tolist() == [-1.0] * 4
    empty = tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [2, 2])
    assert tf.sparse.to_dense(empty).numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    with pytest.raises(ValueError, match=r"indices must have shape \[N, rank\]"):
        tf.SparseTensor([[0, 2], [1, 2]], [1, 2, 3], [3, 4])
    with pytest.raises(TypeError):
        tf.SparseTensor([[0.0]], [1], [3])
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        d = tf.sparse.to_dense(tf.SparseTensor([[0, 1], [1, 0]], x, [2, 2]))
        loss = tf.reduce_sum(d * tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    assert tape.gradient(loss, x).numpy().tolist() == [2.0, 3.0]
