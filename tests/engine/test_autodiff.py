"""GradientTape behaves as TensorFlow 2's: what it watches, what gradient() returns, and when.

Values are checked by hand-derived formulas; op-by-op gradients are checked
against finite differences in tests/properties/test_op_registry.py, from each
op's registry entry.
"""
import sys

import numpy as np
import pytest

import d2l_core as d2l
from d2l_core.errors import InvalidArgumentError




def value(t):
    return np.asarray(t.numpy()).tolist()


# ================================================================ what a tape watches

def test_trainable_variables_are_watched_when_read():
    x = d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        y = x * x
    assert value(tape.gradient(y, x)) == 6.0


def test_constants_need_watch_and_without_it_the_gradient_is_none():
    x = d2l.constant(3.0)
    with d2l.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert value(tape.gradient(y, x)) == 6.0


def test_watch_takes_nested_lists_and_tuples():
    a, b, c = d2l.constant(1.0), d2l.constant(2.0), d2l.constant(3.0)
    with d2l.GradientTape() as tape:
        tape.watch([a, (b, [c])])
        y = a * b * c
    assert [value(g) for g in tape.gradient(y, [a, b, c])] == [6.0, 3.0, 2.0]


def test_non_trainable_variables_are_not_watched():
    w = d2l.Variable(2.0, trainable=False)
    with d2l.GradientTape() as tape:
        y = w * w
    assert tape.gradient(y, w) is None
    with d2l.GradientTape() as tape:
        tape.watch(w)
        y = w * w
    assert value(tape.gradient(y, w)) == 4.0


def test_watch_accessed_variables_false_watches_only_what_you_watch():
    a, b = d2l.Variable(2.0), d2l.Variable(5.0)
    with d2l.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert value(ga) == 5.0 and gb is None


def test_watched_variables_lists_them_in_first_read_order():
    a, b, frozen = d2l.Variable(1.0), d2l.Variable(2.0), d2l.Variable(3.0, trainable=False)
    with d2l.GradientTape() as tape:
        y = b * a + frozen + b
    assert tape.watched_variables() == (b, a)
    tape.gradient(y, [a, b])
    assert tape.watched_variables() == (b, a)   # still answers after the tape is spent


def test_a_variable_assigned_later_does_not_change_what_was_recorded():
    x = d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        y = x * x
        x.assign(100.0)
    assert value(tape.gradient(y, x)) == 6.0


def test_variable_slices_send_their_gradient_to_the_variable():
    v = d2l.Variable([1.0, 2.0, 3.0, 4.0])
    with d2l.GradientTape() as tape:
        y = v[0] * v[2] + d2l.reduce_sum(v[1:3] * 10.0) + v[-1]
    assert value(tape.gradient(y, v)) == [3.0, 10.0, 11.0, 1.0]


def test_variable_matrix_slices():
    w = d2l.Variable(np.arange(6.0).reshape(2, 3))
    with d2l.GradientTape() as tape:
        y = d2l.reduce_sum(w[:, 1]) * 2.0 + w[1, 2]
    assert value(tape.gradient(y, w)) == [[0, 2, 0], [0, 2, 1]]


# ================================================================ what gradient() returns

def test_non_scalar_targets_are_summed():
    x = d2l.constant([1.0, 2.0, 3.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x                     # gradient of reduce_sum(y)
    assert value(tape.gradient(y, x)) == [2.0, 4.0, 6.0]


def test_a_list_of_targets_is_summed():
    x = d2l.constant(2.0)
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y1, y2 = x * x, x * 3.0
    assert value(tape.gradient([y1, y2], x)) == 7.0


def test_output_gradients_weight_each_target_element():
    x = d2l.constant([1.0, 2.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert value(tape.gradient(y, x, output_gradients=d2l.constant([10.0, 0.5]))) == [20.0, 2.0]


def test_sources_keep_their_structure():
    a, b, c = d2l.Variable(1.0), d2l.Variable(2.0), d2l.Variable(3.0)
    with d2l.GradientTape(persistent=True) as tape:
        y = a * b * c
    grads = tape.gradient(y, {"a": a, "rest": [b, (c,)]})
    assert set(grads) == {"a", "rest"}
    assert value(grads["a"]) == 6.0
    assert isinstance(grads["rest"], list) and isinstance(grads["rest"][1], tuple)
    assert value(grads["rest"][0]) == 3.0 and value(grads["rest"][1][0]) == 2.0
    assert isinstance(tape.gradient(y, (a, b)), tuple)
    assert isinstance(tape.gradient(y, [a]), list)
    assert isinstance(tape.gradient(y, a), d2l.Tensor)


def test_unconnected_sources_give_none_or_zeros():
    x, unused = d2l.Variable([1.0, 2.0]), d2l.Variable([[5.0]])
    with d2l.GradientTape(persistent=True) as tape:
        y = d2l.reduce_sum(x)
    assert tape.gradient(y, [x, unused])[1] is None
    for how in ("zero", d2l.UnconnectedGradients.ZERO):
        g = tape.gradient(y, unused, unconnected_gradients=how)
        assert g.shape == (1, 1) and g.dtype == d2l.float32 and value(g) == [[0.0]]
    with pytest.raises(ValueError, match="'none' or 'zero'"):
        tape.gradient(y, x, unconnected_gradients="zeros")


def test_gradient_with_respect_to_an_intermediate_result():
    x = d2l.constant(3.0)
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    dz_dy, dz_dx = tape.gradient(z, [y, x])
    assert value(dz_dy) == 18.0 and value(dz_dx) == 108.0


def test_a_source_listed_twice_gets_its_gradient_twice():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = x * x * x
    assert [value(g) for g in tape.gradient(y, [x, x])] == [12.0, 12.0]


def test_the_gradient_of_a_watched_tensor_with_respect_to_itself_is_one():
    x = d2l.constant([1.0, 2.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
    assert value(tape.gradient(x, x)) == [1.0, 1.0]


def test_gradients_have_the_source_dtype_and_shape():
    x = d2l.Variable(np.ones((2, 3)))                  # float64
    with d2l.GradientTape() as tape:
        y = d2l.reduce_mean(x * 2.0)
    g = tape.gradient(y, x)
    assert g.dtype == d2l.float64 and g.shape == (2, 3)
    np.testing.assert_allclose(g.numpy(), np.full((2, 3), 2 / 6))


# ================================================================ persistent or not

def test_a_plain_tape_answers_once():
    x = d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="A non-persistent GradientTape can only be used to "
                                           r"compute one set of gradients \(or jacobians\)"):
        tape.gradient(y, x)


def test_a_persistent_tape_answers_many_times():
    x = d2l.constant(3.0)
    with d2l.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    assert value(g.gradient(z, x)) == 108.0
    assert value(g.gradient(y, x)) == 6.0
    assert value(g.gradient(z, x)) == 108.0
    del g


def test_gradient_inside_the_context_works_and_stops_a_plain_tape(tf_log):
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = x * x
        g = tape.gradient(y, x)
        z = y * 3.0          # no longer recorded
    assert value(g) == 4.0 and value(z) == 12.0
    assert tf_log == []


def test_gradient_inside_a_persistent_tape_warns_as_tensorflow_does(tf_log):
    x = d2l.Variable(2.0)
    with d2l.GradientTape(persistent=True) as tape:
        y = x * x
        assert value(tape.gradient(y, x)) == 4.0
    assert any(m.startswith("Calling GradientTape.gradient on a persistent tape inside its "
                            "context is significantly less efficient") for m in tf_log)


def test_reset_forgets_what_was_recorded():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = x * x * x
        tape.reset()
        y = x * x
    assert value(tape.gradient(y, x)) == 4.0


def test_reset_makes_a_spent_tape_usable_again():
    x = d2l.Variable(2.0)
    tape = d2l.GradientTape()
    with tape:
        y = x * x
    tape.gradient(y, x)
    tape.reset()
    with tape:
        y = x * x * x
    assert value(tape.gradient(y, x)) == 12.0


def test_entering_a_spent_plain_tape_again_starts_a_fresh_record():
    x = d2l.Variable(2.0)
    tape = d2l.GradientTape()
    with tape:
        y = x * x
    assert value(tape.gradient(y, x)) == 4.0
    with tape:
        z = x * x * x
    assert value(tape.gradient(z, x)) == 12.0
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(z, x)


def test_a_persistent_tape_differentiates_its_own_gradients():
    x = d2l.Variable(2.0)
    with d2l.GradientTape(persistent=True) as tape:
        y = x ** 3
        g = tape.gradient(y, x)            # recorded, since the tape is still recording
        h = tape.gradient(g, x)
    assert (value(g), value(h), value(tape.gradient(h, x))) == (12.0, 12.0, 6.0)


def test_stop_recording_hides_computations_from_the_tape():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        a = x * x
        with tape.stop_recording():
            b = x * x
        y = a + b
    assert value(tape.gradient(y, x)) == 4.0
    with pytest.raises(ValueError, match="not recording"):
        with tape.stop_recording():
            pass


def test_stop_gradient_treats_its_result_as_a_constant():
    x = d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        y = x * d2l.stop_gradient(x * x)
    assert value(tape.gradient(y, x)) == 9.0
    with d2l.GradientTape() as tape:
        y = d2l.stop_gradient(x * x)
    assert tape.gradient(y, x) is None


def test_entering_a_recording_tape_again_is_an_error():
    tape = d2l.GradientTape()
    with tape:
        with pytest.raises(ValueError, match="already recording"):
            with tape:
                pass


def test_an_exception_inside_the_context_stops_recording():
    x = d2l.Variable(1.0)
    tape = d2l.GradientTape()
    with pytest.raises(ZeroDivisionError):
        with tape:
            1 / 0
    y = x * x                 # outside: nothing recorded
    assert tape.gradient(y, x) is None


# ================================================================ higher order

def test_nested_tapes_give_every_derivative_of_x_cubed():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as t1:
        with d2l.GradientTape() as t2:
            with d2l.GradientTape() as t3:
                y = x ** 3
            d1 = t3.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t1.gradient(d2, x)
    assert (value(d1), value(d2), value(d3)) == (12.0, 12.0, 6.0)   # 3x², 6x, 6


def test_second_derivative_of_a_vector_function_with_a_persistent_inner_tape():
    x = d2l.constant([0.5, 1.0])
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape(persistent=True) as inner:
            inner.watch(x)
            y = d2l.sin(x) * x
        g = inner.gradient(y, x)                   # cos(x)·x + sin(x)
    h = outer.gradient(g, x)                       # -sin(x)·x + 2cos(x)
    xs = np.array([0.5, 1.0])
    np.testing.assert_allclose(h.numpy(), -np.sin(xs) * xs + 2 * np.cos(xs), rtol=1e-6)


def test_hessian_vector_product_through_matmul():
    A = d2l.constant([[2.0, 1.0], [1.0, 3.0]])
    x = d2l.Variable([[1.0], [-1.0]])
    with d2l.GradientTape() as outer:
        with d2l.GradientTape() as inner:
            f = 0.5 * d2l.matmul(d2l.transpose(x), d2l.matmul(A, x))   # ½ xᵀAx
        g = inner.gradient(f, x)                                      # Ax
        gv = d2l.reduce_sum(g * d2l.constant([[1.0], [0.0]]))
    assert value(g) == [[1.0], [-2.0]]
    assert value(outer.gradient(gv, x)) == [[2.0], [1.0]]                # A·[1, 0]


# ================================================================ control flow and depth

def test_python_control_flow_differentiates_the_branch_taken():
    def f(x):
        out = d2l.constant(1.0)
        i = 0
        while i < 3:
            if float(x) > 0:
                out = out * x
            else:
                out = out - x
            i += 1
        for _ in range(2):
            out = out + x
        return out

    for start, expected in ((2.0, 3 * 2.0 ** 2 + 2), (-1.0, -3 + 2)):
        x = d2l.Variable(start)
        with d2l.GradientTape() as tape:
            y = f(x)
        assert value(tape.gradient(y, x)) == expected


def test_backprop_is_a_loop_not_recursion_on_a_100000_op_chain():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = x * 3.0
        for _ in range(100_000):          # the cheapest recorded op keeps this test quick
            y = d2l.identity(y)
    limit = sys.getrecursionlimit()
    assert value(tape.gradient(y, x)) == 3.0 and sys.getrecursionlimit() == limit


# ================================================================ jacobians

def test_jacobian_has_target_shape_then_source_shape():
    x = d2l.constant([1.0, 2.0, 3.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.reshape(x * x, (3, 1))
    j = tape.jacobian(y, x)
    assert j.shape == (3, 1, 3)
    np.testing.assert_array_equal(j.numpy()[:, 0, :], np.diag([2.0, 4.0, 6.0]))


def test_jacobian_of_a_matrix_product_and_unconnected_sources():
    W = d2l.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    unused = d2l.Variable(1.0)
    x = d2l.constant([[1.0], [1.0]])
    with d2l.GradientTape(persistent=True) as tape:
        y = d2l.matmul(W, x)
    jw, ju = tape.jacobian(y, [W, unused])
    assert jw.shape == (3, 1, 3, 2) and ju is None
    np.testing.assert_array_equal(jw.numpy()[1, 0], [[0, 0], [1, 1], [0, 0]])
    jz = tape.jacobian(y, unused, unconnected_gradients="zero")
    assert jz.shape == (3, 1) and value(jz) == [[0.0]] * 3


def test_a_plain_tape_answers_one_jacobian():
    x = d2l.constant([1.0, 2.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.jacobian(y, x)


def test_batch_jacobian_gives_one_jacobian_per_example():
    x = d2l.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    W = d2l.constant([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.matmul(x, W) ** 2                   # [3, 3]
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (3, 3, 2)
    xs, Ws = x.numpy(), W.numpy()
    for b in range(3):
        expected = 2 * (xs[b] @ Ws)[:, None] * Ws.T      # dy_i/dx_j = 2 (xW)_i W_ji
        np.testing.assert_allclose(bj.numpy()[b], expected)


def test_batch_jacobian_needs_matching_batch_sizes():
    x = d2l.constant([[1.0], [2.0]])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = d2l.reshape(x, (1, 2))
        s = d2l.reduce_sum(x)
    with pytest.raises(ValueError, match="batch size"):
        tape.batch_jacobian(y, x)
    with pytest.raises(ValueError, match=r"rank >= 1"):
        tape.batch_jacobian(s, x)
    with pytest.raises(TypeError, match="sources must be Tensors.*got list"):
        tape.batch_jacobian(y, [[1.0]][0])
    with pytest.raises(TypeError, match="jacobian: the target must be a Tensor, got float"):
        tape.jacobian(1.0, x)


# ================================================================ mistakes, explained

def test_watching_an_integer_tensor_warns_and_its_gradient_is_none(tf_log):
    x = d2l.constant(3)
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None
    assert any(m.startswith("The dtype of the watched tensor must be floating (e.g. tf.float32), "
                            "got tf.int32") for m in tf_log)
    assert any(m.startswith("The dtype of the target tensor must be floating (e.g. tf.float32) "
                            "when calling GradientTape.gradient, got tf.int32") for m in tf_log)
    assert any(m.startswith("The dtype of the source tensor must be floating (e.g. tf.float32) "
                            "when calling GradientTape.gradient, got tf.int32") for m in tf_log)


def test_an_integer_variable_gets_no_gradient_and_the_warning_says_why(tf_log):
    n = d2l.Variable(4)
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = x * d2l.cast(n, d2l.float32)
    gx, gn = tape.gradient(y, [x, n])
    assert value(gx) == 4.0 and gn is None
    assert any("source tensor must be floating" in m and "tf.int32" in m for m in tf_log)


def test_the_target_must_be_a_tensor():
    x = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = float(x) ** 2
    with pytest.raises(TypeError, match=r"target must be a Tensor.*got float 4\.0"):
        tape.gradient(y, x)


def test_sources_must_be_tensors_or_variables():
    x = d2l.Variable(2.0)
    with d2l.GradientTape(persistent=True) as tape:
        y = x * x
    with pytest.raises(TypeError, match=r"sources must be Tensors or Variables.*got float 2\.0"):
        tape.gradient(y, 2.0)
    with pytest.raises(TypeError, match=r"got ndarray"):
        tape.gradient(y, [x, np.ones(2)])


def test_watch_rejects_what_is_not_a_tensor():
    tape = d2l.GradientTape()
    with tape:
        with pytest.raises(TypeError, match=r"watch: expected a Tensor or Variable, got float "
                                            r"1\.5; convert it first with d2l\.constant"):
            tape.watch([d2l.constant(1.0), 1.5])
        with pytest.raises(TypeError, match="got ndarray"):
            tape.watch(np.ones(2))
        with pytest.raises(TypeError, match="got str"):
            tape.watch("x")


def test_output_gradients_must_match_the_targets():
    x = d2l.constant([1.0, 2.0])
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(ValueError, match=r"output_gradients shape \(3,\) must match the "
                                         r"target's shape \(2,\)"):
        tape.gradient(y, x, output_gradients=d2l.constant([1.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match="1 targets but 2 output_gradients"):
        tape.gradient(y, x, output_gradients=[d2l.constant(1.0), d2l.constant(1.0)])


def test_errors_subclass_both_tensorflow_and_python_names():
    assert issubclass(InvalidArgumentError, ValueError)


def test_records_and_watched_show_what_the_tape_holds():
    a, w = d2l.constant(2.0), d2l.Variable(3.0)
    with d2l.GradientTape() as tape:
        tape.watch(a)
        y = d2l.exp(a * w)
        first, second = d2l.unstack(d2l.stack([y, y]))
    records = tape.records()
    assert type(records) is tuple and all(len(r) == 3 for r in records)
    names = [name for name, _, _ in records]          # oldest first
    assert names[:3] == ["ReadVariableOp", "multiply", "exp"] and names[-1] == "unstack"
    name, inputs, output = records[2]
    assert inputs[0] is records[1][2] and output is y
    assert type(records[-1][2]) is tuple and records[-1][2][1] is second   # several outputs
    assert {id(t) for t in tape.watched()} == {id(a), id(w)}   # not y: the tape computed it
    tape.gradient(y, a)
    assert tape.records() == ()          # a non-persistent tape frees them in gradient()
