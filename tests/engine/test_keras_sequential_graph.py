"""Keras 3 behaviour that keras-io's Sequential guide relies on: ``keras.ops``, a Sequential
model's symbolic ``inputs``/``outputs``, layers' ``input``/``output``, GlobalMaxPooling2D,
and exact output shapes for big images. Expected values were read off TensorFlow 2.21
(Keras 3)."""
import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import keras
from d2l_core.keras import layers, ops


# ---------------------------------------------------------------------- keras.ops

def test_keras_ops_creation_defaults_to_float32_and_arange_to_int32():
    assert ops.ones((3, 3)).dtype == d2l.float32 and ops.ones((3, 3)).shape == (3, 3)
    assert ops.zeros((2,)).dtype == d2l.float32
    assert ops.full((2,), 3).dtype == d2l.float32
    assert ops.arange(3).dtype == d2l.int32 and ops.arange(3.0).dtype == d2l.float32


def test_keras_ops_reductions_and_argmax_follow_keras_not_tf():
    x = ops.convert_to_tensor([[1.0, 3.0], [2.0, 0.0]])
    np.testing.assert_array_equal(ops.sum(x, axis=0).numpy(), [3.0, 3.0])
    assert float(ops.mean(x)) == 1.5 and float(ops.max(x)) == 3.0
    argmax = ops.argmax(x)                       # flattened, int32 (tf.argmax: axis 0, int64)
    assert int(argmax) == 1 and argmax.dtype == d2l.int32
    np.testing.assert_array_equal(ops.argmin(x, axis=1).numpy(), [0, 1])
    assert ops.argmax(x, axis=1, keepdims=True).shape == (2, 1)
    assert ops.concatenate([x, x], axis=1).shape == (2, 4)
    assert ops.shape(x) == (2, 2) and int(ops.size(x)) == 4


def test_from_keras_import_ops_is_the_module():
    from d2l_core.keras import ops as imported
    assert imported is keras.ops and imported.matmul is d2l.matmul


# ---------------------------------------------------------------------- Sequential graph

def test_unbuilt_sequential_has_no_weights_and_no_inputs():
    model = keras.Sequential([layers.Dense(2), layers.Dense(3)])
    assert model.weights == []                            # Keras 3: [], no error
    with pytest.raises(AttributeError, match="has no defined inputs yet"):
        model.inputs
    with pytest.raises(AttributeError, match="has no defined outputs yet"):
        model.outputs
    with pytest.raises(AttributeError, match="has never been called and thus has no defined "
                                             "output"):
        model.layers[0].output


def test_sequential_with_an_input_has_symbolic_inputs_outputs_and_layer_outputs():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2), layers.Dense(3)])
    (inp,), (out,) = model.inputs, model.outputs
    assert inp.shape == (None, 4) and out.shape == (None, 3)
    assert model.layers[0].input is inp and model.layers[1].output is out
    assert model.layers[0].output.shape == (None, 2)


def test_sequential_built_by_a_call_takes_the_call_shape_as_keras_3():
    model = keras.Sequential([layers.Dense(2), layers.Dense(3)])
    model(ops.ones((1, 4)))
    assert model.inputs[0].shape == (1, 4) and model.outputs[0].shape == (1, 3)
    assert len(model.weights) == 4


def test_feature_extractor_from_a_sequential_models_layers():
    initial = keras.Sequential([keras.Input(shape=(250, 250, 3)),
                                layers.Conv2D(32, 5, strides=2, activation="relu"),
                                layers.Conv2D(32, 3, activation="relu", name="middle"),
                                layers.Conv2D(32, 3, activation="relu")])
    extractor = keras.Model(inputs=initial.inputs,
                            outputs=[layer.output for layer in initial.layers])
    features = extractor(ops.ones((1, 250, 250, 3)))
    assert [f.shape for f in features] == [(1, 123, 123, 32), (1, 121, 121, 32),
                                           (1, 119, 119, 32)]
    middle = keras.Model(inputs=initial.inputs, outputs=initial.get_layer("middle").output)
    assert middle(ops.ones((1, 250, 250, 3))).shape == (1, 121, 121, 32)


def test_big_images_keep_exact_shapes_when_adding_layers():
    model = keras.Sequential()
    model.add(keras.Input(shape=(250, 250, 3)))
    model.add(layers.Conv2D(32, 5, strides=2, activation="relu"))
    model.add(layers.Conv2D(32, 3, activation="relu"))
    model.add(layers.MaxPooling2D(3))
    assert model.outputs[0].shape == (None, 40, 40, 32)
    assert [layer._out_shape for layer in model.layers] == [
        (None, 123, 123, 32), (None, 121, 121, 32), (None, 40, 40, 32)]
    model.add(layers.GlobalMaxPooling2D())
    model.add(layers.Dense(10))
    assert model.outputs[0].shape == (None, 10) and model.count_params() == 11680 + 330


def test_adding_layers_one_by_one_gives_the_same_weights_as_a_list():
    d2l.random.set_seed(0)
    one = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), layers.Dense(2)])
    d2l.random.set_seed(0)
    two = keras.Sequential([keras.Input(shape=(3,))])
    two.add(layers.Dense(4))
    two.add(layers.Dense(2))
    for a, b in zip(one.get_weights(), two.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_pop_updates_the_outputs():
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2), layers.Dense(3)])
    model.pop()
    assert model.outputs[0].shape == (None, 2)


def test_global_max_pooling_2d():
    x = d2l.reshape(d2l.range(8.0), (1, 2, 2, 2))
    np.testing.assert_array_equal(layers.GlobalMaxPooling2D()(x).numpy(), [[6.0, 7.0]])
    assert layers.GlobalMaxPooling2D(keepdims=True)(x).shape == (1, 1, 1, 2)
    assert layers.GlobalMaxPool2D is layers.GlobalMaxPooling2D
