"""The tensor snippets of the seeds (000, 001, 004) run with ``import d2l_core as tf``.

Each test quotes the seed's lines (in comments) and checks what the seed says
they give. The seeds were written for TensorFlow 2.0; where a seed's snippet
relies on something TensorFlow itself rejects, the test shows the error
TensorFlow gives and then the fixed line. The autodiff snippets are tested with
the autodiff engine, not here.
"""
import math

import numpy as np
import pytest

import d2l_core as tf
from strategies import assert_same


# ============================================================ seed 004, 2.1.1 creating tensors

def seed004_x_X_Y():
    x = tf.constant(range(12))
    X = tf.reshape(x, (3, 4))
    Y = tf.constant([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    return x, X, Y


def test_004_create_a_tensor():
    # x = tf.constant(range(12))
    # x.shape         # tensor形状
    # len(x)          # tensor中元素个数
    # x
    x = tf.constant(range(12))
    assert x.shape == (12,)
    assert len(x) == 12
    assert repr(x) == ("<tf.Tensor: shape=(12,), dtype=int32, numpy=array([ 0,  1,  2,  3,  4,  5,"
                       "  6,  7,  8,  9, 10, 11], dtype=int32)>")


def test_004_reshape():
    # X = tf.reshape(x,(3,4))    # 利用reshape()函数把向量x的形状改为3行4列矩阵
    # x.reshape((-1,4))          # 亦可写为这种形式,-1表示自动推断,只指定列
    x = tf.constant(range(12))
    X = tf.reshape(x, (3, 4))
    expected = np.arange(12, dtype=np.int32).reshape(3, 4)
    assert_same(X, expected)
    assert_same(x.reshape((-1, 4)), expected)


def test_004_zeros_and_ones():
    # tf.zeros((2,3))            # 生成全0阵
    # tf.ones((2,3))             # 生成全1阵
    assert_same(tf.zeros((2, 3)), np.zeros((2, 3), np.float32))
    assert_same(tf.ones((2, 3)), np.ones((2, 3), np.float32))


def test_004_constant_from_a_list():
    # Y = tf.constant([[2,1,4,3],[1,2,3,4],[4,3,2,1]])
    # Y
    Y = tf.constant([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    assert repr(Y) == ("<tf.Tensor: shape=(3, 4), dtype=int32, numpy=\n"
                       "array([[2, 1, 4, 3],\n"
                       "       [1, 2, 3, 4],\n"
                       "       [4, 3, 2, 1]], dtype=int32)>")


def test_004_random_normal():
    # tf.random.normal(shape=[3,4], mean=0, stddev=1)
    r = tf.random.normal(shape=[3, 4], mean=0, stddev=1)
    assert r.shape == (3, 4) and r.dtype == tf.float32
    big = tf.random.normal(shape=[100, 100], mean=0, stddev=1).numpy()
    assert abs(big.mean()) < 0.05 and abs(big.std() - 1) < 0.05


# ============================================================ seed 004, 2.1.2 operations

def test_004_elementwise_operations():
    # X + Y          # 按元素加法
    # X * Y          # 按元素乘法
    # X / Y          # 按元素除法
    _, X, Y = seed004_x_X_Y()
    a, b = X.numpy(), Y.numpy()
    assert_same(X + Y, a + b)
    assert_same(X * Y, a * b)
    assert_same(X / Y, a / b)                   # int32 / int32 is float64, as in TensorFlow
    assert (X / Y).dtype == tf.float64


def test_004_exp_after_cast():
    # Y = tf.cast(Y, tf.float32)    # 将Y元素转换为float32类型
    # tf.exp(Y)
    _, _, Y = seed004_x_X_Y()
    Y = tf.cast(Y, tf.float32)
    assert Y.dtype == tf.float32
    assert_same(tf.exp(Y), np.exp(Y.numpy()))
    # exp of the int32 original is an error that says to cast, as in TensorFlow
    with pytest.raises(TypeError, match="cast"):
        tf.exp(seed004_x_X_Y()[2])


def test_004_matmul_with_transpose():
    # Y = tf.cast(Y,tf.int32)
    # tf.matmul(X, tf.transpose(Y))   # transpose()函数求转置
    _, X, Y = seed004_x_X_Y()
    Y = tf.cast(tf.cast(Y, tf.float32), tf.int32)
    out = tf.matmul(X, tf.transpose(Y))
    assert_same(out, np.array([[18, 20, 10], [58, 60, 50], [98, 100, 90]], np.int32))
    assert out.shape == (3, 3)                  # X(3 * 4),Y(4 * 3) 相乘得到3*3的矩阵
    assert_same(X @ tf.transpose(Y), out.numpy())


def test_004_concat():
    # tf.concat([X,Y], axis=0)   # axis=0按行连接,axis=1为按列连接
    _, X, Y = seed004_x_X_Y()
    rows, cols = tf.concat([X, Y], axis=0), tf.concat([X, Y], axis=1)
    assert rows.shape == (6, 4) and cols.shape == (3, 8)
    assert_same(rows, np.concatenate([X.numpy(), Y.numpy()], axis=0))
    assert_same(cols, np.concatenate([X.numpy(), Y.numpy()], axis=1))


def test_004_equal():
    # tf.equal(X,Y)   # 判断X,Y对应位置是否相等
    _, X, Y = seed004_x_X_Y()
    expected = np.array([[False, True, False, True],
                         [False, False, False, False],
                         [False, False, False, False]])
    assert_same(tf.equal(X, Y), expected)
    assert_same(X == Y, expected)


def test_004_reduce_sum():
    # tf.reduce_sum(X)
    _, X, _ = seed004_x_X_Y()
    s = tf.reduce_sum(X)
    assert_same(s, np.int32(66))
    assert str(s) == "tf.Tensor(66, shape=(), dtype=int32)"


def test_004_norm():
    # X = tf.cast(X, tf.float32)
    # tf.norm(X)    # 计算范数
    _, X, _ = seed004_x_X_Y()
    X = tf.cast(X, tf.float32)
    n = tf.norm(X)
    assert n.dtype == tf.float32 and n.shape == ()
    assert math.isclose(float(n), math.sqrt(sum(i * i for i in range(12))), rel_tol=1e-6)
    assert str(n) == "tf.Tensor(22.494444, shape=(), dtype=float32)"


# ============================================================ seed 004, 2.1.3 broadcasting

def test_004_broadcasting():
    # A = tf.reshape(tf.constant(range(3)), (3,1))
    # B = tf.reshape(tf.constant(range(2)), (1,2))
    # A,B
    # A + B
    A = tf.reshape(tf.constant(range(3)), (3, 1))
    B = tf.reshape(tf.constant(range(2)), (1, 2))
    assert A.shape == (3, 1) and B.shape == (1, 2)
    assert_same(A + B, np.array([[0, 1], [1, 2], [2, 3]], np.int32))


# ============================================================ seed 004, 2.1.4 indexing

def test_004_slicing_rows():
    # X[1:3]
    _, X, _ = seed004_x_X_Y()
    X = tf.cast(X, tf.float32)
    assert_same(X[1:3], np.arange(4, 12, dtype=np.float32).reshape(2, 4))


def test_004_variable_element_assign():
    # X = tf.Variable(X)
    # X[1,2].assign(9)     # assign()赋值函数
    _, X, _ = seed004_x_X_Y()
    X = tf.Variable(tf.cast(X, tf.float32))
    out = X[1, 2].assign(9)
    expected = np.arange(12, dtype=np.float32).reshape(3, 4)
    expected[1, 2] = 9
    assert_same(X.value(), expected)
    assert repr(out).startswith("<tf.Variable 'Variable:0' shape=(3, 4) dtype=float32, numpy=")


def test_004_variable_row_assign():
    # X[1:2,:].assign(tf.ones(X[1:2,:].shape,dtype = tf.float32)*12)
    _, X, _ = seed004_x_X_Y()
    X = tf.Variable(tf.cast(X, tf.float32))
    X[1, 2].assign(9)
    X[1:2, :].assign(tf.ones(X[1:2, :].shape, dtype=tf.float32) * 12)
    expected = np.arange(12, dtype=np.float32).reshape(3, 4)
    expected[1, :] = 12
    assert_same(X.value(), expected)


# ============================================================ seed 004, 2.1.5 memory

def test_004_slice_assign_keeps_identity_when_dtypes_agree():
    # Z = tf.Variable(tf.zeros_like(Y))   # 创建与Y形状相同的全0变量Z
    # before = id(Z)
    # Z[:].assign(X+Y)     #利用索引替换Z中的值
    # id(Z) == before
    # True
    _, X, Y = seed004_x_X_Y()
    X = tf.Variable(tf.cast(X, tf.float32))
    Y = tf.cast(Y, tf.float32)      # the original book's X and Y are both float32 here
    Z = tf.Variable(tf.zeros_like(Y))
    before = id(Z)
    Z[:].assign(X + Y)
    assert (id(Z) == before) is True
    assert_same(Z.value(), X.numpy() + Y.numpy())


def test_004_assign_add_keeps_identity():
    # before = id(X)
    # X.assign_add(Y)
    # id(X) == before
    # True
    _, X, Y = seed004_x_X_Y()
    X = tf.Variable(tf.cast(X, tf.float32))
    Y = tf.cast(Y, tf.float32)
    before = id(X)
    X.assign_add(Y)
    assert (id(X) == before) is True
    assert_same(X.value(), np.arange(12, dtype=np.float32).reshape(3, 4) + Y.numpy())


def test_004_as_written_the_memory_snippet_mixes_float32_and_int32():
    # Run in the seed's order, X is a float32 Variable (X = tf.cast(X, tf.float32) before
    # tf.norm) while Y was cast back to int32 (Y = tf.cast(Y,tf.int32) before tf.matmul).
    # TensorFlow then rejects X+Y and X.assign_add(Y); so does d2l_core, saying how to fix it.
    _, X, Y = seed004_x_X_Y()
    Y = tf.cast(tf.cast(Y, tf.float32), tf.int32)
    X = tf.Variable(tf.cast(X, tf.float32))
    Z = tf.Variable(tf.zeros_like(Y))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"float32 and int32.*d2l\.cast"):
        Z[:].assign(X + Y)
    with pytest.raises(TypeError, match="int32.*float32"):
        X.assign_add(Y)
    # The fix: make the dtypes agree first.
    Z = tf.Variable(tf.zeros_like(Y))
    before = id(Z)
    Z[:].assign(tf.cast(X, tf.int32) + Y)
    assert id(Z) == before


def test_004_plain_addition_rebinds_the_name():
    # 即使对变量X和Y执行 Y=X+Y 操作,也会新开内存,再将Y指向新内存。
    _, X, Y = seed004_x_X_Y()
    before = id(Y)
    Y = X + Y
    assert id(Y) != before


# ============================================================ seed 004, 2.1.6 NumPy

def test_004_numpy_round_trip():
    # P = np.ones((2,3))
    # D = tf.constant(P)     # numpy变换tensor
    # np.array(D)            # tensor变为numpy
    P = np.ones((2, 3))
    D = tf.constant(P)
    assert D.dtype == tf.float64                 # a NumPy array keeps its dtype
    back = np.array(D)
    assert isinstance(back, np.ndarray) and back.dtype == np.float64
    np.testing.assert_array_equal(back, P)
    np.testing.assert_array_equal(D.numpy(), P)


# ============================================================ seed 004, 2.3 documentation

def test_004_dir_of_random_lists_the_samplers():
    # dir(tf.random)
    names = dir(tf.random)
    for name in ["categorical", "gamma", "normal", "poisson", "set_seed", "shuffle",
                 "truncated_normal", "uniform"]:
        assert name in names


def test_004_help_of_ones():
    # help(tf.ones)
    # ones(shape, dtype=tf.float32, name=None)
    #     Creates a tensor with all elements set to one (1).
    #     >>> tf.ones([3, 4], tf.int32)
    import inspect
    params = inspect.signature(tf.ones).parameters
    assert list(params) == ["shape", "dtype", "name"]
    assert params["dtype"].default is tf.float32
    assert "ones" in tf.ones.__doc__
    assert tf.ones([3, 4], tf.int32).dtype == tf.int32


# ============================================================ seed 000, 2 data operations

def test_000_create_and_reshape():
    # 创建常量 x = tf.constant(range(12)) print(x.shape) 改变形状 # (12,)
    # X = tf.reshape(x,(3,4)) 创建元素为1的向量 tf.ones((3,4))
    x = tf.constant(range(12))
    assert str(x.shape) == "(12,)"
    X = tf.reshape(x, (3, 4))
    assert X.shape == (3, 4)
    assert_same(tf.ones((3, 4)), np.ones((3, 4), np.float32))


def test_000_elementwise_product_and_matmul():
    # X * Y
    # Y = tf.cast(Y, tf.int32) tf.matmul(X, tf.transpose(Y))
    # 由于X是3行4列的矩阵,Y转置为4行3列的矩阵,因此两个矩阵相乘得到3行3列的矩阵。
    _, X, Y = seed004_x_X_Y()
    assert_same(X * Y, X.numpy() * Y.numpy())
    Y = tf.cast(Y, tf.int32)
    assert tf.matmul(X, tf.transpose(Y)).shape == (3, 3)


def test_000_concat_lengths():
    # 输出的第一个tensor在维度0的长度( 6 )为两个输入矩阵在维度0的长度之和( 3+3 ),
    # 而输出的第二个tensor在维度1的长度( 8 )为两个输入矩阵在维度1的长度之和( 4+4 )。
    _, X, Y = seed004_x_X_Y()
    assert tf.concat([X, Y], axis=0).shape == (3 + 3, 4)
    assert tf.concat([X, Y], axis=1).shape == (3, 4 + 4)


def test_000_comparison_gives_true_where_equal():
    # 以X == Y为例,如果X和Y在相同位置的条件判断为真(值相等),那么新的tensor在相同位置的值为1;反之为0。
    # (TensorFlow 2 gives bools; cast them to get the seed's 1 and 0.)
    _, X, Y = seed004_x_X_Y()
    ones_and_zeros = tf.cast(X == Y, tf.int32)
    assert_same(ones_and_zeros, (X.numpy() == Y.numpy()).astype(np.int32))


def test_000_reduce_sum_gives_a_one_element_tensor():
    # 对tensor中的所有元素求和得到只有一个元素的tensor。
    # tf.reduce_sum(X)
    _, X, _ = seed004_x_X_Y()
    s = tf.reduce_sum(X)
    assert s.shape == () and tf.size(s) == 1 and int(s) == 66


def test_000_broadcast_pictures():
    # A 广播变换 -> [[0, 0], [1, 1], [2, 2]] + B 广播变换 -> [[0, 1], [0, 1], [0, 1]]
    # A(3,1) -> (3, 2); B(1,2) -> (3, 2)
    A = tf.reshape(tf.constant(range(3)), (3, 1))
    B = tf.reshape(tf.constant(range(2)), (1, 2))
    assert_same(tf.broadcast_to(A, (3, 2)), np.array([[0, 0], [1, 1], [2, 2]], np.int32))
    assert_same(tf.broadcast_to(B, (3, 2)), np.array([[0, 1], [0, 1], [0, 1]], np.int32))
    assert_same(A + B, tf.broadcast_to(A, (3, 2)).numpy() + tf.broadcast_to(B, (3, 2)).numpy())


# ============================================================ seed 001, tensors and operations

def test_001_shape_dtype_and_numpy():
    # 张量的重要属性是其形状、类型和值。可以通过张量的 shape 、 dtype 属性和 numpy() 方法获得
    A = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert A.shape == (2, 2) and A.dtype == tf.float32
    np.testing.assert_array_equal(A.numpy(), [[1.0, 2.0], [3.0, 4.0]])


def test_001_operations():
    # C = tf.add(A, B)    # 计算矩阵A和B的和
    # D = tf.matmul(A, B) # 计算矩阵A和B的乘积
    # tf.reduce_sum(A, B) #对输入张量的所有元素求和
    # 张量操作api:一般没有reduce的都是逐元素操作,不改变张量形状
    # 有reduce的是对所有元素操作,或对指定维度操作
    A = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    B = tf.constant([[5.0, 6.0], [7.0, 8.0]])
    C = tf.add(A, B)
    D = tf.matmul(A, B)
    assert_same(C, np.array([[6, 8], [10, 12]], np.float32))
    assert C.shape == A.shape                     # elementwise: the shape is kept
    assert_same(D, np.array([[19, 22], [43, 50]], np.float32))
    # The sum of all elements is tf.reduce_sum(A); a second argument is the axis, so the
    # seed's tf.reduce_sum(A, B) is an error (in TensorFlow too) that says what axis is.
    assert_same(tf.reduce_sum(A), np.float32(10))
    assert_same(tf.reduce_sum(A, 0), np.array([4, 6], np.float32))   # 对指定维度操作
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis must be an int"):
        tf.reduce_sum(A, B)


def test_001_variable_has_shape_dtype_and_value():
    # x = tf.Variable(initial_value=3.)
    # 与普通张量一样,变量同样具有形状、类型和值三种属性。
    x = tf.Variable(initial_value=3.)
    assert x.shape == () and x.dtype == tf.float32 and x.numpy() == 3.0
    assert_same(tf.square(x), np.float32(9))
