"""The TensorFlow 1 programs of seeds 003 and 002 run with only their import changed.

Each program below is the seed's code as written (the seed text lost its
indentation, restored here) with ``import tensorflow as tf`` replaced by
``import d2l_core.compat.v1 as tf``. Tests run it and check what it prints.
"""
import re
import textwrap

import numpy as np
import pytest

import d2l_core.compat.v1 as tf

IMPORT = "import d2l_core.compat.v1 as tf"

SEED_003_TWO_GRAPHS = IMPORT + '''
graph_1 = tf.Graph() # 生成一个图
with graph_1.as_default():
    # 在图1中定义变量并且初始化
    v = tf.get_variable(name='v', initializer=tf.zeros_initializer(), shape=[1])
graph_2 = tf.Graph() # 生成一个图
with graph_2.as_default():
    v = tf.get_variable(name='v', initializer=tf.ones_initializer(), shape=[1])
# 在graph_1中读取变量值
with tf.Session(graph=graph_1) as sess: # 计算图1中
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))
# 在graph_1中读取变量值
with tf.Session(graph=graph_2) as sess: # 计算图1中
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))
'''

SEED_003_CONFIG = IMPORT + '''
graph_1 = tf.Graph() # 生成一个图
with graph_1.as_default():
    # 在图1中定义变量并且初始化
    v = tf.get_variable(name='v', initializer=tf.zeros_initializer(), shape=[1])
# 对会话进行配置
config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
# 在graph_1中读取变量值
with tf.Session(graph=graph_1, config=config) as sess: # 计算图1中
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))
'''

SEED_003_FORWARD = IMPORT + '''
graph_1 = tf.Graph() # 生成一个图
with graph_1.as_default():
    # 在图1中定义变量并且初始化
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.constant(value=[[0.7, 0.9]], dtype=tf.float32)
    # 前行传播
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
# 对会话进行配置
config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
# 在graph_1中读取变量值
with tf.Session(graph=graph_1, config=config) as sess: # 计算图1中
    # sess.run(w1.initializer) # 初始化变量
    # sess.run(w2.initializer)
    init_op = tf.global_variables_initializer() # 初始化算有变量 初始化所有变量,这个函数会处理变量之间的依赖关系
    sess.run(init_op)
    print(sess.run(y))
'''

SEED_003_PLACEHOLDER = IMPORT + '''
graph_1 = tf.Graph() # 生成一个图
with graph_1.as_default():
    # 在图1中定义变量并且初始化
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='input') # placeholder的行数可以设置为None, 根据具体的传入数据再得到
    # 前行传播
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
# 对会话进行配置
config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
# 在graph_1中读取变量值
with tf.Session(graph=graph_1, config=config) as sess: # 计算图1中
    # sess.run(w1.initializer) # 初始化变量
    # sess.run(w2.initializer)
    init_op = tf.global_variables_initializer() # 初始化算有变量
    sess.run(init_op)
    feed_dict = {x: [[0.7, 0.9], [0.1, 0.4], [0.6, 0.8]]}
    print(sess.run(y, feed_dict=feed_dict))
'''

SEED_003_TRAINING = IMPORT + '''
from numpy.random import RandomState
import numpy as np
graph_1 = tf.Graph() # 生成一个图
with graph_1.as_default():
    # 在图1中定义变量并且初始化
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='x-input') # placeholder的行数可以设置为None, 根据具体的传入数据再得到
    y_ = tf.placeholder(dtype=tf.float32, shape=[None, 1], name='y-input')
    # 前行传播
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
    # 定义损失函数和反向传播
    y = tf.sigmoid(y)
    cross_entropy = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y, 1e-10, 1))) + (1-y)*tf.log(tf.clip_by_value(1-y, 1e-10, 1.0))
    # 通过clip_value(x, x_min. x_max)可以将x限制在合理的范围内
    train_step = tf.train.AdamOptimizer(learning_rate=0.001).minimize(cross_entropy) # 定义损失函数
if __name__ == "__main__":
    batch_size = 8
    rdm = RandomState(1)
    data_size = 128
    X = rdm.rand(data_size, 2) # 训练数据
    Y = [int(x1+x2 < 1) for(x1, x2) in X]
    Y = np.array(Y)
    print(type(X))
    print(type(Y))
    # 对会话进行配置
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    # 在graph_1中读取变量值
    with tf.Session(graph=graph_1, config=config) as sess: # 计算图1中
        init_op = tf.global_variables_initializer() # 初始化算有变量
        sess.run(init_op)
        print("训练前的权值")
        print(sess.run(w1))
        print(sess.run(w2))
        steps = 1000
        for i in range(steps):
            start = (i * batch_size) % data_size
            end = min(start + batch_size, data_size)
            sess.run(train_step, feed_dict={x: X[start: end], y_: Y[start: end].reshape([-1, 1])})
            # 每隔一段时间计算在所有数据上的交叉熵
            if i % 50 == 0:
                cross_entropy_value = sess.run(cross_entropy, feed_dict={x: X, y_: Y.reshape([-1, 1])})
                print("The loss is {}".format(cross_entropy_value))
        print("训练后的权值")
        print(sess.run(w1))
        print(sess.run(w2))
'''

SEED_002_PLACEHOLDERS = IMPORT + '''
# 1.创建计算图阶段
# 创建2个输入端子,指定类型和名字
a_ph = tf.placeholder(tf.float32, name='variable_a')
b_ph = tf.placeholder(tf.float32, name='variable_b')
# 创建输出端子的运算操作,并命名
c_op = tf.add(a_ph, b_ph, name='variable_c')
# 2.运行计算图阶段
# 创建运行环境
sess = tf.InteractiveSession()
# 初始化步骤也需要作为操作运行
init = tf.global_variables_initializer()
sess.run(init) # 运行初始化操作,完成初始化
# 运行输出端子,需要给输入端子赋值
c_numpy = sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.})
# 运算完输出端子才能得到数值类型的c_numpy
print('a+b=',c_numpy)
'''

PLACEMENT_LINE = re.compile(r"^(\S+): \((\w+)\): /job:localhost/replica:0/task:0/device:(CPU|GPU):0$",
                            re.M)


@pytest.fixture(autouse=True)
def clean_tf1_state():
    tf.reset_default_graph()
    yield
    from d2l_core.compat.v1 import graph as graph_mod, session as session_mod
    for sess in list(session_mod._session_stack):
        sess.close()
    session_mod._session_stack.clear()
    graph_mod._graph_stack.stack.clear()
    tf.reset_default_graph()


def run_program(source):
    """Execute a seed program as a script; returns its global names."""
    namespace = {"__name__": "__main__"}
    exec(compile(textwrap.dedent(source), "<seed program>", "exec"), namespace)
    return namespace


def parse_arrays(text):
    """The numbers of each printed NumPy array in ``text``, one list per 'The loss is' line."""
    chunks = text.split("The loss is ")[1:]
    out = []
    for chunk in chunks:
        body = chunk.split("]]")[0]
        out.append(np.array([float(v) for v in re.findall(r"-?\d+\.\d*(?:e[-+]?\d+)?", body)]))
    return out


def test_seed_003_two_isolated_graphs_print_0_and_1(capsys):
    run_program(SEED_003_TWO_GRAPHS)
    assert capsys.readouterr().out == "[0.]\n[1.]\n"


def test_seed_003_config_proto_logs_placement(capfd):
    run_program(SEED_003_CONFIG)
    captured = capfd.readouterr()
    assert captured.out == "[0.]\n"
    placed = dict((name, kind) for name, kind, _ in PLACEMENT_LINE.findall(captured.err))
    assert placed["v"] == "VariableV2" and placed["v/Assign"] == "Assign"


def test_seed_003_forward_pass_with_variables(capfd):
    names = run_program(SEED_003_FORWARD)
    captured = capfd.readouterr()
    printed = np.array([float(v) for v in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", captured.out)])
    assert printed.shape == (1,)
    placed = dict((name, kind) for name, kind, _ in PLACEMENT_LINE.findall(captured.err))
    assert placed["MatMul"] == "MatMul" and placed["MatMul_1"] == "MatMul"
    # a fresh session draws the same seeded initial values: recompute y with NumPy
    with tf.Session(graph=names["graph_1"]) as sess:
        sess.run(tf.global_variables_initializer())
        w1, w2 = sess.run([names["w1"], names["w2"]])
    expected = np.array([[0.7, 0.9]], np.float32) @ w1 @ w2
    np.testing.assert_allclose(printed, expected.ravel(), rtol=1e-5)
    # both variables use op seed 1, so w2 starts with w1's first three numbers
    np.testing.assert_array_equal(w1.ravel()[:3], w2.ravel())


def test_seed_003_forward_pass_with_a_placeholder(capsys):
    names = run_program(SEED_003_PLACEHOLDER)
    out = capsys.readouterr().out
    printed = np.array([float(v) for v in re.findall(r"-?\d+\.\d+(?:e[-+]?\d+)?", out)])
    with tf.Session(graph=names["graph_1"]) as sess:
        sess.run(tf.global_variables_initializer())
        w1, w2 = sess.run([names["w1"], names["w2"]])
    feed = np.array([[0.7, 0.9], [0.1, 0.4], [0.6, 0.8]], np.float32)
    np.testing.assert_allclose(printed, (feed @ w1 @ w2).ravel(), rtol=1e-5)
    assert names["x"].shape.as_list() == [None, 2] and names["y"].shape.as_list() == [None, 1]


def test_seed_003_training_loop_runs_and_the_loss_falls(capsys):
    names = run_program(SEED_003_TRAINING)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[:3] == ["<class 'numpy.ndarray'>", "<class 'numpy.ndarray'>", "训练前的权值"]
    assert "训练后的权值" in lines
    losses = parse_arrays(out)
    assert len(losses) == 20                       # steps 0, 50, ..., 950
    # The seed's parenthesis makes cross_entropy a [128, 1] tensor, not a scalar; as in
    # TensorFlow, minimize() then follows the gradient of its sum, and that sum falls.
    assert all(loss.shape == (128,) for loss in losses)
    totals = [loss.sum() for loss in losses]
    assert totals[-1] < totals[0]
    assert sum(b < a for a, b in zip(totals, totals[1:])) >= 15
    assert names["cross_entropy"].shape.as_list() == [None, 1]
    # the weights printed before and after training differ
    before, after = out.split("训练后的权值")
    assert before.split("训练前的权值")[1].strip() != after.strip()


def test_seed_003_training_matches_an_eager_replay():
    """The graph program's final weights equal the same training written eagerly."""
    import d2l_core as d2l
    names = run_program(SEED_003_TRAINING.replace('if __name__ == "__main__":',
                                                  "if False:"))
    graph_1 = names["graph_1"]
    with tf.Session(graph=graph_1) as sess:
        sess.run(tf.global_variables_initializer())
        w1_0, w2_0 = sess.run([names["w1"], names["w2"]])
    rdm = np.random.RandomState(1)
    X = rdm.rand(128, 2)
    Y = np.array([int(x1 + x2 < 1) for (x1, x2) in X])
    w1, w2 = d2l.Variable(w1_0), d2l.Variable(w2_0)
    opt = d2l.optimizers.Adam(0.001, epsilon=1e-8)
    with tf.Session(graph=graph_1) as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(200):
            start = (i * 8) % 128
            xb = X[start:start + 8].astype(np.float32)
            yb = Y[start:start + 8].reshape([-1, 1]).astype(np.float32)
            sess.run(names["train_step"], feed_dict={names["x"]: xb, names["y_"]: yb})
            with d2l.GradientTape() as tape:
                y = d2l.sigmoid(d2l.matmul(d2l.matmul(d2l.constant(xb), w1), w2))
                ce = -d2l.reduce_mean(yb * d2l.math.log(d2l.clip_by_value(y, 1e-10, 1))) + \
                    (1 - y) * d2l.math.log(d2l.clip_by_value(1 - y, 1e-10, 1.0))
            opt.apply_gradients(zip(tape.gradient(ce, [w1, w2]), [w1, w2]))
        g1, g2 = sess.run([names["w1"], names["w2"]])
    np.testing.assert_allclose(g1, w1.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(g2, w2.numpy(), rtol=1e-5, atol=1e-6)


def test_seed_002_placeholder_addition_prints_6(capsys):
    names = run_program(SEED_002_PLACEHOLDERS)
    assert capsys.readouterr().out == "a+b= 6.0\n"
    assert isinstance(names["c_numpy"], np.float32)
    assert tf.get_default_session() is names["sess"]     # InteractiveSession installed itself
    names["sess"].close()


if __name__ == "__main__":       # print every program's output, for the record
    for label, program in [("003 two graphs", SEED_003_TWO_GRAPHS), ("003 config", SEED_003_CONFIG),
                           ("003 forward", SEED_003_FORWARD),
                           ("003 placeholder", SEED_003_PLACEHOLDER),
                           ("003 training", SEED_003_TRAINING), ("002", SEED_002_PLACEHOLDERS)]:
        print(f"===== seed {label}")
        run_program(program)
