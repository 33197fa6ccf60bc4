"""AutoGraph: Python ``if``/``while``/``for`` on tensors inside ``d2l.function`` (d2l_core/autograph.py).

Each form TensorFlow's guides use, traced and compared with the same Python
run eagerly (``f.python_function``) for inputs that take every branch; the
numbers marked "TensorFlow 2.21" are what the same code printed under
``import tensorflow as tf``. Then retracing, gradients through converted
control flow, the functions AutoGraph converts or leaves alone, and the
errors for what it cannot convert.
"""
import traceback

import numpy as np
import pytest

import d2l_core as tf
from d2l_core.errors import NotSupportedError, OperatorNotAllowedInGraphError


def same_as_eager(f, *args):
    """f traced equals f's Python run eagerly on the same arguments; returns the traced value."""
    traced = f(*args)
    eager = f.python_function(*args)
    np.testing.assert_allclose(np.asarray(traced), np.asarray(eager), rtol=1e-6)
    return np.asarray(traced)


def op_types(f, *args):
    return [n.type for n in f.get_concrete_function(*args).graph.nodes]


# ============================================================ if

def test_if_else_assigning_in_both_branches_is_a_cond():
    @tf.function
    def square_if_positive(x):
        if x > 0:
            x = x * x
        else:
            x = 0.0
        return x

    assert same_as_eager(square_if_positive, tf.constant(3.0)) == 9.0     # TensorFlow 2.21: 9.0
    assert same_as_eager(square_if_positive, tf.constant(-2.0)) == 0.0    # TensorFlow 2.21: 0.0
    assert square_if_positive.experimental_get_tracing_count() == 1
    assert "If" in op_types(square_if_positive, tf.constant(1.0))


@pytest.mark.parametrize("x", [1.5, 0.5, -2.0])
def test_elif_chains_and_gradients_through_them(x):
    @tf.function
    def piecewise(x):
        if x > 1.0:
            y = x * x * x
        elif x > 0.0:
            y = x * x
        else:
            y = -x
        return y

    v = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = piecewise(v)
    # TensorFlow 2.21: (3.375, 6.75), (0.25, 1.0), (2.0, -1.0)
    expected = {1.5: (3.375, 6.75), 0.5: (0.25, 1.0), -2.0: (2.0, -1.0)}[x]
    assert (y.numpy(), tape.gradient(y, v).numpy()) == pytest.approx(expected)
    assert same_as_eager(piecewise, tf.constant(x)) == pytest.approx(expected[0])


def test_an_if_without_else_keeps_the_value_from_before():
    @tf.function
    def clip(x, hi):
        if x > hi:      # noqa: PLR1730  (the if is what is tested)
            x = hi
        return x

    for x in (0.5, 3.0):
        assert same_as_eager(clip, tf.constant(x), tf.constant(1.0)) == min(x, 1.0)


def test_nested_ifs_and_temporaries_used_only_inside_a_branch():
    @tf.function
    def sign_and_size(x):
        if x > 0:
            tmp = x * 2.0
            if tmp > 10.0:
                y = tf.constant(2.0)
            else:
                y = tf.constant(1.0)
        else:
            y = tf.constant(-1.0)
        return y

    assert [same_as_eager(sign_and_size, tf.constant(v)) for v in (8.0, 1.0, -3.0)] == \
        [2.0, 1.0, -1.0]


def test_returning_from_inside_an_if_on_a_tensor():
    @tf.function
    def absolute(x):
        if x > 0:
            return x
        return -x

    @tf.function
    def bucket(x):
        if x < 0:
            return tf.constant(0)
        elif x < 10:
            return tf.constant(1)
        else:
            return tf.constant(2)

    @tf.function
    def doubled_unless_positive(x):
        if x < 0:
            y = -x
        else:
            return x
        return y * 2.0              # y is defined on every path that gets here

    assert [same_as_eager(absolute, tf.constant(v)) for v in (-3.0, 2.0)] == [3.0, 2.0]
    # TensorFlow 2.21: 6.0 2.0
    assert [same_as_eager(doubled_unless_positive, tf.constant(v)) for v in (-3.0, 2.0)] == \
        [6.0, 2.0]
    assert [same_as_eager(bucket, tf.constant(v)) for v in (-1.0, 5.0, 50.0)] == [0, 1, 2]


def test_and_or_not_on_tensors_and_on_python_values():
    @tf.function
    def inside(x, strict):
        if x > 0 and x < 10 or not x > -5:
            r = 1
        else:
            r = 0
        if strict and x == 0:         # a Python bool first: Python's short circuit
            r = 2
        return r

    for v in (5, 50, -50, -1):
        assert same_as_eager(inside, tf.constant(v), False) == \
            (1 if (0 < v < 10 or not v > -5) else 0)
    assert inside(tf.constant(0), True).numpy() == 2


def test_conditional_expressions_on_tensors():
    @tf.function
    def f(x):
        return x * 2.0 if x > 2.0 else -x

    assert [same_as_eager(f, tf.constant(v)) for v in (3.0, 1.0)] == [6.0, -1.0]


def test_a_variable_as_condition_or_iterable_is_read_on_every_call():
    flag = tf.Variable(True)
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        if flag:
            for e in v:
                x = x + e
        return x

    assert f(tf.constant(0.0)).numpy() == 3.0
    v.assign([5.0, 5.0])
    assert f(tf.constant(0.0)).numpy() == 10.0
    flag.assign(False)
    assert f(tf.constant(0.0)).numpy() == 0.0
    assert f.experimental_get_tracing_count() == 1


def test_python_control_flow_on_python_values_still_unrolls():
    @tf.function
    def power(x, n):
        y = tf.ones_like(x)
        for i in range(n):
            if i % 2 == 0:
                y = y * x
            else:
                y = y * x
        return y

    assert power(tf.constant(2.0), 5).numpy() == 32.0
    assert "While" not in op_types(power, tf.constant(2.0), 3)
    assert "If" not in op_types(power, tf.constant(2.0), 3)


# ============================================================ while and for

def test_while_on_a_reduction():
    @tf.function
    def shrink(x):
        while tf.reduce_sum(x) > 1:
            x = tf.tanh(x)
        return x

    np.testing.assert_allclose(same_as_eager(shrink, tf.constant([2.0, 3.0])),
                               [0.4683535695075989, 0.4715016484260559], rtol=1e-6)  # TF 2.21
    np.testing.assert_allclose(shrink(tf.fill([5], 0.1)).numpy(), [0.1] * 5)
    assert "While" in op_types(shrink, tf.constant([2.0, 3.0]))


def test_collatz_with_an_if_inside_a_while():
    @tf.function
    def collatz(n):
        steps = 0
        while n > 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps += 1
        return steps

    assert same_as_eager(collatz, tf.constant(27)) == 111      # TensorFlow 2.21: 111
    assert collatz(tf.constant(6)).numpy() == 8                # TensorFlow 2.21: 8
    assert collatz.experimental_get_tracing_count() == 1


def test_for_over_tf_range_accumulating_into_a_tensor():
    @tf.function
    def sum_of_squares(n):
        total = 0
        for i in tf.range(n):
            total += i * i
        return total

    assert [same_as_eager(sum_of_squares, tf.constant(n)) for n in (0, 1, 5)] == [0, 0, 30]
    assert sum_of_squares.experimental_get_tracing_count() == 1


def test_for_over_a_tensor_walks_its_first_axis():
    @tf.function
    def row_sums(m):
        acc = tf.zeros([2])
        for row in m:
            acc = acc + row
        return acc

    m = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(same_as_eager(row_sums, m), [9.0, 12.0])
    f = row_sums.get_concrete_function(tf.TensorSpec([None, 2]))     # unknown length
    np.testing.assert_allclose(f(m).numpy(), [9.0, 12.0])


def test_break_and_continue_in_tensor_loops():
    @tf.function
    def sum_even(items):
        s = 0
        for c in items:
            if c % 2 > 0:
                continue
            s += c
        return s

    @tf.function
    def squares_until(n):
        count = 0
        total = 0
        for i in tf.range(n):
            if i > 6:
                break
            total += i * i
            count += 1
        return total, count

    assert same_as_eager(sum_even, tf.constant([10, 12, 15, 20])) == 42      # TensorFlow 2.21
    assert [t.numpy() for t in squares_until(tf.constant(10))] == [91, 7]    # TensorFlow 2.21
    assert [t.numpy() for t in squares_until(tf.constant(3))] == [5, 3]      # TensorFlow 2.21


def test_while_with_break_and_else():
    @tf.function
    def first_above(x, limit):
        i = 0
        found = -1
        while i < tf.size(x):
            if x[i] > limit:
                found = i
                break
            i += 1
        else:
            found = -2
        return found

    x = tf.constant([1.0, 5.0, 9.0])
    assert [same_as_eager(first_above, x, tf.constant(v)) for v in (4.0, 0.0, 10.0)] == [1, 0, -2]


def test_a_loop_that_only_assigns_a_variable():
    v = tf.Variable(0)

    @tf.function
    def count_to(n):
        while v < n:
            v.assign_add(1)
        return v.read_value()

    assert count_to(tf.constant(4)).numpy() == 4
    assert count_to(tf.constant(6)).numpy() == 6
    assert v.numpy() == 6


# ============================================================ gradients

def test_gradients_through_if_and_while_around_and_inside_the_function():
    @tf.function
    def newton_sqrt(a):
        x = a
        i = 0
        while i < 5:
            x = 0.5 * (x + a / x)
            i += 1
        return x

    a = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        r = newton_sqrt(a)
    # TensorFlow 2.21: 1.4142135 0.35355338
    assert r.numpy() == pytest.approx(1.4142135)
    assert tape.gradient(r, a).numpy() == pytest.approx(0.35355338, rel=1e-5)

    @tf.function
    def grad_inside(x):
        with tf.GradientTape() as t:
            t.watch(x)
            if x > 0:
                y = x * x
            else:
                y = -x * x * x
        return t.gradient(y, x)

    assert grad_inside(tf.constant(3.0)).numpy() == 6.0
    assert grad_inside(tf.constant(-2.0)).numpy() == -12.0


# ============================================================ what is converted

def test_functions_called_from_the_traced_function_are_converted():
    def helper(x):
        if x > 0:
            return x * 10.0
        return x

    class Scaler:
        k = 3.0

        def apply(self, x):
            if x > 0:
                x = x * self.k
            return x

    @tf.function
    def outer(x):
        return helper(x) + Scaler().apply(x)

    assert [same_as_eager(outer, tf.constant(v)) for v in (2.0, -2.0)] == [26.0, -4.0]


def test_methods_and_nested_d2l_functions_are_converted():
    class Model(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(2.0)

        @tf.function
        def __call__(self, x):
            if x > 0:
                x = x * self.w
            return inner(x)

    @tf.function
    def inner(x):
        while tf.abs(x) < 100.0:
            x = x * 3.0
        return x

    m = Model()
    assert m(tf.constant(2.0)).numpy() == 108.0
    assert m(tf.constant(-1.0)).numpy() == -243.0


def test_super_in_a_converted_method():
    class Base:
        def scale(self, x):
            return x * 2.0

    class Child(Base):
        def scale(self, x):
            if x > 0:
                x = super().scale(x)
            return x

    @tf.function
    def f(x):
        return Child().scale(x)

    assert [f(tf.constant(v)).numpy() for v in (3.0, -3.0)] == [6.0, -3.0]


def test_closures_globals_and_defaults_are_the_originals():
    scale = [2.0]

    def make():
        offset = 1.0

        @tf.function
        def f(x, power=2):
            if x > 0:
                x = x ** power * scale[0] + offset
            return x
        return f

    f = make()
    assert f(tf.constant(3.0)).numpy() == 19.0
    scale[0] = 10.0                      # read when tracing: a new dtype traces again
    assert f(tf.constant(3.0, tf.float64)).numpy() == 91.0


def test_autograph_false_and_do_not_convert_leave_python_as_it_is():
    @tf.function(autograph=False)
    def plain(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(OperatorNotAllowedInGraphError, match="autograph=False"):
        plain(tf.constant(1.0))

    @tf.autograph.experimental.do_not_convert
    def untouched(x):
        if x > 0:
            return x
        return -x

    @tf.function
    def calls_it(x):
        return untouched(x)

    with pytest.raises(OperatorNotAllowedInGraphError, match=r"d2l.cond\(pred"):
        calls_it(tf.constant(1.0))
    assert tf.autograph.to_code(untouched) is None


def test_functions_without_source_trace_without_conversion():
    f = tf.function(eval("lambda x: x * 2.0 if True else x"))    # no source file
    assert f(tf.constant(2.0)).numpy() == 4.0
    assert tf.function(abs)(tf.constant(-2.0)).numpy() == 2.0
    assert tf.autograph.to_code(len) is None


def test_to_code_shows_the_converted_source():
    def f(x):
        while x > 0:
            x = x - 1
        return x

    code = tf.autograph.to_code(f)
    assert "ag__.while_stmt(loop_test_1, loop_body_1, get_state_1, set_state_1, ('x',)" in code
    assert tf.autograph.to_code(tf.function(f)) == code


def test_tracebacks_point_at_the_users_lines():
    @tf.function
    def f(x):
        if x > 0:
            y = x
        else:
            y = tf.reshape(x, [2, 2])     # this line fails while tracing
        return y

    with pytest.raises(Exception) as info:
        f(tf.constant(1.0))
    frames = [fr for fr in traceback.extract_tb(info.value.__traceback__)
              if fr.filename == __file__]
    assert frames[-1].line.strip().startswith("y = tf.reshape(x, [2, 2])")


# ============================================================ what cannot be converted

def test_a_variable_assigned_in_one_branch_and_used_after_is_an_error():
    @tf.function
    def f(x):
        if x > 0:
            y = x
            z = 1.0
        else:
            y = -x
        return y + z

    with pytest.raises(ValueError, match=r"'z' must also be initialized in the else branch .*"
                                         r"line \d+"):
        f(tf.constant(1.0))

    @tf.function
    def g(x):                           # z is used in its branch only: fine
        if x > 0:
            z = x * 2.0
            y = z
        else:
            y = -x
        return y

    assert same_as_eager(g, tf.constant(2.0)) == 4.0


def test_branches_giving_different_dtypes_is_an_error_naming_the_variable():
    @tf.function
    def f(x):
        if x > 0:
            y = x
        else:
            y = 0
        return y

    # TensorFlow 2.21: 'y' has dtype float32 in the main branch, but dtype int32 in the else branch
    with pytest.raises(TypeError, match="'y' has dtype float32 in the main branch, but dtype "
                                        "int32 in the else branch"):
        f(tf.constant(1.0))


def test_a_return_on_one_path_only_is_an_error():
    @tf.function
    def f(x):
        if x > 0:
            return x

    with pytest.raises(ValueError, match="else branch must also have a return statement"):
        f(tf.constant(1.0))


def test_a_return_inside_a_tensor_loop_is_not_supported_as_in_tensorflow():
    @tf.function
    def f(n):
        for i in tf.range(n):
            if i > 2:
                return i
        return -1

    with pytest.raises(NotSupportedError, match="`return` inside a loop on a tensor"):
        f(tf.constant(10))


def test_a_variable_first_assigned_inside_a_tensor_loop_and_used_after():
    @tf.function
    def f(n):
        while n > 0:
            y = n
            n -= 1
        return y

    with pytest.raises(ValueError, match="'y' must be defined before the loop"):
        f(tf.constant(3))


def test_a_python_list_appended_to_in_a_tensor_loop_is_an_error():
    @tf.function
    def f(n):
        out = []
        for i in tf.range(n):
            out.append(i)       # noqa: PERF402  (the append is what is tested)
        return out

    with pytest.raises(OperatorNotAllowedInGraphError, match="Python list 'out' is changed"):
        f(tf.constant(3))

    class Log:
        def __init__(self):
            self.items = []

        @tf.function
        def add(self, x):
            if x > 0:
                self.items.append(x)
            return x

    with pytest.raises(OperatorNotAllowedInGraphError, match="list 'self.items' is changed "
                                                             "inside an `if` on a tensor"):
        Log().add(tf.constant(1.0))

    @tf.function
    def g(x):                           # in a Python loop it unrolls: fine
        out = []
        for i in range(3):
            out.append(x * i)
        return tf.stack(out)

    np.testing.assert_allclose(g(tf.constant(2.0)).numpy(), [0.0, 2.0, 4.0])


def test_tensor_array_is_not_provided_and_says_what_to_use():
    with pytest.raises(NotSupportedError, match="tensor_scatter_nd_update"):
        tf.TensorArray(tf.float32, size=3)


def test_a_loop_variable_changing_shape_is_an_error_with_the_fix():
    @tf.function
    def grow(n):
        acc = tf.zeros([0])
        for i in tf.range(n):
            acc = tf.concat([acc, [tf.cast(i, tf.float32)]], 0)
        return acc

    # TensorFlow 2.21: 'acc' has shape (0,) before the loop, but shape (1,) after one iteration
    with pytest.raises(ValueError, match=r"'acc' has shape \(0,\) before the loop .*shape \(1,\) "
                                         "after one iteration.*tensor_scatter_nd_update"):
        grow(tf.constant(3))

    @tf.function
    def fill(n):
        acc = tf.zeros([4])
        for i in tf.range(n):
            acc = tf.tensor_scatter_nd_update(acc, [[i]], [tf.cast(i * i, tf.float32)])
        return acc

    np.testing.assert_allclose(fill(tf.constant(4)).numpy(), [0.0, 1.0, 4.0, 9.0])

    @tf.function
    def grow_relaxed(n):                # TensorFlow's way: say which shape may change
        acc = tf.zeros([0])
        for i in tf.range(n):
            tf.autograph.experimental.set_loop_options(
                shape_invariants=[(acc, tf.TensorShape([None]))])
            acc = tf.concat([acc, [tf.cast(i, tf.float32)]], 0)
        return acc

    np.testing.assert_allclose(grow_relaxed(tf.constant(3)).numpy(), [0.0, 1.0, 2.0])
    np.testing.assert_allclose(grow_relaxed(tf.constant(5)).numpy(), [0.0, 1.0, 2.0, 3.0, 4.0])


def test_try_around_tensor_control_flow_is_an_error():
    @tf.function
    def f(x):
        try:
            if x > 0:
                x = x + 1.0
        except ValueError:
            pass
        return x

    with pytest.raises(OperatorNotAllowedInGraphError, match=r"line \d+: .*inside a try "
                                                             "statement"):
        f(tf.constant(1.0))

    @tf.function
    def g(x, flag):                     # on a Python value, a try is fine
        try:
            if flag:
                x = x + 1.0
        except ValueError:
            pass
        return x

    assert g(tf.constant(1.0), True).numpy() == 2.0


def test_generators_keep_python_control_flow_and_refuse_tensors():
    def positives(xs):
        for x in xs:
            if x > 0:
                yield x

    @tf.function
    def f(xs):
        return sum(positives(xs))

    with pytest.raises(OperatorNotAllowedInGraphError, match=r"line \d+: .*inside a generator"):
        f(tf.constant([1.0, -2.0]))
    assert f([1.0, -2.0, 3.0]).numpy() == 4.0          # Python numbers: fine


def test_a_break_on_a_tensor_in_a_python_loop_is_an_error():
    @tf.function
    def f(x):
        for _ in range(3):
            if x > 5.0:
                break
            x = x * 2.0
        return x

    with pytest.raises(OperatorNotAllowedInGraphError, match=r"d2l.range\(n\)"):
        f(tf.constant(1.0))


def test_for_over_python_range_of_a_tensor_becomes_a_tensor_loop():
    @tf.function
    def total(n):
        s = tf.constant(0)
        for i in range(n):          # TensorFlow's AutoGraph turns this range into tf.range
            s += i
        return s

    assert int(total(tf.constant(5))) == 10
    assert int(total(tf.constant(7))) == 21
    assert total.experimental_get_tracing_count() == 1   # one graph serves every n

    @tf.function
    def unrolled(x):
        for _ in range(3):          # a Python bound: unrolled while tracing, as before
            x = x * 2.
        return x

    assert float(unrolled(tf.constant(1.))) == 8.
