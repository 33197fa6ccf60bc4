"""Gradients of compositions and Python sugar, and what finite differences can't see.

Every registered op's own gradient, first and second order, is checked
against finite differences in ``test_op_registry.py``, from the samples its
registry entry draws (``d2l_core/ops/registry.py``). Here: the same check for
expressions that go through more than one op or through Python's operators
(``x ** 2``, ``x @ y``, ``if`` on a tensor), the conventions finite
differences cannot measure (ties, kinks, bounds, dtypes, accumulation), ops
with several outputs, and ``check_gradients`` itself.

``check_gradients(..., order=2)`` checks the gradient, then the gradient of
(gradient · random direction) through nested tapes.
"""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import d2l_core as d2l
from d2l_core.test_util import check_gradients

# By default every run draws the same few examples per case (quick and repeatable);
# D2L_GRADIENT_EXAMPLES=200 searches harder, with fresh random examples each run.
_SEARCH = os.environ.get("D2L_GRADIENT_EXAMPLES")
SETTINGS = settings(max_examples=int(_SEARCH or 10), derandomize=not _SEARCH, deadline=None,
                    database=None)
CASES = {}


def case(name):
    def register(make):
        CASES[name] = make
        return make
    return register


def shapes(min_dims=0, max_dims=3, min_side=1, max_side=4):
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def uniform(rng, shape, lo=-2.0, hi=2.0):
    return rng.uniform(lo, hi, size=shape)


# ================================================================ compositions and Python sugar

@case("square_via_pow_int")
def _square_via_pow_int(draw, rng):
    return (lambda x: x ** 2), [uniform(rng, draw(shapes()))]


@case("cube_via_pow_float")
def _cube_via_pow_float(draw, rng):
    return (lambda x: d2l.pow(x, 3.0)), [uniform(rng, draw(shapes()))]


@case("python_control_flow")
def _python_control_flow(draw, rng):
    def f(x):
        return d2l.reduce_sum(x * x) if float(d2l.reduce_sum(x)) > 0 else d2l.reduce_sum(x ** 3)
    return f, [uniform(rng, draw(shapes()))]


@case("operators")
def _operators(draw, rng):
    (sx, sy), _ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    def f(x, y):
        return (x + y) * x - y / (x * x + 1.0) + 2.0 ** y
    return f, [uniform(rng, sx), uniform(rng, sy)]


@case("matmul_operator")
def _matmul_operator(draw, rng):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    return (lambda x, y: x @ y), [uniform(rng, (n, k)), uniform(rng, (k, m))]


@pytest.mark.parametrize("name", sorted(CASES))
@SETTINGS
@given(data=st.data(), seed=st.integers(0, 2 ** 32 - 1))
def test_gradient_matches_finite_differences(name, data, seed):
    f, args = CASES[name](data.draw, np.random.default_rng(seed))
    check_gradients(f, args, order=2, seed=seed)


# ================================================================ what finite differences can't see

def test_float_to_float_cast_passes_the_gradient_back_in_the_source_dtype():
    x = d2l.constant(np.array([1.5, -2.0]))                     # float64
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            y = d2l.reduce_sum(d2l.cast(x, d2l.float32) ** 3)   # float32 inside
        g = inner.gradient(y, x)
    gg = outer.gradient(g, x)
    assert g.dtype == d2l.float64 and gg.dtype == d2l.float64
    np.testing.assert_allclose(g.numpy(), 3 * x.numpy() ** 2, rtol=1e-6)
    np.testing.assert_allclose(gg.numpy(), 6 * x.numpy(), rtol=1e-6)


def test_cast_to_an_integer_cuts_the_gradient():
    x = d2l.constant([1.5, 2.5])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.cast(d2l.cast(x, d2l.int32), d2l.float32) * x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])


def test_reduce_max_splits_the_gradient_evenly_between_ties():
    x = d2l.constant([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_max(x, axis=1)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


def test_reduce_min_over_everything_splits_ties_too():
    x = d2l.constant([1.0, 5.0, 1.0, 1.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_min(x) * 6.0
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2, 0, 2, 2])


def test_maximum_and_minimum_give_ties_to_the_first_input():
    x, y = d2l.constant([1.0, 2.0]), d2l.constant([1.0, 0.0])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        hi, lo = d2l.maximum(x, y), d2l.minimum(x, y)
    assert tape.gradient(hi, [x, y])[0].numpy().tolist() == [1.0, 1.0]
    assert tape.gradient(hi, [x, y])[1].numpy().tolist() == [0.0, 0.0]
    assert tape.gradient(lo, [x, y])[0].numpy().tolist() == [1.0, 0.0]
    assert tape.gradient(lo, [x, y])[1].numpy().tolist() == [0.0, 1.0]


def test_abs_and_relu_have_zero_slope_at_zero_as_in_tensorflow():
    x = d2l.constant([0.0, -1.0, 2.0])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, r = d2l.abs(x), d2l.nn.relu(x)
    assert tape.gradient(a, x).numpy().tolist() == [0.0, -1.0, 1.0]
    assert tape.gradient(r, x).numpy().tolist() == [0.0, 0.0, 1.0]


def test_clip_by_value_passes_the_gradient_at_the_bounds():
    x = d2l.constant([-1.0, 0.0, 0.5, 1.0, 2.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.clip_by_value(x, 0.0, 1.0)
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_gather_with_repeated_indices_accumulates():
    x = d2l.constant([10.0, 20.0, 30.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.gather(x, [2, 0, 2, 2])
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 0.0, 3.0]


def test_broadcasting_gradients_are_summed_back_to_the_input_shape():
    a, b = d2l.constant(np.ones((3, 1))), d2l.constant(np.ones((4,)))
    with d2l.GradientTape() as tape:
        tape.watch([a, b])
        y = a * b * 2.0
    ga, gb = tape.gradient(y, [a, b])
    assert ga.shape == (3, 1) and gb.shape == (4,)
    assert ga.numpy().ravel().tolist() == [8.0] * 3 and gb.numpy().tolist() == [6.0] * 4


def test_slicing_scatters_the_gradient_back_into_zeros():
    x = d2l.constant(np.arange(12.0).reshape(3, 4))
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reduce_sum(x[1:, ::2] * 3.0) + x[0, -1]
    expected = np.zeros((3, 4))
    expected[1:, ::2] = 3.0
    expected[0, -1] = 1.0
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), expected)


# ================================================================ ops with several outputs

@pytest.mark.parametrize("name, pieces", [
    ("unstack", lambda x: d2l.unstack(x)),
    ("unstack", lambda x: list(x)),                    # iterating a tensor unstacks it
    ("unstack", lambda x: [row for row in x]),
    ("unstack", lambda x: d2l.unstack(x, axis=1)),
    ("split", lambda x: d2l.split(x, 50)),
    ("split", lambda x: d2l.split(x, [10, 0, -1])),
])
def test_unstack_split_and_iteration_record_one_op_for_all_pieces(name, pieces):
    # One record with every piece as an output, not one record per piece, whose
    # gradient would be a full-size tensor of zeros (n of them: O(n²) work).
    x = d2l.zeros((50, 3))
    with d2l.GradientTape() as tape:
        tape.watch(x)
        parts = pieces(x)
        y = d2l.add_n([d2l.reduce_sum(p) for p in parts])
    (op, inputs, output), = [r for r in tape.records() if r[0] == name]
    assert inputs[0] is x and len(output) == len(parts)    # every piece is an output
    assert all(out is part for out, part in zip(output, parts))
    assert [op for op, inputs, output in tape.records()].count(name) == 1
    assert tape.gradient(y, x).numpy().tolist() == np.ones((50, 3)).tolist()


def test_pieces_that_get_no_gradient_give_zeros():
    x = d2l.constant(np.arange(12.0).reshape(4, 3))
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        rows = list(x)
        y = rows[1] * 2.0 + rows[3]
        first, rest = d2l.split(x, [1, 3], axis=0)
        z = d2l.reduce_sum(first * first)
    expected = np.zeros((4, 3))
    expected[1], expected[3] = 2.0, 1.0
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), expected)
    expected = np.zeros((4, 3))
    expected[0] = 2 * np.arange(3.0)
    np.testing.assert_array_equal(tape.gradient(z, x).numpy(), expected)
    # A piece may itself be a source; unused pieces and x still get theirs.
    ga, gx = tape.gradient(y, [rows[1], x])
    assert ga.numpy().tolist() == [2.0, 2.0, 2.0] and gx.shape == (4, 3)
    assert tape.gradient(y, rows[0]) is None


def test_second_derivative_through_iteration_and_split():
    x = d2l.constant([[0.5, -1.0], [2.0, 1.5]])
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            a, b = d2l.split(x, 2, axis=1)
            y = d2l.add_n([d2l.reduce_sum(row ** 3) for row in x]) + d2l.reduce_sum(a * b)
        g = inner.gradient(y, x)                # 3x² + (b, a)
    gg = outer.gradient(g, x)                   # 6x + (1, 1)
    v = x.numpy()
    np.testing.assert_allclose(g.numpy(), 3 * v ** 2 + v[:, ::-1], rtol=1e-6)
    np.testing.assert_allclose(gg.numpy(), 6 * v + 1, rtol=1e-6)


def test_jacobian_through_unstack():
    x = d2l.constant([1.0, 2.0, 3.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        a, b, c = d2l.unstack(x)
        y = d2l.stack([a * b, c])
    np.testing.assert_array_equal(tape.jacobian(y, x).numpy(), [[2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


# ================================================================ the checker itself

def _custom_op(forward, backward):
    """An op whose backward is ``backward(dy, x)``, recorded like the engine's own ops
    (an unregistered OpDef, so the registry's coverage tests do not see it)."""
    from d2l_core import _recording
    from d2l_core.ops import _op
    from d2l_core.ops.registry import OpDef

    entry = OpDef("custom", None, "Custom", (), grad=lambda dy, inputs, y, attrs: (
        backward(dy, inputs[0]),))

    def op(x):
        x = _op.as_tensor(x)
        y = _op.wrap(forward(x.numpy()))
        if _op.tapes:
            _recording.record(entry, (x,), y)
        return y
    return op


def test_check_gradients_passes_correct_functions_up_to_third_order():
    check_gradients(lambda x, y: d2l.sin(x) * y + d2l.exp(x * y), [np.array([0.3, -0.7]), 1.5],
                    order=3)


def test_check_gradients_names_the_argument_and_the_worst_element():
    wrong = _custom_op(np.sin, lambda dy, x: dy * d2l.cos(x) * d2l.constant(np.array([1.0, 1.0,
                                                                                    3.0])))
    with pytest.raises(AssertionError) as info:
        check_gradients(lambda a, b: wrong(b) * a, [2.0, np.array([0.1, 0.2, 0.3])])
    message = str(info.value)
    assert "order 1" in message and "argument 'b' (position 1, shape (3,))" in message
    assert "Worst element: b[2]" in message
    assert "analytic (from the tape)" in message and "numeric (finite differences)" in message
    assert "relative error" in message and "Hint:" in message


def test_check_gradients_scalar_outputs_report_plain_derivatives():
    def half(x):
        return d2l.reduce_sum(x * d2l.stop_gradient(x))     # the tape sees x·c: gradient c
    with pytest.raises(AssertionError) as info:
        check_gradients(half, [np.array([1.0, 3.0])])
    message = str(info.value)
    assert "analytic (from the tape):     3\n" in message
    assert "numeric (finite differences): 6" in message
    assert "factor of 2" in message


def test_check_gradients_catches_a_backward_pass_written_in_numpy_at_order_2_only():
    numpy_backward = _custom_op(np.sin, lambda dy, x: d2l.constant(np.cos(x.numpy())) * dy)
    x = np.array([0.3, 1.1])
    check_gradients(numpy_backward, [x], order=1)
    with pytest.raises(AssertionError) as info:
        check_gradients(numpy_backward, [x], order=2)
    assert "order 2" in str(info.value) and "NumPy or .numpy()" in str(info.value)


def test_check_gradients_says_when_the_tape_found_no_path():
    with pytest.raises(AssertionError, match=r"no path from this argument"):
        check_gradients(lambda x: d2l.constant(np.sin(x.numpy())), [np.array([0.5])])


def test_check_gradients_explains_points_outside_the_domain():
    with pytest.raises(AssertionError, match="not finite"):
        check_gradients(d2l.sqrt, [np.array([0.0, 1.0])])


def test_check_gradients_passes_integer_arguments_through_and_honours_wrt():
    labels = d2l.constant([0, 2])
    check_gradients(lambda logits, z: d2l.nn.sparse_softmax_cross_entropy_with_logits(z, logits),
                    [np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5]]), labels])
    broken_in_b = _custom_op(np.sin, lambda dy, x: dy)
    check_gradients(lambda a, b: a * 3.0 + broken_in_b(b), [1.0, 0.5], wrt=[0])
    with pytest.raises(ValueError, match="not a floating-point argument"):
        check_gradients(lambda a, z: a * 2.0, [1.0, labels], wrt=1)


def test_check_gradients_notices_a_function_that_is_not_deterministic():
    rng = np.random.default_rng(0)
    with pytest.raises(AssertionError, match="different results at the same point"):
        check_gradients(lambda x: x * d2l.constant(rng.uniform(size=2)), [np.array([1.0, 2.0])])


def test_check_gradients_needs_float64_tensor_outputs():
    with pytest.raises(TypeError, match="returned a float32 tensor"):
        check_gradients(lambda x: d2l.cast(x, d2l.float32), [np.array([1.0])])
    with pytest.raises(TypeError, match="must return a d2l Tensor"):
        check_gradients(lambda x: 3.0, [np.array([1.0])])
    with pytest.raises(ValueError, match="no floating-point argument"):
        check_gradients(lambda n: n, [3])


def test_sigmoid_cross_entropy_gradient_at_zero_logits_is_sigma_minus_label():
    # Zero logits are where logistic regression starts; max(x, 0) and |x| have kinks
    # there, so the formula must be written so that dL/dx = σ(x) - z exactly.
    x = d2l.constant([0.0, 0.0, 1.0])
    z = d2l.constant([1.0, 0.0, 1.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        loss = d2l.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    expected = 1 / (1 + np.exp(-x.numpy())) - z.numpy()
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), expected, rtol=1e-6)
