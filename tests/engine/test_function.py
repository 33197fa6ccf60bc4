"""``d2l.function``: TensorFlow's tracing and retracing, side effects, Variables and tapes.

Most tests are the examples of TensorFlow's guide "Better performance with
tf.function" (site/en/guide/function.ipynb), with the outputs TensorFlow 2.21
prints for them; the rest pin down the compiled plan and the errors that
say what to do where AutoGraph is switched off (autograph=False).
"""
import sys

import numpy as np
import pytest

import d2l_core as tf
from d2l_core.errors import OperatorNotAllowedInGraphError


def lines(text):
    return [line for line in text.splitlines() if line]


# ============================================================ tracing and retracing

def test_a_trace_per_dtype_and_shape_and_none_for_a_signature_seen_before(capsys):
    @tf.function
    def double(a):
        print("Tracing with", a)
        return a + a

    assert double(tf.constant(1)).numpy() == 2
    assert double(tf.constant(1.1)).numpy() == pytest.approx(2.2)
    assert double(tf.constant(5)).numpy() == 10          # int32, shape (): traced already
    assert lines(capsys.readouterr().out) == [
        'Tracing with Tensor("a:0", shape=(), dtype=int32)',
        'Tracing with Tensor("a:0", shape=(), dtype=float32)']
    assert double.experimental_get_tracing_count() == 2


def test_print_runs_while_tracing_and_d2l_print_on_every_call(capsys):
    @tf.function
    def f(x):
        print("Traced with", x)
        tf.print("Executed with", x)

    f(1)
    f(1)
    f(2)
    out = capsys.readouterr()
    assert lines(out.out) == ["Traced with 1", "Traced with 2"]
    assert lines(out.err) == ["Executed with 1"] * 2 + ["Executed with 2"]   # stderr, as in TF


def test_python_arguments_retrace_per_value_tensor_arguments_per_signature(capsys):
    @tf.function
    def train(num_steps):
        print("Tracing with num_steps = ", num_steps)
        tf.print("Executing with num_steps = ", num_steps, output_stream=sys.stdout)

    train(num_steps=10)
    train(num_steps=20)
    train(num_steps=tf.constant(10))
    train(num_steps=tf.constant(20))
    assert lines(capsys.readouterr().out) == [
        "Tracing with num_steps =  10", "Executing with num_steps =  10",
        "Tracing with num_steps =  20", "Executing with num_steps =  20",
        'Tracing with num_steps =  Tensor("num_steps:0", shape=(), dtype=int32)',
        "Executing with num_steps =  10", "Executing with num_steps =  20"]
    assert train.experimental_get_tracing_count() == 3


def test_each_new_function_object_traces_again(capsys):
    def f():
        print("Tracing!")
        tf.print("Executing", output_stream=sys.stdout)

    tf.function(f)()
    tf.function(f)()
    assert lines(capsys.readouterr().out) == ["Tracing!", "Executing"] * 2


def test_numpy_arrays_are_traced_as_tensors():
    @tf.function
    def f(x):
        return x + 1

    f(np.array(1.0))
    f(np.array(2.0))
    assert f.experimental_get_tracing_count() == 1
    assert f(np.array(3.0)).dtype == tf.float64


def test_input_signature_fixes_the_signature_and_rejects_other_inputs(capsys):
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def next_collatz(x):
        print("Tracing with", x)
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
    assert next_collatz(tf.constant([1, 2, 3, 4, 5])).numpy().tolist() == [4, 1, 10, 2, 16]
    assert lines(capsys.readouterr().out) == [
        'Tracing with Tensor("x:0", shape=(None,), dtype=int32)']
    with pytest.raises(TypeError) as e:
        next_collatz(tf.constant([[1, 2], [3, 4]]))
    assert str(e.value).startswith(
        "Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(2, 2), "
        "dtype=tf.int32, name=None) to TensorSpec(shape=(None,), dtype=tf.int32, name=None)`.")
    with pytest.raises(TypeError, match=r"Can not cast TensorSpec\(shape=\(2,\), "
                                        r"dtype=tf.float32"):
        next_collatz(tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"shape=\(\), dtype=tf.int32"):
        next_collatz(3)
    assert next_collatz.experimental_get_tracing_count() == 1


def test_reduce_retracing_relaxes_shapes_after_the_first_retrace(capsys):
    @tf.function(reduce_retracing=True)
    def g(x):
        print("Tracing with", x)
        return x

    for n in (3, 5, 7, 9):
        assert g(tf.ones([n], tf.int32)).shape == (n,)
    assert lines(capsys.readouterr().out) == [
        'Tracing with Tensor("x:0", shape=(3,), dtype=int32)',
        'Tracing with Tensor("x:0", shape=(None,), dtype=int32)']
    g(tf.ones([2, 2], tf.int32))           # another rank: the shape relaxes to unknown
    g(tf.ones([3, 3], tf.int32))
    assert lines(capsys.readouterr().out) == [
        'Tracing with Tensor("x:0", dtype=int32)']
    assert g.experimental_get_tracing_count() == 3


def test_get_concrete_function_with_a_spec_and_a_python_value():
    @tf.function
    def pow(a, b):   # noqa: A001
        return a ** b

    square = pow.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert square(tf.constant(10.0)).numpy() == 100
    assert square(tf.constant([1.0, 3.0])).numpy().tolist() == [1.0, 9.0]
    with pytest.raises(TypeError):
        square(tf.constant(10.0), b=3)
    with pytest.raises(TypeError, match="Can not cast"):
        square(tf.constant(10))
    assert pow.python_function(2.0, 3) == 8.0


def test_outputs_are_returned_as_tensorflow_returns_them():
    v = tf.Variable(1.0)

    @tf.function
    def r(x):
        return 1, None, x, v

    one, none, x, value = r(tf.constant(2.0))
    assert repr(one) == "<tf.Tensor: shape=(), dtype=int32, numpy=1>"
    assert none is None and x.numpy() == 2.0
    assert type(value) is tf.Tensor and value.numpy() == 1.0


def test_methods_trace_per_instance():
    class Model(tf.Module):
        def __init__(self, scale):
            self.scale = scale

        @tf.function
        def __call__(self, x):
            return x * self.scale

    a, b = Model(2.0), Model(3.0)
    assert a(tf.constant(1.0)).numpy() == 2.0
    assert b(tf.constant(1.0)).numpy() == 3.0
    assert a.__call__.experimental_get_tracing_count() == 1


def test_calling_a_function_inside_another_inlines_it():
    @tf.function
    def add(a, b):
        return a + b

    @tf.function
    def dense_layer(x, w, b):
        return add(tf.matmul(x, w), b)

    out = dense_layer(tf.ones([3, 2]), tf.ones([2, 2]), tf.ones([2]))
    assert out.numpy().tolist() == [[3.0, 3.0]] * 3
    assert add.experimental_get_tracing_count() == 0


def test_executing_eagerly_is_false_while_tracing():
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x

    f(1)
    assert seen == [False] and tf.executing_eagerly()


# ============================================================ side effects and Variables

def test_python_side_effects_happen_once():
    external_list = []

    @tf.function
    def side_effect(x):
        external_list.append(x)

    for _ in range(3):
        side_effect(1)
    assert len(external_list) == 1


def test_variable_operations_run_on_every_call():
    class Model(tf.Module):
        def __init__(self):
            self.v = tf.Variable(0)
            self.counter = 0

        @tf.function
        def __call__(self):
            if self.counter == 0:
                self.counter += 1
                self.v.assign_add(1)
            return self.v

    m = Model()
    assert [int(m().numpy()) for _ in range(3)] == [1, 2, 3]


def test_closures_read_python_values_once_and_variables_on_every_call():
    foo = [1]

    @tf.function
    def buggy_add():
        return 1 + foo[0]

    assert buggy_add().numpy() == 2
    foo[0] = 100
    assert buggy_add().numpy() == 2          # traced with foo[0] == 1

    bar = tf.Variable(1)

    @tf.function
    def variable_add():
        return 1 + bar

    assert variable_add().numpy() == 2
    bar.assign(100)
    assert variable_add().numpy() == 101


def test_objects_as_arguments_are_traced_by_identity():
    class SimpleModel:
        def __init__(self):
            self.bias, self.weight = 0.0, 2.0

    class BetterModel:
        def __init__(self):
            self.bias, self.weight = tf.Variable(0.0), tf.Variable(2.0)

    @tf.function
    def evaluate(model, x):
        return model.weight * x + model.bias

    x = tf.constant(10.0)
    simple = SimpleModel()
    assert evaluate(simple, x).numpy() == 20.0
    simple.bias += 5.0
    assert evaluate(simple, x).numpy() == 20.0      # the trace kept bias 0
    better = BetterModel()
    assert evaluate(better, x).numpy() == 20.0
    better.bias.assign_add(5.0)
    assert evaluate(better, x).numpy() == 25.0


def test_variables_may_be_created_on_the_first_call_only():
    @tf.function
    def f(x):
        v = tf.Variable(1.0)
        return v

    with pytest.raises(ValueError, match="tf.function only supports singleton tf.Variables "
                                         "created on the first call"):
        f(1.0)

    class Count(tf.Module):
        def __init__(self):
            self.count = None

        @tf.function
        def __call__(self):
            if self.count is None:
                self.count = tf.Variable(0)
            return self.count.assign_add(1)

    c = Count()
    assert [int(c().numpy()), int(c().numpy())] == [1, 2]
    assert c.__call__.experimental_get_tracing_count() == 2    # TF traces twice to check


def test_a_variable_initialised_from_ops_gets_its_value_while_tracing():
    class Lazy(tf.Module):
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones([2]) * 3.0)
            return self.w * x

    m = Lazy()
    assert m(tf.constant(2.0)).numpy().tolist() == [6.0, 6.0]
    assert m(tf.constant(1.0)).numpy().tolist() == [3.0, 3.0]


def test_numpy_of_a_variable_inside_a_trace_is_an_error():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        return v.numpy()

    with pytest.raises(NotImplementedError, match="only available when eager execution"):
        f()


def test_leaked_tensors_cannot_be_used_outside():
    leak = []

    @tf.function
    def leaky_function(a):
        leak.append(a + 1)
        return a + 2

    assert leaky_function(tf.constant(1)).numpy() == 3
    with pytest.raises(AttributeError):
        leak[0].numpy()

    @tf.function
    def captures_leaked_tensor(b):
        b += leak[0]
        return b

    with pytest.raises(TypeError, match="leaked"):
        captures_leaked_tensor(tf.constant(2))


# ============================================================ gradients

def test_a_tape_around_a_call_differentiates_through_it():
    @tf.function
    def add(a, b):
        return a + b

    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        result = add(v, 1.0)
    assert tape.gradient(result, v).numpy() == 1.0


def test_a_training_step_with_a_tape_and_an_optimizer_inside_matches_eager():
    def train_step(w, x, y, optimizer):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(w * x - y))
        gradients = tape.gradient(loss, [w])
        optimizer.apply_gradients(zip(gradients, [w]))
        return loss

    x, y = tf.constant([-1.0, 0.5]), tf.constant([2.0, 1.0])
    results = []
    for step in (train_step, tf.function(train_step)):
        w, opt = tf.Variable(2.0), tf.keras.optimizers.Adam(learning_rate=1e-2)
        losses = [float(step(w, x, y, opt)) for _ in range(5)]
        results.append((losses, float(w), int(opt.iterations)))
    assert results[0] == results[1]


def test_nested_tapes_inside_and_around_give_second_derivatives():
    @tf.function
    def inside(x):
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x ** 3
            dy = t1.gradient(y, x)
        return dy, t2.gradient(dy, x)

    dy, d2y = inside(tf.constant(2.0))
    assert (dy.numpy(), d2y.numpy()) == (12.0, 12.0)

    cube = tf.function(lambda x: x ** 3)
    x = tf.constant(2.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = cube(x)
        dy = t1.gradient(y, x)
    assert (dy.numpy(), t2.gradient(dy, x).numpy()) == (12.0, 12.0)


def test_a_gradient_with_no_path_is_none_while_tracing(capsys):
    @tf.function
    def nolink(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.constant(2.0) * 3
        g = t.gradient(y, x)
        print("grad", g)
        return g

    assert nolink(tf.constant(3.0)) is None
    assert capsys.readouterr().out == "grad None\n"


# ============================================================ without AutoGraph (tests/engine/test_autograph.py)

def test_if_on_a_tensor_without_autograph_is_a_clear_error_naming_cond():
    @tf.function(autograph=False)
    def b(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(OperatorNotAllowedInGraphError, match=r"d2l.cond\(pred, true_fn"):
        b(tf.constant(1.0))
    assert isinstance(OperatorNotAllowedInGraphError("x"), TypeError)


def test_for_over_a_tensor_without_autograph_is_a_clear_error_naming_the_fix():
    @tf.function(autograph=False)
    def f(n):
        for _ in tf.range(n):
            pass

    with pytest.raises(OperatorNotAllowedInGraphError, match="while_loop"):
        f(tf.constant(3))


def test_python_control_flow_on_python_values_unrolls():
    @tf.function
    def recursive_fn(n):
        if n > 0:
            return recursive_fn(n - 1)
        return 1

    assert recursive_fn(5).numpy() == 1

    @tf.function
    def power(x, n):
        y = tf.ones_like(x)
        for _ in range(n):
            y = y * x
        return y

    assert power(tf.constant(2.0), 5).numpy() == 32.0


# ============================================================ the plan

def test_the_plan_folds_constants_merges_duplicates_and_drops_dead_nodes():
    @tf.function
    def f(x):
        c = tf.zeros([3]) + 1.0                 # no input: computed once, while compiling
        a, b = x * 2.0, x * 2.0                 # the same op twice: one node
        tf.exp(x)                               # unused: removed
        return a + b + c

    cf = f.get_concrete_function(tf.TensorSpec([3]))
    assert f(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [5.0, 9.0, 13.0]
    assert cf.plan_stats == {"traced": 7, "folded": 2, "merged": 1, "dead": 1}
    for source in (cf.plan_source, cf.eager_plan_source):     # raw kernels, and the ops
        assert [line.split("#")[-1].strip() for line in source.splitlines()
                if line.endswith(("Mul", "AddV2"))] == ["Mul", "AddV2", "AddV2"]


def test_the_plan_keeps_random_draws_and_assignments_and_their_order():
    v = tf.Variable(0.0)

    @tf.function
    def f():
        tf.random.normal([2])                   # drawn on every call, as in TensorFlow
        v.assign(v + 1.0)
        w = v * 2.0
        v.assign(v + 1.0)
        return w, v * 2.0                       # not merged: an assignment lies between

    tf.random.set_seed(1)
    w1, w2 = f()
    assert (w1.numpy(), w2.numpy()) == (2.0, 4.0)
    assert f.get_concrete_function().plan_stats["merged"] == 0
    assert "normal" in f.get_concrete_function().plan_source


def test_d2l_print_formats_values_as_tf_print(capsys):
    tf.print(tf.constant([3.14159265, 1 / 3, 1e10, 123456789.0, -0.5, float("inf"), 1e5, 1e-5]),
             output_stream=sys.stdout)
    tf.print(tf.constant([3.14159265, 1 / 3], tf.float64), tf.constant(2 ** 40, tf.int64),
             output_stream=sys.stdout)
    tf.print(tf.constant([True, False]), tf.zeros([0]), output_stream=sys.stdout)
    tf.print(tf.reshape(tf.range(24), (2, 3, 4)), output_stream=sys.stdout)
    tf.print(tf.reshape(tf.range(100), (10, 10)), output_stream=sys.stdout)
    tf.print("a", [tf.constant(1), 2], {"k": tf.constant([1.5])}, sep=",", end="!\n",
             output_stream=sys.stdout)
    tf.print(tf.range(10), summarize=-1, output_stream=sys.stdout)
    assert capsys.readouterr().out == (       # what TensorFlow 2.21 prints
        "[3.14159274 0.333333343 1e+10 ... inf 100000 1e-05]\n"
        "[3.14159265 0.33333333333333331] 1099511627776\n"
        "[1 0] []\n"
        "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
        "  [20 21 22 23]]]\n"
        "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
        " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]\n"
        "a,[1, 2],{'k': [1.5]}!\n"
        "[0 1 2 3 4 5 6 7 8 9]\n")


def test_eager_ops_are_untouched_after_a_trace():
    import inspect
    before = (tf.add.__code__, inspect.signature(tf.add))
    tf.function(lambda x: x + 1)(tf.constant(1))
    assert (tf.add.__code__, inspect.signature(tf.add)) == before
    assert "__signature__" not in tf.add.__dict__


# ============================================================ cond and while_loop

def test_cond_traces_both_branches_and_runs_the_one_pred_picks(capsys):
    @tf.function
    def f(x):
        def positive():
            print("tracing the true branch")
            tf.print("ran true", output_stream=sys.stdout)
            return x * x

        return tf.cond(tf.reduce_sum(x) > 0, positive, lambda: x * 3.0)

    assert f(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 4.0]
    assert f(tf.constant([-1.0, -2.0])).numpy().tolist() == [-3.0, -6.0]
    assert lines(capsys.readouterr().out) == ["tracing the true branch", "ran true"]
    assert f.experimental_get_tracing_count() == 1
    assert tf.cond(tf.constant(False), lambda: 1, lambda: 2) == 2      # eagerly: a Python if


def test_gradients_flow_through_cond_and_while_loop_inside_and_around():
    @tf.function
    def g(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * x, lambda: x * 3.0)
        return t.gradient(y, x)

    assert g(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
    assert g(tf.constant([-1.0, -2.0])).numpy().tolist() == [3.0, 3.0]

    @tf.function
    def weighted_sum(x):
        def body(i, acc):
            return i + 1, acc + tf.cast(i, tf.float32) * x
        return tf.while_loop(lambda i, acc: i < 5, body, (0, tf.zeros_like(x)))[1]

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(weighted_sum(x))
    assert y.numpy() == 30.0 and t.gradient(y, x).numpy().tolist() == [10.0, 10.0]


def test_while_loop_runs_until_cond_is_false_and_checks_shapes():
    @tf.function
    def f(x):
        while_x = tf.while_loop(lambda x: tf.reduce_sum(x) > 1, tf.tanh, [x])[0]
        return while_x

    want = np.array([1.0, 2.0, 3.0], np.float32)
    while want.sum() > 1:
        want = np.tanh(want)
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0, 3.0])).numpy(), want, rtol=1e-6)

    @tf.function
    def doubling(x):
        return tf.while_loop(lambda x: tf.size(x) < 4, lambda x: tf.concat([x, x], 0), [x])

    with pytest.raises(ValueError, match="shape_invariants"):
        doubling(tf.constant([1.0]))
    assert tf.while_loop(lambda i: i < 3, lambda i: i + 1, 0) == 3        # eagerly: a loop


def test_an_ops_name_argument_names_its_graph_node():
    d2l = tf
    @d2l.function
    def f(x):
        return d2l.reduce_max(x, name="peak") + d2l.reduce_max(x, name="peak")

    graph = f.get_concrete_function(d2l.TensorSpec([3])).graph
    names = [node.name for node in graph.nodes]
    assert "peak" in names and "peak_1" in names      # unique, as TensorFlow makes them
