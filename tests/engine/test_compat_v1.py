"""d2l_core.compat.v1: TensorFlow 1 graphs, sessions, variables, scopes and training.

Each test states one piece of TensorFlow 1 behaviour the course relies on.
Independent references (NumPy formulas, the eager engine) check the values.
"""
import collections
import itertools
import os
import sys

import numpy as np
import pytest

import d2l_core as d2l
import d2l_core.compat.v1 as tf
from d2l_core import backend
from d2l_core.errors import FailedPreconditionError, InvalidArgumentError

HAS_GPU = backend.gpu_count() > 0


@pytest.fixture(autouse=True)
def fresh_default_graph():
    """Each test starts with an empty default graph and no default session."""
    tf.reset_default_graph()
    yield
    from d2l_core.compat.v1 import graph as graph_mod, session as session_mod
    session_mod._session_stack.clear()
    graph_mod._graph_stack.stack.clear()
    tf.reset_default_graph()


# ====================================================================== graphs

def test_graphs_are_isolated_and_as_default_nests():
    g1, g2 = tf.Graph(), tf.Graph()
    outer = tf.get_default_graph()
    with g1.as_default():
        a = tf.constant(1.0)
        with g2.as_default():
            b = tf.constant(2.0)
            assert tf.get_default_graph() is g2
        assert tf.get_default_graph() is g1
    assert tf.get_default_graph() is outer
    assert a.graph is g1 and b.graph is g2
    assert [op.name for op in g1.get_operations()] == ["Const"]
    assert [op.name for op in g2.get_operations()] == ["Const"]
    assert outer.get_operations() == []


def test_seed_two_graphs_read_zero_and_one():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        tf.get_variable(name="v", initializer=tf.zeros_initializer(), shape=[1])
    with g2.as_default():
        tf.get_variable(name="v", initializer=tf.ones_initializer(), shape=[1])
    values = []
    for g in (g1, g2):
        with tf.Session(graph=g) as sess:
            tf.global_variables_initializer().run()
            with tf.variable_scope("", reuse=True):
                values.append(sess.run(tf.get_variable("v")))
    np.testing.assert_array_equal(values[0], np.array([0.0], np.float32))
    np.testing.assert_array_equal(values[1], np.array([1.0], np.float32))


def test_reset_default_graph_replaces_it_but_not_inside_a_nesting():
    before = tf.get_default_graph()
    tf.constant(1.0)
    tf.reset_default_graph()
    assert tf.get_default_graph() is not before
    assert tf.get_default_graph().get_operations() == []
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            tf.reset_default_graph()


def test_op_names_are_unique_and_follow_name_scopes():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="a")
        a2 = tf.constant(1.0, name="a")
        with tf.name_scope("layer") as scope:
            b = tf.add(a, a, name="b")
            with tf.name_scope("inner") as inner:
                c = tf.constant(2.0, name="c")
        with tf.name_scope("layer") as scope2:
            d = tf.constant(3.0, name="d")
        with tf.name_scope("layer/"):
            e = tf.constant(3.0, name="e")
        with tf.name_scope("layer"):
            with tf.name_scope(None):
                f = tf.constant(3.0, name="f")
    assert (a.name, a2.name, b.name, c.name, d.name, e.name, f.name) == (
        "a:0", "a_1:0", "layer/b:0", "layer/inner/c:0", "layer_1/d:0", "layer/e:0", "f:0")
    assert (scope, inner, scope2) == ("layer/", "layer/inner/", "layer_1/")
    with pytest.raises(ValueError, match="not a valid"):
        with g.as_default():
            tf.constant(1.0, name="bad name!")


def test_lookup_by_name():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, name="variable_a")
        c = tf.add(a, 1.0, name="variable_c")
    assert g.get_tensor_by_name("variable_a:0") is a
    assert g.get_operation_by_name("variable_c") is c.op
    assert g.as_graph_element("variable_c:0") is c
    with pytest.raises(KeyError, match="does not exist"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="does not exist|only has 1 outputs"):
        g.get_tensor_by_name("variable_a:3")
    with pytest.raises(ValueError, match="Tensor names must be of the form"):
        g.get_tensor_by_name("variable_a")
    assert [op.name for op in g.get_operations()] == ["variable_a", "variable_c"]


def test_collections_and_graph_keys():
    assert tf.GraphKeys.GLOBAL_VARIABLES == "variables"
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"
    assert tf.GraphKeys.SUMMARIES == "summaries"
    assert tf.GraphKeys.QUEUE_RUNNERS == "queue_runners"
    assert tf.GraphKeys.MOVING_AVERAGE_VARIABLES == "moving_average_variables"
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable(1.0, name="w")
        step = tf.Variable(0, name="step", trainable=False)
        with tf.variable_scope("layer"):
            k = tf.get_variable("k", [2])
        tf.add_to_collection("losses", tf.constant(0.5, name="l1"))
        tf.add_to_collections(["losses", "extra"], 7)
        assert tf.global_variables() == [w, step, k]
        assert tf.trainable_variables() == [w, k]
        assert tf.global_variables(scope="layer") == [k]
        assert len(tf.get_collection("losses")) == 2 and tf.get_collection("extra") == [7]
        assert tf.get_collection("missing") == []
        ref = tf.get_collection_ref("mine")
        ref.append(1)
        assert g.get_collection("mine") == [1]
        assert set(g.get_all_collection_keys()) >= {"variables", "trainable_variables", "losses"}
    assert g.get_collection(tf.GraphKeys.GLOBAL_VARIABLES) == [w, step, k]


def test_finalized_graph_refuses_new_ops():
    g = tf.Graph()
    g.finalize()
    with g.as_default(), pytest.raises(RuntimeError, match="finalized"):
        tf.constant(1.0)


def test_a_failing_node_names_the_learners_line_that_defined_it():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        line = sys._getframe().f_lineno + 1
        bad = tf.reshape(x, [3])
        with tf.Session() as sess, pytest.raises(Exception) as info:
            sess.run(bad, {x: [1.0, 2.0]})
    assert f"defined at {__file__}:{line}" in "".join(info.value.__notes__)


def test_a_learners_folder_named_like_the_package_is_not_library_code():
    cell = os.path.dirname(d2l.__file__) + "_notes" + os.sep + "cell.py"   # .../d2l_core_notes/
    namespace = {"tf": tf}
    with tf.Graph().as_default():
        exec(compile("y = tf.constant(1.0) * 2.0", cell, "exec"), namespace)
    assert namespace["y"].op._defined_at == f"{cell}:1"


# ====================================================================== tensors

def test_tensor_attributes_and_printing():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
        y = tf.matmul(x, tf.ones([2, 3]))
    assert x.name == "x:0" and x.op.type == "Placeholder" and x.graph is g
    assert x.dtype is tf.float32 and x.shape.as_list() == [None, 2]
    assert x.get_shape() == x.shape and x.value_index == 0
    assert str(x) == 'Tensor("x:0", shape=(?, 2), dtype=float32)'
    assert repr(y) == "<tf.Tensor 'MatMul:0' shape=(?, 3) dtype=float32>"
    assert str(y.shape) == "(?, 3)"
    assert y.op.inputs[0] is x and x.consumers() == [y.op]
    assert repr(y.op) == "<tf.Operation 'MatMul' type=MatMul>"


def test_operators_build_nodes_and_compute_like_numpy():
    a_val = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    b_val = np.array([[0.5, 2.0], [-1.0, 3.0]], np.float32)
    with tf.Graph().as_default():
        a, b = tf.placeholder(tf.float32, [2, 2]), tf.placeholder(tf.float32, [2, 2])
        exprs = {
            "+": (a + b, a_val + b_val), "-": (a - b, a_val - b_val), "*": (a * b, a_val * b_val),
            "/": (a / b, a_val / b_val), "@": (a @ b, a_val @ b_val), "**": (a ** 2, a_val ** 2),
            "neg": (-a, -a_val), "abs": (abs(a), np.abs(a_val)), "radd": (1 + a, 1 + a_val),
            "rsub": (1 - a, 1 - a_val), "rmul": (2 * a, 2 * a_val), "rdiv": (1 / b, 1 / b_val),
            "<": (a < b, a_val < b_val), "<=": (a <= b, a_val <= b_val),
            ">": (a > b, a_val > b_val), ">=": (a >= b, a_val >= b_val),
            "[]": (a[1, :], a_val[1, :]), "[::-1]": (a[::-1, 0], a_val[::-1, 0]),
            "ndarray*": (np.float32(2.0) * a, 2 * a_val),
            "ndarray+": (np.ones((2, 2), np.float32) + a, 1 + a_val),
        }
        with tf.Session() as sess:
            got = sess.run({k: t for k, (t, _) in exprs.items()}, {a: a_val, b: b_val})
    for key, (t, expected) in exprs.items():
        np.testing.assert_allclose(got[key], expected, rtol=1e-6, err_msg=key)
        assert got[key].dtype == expected.dtype or key == "rdiv", key
    assert exprs["<"][0].dtype is tf.bool


def test_tensor_equality_is_identity_and_python_protocols_refuse():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y = tf.constant([1.0, 2.0])
    assert x == x and x != y and len({x, y, x}) == 2
    with pytest.raises(TypeError, match="as a Python `bool` is not allowed"):
        bool(x)
    with pytest.raises(TypeError, match="len is not well defined"):
        len(x)
    with pytest.raises(TypeError, match="only iterable when eager"):
        list(x)
    with pytest.raises(TypeError, match="Cannot convert a symbolic Tensor"):
        np.asarray(x)
    with pytest.raises(TypeError, match="graph-mode"):
        d2l.convert_to_tensor(x)
    with pytest.raises(TypeError, match="symbolic Tensor"):
        d2l.constant(x)


def test_set_shape():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        x.set_shape([None, 3])
        assert x.shape.as_list() == [None, 3]
        x.set_shape([4, 3])
        assert x.shape.as_list() == [4, 3]
        with pytest.raises(ValueError, match="not compatible"):
            x.set_shape([4, 2])


# ---------------------------------------------------------------------- static shapes

def _build(builder, shapes, masks):
    holders = []
    for shape, mask in zip(shapes, masks):
        if mask is None:
            holders.append(tf.placeholder(tf.float32, shape=None))
        else:
            holders.append(tf.placeholder(
                tf.float32, [None if hide else d for d, hide in zip(shape, mask)]))
    return holders, builder(*holders)


SHAPE_CASES = [
    ("broadcast add", lambda a, b: a + b, [(3, 1), (1, 4)]),
    ("matmul", lambda a, b: tf.matmul(a, b), [(2, 3), (3, 4)]),
    ("matmul transpose_b", lambda a, b: tf.matmul(a, b, transpose_b=True), [(2, 3), (4, 3)]),
    ("batched matmul", lambda a, b: a @ b, [(5, 2, 3), (3, 4)]),
    ("reduce_mean axis", lambda a: tf.reduce_mean(a, axis=1), [(2, 3, 4)]),
    ("reduce_sum keepdims", lambda a: tf.reduce_sum(a, axis=[0, 2], keepdims=True), [(2, 3, 4)]),
    ("reduce_max all", lambda a: tf.reduce_max(a), [(2, 3)]),
    ("reduction_indices", lambda a: tf.reduce_sum(a, reduction_indices=[1]), [(2, 3)]),
    ("reshape -1", lambda a: tf.reshape(a, [-1, 4]), [(2, 3, 4)]),
    ("transpose", lambda a: tf.transpose(a, [1, 0, 2]), [(2, 3, 4)]),
    ("slice", lambda a: a[1:, ::2, 0], [(3, 5, 2)]),
    ("newaxis slice", lambda a: a[:, None, -1], [(3, 5)]),
    ("expand+squeeze", lambda a: tf.squeeze(tf.expand_dims(a, 1), [1]), [(2, 3)]),
    ("concat", lambda a, b: tf.concat([a, b], 1), [(2, 3), (2, 5)]),
    ("stack", lambda a, b: tf.stack([a, b], axis=1), [(2, 3), (2, 3)]),
    ("softmax", tf.nn.softmax, [(2, 5)]),
    ("xent", lambda a, b: tf.nn.softmax_cross_entropy_with_logits(labels=a, logits=b),
     [(4, 3), (4, 3)]),
    ("seed loss pieces", lambda y_, y: y_ * tf.log(tf.clip_by_value(tf.sigmoid(y), 1e-10, 1))
     + (1 - y), [(4, 1), (4, 1)]),
    ("argmax", lambda a: tf.argmax(a, 1), [(4, 3)]),
    ("where", lambda a, b: tf.where(a > b, a, b), [(3, 1), (1, 2)]),
    ("tile", lambda a: tf.tile(a, [2, 3]), [(2, 3)]),
    ("gather", lambda a: tf.gather(a, [0, 1, 1]), [(3, 2)]),
    ("one_hot", lambda a: tf.one_hot(tf.argmax(a, 1), 5), [(4, 3)]),
    ("cast compare", lambda a: tf.cast(a > 0, tf.int32), [(2, 2)]),
    ("pow of rsub", lambda a: (1 - a) ** 2, [(3,)]),
    ("shape", lambda a: tf.shape(a), [(2, 3)]),
    ("relu bias", lambda a, b: tf.nn.relu(tf.nn.bias_add(a, b)), [(2, 3), (3,)]),
    ("sum of squares", lambda a: tf.reduce_sum(tf.square(a), 0, keepdims=True), [(3, 2)]),
]


@pytest.mark.parametrize("label,builder,shapes", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_static_shapes_are_never_wrong_and_exact_when_inputs_are_known(label, builder, shapes):
    rng = np.random.default_rng(0)
    values = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    dims = [len(s) for s in shapes]
    all_masks = list(itertools.product(*[list(itertools.product([False, True], repeat=n))
                                         for n in dims]))
    all_masks = all_masks[:32] + [tuple(None for _ in shapes)]
    for masks in all_masks:
        with tf.Graph().as_default():
            holders, out = _build(builder, shapes, masks)
            got = tf.Session().run(out, dict(zip(holders, values)))
        got = np.asarray(got)
        assert out.shape.is_compatible_with(got.shape), (label, masks, out.shape, got.shape)
        assert out.dtype.np == got.dtype, (label, out.dtype, got.dtype)
        if all(m is not None and not any(m) for m in masks):
            assert out.shape.as_list() == list(got.shape), (label, out.shape, got.shape)


def test_build_time_errors_for_definite_mismatches():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        with pytest.raises(InvalidArgumentError, match=r"matmul: inner dimensions differ: .* 2 == 3"):
            tf.matmul(x, tf.ones([3, 3]))
        with pytest.raises(InvalidArgumentError, match="cannot be broadcast"):
            x + tf.ones([3])
        with pytest.raises(TypeError, match="different dtypes, float32 and int32"):
            x + tf.constant(1)
        with pytest.raises(TypeError, match="2.5"):
            tf.constant(1) * 2.5
        with pytest.raises(InvalidArgumentError, match="reshape"):
            tf.reshape(tf.ones([2, 3]), [4])
        with pytest.raises(InvalidArgumentError) as info:
            tf.matmul(x, tf.ones([3, 3]))
    note = "\n".join(info.value.__notes__)
    assert "'MatMul'" in note and "[?,2], [3,3]" in note


def _static(builder, *shapes, dtype=tf.float32):
    with tf.Graph().as_default():
        return builder(*[tf.placeholder(dtype, s) for s in shapes]).shape.as_list()


def test_unknown_dimensions_follow_tensorflows_rules():
    assert _static(lambda a, b: a + b, [None], [5]) == [5]           # None with 5 is 5
    assert _static(lambda a, b: a + b, [None], [1]) == [None]        # None with 1 is None
    assert _static(lambda a, b: a + b, [None], [None]) == [None]
    assert _static(lambda a, b: a + b, [3, 1], [None, None]) == [3, None]
    assert _static(tf.matmul, [None, None], [3, 4]) == [None, 4]
    assert _static(lambda a, b: tf.concat([a, b], 0), [None, 2], [3, None]) == [None, 2]
    assert _static(lambda a: a[:1], [None]) == [None]                # 0 when a is empty
    assert _static(lambda a: tf.reshape(a, [-1, 4]), [None, 2, 2]) == [None, 4]
    assert _static(lambda a: tf.split(a, 2)[0], [None, 4]) == [None, 4]
    assert _static(tf.reduce_sum, None) == []
    with tf.Graph().as_default():
        assert tf.add(tf.placeholder(tf.float32), tf.placeholder(tf.float32)).shape.rank is None


def test_shapes_that_depend_on_values_come_from_the_rules():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4, 3])
        n = tf.placeholder(tf.int32, [])
        dims = tf.placeholder(tf.int32, [2])
        assert tf.reshape(x, dims).shape.as_list() == [None, None]
        assert tf.reshape(x, [n, -1]).shape.as_list() == [None, None]
        assert tf.zeros([n, 3]).shape.as_list() == [None, 3]
        assert tf.random_normal(dims).shape.as_list() == [None, None]
        assert tf.boolean_mask(x, x > 0).shape.as_list() == [None]
        assert tf.where(x > 0).shape.as_list() == [None, 2]
        r = tf.range(n)
        assert r.shape.as_list() == [None] and r.dtype is tf.int32
        assert [t.shape.as_list() for t in tf.unstack(x, axis=1)] == [[4]] * 3
        with pytest.raises(ValueError, match="pass num="):
            tf.unstack(tf.placeholder(tf.float32, [None, 3]))
        big = tf.zeros([1 << 12, 1 << 12])        # a 16M-element constant: not made to find this
        assert big.shape.as_list() == [4096, 4096]
        sess = tf.Session()
        assert sess.run(tf.reshape(x, dims), {x: np.ones((4, 3)), dims: [2, 6]}).shape == (2, 6)
        assert sess.run(tf.range(n), {n: 3}).tolist() == [0, 1, 2]


def test_building_a_graph_leaves_the_random_stream_alone():
    d2l.random.set_seed(3)
    expected = d2l.random.uniform([3]).numpy()
    d2l.random.set_seed(3)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        tf.nn.dropout(x + tf.random_normal([3]), 0.5)
    d2l.data.Dataset.range(3).map(lambda v: d2l.random.uniform([2])).element_spec
    np.testing.assert_array_equal(d2l.random.uniform([3]).numpy(), expected)


def test_big_known_shapes_are_probed_small():
    import tracemalloc
    tracemalloc.start()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [100_000, 784])     # 313 MB if a stand-in were full size
        y = tf.nn.sigmoid(tf.matmul(x, tf.ones([784, 10])))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert y.shape.is_compatible_with([100_000, 10]) and y.shape[1] == 10
    assert peak < 50e6


# ====================================================================== ops by name
# (every registered op runs in graph mode in tests/properties/test_op_registry.py)

def test_generic_twins_match_eager_results():
    x_val = np.array([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]], np.float32)
    cases = {
        "exp": lambda m, x: m.exp(x), "tanh": lambda m, x: m.tanh(x),
        "softplus": lambda m, x: m.math.softplus(x), "cumsum": lambda m, x: m.math.cumsum(x, 1),
        "norm": lambda m, x: m.norm(x, axis=1), "logsumexp": lambda m, x: m.math.reduce_logsumexp(x, 1),
        "log_softmax": lambda m, x: m.nn.log_softmax(x), "tensordot": lambda m, x: m.tensordot(
            x, x, axes=[[1], [1]]), "l2_loss": lambda m, x: m.nn.l2_loss(x),
        "maximum": lambda m, x: m.maximum(x, 0.0), "split": lambda m, x: m.split(x, 3, axis=1)[2],
        "unstack": lambda m, x: m.unstack(x)[1], "boolean_mask": lambda m, x: m.boolean_mask(
            x, x > 0), "reverse index": lambda m, x: x[:, ::-1],
    }
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 3])
        graph_out = {k: f(tf, x) for k, f in cases.items()}
        got = tf.Session().run(graph_out, {x: x_val})
    for k, f in cases.items():
        expected = f(d2l, d2l.constant(x_val)).numpy()
        np.testing.assert_allclose(got[k], expected, rtol=1e-6, err_msg=k)


def test_tf1_spellings():
    with tf.Graph().as_default():
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        out = {
            "sum ri": tf.reduce_sum(x, reduction_indices=[1]),
            "mean kd": tf.reduce_mean(x, 0, keep_dims=True),
            "argmax dim": tf.argmax(x, dimension=1),
            "to_int32": tf.to_int32(x), "to_float": tf.to_float(tf.constant([1, 2])),
            "div int": tf.div(tf.constant([7, -7]), 2), "div float": tf.div(x, 2.0),
            "log": tf.log(x), "sigmoid": tf.sigmoid(x), "clip": tf.clip_by_value(x, 1.5, 3.5),
            "cast": tf.cast(x, tf.int32), "fill": tf.fill([2], 7.0), "zeros": tf.zeros([2]),
            "ones": tf.ones([1, 2], tf.int32), "softmax dim": tf.nn.softmax(x, dim=0),
            "constant pads": tf.constant([1, 2], shape=[2, 2]),
        }
        with pytest.raises(ValueError, match="Cannot specify both"):
            tf.reduce_sum(x, axis=0, reduction_indices=0)
        got = tf.Session().run(out)
    np.testing.assert_allclose(got["sum ri"], [3.0, 7.0])
    np.testing.assert_allclose(got["mean kd"], [[2.0, 3.0]])
    np.testing.assert_array_equal(got["argmax dim"], [1, 1])
    assert got["to_int32"].dtype == np.int32 and got["to_float"].dtype == np.float32
    np.testing.assert_array_equal(got["div int"], [3, -4])
    np.testing.assert_allclose(got["div float"], [[0.5, 1.0], [1.5, 2.0]])
    np.testing.assert_allclose(got["log"], np.log([[1.0, 2.0], [3.0, 4.0]]), rtol=1e-6)
    np.testing.assert_allclose(got["clip"], [[1.5, 2.0], [3.0, 3.5]])
    np.testing.assert_array_equal(got["constant pads"], [[1, 2], [2, 2]])
    np.testing.assert_allclose(got["softmax dim"].sum(axis=0), [1.0, 1.0], rtol=1e-6)


# ====================================================================== placeholders and feeds

def test_missing_feed_names_the_placeholder():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[None, 2], name="x-input")
        y = tf.reduce_sum(x)
        sess = tf.Session()
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(y)
    msg = str(info.value)
    assert "You must feed a value for placeholder tensor 'x-input' with dtype float and " \
           "shape [?,2]" in msg
    assert "feed_dict" in msg
    with tf.Graph().as_default():
        z = tf.placeholder(tf.int32, name="z")
        with pytest.raises(InvalidArgumentError,
                           match="placeholder tensor 'z' with dtype int32$|'z' with dtype int32\n"):
            tf.Session().run(z + 1)


def test_feeds_are_checked_for_shape_and_dtype():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[None, 2], name="x")
        i = tf.placeholder(tf.int32, shape=[2], name="i")
        b = tf.placeholder(tf.bool, name="b")
        sess = tf.Session()
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(1, 3\) for Tensor "
                                             r"'x:0', which has shape '\(\?, 2\)'"):
            sess.run(x, {x: [[1, 2, 3]]})
        with pytest.raises(TypeError, match="fractional parts"):
            sess.run(i, {i: [1.5, 2.0]})
        with pytest.raises(TypeError, match="not numbers"):
            sess.run(x, {x: [["a", "b"]]})
        with pytest.raises(TypeError, match="do not fit in int32"):
            sess.run(i, {i: [2 ** 40, 1]})
        with pytest.raises(TypeError, match="True/False"):
            sess.run(b, {b: 1.0})
        with pytest.raises(TypeError, match="cannot be a tf.Tensor"):
            sess.run(x, {x: x + 1})
        with pytest.raises(TypeError, match="eager d2l_core tensor"):
            sess.run(x, {d2l.constant(1.0): 1.0})
        # conversions TensorFlow allows: float64 data into float32, whole floats into ints
        out = sess.run([x, i], {x: np.ones((3, 2)), i: np.array([1.0, 2.0])})
        assert out[0].dtype == np.float32 and out[0].shape == (3, 2)
        np.testing.assert_array_equal(out[1], [1, 2])
        # eager tensors, names and non-placeholders can be fed too
        y = x * 2.0
        np.testing.assert_allclose(sess.run(y, {"x:0": d2l.ones((1, 2))}), [[2.0, 2.0]])
        np.testing.assert_allclose(sess.run(y + 1.0, {y: [[5.0, 5.0]]}), [[6.0, 6.0]])
        assert sess.run(x, {x: [[1, 2]]}).tolist() == [[1.0, 2.0]]


def test_dropout_with_a_keep_prob_placeholder():
    with tf.Graph().as_default():
        keep = tf.placeholder(tf.float32, [])
        x = tf.placeholder(tf.float32, [200, 50])
        y = tf.nn.dropout(x, keep)
        assert y.shape.as_list() == [200, 50]
        sess = tf.Session()
        ones = np.ones((200, 50), np.float32)
        np.testing.assert_array_equal(sess.run(y, {x: ones, keep: 1.0}), ones)
        half = sess.run(y, {x: ones, keep: 0.5})
        assert set(np.unique(half)) == {0.0, 2.0} and abs((half == 0).mean() - 0.5) < 0.05
        with pytest.raises(ValueError, match="keep_prob"):
            tf.nn.dropout(x, 1.5)


def test_placeholder_with_default():
    with tf.Graph().as_default():
        p = tf.placeholder_with_default(tf.constant([1.0, 2.0]), shape=[None])
        sess = tf.Session()
        np.testing.assert_allclose(sess.run(p), [1.0, 2.0])
        np.testing.assert_allclose(sess.run(p, {p: [5.0]}), [5.0])


# ====================================================================== sessions

def test_run_returns_the_fetch_structure():
    Pair = collections.namedtuple("Pair", "a b")
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        b = tf.constant([1, 2])
        v = tf.Variable(3.0)
        with tf.Session() as sess:
            assert sess.run(tf.global_variables_initializer()) is None
            out = sess.run({"x": [a, (b, v.initializer)], "p": Pair(a, b), "v": v})
            assert isinstance(out["x"], list) and isinstance(out["x"][1], tuple)
            assert out["x"][1][1] is None and isinstance(out["p"], Pair)
            assert out["x"][0] == 1.0 and type(out["x"][0]) is np.float32
            assert out["v"] == 3.0 and type(out["v"]) is np.float32
            assert out["x"][1][0].tolist() == [1, 2] and out["x"][1][0].dtype == np.int32
            assert sess.run([a, a]) == [1.0, 1.0]
            assert sess.run("Const:0") == 1.0
            out = sess.run({"b": b, a: a, 1: v})        # keys of any kind, in the order given
            assert list(out) == ["b", a, 1] and out[1] == 3.0


def test_fetching_non_graph_elements_and_other_graphs_fails_clearly():
    g, other = tf.Graph(), tf.Graph()
    with other.as_default():
        foreign = tf.constant(1.0)
    with g.as_default():
        local = tf.constant(2.0)
        sess = tf.Session()
        with pytest.raises(TypeError, match="Fetch argument 3.0 has invalid type"):
            sess.run(3.0)
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run([local, None])
        with pytest.raises(TypeError, match="eager d2l_core tensor"):
            sess.run(d2l.constant(1.0))
        with pytest.raises(ValueError, match="is not an element of this graph"):
            sess.run(foreign)
        with pytest.raises(ValueError, match="must be from the same graph"):
            local + foreign
        with pytest.raises(ValueError, match="does not exist|not in the graph"):
            sess.run("nothing:0")
    with pytest.raises(ValueError, match="graph is different"):
        foreign.eval(session=sess)


def test_closed_session_refuses_to_run():
    with tf.Graph().as_default():
        c = tf.constant(1.0)
        sess = tf.Session()
        sess.close()
        with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
            sess.run(c)
        with tf.Session() as s2:
            pass
        with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
            s2.run(c)


def test_context_manager_sets_default_session_and_graph():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(5.0)
    assert tf.get_default_session() is None
    with tf.Session(graph=g) as sess:
        assert tf.get_default_session() is sess and tf.get_default_graph() is g
        assert c.eval() == 5.0
        tf.no_op().run()
    assert tf.get_default_session() is None and tf.get_default_graph() is not g
    with pytest.raises(ValueError, match="No default session is registered"):
        c.eval()
    with tf.Session() as other:
        with pytest.raises(ValueError, match="graph is different from the session's graph"):
            c.eval()
        assert other.graph is tf.get_default_graph()


def test_interactive_session_installs_itself():
    g = tf.Graph()
    with g.as_default():
        a_ph = tf.placeholder(tf.float32, name="variable_a")
        b_ph = tf.placeholder(tf.float32, name="variable_b")
        c_op = tf.add(a_ph, b_ph, name="variable_c")
    sess = tf.InteractiveSession(graph=g)
    assert tf.get_default_session() is sess and tf.get_default_graph() is g
    assert c_op.eval(feed_dict={a_ph: 2.0, b_ph: 4.0}) == 6.0
    sess.close()
    assert tf.get_default_session() is None and tf.get_default_graph() is not g
    sess.close()   # closing twice is harmless


def test_sessions_keep_separate_variable_values():
    with tf.Graph().as_default():
        v = tf.Variable(0.0)
        inc = tf.assign_add(v, 1.0)
        s1, s2 = tf.Session(), tf.Session()
        s1.run(v.initializer)
        s2.run(v.initializer)
        s1.run(inc)
        s1.run(inc)
        assert (s1.run(v), s2.run(v)) == (2.0, 0.0)


def test_make_callable_and_list_devices():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        sess = tf.Session()
        f = sess.make_callable(x * 3.0, [x])
        assert f(2.0) == 6.0
        assert any(d.device_type == "CPU" for d in sess.list_devices())


def test_config_proto_fields():
    c = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True,
                       gpu_options=tf.GPUOptions(allow_growth=True),
                       intra_op_parallelism_threads=2)
    assert c.allow_soft_placement and c.log_device_placement and c.gpu_options.allow_growth
    assert tf.ConfigProto().allow_soft_placement is False   # TensorFlow 1's default
    c.gpu_options.per_process_gpu_memory_fraction = 0.5
    with pytest.raises(ValueError, match='has no "nonsense" field'):
        tf.ConfigProto(nonsense=1)
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto"):
        tf.Session(config={"allow_soft_placement": True})
    with pytest.raises(TypeError, match="graph must be a tf.Graph"):
        tf.Session(graph="g")
    assert "allow_soft_placement: true" in repr(c)


def test_eager_switches_are_accepted():
    tf.disable_eager_execution()
    tf.enable_eager_execution()
    tf.disable_v2_behavior()
    assert tf.executing_eagerly() is False
    with tf.Graph().as_default():
        assert isinstance(tf.constant(1.0), tf.Tensor)


def test_print_shows_values_when_run(capsys):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        y = tf.Print(x * 2.0, [x, tf.range(5)], message="x, range: ", summarize=4, first_n=2)
        sess = tf.Session()
        for value in (1.0, 2.0, 3.0):
            assert sess.run(y, {x: value}) == 2 * value
    assert capsys.readouterr().out == "x, range: [1][0 1 2 3...]\nx, range: [2][0 1 2 3...]\n"


def test_device_count_hides_gpus():
    g = tf.Graph()
    with g.as_default(), g.device("/gpu:0"):
        y = tf.constant(1.0) + 1.0
    config = tf.ConfigProto(device_count={"GPU": 0}, allow_soft_placement=False)
    with pytest.raises(InvalidArgumentError, match="Cannot assign a device for operation (Const|add)"):
        tf.Session(graph=g, config=config).run(y)
    config.allow_soft_placement = True
    assert tf.Session(graph=g, config=config).run(y) == 2.0


# ====================================================================== variables

def test_uninitialized_variable_is_a_failed_precondition_naming_it():
    with tf.Graph().as_default():
        w1 = tf.Variable(tf.ones([2]), name="w1")
        y = w1 * 2.0
        sess = tf.Session()
        with pytest.raises(FailedPreconditionError,
                           match="Attempting to use uninitialized value w1"):
            sess.run(y)
        with pytest.raises(RuntimeError):         # FailedPreconditionError is a RuntimeError
            sess.run(w1)
        sess.run(w1.initializer)
        np.testing.assert_allclose(sess.run(y), [2.0, 2.0])


def test_variable_naming_collections_and_repr():
    with tf.Graph().as_default():
        a = tf.Variable(1.0)
        b = tf.Variable(2.0)
        w = tf.Variable([[1, 2]], name="w", trainable=False)
        assert (a.name, b.name, w.name) == ("Variable:0", "Variable_1:0", "w:0")
        assert a.op.type == "VariableV2" and a.initializer.name == "Variable/Assign"
        assert repr(w) == "<tf.Variable 'w:0' shape=(1, 2) dtype=int32_ref>"
        assert str(w) == repr(w)
        assert w.dtype is tf.int32 and w.shape.as_list() == [1, 2]
        assert tf.trainable_variables() == [a, b] and tf.global_variables() == [a, b, w]
        assert w.value().name == "w/read:0"
        d = tf.Variable(1.0, dtype=tf.float64)
        assert d.dtype is tf.float64
        with pytest.raises(ValueError, match="Tensor conversion requested dtype float64"):
            tf.Variable(tf.ones([2]), dtype=tf.float64)
        with pytest.raises(ValueError, match="initial_value must be specified"):
            tf.Variable()
        with pytest.raises(ValueError, match="must have a shape specified"):
            tf.Variable(tf.placeholder(tf.float32, [None]))
        lazy = tf.Variable(lambda: tf.zeros([3]))
        assert lazy.shape.as_list() == [3]


def test_assign_ops_and_initializers():
    with tf.Graph().as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        other = tf.Variable(5.0, name="other")
        sess = tf.Session()
        sess.run(tf.variables_initializer([v]))
        assert sess.run(tf.is_variable_initialized(other)) == False  # noqa: E712
        np.testing.assert_allclose(sess.run(v.assign([3.0, 4.0])), [3.0, 4.0])
        np.testing.assert_allclose(sess.run(v.assign_add([1.0, 1.0])), [4.0, 5.0])
        np.testing.assert_allclose(sess.run(tf.assign_sub(v, [4.0, 4.0])), [0.0, 1.0])
        np.testing.assert_allclose(sess.run(tf.assign(v, v * 2.0 + 1.0)), [1.0, 3.0])
        with pytest.raises(ValueError, match="shapes must be equal"):
            v.assign([1.0, 2.0, 3.0])
        v.load([9.0, 9.0], sess)
        np.testing.assert_allclose(sess.run(v), [9.0, 9.0])
        sess.run(tf.initializers.global_variables())
        assert sess.run(other) == 5.0
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])
        with pytest.raises(FailedPreconditionError, match="uninitialized value fresh"):
            sess.run(tf.Variable(1.0, name="fresh").assign_add(1.0))


def test_initializer_order_lets_initial_values_read_earlier_variables():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0])
        twice = tf.Variable(w.initialized_value() * 2)
        sess = tf.Session()
        sess.run(twice.initializer)          # initialises w on the way
        np.testing.assert_allclose(sess.run(twice), [2.0, 4.0])
        np.testing.assert_allclose(sess.run(w), [1.0, 2.0])


def test_initializer_objects():
    with tf.Graph().as_default():
        shape = [40, 60]
        made = {
            "zeros": tf.zeros_initializer()(shape), "ones": tf.ones_initializer()(shape),
            "const": tf.constant_initializer(0.5)(shape),
            "normal": tf.random_normal_initializer(1.0, 0.1, seed=1)(shape),
            "trunc": tf.truncated_normal_initializer(0.0, 1.0, seed=1)(shape),
            "uniform": tf.random_uniform_initializer(-2.0, -1.0, seed=1)(shape),
            "glorot": tf.glorot_uniform_initializer(seed=1)(shape),
            "glorot_n": tf.glorot_normal_initializer(seed=1)(shape),
            "he": tf.initializers.he_normal(seed=1)(shape),
            "int zeros": tf.zeros_initializer(tf.int32)(shape),
        }
        got = tf.Session().run(made)
    assert (got["zeros"] == 0).all() and (got["ones"] == 1).all() and (got["const"] == 0.5).all()
    assert abs(got["normal"].mean() - 1.0) < 0.02 and abs(got["normal"].std() - 0.1) < 0.02
    assert np.abs(got["trunc"]).max() <= 2.0
    assert got["uniform"].min() >= -2.0 and got["uniform"].max() < -1.0
    limit = np.sqrt(6.0 / (40 + 60))
    assert np.abs(got["glorot"]).max() <= limit and np.abs(got["glorot"]).max() > 0.9 * limit
    assert abs(got["glorot_n"].std() - np.sqrt(2.0 / 100)) < 0.02
    assert got["int zeros"].dtype == np.int32


# ---------------------------------------------------------------------- get_variable and scopes

def test_get_variable_errors_have_tensorflows_messages():
    with tf.Graph().as_default():
        tf.get_variable("v", [1])
        with pytest.raises(ValueError) as info:
            tf.get_variable("v", [1])
        assert str(info.value).startswith(
            "Variable v already exists, disallowed. Did you mean to set reuse=True or "
            "reuse=tf.AUTO_REUSE in VarScope?")
        with tf.variable_scope("scope", reuse=True):
            with pytest.raises(ValueError) as info:
                tf.get_variable("v", [1])
        assert str(info.value).startswith(
            "Variable scope/v does not exist, or was not created with tf.get_variable(). Did "
            "you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        tf.Variable(1.0, name="plain")
        with tf.variable_scope("", reuse=True), pytest.raises(ValueError, match="does not exist"):
            tf.get_variable("plain")


def test_variable_scope_reuse_rules():
    with tf.Graph().as_default():
        with tf.variable_scope("layer1"):
            w = tf.get_variable("w", [2, 3])
            with tf.variable_scope("inner"):
                b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        assert (w.name, b.name) == ("layer1/w:0", "layer1/inner/b:0")
        with tf.variable_scope("layer1", reuse=True):
            assert tf.get_variable("w") is w
            with tf.variable_scope("inner"):            # reuse is inherited
                assert tf.get_variable("b") is b
            with tf.variable_scope("inner", reuse=False):   # and cannot be switched off
                assert tf.get_variable("b") is b
            with pytest.raises(ValueError, match="specified shape"):
                tf.get_variable("w", [3, 3])
            with pytest.raises(ValueError, match="specified dtype"):
                tf.get_variable("w", dtype=tf.float64)
        with tf.variable_scope("layer1") as scope:
            scope.reuse_variables()
            assert tf.get_variable("w") is w
        with tf.variable_scope(scope, reuse=True):
            assert tf.get_variable("w") is w
        for _ in range(3):
            with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
                tf.get_variable("k", [1])
        with tf.variable_scope(None, default_name="dense"):
            d0 = tf.get_variable("k", [1])
        with tf.variable_scope(None, default_name="dense"):
            d1 = tf.get_variable("k", [1])
        assert (d0.name, d1.name) == ("dense/k:0", "dense_1/k:0")
        names = [v.name for v in tf.global_variables()]
        assert names == ["layer1/w:0", "layer1/inner/b:0", "auto/k:0", "dense/k:0", "dense_1/k:0"]
        with tf.variable_scope("ops"):
            c = tf.constant(1.0, name="c")
        assert c.name == "ops/c:0"
        assert tf.get_variable_scope().name == ""


def test_get_variable_initializers_shapes_and_dtypes():
    with tf.Graph().as_default():
        g = tf.get_variable("g", [30, 20])                      # glorot uniform by default
        i = tf.get_variable("i", [2], dtype=tf.int32)           # zeros for ints
        c = tf.get_variable("c", initializer=np.array([1.0, 2.0], np.float32))
        t = tf.get_variable("t", initializer=tf.constant([[3.0]]))
        with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
            tf.get_variable("bad", [2], initializer=[1.0, 2.0])
        with pytest.raises(ValueError, match="must be fully defined"):
            tf.get_variable("nos")
        with tf.variable_scope("s", initializer=tf.constant_initializer(7.0), dtype=tf.float64):
            s = tf.get_variable("s", [2])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run({"g": g, "i": i, "c": c, "t": t, "s": s})
    assert np.abs(got["g"]).max() <= np.sqrt(6.0 / 50)
    assert got["i"].tolist() == [0, 0] and got["i"].dtype == np.int32
    assert got["c"].tolist() == [1.0, 2.0] and got["t"].tolist() == [[3.0]]
    assert got["s"].tolist() == [7.0, 7.0] and got["s"].dtype == np.float64


# ====================================================================== random ops

def test_random_nodes_draw_fresh_values_each_run_reproducibly():
    def build_and_run():
        with tf.Graph().as_default():
            tf.set_random_seed(1234)
            r = tf.random_uniform([3])
            n = tf.random_normal([2], seed=7)
            sess = tf.Session()
            return [sess.run(r), sess.run(r), sess.run(n)], tf.Session().run(r)
    (r1, r2, n1), fresh_session = build_and_run()
    (s1, s2, m1), _ = build_and_run()
    assert not np.allclose(r1, r2)                      # a new draw per run
    np.testing.assert_array_equal(r1, s1)               # the same program repeats
    np.testing.assert_array_equal(r2, s2)
    np.testing.assert_array_equal(n1, m1)
    np.testing.assert_array_equal(fresh_session, r1)    # each session restarts the stream


def test_op_seed_alone_is_reproducible_and_same_seed_variables_share_a_start():
    with tf.Graph().as_default():
        w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, seed=1))
        w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, seed=1))
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        a, b = sess.run([w1, w2])
    np.testing.assert_array_equal(a.ravel()[:3], b.ravel())
    d2l.random.set_seed(None)
    with tf.Graph().as_default():
        again = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, seed=1))
        sess = tf.Session()
        sess.run(again.initializer)
        np.testing.assert_array_equal(sess.run(again), a)
        first = sess.run(again)
        sess.run(again.initializer)                       # re-running draws the next values
        assert not np.allclose(sess.run(again), first)


def test_one_run_computes_each_node_once():
    with tf.Graph().as_default():
        r = tf.random_uniform([3])
        a, b, total = tf.Session().run([r, r, r + r])
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(total, 2 * a)
        x = tf.placeholder(tf.float32)
        assert tf.Session().run([x.op, x], {x: 1.0}) == [None, 1.0]


def test_unseeded_random_ops_differ_between_sessions():
    with tf.Graph().as_default():
        r = tf.random_uniform([8])
        assert not np.allclose(tf.Session().run(r), tf.Session().run(r))


def test_building_graphs_leaves_the_eager_random_state_alone():
    d2l.random.set_seed(5)
    expected = d2l.random.uniform([4]).numpy()
    d2l.random.set_seed(5)
    with tf.Graph().as_default():
        r = tf.random_uniform([4]) + tf.random_normal([4]) + tf.nn.dropout(tf.ones([4]), 0.5)
        tf.Session().run(r)
    np.testing.assert_array_equal(d2l.random.uniform([4]).numpy(), expected)


def test_random_op_kinds():
    with tf.Graph().as_default() as g:
        tf.random.set_random_seed(0)
        assert g.seed == 0
        out = {"gamma": tf.random_gamma([500], alpha=2.0, beta=2.0),
               "poisson": tf.random_poisson(3.0, [500]), "shuffle": tf.random_shuffle(tf.range(10)),
               "multi": tf.multinomial([[0.0, -1e9]], 4), "trunc": tf.truncated_normal([500])}
        got = tf.Session().run(out)
    assert abs(got["gamma"].mean() - 1.0) < 0.15 and abs(got["poisson"].mean() - 3.0) < 0.3
    assert sorted(got["shuffle"].tolist()) == list(range(10))
    assert got["multi"].tolist() == [[0, 0, 0, 0]] and np.abs(got["trunc"]).max() <= 2.0


# ====================================================================== gradients

def test_gradients_are_symbolic_and_computed_by_the_eager_tape():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        w = tf.Variable(3.0)
        unused = tf.Variable(1.0)
        y = w * x ** 2 + tf.stop_gradient(w) * x
        dx, dw, du = tf.gradients(y, [x, w, unused])
        assert du is None and dx.shape == x.shape
        (dsg,) = tf.gradients(tf.stop_gradient(w) * 2.0, [w])
        assert dsg is None
        (weighted,) = tf.gradients(y, [x], grad_ys=[2.0])
        zero = tf.gradients(y, unused, unconnected_gradients="zero")
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        got = sess.run([dx, dw, weighted, zero], {x: 2.0})
    assert got[:3] == [3.0 * 2 * 2.0 + 3.0, 4.0, 2 * (3.0 * 2 * 2.0 + 3.0)]
    assert got[3] == 0.0


def test_gradients_through_cond_and_while_loop():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        y = tf.cond(x > 0, lambda: x * x, lambda: -3.0 * x)
        (dy,) = tf.gradients(y, [x])
        _, z = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, 1.0])
        (dz,) = tf.gradients(z, [x])                    # z = x³, dz/dx = 3x²
        sess = tf.Session()
        assert sess.run([y, dy], {x: 2.0}) == [4.0, 4.0]
        assert sess.run([y, dy], {x: -1.0}) == [3.0, -3.0]
        assert sess.run([z, dz], {x: 2.0}) == [8.0, 12.0]


def test_cond_runs_only_the_chosen_branch():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32)
        v = tf.Variable(0.0)
        out = tf.cond(x > 0, lambda: tf.assign_add(v, 1.0), lambda: tf.identity(v) - 100.0)
        sess = tf.Session()
        sess.run(v.initializer)
        assert sess.run(out, {x: -1.0}) == -100.0
        assert sess.run(v) == 0.0
        assert sess.run(out, {x: 1.0}) == 1.0
        with pytest.raises(TypeError, match="callables"):
            tf.cond(x > 0, 1.0, 2.0)
        with pytest.raises(ValueError, match="dtypes"):
            tf.cond(x > 0, lambda: tf.constant(1), lambda: tf.constant(1.0))
        both = tf.cond(x > 0, lambda: {"y": x * 2.0, "n": [x]}, lambda: {"y": -x, "n": [x + 1.0]})
        assert sess.run(both, {x: 3.0}) == {"y": 6.0, "n": [3.0]}
        assert sess.run(both, {x: -3.0}) == {"y": 3.0, "n": [-2.0]}


# ====================================================================== training

def _tf1_reference(kind, w0, steps, lr, **hp):
    """TensorFlow 1's update formulas written out in NumPy (float64), for loss sum(w²)."""
    w, slot, slot2 = np.array(w0, np.float64), np.zeros(len(w0)), np.zeros(len(w0))
    b1p, b2p = hp.get("beta1", 0.9), hp.get("beta2", 0.999)
    if kind == "adagrad":
        slot = np.full(len(w0), hp.get("initial", 0.1))
    for _ in range(steps):
        g = 2 * w
        if kind == "sgd":
            w = w - lr * g
        elif kind == "momentum":
            slot = hp["momentum"] * slot + g
            w = w - lr * (g + hp["momentum"] * slot if hp.get("nesterov") else slot)
        elif kind == "adam":
            b1, b2, eps = hp.get("beta1", 0.9), hp.get("beta2", 0.999), hp.get("epsilon", 1e-8)
            lr_t = lr * np.sqrt(1 - b2p) / (1 - b1p)
            slot = b1 * slot + (1 - b1) * g
            slot2 = b2 * slot2 + (1 - b2) * g * g
            w = w - lr_t * slot / (np.sqrt(slot2) + eps)
            b1p, b2p = b1p * b1, b2p * b2
        elif kind == "adagrad":
            slot = slot + g * g
            w = w - lr * g / np.sqrt(slot)
    return w


@pytest.mark.parametrize("kind,make,hp", [
    ("sgd", lambda: tf.train.GradientDescentOptimizer(0.1), {}),
    ("momentum", lambda: tf.train.MomentumOptimizer(0.05, 0.9), {"momentum": 0.9}),
    ("momentum", lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True),
     {"momentum": 0.9, "nesterov": True}),
    ("adam", lambda: tf.train.AdamOptimizer(0.1), {}),
    ("adam", lambda: tf.train.AdamOptimizer(0.01, beta1=0.5, beta2=0.9, epsilon=1e-3),
     {"beta1": 0.5, "beta2": 0.9, "epsilon": 1e-3}),
    ("adagrad", lambda: tf.train.AdagradOptimizer(0.3), {}),
])
def test_optimizers_follow_tensorflow1_formulas(kind, make, hp):
    w0, steps = [1.0, -2.0, 0.5], 12
    with tf.Graph().as_default():
        w = tf.Variable(w0)
        opt = make()
        train = opt.minimize(tf.reduce_sum(w * w))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                assert sess.run(train) is None
            got = sess.run(w)
    lr = opt._learning_rate
    np.testing.assert_allclose(got, _tf1_reference(kind, w0, steps, lr, **hp), rtol=2e-5,
                               atol=1e-6)


def test_adam_defaults_are_tensorflow1s():
    opt = tf.train.AdamOptimizer()
    assert (opt._learning_rate, opt._beta1, opt._beta2, opt._epsilon) == (0.001, 0.9, 0.999, 1e-8)
    assert opt.get_name() == "Adam"


def test_minimize_options_global_step_and_var_list():
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        assert tf.train.get_or_create_global_step() is step and step.dtype is tf.int64
        a = tf.Variable(1.0, name="a")
        b = tf.Variable(1.0, name="b")
        loss = a * a + b * b
        train = tf.train.GradientDescentOptimizer(0.25).minimize(loss, global_step=step,
                                                                 var_list=[a])
        assert train.name == "GradientDescent" and train in tf.get_collection("train_op")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train)
            sess.run(train)
            assert sess.run([a, b, step]) == [0.25, 1.0, 2]
        with pytest.raises(ValueError, match="already exists"):
            tf.train.create_global_step()


def test_minimize_of_a_non_scalar_loss_uses_its_sum():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 2.0])
        per_element = w * w                            # not reduced
        train = tf.train.GradientDescentOptimizer(0.1).minimize(per_element)
        with tf.Session() as sess:
            sess.run(w.initializer)
            sess.run(train)
            np.testing.assert_allclose(sess.run(w), [1.0 - 0.2, 2.0 - 0.4])


def test_minimize_errors():
    with tf.Graph().as_default():
        w = tf.Variable(1.0)
        with pytest.raises(ValueError, match="No gradients provided for any variable"):
            tf.train.AdamOptimizer().minimize(tf.constant(2.0) * 3.0)
        with pytest.raises(ValueError, match="Invalid type int32"):
            tf.train.AdamOptimizer().minimize(tf.constant(1))
        with pytest.raises(TypeError, match="loss must be a graph tensor"):
            tf.train.AdamOptimizer().minimize(3.0)
        with pytest.raises(TypeError, match="learning_rate"):
            tf.train.GradientDescentOptimizer("fast")
        assert w is not None
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="No variables to optimize"):
            tf.train.AdamOptimizer().minimize(tf.constant(2.0) * 3.0)


def test_compute_and_apply_gradients_with_clipping():
    with tf.Graph().as_default():
        w = tf.Variable([3.0, -4.0])
        opt = tf.train.GradientDescentOptimizer(1.0)
        pairs = opt.compute_gradients(tf.reduce_sum(w * w))
        clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in pairs]
        train = opt.apply_gradients(clipped)
        with tf.Session() as sess:
            sess.run(w.initializer)
            sess.run(train)
            np.testing.assert_allclose(sess.run(w), [2.0, -3.0])


def test_reinitializing_restarts_the_optimizer_state():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, -1.0])
        train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(w * w))
        init = tf.global_variables_initializer()
        with tf.Session() as sess:
            runs = []
            for _ in range(2):
                sess.run(init)
                for _ in range(5):
                    sess.run(train)
                runs.append(sess.run(w))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_learning_rate_can_be_a_decaying_tensor():
    with tf.Graph().as_default():
        step = tf.Variable(0, trainable=False)
        lr = tf.train.exponential_decay(0.5, step, decay_steps=1, decay_rate=0.5, staircase=True)
        w = tf.Variable(1.0)
        train = tf.train.GradientDescentOptimizer(lr).minimize(w, global_step=step)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            assert sess.run(w) == pytest.approx(1.0 - 0.5 - 0.25 - 0.125)
            assert sess.run(step) == 3


def test_graph_and_eager_training_give_the_same_loss_curve():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((32, 4)).astype(np.float32)
    Y = (X[:, :1] * X[:, 1:2] > 0).astype(np.float32)
    W1 = rng.standard_normal((4, 8)).astype(np.float32) * 0.5
    W2 = rng.standard_normal((8, 1)).astype(np.float32) * 0.5

    def loss_of(m, x, y, w1, w2):
        logits = m.matmul(m.nn.relu(m.matmul(x, w1)), w2)
        return m.reduce_mean(m.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))

    graph_losses = []
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        y = tf.placeholder(tf.float32, [None, 1])
        w1, w2 = tf.Variable(W1), tf.Variable(W2)
        loss = loss_of(tf, x, y, w1, w2)
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for i in range(60):
                batch = slice((i * 8) % 32, (i * 8) % 32 + 8)
                value, _ = sess.run([loss, train], {x: X[batch], y: Y[batch]})
                graph_losses.append(value)

    eager_losses = []
    v1, v2 = d2l.Variable(W1), d2l.Variable(W2)
    opt = d2l.optimizers.Adam(0.05, epsilon=1e-8)
    for i in range(60):
        batch = slice((i * 8) % 32, (i * 8) % 32 + 8)
        with d2l.GradientTape() as tape:
            value = loss_of(d2l, d2l.constant(X[batch]), d2l.constant(Y[batch]), v1, v2)
        opt.apply_gradients(zip(tape.gradient(value, [v1, v2]), [v1, v2]))
        eager_losses.append(value.numpy())
    np.testing.assert_allclose(graph_losses, eager_losses, rtol=1e-5, atol=1e-6)
    assert graph_losses[-1] < 0.7 * graph_losses[0]


# ====================================================================== devices

def test_device_requests_are_recorded_in_canonical_form():
    g = tf.Graph()
    with g.as_default():
        with g.device("/gpu:0"):
            a = tf.constant(1.0)
            with tf.device("/cpu:0"):
                b = tf.constant(2.0)
            with tf.device(None):
                c = tf.constant(3.0)
        d = tf.constant(4.0)
    assert (a.device, b.device, c.device, d.device) == ("/device:GPU:0", "/device:CPU:0", "", "")
    with pytest.raises(ValueError, match="cannot parse device"):
        with g.device("/tpu:0"):
            pass


@pytest.mark.skipif(HAS_GPU, reason="checks the CPU-only fallback")
def test_soft_placement_falls_back_to_the_cpu_and_strict_placement_fails():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([[1.0, 2.0]])
        with g.device("/gpu:0"):
            y = tf.matmul(x, tf.ones([2, 1]))
    soft = tf.Session(graph=g, config=tf.ConfigProto(allow_soft_placement=True))
    assert soft.run(y).tolist() == [[3.0]]
    strict = tf.Session(graph=g, config=tf.ConfigProto(allow_soft_placement=False))
    with pytest.raises(InvalidArgumentError) as info:
        strict.run(y)
    msg = str(info.value)
    assert msg.startswith("Cannot assign a device for operation ") and "no GPU" in msg
    assert "allow_soft_placement=True" in msg
    assert tf.Session(graph=g).run(y).tolist() == [[3.0]]     # no config: the engine's setting


def test_log_device_placement_prints_each_op_once(capfd):
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([[0.7, 0.9]])
        w = tf.Variable(tf.ones([2, 1]), name="w")
        y = tf.matmul(x, w)
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
    with tf.Session(graph=g, config=config) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(y)
        sess.run(y)
    err = capfd.readouterr().err
    dev = backend.default_device().name       # GPU:0 when one is visible, as in TensorFlow
    assert f"MatMul: (MatMul): {dev}" in err
    assert f"w: (VariableV2): {dev}" in err
    assert err.count("MatMul: (MatMul)") == 1
    quiet = tf.Session(graph=g)
    quiet.run(w.initializer)
    quiet.run(y)
    assert "MatMul" not in capfd.readouterr().err


@pytest.mark.skipif(not HAS_GPU, reason="needs a GPU")
def test_ops_and_variables_run_on_the_gpu_when_asked():
    g = tf.Graph()
    with g.as_default():
        with g.device("/gpu:0"):
            w = tf.Variable(tf.ones([2, 2]))
            y = tf.matmul(w, w)
        train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(y))
    with tf.Session(graph=g, config=tf.ConfigProto(log_device_placement=True)) as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(y).shape == (2, 2)
        assert "GPU" in sess._variables[w].device


# ====================================================================== documentation

def test_public_names_have_docstrings():
    missing = []
    for prefix, space in [("tf", tf), ("tf.nn", tf.nn), ("tf.math", tf.math),
                          ("tf.random", tf.random), ("tf.linalg", tf.linalg),
                          ("tf.train", tf.train), ("tf.initializers", tf.initializers)]:
        for name in dir(space):
            obj = getattr(space, name)
            if name.startswith("_") or not callable(obj) or isinstance(obj, type(tf)):
                continue
            if getattr(obj, "__module__", "").startswith(("d2l_core", "builtins")) is False:
                continue
            if not (obj.__doc__ or "").strip():
                missing.append(f"{prefix}.{name}")
    assert missing == []
