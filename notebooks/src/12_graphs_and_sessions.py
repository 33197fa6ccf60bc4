# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12. Graphs and sessions
#
# Everything so far ran **eagerly**: each line computed its result at once,
# and you could print it. TensorFlow 1 worked differently. A program first
# *described* a computation as a **graph** of operations, and only then *ran*
# parts of that graph in a **session**, feeding in data. Much TensorFlow code
# you will meet in books, papers and older projects is written this way, and
# the idea behind it (a whole computation as one data structure, which can be
# checked, optimised, placed on devices and saved before it runs) lives on in
# today's compilers for deep learning.
#
# The engine's graph mode is `d2l_core.compat.v1`, which mirrors TensorFlow's
# `tf.compat.v1`. In this chapter we import it under the name `tf`, as
# TensorFlow 1 programs do, so that those programs run here unchanged.
#
# One rule makes the same code run in TensorFlow 2 as well: build every graph
# inside `with graph.as_default():`. TensorFlow 2 executes eagerly, so a
# `tf.compat.v1.placeholder` outside such a block is an error there (unless the
# program first calls `tf.compat.v1.disable_eager_execution()`, which turns
# eager execution off for everything, the `d2l` cells included). The engine
# would also accept the graph-less TensorFlow 1 style, but we write the form
# that works everywhere.
#
# **After this chapter you will be able to**
#
# * explain *define-then-run* and contrast it with eager execution;
# * build graphs with placeholders, constants and variables, and run them in a `Session` with `feed_dict`;
# * keep computations apart in separate graphs;
# * create and share variables with `get_variable` and `variable_scope`, and understand the reuse errors;
# * organise a graph's resources in collections, and configure a session with `ConfigProto`;
# * initialise variables with random initialisers, and name TensorFlow's dtypes;
# * train a model in graph mode with `tf.train.AdamOptimizer().minimize`, and port it to eager mode with the same numbers.

# %%
import numpy as np
import matplotlib.pyplot as plt

import d2l_core as d2l              # eager mode, TensorFlow 2 style
import d2l_core.compat.v1 as tf     # graph mode, TensorFlow 1 style

# %% [markdown]
# ## 12.1 Define, then run
#
# Here is how TensorFlow 1 adds two numbers. The first part builds a graph:
# two **placeholders**, inputs that will receive values later, and an `add`
# operation. The second part creates a session, runs an initialisation step
# (it has nothing to initialise here, but TF1 programs always do it), and runs
# the `add` node, feeding the two inputs through `feed_dict`:

# %%
# 1. build the graph
graph = tf.Graph()
with graph.as_default():
    # two inputs, with a dtype and a name
    a_ph = tf.placeholder(tf.float32, name='variable_a')
    b_ph = tf.placeholder(tf.float32, name='variable_b')
    # the output: an add operation, also named
    c_op = tf.add(a_ph, b_ph, name='variable_c')
    # initialisation is also an operation, which must be run
    init = tf.global_variables_initializer()
# 2. run the graph
# create a session to run it in
sess = tf.Session(graph=graph)
sess.run(init)  # run the initialisation
# run the output node, feeding values into the inputs
c_numpy = sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.})
# only now, after running, is there a number
print('a+b=',c_numpy)

# %% [markdown]
# Before the session ran it, `c_op` held no number at all. It is a symbolic
# **tensor**: a handle to the output of an operation in the graph, with a
# name (`variable_c:0`, output 0 of the operation `variable_c`), a dtype and
# a shape. `print` leaves the shape out here: it is unknown, because the
# placeholders did not declare one.

# %%
print(c_op)
print([op.name for op in graph.get_operations()])

# %% [markdown]
# The graph holds the three nodes we built plus `init`. A placeholder has no
# value of its own, so running the graph without feeding it is an error
# (`tf.errors.InvalidArgumentError`). The message names the placeholder and
# the fix:

# %% tags=["raises-exception"]
sess.run(c_op)

# %%
sess.close()    # a session holds resources: close it when done

# %% [markdown]
# In TensorFlow 2 (and in the rest of this course) the same computation is
# one line, because every operation runs as soon as Python reaches it:

# %%
# 1. create the input tensors
a = d2l.constant(2.)
b = d2l.constant(4.)
# 2. compute and print the result directly
print('a+b=',a+b)

# %% [markdown]
# Why would anyone prefer the longer version? Because the graph is a complete
# description of the computation, available *before* anything runs. A system
# can check shapes and dtypes for the whole program, prune the parts a result
# does not need, fuse operations, decide which device runs each node, run
# independent nodes in parallel, and save the graph to run it later without
# Python. The price is that the program is harder to write and to debug:
# values exist only inside `sess.run`, and an error points at a graph node
# rather than at the Python line where you made the mistake. TensorFlow 2
# made eager execution the default and kept graphs as an optimisation
# (`tf.function`).
#
# ## 12.2 Separate graphs
#
# Operations are always added to a graph: the **default graph** unless you
# say otherwise. `tf.Graph()` makes a new, empty graph, and
# `with graph.as_default():` sends everything built inside the block into it.
# Tensors and operations of different graphs never mix, so graphs isolate
# computations from each other. Here two graphs each get a variable named `v`,
# one initialised to zeros and one to ones:

# %%
graph_1 = tf.Graph()    # a new graph
with graph_1.as_default():
    # in graph 1: a variable v, initialised to zeros
    v = tf.get_variable(name='v', initializer=tf.zeros_initializer(), shape=[1])
graph_2 = tf.Graph()    # another graph
with graph_2.as_default():
    v = tf.get_variable(name='v', initializer=tf.ones_initializer(), shape=[1])
# read v in graph_1
with tf.Session(graph=graph_1) as sess:
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))
# read v in graph_2
with tf.Session(graph=graph_2) as sess:
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))

# %% [markdown]
# Several things happen in this short program:
#
# * `tf.get_variable(name, shape, initializer)` creates a variable. A graph
#   variable, like a placeholder, has no value yet: the **initializer** is
#   itself an operation, which `tf.global_variables_initializer()` collects
#   into one `init` operation. `.run()` runs it in the *default session*, the
#   one the `with tf.Session(...)` block opened.
# * A session runs one graph, chosen with `tf.Session(graph=...)`. Each session
#   holds its own copy of the variables' values, so both graphs can call their
#   variable `v`.
# * Inside `tf.variable_scope("", reuse=True)`, `tf.get_variable('v')` does not
#   create a variable: it looks up the existing `v` in the current graph.
#   Section 12.3 explains the rules.
#
# Asking a session to run a tensor from another graph is an error:

# %% tags=["raises-exception"]
with tf.Session(graph=graph_1) as sess:
    sess.run(v)     # v now names graph_2's variable, the last one created


# %% [markdown]
# ## 12.3 Variable scopes and reuse
#
# A network has many weight matrices, and in TF1 code they are usually
# created by functions that build one layer each. `tf.variable_scope(name)`
# gives every variable created inside it a name prefix, so two layers can both
# call their weights `w`:

# %%
def dense_layer(x, units):
    # a layer's variables: their full names depend on the enclosing scope
    w = tf.get_variable('w', shape=[x.shape[1], units])
    b = tf.get_variable('b', shape=[units], initializer=tf.zeros_initializer())
    return tf.nn.relu(tf.matmul(x, w) + b)

layers_graph = tf.Graph()
with layers_graph.as_default():
    x = tf.placeholder(tf.float32, shape=[None, 4], name='x')
    with tf.variable_scope('layer1'):
        h = dense_layer(x, 8)
    with tf.variable_scope('layer2'):
        out = dense_layer(h, 2)
    print([v.name for v in tf.global_variables()])

# %% [markdown]
# `get_variable` is strict about intent, to protect you from two silent bugs.
# Creating a variable whose name already exists is an error: perhaps you
# meant to share it, perhaps you reused a name by accident, and TensorFlow
# will not guess. (The message also tells where the first one was defined;
# in a notebook that is a cell, which Jupyter stores as a numbered temporary
# file.)

# %% tags=["raises-exception"]
with layers_graph.as_default():
    with tf.variable_scope('layer1'):
        dense_layer(x, 8)

# %% [markdown]
# To **share** variables, for example to apply the same layer to two inputs,
# open the scope with `reuse=True`. Then `get_variable` returns the existing
# variable instead:

# %%
with layers_graph.as_default():
    x2 = tf.placeholder(tf.float32, shape=[None, 4], name='x2')
    with tf.variable_scope('layer1', reuse=True):
        h2 = dense_layer(x2, 8)           # the same w and b as for h
    print(len(tf.global_variables()), 'variables')

# %% [markdown]
# With `reuse=True` the variable must exist, with the same shape. Both cells
# are meant to fail:

# %% tags=["raises-exception"]
with layers_graph.as_default():
    with tf.variable_scope('layer3', reuse=True):
        tf.get_variable('w', shape=[4, 8])        # there is no layer3/w

# %% tags=["raises-exception"]
with layers_graph.as_default():
    with tf.variable_scope('layer1', reuse=True):
        tf.get_variable('w', shape=[4, 5])        # layer1/w has shape (4, 8)

# %% [markdown]
# `reuse=tf.AUTO_REUSE` creates a variable the first time and shares it after
# that: convenient, but it hides the difference between "create" and "share"
# that the strict modes make you state.
#
# ## 12.4 Collections
#
# A graph also keeps named lists of its resources, called **collections**.
# `tf.add_to_collection(name, value)` appends to one and
# `tf.get_collection(name)` reads it back; a common use is gathering every
# layer's regularisation loss, to add them up at the end. TensorFlow maintains
# some collections itself, under names in `tf.GraphKeys`:
#
# | collection | `tf.GraphKeys` name | holds |
# |---|---|---|
# | all variables | `GLOBAL_VARIABLES` | every variable; what gets initialised and saved |
# | trainable variables | `TRAINABLE_VARIABLES` | the variables an optimizer updates by default |
# | summaries | `SUMMARIES` | logging operations for TensorBoard |
# | queue runners | `QUEUE_RUNNERS` | TF1's threads that read input data |
# | moving averages | `MOVING_AVERAGE_VARIABLES` | variables that keep a moving average |
#
# A variable created with `trainable=False`, such as a step counter, is in the
# first collection but not the second, so optimizers leave it alone:

# %%
with layers_graph.as_default():
    step = tf.Variable(0, trainable=False, name='step')
    for scope in ['layer1', 'layer2']:
        with tf.variable_scope(scope, reuse=True):
            tf.add_to_collection('weights', tf.get_variable('w'))
    print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)])
    print([v.name for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)])
    print([v.name for v in tf.get_collection('weights')])

# %% [markdown]
# ## 12.5 Tensors and dtypes
#
# A graph tensor stores no numbers; it records how to compute them. What it
# does have is a **name**, a **shape** and a **dtype**. TensorFlow's dtypes
# are:
#
# | kind | dtypes |
# |---|---|
# | signed integers | `int8`, `int16`, `int32`, `int64` |
# | unsigned integers | `uint8` |
# | floating point | `float32`, `float64` |
# | boolean | `bool` |
# | complex numbers | `complex64`, `complex128` |

# %%
for dtype in [tf.int8, tf.int16, tf.int32, tf.int64, tf.uint8,
              tf.float32, tf.float64, tf.bool, tf.complex64, tf.complex128]:
    print(f'{dtype.name:10} {dtype.size:2d} bytes')

# %% [markdown]
# Without a `dtype`, a constant takes one from its value: `int32` for Python
# integers, `float32` for floats. TensorFlow never converts between dtypes
# implicitly, so mixing them is an error, and in graph mode the error comes
# while the graph is **built**, before anything runs (TensorFlow raises a
# `TypeError`; the engine's `DTypeMismatchError` is one):

# %% tags=["raises-exception"]
with tf.Graph().as_default():
    i = tf.constant([1, 2])
    f = tf.constant([1., 2.])
    print(i)
    print(f)
    i + f

# %% [markdown]
# Stating the dtype explicitly avoids surprises:

# %%
with tf.Graph().as_default():
    f = tf.constant([1., 2.])
    print(tf.constant([1, 2], dtype=tf.float32) + f)

# %% [markdown]
# ## 12.6 Configuring a session
#
# `tf.ConfigProto` configures a session: how many threads it uses, how it
# allocates GPU memory, a timeout for operations, and two switches that TF1
# programs set all the time:
#
# * `allow_soft_placement=True`: when an operation is pinned to a device it
#   cannot run on (a GPU the machine does not have, or a kernel that exists
#   only for the CPU), run it on the CPU instead of failing. Without it, the
#   same program that works on a GPU server fails on a laptop. It is off by
#   default in TF1; chapter 14 shows both behaviours.
# * `log_device_placement=True`: print which device each operation runs on, to
#   debug placement.
#
# The engine prints the placement log to the error stream (shown in red in
# JupyterLab), once per operation, the first time the session runs it. On a
# machine without a GPU, everything runs on the CPU. (TensorFlow prints its own
# log, which also lists the internal operations a variable is made of, such as
# `VarHandleOp` and `ReadVariableOp`, so the two logs differ.)

# %% tags=["output-varies"]
graph_1 = tf.Graph()
with graph_1.as_default():
    # in graph 1: a variable, initialised to zeros
    v = tf.get_variable(name='v', initializer=tf.zeros_initializer(), shape=[1])
# configure the session
config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=True)
# read the variable in graph_1
with tf.Session(graph=graph_1, config=config) as sess:
    tf.global_variables_initializer().run()
    with tf.variable_scope("", reuse=True):
        print(sess.run(tf.get_variable('v')))

# %% [markdown]
# Each log line names the operation, its type in parentheses, and the full
# device name. The initializer `v/Initializer/zeros` and the `v/Assign` that
# writes its result into `v` were added to the graph by `get_variable`; `init`
# groups all such assignments.
#
# ## 12.7 Initialising variables
#
# A network starts from random weights (chapter 11's exercises ask why). TF1's
# random operations each take a shape, their distribution's parameters, a
# dtype and an optional seed:
#
# | operation | distribution | parameters |
# |---|---|---|
# | `tf.random_normal` | normal | `mean`, `stddev` |
# | `tf.truncated_normal` | normal, but values more than 2 standard deviations from the mean are drawn again | `mean`, `stddev` |
# | `tf.random_uniform` | uniform on $[\text{minval}, \text{maxval})$ | `minval`, `maxval` |
# | `tf.random_gamma` | gamma | shape `alpha`, inverse scale `beta` |
#
# Constant initial values come from `tf.zeros`, `tf.ones`, `tf.fill` (every
# entry the same given number) and `tf.constant`. Sampling 10,000 values from
# each random operation shows their shapes:

# %%
with tf.Graph().as_default():
    samples = {'random_normal(stddev=1)': tf.random_normal([10000], mean=0, stddev=1, seed=1),
               'truncated_normal(stddev=1)': tf.truncated_normal([10000], mean=0, stddev=1, seed=1),
               'random_uniform(-2, 2)': tf.random_uniform([10000], minval=-2, maxval=2, seed=1),
               'random_gamma(alpha=2, beta=1)': tf.random_gamma([10000], alpha=2.0, beta=1.0, seed=1)}
    constants = [tf.zeros([2, 3]), tf.ones([2, 3]), tf.fill([2, 3], 9), tf.constant([[1, 2, 3]])]
    with tf.Session() as sess:
        values = sess.run(samples)      # fetch a whole dict of tensors at once
        for t in sess.run(constants):
            print(t.tolist())

fig, axes = plt.subplots(1, 4, figsize=(12, 2.8), constrained_layout=True)
for ax, (name, vals) in zip(axes, values.items()):
    ax.hist(vals, bins=60, color='C0')
    ax.set_title(name, fontsize=10)
    ax.set_xlabel('value')
axes[0].set_ylabel('count (of 10,000)')
for ax in axes[:2]:
    ax.set_xlim(-4.5, 4.5)      # the same range for both normals, to compare their tails
plt.show()

# %% tags=["output-varies"]
for name, vals in values.items():
    print(f'{name:30} min {vals.min():7.3f}  max {vals.max():7.3f}  mean {vals.mean():6.3f}')

# %% [markdown]
# The truncated normal never leaves $[-2, 2]$: no weight starts out extremely
# large, which is why it is a popular initialiser. The gamma distribution is
# skewed and positive, with mean $\alpha / \beta = 2$.
#
# The sample statistics above come from the engine's random numbers;
# TensorFlow draws other numbers for the same seeds, so they differ a little
# there (all the cells in this chapter that print random numbers are marked
# so).
#
# ## 12.8 A forward pass with variables
#
# Now a small network: a $1 \times 2$ input, a hidden layer of 3 units and one
# output, with weights from `tf.random_normal`. The forward pass is two matrix
# products, $\mathbf{y} = (\mathbf{x} W_1) W_2$. (With no activation function
# between them this "network" is linear: $(\mathbf{x} W_1) W_2 = \mathbf{x}
# (W_1 W_2)$, one $2 \times 1$ matrix. Section 12.10 adds one.) `tf.Variable`
# wraps an initial value (here a random tensor) into a variable; the seeds make
# the weights the same in every run. (The numbers differ from TensorFlow's,
# whose random generator is a different one.)

# %% tags=["output-varies"]
graph_1 = tf.Graph()
with graph_1.as_default():
    # in graph 1: two weight matrices, initialised with random values
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.constant(value=[[0.7, 0.9]], dtype=tf.float32)
    # the forward pass
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
# run the graph
with tf.Session(graph=graph_1) as sess:
    # sess.run(w1.initializer)  # initialise one variable
    # sess.run(w2.initializer)
    init_op = tf.global_variables_initializer()  # initialise all variables (it orders them by their dependencies)
    sess.run(init_op)
    print(sess.run(y))
    print(sess.run(w1))
    print(sess.run(w2))

# %% [markdown]
# The weights show a property of seeds: `w2` repeats the first row of `w1`.
# Both random operations were given `seed=1`, and a seeded operation always
# starts the same stream of numbers (TensorFlow behaves the same way). Give
# each initialiser its own seed if that matters.


# %% [markdown]
# The graph is a data structure, so we can draw it. `draw_graph` collects the
# operations that a tensor depends on, walking its inputs backwards, and
# draws them with chapter 5's `d2l.plot.plot_tape`: boxes are tensors (with
# the names our code gives them, `x`, `w1`, `w2`, `a`, `y`, and their shapes;
# a tensor we did not name shows the graph's own name for it, such as
# `Variable_1`), yellow ovals are operations, blue boxes are
# variables, grey boxes other inputs, and the orange box is the result.
# (`d2l.plot` is d2l_core only; in TensorFlow you would write the graph to
# TensorBoard, `tf.summary.FileWriter(logdir, graph)`, and look at it there.)

# %% tags=["d2l-only"]
def draw_graph(fetch, names=None, title=None):
    needed, todo = set(), [fetch.op]          # the ops `fetch` depends on
    while todo:
        op = todo.pop()
        if op not in needed:
            needed.add(op)
            todo.extend(t.op for t in op.inputs)
    ops = [op for op in fetch.graph.get_operations() if op in needed]   # in creation order
    records = [(op.type, list(op.inputs), op.outputs[0]) for op in ops if op.inputs]
    ours = {id(t) for t in (names or {}).values()}
    labels = {f'{op.name}\n{op.outputs[0].shape}': op.outputs[0] for op in ops
              if id(op.outputs[0]) not in ours}       # the graph's own names, where we gave none
    labels.update({f'{name}\n{t.shape}': t for name, t in (names or {}).items()})
    return d2l.plot.plot_tape(records, names=labels, title=title)

draw_graph(y, names={'x': x, 'w1': w1, 'w2': w2, 'a': a, 'y': y},
           title='The forward pass y = (x w1) w2')
plt.show()

# %% [markdown]
# The random initialisers are not in the picture: they feed the variables'
# `Assign` operations, which only `init_op` needs. Running `y` touches only
# the nodes drawn here. That is the pruning of section 12.1: `sess.run(t)`
# executes just the part of the graph that `t` depends on.
#
# ## 12.9 Placeholders and `feed_dict`
#
# A constant input bakes one example into the graph. A placeholder instead
# defines a slot for training data, filled anew at every `sess.run`. With
# `shape=[None, 2]` the number of rows is left open, so the same graph accepts
# one example or a whole batch:

# %% tags=["output-varies"]
graph_1 = tf.Graph()
with graph_1.as_default():
    # in graph 1: two weight matrices, initialised with random values
    w1 = tf.Variable(tf.random_normal(shape=[2, 3], stddev=1, dtype=tf.float32, seed=1))
    w2 = tf.Variable(tf.random_normal(shape=[3, 1], stddev=1, dtype=tf.float32, seed=1))
    x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='input')  # None rows: known only when data is fed
    # the forward pass
    a = tf.matmul(x, w1)
    y = tf.matmul(a, w2)
# run the graph
with tf.Session(graph=graph_1) as sess:
    init_op = tf.global_variables_initializer()  # initialise all variables
    sess.run(init_op)
    feed_dict = {x: [[0.7, 0.9], [0.1, 0.4], [0.6, 0.8]]}
    print(sess.run(y, feed_dict=feed_dict))

# %% [markdown]
# The first row is the same as before: same seeds, same weights, same input.
# Feeding data of the wrong width is caught when it is fed, since the graph
# knows the placeholder's shape:

# %% tags=["raises-exception"]
with tf.Session(graph=graph_1) as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(y, feed_dict={x: [[0.7, 0.9, 1.0]]})

# %% [markdown]
# ## 12.10 Training in graph mode
#
# Training needs two more pieces in the graph: a **loss** and an operation that
# updates the variables. The model of section 12.9 becomes a binary classifier
# by passing its output through the sigmoid $\sigma(z) = 1 / (1 + e^{-z})$,
# which turns any number into a probability $\hat y \in (0, 1)$. The loss is
# the **binary cross-entropy** between $\hat y$ and the label $y \in \{0, 1\}$,
# averaged over the $n$ examples:
#
# $$\mathcal{L} = -\frac{1}{n} \sum_{i=1}^{n} \Big( y_i \log \hat y_i + (1 - y_i) \log (1 - \hat y_i) \Big).$$
#
# `tf.clip_by_value(t, 1e-10, 1.0)` keeps $\hat y$ away from 0 before the
# logarithm, since $\log 0 = -\infty$. Finally,
# `tf.train.AdamOptimizer(learning_rate=0.001).minimize(loss)` adds the
# gradient computation and the Adam update to the graph, as *one* operation:
# each run of it takes one training step. TF1 offers, among others,
# `tf.train.GradientDescentOptimizer`, `tf.train.MomentumOptimizer` and
# `tf.train.AdamOptimizer`.
#
# The program this section follows wrote its loss line like this:
#
# ```python
# cross_entropy = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y, 1e-10, 1))) + (1-y)*tf.log(tf.clip_by_value(1-y, 1e-10, 1.0))
# ```
#
# Count the parentheses: `reduce_mean` closes after the first term, so the
# second term is *added to* the mean instead of being part of it, and that
# term uses the prediction `1-y` where the formula has the label `1-y_`. In
# eager mode you would notice at once, because printing the loss shows 128
# numbers. In graph mode nothing complains: `minimize` quietly minimises the
# sum of such a loss. But the graph knows the static shape, and checking it is
# a good habit:

# %%
with graph_1.as_default():
    y_ = tf.placeholder(dtype=tf.float32, shape=[None, 1], name='y-input')
    y_prob = tf.sigmoid(y)
    buggy = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y_prob, 1e-10, 1))) + (1-y_prob)*tf.log(tf.clip_by_value(1-y_prob, 1e-10, 1.0))
    fixed = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y_prob, 1e-10, 1.0)) + (1-y_)*tf.log(tf.clip_by_value(1-y_prob, 1e-10, 1.0)))
print('as written:', buggy.shape.as_list())
print('fixed:     ', fixed.shape.as_list())

# %% [markdown]
# (We print the static shapes as lists, `[None, 1]`. Printed as shapes, an
# unknown dimension shows as `None` in TensorFlow 2 but as `?` in TensorFlow 1,
# in TensorFlow 2 after `tf.compat.v1.disable_v2_behavior()`, and in the
# engine's graph mode.)
#
# Here is the complete program, with the loss line fixed. The data are 128
# random points in the unit square, labelled 1 below the diagonal
# $x_1 + x_2 < 1$ and 0 above it. The program as it was written could hardly
# learn them: its network $(\mathbf{x} W_1) W_2$ is linear and has no biases,
# so its decision boundary must pass through the origin, and the best it
# managed was a loss of 0.66, hardly better than the $\ln 2 \approx 0.693$ of
# always answering one half. So we give each layer a bias and the hidden layer
# an activation, $\tanh$:
#
# $$\hat y = \sigma\big(\tanh(\mathbf{x} W_1 + \mathbf{b}_1)\, W_2 + b_2\big),$$
#
# and a larger learning rate, 0.01. We also draw the initial weights with
# NumPy, so that they are the same numbers in TensorFlow and in the engine, and
# add an `accuracy` node: the fraction of points on the right side of
# $\hat y = 0.5$. Each step feeds the next batch of 8 points; every 100 steps
# the program prints the loss and the accuracy on all 128 points (and keeps the
# loss for a plot). The `if __name__ == "__main__":` guard is true in a
# notebook too.

# %%
from numpy.random import RandomState

init_rng = RandomState(2)     # the initial weights, the same in any engine
w1_init = init_rng.normal(size=(2, 3)).astype(np.float32)
w2_init = init_rng.normal(size=(3, 1)).astype(np.float32)

graph_1 = tf.Graph()
with graph_1.as_default():
    # in graph 1: the variables, weights from NumPy and biases at zero
    w1 = tf.Variable(w1_init, name='w1')
    b1 = tf.Variable(tf.zeros([3]), name='b1')
    w2 = tf.Variable(w2_init, name='w2')
    b2 = tf.Variable(tf.zeros([1]), name='b2')
    x = tf.placeholder(dtype=tf.float32, shape=[None, 2], name='x-input')  # rows known only when data is fed
    y_ = tf.placeholder(dtype=tf.float32, shape=[None, 1], name='y-input')
    # the forward pass: a hidden layer with tanh, then the sigmoid
    a = tf.tanh(tf.matmul(x, w1) + b1)
    y = tf.sigmoid(tf.matmul(a, w2) + b2)
    # the loss and the training step
    cross_entropy = -tf.reduce_mean(y_*tf.log(tf.clip_by_value(y, 1e-10, 1.0)) + (1-y_)*tf.log(tf.clip_by_value(1-y, 1e-10, 1.0)))
    # clip_by_value(t, t_min, t_max) keeps t in a safe range
    train_step = tf.train.AdamOptimizer(learning_rate=0.01).minimize(cross_entropy)  # one Adam step on the loss
    # the fraction of points on the right side of 0.5
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(y > 0.5, tf.float32), y_), tf.float32))
if __name__ == "__main__":
    batch_size = 8
    rdm = RandomState(1)
    data_size = 128
    X = rdm.rand(data_size, 2)  # the training inputs
    Y = [int(x1+x2 < 1) for(x1, x2) in X]
    Y = np.array(Y)
    print(type(X))
    print(type(Y))
    graph_losses = []
    # configure the session
    config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
    # run the graph
    with tf.Session(graph=graph_1, config=config) as sess:
        init_op = tf.global_variables_initializer()  # initialise all variables
        sess.run(init_op)
        steps = 1000
        for i in range(steps):
            start = (i * batch_size) % data_size
            end = min(start + batch_size, data_size)
            sess.run(train_step, feed_dict={x: X[start: end], y_: Y[start: end].reshape([-1, 1])})
            # every so often, compute the cross-entropy and the accuracy on all the data
            if i % 100 == 0 or i == steps - 1:
                cross_entropy_value, accuracy_value = sess.run(
                    [cross_entropy, accuracy], feed_dict={x: X, y_: Y.reshape([-1, 1])})
                print(f"step {i:4d}: loss {cross_entropy_value:.4f}, accuracy {accuracy_value:.3f}")
                graph_losses.append(cross_entropy_value)
        print("Weights after training")
        print(sess.run(w1))
        print(sess.run(w2))

# %% [markdown]
# The loss falls from 1.38 (the random start is confidently wrong about many
# points), past the 0.69 of always guessing one half, to about 0.12, and the
# accuracy climbs from about one half to 98% (3 of the 128 points, close to
# the diagonal, are still on the wrong side). Notice what the Python loop
# does: it never computes anything itself. It only chooses which node to run
# (`train_step`, or `cross_entropy` and `accuracy` to monitor) and what to
# feed. The gradients, the Adam update and the variables all live in the graph
# and in the session.

# %% [markdown]
# ## 12.11 The same model in eager mode
#
# Porting a TF1 program to eager mode means replacing each graph concept with
# its direct counterpart:
#
# | graph mode (TF1) | eager mode (TF2) |
# |---|---|
# | `tf.placeholder` + `feed_dict` | ordinary function arguments |
# | `tf.Variable` + `global_variables_initializer` | `d2l.Variable`, which holds its value from the start |
# | `optimizer.minimize(loss)` in the graph | the loss under a `GradientTape`, then `optimizer.apply_gradients` |
# | `sess.run(node)` | just calling the Python code |
#
# To check the port, we start from the same initial weights (the graph's
# variables as they were before training, read with a fresh session) and
# use the same optimizer settings. TF1's `AdamOptimizer` has `epsilon=1e-8`;
# Keras's `Adam` defaults to `1e-7`, so we pass it explicitly:

# %%
with tf.Session(graph=graph_1) as sess:
    sess.run(tf.global_variables_initializer())
    initial = sess.run([w1, b1, w2, b2])

ew1, eb1, ew2, eb2 = params = [d2l.Variable(value) for value in initial]
optimizer = d2l.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8)

def binary_cross_entropy(xs, labels):
    y = d2l.sigmoid(d2l.matmul(d2l.tanh(d2l.matmul(xs, ew1) + eb1), ew2) + eb2)
    return -d2l.reduce_mean(labels * d2l.math.log(d2l.clip_by_value(y, 1e-10, 1.0))
                            + (1 - labels) * d2l.math.log(d2l.clip_by_value(1 - y, 1e-10, 1.0)))

X32 = X.astype(np.float32)
Y32 = Y.reshape([-1, 1]).astype(np.float32)
eager_losses = []
for i in range(steps):
    start = (i * batch_size) % data_size
    end = min(start + batch_size, data_size)
    with d2l.GradientTape() as tape:
        loss = binary_cross_entropy(X32[start:end], Y32[start:end])
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, params))
    if i % 100 == 0 or i == steps - 1:
        eager_losses.append(float(binary_cross_entropy(X32, Y32)))
print(ew1.numpy())
print(ew2.numpy())

# %% [markdown]
# The same weights as the graph program printed. The two loss curves, one
# point every 100 steps, agree to float32 precision and lie on top of each
# other:

# %%
print('the losses agree:', np.allclose(graph_losses, eager_losses, rtol=1e-4, atol=1e-6))
checkpoints = list(range(0, steps, 100)) + [steps - 1]

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself, e.g. plt.plot(checkpoints, graph_losses).
d2l.plot.plot_curves(checkpoints, {'graph mode (Session)': graph_losses,
                                   'eager mode (GradientTape)': eager_losses},
                     'step', 'cross-entropy on all 128 points',
                     title='One model, two execution styles')
plt.show()

# %% [markdown]
# They agree because they are the same computation: the engine's session runs
# a graph with the same operation kernels that eager mode uses, and a
# `minimize` step computes its gradients with a `GradientTape`. Only the
# organisation differs. In graph mode you describe everything first and the
# session runs it; in eager mode Python runs each step as it goes, which is
# why it is easier to print, debug and change.
#
# ## Summary
#
# * TF1 programs **define** a graph of operations, then **run** parts of it in
#   a `Session`; `sess.run(t, feed_dict=...)` computes only what `t` needs.
#   Eager mode (TF2, and this course) computes each line at once.
# * Graph tensors have a name, a shape and a dtype, but no value until a
#   session runs them. Placeholders are inputs, filled through `feed_dict`;
#   `shape=[None, 2]` leaves the batch size open.
# * Variables need initialising: `tf.global_variables_initializer()`.
#   `tf.random_normal`, `tf.truncated_normal`, `tf.random_uniform` and
#   `tf.random_gamma` draw initial values; `tf.zeros`, `tf.ones`, `tf.fill` and
#   `tf.constant` set them.
# * `tf.Graph()` isolates computations; `get_variable` in a `variable_scope`
#   creates prefixed variables, and `reuse=True` shares them. Both directions
#   fail loudly when your intent is unclear.
# * Collections (`tf.GraphKeys.GLOBAL_VARIABLES`, `TRAINABLE_VARIABLES`, ...)
#   organise a graph's resources. `tf.ConfigProto(allow_soft_placement=True,
#   log_device_placement=True)` lets ops fall back to the CPU and logs where
#   each one runs.
# * In TensorFlow 2, build TF1 graphs inside `with graph.as_default():`.
# * `tf.train.AdamOptimizer(...).minimize(loss)` adds a training step to the
#   graph. Ported to a `GradientTape` and `Adam`, the same model gives the same
#   numbers.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch12_graphs/ch12_graphs.ipynb`](../exercises/learner/ch12_graphs/ch12_graphs.ipynb).
# Before you open them, answer these:
#
# 1. In the `a+b` program, which lines build the graph and which run it? What
#    does `print(c_op)` show, and why no number?
#    <details><summary>Answer</summary>
#
#    The lines inside `with graph.as_default():` build it (placeholders,
#    `tf.add`, the initializer); `tf.Session`, `sess.run(init)` and
#    `sess.run(c_op, feed_dict=...)` run it. `print(c_op)` shows a symbolic
#    tensor: its name `variable_c:0`, its shape (unknown) and dtype. It has
#    no number because nothing has run; values exist only inside `sess.run`.
#    </details>
# 2. What is the difference between `tf.get_variable('w', ...)` inside
#    `tf.variable_scope('layer1')` and inside
#    `tf.variable_scope('layer1', reuse=True)`? When does each one fail?
#    <details><summary>Answer</summary>
#
#    Without `reuse`, it creates `layer1/w`, and fails if that already
#    exists. With `reuse=True`, it returns the existing `layer1/w`, and fails
#    if there is none or if its shape differs from the one asked for.
#    </details>
# 3. A variable is created with `trainable=False`. In which collections is it,
#    and what does that mean for `optimizer.minimize`?
#    <details><summary>Answer</summary>
#
#    In `GLOBAL_VARIABLES` (so it is initialised and saved), not in
#    `TRAINABLE_VARIABLES`. `minimize` updates only trainable variables by
#    default, so it leaves it alone.
#    </details>
# 4. In the training program, which Python lines would you change to port it
#    to eager mode, and what replaces the placeholders and `sess.run`?
#    <details><summary>Answer</summary>
#
#    The graph, the session and `minimize` go. Variables become `d2l.Variable`s
#    with their initial values; placeholders become function arguments;
#    `sess.run(train_step, feed_dict=...)` becomes computing the loss under a
#    `GradientTape` and calling `optimizer.apply_gradients`; `sess.run(node)`
#    becomes calling the Python code (section 12.11).
#    </details>
# 5. The original loss line had a misplaced parenthesis, and graph mode did
#    not complain. How could you have caught it before training?
#    <details><summary>Answer</summary>
#
#    Check the loss's static shape while building: a loss must be a scalar,
#    `()`, and the buggy one has shape `(None, 1)`. An assertion such as
#    `assert loss.shape.as_list() == []` catches it before anything runs.
#    </details>
