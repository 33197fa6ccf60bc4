"""String tensors as TensorFlow has them (issue 13: TensorFlow's own guides run on d2l_core).

Values, reprs and errors were taken from TensorFlow 2.21. The ops' values in
every shape are checked from their registry entries (tests/properties); this
file holds what those tables cannot say: conversion, printing, the errors of
numeric ops on text, placement on a GPU, datasets, and the cells of
TensorFlow's guide ``site/en/guide/tensor.ipynb`` ("String tensors").
"""
import numpy as np
import pytest

import d2l_core as tf
import fake_cupy
from d2l_core import backend
from d2l_core.errors import DTypeMismatchError, InvalidArgumentError, UnimplementedError


# ============================================================ the guide's cells, printed as TF prints

def test_the_guides_string_cells_print_what_tensorflow_prints(capsys):
    scalar_string_tensor = tf.constant("Gray wolf")
    print(scalar_string_tensor)
    tensor_of_strings = tf.constant(["Gray wolf", "Quick brown fox", "Lazy dog"])
    print(tensor_of_strings)
    print(repr(tf.constant("🥳👍")))
    print(tf.strings.split(scalar_string_tensor, sep=" "))
    print(tf.strings.to_number(tf.strings.split(tf.constant("1 10 100"), " ")))
    print("Byte strings:", tf.strings.bytes_split(tf.constant("Duck")))
    print("Bytes:", tf.io.decode_raw(tf.constant("Duck"), tf.uint8))
    unicode_bytes = tf.constant("アヒル 🦆")
    print("\nUnicode bytes:", unicode_bytes)
    print("\nUnicode chars:", tf.strings.unicode_split(unicode_bytes, "UTF-8"))
    print("\nUnicode values:", tf.strings.unicode_decode(unicode_bytes, "UTF-8"))
    assert capsys.readouterr().out == r"""tf.Tensor(b'Gray wolf', shape=(), dtype=string)
tf.Tensor([b'Gray wolf' b'Quick brown fox' b'Lazy dog'], shape=(3,), dtype=string)
<tf.Tensor: shape=(), dtype=string, numpy=b'\xf0\x9f\xa5\xb3\xf0\x9f\x91\x8d'>
tf.Tensor([b'Gray' b'wolf'], shape=(2,), dtype=string)
tf.Tensor([  1.  10. 100.], shape=(3,), dtype=float32)
Byte strings: tf.Tensor([b'D' b'u' b'c' b'k'], shape=(4,), dtype=string)
Bytes: tf.Tensor([ 68 117  99 107], shape=(4,), dtype=uint8)

Unicode bytes: tf.Tensor(b'\xe3\x82\xa2\xe3\x83\x92\xe3\x83\xab \xf0\x9f\xa6\x86', shape=(), dtype=string)

Unicode chars: tf.Tensor([b'\xe3\x82\xa2' b'\xe3\x83\x92' b'\xe3\x83\xab' b' ' b'\xf0\x9f\xa6\x86'], shape=(5,), dtype=string)

Unicode values: tf.Tensor([ 12450  12498  12523     32 129414], shape=(5,), dtype=int32)
"""


def test_splitting_a_tensor_of_strings_names_the_ragged_tensor_it_would_need():
    with pytest.raises(UnimplementedError, match=r"split: .* shape \(3,\) TensorFlow returns a "
                                                 r"RaggedTensor.*one string at a time"):
        tf.strings.split(tf.constant(["Gray wolf", "Quick brown fox", "Lazy dog"]))
    with pytest.raises(NotImplementedError, match="RaggedTensor"):
        tf.strings.bytes_split(["ab", "c"])


# ============================================================ the dtype, conversion and display

def test_string_is_a_dtype_like_tensorflows():
    assert tf.string.name == "string" and repr(tf.string) == "tf.string"
    assert str(tf.string) == "<dtype: 'string'>" and tf.string == "string"
    assert tf.as_dtype(np.object_) is tf.as_dtype(np.str_) is tf.as_dtype(np.bytes_) is tf.string
    assert tf.string.as_numpy_dtype is object and tf.string.size == 0
    assert not (tf.string.is_numeric or tf.string.is_floating or tf.string.is_integer)
    with pytest.raises(TypeError, match=r"Cannot find minimum value of <dtype: 'string'>"):
        tf.string.min


@pytest.mark.parametrize("value, numpy", [
    ("hello", b"hello"),
    (b"hello", b"hello"),
    ("é", b"\xc3\xa9"),                                          # UTF-8
    (np.str_("x"), b"x"),
    (["a", b"b"], np.array([b"a", b"b"], dtype=object)),
    ([["a", "b"], ["c", "d"]], np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object)),
    (np.array(["a", "bc"]), np.array([b"a", b"bc"], dtype=object)),
    (np.array([b"a", b"bc"]), np.array([b"a", b"bc"], dtype=object)),
    (np.array(["a", "bc"], dtype=object), np.array([b"a", b"bc"], dtype=object)),
])
def test_text_becomes_a_string_tensor_of_bytes(value, numpy):
    t = tf.constant(value)
    assert t.dtype is tf.string
    got = t.numpy()
    if isinstance(numpy, bytes):
        assert type(got) is bytes and got == numpy           # a scalar gives bytes, as in TF
    else:
        assert got.dtype == object and got.shape == numpy.shape and (got == numpy).all()
        assert all(type(v) is bytes for v in got.flat)


def test_reprs_and_prints_are_tensorflows():
    v = tf.constant([["a", "b"], ["c", "d"]])
    assert repr(v) == ("<tf.Tensor: shape=(2, 2), dtype=string, numpy=\narray([[b'a', b'b'],\n"
                       "       [b'c', b'd']], dtype=object)>")
    assert str(v) == "tf.Tensor(\n[[b'a' b'b']\n [b'c' b'd']], shape=(2, 2), dtype=string)"
    assert repr(tf.Variable(["x", "y"])) == ("<tf.Variable 'Variable:0' shape=(2,) dtype=string, "
                                             "numpy=array([b'x', b'y'], dtype=object)>")
    assert format(tf.constant("a")) == "b'a'"
    assert bool(tf.constant("a")) and not bool(tf.constant(""))


def test_shape_indexing_and_array_ops_treat_strings_as_atoms():
    v = tf.constant(["Gray wolf", "dog"])
    assert v.shape == (2,) and len(v) == 2 and tf.size(v).numpy() == 2
    assert v[0].numpy() == b"Gray wolf" and [s.numpy() for s in v] == [b"Gray wolf", b"dog"]
    assert tf.reshape(v, (2, 1)).shape == (2, 1)
    assert tf.concat([v, v], 0).numpy().tolist() == [b"Gray wolf", b"dog"] * 2
    assert tf.fill([2], "x").numpy().tolist() == [b"x", b"x"]
    assert tf.zeros((2,), tf.string).numpy().tolist() == [b"", b""]      # TF's zero for text
    assert tf.zeros_like(v).numpy().tolist() == [b"", b""]


def test_string_variables_assign_whole_and_in_slices():
    v = tf.Variable(["x", "y"])
    v[0].assign("z")
    assert v.numpy().tolist() == [b"z", b"y"] and type(v.numpy()[0]) is bytes
    v[:].assign("w")
    assert v.numpy().tolist() == [b"w", b"w"]
    assert v.assign(["p", "q"]).numpy().tolist() == [b"p", b"q"]


def test_equality_and_plus_work_on_text_as_in_tensorflow():
    a, v = tf.constant("a"), tf.constant(["x", "yy"])
    assert (a + tf.constant("b")).numpy() == b"ab"
    assert (a + "c").numpy() == b"ac" and ("c" + a).numpy() == b"ca"
    assert (v + a).numpy().tolist() == [b"xa", b"yya"]                 # broadcasting
    assert tf.add(a, "b").numpy() == b"ab"
    assert (v == "x").numpy().tolist() == [True, False]
    assert (a != "a").numpy() == np.False_
    assert tf.equal(v, ["x", "y"]).numpy().tolist() == [True, False]


@pytest.mark.parametrize("call, op", [
    (lambda a: a - a, "subtract"), (lambda a: a * a, "multiply"), (lambda a: -a, "negative"),
    (lambda a: a / a, "divide"), (lambda a: a < a, "less"), (lambda a: abs(a), "abs"),
    (lambda a: tf.reduce_sum(a), "reduce_sum"), (lambda a: tf.reduce_max(a), "reduce_max"),
    (lambda a: tf.maximum(a, a), "maximum"), (lambda a: tf.argmax(a), "argmax"),
    (lambda a: tf.math.cumsum(a), "cumsum"), (lambda a: tf.add_n([a, a]), "add_n"),
    (lambda a: tf.subtract(a[:0], a[:0]), "subtract"),          # empty: still TF's error
])
def test_arithmetic_and_order_on_text_raise_tensorflows_error(call, op):
    with pytest.raises(InvalidArgumentError, match=rf"^{op}: string tensors have no arithmetic "
                                                   r"or order.*to_number"):
        call(tf.constant(["b", "a"]))


def test_mixing_text_and_numbers_is_an_error_as_in_tensorflow():
    a = tf.constant("a")
    for call in (lambda: a + 1, lambda: a * 2, lambda: tf.constant(1, dtype=tf.string)):
        with pytest.raises(TypeError, match="Cannot convert .* dtype string.*as_string"):
            call()
    with pytest.raises(DTypeMismatchError, match="int32 and string"):
        tf.constant(1) + a
    with pytest.raises(TypeError, match="Cannot convert '1' to EagerTensor of dtype int32.*"
                                        "to_number"):
        tf.constant("1", dtype=tf.int32)
    with pytest.raises(ValueError, match="mixed types"):
        tf.constant(["a", 1])
    with pytest.raises(UnimplementedError, match="Cast string to int32 is not supported.*"
                                                 "to_number"):
        tf.cast(a, tf.int32)
    with pytest.raises(UnimplementedError, match="Cast int32 to string .*as_string"):
        tf.cast(tf.constant(1), tf.string)
    with pytest.raises(InvalidArgumentError, match="ones: .* dtype string"):
        tf.ones((2,), tf.string)
    with pytest.raises(InvalidArgumentError, match="length: expected a string tensor, got dtype "
                                                   "int32.*as_string"):
        tf.strings.length(tf.constant(1))
    with pytest.raises(InvalidArgumentError, match="assign_add: .* dtype string"):
        tf.Variable("x").assign_add("y")


# ============================================================ ops: TensorFlow's edge cases

def test_split_join_and_reduce_join_edges():
    split = tf.strings.split
    assert split("a  b ").numpy().tolist() == [b"a", b"b"]                  # whitespace runs
    assert split("a  b ", " ").numpy().tolist() == [b"a", b"", b"b", b""]   # every separator
    assert split("").shape == (0,) and split("", ",").numpy().tolist() == [b""]
    assert split("a b c", maxsplit=1).numpy().tolist() == [b"a", b"b c"]
    assert split("abc", "").numpy().tolist() == [b"abc"]
    with pytest.raises(InvalidArgumentError, match=r"shapes do not match: \[2\] vs. \[3\]"):
        tf.strings.join([["a", "b"], ["a", "b", "c"]])
    assert tf.strings.join([]).numpy() == b""
    x = tf.constant([["a", "b"], ["c", "d"]])
    assert tf.strings.reduce_join(x).numpy() == b"abcd"
    assert tf.strings.reduce_join(x, axis=[0, 1]).numpy() == b"acbd"      # TF's order
    assert tf.strings.reduce_join(x, axis=0, keepdims=True).shape == (1, 2)
    with pytest.raises(tf.errors.OutOfRangeError, match="dimension 2"):
        tf.strings.reduce_join(x, axis=2)


def test_to_number_and_as_string_follow_c():
    num = tf.strings.to_number
    assert num(" 1e3 ").numpy() == 1000.0 and np.isinf(num("1e40").numpy())
    assert num("0x1p3").numpy() == 8.0 and np.isnan(num("nan").numpy())
    assert num("-7", out_type=tf.int64).dtype is tf.int64
    for bad, out in (("1_0", tf.float32), ("1.5", tf.int32), ("", tf.float32),
                     ("99999999999", tf.int32), ("-1", tf.uint32)):
        with pytest.raises(InvalidArgumentError, match="could not correctly convert"):
            num(bad, out_type=out)
    with pytest.raises(InvalidArgumentError, match="out_type must be"):
        num("1", out_type=tf.bool)
    fmt = tf.strings.as_string
    assert fmt(tf.constant(1e20)).numpy() == b"100000002004087734272.000000"   # float32's value
    assert fmt(3.5, shortest=True).numpy() == b"3.5"
    assert fmt(3.5, scientific=True, precision=2).numpy() == b"3.50e+00"
    assert fmt(7, width=4).numpy() == b"   7" and fmt(7, width=4, fill="0").numpy() == b"0007"
    assert fmt([True, False]).numpy().tolist() == [b"true", b"false"]
    assert fmt(tf.constant(1 + 2j)).numpy() == b"(1.000000,2.000000)"
    with pytest.raises(InvalidArgumentError, match="precision is not supported for dtype int32"):
        fmt(7, precision=2)


def test_case_substr_regex_and_unicode_edges():
    assert tf.strings.lower("HÉLLO").numpy() == "hÉllo".encode()              # ASCII only
    assert tf.strings.lower("HÉLLO", encoding="utf-8").numpy() == "héllo".encode()
    s = tf.constant("héllo wörld")
    assert tf.strings.length(s).numpy() == 13
    assert tf.strings.length(s, unit="UTF8_CHAR").numpy() == 11
    assert tf.strings.length(b"a\xff", unit="UTF8_CHAR").numpy() == 2
    assert tf.strings.substr(s, 0, 3).numpy() == "hé".encode()
    assert tf.strings.substr(s, 1, 3, unit="UTF8_CHAR").numpy() == "éll".encode()
    assert tf.strings.substr(s, 0, -1).numpy() == s.numpy()
    assert tf.strings.substr(s, 0, -1, unit="UTF8_CHAR").numpy() == b""
    assert tf.strings.substr("abc", 3, 1).numpy() == b""
    with pytest.raises(InvalidArgumentError, match="pos -4 out of range"):
        tf.strings.substr("abc", -4, 1)
    assert tf.strings.regex_full_match("é", ".").numpy()                 # UTF-8 characters
    assert tf.strings.regex_replace("abc", "(b)", r"<\0\1>").numpy() == b"a<bb>c"
    assert tf.strings.regex_replace("abc", "", "-").numpy() == b"-a-b-c-"
    assert tf.strings.regex_replace("aaa", "a*", "X").numpy() == b"X"      # RE2, not Python
    with pytest.raises(InvalidArgumentError, match="invalid pattern"):
        tf.strings.regex_full_match("x", "(")
    assert tf.strings.unicode_decode(b"a\xe3\x82b", "UTF-8").numpy().tolist() == [97, 65533, 98]
    assert tf.strings.unicode_decode(b"a\xffb", "UTF-8", errors="ignore").numpy().tolist() == [
        97, 98]
    with pytest.raises(InvalidArgumentError, match="errors='replace'"):
        tf.strings.unicode_decode(b"\xff", "UTF-8", errors="strict")
    assert tf.strings.unicode_encode([[104, 233], [65, 66]], "UTF-8").numpy().tolist() == [
        "hé".encode(), b"AB"]
    assert tf.strings.unicode_encode([0x110000], "UTF-8").numpy() == "\ufffd".encode()
    with pytest.raises(InvalidArgumentError, match="rank must be at least 1"):
        tf.strings.unicode_encode(104, "UTF-8")
    assert tf.io.decode_raw("abcd", tf.int16, little_endian=False).numpy().tolist() == [
        24930, 25444]
    assert tf.io.decode_raw(["ab", "cd"], tf.uint8).shape == (2, 2)
    with pytest.raises(InvalidArgumentError, match="same size"):
        tf.io.decode_raw(["ab", "c"], tf.uint8)


# ============================================================ datasets

def test_datasets_of_strings_map_and_batch_as_in_tensorflow():
    ds = tf.data.Dataset.from_tensor_slices(["Gray wolf", "Quick brown fox", "Lazy dog"])
    assert repr(ds.element_spec) == "TensorSpec(shape=(), dtype=tf.string, name=None)"
    assert list(ds.as_numpy_iterator()) == [b"Gray wolf", b"Quick brown fox", b"Lazy dog"]
    upper = ds.map(tf.strings.upper).batch(2)
    assert repr(upper.element_spec) == "TensorSpec(shape=(None,), dtype=tf.string, name=None)"
    assert [b.numpy().tolist() for b in upper] == [[b"GRAY WOLF", b"QUICK BROWN FOX"],
                                                   [b"LAZY DOG"]]
    numbers = tf.data.Dataset.from_tensor_slices(["1 2", "3 4"]).map(
        lambda s: tf.strings.to_number(tf.strings.split(s)))
    assert numbers.element_spec.shape.as_list() == [None]         # as TF: pieces vary
    assert [b.tolist() for b in numbers.batch(2).as_numpy_iterator()] == [[[1.0, 2.0],
                                                                           [3.0, 4.0]]]
    assert list(ds.filter(lambda s: tf.strings.length(s) > 8).as_numpy_iterator()) == [
        b"Gray wolf", b"Quick brown fox"]


# ============================================================ placement: text stays on the host

@pytest.fixture
def fake_gpu(monkeypatch):
    if backend.gpu_count() > 0:
        return "/gpu:0"
    fake_cupy.install(monkeypatch)
    return "/gpu:0"


def test_text_and_ops_on_it_stay_on_the_host_inside_a_gpu_scope(fake_gpu, capsys):
    cpu = "/job:localhost/replica:0/task:0/device:CPU:0"
    with tf.device(fake_gpu):
        s = tf.constant(["Gray wolf", "dog"])
        n = tf.constant([1.5, 2.0])
        assert "GPU" in n.device and s.device == cpu
        assert tf.strings.length(s).device == cpu                 # no GPU kernel: runs on the CPU
        assert tf.strings.as_string(n).device == cpu
        assert tf.strings.to_number(tf.strings.as_string(n)).device == cpu
        picked = tf.where(tf.constant([True, False]), s, s[::-1])   # a bool next to text
        assert picked.device == cpu and picked.numpy().tolist() == [b"Gray wolf", b"Gray wolf"]
        assert tf.gather(s, tf.constant([1])).numpy().tolist() == [b"dog"]
        assert (s == "dog").device == cpu
        assert tf.zeros((2,), tf.string).device == cpu
    backend.placement.log_device_placement = True
    try:
        with tf.device(fake_gpu):
            tf.strings.upper(s)
            s + "!"
    finally:
        backend.placement.log_device_placement = False
    assert capsys.readouterr().err.splitlines() == [f"upper: {cpu}", f"add: {cpu}"]
