"""Convolutional networks: tf.nn.conv2d & co., Keras's image layers, saving, and the TF1 bits
that TF's guides use with them. Expected numbers were read off TensorFlow 2.21 (Keras 3)."""
import os

import numpy as np
import pytest

import d2l_core as d2l
import d2l_core.compat.v1 as tf1
from d2l_core import keras
from d2l_core.datasets import mnist
from d2l_core.keras import layers


# ---------------------------------------------------------------------- ops: TF's numbers and errors

def test_same_padding_puts_the_smaller_half_first_as_tensorflow():
    x = d2l.reshape(d2l.range(16.0), (1, 4, 4, 1))
    np.testing.assert_array_equal(d2l.nn.max_pool2d(x, 3, 2, "SAME")[0, ..., 0].numpy(),
                                  [[10, 11], [14, 15]])
    np.testing.assert_array_equal(d2l.nn.avg_pool2d(x, 3, 2, "SAME")[0, ..., 0].numpy(),
                                  [[5, 6.5], [11, 12.5]])
    assert d2l.nn.conv2d(d2l.ones((1, 5, 5, 2)), d2l.ones((3, 3, 2, 4)), 2, "SAME",
                         dilations=2).shape == (1, 3, 3, 4)
    assert d2l.nn.conv2d(d2l.ones((1, 2, 2, 2)), d2l.ones((3, 3, 2, 4)), 1, "VALID").shape == \
        (1, 0, 0, 4)
    assert d2l.nn.max_pool is d2l.nn.max_pool2d and d2l.nn.avg_pool is d2l.nn.avg_pool2d


def test_max_pool_gradient_goes_to_the_first_maximum_and_adds_where_windows_overlap():
    x = d2l.Variable([[[[1.0], [1.0]], [[1.0], [0.0]]]])
    with d2l.GradientTape() as tape:
        y = d2l.nn.max_pool2d(x, 2, 1, "VALID")
    np.testing.assert_array_equal(tape.gradient(y, x)[0, ..., 0].numpy(), [[1, 0], [0, 0]])
    x = d2l.Variable(np.arange(9.0, dtype=np.float32).reshape(1, 3, 3, 1))
    with d2l.GradientTape() as tape:
        y = d2l.nn.max_pool2d(x, 2, 1, "VALID")
    np.testing.assert_array_equal(tape.gradient(y, x)[0, ..., 0].numpy(),
                                  [[0, 0, 0], [0, 1, 1], [0, 1, 1]])


@pytest.mark.parametrize("kwargs, error, match", [
    ({"padding": "same"}, d2l.errors.InvalidArgumentError, "did you mean 'SAME'"),
    ({"strides": [2, 2, 2, 2]}, d2l.errors.UnimplementedError, "batch or channel"),
    ({"filters": d2l.ones((3, 3, 2, 1))}, d2l.errors.InvalidArgumentError, "1 channels"),
    ({"input": d2l.ones((4, 4, 1))}, d2l.errors.InvalidArgumentError, "must be 4-D"),
    ({"input": d2l.ones((1, 1, 4, 1)), "padding": "VALID"}, d2l.errors.InvalidArgumentError,
     "output size would be negative"),
    ({"filters": d2l.ones((3, 3, 1, 1), dtype=d2l.float64)}, TypeError, "cast one"),
])
def test_conv2d_errors_name_the_op_the_shapes_and_a_fix(kwargs, error, match):
    args = {"input": d2l.ones((1, 4, 4, 1)), "filters": d2l.ones((3, 3, 1, 1)), "strides": 1,
            "padding": "SAME", **kwargs}
    with pytest.raises(error, match=match) as info:
        d2l.nn.conv2d(**args)
    assert "conv2d" in str(info.value)


def test_moments_and_batch_normalization():
    mean, var = d2l.nn.moments(d2l.constant([[1.0, 2.0], [3.0, 5.0]]), axes=[0])
    np.testing.assert_allclose(mean.numpy(), [2.0, 3.5])
    np.testing.assert_allclose(var.numpy(), [1.0, 2.25])
    assert d2l.nn.moments(d2l.ones((2, 3)), axes=[0], keepdims=True)[0].shape == (1, 3)
    y = d2l.nn.batch_normalization(d2l.constant([1.0, 3.0]), 2.0, 1.0, 0.5, 2.0, 0.0)
    np.testing.assert_allclose(y.numpy(), [-1.5, 2.5])


# ---------------------------------------------------------------------- layers

def _cnn():
    keras.backend.clear_session()
    return keras.Sequential([
        keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.BatchNormalization(), layers.Conv2D(16, (3, 3), padding="same", strides=2),
        layers.AveragePooling2D(2), layers.GlobalAveragePooling2D(), layers.Flatten(),
        layers.Dense(10)])


def test_image_layers_have_tensorflows_output_shapes_and_parameter_counts(capsys):
    model = _cnn()
    model.summary()
    out = capsys.readouterr().out
    rows = [(l._out_shape, l.count_params()) for l in model.layers]
    assert rows == [((None, 26, 26, 32), 320), ((None, 13, 13, 32), 0),
                    ((None, 13, 13, 32), 128), ((None, 7, 7, 16), 4624), ((None, 3, 3, 16), 0),
                    ((None, 16), 0), ((None, 16), 0), ((None, 10), 170)]
    assert "Total params: 5,242" in out and "Non-trainable params: 64" in out
    assert [l.name for l in model.layers][:4] == ["conv2d", "max_pooling2d",
                                                  "batch_normalization", "conv2d_1"]


def test_conv2d_refuses_images_without_a_channel_axis():
    with pytest.raises(ValueError, match="expected ndim=4.*Full shape received: \\(28, 28, 1\\)"):
        layers.Conv2D(4, 3)(d2l.ones((28, 28, 1)))
    with pytest.raises(ValueError, match="padding must be 'valid'"):
        layers.Conv2D(4, 3, padding="full")


def test_batch_normalization_updates_moving_statistics_only_when_training():
    bn = layers.BatchNormalization()
    x = d2l.constant(np.arange(12.0, dtype=np.float32).reshape(4, 3))
    y = bn(x, training=True)                          # TensorFlow 2.21's numbers
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.045, 0.055, 0.065], rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [1.1025] * 3, rtol=1e-6)
    np.testing.assert_allclose(y.numpy()[0], [-1.3415811] * 3, rtol=1e-5)
    np.testing.assert_allclose(bn(x).numpy()[0], [-0.04283772, 0.89959216, 1.8420221], rtol=1e-5)
    bn.trainable = False                               # frozen: inference mode, stats kept
    np.testing.assert_allclose(bn(x, training=True).numpy()[0],
                               [-0.04283772, 0.89959216, 1.8420221], rtol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.045, 0.055, 0.065], rtol=1e-6)
    assert (len(bn.trainable_weights), len(bn.non_trainable_weights)) == (0, 4)


def _mnist(n):
    (x, y), (xt, yt) = mnist.load_subset()
    return (x[:n, ..., None] / 255.0).astype("float32"), y[:n], \
        (xt[..., None] / 255.0).astype("float32"), yt


def test_a_small_cnn_learns_mnist_with_fit():
    x, y, xt, yt = _mnist(1500)
    d2l.random.set_seed(0)
    keras.backend.clear_session()
    model = keras.Sequential([layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
                              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=64, verbose=0)
    assert model.evaluate(xt, yt, verbose=0)[1] > 0.6       # chance is 0.1


# ---------------------------------------------------------------------- saving

def test_save_and_load_model_restore_architecture_weights_and_compile(tmp_path):
    x, y, _, _ = _mnist(128)
    model = _cnn()
    model.compile(keras.optimizers.Adam(0.01),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "cnn.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    assert [type(l).__name__ for l in restored.layers] == [type(l).__name__ for l in model.layers]
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert restored.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    assert type(restored.optimizer).__name__ == "Adam"
    assert restored.optimizer.learning_rate == 0.01
    import zipfile
    assert sorted(zipfile.ZipFile(path).namelist()) == ["config.json", "metadata.json",
                                                        "model.weights.npz"]


def test_functional_models_save_too(tmp_path):
    keras.backend.clear_session()
    inputs = keras.Input(shape=(8, 8, 1), name="img")
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    outputs = layers.Dense(2)(layers.GlobalAveragePooling2D()(h))
    model = keras.Model(inputs, outputs, name="func")
    model.save(tmp_path / "f.keras")
    restored = keras.models.load_model(tmp_path / "f.keras")
    x = np.random.default_rng(0).random((3, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert restored.name == "func" and not restored._compiled


def test_savedmodel_and_h5_are_refused_with_a_pointer_to_keras_files(tmp_path):
    model = keras.Sequential([layers.Dense(1, input_shape=(2,))])
    with pytest.raises(ValueError, match="SavedModel.*not supported.*\\.keras"):
        model.save(tmp_path / "folder")
    with pytest.raises(NotImplementedError, match="HDF5"):
        model.save(tmp_path / "m.h5")
    with pytest.raises(NotImplementedError, match=r"does not provide tf.saved_model.*\.keras"):
        d2l.saved_model.save(model, str(tmp_path))


def test_subclassed_models_point_to_save_weights(tmp_path):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)

        def call(self, x):
            return self.d(x)
    net = Net()
    net(d2l.ones((1, 2)))
    with pytest.raises(NotImplementedError, match="save_weights"):
        net.save(tmp_path / "n.keras")


# ---------------------------------------------------------------------- compat.v1

def test_tf1_cnn_in_graph_mode_with_tf1_spellings():
    with tf1.Graph().as_default():
        x = tf1.placeholder(tf1.float32, [None, 8, 8, 1])
        w = tf1.Variable(tf1.ones([3, 3, 1, 2]))
        h = tf1.nn.conv2d(x, filter=w, strides=[1, 1, 1, 1], padding="SAME")
        p = tf1.nn.max_pool(value=h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
        m, v = tf1.nn.moments(p, axes=[0, 1, 2], keep_dims=True)
        assert (h.op.type, p.op.type) == ("Conv2D", "MaxPool")
        assert p.shape.as_list() == [None, 4, 4, 2] and m.shape.as_list() == [1, 1, 1, 2]
        with tf1.Session() as sess:
            sess.run([tf1.global_variables_initializer(), tf1.tables_initializer()])
            got = sess.run(h, {x: np.ones((1, 8, 8, 1), np.float32)})
    np.testing.assert_array_equal(got, d2l.nn.conv2d(d2l.ones((1, 8, 8, 1)), d2l.ones((3, 3, 1, 2)),
                                                     1, "SAME").numpy())


def test_dimension_and_dimension_value():
    d = tf1.Dimension(3)
    assert d.value == 3 and d + 1 == tf1.Dimension(4) and int(d) == 3
    assert (tf1.Dimension(None) + 1).value is None and (tf1.Dimension(None) == 3) is None
    with tf1.Graph().as_default():
        x = tf1.placeholder(tf1.float32, [None, 3])
        assert tf1.dimension_value(x.shape[1]) == 3 and tf1.dimension_value(x.shape[0]) is None


def test_compat_v1_data_iterators_stop_with_out_of_range():
    ds = d2l.data.Dataset.range(3)
    with tf1.Graph().as_default():
        it = tf1.data.make_initializable_iterator(ds)
        nxt = it.get_next()
        with tf1.Session() as sess:
            with pytest.raises(tf1.errors.OutOfRangeError, match="not been initialized"):
                sess.run(nxt)
            for _ in range(2):
                sess.run(it.initializer)
                assert [int(sess.run(nxt)) for _ in range(3)] == [0, 1, 2]
                with pytest.raises(tf1.errors.OutOfRangeError, match="End of sequence"):
                    sess.run(nxt)
    assert tf1.data.Dataset is d2l.data.Dataset


def test_tensor_equality_switches():
    with tf1.Graph().as_default():
        x = tf1.constant([1, 2])
        try:
            tf1.enable_tensor_equality()
            eq = x == 1
            assert eq.op.type == "Equal"
            assert tf1.Session().run(eq).tolist() == [True, False]
            tf1.disable_tensor_equality()
            c = d2l.constant(1)
            assert (x == x) is True and (c == d2l.constant(1)) is False and c == c
        finally:
            tf1.legacy.reset_tensor_equality()
        assert (x == x) is True and bool((d2l.constant(1) == d2l.constant(1)).numpy())
