# %% [markdown]
# # Chapter 8 exercises: graphs and sessions
#
# TensorFlow 1 programs first **build** a graph of operations and then **run**
# parts of it in a session, feeding values into placeholders. These exercises
# practise both steps, variable scopes and collections, and porting a
# graph-mode program to eager mode.
#
# As in the chapter, the TF1 names live in `d2l_core.compat.v1` (TensorFlow's
# `tf.compat.v1`). Each function below builds its own `v1.Graph()`, so running
# a cell twice never mixes old and new operations.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.

# %%
import d2l_core as d2l
import numpy as np
import d2l_core.compat.v1 as v1

# %% [markdown]
# ## Question 1: build, then run (6 points: 3 for each function)
#
# * `build_affine()` creates a new `v1.Graph()` and, inside it, two `float32`
#   placeholders named `'a'` and `'b'` (of any shape) and the tensor
#   `c = a * b + a`, named `'c'`. It returns `(graph, a, b, c)`.
# * `run_affine(a_value, b_value)` builds the graph with `build_affine()`,
#   opens a `v1.Session` on it, and returns the value of `c` for the fed
#   values (a NumPy value, as `Session.run` gives).

# %% solution q1
def build_affine():
    ### BEGIN SOLUTION
    graph = v1.Graph()
    with graph.as_default():
        a = v1.placeholder(v1.float32, name='a')
        b = v1.placeholder(v1.float32, name='b')
        c = v1.add(a * b, a, name='c')
    return graph, a, b, c
    ### END SOLUTION


def run_affine(a_value, b_value):
    ### BEGIN SOLUTION
    graph, a, b, c = build_affine()
    with v1.Session(graph=graph) as sess:
        return sess.run(c, feed_dict={a: a_value, b: b_value})
    ### END SOLUTION

# %% tests q1a_tests points=3
check = d2l.check('q1a', 'build_affine')
graph, a, b, c = build_affine()
check.true(c.graph is graph, 'c belongs to the returned graph', hint='create the ops inside `with graph.as_default():`')
check.equal(c.name, 'c:0', "c is named 'c'", hint="pass name='c' to the op that makes c (v1.add, for example)")
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(a.name, 'a:0', "a is named 'a'")
check.equal(b.name, 'b:0', "b is named 'b'")
check.true(build_affine()[0] is not graph, 'each call builds a new graph')
with v1.Session(graph=graph) as sess:
    check.close(sess.run(c, feed_dict={a: 3., b: -1.}), 0., 'c = a * b + a for a = 3, b = -1')
    check.raises(d2l.errors.InvalidArgumentError, lambda: sess.run(c, feed_dict={a: 1.}),
                 'running c without feeding b is an error')
### END HIDDEN TESTS
check.done()

# %% tests q1b_tests points=3
check = d2l.check('q1b', 'run_affine')
result = run_affine(2., 4.)
check.true(isinstance(result, (np.ndarray, np.generic)), 'run_affine returns a NumPy value',
           actual=type(result).__name__, hint='return what sess.run gives')
check.close(result, 10., 'run_affine(2., 4.)')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(run_affine([1., 2., 3.], [4., 5., 6.]), [5., 12., 21.], 'vectors are fed elementwise')
check.close(run_affine([[1.], [2.]], [[0.5, 1.]]), [[1.5, 2.], [3., 4.]], 'a column times a row broadcasts')
check.uses(run_affine, ['Session'], 'run_affine runs the graph in a Session')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: from graph mode to eager mode (6 points)
#
# Here is a TF1 program that fits $y \approx w x + b$ by gradient descent. Run
# it and read it: which lines build the graph, and which run it?

# %%
def graph_training(xs, ys, lr=0.05, steps=100):
    graph = v1.Graph()
    with graph.as_default():
        x = v1.placeholder(v1.float32, shape=[None], name='x')
        y = v1.placeholder(v1.float32, shape=[None], name='y')
        with v1.variable_scope('model'):
            w = v1.get_variable('w', shape=[], initializer=v1.zeros_initializer())
            b = v1.get_variable('b', shape=[], initializer=v1.zeros_initializer())
        loss = v1.reduce_mean(v1.square(w * x + b - y))
        train_op = v1.train.GradientDescentOptimizer(lr).minimize(loss)
        init = v1.global_variables_initializer()
    with v1.Session(graph=graph) as sess:
        sess.run(init)
        for _ in range(steps):
            sess.run(train_op, feed_dict={x: xs, y: ys})
        return [float(value) for value in sess.run([w, b])]


xs, ys = [1., 2., 3., 4.], [3.1, 4.9, 7.2, 8.8]
graph_training(xs, ys)

# %% [markdown]
# Write `eager_training(xs, ys, lr=0.05, steps=100)` that does the same in
# eager mode, with no graph, placeholder or session: `d2l.Variable`s for `w`
# and `b` (both starting at 0), the loss computed under a `d2l.GradientTape`,
# and `d2l.keras.optimizers.SGD(learning_rate=lr)` to apply the gradients. It
# returns `[w, b]` as Python floats, and must give the same numbers as
# `graph_training`.

# %% solution q2
def eager_training(xs, ys, lr=0.05, steps=100):
    ### BEGIN SOLUTION
    x = d2l.constant(xs, dtype=d2l.float32)
    y = d2l.constant(ys, dtype=d2l.float32)
    w, b = d2l.Variable(0.), d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    for _ in range(steps):
        with d2l.GradientTape() as tape:
            loss = d2l.reduce_mean(d2l.square(w * x + b - y))
        grads = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(grads, [w, b]))
    return [float(w), float(b)]
    ### END SOLUTION

# %% tests q2_tests points=6
check = d2l.check('q2', 'eager_training')
result = eager_training(xs, ys)
check.true(isinstance(result, list) and all(isinstance(v, float) for v in result),
           'it returns [w, b] as Python floats', actual=repr(result), hint='float(w) reads a Variable\'s value')
check.close(result, graph_training(xs, ys), 'the same w and b as graph_training', rtol=1e-4, atol=1e-5,
            hint='the loss is the mean of squares; SGD uses the same update as GradientDescentOptimizer')
### BEGIN HIDDEN TESTS
check.hidden()
xs2, ys2 = [-1., 0., 0.5, 2., 3.], [1., 0.5, 0.2, -1., -1.6]
check.close(eager_training(xs2, ys2, lr=0.1, steps=30), graph_training(xs2, ys2, lr=0.1, steps=30),
            'other data, lr=0.1, 30 steps', rtol=1e-4, atol=1e-5)
check.close(eager_training(xs, ys, steps=1), graph_training(xs, ys, steps=1), 'a single step', rtol=1e-5)


def no_session(*args, **kwargs):
    raise RuntimeError('eager_training opened a v1.Session')


real_session, v1.Session = v1.Session, no_session
try:
    eager_training(xs, ys, steps=2)
    used_session = False
except RuntimeError:
    used_session = True
finally:
    v1.Session = real_session
check.true(not used_session, 'eager_training runs without a Session',
           hint='use d2l.Variable, d2l.GradientTape and an optimizer; no graph')
check.uses(eager_training, ['GradientTape'], 'eager_training computes the gradients with a GradientTape')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: variable scopes and collections (5 points)
#
# Write `build_two_layers()`. In a new `v1.Graph()` it creates, with
# `v1.get_variable` (default initializer for the kernels,
# `v1.zeros_initializer()` for the biases):
#
# * in `v1.variable_scope('layer1')`: `w` of shape `[3, 4]` and `b` of shape `[4]`;
# * in `v1.variable_scope('layer2')`: `w` of shape `[4, 2]` and `b` of shape
#   `[2]`, where this `b` must **not** be trainable (`trainable=False`);
#
# and adds the two kernels (`layer1/w`, then `layer2/w`) to a collection named
# `'weights'` with `v1.add_to_collection`. It returns the graph.

# %% solution q3
def build_two_layers():
    ### BEGIN SOLUTION
    graph = v1.Graph()
    with graph.as_default():
        with v1.variable_scope('layer1'):
            w1 = v1.get_variable('w', shape=[3, 4])
            v1.get_variable('b', shape=[4], initializer=v1.zeros_initializer())
        with v1.variable_scope('layer2'):
            w2 = v1.get_variable('w', shape=[4, 2])
            v1.get_variable('b', shape=[2], initializer=v1.zeros_initializer(), trainable=False)
        v1.add_to_collection('weights', w1)
        v1.add_to_collection('weights', w2)
    return graph
    ### END SOLUTION

# %% tests q3a_tests points=2
check = d2l.check('q3a', 'variable scopes')


def names(variables):
    return [v.name for v in variables]


graph = build_two_layers()
check.equal(names(graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)),
            ['layer1/w:0', 'layer1/b:0', 'layer2/w:0', 'layer2/b:0'], 'the names of all variables',
            hint='a variable_scope prefixes the names of the variables made inside it')
### BEGIN HIDDEN TESTS
check.hidden()
shapes = [tuple(v.shape) for v in graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)]
check.equal(shapes, [(3, 4), (4,), (4, 2), (2,)], 'the shapes of the variables')
with graph.as_default():
    with v1.variable_scope('layer1', reuse=True):
        again = v1.get_variable('w')
    check.true(again is graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)[0], "reuse=True returns the same 'layer1/w'")
    with v1.variable_scope('layer1'):
        check.raises(ValueError, lambda: v1.get_variable('w', shape=[3, 4]),
                     'making layer1/w a second time without reuse is an error')
    init = v1.global_variables_initializer()
with v1.Session(graph=graph) as sess:
    sess.run(init)
    values = sess.run(graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES))
    check.equal(values[1], np.zeros(4), 'layer1/b starts at zero')
    check.true(np.abs(values[0]).max() > 0, 'the kernels are randomly initialised, not zero')
### END HIDDEN TESTS
check.done()

# %% tests q3b_tests points=2
check = d2l.check('q3b', 'trainable variables')
graph = build_two_layers()
trainable = [v.name for v in graph.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES)]
check.true('layer2/b:0' not in trainable, 'layer2/b is not trainable', hint='trainable=False')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(trainable, ['layer1/w:0', 'layer1/b:0', 'layer2/w:0'], 'the trainable variables')
### END HIDDEN TESTS
check.done()

# %% tests q3c_tests points=1
check = d2l.check('q3c', "the 'weights' collection")
graph = build_two_layers()
weights = [v.name for v in graph.get_collection('weights')]
check.equal(len(weights), 2, "two variables in the 'weights' collection", hint='v1.add_to_collection twice')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(weights, ['layer1/w:0', 'layer2/w:0'], "the 'weights' collection, in order")
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: graph mode against eager mode (3 points, graded by hand)
#
# Compare `graph_training` with your `eager_training`. (a) Name two
# differences in how the programs are organised: where the training loop and
# the gradient computation live, and when values exist. (b) In which program
# does a typo in a tensor's name or a wrong shape show up, and when? (c) Give
# one reason graph mode's separation of building and running can be an
# advantage.
#
# **Rubric (3 points):** 1 for (a): where the loop and the gradients live
# (graph: built once, `minimize` adds them, the loop only runs `train_op`;
# eager: computed in the loop under a tape) and when values exist (symbolic
# until `sess.run` against immediate); 1 for (b): graph mode reports a wrong
# shape or name while building, or only at `sess.run` for fed values, eager
# mode at the very line; 1 for (c) one real advantage (the whole computation
# is known before it runs: it can be optimised, saved, or run elsewhere).

# %% [markdown] written q4 points=3
# (a) In graph mode the model, the loss and even the update (`minimize`) are
# built once as graph nodes, and the Python loop only asks the session to run
# `train_op` with fed data; gradients are added to the graph by `minimize`. In
# eager mode every line computes values immediately; the loop body computes
# the loss under a tape, asks the tape for gradients and applies them
# explicitly. In graph mode tensors are only symbolic until `sess.run`; in
# eager mode every tensor holds its value and can be printed.
# (b) Static shape errors appear in graph mode while the graph is built, but
# errors that depend on fed values (a missing feed, a mismatched fed shape)
# only appear at `sess.run`, far from the line that caused them; in eager mode
# every error is raised by the line that caused it.
# (c) A built graph is a complete description of the computation: it can be
# optimised as a whole, placed on devices, saved and run again without the
# Python code, and the same graph can be run many times with different feeds.
