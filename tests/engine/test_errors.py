"""Every bad input gets an error that names the op, the shapes or dtypes, and a fix.

Errors carry TensorFlow's class names (``d2l.errors.InvalidArgumentError``) and
also subclass the matching Python built-in (``ValueError``, ``TypeError``,
``IndexError``), so both styles of ``except`` catch them; ``expect_error``
checks both styles on every case.
"""
import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import errors

InvalidArgument = errors.InvalidArgumentError


def expect_error(call, classes, *words):
    """``call()`` raises an instance of every class in ``classes``, mentioning every word.

    Each class is checked with its own ``pytest.raises``, as a learner's
    ``except ValueError:`` or ``except d2l.errors.InvalidArgumentError:`` would.
    """
    message = None
    for cls in classes:
        with pytest.raises(cls) as info:
            call()
        message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in error message: {message}"
    return message


# ============================================================ the error classes

@pytest.mark.parametrize("tf_name, builtin", [
    ("InvalidArgumentError", ValueError), ("OutOfRangeError", IndexError),
    ("NotFoundError", LookupError), ("UnimplementedError", NotImplementedError),
    ("FailedPreconditionError", RuntimeError), ("InternalError", RuntimeError),
    ("ResourceExhaustedError", MemoryError),
])
def test_error_classes_have_tensorflow_names_and_python_bases(tf_name, builtin):
    cls = getattr(d2l.errors, tf_name)
    assert issubclass(cls, d2l.errors.OpError) and issubclass(cls, builtin)
    err = cls("msg", op="someop")
    assert err.message == "msg" and err.op == "someop" and str(err) == "msg"


def test_dtype_and_index_errors_are_both_tensorflow_and_python_errors():
    assert issubclass(errors.DTypeMismatchError, InvalidArgument)
    assert issubclass(errors.DTypeMismatchError, TypeError)
    assert issubclass(errors.InvalidIndexError, InvalidArgument)
    assert issubclass(errors.InvalidIndexError, IndexError)


# ============================================================ broadcasting

@pytest.mark.parametrize("name, call", [
    ("add", lambda x, y: x + y),
    ("subtract", lambda x, y: d2l.subtract(x, y)),
    ("multiply", lambda x, y: x * y),
    ("divide", lambda x, y: x / y),
    ("maximum", lambda x, y: d2l.maximum(x, y)),
    ("less", lambda x, y: x < y),
    ("equal", lambda x, y: d2l.equal(x, y)),
    ("pow", lambda x, y: x ** y),
    ("floordiv", lambda x, y: x // y),
    ("mod", lambda x, y: x % y),
])
def test_shapes_that_cannot_broadcast(name, call):
    x, y = d2l.ones((3, 4)), d2l.ones((2, 4))
    expect_error(lambda: call(x, y), [InvalidArgument, ValueError],
                 name, "(3, 4)", "(2, 4)", "cannot be broadcast", "expand_dims")


def test_where_with_three_shapes_that_clash():
    expect_error(lambda: d2l.where(d2l.constant([True, False, True]), d2l.constant([1, 2]), 3),
                 [InvalidArgument, ValueError], "where", "(3,)", "(2,)", "broadcast")


def test_broadcast_to_a_shape_that_does_not_fit():
    expect_error(lambda: d2l.broadcast_to([1, 2], [3, 3]), [InvalidArgument, ValueError],
                 "broadcast_to", "(2,)", "(3, 3)", "must equal the target's or be 1")


def test_tensor_equality_with_unbroadcastable_shapes_is_false_not_an_error():
    # TensorFlow 2: == between shapes that cannot broadcast is simply False.
    assert (d2l.constant([1, 2]) == d2l.constant([1, 2, 3])) is False
    assert (d2l.constant([1, 2]) != d2l.constant([1, 2, 3])) is True
    assert (d2l.constant([1, 2]) == None) is False    # noqa: E711


# ============================================================ dtypes

@pytest.mark.parametrize("call", [
    lambda: d2l.constant([1, 2]) + d2l.constant([1.0, 2.0]),
    lambda: d2l.add(d2l.constant([1, 2]), d2l.constant([1.0, 2.0])),
    lambda: d2l.constant([1, 2]) == d2l.constant([1.0, 2.0]),
    lambda: d2l.matmul(d2l.ones((2, 2), d2l.int32), d2l.ones((2, 2))),
    lambda: d2l.where([True], d2l.constant([1]), d2l.constant([1.0])),
])
def test_mixed_dtypes_raise_and_suggest_cast(call):
    expect_error(call, [errors.DTypeMismatchError, InvalidArgument, TypeError, ValueError],
                 "int32", "float32", "d2l.cast(", "never converts")


def test_mixed_dtypes_in_concat_and_stack():
    a, b = d2l.zeros((2, 2)), d2l.zeros((2, 2), d2l.int32)
    expect_error(lambda: d2l.concat([a, b], 0), [InvalidArgument, ValueError],
                 "concat", "float32", "int32", "cast")
    expect_error(lambda: d2l.stack([a, b]), [InvalidArgument, ValueError],
                 "stack", "float32", "int32", "cast")


@pytest.mark.parametrize("call, words", [
    (lambda: d2l.constant([1, 2]) + 2.5, ["add", "2.5", "int32"]),
    (lambda: d2l.constant([1, 2]) * 2.0, ["multiply", "2.0", "int32"]),  # even a whole float
    (lambda: d2l.add(1, 2.5), ["add", "2.5", "int32"]),
    (lambda: d2l.constant([True]) == 1, ["equal", "bool"]),
    (lambda: d2l.constant([1.0]) + 1j, ["complex", "float32"]),
])
def test_python_numbers_that_do_not_fit_the_tensors_dtype(call, words):
    expect_error(call, [InvalidArgument, TypeError], *words)


@pytest.mark.parametrize("name, call", [
    ("add", lambda b: b + b), ("subtract", lambda b: b - b), ("multiply", lambda b: b * b),
    ("divide", lambda b: b / b), ("less", lambda b: b < b), ("negative", lambda b: -b),
    ("abs", lambda b: d2l.abs(b)), ("reduce_sum", lambda b: d2l.reduce_sum(b)),
    ("reduce_mean", lambda b: d2l.reduce_mean(b)), ("reduce_max", lambda b: d2l.reduce_max(b)),
    ("matmul", lambda b: d2l.matmul(d2l.reshape(b, (1, 2)), d2l.reshape(b, (2, 1)))),
])
def test_arithmetic_on_bool_tensors_says_to_cast(name, call):
    mask = d2l.constant([True, False])
    expect_error(lambda: call(mask), [InvalidArgument, TypeError], name, "bool",
                 "d2l.cast(mask, d2l.float32)")


@pytest.mark.parametrize("name", ["exp", "sqrt", "sin", "tanh", "sigmoid", "floor", "norm"])
def test_float_only_functions_on_integers(name):
    fn = getattr(d2l, name)
    expect_error(lambda: fn(d2l.constant([1, 2])), [InvalidArgument, TypeError],
                 name, "int32", "floating-point", "d2l.cast(")


@pytest.mark.parametrize("call, name", [
    (lambda: d2l.logical_and(d2l.constant([1]), d2l.constant([0])), "logical_and"),
    (lambda: d2l.logical_not(d2l.constant([1.0])), "logical_not"),
    (lambda: ~d2l.constant([1.5]), "logical_not"),
    (lambda: d2l.reduce_all(d2l.constant([1])), "reduce_all"),
    (lambda: d2l.where(d2l.constant([1, 0]), 1, 2), "where"),
])
def test_logical_ops_need_bools(call, name):
    expect_error(call, [InvalidArgument, TypeError], name, "bool", "x > 0")


@pytest.mark.parametrize("call, words", [
    (lambda: d2l.as_dtype("floaty"), ["as_dtype", "'floaty'", "float32", "int32"]),
    (lambda: d2l.constant([1, 2], dtype="flaot32"), ["'flaot32'", "float32"]),
    (lambda: d2l.zeros((2,), dtype="int"), None),      # 'int' is a valid alias: no error
    (lambda: d2l.cast([1, 2], "double precision"), ["'double precision'", "float64"]),
    (lambda: d2l.as_dtype(np.datetime64), ["no d2l_core equivalent", "float32"]),
    (lambda: d2l.as_dtype(str), ["as_dtype", "d2l.string"]),    # np.str_ and object: tf.string
])
def test_unknown_dtype_names_list_the_valid_ones(call, words):
    if words is None:
        assert call().dtype == d2l.int32
        return
    expect_error(call, [TypeError], *words)


@pytest.mark.parametrize("call, words", [
    (lambda: d2l.constant(1.5, dtype=d2l.int32), ["constant", "1.5", "int32"]),
    (lambda: d2l.constant([1.0, 2.0], dtype=d2l.int32), ["constant", "int32", "float"]),
    (lambda: d2l.constant([1, 0], dtype=d2l.bool), ["constant", "bool", "True/False"]),
    (lambda: d2l.constant([300], dtype=d2l.uint8), ["constant", "300", "uint8", "0..255"]),
    (lambda: d2l.constant(d2l.constant([1, 2]), dtype=d2l.float32),
     ["constant", "int32", "float32", "d2l.cast("]),
    (lambda: d2l.convert_to_tensor(d2l.constant([1, 2]), dtype=d2l.float32),
     ["convert_to_tensor", "int32", "float32", "d2l.cast("]),
    (lambda: d2l.Variable(d2l.constant([1.5]), dtype=d2l.int32),
     ["Variable", "float32", "int32", "d2l.cast("]),
])
def test_conversions_that_would_lose_information(call, words):
    expect_error(call, [InvalidArgument, TypeError], *words)


@pytest.mark.parametrize("call, words", [
    (lambda: d2l.constant(2**63), ["constant", "out of range", "64-bit"]),
    (lambda: d2l.constant([2**70]), ["constant", "out of range"]),
    (lambda: d2l.constant(1e40), ["constant", "out of range", "float32", "float64"]),
    (lambda: d2l.constant([[1, 2], [3]]), ["constant", "ragged", "same length"]),
])
def test_values_out_of_range_or_ragged(call, words):
    # TensorFlow raises a plain ValueError ("Can't convert non-rectangular Python sequence to
    # Tensor.", "... out-of-range integer ..."), not InvalidArgumentError.
    message = expect_error(call, [ValueError], *words)
    with pytest.raises(ValueError) as info:
        call()
    assert not isinstance(info.value, InvalidArgument), message


def test_a_ragged_list_starts_with_tensorflows_sentence():
    with pytest.raises(ValueError, match="^Can't convert non-rectangular Python sequence to "
                                         "Tensor."):
        d2l.constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])
    with pytest.raises(ValueError, match="non-rectangular"):
        d2l.Variable([[1, 2], [3]])


@pytest.mark.parametrize("value", [None, object(), {"a": 1}])     # text is d2l.string
def test_values_that_are_not_numbers(value):
    expect_error(lambda: d2l.constant(value), [TypeError], "constant", "tensor")


# ============================================================ shapes

@pytest.mark.parametrize("shape, words", [
    ((5, -1), ["(5, -1)", "12 elements", "divide"]),
    ((7,), ["(7,)", "exactly 12 elements"]),
    ((-1, -1), ["(-1, -1)", "only one dimension may be -1"]),
    ((2, -2, 6), ["(2, -2, 6)"]),
])
def test_impossible_reshapes(shape, words):
    x = d2l.reshape(d2l.range(12), (3, 4))
    expect_error(lambda: d2l.reshape(x, shape), [InvalidArgument, ValueError],
                 "reshape", "(3, 4)", *words)
    expect_error(lambda: x.reshape(shape), [InvalidArgument, ValueError], "reshape")


@pytest.mark.parametrize("a, b, words", [
    ((3, 4), (3, 4), ["inner dimensions differ", "(3, 4) @ (3, 4)", "transpose"]),
    ((2, 3), (4, 5), ["inner dimensions differ", "(2, 3) @ (4, 5)", "3 == 4"]),
    ((2,), (2, 1), ["rank >= 2", "(2,)", "reshape"]),
    ((2, 2, 3), (3, 3, 4), ["batch dimensions", "(2,)", "(3,)"]),
])
def test_matmul_shape_errors(a, b, words):
    expect_error(lambda: d2l.matmul(d2l.ones(a), d2l.ones(b)), [InvalidArgument, ValueError],
                 "matmul", *words)
    expect_error(lambda: d2l.ones(a) @ d2l.ones(b), [InvalidArgument, ValueError], "matmul")


@pytest.mark.parametrize("call, words", [
    (lambda x: d2l.reduce_sum(x, axis=2), ["reduce_sum", "axis 2", "rank 2", "-2..1"]),
    (lambda x: d2l.reduce_mean(x, axis=[0, 0]), ["reduce_mean", "twice"]),
    (lambda x: d2l.argmax(x, axis=-3), ["argmax", "axis -3"]),
    (lambda x: d2l.argmax(d2l.constant(5)), ["argmax", "scalar"]),
    (lambda x: d2l.concat([x, x], 2), ["concat", "axis 2"]),
    (lambda x: d2l.concat([x, d2l.zeros((3, 3))], 1), ["concat", "(2, 3)", "(3, 3)", "axis 1"]),
    (lambda x: d2l.concat([d2l.constant(1.0), d2l.constant(2.0)], 0), ["concat", "d2l.stack"]),
    (lambda x: d2l.stack([x, d2l.zeros((3, 2))]), ["stack", "(2, 3)", "(3, 2)"]),
    (lambda x: d2l.stack([x, x], axis=3), ["stack", "axis 3", "-3..2"]),
    (lambda x: d2l.unstack(x, num=3), ["unstack", "num=3", "length 2"]),
    (lambda x: d2l.unstack(d2l.constant(1.0)), ["unstack", "scalar"]),
    (lambda x: d2l.split(x, 2, axis=1), ["split", "length 3", "2 equal parts", "sizes"]),
    (lambda x: d2l.split(x, [1, 1], axis=1), ["split", "[1, 1]", "add up to 3"]),
    (lambda x: d2l.split(x, [-1, -1, 3], axis=1), ["split", "only one -1"]),
    (lambda x: d2l.squeeze(x, axis=0), ["squeeze", "axis 0", "length 2"]),
    (lambda x: d2l.expand_dims(x, 3), ["expand_dims", "axis 3", "-3..2"]),
    (lambda x: d2l.transpose(x, perm=[0, 0]), ["transpose", "[0, 0]", "permutation"]),
    (lambda x: d2l.transpose(x, perm=[1, 0, 2]), ["transpose", "permutation"]),
    (lambda x: d2l.tile(x, [2]), ["tile", "[2]", "one entry per axis"]),
    (lambda x: d2l.zeros((2, -3)), ["zeros", "(2, -3)", "negative"]),
    (lambda x: d2l.fill([2], [1, 2]), ["fill", "scalar"]),
    (lambda x: d2l.constant([1, 2, 3], shape=(2, 2)), ["constant", "3 values", "(2, 2)"]),
    (lambda x: d2l.boolean_mask(x, [True, False, True]), ["boolean_mask", "(3,)", "(2, 3)"]),
    (lambda x: d2l.one_hot([0, 1], 3, axis=2), ["one_hot", "axis", "2"]),
    (lambda x: d2l.one_hot([0, 1], -1), ["one_hot", "depth", "-1"]),
    (lambda x: d2l.clip_by_value(x, d2l.zeros((4, 2, 3)), 1.0), ["clip_by_value", "enlarge"]),
    (lambda x: d2l.range(1, 5, 0), ["range", "delta"]),
    (lambda x: d2l.range(5, 1), ["range", "start <= limit", "negative delta"]),
    (lambda x: d2l.add_n([x, d2l.zeros((3, 2))]), ["add_n", "shape"]),
    (lambda x: d2l.norm(x, ord=2, axis=[0, 1]), ["norm", "ord", "'fro'"]),
])
def test_shape_and_axis_errors(call, words):
    x = d2l.zeros((2, 3))
    expect_error(lambda: call(x), [InvalidArgument, ValueError], *words)


# ============================================================ indexing

@pytest.mark.parametrize("key, words", [
    (5, ["index 5", "axis 0", "size 3", "-3..2"]),
    (-4, ["index -4", "axis 0", "size 3"]),
    ((0, 9), ["index 9", "axis 1", "size 4"]),
    ((Ellipsis, 4), ["index 4", "axis 1"]),
    ((0, 0, 0), ["too many indices", "rank 2"]),
])
def test_out_of_range_indices(key, words):
    x = d2l.reshape(d2l.range(12), (3, 4))
    expect_error(lambda: x[key], [errors.InvalidIndexError, InvalidArgument, IndexError,
                                  ValueError], "getitem", "(3, 4)", *words)


def test_out_of_range_index_through_a_variable_slice():
    v = d2l.Variable(d2l.zeros((2, 3)))
    expect_error(lambda: v[2].assign([1.0, 2.0, 3.0]), [InvalidArgument, IndexError],
                 "index 2", "size 2")


@pytest.mark.parametrize("indices, words", [
    ([0, 3], ["gather", "indices[1] = 3", "[0, 3)"]),
    ([-1], ["gather", "indices[0] = -1", "[0, 3)"]),
])
def test_gather_out_of_range(indices, words):
    with d2l.device("/CPU:0"):      # TF's GPU kernel gives 0 instead (test_indexing.py)
        expect_error(lambda: d2l.gather([1, 2, 3], indices), [InvalidArgument, IndexError], *words)


@pytest.mark.parametrize("key, words", [
    (1.0, ["float", "integers"]),
    ([0, 1], ["list", "d2l.gather"]),
    (d2l.constant([0, 1]), ["shape (2,)", "d2l.gather"]),
    (d2l.constant(1.0), ["float32", "d2l.gather"]),
    (slice(0.5, 2), ["slice bounds must be integers"]),
])
def test_invalid_index_types(key, words):
    x = d2l.zeros((3, 4))
    expect_error(lambda: x[key], [TypeError], *words)


def test_more_than_one_ellipsis_and_zero_step():
    x = d2l.zeros((3, 4))
    expect_error(lambda: x[..., ...], [IndexError], "single ellipsis")
    expect_error(lambda: x[::0], [InvalidArgument, ValueError], "step", "zero")


@pytest.mark.parametrize("op, call, words", [
    ("gather", lambda: d2l.gather([1, 2], [0.0]), ["indices must be integers", "float32"]),
    ("one_hot", lambda: d2l.one_hot([0.0, 1.0], 3), ["float32", "d2l.cast("]),
    ("boolean_mask", lambda: d2l.boolean_mask([1, 2], [1, 0]), ["bool", "int32"]),
])
def test_index_arguments_of_the_wrong_dtype(op, call, words):
    with pytest.raises(errors.DTypeMismatchError) as info:
        call()
    assert info.value.op == op
    expect_error(call, [errors.DTypeMismatchError, InvalidArgument, TypeError, ValueError],
                 op, *words)


@pytest.mark.parametrize("op, call, words", [
    ("where", lambda: d2l.where([True, False], [1, 2]), ["give both x and y, or neither"]),
    ("where", lambda: d2l.where([True, False], y=[1, 2]), ["give both x and y, or neither"]),
    ("dropout", lambda: d2l.nn.dropout(d2l.ones((2,)), rate=1.0), ["rate", "[0, 1)", "1.0"]),
    ("dropout", lambda: d2l.nn.dropout(d2l.ones((2,)), rate=-0.5), ["rate", "-0.5"]),
])
def test_bad_argument_values_are_invalid_argument_errors(op, call, words):
    with pytest.raises(InvalidArgument) as info:
        call()
    assert info.value.op == op
    expect_error(call, [InvalidArgument, ValueError], op, *words)


# ============================================================ immutability and Variables

def test_assigning_into_a_tensor_points_to_variable():
    t = d2l.constant([1, 2, 3])
    with pytest.raises(TypeError) as info:
        t[0] = 5
    assert "immutable" in str(info.value) and "d2l.Variable" in str(info.value)
    with pytest.raises(AttributeError) as info:
        t.assign([3, 4, 5])
    assert "immutable" in str(info.value) and "d2l.Variable" in str(info.value)
    assert not hasattr(t, "assign") and not hasattr(t, "assign_add")
    np.testing.assert_array_equal(t.numpy(), [1, 2, 3])      # nothing changed


def test_item_assignment_on_a_variable_points_to_slice_assign():
    v = d2l.Variable([1, 2, 3])
    with pytest.raises(TypeError) as info:
        v[0] = 5
    assert "v[0].assign(value)" in str(info.value)


@pytest.mark.parametrize("call, words", [
    (lambda v: v.assign([1.0, 2.0]), ["assign", "(2,)", "(2, 3)", "keeps its shape"]),
    (lambda v: v.assign_add(d2l.ones((3, 2))), ["assign_add", "(3, 2)", "(2, 3)"]),
    (lambda v: v.assign_sub(1.0), ["assign_sub", "shape ()", "(2, 3)"]),
    (lambda v: v[0].assign([1.0, 2.0]), ["assign", "[0]", "(3,)", "(2,)"]),
    (lambda v: v[:, 1:].assign(d2l.ones((2, 3))), ["assign", "(2, 2)", "(2, 3)"]),
])
def test_assigning_a_value_of_the_wrong_shape(call, words):
    v = d2l.Variable(d2l.zeros((2, 3)))
    expect_error(lambda: call(v), [ValueError], *words)
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 3)))    # nothing was written


@pytest.mark.parametrize("call, plain", [
    (lambda v: v.assign([1.0, 2.0, 3.0]), True),      # TF: ValueError (checked in Python)
    (lambda v: v.assign(1.0), True),
    (lambda v: v.assign_add([1.0, 2.0, 3.0]), False),  # TF: InvalidArgumentError (the kernel)
    (lambda v: v.assign_sub([1.0, 2.0, 3.0]), False),
])
def test_wrong_shape_errors_have_tensorflows_types(call, plain):
    v = d2l.Variable([2.0, 3.0])
    with pytest.raises(ValueError) as info:
        call(v)
    assert isinstance(info.value, InvalidArgument) is not plain


@pytest.mark.parametrize("call, words", [
    (lambda v: v.assign(d2l.zeros((2, 3), d2l.int32)), ["int32", "float32", "d2l.cast("]),
    (lambda v: v.assign_add(d2l.ones((2, 3), d2l.float64)), ["float64", "float32"]),
    (lambda v: v[0].assign(d2l.constant([1, 2, 3])), ["int32", "float32", "d2l.cast("]),
])
def test_assigning_a_value_of_the_wrong_dtype(call, words):
    v = d2l.Variable(d2l.zeros((2, 3)))
    expect_error(lambda: call(v), [errors.DTypeMismatchError, InvalidArgument, TypeError,
                                   ValueError], *words)


def test_assigning_python_floats_to_an_integer_variable():
    v = d2l.Variable([1, 2])
    expect_error(lambda: v.assign([1.5, 2.0]), [InvalidArgument, TypeError], "int32", "float")
    expect_error(lambda: v[0].assign(2.5), [InvalidArgument, TypeError], "int32")
    np.testing.assert_array_equal(v.numpy(), [1, 2])


def test_variable_needs_an_initial_value():
    expect_error(lambda: d2l.Variable(), [ValueError], "initial_value")


# ============================================================ scalars and Python protocols

@pytest.mark.parametrize("call, cls, words", [
    (lambda: float(d2l.constant([1.0, 2.0])), TypeError, ["float()", "(2,)", "scalar"]),
    (lambda: int(d2l.constant([1])), TypeError, ["int()", "(1,)", "scalar"]),
    (lambda: [1, 2][d2l.constant([1])], TypeError, ["index()", "scalar"]),
    (lambda: [1, 2][d2l.constant(1.0)], TypeError, ["integer", "float32", "d2l.cast("]),
    (lambda: bool(d2l.constant([True, False])), ValueError, ["(2,)", "ambiguous",
                                                             "reduce_any"]),
    (lambda: len(d2l.constant(3)), TypeError, ["len()", "scalar", "d2l.size"]),
    (lambda: list(d2l.constant(3)), TypeError, ["iterate", "scalar"]),
    (lambda: d2l.constant([1, 2]) in [d2l.constant([3, 4])], ValueError, ["ambiguous"]),
])
def test_scalar_conversions_of_non_scalars(call, cls, words):
    expect_error(call, [cls], *words)


# ============================================================ arithmetic domain errors

@pytest.mark.parametrize("call, words", [
    (lambda: d2l.constant([1, 2]) // 0, ["floordiv", "division by zero"]),
    (lambda: d2l.constant([1, 2]) % d2l.constant([1, 0]), ["mod", "division by zero"]),
    (lambda: d2l.constant([2, 3]) ** -1, ["pow", "negative integer powers", "float"]),
])
def test_integer_arithmetic_domain_errors(call, words):
    expect_error(call, [InvalidArgument, ValueError], *words)


def test_float_division_by_zero_gives_inf_and_nan_without_warnings():
    import warnings
    # Record with the filters as they are (d2l_core's own included); `recwarn` would
    # switch every warning to "always" and so override them.
    with warnings.catch_warnings(record=True) as caught:
        out = (d2l.constant([1.0, -1.0, 0.0]) / 0.0).numpy()
        assert np.isposinf(out[0]) and np.isneginf(out[1]) and np.isnan(out[2])
        assert np.isnan(d2l.math.log(-1.0).numpy()) and np.isneginf(d2l.math.log(0.0).numpy())
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


# ============================================================ random ops

@pytest.mark.parametrize("call, cls, words", [
    (lambda: d2l.random.normal([2], dtype=d2l.int32), TypeError, ["normal", "int32", "float"]),
    (lambda: d2l.random.uniform([2], dtype=d2l.int32), ValueError, ["uniform", "maxval"]),
    (lambda: d2l.random.uniform([2], 5, 5, dtype=d2l.int32), ValueError, ["minval < maxval"]),
    (lambda: d2l.random.normal([2, -1]), ValueError, ["normal", "negative"]),
])
def test_random_argument_errors(call, cls, words):
    expect_error(call, [cls], *words)


def test_transpose_perm_outside_the_axes_is_an_error_not_wrapped():
    with pytest.raises(d2l.errors.InvalidArgumentError,
                       match=r"transpose: perm \[0, 1, 5\] must be a permutation"):
        d2l.transpose(d2l.zeros((2, 3, 4)), perm=[0, 1, 5])


def test_variable_keyword_typo_is_a_type_error():
    with pytest.raises(TypeError, match="trainabel"):
        d2l.Variable(1.0, trainabel=False)


def test_clip_by_value_with_reversed_bounds_is_not_an_error_as_in_tensorflow():
    """TF computes max(min(t, max), min) and checks nothing (TF 2.21: [2. 2. 2.] and
    [2. 0. 0.], gradient all zero); a check would cost a GPU a round trip per call."""
    x = d2l.Variable([1.0, 5.0, -3.0])
    with d2l.GradientTape() as tape:
        y = d2l.clip_by_value(x, 2.0, 0.0)
    np.testing.assert_array_equal(y.numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(d2l.clip_by_value([1.0, 5.0, -3.0], [2.0, 0.0, 0.0], 0.0).numpy(),
                                  [2.0, 0.0, 0.0])


@pytest.mark.parametrize("namespace, name, hint", [
    ("math", "expp", "tf.math.exp"), ("nn", "gelu", None), ("linalg", "lu", None),
    ("random", "stateless_gamma", None), ("strings", "lowerr", "tf.strings.lower"),
])
def test_a_name_missing_from_a_namespace_says_so_not_a_bare_attribute_error(namespace, name, hint):
    module = getattr(d2l, namespace)
    with pytest.raises(errors.UnknownNameError, match=rf"d2l_core has no tf\.{namespace}\.{name}") as info:
        getattr(module, name)
    assert f"dir(d2l_core.{namespace})" in str(info.value)
    if hint:
        assert f"Did you mean {hint}?" in str(info.value)
    assert not hasattr(module, name) and getattr(module, "__wrapped__", None) is None


def test_is_nan_is_inf_is_finite_follow_tensorflow():
    x = d2l.constant([1.0, float("nan"), float("inf"), -float("inf")])
    assert d2l.math.is_nan(x).numpy().tolist() == [False, True, False, False]
    assert d2l.math.is_inf(x).numpy().tolist() == [False, False, True, True]
    assert d2l.math.is_finite(x).numpy().tolist() == [True, False, False, False]
    with pytest.raises(TypeError, match="is_nan: expected a floating-point tensor, got dtype int32"):
        d2l.math.is_nan([1, 2])
