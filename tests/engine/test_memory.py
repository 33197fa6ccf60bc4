"""Tapes give their memory back: intermediates are freed after gradient(), loops do not grow.

Two measures, both deterministic: the number of live Tensor objects (counted
through the garbage collector, which tracks every Tensor) and the bytes NumPy
has allocated (NumPy reports its array buffers to ``tracemalloc``).
"""
import contextlib
import gc
import tracemalloc

import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import _recording

MB = 1 << 20


def live_tensors():
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, d2l.Tensor))


@contextlib.contextmanager
def tracing():
    """tracemalloc running inside the block; yields a function giving the bytes allocated now."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[0]
    finally:
        if not was_tracing:
            tracemalloc.stop()


@pytest.fixture
def traced():
    with tracing() as allocated:
        yield allocated


def big_graph(x):
    """Three 2 MB intermediates, only reachable through the tape once this returns."""
    y1 = d2l.exp(x)
    y2 = d2l.sin(y1)
    y3 = y2 * y2
    return d2l.reduce_sum(y3)


def test_counting_tensors_sees_new_tensors():
    before = live_tensors()
    keep = [d2l.constant(float(i)) for i in range(50)]
    assert live_tensors() - before >= 50
    del keep


def test_a_plain_tape_frees_its_intermediates_when_it_answers(traced):
    x = d2l.constant(np.linspace(0.0, 1.0, 250_000))          # float64: 2 MB
    with d2l.GradientTape() as tape:
        tape.watch(x)
        loss = big_graph(x)
    holding = traced()
    grad = tape.gradient(loss, x)                             # 2 MB result
    after = traced()
    assert grad.shape == (250_000,)
    # The three 2 MB intermediates went away while `tape` itself is still alive.
    assert holding - after > 3.5 * MB, (holding, after)
    del tape


def test_a_persistent_tape_keeps_intermediates_until_it_is_deleted(traced):
    x = d2l.constant(np.linspace(0.0, 1.0, 250_000))
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        loss = big_graph(x)
    g1 = tape.gradient(loss, x)
    holding = traced()
    g2 = tape.gradient(loss, x)                               # still answers
    np.testing.assert_array_equal(g1.numpy(), g2.numpy())
    del g2
    assert traced() - holding < 0.5 * MB
    del tape
    gc.collect()
    assert holding - traced() > 3.5 * MB


def test_a_thousand_training_steps_do_not_grow_memory():
    rng = np.random.default_rng(0)
    X = d2l.constant(rng.standard_normal((64, 8)).astype(np.float32))
    y = d2l.constant(rng.standard_normal((64, 1)).astype(np.float32))
    W = d2l.Variable(np.zeros((8, 1), np.float32))
    b = d2l.Variable(np.zeros((1,), np.float32))
    optimizers = [d2l.keras.optimizers.SGD(0.01, momentum=0.9), d2l.keras.optimizers.Adam(0.01)]

    def train(steps):
        for step in range(steps):
            with d2l.GradientTape() as tape:
                pred = d2l.nn.sigmoid(d2l.matmul(X, W) + b)
                loss = d2l.reduce_mean(d2l.square(pred - y))
            grads = tape.gradient(loss, [W, b])
            optimizers[step % 2].apply_gradients(zip(grads, [W, b]))
        return float(loss)

    train(50)                                  # warm up: optimizer slots, caches
    tensors = live_tensors()
    train(1000)
    assert live_tensors() - tensors <= 5
    assert _recording.active == []
    with tracing() as traced:                  # bytes too (tracing slows Python: fewer steps)
        train(10)
        gc.collect()
        allocated = traced()
        train(200)
        gc.collect()
        assert traced() - allocated < 64 * 1024


def test_nested_tapes_release_everything(traced):
    x = d2l.Variable(np.linspace(0.0, 1.0, 250_000))

    def second_derivative():
        with d2l.GradientTape() as outer:
            with d2l.GradientTape() as inner:
                loss = big_graph(x)
            g = inner.gradient(loss, x)
        return outer.gradient(g, x)

    second_derivative()
    gc.collect()
    tensors, allocated = live_tensors(), traced()
    for _ in range(5):
        h = second_derivative()
    del h
    gc.collect()
    assert live_tensors() - tensors <= 2
    assert traced() - allocated < 0.5 * MB
