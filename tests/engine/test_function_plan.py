"""``d2l.function``'s compiled plan: backward passes built while tracing, raw kernels.

A tape inside a traced function records symbolically, so ``tape.gradient``
adds the backward pass to the graph while tracing (no tape when the plan
runs); the plan then calls each op's raw kernel on arrays. These tests
check that this fast path is taken where it should be, that it gives the
eager results to the bit, and that it steps aside (a real tape when the plan
runs, the eager plan when a tape records the call) where it cannot.
"""
import numpy as np
import pytest

import d2l_core as tf
from d2l_core.ops import registry


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True), (got, want)


def _no_tape_at_run_time(source):
    return "tape_start" not in source and "tape_gradient" not in source


def _chain(x, w, s):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(3):
            y = tf.sin(tf.tanh(y * w + s))
            y = y * y
        loss = tf.reduce_sum(y)
    return loss, tape.gradient(loss, x)


def test_a_tape_inside_becomes_part_of_the_graph_and_the_plan_calls_kernels():
    rng = np.random.default_rng(0)
    x, w, s = (tf.constant(rng.uniform(-1, 1, 16).astype(np.float32)) for _ in range(3))
    f = tf.function(_chain)
    cf = f.get_concrete_function(x, w, s)
    assert _no_tape_at_run_time(cf.plan_source)
    assert "tanh_kernel(" in cf.plan_source and "sin_kernel(" in cf.plan_source
    assert "cos" in cf.eager_plan_source          # the gradient of sin, traced as nodes
    want = _chain(x, w, s)
    for _ in range(2):
        for got, expected in zip(f(x, w, s), want):
            _same(got.numpy(), expected.numpy())


def test_nested_tapes_inside_give_the_eager_second_derivatives_with_no_tape_at_run_time():
    def second(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.sin(x) * x * x
            dy = inner.gradient(y, x)
        return dy, outer.gradient(dy, x)

    x = tf.constant(np.linspace(-2, 2, 7, dtype=np.float32))
    f = tf.function(second)
    assert _no_tape_at_run_time(f.get_concrete_function(x).plan_source)
    for got, want in zip(f(x), second(x)):
        _same(got.numpy(), want.numpy())


def test_the_second_derivative_of_x_cubed_is_simplified_to_additions():
    def second(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x * x
            dy = inner.gradient(y, x)
        return outer.gradient(dy, x)

    x = tf.constant([-1.5, 0.5, 2.0])
    f = tf.function(second)
    source = f.get_concrete_function(x).plan_source
    assert "ones_like" not in source and "multiply" not in source    # x * 1 is x
    _same(f(x).numpy(), second(x).numpy())
    _same(f(x).numpy(), 6 * x.numpy())


def _mlp_step(params, opt):
    def step(x, y):
        w1, b1, w2, b2 = params
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.matmul(x, w1) + b1)
            logits = tf.matmul(h, w2) + b2
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
        return loss
    return step


def _mlp_case():
    """A small MLP's initial weights and one batch (x, y) for ``_mlp_step``."""
    rng = np.random.default_rng(1)
    init = [rng.normal(0, 0.3, (6, 5)), np.zeros(5), rng.normal(0, 0.3, (5, 3)), np.zeros(3)]
    x = tf.constant(rng.normal(size=(8, 6)).astype(np.float32))
    y = tf.constant(rng.integers(0, 3, 8).astype(np.int32))
    return init, x, y


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_training_step_runs_kernels_and_matches_eager_to_the_bit(optimizer):
    init, x, y = _mlp_case()
    runs = []
    for traced in (False, True):
        params = [tf.Variable(p.astype(np.float32)) for p in init]
        step = _mlp_step(params, getattr(tf.keras.optimizers, optimizer)(0.1))
        if traced:
            step = tf.function(step)
            source = step.get_concrete_function(x, y).plan_source
            assert _no_tape_at_run_time(source) and "matmul_kernel(" in source
            assert "relu_grad_kernel(" in source
        runs.append(([step(x, y).numpy() for _ in range(4)], [p.numpy() for p in params]))
    (eager_losses, eager_params), (losses, params) = runs
    for got, want in zip(losses + params, eager_losses + eager_params):
        _same(got, want)


def test_variables_read_and_assigned_inside_stay_correct():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v * x)
        g = tape.gradient(y, v)
        v.assign_sub(0.5 * g)
        return v * 1.0, g

    assert _no_tape_at_run_time(f.get_concrete_function(tf.constant([1.0, 3.0])).plan_source)
    out, g = f(tf.constant([1.0, 3.0]))
    _same(g.numpy(), np.array([1.0, 3.0], np.float32))
    _same(out.numpy(), np.array([0.5, 0.5], np.float32))
    out, _ = f(tf.constant([1.0, 3.0]))
    _same(v.numpy(), np.array([0.0, -1.0], np.float32))


def test_unknown_shapes_fall_back_to_a_tape_at_run_time():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.exp(x) * x)
        return tape.gradient(y, x)

    x = tf.constant([0.5, -1.0, 2.0])
    assert "tape_gradient" in f.get_concrete_function().plan_source
    want = tf.exp(x) * x + tf.exp(x)
    np.testing.assert_allclose(f(x).numpy(), want.numpy(), rtol=1e-6)


def test_a_gradient_rule_that_needs_values_runs_as_a_node_with_the_attrs_of_each_call():
    def f(x, i):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.gather(x, i) ** 2)
        return tape.gradient(y, x)

    x, i = tf.constant([1.0, 2.0, 3.0]), tf.constant([2, 0, 2])
    traced = tf.function(f)
    source = traced.get_concrete_function(x, i).plan_source
    assert _no_tape_at_run_time(source) and "GradGatherV2" in source
    _same(traced(x, i).numpy(), f(x, i).numpy())
    _same(traced(x, tf.constant([1, 1, 1])).numpy(), f(x, tf.constant([1, 1, 1])).numpy())


def test_max_pool_and_nested_tapes_through_a_run_time_gradient_match_eager():
    def pool(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.nn.max_pool2d(x * x, 2, 2, "VALID"))
        return tape.gradient(y, x)

    def nested(x, i):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.gather(x, i) ** 3)
            dy = inner.gradient(y, x)
        return dy, outer.gradient(dy, x)

    rng = np.random.default_rng(2)
    x = tf.constant(rng.normal(size=(1, 4, 4, 2)).astype(np.float32))
    _same(tf.function(pool)(x).numpy(), pool(x).numpy())
    x, i = tf.constant([1.0, -2.0, 0.5]), tf.constant([2, 0, 2])
    for got, want in zip(tf.function(nested)(x, i), nested(x, i)):
        _same(got.numpy(), want.numpy())


def test_a_tape_around_the_call_runs_the_eager_plan_to_any_order():
    f = tf.function(lambda x: tf.sin(x) * x)
    x = tf.constant([0.3, 1.2])
    assert "sin_kernel(" in f.get_concrete_function(x).plan_source
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        dy = t1.gradient(y, x)
    d2y = t2.gradient(dy, x)
    with tf.GradientTape() as e2:
        e2.watch(x)
        with tf.GradientTape() as e1:
            e1.watch(x)
            ye = tf.sin(x) * x
        dye = e1.gradient(ye, x)
    _same(dy.numpy(), dye.numpy())
    _same(d2y.numpy(), e2.gradient(dye, x).numpy())


def test_a_device_scope_around_the_call_runs_the_eager_plan():
    f = tf.function(lambda x: tf.exp(x) + 1.0)
    x = tf.constant([1.0, 2.0])
    with tf.device("/cpu:0"):
        _same(f(x).numpy(), (tf.exp(x) + 1.0).numpy())
    _same(f(x).numpy(), (tf.exp(x) + 1.0).numpy())


def test_a_kernel_that_disagrees_with_its_op_is_not_used(monkeypatch):
    monkeypatch.setattr(registry.OPS["sin"], "kernel", np.cos)
    f = tf.function(lambda x: tf.sin(x) * 2.0)
    x = tf.constant([0.1, 0.7])
    source = f.get_concrete_function(x).plan_source
    assert "sin_kernel" not in source and "sin(" in source and "multiply_kernel(" in source
    _same(f(x).numpy(), (tf.sin(x) * 2.0).numpy())


def test_a_non_persistent_tape_used_twice_inside_fails_while_tracing():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        tape.gradient(y, x)
        return tape.gradient(y, x)

    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        f(tf.constant(1.0))


def test_a_persistent_tape_gives_several_gradients_from_one_record():
    def f(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x
            z = tf.exp(y)
        return tape.gradient(z, x), tape.gradient(y, x)

    x = tf.constant([0.5, 1.5])
    traced = tf.function(f)
    assert _no_tape_at_run_time(traced.get_concrete_function(x).plan_source)
    for got, want in zip(traced(x), f(x)):
        _same(got.numpy(), want.numpy())


def _programs():
    """Small training-step shapes of tape use: each ``f(x, v) -> list of tensors or None``."""
    def lists_and_zero(x, v):
        with tf.GradientTape() as tape:
            y = [tf.reduce_sum(v * x), tf.reduce_mean(tf.exp(x))]
        return tape.gradient(y, [v, x], unconnected_gradients="zero")

    def unwatched_variables(x, v):
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(x)
            y = tf.reduce_sum(v * x[:, None] * x[:, None])
        return tape.gradient(y, [x, v])

    def two_reads_and_broadcasting(x, v):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.tanh(v + x[:, None]) * v)    # v: (3,), x: (2,) -> (2, 3)
        return tape.gradient(y, [v])

    def gradient_inside_the_with_block(x, v):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.sigmoid(x[:, None] * v))
            g = tape.gradient(y, v)
            z = g * 2.0          # after gradient() the tape no longer records
        return [g, z]

    def a_composite_op(x, v):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.math.squared_difference(x[:, None] * v, 1.0))
        return tape.gradient(y, [v])

    def a_dict_of_sources(x, v):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.nn.softmax(x) * tf.reduce_sum(v))
        return list(tape.gradient(y, {"x": x, "v": v}).values())

    return [lists_and_zero, unwatched_variables, two_reads_and_broadcasting,
            gradient_inside_the_with_block, a_composite_op, a_dict_of_sources]


@pytest.mark.parametrize("program", _programs(), ids=lambda p: p.__name__)
def test_tape_programs_give_the_eager_gradients_when_traced(program):
    x0, v0 = np.array([0.5, -1.25], np.float32), np.array([0.3, -0.7, 1.1], np.float32)
    x = tf.constant(x0)
    results = []
    for traced in (False, True):
        v = tf.Variable(v0[:3] if program.__name__ != "lists_and_zero" else v0[:2])
        f = tf.function(program) if traced else program
        results.append([f(x, v) for _ in range(2)])
        if traced:
            assert _no_tape_at_run_time(f.get_concrete_function(x, v).plan_source)
    for got_call, want_call in zip(*results):
        assert len(got_call) == len(want_call)
        for got, want in zip(got_call, want_call):
            assert (got is None) == (want is None)
            if want is not None:
                _same(got.numpy(), want.numpy())


def test_a_tape_around_a_call_differentiates_the_backward_pass_built_inside():
    @tf.function
    def first_derivative(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.sin(x) * x * x
        return tape.gradient(y, x)

    x = tf.constant([0.4, -1.3])
    assert _no_tape_at_run_time(first_derivative.get_concrete_function(x).plan_source)
    with tf.GradientTape() as outer:
        outer.watch(x)
        dy = first_derivative(x)
    with tf.GradientTape() as e2:
        e2.watch(x)
        with tf.GradientTape() as e1:
            e1.watch(x)
            ye = tf.sin(x) * x * x
        dye = e1.gradient(ye, x)
    _same(dy.numpy(), dye.numpy())
    _same(outer.gradient(dy, x).numpy(), e2.gradient(dye, x).numpy())
