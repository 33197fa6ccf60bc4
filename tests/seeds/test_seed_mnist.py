"""Seed 002's MNIST program runs with only its imports changed, offline, and
``fit`` on the shipped subset reaches at least 90% held-out accuracy.

D2L_DATA_DIR points at pytest's tmp_path and the loader's network function
fails at once, so ``datasets.mnist.load_data()`` falls back to the bundled
4,000/1,000-digit subset (with a SubsetWarning) without touching the network.
"""
import urllib.error
import warnings

import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import keras
from d2l_core.datasets import mnist

# The program of seed 002 (the MLP on MNIST from Deep-Learning-with-TensorFlow-book),
# with the training step completed as in the book: a loop over the batches, the
# MSE loss, and apply_gradients over model.trainable_variables.
SEED_PROGRAM = """
import os
import tensorflow as tf # 导入TF 库
from tensorflow import keras # 导入TF 子库
from tensorflow.keras import layers, optimizers, datasets # 导入TF 子库
(x, y), (x_val, y_val) = datasets.mnist.load_data() # 加载数据集
x = 2*tf.convert_to_tensor(x, dtype=tf.float32)/255.-1 # 转换为张量,缩放到-1~1
y = tf.convert_to_tensor(y, dtype=tf.int32) # 转换为张量
y = tf.one_hot(y, depth=10) # one-hot 编码
print(x.shape, y.shape)
train_dataset = tf.data.Dataset.from_tensor_slices((x, y)) # 构建数据集对象
train_dataset = train_dataset.batch(512) # 批量训练网络搭建
model = keras.Sequential([ # 3 个非线性层的嵌套模型
    layers.Dense(256, activation='relu'),
    layers.Dense(128, activation='relu'),
    layers.Dense(10)])
optimizer = optimizers.SGD(learning_rate=0.01)
MSE_DEFINITION
losses = []
for epoch in range(EPOCHS):
    for step, (x, y) in enumerate(train_dataset):
        with tf.GradientTape() as tape: # 构建梯度记录环境
            # 打平,[b, 28, 28] => [b, 784]
            x = tf.reshape(x, (-1, 28*28))
            # Step1. 得到模型输出output
            # [b, 784] => [b, 10]
            out = model(x)
            # step2, 计算mse损失
            loss = mse(out,y)
        # Step3. 计算参数的梯度 w1, w2, w3, b1, b2, b3
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
        if step % 100 == 0:
            print(epoch, step, 'loss:', loss.numpy())
"""

TF_IMPORTS = {
    "import tensorflow as tf # 导入TF 库": "import d2l_core as tf # 导入TF 库",
    "from tensorflow import keras # 导入TF 子库": "from d2l_core import keras # 导入TF 子库",
    "from tensorflow.keras import layers, optimizers, datasets # 导入TF 子库":
        "from d2l_core.keras import layers, optimizers, datasets # 导入TF 子库",
}

MSE_DEFINITIONS = {
    "loss object": "mse = keras.losses.MeanSquaredError()",
    "book formula": "mse = lambda out, y: tf.reduce_sum(tf.square(out - y)) / out.shape[0]",
    "function form": "mse = lambda out, y: tf.reduce_mean(keras.losses.mse(y, out))",
}


def offline_network(*args, **kwargs):
    raise urllib.error.URLError("no network in tests")


@pytest.fixture
def offline_mnist(tmp_path, monkeypatch):
    monkeypatch.setenv("D2L_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("D2L_OFFLINE", raising=False)
    monkeypatch.setattr(mnist, "_urlopen", offline_network)
    keras.backend.clear_session()


def d2l_program(mse_definition, epochs):
    program = SEED_PROGRAM.replace("MSE_DEFINITION", mse_definition).replace(
        "EPOCHS", str(epochs))
    for tf_line, d2l_line in TF_IMPORTS.items():
        assert tf_line in program
        program = program.replace(tf_line, d2l_line)
    changed = [a for a, b in zip(SEED_PROGRAM.splitlines(), program.splitlines()) if a != b]
    assert changed == list(TF_IMPORTS) + ["MSE_DEFINITION", "for epoch in range(EPOCHS):"]
    return program


@pytest.mark.parametrize("mse", list(MSE_DEFINITIONS))
def test_seed_002_program_runs_with_only_its_imports_changed(offline_mnist, capsys, mse):
    d2l.random.set_seed(2)
    namespace = {"__name__": "seed_002"}
    with pytest.warns(mnist.SubsetWarning, match="subset"):
        exec(compile(d2l_program(MSE_DEFINITIONS[mse], epochs=3), "seed_002", "exec"), namespace)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "(4000, 28, 28) (4000, 10)"
    assert out[1].startswith("0 0 loss: ")
    losses = namespace["losses"]
    assert len(losses) == 3 * 8                    # 3 epochs of ceil(4000 / 512) batches
    assert np.mean(losses[-4:]) < np.mean(losses[:4])
    model = namespace["model"]
    assert [tuple(v.shape) for v in model.trainable_variables] == [
        (784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]


def test_fit_reaches_90_percent_on_the_held_out_subset(offline_mnist):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", mnist.SubsetWarning)
        (x, y), (x_test, y_test) = keras.datasets.mnist.load_data()
    assert len(x) == 4000 and len(x_test) == 1000       # the bundled subset

    def prepare(images, labels):        # pixels to [0, 1]: steadier than the seed's [-1, 1]
        images = d2l.convert_to_tensor(images, dtype=d2l.float32) / 255.
        return images, d2l.one_hot(d2l.convert_to_tensor(labels, dtype=d2l.int32), depth=10)

    d2l.random.set_seed(0)
    x, y = prepare(x, y)
    x_test, y_test = prepare(x_test, y_test)
    train = d2l.data.Dataset.from_tensor_slices((x, y)).shuffle(4000).batch(128)
    model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                              keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.Adam(2e-3),
                  loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train, epochs=5, validation_data=(x_test, y_test), verbose=0)
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert accuracy >= 0.90
    assert history.history["val_accuracy"][-1] == pytest.approx(accuracy)
    assert history.history["loss"][-1] < history.history["loss"][0]
    predicted = model.predict(x_test, verbose=0).argmax(axis=1)
    assert np.mean(predicted == y_test.numpy().argmax(axis=1)) == pytest.approx(accuracy)
