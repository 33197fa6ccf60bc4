"""``d2l.function``'s compiled plan with a GPU the default device (``gpu_default``).

The programs of test_function_plan.py, traced where a GPU is the default
device (the CuPy stand-in here, the real GPU where there is one): the plan
calls the raw kernels on device arrays and gives the eager results to the
bit, on GPU:0, with no host synchronisation per call and no more kernel
launches than the eager plan (the stand-in counts both; on a real GPU the
counts stay 0). Tapes around a call, other device scopes, placement logging
and inputs on another device run the eager plan, as on the CPU.
"""
import numpy as np
import pytest

import d2l_core as tf
import fake_cupy
from d2l_core import keras
from d2l_core.keras import layers, losses

from .test_function_plan import _chain, _mlp_case, _mlp_step, _programs, _same


@pytest.fixture(autouse=True)
def _gpu(gpu_default):
    yield


class _EagerCalls:
    """Counts the calls of a concrete function's plan that stepped aside to the eager plan."""

    def __init__(self, concrete):
        self.n = 0
        namespace = concrete._plan.run.__globals__      # the plan's own globals
        eager = namespace.get("_eager")
        if eager is None:
            return           # no kernels to run (every value folded): one plan only

        def counted(*args):
            self.n += 1
            return eager(*args)
        namespace["_eager"] = counted


def _counts(fn, *args):
    with fake_cupy.counting() as c:
        out = fn(*args)
    return out, c


def _check_compiled(f, concrete, args, calls=2):
    """``f(*args)`` runs the compiled plan, syncs never after the first call and launches
    no more kernels than the eager plan; returns the results and both counts."""
    assert concrete._plan.source != concrete._plan.eager_source        # kernels, not ops
    stepped_aside = _EagerCalls(concrete)
    f(*args)                                        # the first call
    results = []
    for _ in range(calls):
        out, compiled = _counts(f, *args)
        results.append(out)
        assert compiled.syncs == 0, compiled.sync_log
    _, eager = _counts(concrete._plan.eager_run, *args)
    assert compiled.launches <= eager.launches, (compiled.launch_log, eager.launch_log)
    assert stepped_aside.n == 0
    return results, compiled, eager


def _chain_inputs():
    rng = np.random.default_rng(0)
    return [tf.constant(rng.uniform(-1, 1, 16).astype(np.float32)) for _ in range(3)]


def test_the_chain_runs_compiled_on_the_gpu_and_gives_the_eager_bits():
    x, w, s = _chain_inputs()
    assert "GPU:0" in x.device
    f = tf.function(_chain)
    cf = f.get_concrete_function(x, w, s)
    assert "tanh_kernel(" in cf.plan_source and "sin_kernel(" in cf.plan_source
    results, compiled, eager = _check_compiled(f, cf, (x, w, s))
    want = _chain(x, w, s)
    for out in results:
        for got, expected in zip(out, want):
            assert "GPU:0" in got.device
            _same(got.numpy(), expected.numpy())


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_training_step_runs_compiled_on_the_gpu_and_matches_eager(optimizer):
    init, x, y = _mlp_case()
    runs = []
    for traced in (False, True):
        params = [tf.Variable(p.astype(np.float32)) for p in init]
        step = _mlp_step(params, getattr(tf.keras.optimizers, optimizer)(0.1))
        if traced:
            step = tf.function(step)
            cf = step.get_concrete_function(x, y)
            assert "matmul_kernel(" in cf.plan_source and "relu_grad_kernel(" in cf.plan_source
            stepped_aside = _EagerCalls(cf)
        runs.append(([step(x, y) for _ in range(4)], params))
    assert stepped_aside.n == 0
    (eager_losses, eager_params), (losses_, params) = runs
    for got, want in zip(losses_ + params, eager_losses + eager_params):
        assert "GPU:0" in got.device
        _same(got.numpy(), want.numpy())


@pytest.mark.parametrize("program", _programs(), ids=lambda p: p.__name__)
def test_tape_programs_run_compiled_on_the_gpu_and_give_the_eager_gradients(program):
    x0, v0 = np.array([0.5, -1.25], np.float32), np.array([0.3, -0.7, 1.1], np.float32)
    x = tf.constant(x0)
    results = []
    for traced in (False, True):
        v = tf.Variable(v0[:3] if program.__name__ != "lists_and_zero" else v0[:2])
        f = tf.function(program) if traced else program
        if traced:
            cf = f.get_concrete_function(x, v)
            stepped_aside = _EagerCalls(cf)
        results.append([f(x, v) for _ in range(2)])
        if traced:
            assert stepped_aside.n == 0
            with fake_cupy.counting() as c:
                f(x, v)
            assert c.syncs == 0, c.sync_log
    for got_call, want_call in zip(*results):
        for got, want in zip(got_call, want_call):
            assert (got is None) == (want is None)
            if want is not None:
                assert "GPU:0" in got.device
                _same(got.numpy(), want.numpy())


def _linear_regression_step(w, b, lr=0.03):
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(lr * dw)
        b.assign_sub(lr * db)
        return loss
    return step


def test_a_linear_regression_step_runs_compiled_with_no_sync_per_call():
    rng = np.random.default_rng(3)
    x = tf.constant(rng.normal(size=(32, 2)).astype(np.float32))
    y = tf.constant(rng.normal(size=(32, 1)).astype(np.float32))
    runs = []
    for traced in (False, True):
        w, b = tf.Variable(np.full((2, 1), 0.1, np.float32)), tf.Variable(np.zeros(1, np.float32))
        step = _linear_regression_step(w, b)
        if traced:
            step = tf.function(step)
        runs.append([step(x, y) for _ in range(3)] + [w, b])
    for got, want in zip(*runs[::-1]):
        _same(got.numpy(), want.numpy())
    _check_compiled(step, step.get_concrete_function(x, y), (x, y))


def test_a_tape_around_the_call_runs_the_eager_plan_on_the_gpu():
    f = tf.function(lambda x: tf.sin(x) * x)
    x = tf.constant([0.3, 1.2])
    cf = f.get_concrete_function(x)
    stepped_aside = _EagerCalls(cf)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert stepped_aside.n == 1
    _same(tape.gradient(y, x).numpy(), (tf.cos(x) * x + tf.sin(x)).numpy())


def test_other_device_scopes_logging_and_inputs_elsewhere_run_the_eager_plan():
    f = tf.function(lambda x: tf.exp(x) + 1.0)
    x = tf.constant([1.0, 2.0])
    want = (tf.exp(x) + 1.0).numpy()
    cf = f.get_concrete_function(x)
    stepped_aside = _EagerCalls(cf)
    _same(f(x).numpy(), want)
    assert stepped_aside.n == 0
    with tf.device("/cpu:0"):
        y = f(x)
        on_host = tf.constant([1.0, 2.0])
    assert stepped_aside.n == 1 and "CPU:0" in y.device
    _same(y.numpy(), want)
    y = f(on_host)                       # an input on the host: its ops move it, as eagerly
    assert stepped_aside.n == 2 and "GPU:0" in y.device
    _same(y.numpy(), want)
    tf.debugging.set_log_device_placement(True)
    try:
        f(x)
    finally:
        tf.debugging.set_log_device_placement(False)
    assert stepped_aside.n == 3


def test_a_plan_compiled_under_a_cpu_scope_runs_compiled_there():
    f = tf.function(lambda x: tf.tanh(x) * 2.0)
    with tf.device("/cpu:0"):
        x = tf.constant([0.5, -1.5])
        cf = f.get_concrete_function(x)
        stepped_aside = _EagerCalls(cf)
        y = f(x)
        want = (tf.tanh(x) * 2.0).numpy()           # on the CPU too: a GPU's tanh may differ
    assert stepped_aside.n == 0 and "CPU:0" in y.device and "tanh_kernel(" in cf.plan_source
    _same(y.numpy(), want)
    z = f(x)                            # outside the scope: the default GPU, by the eager plan
    assert stepped_aside.n == 1 and "GPU:0" in z.device


def test_a_variable_on_the_gpu_meets_a_plan_compiled_under_a_cpu_scope():
    v = tf.Variable([1.5, -2.0])
    f = tf.function(lambda x: tf.exp(v.value() * x) + x)
    with tf.device("/cpu:0"):
        x = tf.constant([0.5, 0.25])
        cf = f.get_concrete_function(x)
        stepped_aside = _EagerCalls(cf)
        y, want = f(x), tf.exp(v * x) + x
    assert stepped_aside.n == 0 and "exp_kernel(" in cf.plan_source
    assert "CPU:0" in y.device and "CPU:0" in want.device
    _same(y.numpy(), want.numpy())


def test_a_kernel_marked_cpu_only_runs_as_its_op_on_the_gpu(monkeypatch):
    from d2l_core.ops import registry
    monkeypatch.setattr(registry.OPS["tanh"], "gpu_kernel", False)
    f = tf.function(lambda x: tf.tanh(x) * 2.0)
    x = tf.constant([0.5, -1.5])
    source = f.get_concrete_function(x).plan_source
    assert "tanh_kernel" not in source and "multiply_kernel(" in source
    _same(f(x).numpy(), (tf.tanh(x) * 2.0).numpy())


def test_a_keras_fit_step_takes_the_compiled_path_on_the_gpu():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype(np.float32)
    y = rng.integers(0, 3, 64).astype(np.int32)
    trained = {}
    for run_eagerly in (True, False):
        tf.keras.backend.clear_session()
        tf.random.set_seed(0)
        model = keras.Sequential([layers.Dense(16, activation="relu", input_shape=(6,)),
                                  layers.Dense(3)])
        model.compile(optimizer=keras.optimizers.Adam(0.01), metrics=["accuracy"],
                      loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                      run_eagerly=run_eagerly)
        history = model.fit(x, y, epochs=2, batch_size=32, verbose=0, shuffle=False)
        trained[run_eagerly] = history.history, model.get_weights()
        if not run_eagerly:
            (cf,) = {id(c): c for c in model.train_function.function._cache.values()}.values()
            assert "matmul_kernel(" in cf.plan_source and "relu_grad_kernel(" in cf.plan_source
            assert "sparse_softmax_cross_entropy_with_logits_kernel(" in cf.plan_source
            stepped_aside = _EagerCalls(cf)
            batch = (tf.constant(x[:32]), tf.constant(y[:32]))
            _, compiled = _counts(model.train_function, batch)
            assert stepped_aside.n == 0
            cf._run = cf._plan.eager_run
            _, eager = _counts(model.train_function, batch)
            # (the eager plan: 100 launches to 99 on the stand-in. Keras's eager step makes 96:
            # the traced gradient of the sparse cross-entropy recomputes the softmax (4
            # launches) that its eager rule takes from the forward pass)
            assert compiled.launches <= eager.launches and compiled.syncs <= eager.syncs
            # Nothing waits for the GPU: on a GPU the sparse cross-entropy gives NaN rows for
            # out-of-range labels instead of reading their range (as TF's GPU kernel does), and
            # the numbers the metrics add are made on the GPU once (issue 17)
            assert compiled.sync_log == [] and eager.sync_log == [], (compiled.sync_log,
                                                                      eager.sync_log)
    (h_eager, w_eager), (h_traced, w_traced) = trained[True], trained[False]
    for key in h_eager:
        np.testing.assert_allclose(h_traced[key], h_eager[key], rtol=1e-6, err_msg=key)
    for a, b in zip(w_eager, w_traced):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)
