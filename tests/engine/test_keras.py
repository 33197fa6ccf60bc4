"""d2l.keras: layers, models, losses, metrics, initializers, activations, callbacks, fit.

Values are checked against NumPy formulas (Keras's documented definitions),
gradients against finite differences, and errors for the messages a learner
needs: what was passed and how to fix it.
"""
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_core as d2l
from d2l_core import keras
from d2l_core.errors import InvalidArgumentError
from d2l_core.keras import layers, losses, metrics, models


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def close(a, b, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64),
                               rtol=tol, atol=tol)


def mlp(*units, **kwargs):
    return keras.Sequential([layers.Dense(u, activation="relu") for u in units[:-1]] +
                            [layers.Dense(units[-1])], **kwargs)


# ==================================================================== layers

def test_dense_builds_lazily_from_the_last_dimension():
    dense = layers.Dense(3)
    assert not dense.built and dense.weights == []
    x = d2l.constant(np.arange(8, dtype=np.float32).reshape(2, 4))
    y = dense(x)
    assert dense.built and dense.kernel.shape == (4, 3) and dense.bias.shape == (3,)
    close(y, x.numpy() @ dense.kernel.numpy() + dense.bias.numpy())
    assert [v.name for v in dense.weights] == ["dense/kernel:0", "dense/bias:0"]
    assert np.all(dense.bias.numpy() == 0)


def test_dense_activation_bias_and_initializers():
    dense = layers.Dense(2, activation="relu", use_bias=False, kernel_initializer="ones")
    y = dense(d2l.constant([[1.0, -3.0], [2.0, 1.0]]))
    close(y, [[0.0, 0.0], [3.0, 3.0]])
    assert len(dense.weights) == 1
    d = layers.Dense(2, kernel_initializer=keras.initializers.Constant(0.5),
                     bias_initializer=keras.initializers.Ones(), activation=keras.activations.tanh)
    close(d(d2l.ones((1, 2))), np.tanh([[2.0, 2.0]]))


def test_dense_applies_to_the_last_axis_of_higher_rank_inputs():
    dense = layers.Dense(5)
    x = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    close(dense(x), x @ dense.kernel.numpy() + dense.bias.numpy())


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 5), fan_in=st.integers(1, 6), units=st.integers(1, 6),
       seed=st.integers(0, 1000))
def test_dense_matches_numpy_and_its_gradients_match_finite_differences(batch, fan_in, units, seed):
    rng = np.random.default_rng(seed)
    x = d2l.constant(rng.standard_normal((batch, fan_in)), dtype=d2l.float64)
    dense = layers.Dense(units, activation="tanh", dtype="float64")
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_sum(d2l.square(dense(x)))
    g_kernel, g_bias = tape.gradient(loss, dense.trainable_variables)
    w, b = dense.kernel.numpy(), dense.bias.numpy()

    def f(w, b):
        return np.sum(np.tanh(x.numpy() @ w + b) ** 2)
    eps = 1e-6
    num_w = np.zeros_like(w)
    for idx in np.ndindex(w.shape):
        step = np.zeros_like(w)
        step[idx] = eps
        num_w[idx] = (f(w + step, b) - f(w - step, b)) / (2 * eps)
    num_b = np.array([(f(w, b + eps * e) - f(w, b - eps * e)) / (2 * eps) for e in np.eye(units)])
    close(g_kernel, num_w, 1e-5)
    close(g_bias, num_b, 1e-5)


def test_dense_given_an_int_tensor_says_to_cast_and_scale():
    with pytest.raises(TypeError, match=r"dtype uint8.*d2l\.cast\(x, d2l\.float32\)"):
        layers.Dense(2)(np.zeros((1, 784), np.uint8))
    with pytest.raises(TypeError, match="int32"):
        layers.Dense(2)(d2l.constant([[1, 2]]))


def test_float64_inputs_are_cast_to_the_layer_dtype():
    y = layers.Dense(2)(np.ones((3, 4)))
    assert y.dtype == d2l.float32


def test_dense_errors_name_the_shapes():
    dense = layers.Dense(2)
    dense(d2l.ones((1, 3)))
    with pytest.raises(InvalidArgumentError, match=r"last dimension 3.*\(1, 5\)"):
        dense(d2l.ones((1, 5)))
    with pytest.raises(InvalidArgumentError, match=r"batch dimension.*reshape"):
        layers.Dense(2)(d2l.ones((3,)))
    for bad in (0, -1, 2.5, (2, 3)):
        with pytest.raises(ValueError, match="positive integer"):
            layers.Dense(bad)
    with pytest.raises(TypeError, match="not understood"):
        layers.Dense(2, activaton="relu")


def test_flatten_reshape_activation_layers():
    assert layers.Flatten()(d2l.zeros((4, 28, 28))).shape == (4, 784)
    assert layers.Flatten()(d2l.zeros((4,))).shape == (4, 1)
    assert layers.Reshape((2, 3))(d2l.zeros((5, 6))).shape == (5, 2, 3)
    x = d2l.constant([[-2.0, 0.5, 8.0]])
    close(layers.Activation("relu")(x), [[0, 0.5, 8]])
    close(layers.ReLU()(x), [[0, 0.5, 8]])
    close(layers.ReLU(max_value=6.0, negative_slope=0.1)(x), [[-0.2, 0.5, 6]])
    close(layers.LeakyReLU(0.5)(x), [[-1.0, 0.5, 8]])
    e = np.exp([-2.0, 0.5, 8.0])
    close(layers.Softmax()(x), [e / e.sum()])
    close(layers.Lambda(lambda t: t * 2)(x), [[-4, 1, 16]])


def test_dropout_is_active_only_when_training():
    d2l.random.set_seed(0)
    drop = layers.Dropout(0.25)
    x = d2l.ones((200, 50))
    assert np.array_equal(drop(x).numpy(), x.numpy())
    assert np.array_equal(drop(x, training=False).numpy(), x.numpy())
    y = drop(x, training=True).numpy()
    assert set(np.unique(y).tolist()) == {0.0, float(np.float32(1 / 0.75))}
    assert abs((y == 0).mean() - 0.25) < 0.02
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        layers.Dropout(1.5)


def test_training_flows_from_the_model_call_to_inner_layers():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.drop = layers.Dropout(0.5)

        def call(self, x):               # does not pass training on
            return self.drop(x)

    x = d2l.ones((100, 10))
    for model in (Net(), keras.Sequential([layers.Dropout(0.5)])):
        assert np.array_equal(model(x).numpy(), x.numpy())
        assert (model(x, training=True).numpy() == 0).any()
        assert np.array_equal(model(x, training=False).numpy(), x.numpy())


def test_custom_layer_with_add_weight():
    class Scale(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.w = self.add_weight("w", shape=(input_shape[-1],), initializer="ones")
            self.frozen = self.add_weight("f", shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            return x * self.w + self.frozen

    s = Scale()
    close(s(d2l.constant([[1.0, 2.0]])), [[1.0, 2.0]])
    assert [v.name for v in s.trainable_weights] == ["scale/w:0"]
    assert [v.name for v in s.non_trainable_weights] == ["scale/f:0"]
    assert s.count_params() == 3


def test_layer_names_are_unique_like_keras():
    assert [layers.Dense(1).name for _ in range(3)] == ["dense", "dense_1", "dense_2"]
    assert layers.Dense(1, name="out").name == "out"
    keras.backend.clear_session()
    assert layers.Dense(1).name == "dense"


def test_get_and_set_weights():
    model = mlp(4, 2)
    model.build((None, 3))
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(3, 4), (4,), (4, 2), (2,)]
    new = [np.full(w.shape, i, np.float32) for i, w in enumerate(weights)]
    model.set_weights(new)
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), new))
    ids = [id(v) for v in model.weights]
    model.set_weights(weights)
    assert [id(v) for v in model.weights] == ids          # assigned in place
    with pytest.raises(ValueError, match=r"weight 0 \('dense/kernel:0'\) has shape \(3, 4\).*\(4, 3\)"):
        model.set_weights([np.zeros((4, 3))] + weights[1:])
    with pytest.raises(ValueError, match="has 4 weights.*1 arrays"):
        model.set_weights(weights[:1])


# ==================================================================== models

def test_sequential_seed_model():
    model = keras.Sequential([layers.Dense(256, activation="relu"),
                              layers.Dense(128, activation="relu"), layers.Dense(10)])
    assert model.name == "sequential" and not model.built
    out = model(d2l.zeros((4, 784)))
    assert out.shape == (4, 10) and model.built
    assert [v.shape for v in model.trainable_variables] == [(784, 256), (256,), (256, 128),
                                                            (128,), (128, 10), (10,)]
    assert model.variables == model.weights and len(model.layers) == 3
    assert model.count_params() == 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10


def test_summary_prints_a_keras_table(capsys):
    model = keras.Sequential([layers.Dense(256, activation="relu", input_shape=(784,)),
                              layers.Dense(128, activation="relu"), layers.Dense(10)])
    assert model.built                 # an input_shape builds the model at once
    model.summary()
    text = capsys.readouterr().out
    assert 'Model: "sequential"' in text
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert "dense (Dense)                (None, 256)               200960" in text
    assert "dense_2 (Dense)              (None, 10)                1290" in text
    assert "Total params: 235,146" in text and "Non-trainable params: 0" in text
    lines = []
    model.summary(print_fn=lines.append)
    assert lines[0] == 'Model: "sequential"' and len(lines) == 14


def test_summary_of_nested_models(capsys):
    inner = keras.Sequential([layers.Flatten(input_shape=(28, 28)), layers.Dense(10)])
    outer = keras.Sequential([inner, layers.Softmax()])
    assert outer.built and outer(np.zeros((2, 28, 28))).shape == (2, 10)
    outer.summary()
    text = capsys.readouterr().out
    assert "sequential (Sequential)      (None, 10)                7850" in text
    assert "softmax (Softmax)            (None, 10)                0" in text


def test_summary_of_an_unbuilt_model_says_how_to_build_it():
    model = mlp(4, 2)
    with pytest.raises(ValueError, match=r"not yet been built.*build\(\(None, 784\)\)"):
        model.summary()
    model.build((None, 5))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("(None, 2)" in line for line in lines)


def test_input_and_input_shape():
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])
    assert model.built and len(model.layers) == 1 and model.count_params() == 8
    assert keras.Sequential([layers.Flatten(input_shape=(2, 2)), layers.Dense(1)]).built
    with pytest.raises(TypeError, match="parentheses"):
        keras.Sequential([layers.Dense])
    with pytest.raises(TypeError, match="must be a Layer"):
        keras.Sequential([lambda x: x])


def test_sequential_add_pop_and_get_layer():
    model = keras.Sequential(name="net")
    model.add(layers.Dense(4, name="hidden"))
    model.add(layers.Dense(1))
    assert model(d2l.ones((2, 3))).shape == (2, 1)
    assert model.get_layer("hidden").units == 4 and model.get_layer(index=-1).units == 1
    model.pop()
    assert model(d2l.ones((2, 3))).shape == (2, 4)
    with pytest.raises(ValueError, match="hidden"):
        model.get_layer("nope")


def test_subclassed_model_finds_layers_in_attributes_lists_and_dicts():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [layers.Dense(4, activation="relu"), layers.Dense(4)]
            self.heads = {"out": layers.Dense(1)}
            self.scale = d2l.Variable(2.0, name="scale")
            self.counter = d2l.Variable(0, trainable=False, name="counter")
            self.frozen = layers.Dense(4)
            self.frozen.trainable = False

        def call(self, x, training=None):
            for block in self.blocks:
                x = block(x)
            return self.heads["out"](self.frozen(x)) * self.scale

    net = Net()
    assert net.name == "net"
    assert net(d2l.ones((2, 3))).shape == (2, 1)
    names = [v.name for v in net.trainable_variables]
    assert names == ["scale:0", "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0",
                     "dense_1/bias:0", "dense_2/kernel:0", "dense_2/bias:0"]
    assert [v.name for v in net.non_trainable_variables] == [
        "counter:0", "dense_3/kernel:0", "dense_3/bias:0"]
    assert len(net.layers) == 4
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_sum(net(d2l.ones((2, 3))))
    grads = tape.gradient(loss, net.trainable_variables)
    assert all(g is not None and g.shape == v.shape for g, v in zip(grads, net.trainable_variables))


def test_forgetting_super_init_is_explained():
    class Bad(keras.Model):
        def __init__(self):
            self.d = layers.Dense(2)

        def call(self, x):
            return self.d(x)

    with pytest.raises(RuntimeError, match=r"super\(\).__init__\(\)"):
        Bad()(d2l.ones((1, 2)))


def test_subclassed_model_build_and_own_build():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(3)

        def call(self, x):
            return self.d(x)

    net = Net()
    net.build((None, 5))
    assert net.built and net.count_params() == 18


def test_functional_model():
    inputs = keras.Input(shape=(4,))
    assert inputs.shape == (None, 4)
    hidden = layers.Dense(8, activation="relu")(inputs)
    outputs = layers.Dense(2)(hidden)
    assert outputs.shape == (None, 2)
    model = keras.Model(inputs=inputs, outputs=outputs)
    assert model.built and model.name == "model"
    assert [type(l).__name__ for l in model.layers] == ["InputLayer", "Dense", "Dense"]
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    w1, b1, w2, b2 = model.get_weights()
    close(model(x), np.maximum(x @ w1 + b1, 0) @ w2 + b2)
    lines = []
    model.summary(print_fn=lines.append)
    assert any("[(None, 4)]" in line for line in lines)
    with pytest.raises(TypeError, match="Lambda"):
        inputs * 2
    with pytest.raises(ValueError, match=r"expects shape \(None, 4\)"):
        model(np.zeros((2, 3), np.float32))


def test_functional_model_with_two_inputs():
    a, b = keras.Input(shape=(2,)), keras.Input(shape=(3,))
    merged = layers.Lambda(lambda ts: d2l.concat(ts, axis=1))([a, b])
    model = keras.Model([a, b], layers.Dense(1, kernel_initializer="ones")(merged))
    out = model([np.ones((4, 2), np.float32), np.ones((4, 3), np.float32)])
    close(out, np.full((4, 1), 5.0))


def test_save_and_load_weights(tmp_path):
    d2l.random.set_seed(0)
    model = mlp(8, 3)
    model.build((None, 4))
    for name in ("w.npz", "weights", "ckpt/model.weights.h5"):
        path = tmp_path / name
        model.save_weights(str(path))
        assert path.exists()                    # exactly the given path
        clone = mlp(8, 3)
        clone.build((None, 4))
        clone.load_weights(path)
        assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), clone.get_weights()))
    other = mlp(5, 3)
    other.build((None, 4))
    with pytest.raises(ValueError, match=r"weight 0 'dense_\d+/kernel:0' has shape \(4, 5\).*\(4, 8\)"):
        other.load_weights(tmp_path / "w.npz")
    with pytest.raises(ValueError, match="no weights yet"):
        mlp(8, 3).load_weights(tmp_path / "w.npz")
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "missing.npz")


def test_repr_has_no_memory_address():
    assert repr(layers.Dense(2)) == "<Dense name=dense, built=False>"
    assert "0x" not in repr(keras.Sequential())


# ==================================================================== activations and initializers

def test_activations_by_name_or_function():
    x = np.array([-2.0, -0.5, 0.0, 1.5], np.float32)
    t = d2l.constant(x)
    for name, ref in [("relu", np.maximum(x, 0)), ("sigmoid", 1 / (1 + np.exp(-x))),
                      ("tanh", np.tanh(x)), ("linear", x), ("softmax", np.exp(x) / np.exp(x).sum())]:
        fn = keras.activations.get(name)
        assert fn is getattr(keras.activations, name)
        close(fn(t), ref, 1e-6)
    assert keras.activations.get(None) is keras.activations.linear
    assert keras.activations.get(np.tanh) is np.tanh
    with pytest.raises(ValueError, match="relu"):
        keras.activations.get("rleu")


def stats(init, shape):
    w = init(shape).numpy()
    return w, w.mean(), w.std()


def test_glorot_and_he_initializers_have_keras_variances():
    fan_in, fan_out = 400, 200
    w, _, std = stats(keras.initializers.GlorotUniform(seed=1), (fan_in, fan_out))
    limit = np.sqrt(6 / (fan_in + fan_out))
    assert np.abs(w).max() <= limit and abs(std - limit / np.sqrt(3)) < 0.01 * limit
    w, _, std = stats(keras.initializers.GlorotNormal(seed=1), (fan_in, fan_out))
    target = np.sqrt(2 / (fan_in + fan_out))
    assert abs(std - target) < 0.02 * target                  # truncation is compensated
    assert np.abs(w).max() <= 2 * target / 0.87962566103423978 + 1e-6
    w, _, std = stats(keras.initializers.HeNormal(seed=1), (fan_in, fan_out))
    assert abs(std - np.sqrt(2 / fan_in)) < 0.02 * np.sqrt(2 / fan_in)
    w, mean, std = stats(keras.initializers.RandomNormal(mean=1.0, stddev=0.5, seed=2), (200, 200))
    assert abs(mean - 1.0) < 0.01 and abs(std - 0.5) < 0.01
    assert np.all(keras.initializers.Zeros()((2, 2)).numpy() == 0)
    assert np.all(keras.initializers.Ones()((2, 2)).numpy() == 1)


def test_initializer_seeds():
    a = keras.initializers.GlorotUniform(seed=3)
    assert np.array_equal(a((3, 3)).numpy(), a((3, 3)).numpy())   # Keras: same values each call
    assert np.array_equal(a((3, 3)).numpy(), keras.initializers.GlorotUniform(seed=3)((3, 3)).numpy())
    assert not np.array_equal(a((3, 3)).numpy(), keras.initializers.GlorotUniform(seed=4)((3, 3)).numpy())

    def weights():
        d2l.random.set_seed(5)
        model = mlp(4, 2)
        model.build((None, 3))
        return model.get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(weights(), weights()))


@pytest.mark.parametrize("name,cls", [
    ("glorot_uniform", "GlorotUniform"), ("glorot_normal", "GlorotNormal"),
    ("he_normal", "HeNormal"), ("random_normal", "RandomNormal"), ("zeros", "Zeros"),
    ("ones", "Ones"), ("GlorotUniform", "GlorotUniform")])
def test_initializer_names_resolve(name, cls):
    assert type(keras.initializers.get(name)).__name__ == cls
    assert type(layers.Dense(1, kernel_initializer=name).kernel_initializer).__name__ == cls


def test_unknown_initializer_name():
    with pytest.raises(ValueError, match="glorot_uniform"):
        keras.initializers.get("xavier")


# ==================================================================== losses

arrays = st.integers(1, 6).flatmap(lambda n: st.integers(1, 5).map(lambda c: (n, c)))


@settings(max_examples=30, deadline=None)
@given(shape=arrays, seed=st.integers(0, 10 ** 6))
def test_losses_match_their_formulas(shape, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.random(shape).astype(np.float32)
    y_pred = rng.random(shape).astype(np.float32)
    t, p = d2l.constant(y_true), d2l.constant(y_pred)
    close(losses.mse(t, p), ((y_true - y_pred) ** 2).mean(-1), 1e-5)
    close(losses.MeanSquaredError()(t, p), ((y_true - y_pred) ** 2).mean(), 1e-5)
    close(losses.mae(t, p), np.abs(y_true - y_pred).mean(-1), 1e-5)
    close(losses.MeanAbsoluteError()(t, p), np.abs(y_true - y_pred).mean(), 1e-5)
    eps = 1e-7
    pc = np.clip(y_pred, eps, 1 - eps)
    bce = -(y_true * np.log(pc + eps) + (1 - y_true) * np.log(1 - pc + eps))
    close(losses.binary_crossentropy(t, p), bce.mean(-1), 1e-4)
    logits = rng.standard_normal(shape).astype(np.float32) * 5
    sig = 1 / (1 + np.exp(-logits.astype(np.float64)))
    ref = -(y_true * np.log(sig) + (1 - y_true) * np.log(1 - sig))
    close(losses.BinaryCrossentropy(from_logits=True)(t, d2l.constant(logits)), ref.mean(), 1e-4)
    onehot = np.eye(shape[1], dtype=np.float32)[rng.integers(0, shape[1], shape[0])]
    probs = y_pred / y_pred.sum(-1, keepdims=True)
    cce = -(onehot * np.log(np.clip(probs, eps, 1 - eps))).sum(-1)
    close(losses.categorical_crossentropy(onehot, p), cce, 1e-4)
    lsm = logits - np.log(np.exp(logits.astype(np.float64)).sum(-1, keepdims=True))
    close(losses.CategoricalCrossentropy(from_logits=True)(onehot, d2l.constant(logits)),
          -(onehot * lsm).sum(-1).mean(), 1e-4)
    labels = onehot.argmax(-1)
    close(losses.SparseCategoricalCrossentropy(from_logits=True)(labels, d2l.constant(logits)),
          -(onehot * lsm).sum(-1).mean(), 1e-4)
    close(losses.sparse_categorical_crossentropy(labels, p),
          -np.log(np.clip(probs, eps, 1 - eps))[np.arange(shape[0]), labels], 1e-4)


def test_logit_losses_are_stable_for_large_logits():
    big = d2l.constant([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    cce = losses.CategoricalCrossentropy(from_logits=True)(d2l.one_hot([0, 0], 3), big)
    assert np.isfinite(float(cce)) and abs(float(cce) - 1e4) < 1
    scce = losses.SparseCategoricalCrossentropy(from_logits=True)([0, 1], big)
    assert float(scce) == 0.0
    bce = losses.BinaryCrossentropy(from_logits=True)([[1.0], [0.0]], d2l.constant([[-1e4], [1e4]]))
    assert abs(float(bce) - 1e4) < 1
    with d2l.GradientTape() as tape:
        tape.watch(big)
        loss = losses.CategoricalCrossentropy(from_logits=True)(d2l.one_hot([0, 0], 3), big)
    assert np.all(np.isfinite(tape.gradient(loss, big).numpy()))


def test_probability_losses_clip_with_keras_epsilon():
    zero = losses.categorical_crossentropy(d2l.one_hot([0], 2), d2l.constant([[0.0, 1.0]]))
    close(zero, [-np.log(1e-7)], 1e-4)
    assert np.isfinite(float(losses.BinaryCrossentropy()([[1.0]], d2l.constant([[0.0]]))))


def test_gradient_of_softmax_crossentropy_is_softmax_minus_labels():
    logits = d2l.constant([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    y = d2l.one_hot([1, 2], 3)
    with d2l.GradientTape() as tape:
        tape.watch(logits)
        loss = losses.CategoricalCrossentropy(from_logits=True)(y, logits)
    s = np.exp(logits.numpy()) / np.exp(logits.numpy()).sum(-1, keepdims=True)
    close(tape.gradient(loss, logits), (s - y.numpy()) / 2, 1e-6)


def test_reductions_and_sample_weights():
    t, p = d2l.constant([[0.0], [0.0], [0.0]]), d2l.constant([[1.0], [2.0], [3.0]])
    close(losses.MeanSquaredError()(t, p), 14 / 3)
    close(losses.MeanSquaredError(reduction="sum")(t, p), 14)
    close(losses.MeanSquaredError(reduction=losses.Reduction.NONE)(t, p), [1, 4, 9])
    close(losses.MeanSquaredError()(t, p, sample_weight=[1.0, 0.0, 2.0]), (1 + 18) / 3)
    with pytest.raises(ValueError, match="Reduction"):
        losses.MeanSquaredError(reduction="avg")


def test_function_forms_and_names():
    assert losses.mse is losses.MSE is losses.mean_squared_error is keras.losses.get("mse")
    assert losses.mae is losses.mean_absolute_error
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert losses.mse(d2l.zeros((4, 3)), d2l.zeros((4, 3))).shape == (4,)
    with pytest.raises(ValueError, match="Unknown loss"):
        losses.get("cross_entropy")


def test_label_shapes_are_adjusted_like_keras_and_mismatches_explained():
    close(losses.mse(d2l.constant([1.0, 2.0]), d2l.constant([[1.0], [4.0]])), [0, 4])
    close(losses.mse(d2l.constant([[1.0], [2.0]]), d2l.constant([1.0, 4.0])), 2.0)
    with pytest.raises(InvalidArgumentError, match=r"\(4,\).*\(4, 10\).*one_hot\(y_true, depth=10\)"):
        losses.MeanSquaredError()(d2l.constant([1, 2, 3, 4]), d2l.zeros((4, 10)))
    with pytest.raises(InvalidArgumentError, match=r"\(4, 3\).*\(4, 10\).*have 3 units"):
        losses.categorical_crossentropy(d2l.zeros((4, 3)), d2l.zeros((4, 10)))
    with pytest.raises(InvalidArgumentError, match="CategoricalCrossentropy"):
        losses.SparseCategoricalCrossentropy()(d2l.one_hot([1, 2], 3), d2l.ones((2, 3)) / 3)
    close(losses.sparse_categorical_crossentropy([[1], [0]], d2l.constant([[0.5, 0.5]] * 2)),
          [np.log(2)] * 2)
    with pytest.raises(TypeError, match="swap"):
        losses.mse(d2l.zeros((2, 2)), d2l.constant([[1, 2], [3, 4]]))


# ==================================================================== metrics

def test_metrics_update_result_reset():
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    m.update_state(4.0, sample_weight=2.0)
    close(m.result(), (1 + 2 + 8) / 4)
    m.reset_state()
    assert float(m.result()) == 0.0
    acc = metrics.Accuracy()
    acc.update_state([1, 2, 3], [1, 2, 0])
    close(acc.result(), 2 / 3)
    cat = metrics.CategoricalAccuracy()
    cat.update_state(np.eye(3), [[0.9, 0.1, 0], [0.2, 0.1, 0.7], [0, 0, 1]])
    close(cat.result(), 2 / 3)
    cat.reset_states()
    assert float(cat.result()) == 0.0
    sparse = metrics.SparseCategoricalAccuracy()
    close(sparse([2, 0], [[0, 0.2, 0.8], [0.1, 0.9, 0]]), 0.5)
    close(sparse([[1]], [[0.1, 0.9, 0]]), 2 / 3)
    assert sparse.result().dtype == d2l.float32
    with pytest.raises(InvalidArgumentError, match="sparse_categorical_accuracy"):
        metrics.CategoricalAccuracy()([1, 0], [[0.2, 0.8], [0.7, 0.3]])


@pytest.mark.parametrize("y,units,expected", [
    (np.eye(3)[[0, 1, 2, 0]], 3, "categorical_accuracy"),
    (np.array([0, 1, 2, 0]), 3, "sparse_categorical_accuracy"),
    (np.array([[0], [1], [1], [0]], np.float32), 1, "binary_accuracy")])
def test_accuracy_string_picks_the_keras_variant(y, units, expected):
    model = keras.Sequential([layers.Dense(units)])
    loss = {3: "mse" if y.ndim == 2 else
            losses.SparseCategoricalCrossentropy(from_logits=True), 1: "binary_crossentropy"}[units]
    model.compile("sgd", loss=loss, metrics=["accuracy"])
    model.fit(np.ones((4, 2), np.float32), y, epochs=1, verbose=0)
    (metric,) = model.compiled_metrics.metrics
    assert metric.name == "accuracy" and metric._fn.__name__ == expected


# ==================================================================== compile / fit / evaluate / predict

def regression_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3).astype(np.float32)
    return x, y


def test_fit_learns_and_returns_history():
    d2l.random.set_seed(0)
    x, y = regression_data()
    model = keras.Sequential([layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    assert isinstance(history, keras.callbacks.History) and model.history is history
    assert history.epoch == list(range(20)) and set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0] / 100
    assert all(isinstance(v, float) for v in history.history["loss"])
    assert history.params == {"verbose": 0, "epochs": 20, "steps": 8}
    close(model.layers[0].kernel, [[1.0], [-2.0], [0.5]], 0.05)


def test_fit_validation_data_and_split():
    x, y = regression_data()
    model = keras.Sequential([layers.Dense(1)])
    model.compile("adam", loss="mse", metrics=["mae"])
    h = model.fit(x, y, epochs=2, validation_data=(x[:10], y[:10]), verbose=0)
    assert list(h.history) == ["loss", "mae", "val_loss", "val_mae"]
    h = model.fit(x, y, epochs=1, validation_split=0.25, verbose=0, batch_size=64)
    assert h.params["steps"] == 3 and "val_loss" in h.history
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(50)
    h = model.fit(ds, epochs=2, validation_data=ds.take(1), verbose=0)
    assert h.params["steps"] == 6 and len(h.history["val_loss"]) == 2


def test_epoch_loss_is_the_batch_size_weighted_mean():
    x, y = regression_data(n=10)
    model = keras.Sequential([layers.Dense(1, kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.0), loss="mse")
    h = model.fit(x, y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    close(h.history["loss"][0], np.mean(y ** 2), 1e-6)
    close(model.evaluate(x, y, batch_size=3, verbose=0), np.mean(y ** 2), 1e-6)


def test_evaluate_and_predict():
    x, y = regression_data(n=70)
    model = keras.Sequential([layers.Dense(1)])
    model.compile("sgd", loss="mse", metrics=["mae"])
    loss, mae = model.evaluate(x, y, verbose=0)
    pred = model.predict(x, verbose=0)
    assert isinstance(pred, np.ndarray) and pred.shape == (70, 1)
    close(pred, model(x), 1e-6)
    close(loss, np.mean((pred - y) ** 2), 1e-5)
    close(mae, np.mean(np.abs(pred - y)), 1e-5)
    assert model.evaluate(x, y, verbose=0, return_dict=True).keys() == {"loss", "mae"}
    assert model.metrics_names == ["loss", "mae"]
    model.compile("sgd", loss="mse")
    assert isinstance(model.evaluate(x, y, verbose=0), float)
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(16)
    close(model.predict(ds, verbose=0), pred, 1e-6)      # labels in the dataset are ignored


def test_fit_with_sample_weight():
    x, y = regression_data(n=8)
    model = keras.Sequential([layers.Dense(1, kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.0), loss="mse")
    w = np.array([1, 0, 0, 0, 0, 0, 0, 0], np.float32)
    h = model.fit(x, y, sample_weight=w, batch_size=8, verbose=0)
    close(h.history["loss"][0], y[0, 0] ** 2 / 8, 1e-6)


def test_fit_is_reproducible_with_a_global_seed():
    def run():
        d2l.random.set_seed(42)
        x, y = regression_data()
        model = mlp(8, 1)
        model.compile("adam", loss="mse")
        model.fit(x, y, epochs=2, verbose=0)
        return model.get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(run(), run()))


def test_fit_errors_say_what_to_do():
    x, y = regression_data(n=10)
    model = keras.Sequential([layers.Dense(1)])
    with pytest.raises(RuntimeError, match=r"compile\(\)"):
        model.fit(x, y, verbose=0)
    model.compile("sgd", loss="mse")
    with pytest.raises(ValueError, match=r"x has 10.*y has 9"):
        model.fit(x, y[:9], verbose=0)
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(2)
    with pytest.raises(ValueError, match="y must not be given"):
        model.fit(ds, y, verbose=0)
    with pytest.raises(ValueError, match="batch_size"):
        model.fit(ds, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="steps_per_epoch"):
        model.fit(ds.repeat(), verbose=0)
    h = model.fit(ds.repeat(), steps_per_epoch=3, epochs=2, verbose=0)
    assert h.params["steps"] == 3
    with pytest.raises(InvalidArgumentError, match="one_hot"):
        keras.Sequential([layers.Dense(3)]).compile("sgd", "mse") or None
        m = keras.Sequential([layers.Dense(3)])
        m.compile("sgd", "mse")
        m.fit(x, np.arange(10), verbose=0)
    uncompiled_loss = keras.Sequential([layers.Dense(1)])
    uncompiled_loss.compile("sgd")
    with pytest.raises(ValueError, match="No loss"):
        uncompiled_loss.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="Unknown metric"):
        model.compile("sgd", loss="mse", metrics=["acuracy_typo"])


def test_fit_int_images_explains_the_dtype():
    model = keras.Sequential([layers.Flatten(), layers.Dense(10)])
    model.compile("adam", loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    x = np.zeros((4, 28, 28), np.uint8)
    with pytest.raises(TypeError, match="uint8"):
        model.fit(x, np.zeros(4, np.int32), verbose=0)


def test_verbose_0_prints_nothing(capsys):
    x, y = regression_data(n=20)
    model = keras.Sequential([layers.Dense(1)])
    model.compile("sgd", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=2, validation_split=0.2, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


@pytest.mark.parametrize("verbose", [1, 2, "auto"])
def test_one_line_per_epoch_when_not_interactive(capsys, verbose):
    x, y = regression_data(n=20)
    model = keras.Sequential([layers.Dense(1)])
    model.compile("sgd", loss="mse", metrics=["mae"])
    model.fit(x, y, epochs=2, batch_size=8, validation_data=(x, y), verbose=verbose)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Epoch 1/2 - 3/3 - ")
    assert "loss: " in lines[1] and "mae: " in lines[1] and "val_loss: " in lines[1]


def test_progress_bar_when_interactive(capsys, monkeypatch):
    monkeypatch.setattr(models, "_interactive", lambda: True)
    x, y = regression_data(n=20)
    model = keras.Sequential([layers.Dense(1)])
    model.compile("sgd", loss="mse")
    model.fit(x, y, epochs=2, batch_size=10, verbose=1)
    err = capsys.readouterr().err
    assert "Epoch 1/2" in err and "Epoch 2/2" in err and "2/2" in err and "loss=" not in err
    assert "loss: " in err


def test_callbacks_early_stopping_and_lambda():
    x, y = regression_data(n=32)
    model = keras.Sequential([layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.0), loss="mse")
    seen = []
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
    cb = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    # lr 0 keeps the loss fixed, but only without shuffling: a new order changes the
    # float32 sum by an ulp, which EarlyStopping (like Keras's) counts as improvement.
    h = model.fit(x, y, epochs=20, verbose=0, shuffle=False, callbacks=[stop, cb])
    assert len(h.epoch) == 3 and seen == [0, 1, 2] and stop.stopped_epoch == 2
    with pytest.raises(TypeError, match="Callback"):
        model.fit(x, y, verbose=0, callbacks=[print])


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_a_custom_train_step_in_the_keras_style(run_eagerly):
    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)
            self.steps = 0

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            with d2l.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            self.steps += 1
            return {m.name: m.result() for m in self.metrics}

    x, y = regression_data(n=64)
    model = Custom()
    model.compile(keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"], run_eagerly=run_eagerly)
    h = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    # Python code in a traced step runs once per trace (twice here: the first trace builds
    # the Dense layer, so it is traced again without making Variables), not once per batch.
    assert model.steps == (12 if run_eagerly else 2)


def test_train_test_predict_on_batch():
    x, y = regression_data(n=8)
    model = keras.Sequential([layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    first = model.train_on_batch(x, y)
    assert isinstance(first, list) and len(first) == 2
    assert model.test_on_batch(x, y)[0] < first[0]
    assert model.predict_on_batch(x).shape == (8, 1)


def test_keras_datasets_mnist_is_the_engine_loader():
    import d2l_core.datasets.mnist as engine_mnist
    import d2l_core.keras.datasets.mnist as keras_mnist
    assert keras.datasets.mnist is engine_mnist is keras_mnist
    from d2l_core.keras import datasets
    assert datasets.mnist.load_data is engine_mnist.load_data


def test_optimizers_are_still_exported():
    assert keras.optimizers.Adam is d2l.optimizers.Adam
    assert keras.models.Sequential is keras.Sequential and keras.Model is models.Model


MODULES = ["activations", "backend", "callbacks", "initializers", "layers", "losses", "metrics",
           "models", "utils"]


@pytest.mark.parametrize("module", MODULES + ["data"])
def test_every_public_name_has_a_docstring_with_an_example(module):
    mod = getattr(d2l, module) if module == "data" else getattr(keras, module)
    missing = []
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if isinstance(obj, (int, float, str)) or not callable(obj) and not isinstance(obj, type):
            continue
        doc = obj.__doc__ or ""
        if ">>>" not in doc and ">>>" not in (sys.modules[obj.__module__].__doc__ or "") \
                or not doc.strip():
            missing.append(name)
    assert missing == []


def test_validation_freq_and_steps_per_epoch_past_the_data(caplog):
    x, y = regression_data(n=20)
    model = keras.Sequential([layers.Dense(1)])
    model.compile("sgd", loss="mse")
    h = model.fit(x, y, epochs=4, batch_size=10, validation_data=(x, y), validation_freq=2,
                  verbose=0)
    assert len(h.history["loss"]) == 4 and len(h.history["val_loss"]) == 2
    h = model.fit(x, y, epochs=3, batch_size=10, validation_data=(x, y), validation_freq=[1, 3],
                  verbose=0)
    assert len(h.history["val_loss"]) == 2
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(10)      # 2 batches
    h = model.fit(ds, steps_per_epoch=3, epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2


def test_custom_train_step_with_own_metric_trackers():
    loss_tracker = metrics.Mean(name="loss")
    mae = metrics.MeanAbsoluteError(name="mae")

    class Custom(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            with d2l.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = d2l.reduce_mean(d2l.square(y_pred - y))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            loss_tracker.update_state(loss)
            mae.update_state(y, y_pred)
            return {"loss": loss_tracker.result(), "mae": mae.result(), "steps": 1}

        @property
        def metrics(self):
            return [loss_tracker, mae]

    x, y = regression_data(n=64)
    model = Custom()
    model.compile(optimizer=keras.optimizers.SGD(0.1))
    h = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert set(h.history) == {"loss", "mae", "steps"}
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert loss_tracker.count == 4         # reset each epoch: 4 batches in the last one


def test_weights_made_while_building_from_a_shape_follow_the_seed():
    """Building on stand-ins (input_shape, keras.Input) draws weights from the seeded stream."""
    def first_kernel(seed, functional):
        d2l.random.set_seed(seed)
        if functional:
            x = d2l.keras.Input(shape=(3,))
            model = d2l.keras.Model(x, d2l.keras.layers.Dense(2)(x))
        else:
            model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
        return model.weights[0].numpy()
    for functional in (False, True):
        a, b, again = (first_kernel(s, functional) for s in (1, 2, 1))
        np.testing.assert_array_equal(a, again)
        assert not np.array_equal(a, b)
