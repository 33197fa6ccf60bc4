"""Keras's fit, evaluate and predict trace their steps with d2l.function, as TensorFlow does.

The traced steps must give the eager steps' numbers (same seed: same losses,
metrics and weights), trace a bounded number of times, and say what to do
when a step cannot be traced.
"""
import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import keras
from d2l_core.keras import layers, losses, metrics


@pytest.fixture(autouse=True)
def _fresh():
    keras.backend.clear_session()
    yield
    d2l.config.run_functions_eagerly(False)


def _data(n=100, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    y = (x[:, :classes].argmax(axis=1) + (rng.random(n) < 0.1)) % classes
    return x, y


def _classifier(run_eagerly, built=True, **compile_kwargs):
    d2l.random.set_seed(0)
    model = keras.Sequential([
        layers.Dense(16, activation="relu", **({"input_shape": (6,)} if built else {})),
        layers.BatchNormalization(),
        layers.Dropout(0.3),
        layers.Dense(3)])
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], run_eagerly=run_eagerly, **compile_kwargs)
    return model


def _train(model, epochs=3, **kwargs):
    x, y = _data()
    history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, shuffle=False,
                        validation_data=(x[:40], y[:40]), **kwargs)
    return history.history, model.get_weights(), model.evaluate(x, y, verbose=0), \
        model.predict(x, verbose=0)


@pytest.mark.parametrize("built", [True, False])
def test_traced_fit_gives_the_eager_numbers(built):
    """Dropout, BatchNormalization's moving averages, Adam's slots, the metrics: all the same."""
    eager, traced = (_train(_classifier(run_eagerly, built)) for run_eagerly in (True, False))
    assert eager[0].keys() == traced[0].keys() == {"loss", "accuracy", "val_loss",
                                                   "val_accuracy"}
    for key in eager[0]:
        np.testing.assert_allclose(traced[0][key], eager[0][key], rtol=1e-6, err_msg=key)
    for a, b in zip(eager[1], traced[1]):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(traced[2], eager[2], rtol=1e-6)
    np.testing.assert_allclose(traced[3], eager[3], rtol=1e-6, atol=1e-7)


def test_fit_traces_at_most_twice_full_batches_then_the_last_smaller_one():
    model = _classifier(run_eagerly=None)
    _train(model, epochs=4)          # 100 rows in batches of 32: 32, 32, 32, then 4
    assert not model.run_eagerly
    assert model.train_function.experimental_get_tracing_count() == 2
    assert model.test_function.experimental_get_tracing_count() == 2
    assert model.predict_function.experimental_get_tracing_count() == 2
    x, y = _data()
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)      # the traces are kept
    model.fit(x, y, epochs=1, batch_size=20, verbose=0)      # the relaxed trace fits 20 too
    assert model.train_function.experimental_get_tracing_count() == 2


def test_fit_with_full_batches_traces_once():
    model = _classifier(run_eagerly=False, built=False)      # built on the first batch
    x, y = _data(n=64)
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert model.train_function.experimental_get_tracing_count() == 1


def test_run_eagerly_follows_tensorflow():
    model = _classifier(run_eagerly=None)
    assert model.run_eagerly is False
    model.run_eagerly = True
    assert model.run_eagerly is True
    _train(model, epochs=1)
    assert not hasattr(model.train_function, "experimental_get_tracing_count")
    model.compile("sgd", loss="mse")                  # run_eagerly=None again
    assert model.run_eagerly is False
    d2l.config.run_functions_eagerly(True)
    assert d2l.config.functions_run_eagerly() and model.run_eagerly is True
    model.compile("sgd", loss="mse", run_eagerly=False)
    assert model.run_eagerly is False               # an explicit False wins, as in Keras


def test_run_functions_eagerly_runs_every_function_as_python():
    calls = []

    @d2l.function
    def f(x):
        calls.append(1)
        return x * 2.0

    d2l.config.run_functions_eagerly(True)
    assert f(d2l.constant(1.0)).numpy() == 2.0 and f(d2l.constant(2.0)).numpy() == 4.0
    assert len(calls) == 2 and f.experimental_get_tracing_count() == 0
    d2l.config.run_functions_eagerly(False)
    f(d2l.constant(1.0)), f(d2l.constant(2.0))
    assert len(calls) == 3 and f.experimental_get_tracing_count() == 1


class _GuideModel(keras.Model):
    """TensorFlow's guide "Customizing what happens in fit", first example."""

    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.out = layers.Dense(1)
        self.python_steps = 0

    def call(self, x, training=None):
        return self.out(self.hidden(x))

    def train_step(self, data):
        x, y = data
        self.python_steps += 1
        with d2l.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_a_custom_train_step_is_traced_too(run_eagerly):
    x, y = _data(n=64)
    y = y.astype(np.float32)[:, None]
    results = {}
    for eager in (True, False):
        d2l.random.set_seed(1)
        model = _GuideModel()
        model.compile(keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"],
                      run_eagerly=eager)
        results[eager] = model.fit(x, y, epochs=3, batch_size=16, verbose=0).history, model
    (h_eager, m_eager), (h_traced, m_traced) = results[True], results[False]
    for key in ("loss", "mae"):
        np.testing.assert_allclose(h_traced[key], h_eager[key], rtol=1e-6)
    assert m_eager.python_steps == 12
    # In a traced step Python runs per trace, not per batch: the first trace made the
    # Dense weights, so it was traced again without making Variables (TensorFlow's rule).
    assert m_traced.python_steps == m_traced.train_function.experimental_get_tracing_count() == 2


def test_module_level_metrics_in_a_custom_step_update_inside_the_trace():
    loss_tracker, mae = metrics.Mean(name="loss"), metrics.MeanAbsoluteError(name="mae")

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
            return {"loss": loss_tracker.result(), "mae": mae.result()}

        @property
        def metrics(self):
            return [loss_tracker, mae]

    x, _ = _data(n=48)
    y = x[:, :1] * 2.0
    model = Custom()
    model.compile(keras.optimizers.SGD(0.1))
    h = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert float(loss_tracker.count) == 3.0          # reset each epoch: 3 batches in the last
    assert h.history["mae"][-1] == pytest.approx(float(mae.result()))


def test_a_step_that_needs_values_says_to_run_eagerly():
    class NeedsNumpy(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            x, y = data
            return {"mean": float(np.mean(self(x).numpy()))}

    x, _ = _data(n=8)
    model = NeedsNumpy()
    model.compile("sgd", loss="mse")
    with pytest.raises((TypeError, AttributeError)) as info:
        model.fit(x, x[:, :1], verbose=0)
    assert "run_eagerly=True" in "\n".join(getattr(info.value, "__notes__", []))
    model.compile("sgd", loss="mse", run_eagerly=True)
    h = model.fit(x, x[:, :1], verbose=0)
    assert list(h.history) == ["mean"]


def test_callbacks_see_python_numbers_and_can_change_the_learning_rate():
    def run(run_eagerly):
        model = _classifier(run_eagerly)
        seen = []

        def on_epoch_begin(epoch, logs):       # a learning-rate schedule, between traced steps
            model.optimizer.learning_rate = 0.01 / (1 + epoch)

        callbacks = [keras.callbacks.LambdaCallback(
            on_epoch_begin=on_epoch_begin,
            on_train_batch_end=lambda batch, logs: seen.append(logs))]
        history, weights, _, _ = _train(model, callbacks=callbacks)
        return history, weights, seen
    eager, traced = run(True), run(False)
    assert len(traced[2]) == 12 and all(type(v) is float for logs in traced[2]
                                        for v in logs.values())
    np.testing.assert_allclose([l["loss"] for l in traced[2]], [l["loss"] for l in eager[2]],
                               rtol=1e-6)
    for a, b in zip(eager[1], traced[1]):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)


def test_early_stopping_stops_a_traced_fit():
    model = _classifier(run_eagerly=False)
    x, y = _data()
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    h = model.fit(x, y, epochs=10, batch_size=32, verbose=0, callbacks=[stop])
    assert len(h.history["loss"]) == 2


def test_on_batch_methods_use_the_traced_steps():
    model = _classifier(run_eagerly=False)
    x, y = _data(n=32)
    loss, acc = model.train_on_batch(x, y)
    assert isinstance(loss, float) and 0.0 <= acc <= 1.0
    assert model.train_function.experimental_get_tracing_count() == 1
    logs = model.test_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert model.predict_on_batch(x).shape == (32, 3)


def test_metrics_keep_their_state_in_variables():
    m = metrics.SparseCategoricalAccuracy()
    assert [v.name for v in m.variables] == ["total:0", "count:0"]
    m.update_state([1, 0], [[0.1, 0.9], [0.2, 0.8]])
    assert float(m.count) == 2.0 and float(m.result()) == 0.5
    m.reset_state()
    assert float(m.count) == 0.0 and float(m.result()) == 0.0

    @d2l.function
    def update(y, p):
        m.update_state(y, p)
        return m.result()
    y, p = d2l.constant([1, 0]), d2l.constant([[0.1, 0.9], [0.8, 0.2]])
    assert float(update(y, p)) == 1.0 and float(update(y, p)) == 1.0
    assert float(m.count) == 4.0 and update.experimental_get_tracing_count() == 1


def test_a_metric_written_with_add_weight_works_in_a_traced_fit():
    class Seen(metrics.Metric):
        def __init__(self, name="seen"):
            super().__init__(name=name)
            self.n = self.add_weight(name="n", initializer="zeros")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.n.assign_add(d2l.cast(d2l.shape(y_true)[0], d2l.float32))

        def result(self):
            return d2l.identity(self.n)

    model = _classifier(run_eagerly=False)
    model.compile("sgd", loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[Seen()])
    x, y = _data()
    h = model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    assert h.history["seen"] == [100.0, 100.0]


def test_fit_with_a_dataset_and_steps_per_epoch_traces_once():
    x, y = _data(n=64)
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(16).repeat()
    model = _classifier(run_eagerly=False)
    model.fit(ds, epochs=3, steps_per_epoch=4, verbose=0)
    assert model.train_function.experimental_get_tracing_count() == 1
