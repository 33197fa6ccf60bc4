"""tf.Module and name scopes, tf.custom_gradient, tf.debugging, and out-of-scope names.

Expected values were read off TensorFlow 2.21 (Keras-2 answers from tf_keras 2.21).
"""
import numpy as np
import pytest

import d2l_core as d2l


# ============================================================ name_scope and Module

def test_name_scope_nests_and_prefixes_variable_names_as_tf():
    with d2l.name_scope("foo"):
        v, u = d2l.Variable(1.0, name="w"), d2l.Variable(2.0)
        with d2l.name_scope("bar") as scope:
            z = d2l.Variable(1.0, name="z")
        with d2l.name_scope("abs/") as absolute:
            pass
        with d2l.name_scope("") as top:
            q = d2l.Variable(1.0, name="q")
    assert (scope, absolute, top) == ("foo/bar/", "abs/", "")
    assert [t.name for t in (v, u, z, q)] == ["foo/w:0", "foo/Variable:0", "foo/bar/z:0", "q:0"]
    assert d2l.Variable(1.0, name="after").name == "after:0"
    with pytest.raises(ValueError, match="name for name_scope must be a string"):
        d2l.name_scope(3)


class MyMod(d2l.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.v = d2l.Variable(1.0, name="v")

    @d2l.Module.with_name_scope
    def __call__(self, x):
        self.u = d2l.Variable(1.0, name="u")
        return x


def test_module_names_and_scopes_match_tf():
    m = MyMod()
    m(1.0)
    assert (m.name, m.name_scope.name, m.v.name, m.u.name) == ("my_mod", "my_mod/", "my_mod/v:0",
                                                               "my_mod/u:0")
    with d2l.name_scope("outer"):
        m2 = MyMod()
    m2(1.0)                          # the scope is where the module was made
    assert (m2.name_scope.name, m2.v.name, m2.u.name) == ("outer/my_mod/", "outer/my_mod/v:0",
                                                          "outer/my_mod/u:0")
    with pytest.raises(ValueError, match="'bad name' is not a valid module name"):
        MyMod(name="bad name")
    assert d2l.Module().name == "module"
    assert d2l.module.camel_to_snake("HTTPServerX") == "http_server_x"


def test_module_walks_attributes_in_tf_order():
    root = d2l.Module(name="root")
    root.z = d2l.Variable(1.0, name="z")
    root.a = {"y": d2l.Variable(2.0, name="y", trainable=False), "x": [d2l.Variable(3.0, name="x")]}
    root.child = d2l.Module(name="child")
    root.child.w = d2l.Variable(4.0, name="w")
    root.alias = root.z                               # each variable once
    assert [v.name for v in root.variables] == ["x:0", "y:0", "z:0", "w:0"]
    assert [v.name for v in root.trainable_variables] == ["x:0", "z:0", "w:0"]
    assert [v.name for v in root.non_trainable_variables] == ["y:0"]
    assert [m.name for m in root.submodules] == ["child"]
    assert isinstance(root.variables, tuple)
    paths = [p for p, _ in root._flatten(predicate=lambda x: isinstance(x, d2l.Variable),
                                         with_path=True)]
    assert paths == [("a", "x", 0), ("a", "y"), ("alias",), ("z",), ("child", "w")]
    root.child.parent = root                          # a cycle ends
    assert len(root.submodules) == 1


def test_module_without_super_init_still_tracks_variables():
    class Model(d2l.Module):                          # TF's basics guide skips super().__init__()
        def __init__(self):
            self.w_q, self.b = d2l.Variable(1.0), d2l.Variable(2.0)
    m = Model()
    assert [float(v) for v in m.variables] == [2.0, 1.0]
    with pytest.raises(AttributeError, match="super"):
        m.name


def test_keras_layers_are_modules_and_keep_keras_order():
    d2l.keras.backend.clear_session()

    class Flexible(d2l.keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.inner = d2l.Module(name="inner_mod")
            with self.inner.name_scope:
                self.inner.v = d2l.Variable(3.0, name="mv")

        def build(self, shape):
            self.w = d2l.Variable(d2l.zeros([2]), name="w")
            self.k = self.add_weight(name="k", shape=(1,))
            self.nt = d2l.Variable(1.0, trainable=False, name="nt")

    layer = Flexible(name="l")
    assert isinstance(layer, d2l.Module)
    layer(d2l.zeros((1, 2)))
    # own Variables first (add_weight ones, then attributes), then those of sub-modules
    assert [v.name for v in layer.variables] == ["l/k:0", "l/w:0", "inner_mod/mv:0", "l/nt:0"]
    assert [v.name for v in layer.non_trainable_variables] == ["l/nt:0"]
    assert [m.name for m in layer.submodules] == ["inner_mod"]

    class MLP(d2l.keras.Model):
        def __init__(self):
            super().__init__()
            self.h, self.o = d2l.keras.layers.Dense(2), d2l.keras.layers.Dense(1)
            self.more = [Flexible(name="z1"), {"b": Flexible(name="zb"), "a": Flexible(name="za")}]

        def call(self, x):
            return self.o(self.h(x))
    m = MLP()
    m(d2l.zeros((1, 3)))
    assert [s.name for s in m.submodules] == ["dense", "dense_1", "z1", "za", "zb",
                                              "inner_mod", "inner_mod", "inner_mod"]
    assert [v.name for v in m.trainable_variables][:4] == [
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    holder = d2l.Module()
    holder.model = m
    assert len(holder.trainable_variables) == len(m.trainable_variables)
    assert {id(v) for v in holder.variables} == {id(v) for v in m.variables}


def test_add_weight_outside_build_still_gets_the_layer_prefix():
    layer = d2l.keras.layers.Layer(name="demo")
    assert layer.add_weight("w", shape=(1,)).name == "demo/w:0"


# ============================================================ custom_gradient

@d2l.custom_gradient
def log1pexp(x):
    e = d2l.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))
    return d2l.math.log(1 + e), grad


def test_custom_gradient_log1pexp_first_and_second_order():
    x = d2l.constant(1.0)
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            y = log1pexp(x)
        dy = inner.gradient(y, x)
    np.testing.assert_allclose(float(dy), 0.7310586, rtol=1e-6)
    np.testing.assert_allclose(float(outer.gradient(dy, x)), 0.19661194, rtol=1e-5)
    big = d2l.constant(100.0)
    with d2l.GradientTape() as tape:
        tape.watch(big)
        y = log1pexp(big)
    assert float(tape.gradient(y, big)) == 1.0


def test_custom_gradient_records_one_op_and_clips():
    @d2l.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return d2l.clip_by_norm(dy, 0.5)
        return y, backward
    v = d2l.Variable(2.0)
    with d2l.GradientTape(persistent=True) as t:
        out = clip_gradients(v * v)
    assert float(t.gradient(out, v)) == 2.0
    assert [name for name, _, _ in t.records()][-1] == "clip_gradients"
    with d2l.GradientTape() as t:
        out = clip_gradients(v)                 # a Variable argument gets its gradient
    assert float(t.gradient(out, v)) == 0.5


def test_custom_gradient_variables_methods_and_counts():
    w = d2l.Variable(3.0, name="w")

    @d2l.custom_gradient
    def linear(x):
        def grad(dy, variables=None):
            return dy * w, [dy * x * 10]
        return x * w, grad
    x = d2l.constant(2.0)
    with d2l.GradientTape() as t:
        t.watch(x)
        out = linear(x)
    assert [float(g) for g in t.gradient(out, [x, w])] == [3.0, 20.0]

    @d2l.custom_gradient
    def no_variables_kw(x):
        return x * w, lambda dy: dy
    with pytest.raises(TypeError, match="must accept keyword argument 'variables'"):
        no_variables_kw(x)

    @d2l.custom_gradient
    def wrong(a, b):
        return a + b, lambda dy: dy
    a, b = d2l.constant(1.0), d2l.constant(2.0)
    with d2l.GradientTape() as t:
        t.watch([a, b])
        r = wrong(a, b)
    with pytest.raises(ValueError, match="expected to return 2 gradients, but returned 1"):
        t.gradient(r, [a, b])

    @d2l.custom_gradient
    def multi(x):
        return (x * 2, x * 3), lambda d1, d2: d1 * 2 + d2 * 3
    with d2l.GradientTape() as t:
        t.watch(a)
        p, q = multi(a)
    assert float(t.gradient(p, a)) == 2.0     # the unused output's gradient is zeros

    class M(d2l.Module):
        @d2l.custom_gradient
        def f(self, x):
            return x * 1, lambda dy: dy * 7
    with d2l.GradientTape() as t:
        t.watch(a)
        r = M().f(a)
    assert float(t.gradient(r, a)) == 7.0
    assert float(log1pexp(d2l.constant(0.0))) == pytest.approx(np.log(2.0))   # no tape


# ============================================================ debugging

def test_binary_asserts_match_tf_messages():
    x, y = d2l.constant([1.0, 2.0, 3.0]), d2l.constant([1.0, 2.0, 4.0])
    assert d2l.debugging.assert_equal(x, x) is None
    with pytest.raises(d2l.errors.InvalidArgumentError) as info:
        d2l.debugging.assert_equal(x, y, message="custom msg", summarize=1)
    assert str(info.value) == ("custom msg\nCondition x == y did not hold.\nIndices of first 1 "
                               "different values:\n[[2]]\nCorresponding x values:\n[3.]\n"
                               "Corresponding y values:\n[4.]\nFirst 1 elements of x:\n[1.]\n"
                               "First 1 elements of y:\n[1.]")
    with pytest.raises(d2l.errors.InvalidArgumentError, match="Condition x < y did not hold"):
        d2l.debugging.assert_less(x, y)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="Condition x == y did not hold.\n"
                                                              "First 1 elements of x:\n\\[1\\]"):
        d2l.debugging.assert_equal(1, 2)
    d2l.debugging.assert_greater(y + 1.0, x)
    d2l.debugging.assert_less(d2l.zeros((2, 3)), d2l.ones((3,)))      # broadcasts


def test_assert_near_rank_type_shapes():
    x = d2l.constant([1.0, 2.0, 3.0])
    d2l.debugging.assert_near(x, x + 1e-7)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="rtol = tf.Tensor\\(1.1920929e-06"):
        d2l.debugging.assert_near(x, [1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="^hey.  Tensor  must have rank 2.  Received rank 1, "
                                         "shape \\(3,\\)$"):
        d2l.debugging.assert_rank(x, 2, message="hey")
    with pytest.raises(TypeError, match="^tensor must be of type tf.int32; got tf.float32$"):
        d2l.debugging.assert_type(x, d2l.int32)
    d2l.debugging.assert_shapes([(x, ("N",)), (d2l.zeros((3, 2)), ("N", "D"))])
    d2l.debugging.assert_shapes([(d2l.zeros((2, 3, 4)), (..., "D")), (d2l.zeros((4,)), ("D",))])
    with pytest.raises(ValueError, match="^Specified by tensor shape=\\(3,\\) dtype=float32 "
                                         "dimension 0.  Tensor shape=\\(2, 2\\) dtype=float32 "
                                         "dimension 0 must have size 3.  Received size 2"):
        d2l.debugging.assert_shapes([(x, ("N",)), (d2l.zeros((2, 2)), ("N", "D"))])


def test_check_numerics_and_its_gradient():
    with pytest.raises(d2l.errors.InvalidArgumentError, match="^bad : Tensor had Inf and NaN values$"):
        d2l.debugging.check_numerics(d2l.constant([np.inf, np.nan]), "bad")
    with pytest.raises(d2l.errors.InvalidArgumentError, match="cast it first"):
        d2l.debugging.assert_all_finite(d2l.constant([1, 2]), "ints")
    x = d2l.constant([0.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.sqrt(d2l.debugging.check_numerics(x, "x"))      # sqrt'(0) is inf
    with pytest.raises(d2l.errors.InvalidArgumentError,
                       match="detected in gradient. x : Tensor had Inf values$"):
        tape.gradient(y, x)
    d2l.debugging.enable_check_numerics()
    d2l.debugging.disable_check_numerics()
    d2l.debugging.set_log_device_placement(False)


def test_graph_mode_debugging():
    import d2l_core.compat.v1 as tf
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, shape=[None])
        y = tf.debugging.check_numerics(x, "x")
        assert y.op.type == "CheckNumerics"
        with tf.Session() as sess:
            assert sess.run(y, {x: [1.0]}).tolist() == [1.0]
            with pytest.raises(d2l.errors.InvalidArgumentError, match="x : Tensor had NaN"):
                sess.run(y, {x: [np.nan]})
        with pytest.raises(NotImplementedError, match="builds no graph node"):
            tf.debugging.assert_equal(x, x)


# ============================================================ out of scope

@pytest.mark.parametrize("name", ["saved_model", "distribute", "ragged",
                                  "feature_column", "image", "train"])
def test_out_of_scope_namespaces_explain_themselves(name):
    ns = getattr(d2l, name)
    assert "__doc__" in dir(ns)
    assert not hasattr(ns, "__wrapped__")
    with pytest.raises(d2l.errors.NotSupportedError, match=f"d2l_core does not provide "
                                                           f"tf.{name}.anything: .*instead"):
        ns.anything
    with pytest.raises(NotImplementedError):
        ns()


def test_sparse_has_to_dense_and_explains_the_rest():
    """tf.sparse is mostly out of scope, but SparseTensor and to_dense are there (guides use them)."""
    assert d2l.sparse.to_dense(d2l.SparseTensor([[0, 1]], [2.0], [1, 2])).numpy().tolist() == [
        [0.0, 2.0]]
    with pytest.raises(d2l.errors.NotSupportedError, match="tf.sparse.reorder: sparse tensors"):
        d2l.sparse.reorder
    assert not hasattr(d2l.sparse, "no_such_thing")


def test_unknown_names_are_clear_attribute_errors():
    assert not hasattr(d2l, "no_such_thing")
    assert getattr(d2l, "no_such_thing", None) is None
    with pytest.raises(AttributeError, match="d2l_core has no tf.reduce_summ: it is not part of "
                                             "the TensorFlow subset .*Did you mean tf.reduce_sum"):
        d2l.reduce_summ
    with pytest.raises(d2l.errors.NotSupportedError, match="tf.RaggedTensor: ragged tensors"):
        d2l.RaggedTensor
    with pytest.raises(AttributeError, match="^module 'd2l_core' has no attribute '__wrapped__'$"):
        d2l.__wrapped__
