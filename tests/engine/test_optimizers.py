"""Optimizers update Variables with Keras's formulas, worked out by hand below, step by step.

Each test feeds known gradients (or the gradient of w², which is 2w) and
compares every step with arithmetic written out in the test. Where TensorFlow
puts epsilon matters, so those tests use a large epsilon (0.01) that makes
the other placements visibly wrong.
"""
import math

import numpy as np
import pytest
from pytest import approx

import d2l_core as d2l
from d2l_core.errors import InvalidArgumentError

opt = d2l.keras.optimizers




def step(optimizer, w, g):
    """One apply_gradients with the given gradient; returns w as a float."""
    optimizer.apply_gradients([(d2l.constant(g), w)])
    return float(w)


def square_loss_step(optimizer, w):
    """One step on loss = w², whose gradient is 2w."""
    with d2l.GradientTape() as tape:
        loss = w * w
    optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    return float(w)


def test_both_namespaces_are_one_module():
    assert d2l.keras.optimizers is d2l.optimizers
    assert opt.get("adam").__class__ is opt.Adam and isinstance(opt.get("sgd"), opt.SGD)


# ================================================================ SGD

def test_sgd_plain():
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=0.1)
    # w ← w - lr·g with g = 2w
    assert square_loss_step(sgd, w) == approx(1.0 - 0.1 * 2.0)          # 0.8
    assert square_loss_step(sgd, w) == approx(0.8 - 0.1 * 1.6)          # 0.64
    assert square_loss_step(sgd, w) == approx(0.64 - 0.1 * 1.28)        # 0.512
    assert int(sgd.iterations) == 3


def test_sgd_momentum():
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=0.1, momentum=0.9)
    # v ← 0.9·v - 0.1·g;  w ← w + v
    # step 1: g = 2,    v = -0.2,                  w = 0.8
    assert square_loss_step(sgd, w) == approx(0.8)
    # step 2: g = 1.6,  v = 0.9·(-0.2) - 0.16 = -0.34,  w = 0.8 - 0.34 = 0.46
    assert square_loss_step(sgd, w) == approx(0.46)
    # step 3: g = 0.92, v = 0.9·(-0.34) - 0.092 = -0.398, w = 0.46 - 0.398 = 0.062
    assert square_loss_step(sgd, w) == approx(0.062, abs=1e-6)


def test_sgd_nesterov():
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    # v ← 0.9·v - 0.1·g;  w ← w + 0.9·v - 0.1·g
    # step 1: g = 2,      v = -0.2,    w = 1 - 0.18 - 0.2 = 0.62
    assert square_loss_step(sgd, w) == approx(0.62)
    # step 2: g = 1.24,   v = -0.18 - 0.124 = -0.304,  w = 0.62 - 0.2736 - 0.124 = 0.2224
    assert square_loss_step(sgd, w) == approx(0.2224)
    # step 3: g = 0.4448, v = -0.2736 - 0.04448 = -0.31808,
    #         w = 0.2224 - 0.286272 - 0.04448 = -0.108352
    assert square_loss_step(sgd, w) == approx(-0.108352, abs=1e-6)


def test_sgd_updates_keep_the_variable_object():
    w = d2l.Variable([1.0, 2.0])
    before = id(w)
    opt.SGD(0.5).apply_gradients(zip([d2l.constant([2.0, 2.0])], [w]))
    assert id(w) == before and w.numpy().tolist() == [0.0, 1.0]


# ================================================================ Adam

def test_adam_puts_epsilon_outside_the_root_with_bias_correction_in_the_step():
    w = d2l.Variable(0.5)
    adam = opt.Adam(learning_rate=0.1, beta_1=0.9, beta_2=0.999, epsilon=0.01)
    # m ← m + (g - m)(1 - β₁);  v ← v + (g² - v)(1 - β₂)
    # α = lr·√(1 - β₂ᵗ)/(1 - β₁ᵗ);  w ← w - α·m/(√v + ε)
    # step 1: g = 1: m = 0.1, v = 0.001, α = 0.1·√0.001/0.1 = 0.0316228
    #         w = 0.5 - 0.0316228·0.1/(0.0316228 + 0.01) = 0.4240253
    m, v = 0.1, 0.001
    alpha = 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)
    w1 = 0.5 - alpha * m / (math.sqrt(v) + 0.01)
    assert w1 == approx(0.4240253, abs=1e-7)
    assert step(adam, w, 1.0) == approx(w1, abs=1e-6)
    # (the paper's ε̂ placement, m̂/(√v̂ + ε) = 1/(1 + 0.01), would give 0.40099 instead)
    # step 2: g = -2: m = 0.1 + (-2.1)(0.1) = -0.11, v = 0.001 + (4 - 0.001)(0.001) = 0.004999
    #         α = 0.1·√(1 - 0.999²)/(1 - 0.9²) = 0.0235317
    m, v = -0.11, 0.004999
    alpha = 0.1 * math.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)
    w2 = w1 - alpha * m / (math.sqrt(v) + 0.01)
    assert w2 == approx(0.4560993, abs=1e-7)
    assert step(adam, w, -2.0) == approx(w2, abs=1e-6)
    # step 3: g = 0.5: m = -0.11 + (0.61)(0.1) = -0.049, v = 0.004999 + (0.25 - 0.004999)(0.001)
    m, v = -0.049, 0.004999 + (0.25 - 0.004999) * 0.001
    alpha = 0.1 * math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)
    w3 = w2 - alpha * m / (math.sqrt(v) + 0.01)
    assert w3 == approx(0.4681098, abs=1e-7)
    assert step(adam, w, 0.5) == approx(w3, abs=1e-6)


def test_adam_amsgrad_uses_the_largest_second_moment_so_far():
    w = d2l.Variable(0.5)
    adam = opt.Adam(learning_rate=0.1, epsilon=0.01, amsgrad=True)
    assert step(adam, w, 1.0) == approx(0.4240253, abs=1e-6)          # as plain Adam
    # step 2: g = 0: m = 0.09, v = 0.001·0.999 = 0.000999 < v̂ = max(0.001, 0.000999) = 0.001
    alpha = 0.1 * math.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)
    expected = 0.4240253 - alpha * 0.09 / (math.sqrt(0.001) + 0.01)
    assert expected == approx(0.3731433, abs=1e-6)
    assert step(adam, w, 0.0) == approx(expected, abs=1e-6)


def test_adam_default_hyperparameters_are_keras_ones():
    adam = opt.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999, 1e-7)


# ================================================================ RMSprop and Adagrad

def test_rmsprop_puts_epsilon_inside_the_root():
    w = d2l.Variable(0.5)
    rms = opt.RMSprop(learning_rate=0.1, rho=0.9, epsilon=0.01)
    # s ← ρs + (1 - ρ)g²;  w ← w - lr·g/√(s + ε)
    # step 1: g = 1:  s = 0.1,                 w = 0.5 - 0.1/√0.11 = 0.1984887
    assert step(rms, w, 1.0) == approx(0.5 - 0.1 / math.sqrt(0.11), abs=1e-6)
    # step 2: g = -2: s = 0.09 + 0.4 = 0.49,   w = 0.1984887 + 0.2/√0.5 = 0.4813314
    assert step(rms, w, -2.0) == approx(0.4813314, abs=1e-6)


def test_rmsprop_with_momentum():
    w = d2l.Variable(0.5)
    rms = opt.RMSprop(learning_rate=0.1, rho=0.9, momentum=0.5, epsilon=0.01)
    # increment = lr·g/√(s + ε);  μ ← 0.5·μ + increment;  w ← w - μ
    # step 1: increment = 0.1/√0.11 = 0.3015113, μ = 0.3015113, w = 0.1984887
    assert step(rms, w, 1.0) == approx(0.1984887, abs=1e-6)
    # step 2: increment = -0.2/√0.5 = -0.2828427, μ = 0.1507557 - 0.2828427 = -0.1320870
    #         w = 0.1984887 + 0.1320870 = 0.3305757
    assert step(rms, w, -2.0) == approx(0.3305757, abs=1e-6)


def test_rmsprop_centered_subtracts_the_mean_gradient_squared():
    w = d2l.Variable(0.5)
    rms = opt.RMSprop(learning_rate=0.1, rho=0.9, epsilon=0.01, centered=True)
    # a ← ρa + (1 - ρ)g;  w ← w - lr·g/√(s - a² + ε)
    # step 1: s = 0.1, a = 0.1:    w = 0.5 - 0.1/√(0.1 - 0.01 + 0.01) = 0.5 - 0.1/√0.1 = 0.1837722
    assert step(rms, w, 1.0) == approx(0.1837722, abs=1e-6)
    # step 2: s = 0.49, a = 0.09 - 0.2 = -0.11:  w = 0.1837722 + 0.2/√(0.49 - 0.0121 + 0.01)
    assert step(rms, w, -2.0) == approx(0.1837722 + 0.2 / math.sqrt(0.4879), abs=1e-6)


def test_adagrad():
    w = d2l.Variable(0.5)
    ada = opt.Adagrad(learning_rate=0.1, initial_accumulator_value=0.1, epsilon=0.01)
    # a ← a + g²;  w ← w - lr·g/√(a + ε)
    # step 1: a = 0.1 + 1 = 1.1:  w = 0.5 - 0.1/√1.11 = 0.4050842
    assert step(ada, w, 1.0) == approx(0.4050842, abs=1e-6)
    # step 2: a = 1.1 + 4 = 5.1:  w = 0.4050842 + 0.2/√5.11 = 0.4935590
    assert step(ada, w, -2.0) == approx(0.4935590, abs=1e-6)


def test_every_optimizer_keeps_separate_state_per_variable():
    for make in (lambda: opt.SGD(0.1, momentum=0.9), lambda: opt.Adam(0.1), opt.RMSprop,
                 opt.Adagrad):
        a, b = d2l.Variable(1.0), d2l.Variable(1.0)
        together = make()
        together.apply_gradients([(d2l.constant(1.0), a), (d2l.constant(-3.0), b)])
        together.apply_gradients([(d2l.constant(2.0), a), (d2l.constant(0.5), b)])
        alone_a, alone_b = d2l.Variable(1.0), d2l.Variable(1.0)
        oa, ob = make(), make()
        oa.apply_gradients([(d2l.constant(1.0), alone_a)])
        oa.apply_gradients([(d2l.constant(2.0), alone_a)])
        ob.apply_gradients([(d2l.constant(-3.0), alone_b)])
        ob.apply_gradients([(d2l.constant(0.5), alone_b)])
        assert (float(a), float(b)) == approx((float(alone_a), float(alone_b)))


# ================================================================ clipping and weight decay

def test_clipnorm_scales_each_gradient_to_at_most_that_norm():
    a, b = d2l.Variable([0.0, 0.0]), d2l.Variable([0.0, 0.0])
    sgd = opt.SGD(learning_rate=1.0, clipnorm=1.0)
    # a's gradient [3, 4] has norm 5: scaled by 1/5 to [0.6, 0.8].
    # b's gradient [0.3, 0.4] has norm 0.5 <= 1: unchanged. Each is clipped on its own.
    sgd.apply_gradients([(d2l.constant([3.0, 4.0]), a), (d2l.constant([0.3, 0.4]), b)])
    assert a.numpy().tolist() == approx([-0.6, -0.8])
    assert b.numpy().tolist() == approx([-0.3, -0.4])


def test_clipvalue_clips_each_element():
    w = d2l.Variable([0.0, 0.0, 0.0])
    sgd = opt.SGD(learning_rate=1.0, clipvalue=1.0)
    # g = [-3, 0.2, 5] clipped to [-1, 0.2, 1]; w = 0 - g
    sgd.apply_gradients([(d2l.constant([-3.0, 0.2, 5.0]), w)])
    assert w.numpy().tolist() == approx([1.0, -0.2, -1.0])


def test_global_clipnorm_scales_all_gradients_by_one_factor():
    a, b = d2l.Variable([1.0]), d2l.Variable(2.0)
    sgd = opt.SGD(learning_rate=0.1, global_clipnorm=2.5)
    # The global norm of g_a = [3] and g_b = 4 is √(9 + 16) = 5; the factor is
    # min(1, 2.5 / 5) = 0.5, so g_a = [1.5] and g_b = 2 (the direction is kept).
    # a = 1 - 0.1·1.5 = 0.85;  b = 2 - 0.1·2 = 1.8
    sgd.apply_gradients([(d2l.constant([3.0]), a), (d2l.constant(4.0), b)])
    assert a.numpy().tolist() == approx([0.85]) and float(b) == approx(1.8)
    # clipnorm=2.5 would clip each alone: g_a = [2.5], g_b = 2.5 (the direction changes)
    a2, b2 = d2l.Variable([1.0]), d2l.Variable(2.0)
    opt.SGD(learning_rate=0.1, clipnorm=2.5).apply_gradients(
        [(d2l.constant([3.0]), a2), (d2l.constant(4.0), b2)])
    assert a2.numpy().tolist() == approx([0.75]) and float(b2) == approx(1.75)
    # Under the limit (5 <= 10) nothing changes.
    c, d = d2l.Variable([1.0]), d2l.Variable(2.0)
    opt.SGD(learning_rate=0.1, global_clipnorm=10.0).apply_gradients(
        [(d2l.constant([3.0]), c), (d2l.constant(4.0), d)])
    assert c.numpy().tolist() == approx([0.7]) and float(d) == approx(1.6)


def test_global_clipnorm_ignores_variables_without_a_gradient(tf_log):
    a, unused = d2l.Variable([0.0, 0.0]), d2l.Variable(1.0, name="unused")
    opt.SGD(learning_rate=1.0, global_clipnorm=1.0).apply_gradients(
        [(d2l.constant([3.0, 4.0]), a), (None, unused)])
    assert a.numpy().tolist() == approx([-0.6, -0.8]) and float(unused) == 1.0


def test_only_one_kind_of_clipping_and_positive_limits():
    with pytest.raises(ValueError, match="only one of clipnorm, clipvalue and global_clipnorm"):
        opt.SGD(0.1, clipnorm=1.0, global_clipnorm=1.0)
    with pytest.raises(ValueError, match="only one of clipnorm, clipvalue and global_clipnorm"):
        opt.Adam(0.1, clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="global_clipnorm must be positive"):
        opt.SGD(0.1, global_clipnorm=0.0)


def test_weight_decay_shrinks_the_variable_before_the_sgd_update():
    w = d2l.Variable(2.0)
    sgd = opt.SGD(learning_rate=0.1, weight_decay=0.5)
    # w ← w - lr·wd·w, then w ← w - lr·g (decoupled: the gradient is not changed)
    # step 1: w = 2 - 0.1·0.5·2 = 1.9;      w = 1.9 - 0.1·1 = 1.8
    assert step(sgd, w, 1.0) == approx(1.8)
    # step 2: w = 1.8 - 0.05·1.8 = 1.71;    w = 1.71 - 0.1 = 1.61
    assert step(sgd, w, 1.0) == approx(1.61)


def test_weight_decay_with_momentum_leaves_the_velocity_alone():
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=0.1, momentum=0.9, weight_decay=1.0)
    # step 1: w = 1 - 0.1·1·1 = 0.9;   v = -0.1·1 = -0.1;            w = 0.9 - 0.1 = 0.8
    assert step(sgd, w, 1.0) == approx(0.8)
    # step 2: w = 0.8 - 0.08 = 0.72;   v = 0.9·(-0.1) - 0.1 = -0.19;  w = 0.72 - 0.19 = 0.53
    assert step(sgd, w, 1.0) == approx(0.53)


def test_weight_decay_with_adam_is_adamw():
    w = d2l.Variable(1.0)
    adam = opt.Adam(learning_rate=0.1, epsilon=0.01, weight_decay=0.1)
    # decay: w = 1 - 0.1·0.1·1 = 0.99
    # Adam, g = 3: m = 0.3, v = 0.001·9 = 0.009, α = 0.1·√0.001/0.1 = 0.0316228
    #              w = 0.99 - α·0.3/(√0.009 + 0.01)
    alpha = 0.1 * math.sqrt(1 - 0.999) / (1 - 0.9)
    expected = 0.99 - alpha * 0.3 / (math.sqrt(0.009) + 0.01)
    assert step(adam, w, 3.0) == approx(expected, abs=1e-6)        # 0.8995356
    assert expected == approx(0.8995356, abs=1e-6)


def test_weight_decay_uses_the_current_learning_rate_and_skips_missing_gradients(tf_log):
    schedule = opt.schedules.PiecewiseConstantDecay([0], [1.0, 0.5])     # 1.0 at step 0, then 0.5
    w, unused = d2l.Variable(1.0), d2l.Variable(1.0, name="unused")
    sgd = opt.SGD(learning_rate=schedule, weight_decay=0.1)
    # With g = 0 only the decay acts: w = 1 - 1.0·0.1·1 = 0.9, then 0.9 - 0.5·0.1·0.9 = 0.855
    sgd.apply_gradients([(d2l.constant(0.0), w), (None, unused)])
    sgd.apply_gradients([(d2l.constant(0.0), w), (None, unused)])
    assert float(w) == approx(0.855) and float(unused) == 1.0      # no gradient: not decayed


def test_clipping_and_weight_decay_appear_in_the_config():
    sgd = opt.SGD(0.1, weight_decay=0.01, global_clipnorm=1.0)
    config = sgd.get_config()
    assert config["weight_decay"] == 0.01 and config["global_clipnorm"] == 1.0
    again = opt.get({"class_name": "SGD", "config": config})
    assert again.weight_decay == 0.01 and again.global_clipnorm == 1.0


# ================================================================ learning rates

def test_exponential_decay_schedule_is_read_at_the_current_step():
    schedule = opt.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=schedule)
    # lr at steps 0, 1, 2: 0.1, 0.05, 0.025 (the step count before each update)
    assert step(sgd, w, 1.0) == approx(0.9)
    assert step(sgd, w, 1.0) == approx(0.85)
    assert step(sgd, w, 1.0) == approx(0.825)


def test_staircase_decay_changes_every_decay_steps():
    schedule = opt.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5, staircase=True)
    assert [schedule(s) for s in range(5)] == approx([0.1, 0.1, 0.05, 0.05, 0.025])
    assert d2l.keras.optimizers.schedules.ExponentialDecay is opt.ExponentialDecay


def test_learning_rate_may_be_a_zero_argument_callable_or_changed_later():
    w = d2l.Variable(1.0)
    sgd = opt.SGD(learning_rate=lambda: 0.25)
    assert step(sgd, w, 1.0) == approx(0.75)
    sgd.learning_rate = 0.5
    assert step(sgd, w, 1.0) == approx(0.25)


# ================================================================ the training loop

def test_apply_gradients_takes_any_iterable_of_pairs_and_counts_steps():
    a, b = d2l.Variable(1.0), d2l.Variable(2.0)
    sgd = opt.SGD(0.5)
    it = sgd.apply_gradients(zip([d2l.constant(1.0), d2l.constant(2.0)], [a, b]))
    assert int(it) == 1 and (float(a), float(b)) == (0.5, 1.0)
    sgd.apply_gradients(((g, v) for g, v in [(d2l.constant(1.0), a)]))
    sgd.apply_gradients([[np.float32(1.0), b]])                 # a NumPy gradient is converted
    assert int(sgd.iterations) == 3 and (float(a), float(b)) == (0.0, 0.5)


def test_none_gradients_are_skipped_with_a_warning_naming_the_variable(tf_log):
    used, unused = d2l.Variable(1.0, name="used"), d2l.Variable(5.0, name="unused")
    with d2l.GradientTape() as tape:
        loss = used * 2.0
    grads = tape.gradient(loss, [used, unused])
    opt.SGD(0.1).apply_gradients(zip(grads, [used, unused]))
    assert float(used) == approx(0.8) and float(unused) == 5.0
    assert any("Gradients do not exist for variables ['unused:0']" in m for m in tf_log)


def test_all_none_gradients_are_an_error():
    w = d2l.Variable(1.0, name="w")
    with pytest.raises(ValueError, match=r"No gradients provided for any variable: \['w:0'\]"):
        opt.Adam().apply_gradients([(None, w)])


def test_an_empty_list_of_pairs_changes_nothing():
    sgd = opt.SGD(0.1)
    sgd.apply_gradients([])
    assert int(sgd.iterations) == 0


def test_minimize_takes_a_loss_function_and_a_var_list():
    w = d2l.Variable(3.0)
    sgd = opt.SGD(0.25)
    sgd.minimize(lambda: w * w, var_list=[w])        # w - 0.25·2w
    assert float(w) == 1.5
    sgd.minimize(lambda: w * w, var_list=lambda: [w])
    assert float(w) == 0.75
    with pytest.raises(TypeError, match="zero-argument function"):
        sgd.minimize(w * w, [w])


def test_minimize_with_a_tape_that_recorded_the_loss():
    w = d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        loss = w * w
    opt.SGD(0.25).minimize(loss, [w], tape=tape)
    assert float(w) == 1.5


# ================================================================ mistakes, explained

def test_only_variables_can_be_updated():
    with pytest.raises(TypeError, match=r"can only update d2l\.Variable objects, got a Tensor"):
        opt.SGD(0.1).apply_gradients([(d2l.constant(1.0), d2l.constant(2.0))])


def test_pairs_must_be_pairs():
    with pytest.raises(TypeError, match=r"expected \(gradient, variable\) pairs.*zip\(grads, "
                                        r"variables\)"):
        opt.SGD(0.1).apply_gradients([d2l.Variable(1.0)])


def test_gradient_and_variable_shapes_must_match():
    w = d2l.Variable(np.zeros((2, 3), np.float32), name="kernel")
    with pytest.raises(InvalidArgumentError, match=r"gradient shape \(3, 2\) does not match "
                                                   r"variable 'kernel:0' shape \(2, 3\)"):
        opt.Adam().apply_gradients([(d2l.zeros((3, 2)), w)])


def test_gradient_and_variable_dtypes_must_match():
    w = d2l.Variable(np.zeros(2, np.float32), name="w")
    with pytest.raises(InvalidArgumentError, match="gradient dtype float64 does not match"):
        opt.SGD(0.1).apply_gradients([(d2l.constant(np.zeros(2)), w)])


def test_bad_hyperparameters_are_rejected():
    with pytest.raises(ValueError, match="momentum must be in"):
        opt.SGD(momentum=1.5)
    with pytest.raises(TypeError, match="unexpected arguments"):
        opt.Adam(betas=(0.9, 0.99))


def test_get_names_an_unknown_optimizer_in_a_config_dict():
    assert isinstance(opt.get({"class_name": "SGD", "config": {"learning_rate": 0.5}}), opt.SGD)
    with pytest.raises(ValueError, match="unknown optimizer 'nadam'"):
        opt.get({"class_name": "nadam"})
