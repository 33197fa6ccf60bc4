# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 13. Functions and tracing
#
# Chapter 12 showed two ways to run a computation. TensorFlow 1 *described*
# it as a graph first and ran the graph in a session: fast and optimisable,
# but awkward to write and to debug. Eager mode runs each line as Python
# reaches it: easy to write, print and debug, but every operation pays
# Python's price, and nothing sees the computation as a whole.
#
# TensorFlow 2 keeps eager mode as the default and gets graphs back with one
# decorator, `tf.function`. You write an ordinary Python function; the first
# time you call it, TensorFlow runs your Python code once on **symbolic**
# tensors and records every operation into a graph (this is **tracing**), and
# later calls run that graph instead of your Python. Knowing what runs at trace
# time and what runs on every call is the whole skill: it explains why a
# `print` inside fires only once, why a loop over Python numbers retraces, and
# why some code gets faster while other code does not.
#
# The engine's version is `d2l.function`, with TensorFlow's names and
# behaviour. It traces into the same kind of graph as the session of chapter
# 12, then compiles the graph into a short Python program, its **plan**, that
# you can read.
#
# **After this chapter you will be able to**
#
# * turn a TensorFlow 1 graph-and-session program into a `function`, and say what replaced the placeholders and `Session.run`;
# * explain tracing, recognise a symbolic tensor, and inspect a trace's `ConcreteFunction` and its graph;
# * predict when a function retraces, count traces with `experimental_get_tracing_count()`, and control them with `input_signature` and `reduce_retracing`;
# * tell trace-time side effects (`print`, Python lists, creating Variables) from run-time ones (`d2l.print`, `assign`);
# * write a training step under `function` that gives exactly the eager gradients;
# * write `if` and `while` on tensors with `d2l.cond` and `d2l.while_loop`;
# * measure eager against traced code, and explain where the time goes.
#
# Every name is TensorFlow's: with `import tensorflow as d2l`, every cell not
# marked *d2l_core only* runs unchanged and prints the same.

# %%
import sys
import timeit

import numpy as np
import matplotlib.pyplot as plt

import d2l_core as d2l                 # TensorFlow 2 style
import d2l_core.compat.v1 as tf1       # TensorFlow 1 style, for the comparison in 13.1

# %% [markdown]
# ## 13.1 From sessions to functions
#
# Here is a small TensorFlow 1 program in the style of chapter 12: a linear
# layer `x @ w + b` with a placeholder for its input, built into a graph and
# then run in a session, twice, with two different feeds:

# %%
graph = tf1.Graph()
with graph.as_default():
    x_ph = tf1.placeholder(tf1.float32, shape=[None, 2], name='x')
    w = tf1.constant([[1.0], [2.0]], name='w')
    b = tf1.constant(0.5, name='b')
    y_op = tf1.matmul(x_ph, w) + b
with tf1.Session(graph=graph) as sess:
    print(sess.run(y_op, feed_dict={x_ph: [[1.0, 1.0]]}))
    print(sess.run(y_op, feed_dict={x_ph: [[1.0, 0.0], [0.0, 1.0]]}))

# %% [markdown]
# The TensorFlow 2 version is a decorated Python function. The placeholder
# becomes an argument, `sess.run(y_op, feed_dict=...)` becomes a call, and
# the graph is built for you, by tracing, the first time you call it:

# %%
w = d2l.constant([[1.0], [2.0]])
b = d2l.constant(0.5)

@d2l.function
def linear(x):
    return d2l.matmul(x, w) + b

print(linear(d2l.constant([[1.0, 1.0]])))
print(linear(d2l.constant([[1.0, 0.0], [0.0, 1.0]])))

# %% [markdown]
# Same numbers. The correspondence is close:
#
# | TensorFlow 1 | TensorFlow 2 |
# |---|---|
# | build a graph with `tf.placeholder` and ops | write a Python function; its arguments are the inputs |
# | `tf.Graph()`, `with graph.as_default():` | each trace makes its own graph (`concrete.graph`) |
# | `sess.run(fetches, feed_dict={...})` | call the function with tensors; it returns its results |
# | `shape=[None, 2]` on a placeholder | `input_signature=[d2l.TensorSpec([None, 2])]` (13.4) |
# | `tf.print` as a graph node | `d2l.print` inside the function (13.5) |
# | `tf.cond`, `tf.while_loop` | the same, or Python `if`/`while` on tensors with AutoGraph (13.7) |
#
# Without the decorator, `linear` is an ordinary eager function and gives
# the same results. The decorator changes *how* it runs, not *what* it
# computes. The rest of this chapter is about that "how".
#
# ## 13.2 Tracing: your Python runs once, on symbolic tensors
#
# To see when Python code runs, put a `print` inside. Python's `print` is
# not an operation; it simply runs whenever Python reaches it:

# %%
@d2l.function
def f(x, y):
    print('tracing f with x =', x)
    return x * y + 1.0

print(f(d2l.constant(2.0), d2l.constant(3.0)))
print(f(d2l.constant(4.0), d2l.constant(5.0)))

# %% [markdown]
# The message appeared once. The first call **traced** `f`: it ran the
# Python body with `x` and `y` replaced by **symbolic tensors**, and every
# operation the body called added a node to a graph instead of computing a
# number. A symbolic tensor prints as `Tensor("x:0", shape=(), dtype=float32)`:
# a name (output 0 of the node `x`), a static shape and a dtype, and no value,
# just like `c_op` in chapter 12. The graph was then kept; the second call,
# with tensors of the same shape and dtype, ran the graph directly, without
# running the Python body, so nothing was printed.
#
# `experimental_get_tracing_count()` counts the traces so far, and
# `d2l.executing_eagerly()` tells you which world you are in:

# %%
print('traces of f:', f.experimental_get_tracing_count())

@d2l.function
def where_am_i():
    return d2l.executing_eagerly()

print('outside a function:', d2l.executing_eagerly())
print('inside a function: ', bool(where_am_i()))

# %% [markdown]
# Because a symbolic tensor has no value, anything that needs a number fails
# while tracing: `x.numpy()`, `float(x)`, or a NumPy function applied to it.
# The error is raised by the Python line that asked for the value:

# %% tags=["raises-exception"]
@d2l.function
def needs_a_value(x):
    return x.numpy() + 1

needs_a_value(d2l.constant(1.0))

# %% [markdown]
# The fix is to keep computing with operations (they add nodes), and to use
# a value only after the call returns, when it is an ordinary eager tensor.
#
# ## 13.3 The graph of a trace
#
# Each trace is kept as a **`ConcreteFunction`**: the graph for one input
# signature. `get_concrete_function` returns it (tracing if needed) and
# accepts `d2l.TensorSpec`s, descriptions of a tensor's shape and dtype, in
# place of tensors. A `None` dimension is unknown until the call, like a
# placeholder's `shape=[None, 2]`:

# %%
W1 = d2l.Variable([[1.0, -1.0, 0.5], [0.5, 2.0, -1.0]], name='W1')
b1 = d2l.Variable([0.1, -0.2, 0.0], name='b1')
W2 = d2l.Variable([[1.0], [-1.0], [2.0]], name='W2')

@d2l.function
def mlp(x):
    hidden = d2l.nn.relu(d2l.matmul(x, W1) + b1)
    d2l.argmax(hidden, axis=1)        # left over from debugging: its result is unused
    return d2l.matmul(hidden, W2)

concrete = mlp.get_concrete_function(d2l.TensorSpec([None, 2], d2l.float32))
print(concrete.inputs[0])
print(concrete(d2l.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])))

# %% [markdown]
# `concrete.inputs` starts with the symbolic tensor that stands for `x`
# (TensorFlow lists the handles of the captured Variables after it, so we
# print the first). The concrete function can be called like the original,
# with tensors that fit its signature: here, any number of rows of two
# columns.
#
# Its graph lists the nodes the trace recorded, in the order the Python body
# called them. *d2l_core only:* reading `concrete.graph.nodes` and drawing
# with `d2l.plot.plot_graph` are the engine's; in TensorFlow you would write
# `concrete.graph.get_operations()`, which also lists the placeholder and
# output nodes, and look at the graph in TensorBoard.

# %% tags=["d2l-only"]
for node in concrete.graph.nodes:
    print(f'{node.name:12s} {node.type:16s} -> {[t.name for t in node.outputs]}')

# %% tags=["d2l-only"]
# d2l_core only; in TensorFlow you would look at this graph in TensorBoard
d2l.plot.plot_graph(concrete, title='The graph traced from mlp(x), for x of shape (None, 2)')
plt.show()

# %% [markdown]
# In the drawing, yellow ovals are operations and boxes are the tensors that
# flow between them, each labelled with its static shape: `None` where the
# size is known only when the function runs. The input `x` is blue, the
# output orange. Two things stand out. The Variables (purple) enter the graph
# directly: the graph reads their *current* values each time it runs (13.5).
# And the leftover `argmax` is a node like any other, although its result
# (the white box on the right, an int64 vector) leads nowhere. Tracing
# records whatever the Python body calls; it is the compiler's job to drop
# what is not needed.
#
# That compiler is where graphs pay off. Before running, the engine compiles
# the graph into a **plan**, a straight-line Python program with one line per
# operation that still has to run. *d2l_core only:* `plan_source` and
# `plan_stats` show it; in TensorFlow, the Grappler optimiser rewrites the
# graph instead, and you do not normally read its result.

# %% tags=["d2l-only"]
print(concrete.plan_source)
print(concrete.plan_stats)

# %% [markdown]
# The leftover `argmax` is gone (`'dead': 1`), and each intermediate value
# is deleted (`del`) right after its last use, so memory is freed as early
# as possible. The `c1`, `c3`, `c5` are the Variables, read when the
# line runs.
#
# ## 13.4 Retracing
#
# A graph is specialised to its inputs: each symbolic tensor has one dtype
# and one static shape, and Python values (numbers, strings, booleans) are
# baked into the graph as constants. So `function` keeps one trace per
# **input signature** and traces again (**retraces**) when a call does not fit
# any trace it has:
#
# * a tensor argument with a new shape or dtype;
# * a Python argument with a new value: `f(2.0)` and `f(3.0)` are two traces.

# %%
print(f(d2l.constant([1.0, 2.0]), d2l.constant(3.0)))     # new shape: (2,)
print(f(d2l.constant([3.0, 4.0]), d2l.constant(3.0)))     # same signature again
print(f(2.0, 3.0))                                        # Python floats
print(f(2.0, 4.0))                                        # another Python value
print('traces of f:', f.experimental_get_tracing_count())

# %% [markdown]
# Four traces now: `(float32 scalar, float32 scalar)`, `((2,), scalar)`,
# `(2.0, 3.0)` and `(2.0, 4.0)`. Each trace costs a run of the Python body,
# the shape and dtype checks of every operation, and a compilation, so a
# function that retraces on every call is slower than no `function` at all.
#
# **The Python-scalar pitfall.** The classic case is a loop that passes a
# Python number that changes: a step counter, a learning rate. Each new
# value is a new signature:

# %%
@d2l.function
def decay(w, lr):
    print('tracing decay with lr =', lr)
    return w - lr * w

w_value = d2l.constant(1.0)
for lr in [0.1, 0.05, 0.01]:
    w_value = decay(w_value, lr)
print(w_value, 'traces:', decay.experimental_get_tracing_count())

# %% [markdown]
# Pass the number as a tensor and the traces stop: a tensor's *value* is not
# part of the signature, only its shape and dtype:

# %%
for lr in [0.1, 0.05, 0.01]:
    w_value = decay(w_value, d2l.constant(lr))
print(w_value, 'traces:', decay.experimental_get_tracing_count())

# %% [markdown]
# One more trace, for a float32 scalar tensor, and then none. Keep Python
# arguments for things that really select a different graph (a layer count,
# `training=True` or `False`), and pass data as tensors.
#
# **Fixing the signature.** A model that sees batches of varying size would
# trace once per batch size. Two ways to avoid that:
#
# * `input_signature=[d2l.TensorSpec([None, 2], d2l.float32)]` declares the
#   signature once: one trace, with a `None` batch dimension, and any call
#   that does not fit is an error rather than a retrace;
# * `reduce_retracing=True` lets the function generalise by itself: when a
#   shape changes, it retraces once with `None` in the dimensions that differ,
#   and later calls reuse that more general trace.
#
# Let us count traces for the three choices, for a stream of batches whose
# sizes keep changing:

# %%
batch_sizes = [32, 32, 17, 32, 8, 32, 50, 17, 3, 32, 64, 5]

def row_sums(x):
    return d2l.reduce_sum(x, axis=1)

plain = d2l.function(row_sums)
relaxed = d2l.function(row_sums, reduce_retracing=True)
declared = d2l.function(row_sums, input_signature=[d2l.TensorSpec([None, 2], d2l.float32)])
counts = {'default': [], 'reduce_retracing=True': [], 'input_signature, None batch': []}
for n in batch_sizes:
    batch = d2l.ones([n, 2])
    for fn, key in [(plain, 'default'), (relaxed, 'reduce_retracing=True'),
                    (declared, 'input_signature, None batch')]:
        fn(batch)
        counts[key].append(fn.experimental_get_tracing_count())
for key, c in counts.items():
    print(f'{key:28s} traces after each call: {c}')

# %%
calls = np.arange(1, len(batch_sizes) + 1)
fig, ax = plt.subplots(figsize=(6, 3))
for (key, c), marker in zip(counts.items(), ['o', 's', '^']):
    ax.step(calls, c, where='post', marker=marker, label=key)
ax.set_xlabel('call number, and the batch size of that call')
ax.set_ylabel('traces so far')
ax.set_xticks(calls)
ax.set_xticklabels([f'{i}\n{n}' for i, n in zip(calls, batch_sizes)], fontsize=8)
ax.set_title('Retraces for a stream of changing batch sizes')
ax.legend()
plt.show()

# %% [markdown]
# The default function traced once per distinct batch size (7 traces for 12
# calls), and would go on tracing for every new size. `reduce_retracing=True`
# traced twice: for the first shape `(32, 2)`, then, when the shape changed,
# for `(None, 2)`, which fits everything after. The declared signature traced
# once. The declared signature is also a check: a call that does not fit is
# rejected with an error that shows both signatures.

# %% tags=["raises-exception"]
declared(d2l.ones([4, 3]))

# %% [markdown]
# ## 13.5 Side effects: what happens at trace time, what on every call
#
# Tracing runs the Python body once, so anything *Python* does in the body
# happens at trace time only: a `print`, appending to a list, incrementing a
# Python counter. Operations, on the other hand, become nodes and run on every
# call. `d2l.print` (`tf.print`) is an operation that prints, so it is the one
# to use for values you want to see each time:

# %%
@d2l.function
def double(x):
    print('Python print: x =', x)
    d2l.print('d2l.print:    x =', x, output_stream=sys.stdout)
    return x * 2.0

for v in [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0, 7.0]]:
    _ = double(d2l.constant(v))

# %% [markdown]
# The Python `print` fired for each trace (two shapes, two traces) and showed
# the symbolic tensor; `d2l.print` fired for each of the three calls and showed
# the values. (`d2l.print` writes to standard error unless told otherwise,
# as `tf.print` does; here `output_stream=sys.stdout` puts its lines in
# order with Python's.) A Python list shows the same trace-time effect:

# %%
seen_shapes = []

@d2l.function
def add_one(x):
    seen_shapes.append(x.shape)
    return x + 1.0

for v in [1.0, 2.0, 3.0, [1.0, 2.0]]:
    _ = add_one(d2l.constant(v))
print(seen_shapes)

# %% [markdown]
# Four calls, two appends: one per trace.
#
# **Variables outside the function** work as you would hope. A graph holds a
# *reference* to a Variable and reads its value each time it runs, so a
# changed Variable is seen by the next call. A Python number, in contrast, was
# copied into the graph as a constant when it was traced, and a later change
# goes unnoticed, until something makes the function retrace:

# %%
scale_var = d2l.Variable(2.0)
scale_py = 2.0

@d2l.function
def scaled(x):
    return scale_var * x, scale_py * x

print(scaled(d2l.constant(3.0)))
scale_var.assign(10.0)
scale_py = 10.0
print(scaled(d2l.constant(3.0)))

# %% [markdown]
# **Assignments inside** are operations, so they run on every call. A
# function can keep state in Variables:

# %%
total = d2l.Variable(0.0)

@d2l.function
def accumulate(x):
    total.assign_add(d2l.reduce_sum(x))
    return total.read_value()

for v in [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]:
    print(accumulate(d2l.constant(v)))

# %% [markdown]
# **Creating Variables inside** is different. `d2l.Variable(...)` in the body
# is a trace-time action: every trace would make a fresh Variable, back at its
# initial value, which is almost never what you meant. So `function` allows
# Variables to be created on the *first* trace only. To check, it traces a
# body that created Variables a second time, at once, and refuses one that
# creates them again, on the very first call:

# %% tags=["raises-exception"]
@d2l.function
def fresh_variable(x):
    v = d2l.Variable(1.0)
    return v * x

fresh_variable(d2l.constant(1.0))

# %% [markdown]
# The pattern that works creates the Variable once, on the first call, and
# stores it on an object (Keras layers build their weights exactly so):

# %%
class RunningSum(d2l.Module):
    def __init__(self):
        super().__init__()
        self.total = None

    @d2l.function
    def __call__(self, x):
        if self.total is None:                 # Python `if`: decided at trace time
            print('creating the Variable')
            self.total = d2l.Variable(0.0)
        self.total.assign_add(x)
        return self.total.read_value()

running = RunningSum()
print(running(d2l.constant(1.0)))
print(running(d2l.constant(2.0)))

# %% [markdown]
# ## 13.6 A training step under `function`
#
# A `GradientTape` works inside a traced function as it does eagerly. While
# tracing, the tape records the forward operations (symbolically), and
# `tape.gradient` walks that record backwards with the same gradient rules
# as in chapter 5; since those rules are written with operations, the
# backward pass becomes more nodes of the graph. So the usual training step,
# decorated, computes exactly the eager gradients. We check this by training one small
# network twice from the same initial weights, once eagerly and once with
# the step traced:

# %%
rng = np.random.default_rng(0)
X = d2l.constant(rng.normal(size=(64, 4)).astype(np.float32))
true_w = np.array([[1.0], [-2.0], [0.5], [3.0]], np.float32)
Y = d2l.constant(np.maximum(X.numpy() @ true_w, 0.0) + 0.1)
init = [rng.normal(scale=0.5, size=(4, 16)).astype(np.float32), np.zeros(16, np.float32),
        rng.normal(scale=0.5, size=(16, 1)).astype(np.float32), np.zeros(1, np.float32)]

def make_train_step(params, learning_rate=0.05):
    optimizer = d2l.keras.optimizers.SGD(learning_rate=learning_rate)

    def train_step(X, Y):
        W1, b1, W2, b2 = params
        with d2l.GradientTape() as tape:
            hidden = d2l.nn.relu(d2l.matmul(X, W1) + b1)
            loss = d2l.reduce_mean(d2l.square(d2l.matmul(hidden, W2) + b2 - Y))
        grads = tape.gradient(loss, params)
        optimizer.apply_gradients(zip(grads, params))
        return loss
    return train_step

eager_params = [d2l.Variable(v) for v in init]
traced_params = [d2l.Variable(v, name=name) for v, name in zip(init, ['W1', 'b1', 'W2', 'b2'])]
eager_step = make_train_step(eager_params)
traced_step = d2l.function(make_train_step(traced_params))
for step in range(101):
    eager_loss, traced_loss = eager_step(X, Y), traced_step(X, Y)
    if step % 25 == 0:
        print(f'step {step:3d}: eager loss {float(eager_loss):.5f}, '
              f'traced loss {float(traced_loss):.5f}')
print('largest weight difference:',
      max(float(d2l.reduce_max(d2l.abs(a - b))) for a, b in zip(eager_params, traced_params)))
print('traces of the step:', traced_step.experimental_get_tracing_count())

# %% [markdown]
# Identical losses, identical weights, one trace for 101 calls. The step
# traced once because `X` and `Y` kept their shapes and the Variables are
# captured, not passed in.
#
# Its graph shows where the tape went (*d2l_core only*, as above; in
# TensorFlow you would open the graph in TensorBoard). The forward pass runs
# from `X` (and the Variables' values, the grey boxes on the left) to the loss,
# the orange output. From the loss on, the nodes are the backward pass the
# tape built while tracing: `OnesLike` starts it with $\partial L/\partial L = 1$,
# then come the gradients of `Mean`, `Square`, `Sub`, the two `MatMul`s
# (`ReluGrad` is the gradient of `Relu`), and the sums over the batch for
# the biases. `apply_gradients` takes the four gradients and updates the
# four Variables. The green `tape` box, with `GradientTapeStart` and
# `GradientTapeStop`, is all that is left of the tape object itself: its
# work was done at trace time.

# %% tags=["d2l-only"]
d2l.plot.plot_graph(traced_step.get_concrete_function(X, Y),
                    title='The traced training step: forward pass, tape, gradients, update')
plt.show()

# %% [markdown]
#
# A tape *around* a call of a traced function works too: when a tape is
# recording, the plan calls the same operations as eager code, and the outer
# tape records them. The gradient
# through the traced loss is the eager gradient:

# %%
@d2l.function
def loss_of(X, Y):
    W1, b1, W2, b2 = eager_params
    hidden = d2l.nn.relu(d2l.matmul(X, W1) + b1)
    return d2l.reduce_mean(d2l.square(d2l.matmul(hidden, W2) + b2 - Y))

with d2l.GradientTape() as tape:
    loss = loss_of(X, Y)
grad_traced = tape.gradient(loss, eager_params[3])
with d2l.GradientTape() as tape:
    hidden = d2l.nn.relu(d2l.matmul(X, eager_params[0]) + eager_params[1])
    loss = d2l.reduce_mean(d2l.square(d2l.matmul(hidden, eager_params[2]) + eager_params[3] - Y))
print('traced:', grad_traced.numpy().round(5), ' eager:',
      tape.gradient(loss, eager_params[3]).numpy().round(5))

# %% [markdown]
# ## 13.7 Control flow
#
# An `if` or a `for` in the body is Python, so it runs at trace time. When
# its condition is a **Python value**, that is exactly right: the trace takes
# one branch, the graph contains only that branch, and a different value
# means a different trace. A `for` over a Python `range` is *unrolled*: the
# graph gets one copy of the loop body per iteration.

# %%
@d2l.function
def power(x, n, negate):
    y = x
    for _ in range(n - 1):            # unrolled: n - 1 multiplications in the graph
        y = y * x
    if negate:                        # decided while tracing
        y = -y
    return y

print(power(d2l.constant(2.0), 3, False), power(d2l.constant(2.0), 3, True))
print(power(d2l.constant(2.0), 10, False))
print('traces:', power.experimental_get_tracing_count())

# %% [markdown]
# Three traces, one per combination of `n` and `negate`. *d2l_core only:*
# counting the graph's nodes shows the unrolling (in TensorFlow,
# `len(concrete.graph.get_operations())` counts placeholders and outputs too):

# %% tags=["d2l-only"]
for n in [3, 10]:
    graph_nodes = power.get_concrete_function(d2l.constant(2.0), n, False).graph.nodes
    print(f'n = {n:2d}: {len(graph_nodes)} nodes: {[node.type for node in graph_nodes]}')

# %% [markdown]
# Unrolling is fine for a handful of iterations and wasteful for thousands.
# And when the condition is a **tensor**, Python cannot decide it at trace
# time, since a symbolic tensor has no value. The graph must then contain the
# decision itself, as a node that picks a branch or repeats a loop body on
# every call. `function` does this for you with **AutoGraph**: before
# tracing, it rewrites the Python source of the function, turning each `if`,
# `while` and `for` whose condition or range is a tensor into such a node, and
# leaving the others alone. So you write ordinary Python:

# %%
@d2l.function
def relu_or_square(x):
    if x > 0:
        y = x
    else:
        y = x * x
    return y

@d2l.function
def collatz_steps(n):
    """How many steps of n -> n/2 (n even) or 3n+1 (n odd) until n reaches 1."""
    count = 0
    while n > 1:
        n = d2l.where(n % 2 == 0, n // 2, 3 * n + 1)
        count += 1
    return count

@d2l.function
def sum_of_squares(n):
    total = 0
    for i in d2l.range(n):            # a loop over a tensor: one loop node, not unrolled
        total += i * i
    return total

print(relu_or_square(d2l.constant(3.0)), relu_or_square(d2l.constant(-3.0)))
print(collatz_steps(d2l.constant(6)), collatz_steps(d2l.constant(27)))
print(sum_of_squares(d2l.constant(4)), sum_of_squares(d2l.constant(10)))
print('traces:', relu_or_square.experimental_get_tracing_count(),
      collatz_steps.experimental_get_tracing_count(),
      sum_of_squares.experimental_get_tracing_count())

# %% [markdown]
# One trace each, whatever the values: which branch runs, and how often a
# loop repeats, are decided when the graph runs, on each call. The same
# `collatz_steps` graph takes 8 steps from 6 and 111 from 27.
#
# You can print AutoGraph's rewrite. *d2l_core only:* the output below is the
# engine's; in TensorFlow, `tf.autograph.to_code(relu_or_square.python_function)`
# prints TensorFlow's version, longer but built the same way.

# %% tags=["d2l-only"]
print(d2l.autograph.to_code(relu_or_square.python_function))

# %% [markdown]
# The two branches became two small functions, and `ag__.if_stmt` decides
# what to do with them while tracing. On a Python value it calls one of
# them, as Python would. On a symbolic tensor it traces both and adds one
# conditional node to the graph: `d2l.cond(pred, true_fn, false_fn)`
# (`tf.cond`). Drawn with `d2l.plot.plot_graph` (*d2l_core only*; in
# TensorFlow you would use TensorBoard), the whole `if` is the single `If`
# node, which receives the condition and `x` (once for each branch that
# uses it):

# %% tags=["d2l-only"]
d2l.plot.plot_graph(relu_or_square.get_concrete_function(d2l.TensorSpec([], d2l.float32)),
                    title='relu_or_square: the if on a tensor is one If node')
plt.show()

# %% [markdown]
# Loops become `d2l.while_loop(cond, body, loop_vars)` (`tf.while_loop`) in
# the same way. You can call both yourself, and must where AutoGraph does
# not reach: with `d2l.function(f, autograph=False)`, or for a function
# whose source code Python cannot find.

# %%
@d2l.function
def relu_or_square_cond(x):
    return d2l.cond(x > 0, lambda: x, lambda: x * x)

@d2l.function
def collatz_steps_loop(n):
    def step(n, count):
        return d2l.where(n % 2 == 0, n // 2, 3 * n + 1), count + 1
    return d2l.while_loop(lambda n, count: n > 1, step, (n, 0))[1]

print(relu_or_square_cond(d2l.constant(-3.0)), collatz_steps_loop(d2l.constant(27)))

# %% [markdown]
# Because one graph must serve both outcomes, an `if` on a tensor asks more
# of your code than Python does: a variable used after it must be assigned
# in both branches, with the same dtype and structure, and a loop must keep
# the dtypes of the variables it changes. Otherwise tracing stops and says
# which variable is at fault:

# %% tags=["raises-exception"]
@d2l.function
def half_defined(x):
    if x > 0:
        y = x
    return y

half_defined(d2l.constant(1.0))

# %% [markdown]
# ## 13.8 Where the time goes
#
# Why trace at all? Mostly for speed, and for a graph you can optimise, place
# on devices and save. Let us measure. *The timings below vary from machine
# to machine and run to run.* First, the price of a single operation, `x + x`,
# as the tensor grows, against the same addition in NumPy:

# %% tags=["output-varies"]
# NBVAL_IGNORE_OUTPUT
def time_per_call(fn, *args, n_calls=200):
    """Seconds per call of fn(*args): the best of 3 runs of n_calls calls each."""
    return min(timeit.repeat(lambda: fn(*args), number=n_calls, repeat=3)) / n_calls

def double_it(x):
    return x + x

sizes = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
op_times, numpy_times = [], []
for size in sizes:
    n_calls = 2000 if size <= 10_000 else 200 if size <= 100_000 else 20
    op_times.append(time_per_call(double_it, d2l.ones([size]), n_calls=n_calls))
    numpy_times.append(time_per_call(double_it, np.ones(size, np.float32), n_calls=n_calls))
for size, t, t_np in zip(sizes, op_times, numpy_times):
    print(f'{size:>9,d} elements: x + x takes {t * 1e6:8.2f} µs on tensors, '
          f'{t_np * 1e6:8.2f} µs in NumPy')

# %% tags=["output-varies"]
# NBVAL_IGNORE_OUTPUT
fig, ax = plt.subplots(figsize=(5.5, 3.2))
ax.loglog(sizes, np.array(op_times) * 1e6, 'o-', label='x + x, a tensor op')
ax.loglog(sizes, np.array(numpy_times) * 1e6, 's--', label='x + x in NumPy')
ax.set_xlabel('number of elements')
ax.set_ylabel('time per call (µs)')
ax.set_title('Small tensors: the time is per-op overhead')
ax.legend()
plt.show()

# %% [markdown]
# Adding a few numbers takes the processor nanoseconds. Up to a few thousand
# elements the time of an operation hardly depends on the size: that flat
# floor is **per-op overhead**, the Python calls, dtype and shape checks,
# asking whether a tape is recording, and wrapping the result in a new
# tensor. Only for large tensors does the arithmetic itself dominate, and
# then a tensor op costs about what NumPy costs. A training step of a small
# model runs dozens of operations on small tensors, so its time is mostly
# this floor, paid once per operation. Now the training step of 13.6, eager
# against traced:

# %% tags=["output-varies"]
# NBVAL_IGNORE_OUTPUT
eager_time = time_per_call(eager_step, X, Y)
traced_time = time_per_call(traced_step, X, Y)
print(f'eager step:  {eager_time * 1e6:7.0f} µs')
print(f'traced step: {traced_time * 1e6:7.0f} µs   (eager / traced = {eager_time / traced_time:.1f})')

# %% [markdown]
# How these compare depends on the engine, and the reason is instructive.
#
# * **In TensorFlow**, a traced function runs its whole graph in C++: one
#   call from Python, then no Python at all between operations. Eager
#   TensorFlow pays tens of microseconds of Python and dispatch per operation,
#   so on a small step like this one the traced version is typically several
#   times faster (7 to 13 times, in runs on the CPU this chapter was written
#   on). On large tensors both spend their time in the same kernels and the
#   gap closes.
# * **In d2l_core**, the plan is Python too, but cheaper Python. The checks
#   every operation makes (dtypes, shapes, is a tape recording?) were made
#   once, while tracing, for these fixed shapes, and the tape's backward pass
#   became ordinary operations. So when all shapes are known and no tape is
#   recording around the call, each line of the plan calls an operation's
#   bare **kernel** on NumPy arrays, with no checks and no tensor wrapping.
#   What is left per operation is the arithmetic and one line of Python:
#   the traced step is a few times faster here, though it keeps more Python
#   than TensorFlow's C++.
#
# *d2l_core only:* here are the first lines of the step's plan (TensorFlow
# does not show you its compiled program; in TensorFlow you would look at
# the graph in TensorBoard instead):

# %% tags=["d2l-only"]
print('\n'.join(traced_step.get_concrete_function(X, Y).plan_source.splitlines()[:14]))

# %% [markdown]
# The `if` at the top is the way back: when a tape is recording around the
# call (or the call would run on another device than the plan was compiled
# for), the plan runs its eager twin, which calls the full operations so that
# the tape sees them (13.6). Otherwise every
# line works on arrays (`a0`, `a1`, ...): `array_of` takes the array out of a
# tensor or a Variable, `matmul_kernel` multiplies two arrays, and arrays
# become tensors again (`wrap`) only where the plan hands them on: to
# `apply_gradients`, and as the result.
#
# A plan also removes whole operations, and what it removes, it removes
# completely. Here is a function that,
# on every call, builds a 64 × 64 smoothing matrix from scratch and applies
# it. Only the last line depends on the input:

# %%
def smooth(x):
    i = d2l.range(64)
    distance = d2l.abs(d2l.expand_dims(i, 0) - d2l.expand_dims(i, 1))
    kernel = d2l.cast(distance <= 2, d2l.float32)
    kernel = kernel / d2l.reduce_sum(kernel, axis=0, keepdims=True)
    return d2l.matmul(x, kernel)

smooth_traced = d2l.function(smooth)
signal = d2l.constant(rng.normal(size=(8, 64)).astype(np.float32))
print('same result:', bool(d2l.reduce_all(smooth(signal) == smooth_traced(signal))))

# %% [markdown]
# The nine operations that build `kernel` depend on no input, so the compiler
# runs them once, while compiling, and keeps their result as a constant:
# **constant folding**. *d2l_core only:* the plan shows what is left to do on
# each call; in TensorFlow, Grappler folds constants the same way, out of
# sight.

# %% tags=["d2l-only"]
concrete_smooth = smooth_traced.get_concrete_function(signal)
print(concrete_smooth.plan_source)
print(concrete_smooth.plan_stats)

# %% tags=["output-varies"]
# NBVAL_IGNORE_OUTPUT
eager_time = time_per_call(smooth, signal, n_calls=1000)
traced_time = time_per_call(smooth_traced, signal, n_calls=1000)
print(f'eager:  {eager_time * 1e6:6.1f} µs')
print(f'traced: {traced_time * 1e6:6.1f} µs   (eager / traced = {eager_time / traced_time:.1f})')

# %% [markdown]
# Ten operations eagerly, one bare kernel traced, and the time follows. The
# same goes for **dead code**, like the leftover `argmax` in 13.3: a value
# nothing needs is never computed. And **duplicate** operations (the same op
# on the same inputs, written twice) are merged into one. In short, tracing
# pays off three ways: less work per operation (checks made once), fewer
# operations (folding, dead code, duplicates), and no Python around the
# operations; TensorFlow adds a fourth, no Python at all, because its graphs
# run in C++.
#
# **Keras traces too.** `model.fit` (and `evaluate` and `predict`) wraps its
# training step in a `function` by default, in TensorFlow's Keras as in the
# engine's. So a `print` in a custom layer's `call` fires when the step is
# traced, and shows a symbolic tensor, rather than once per batch; a Python
# counter in a custom `train_step` counts traces, not steps. When you need to
# debug a model with ordinary Python, `model.compile(..., run_eagerly=True)`
# makes `fit` run its step eagerly, at eager speed. For every decorated
# function at once, `d2l.config.run_functions_eagerly(True)`
# (`tf.config.run_functions_eagerly`) is the global switch; turn it off again
# with `False` when you are done.
#
# ## Summary
#
# * `d2l.function` (`tf.function`) turns a Python function into a graph by
#   **tracing**: the first call runs the Python body once on **symbolic
#   tensors** (`Tensor("x:0", shape=..., dtype=...)`, no value), recording
#   each operation; later calls run the graph. Placeholders became arguments
#   and `Session.run` became a call.
# * Each trace is a `ConcreteFunction` for one input signature, with a graph;
#   `get_concrete_function(d2l.TensorSpec([None, 2]))` makes one for a
#   shape with an unknown dimension.
# * A new tensor shape or dtype, or a new **Python value**, retraces; count
#   with `experimental_get_tracing_count()`. Pass changing numbers as
#   tensors; fix shapes with `input_signature` or let
#   `reduce_retracing=True` generalise them.
# * Python side effects (`print`, list appends, creating Variables) happen
#   at trace time; operations (`d2l.print`, `assign`, reading a Variable)
#   happen on every call. Create Variables on the first call only.
# * A `GradientTape` inside a traced step, or around a traced call, gives
#   exactly the eager gradients.
# * `if`/`for` on Python values are decided while tracing (loops unroll).
#   On tensors, AutoGraph turns `if`, `while` and `for ... in d2l.range(n)`
#   into `d2l.cond` and `d2l.while_loop` nodes, which you can also write
#   yourself; a variable used after an `if` on a tensor must be assigned in
#   both branches.
# * On small tensors an operation's time is mostly per-op overhead. Tracing
#   removes the Python around operations, constant work (folding), unused
#   work (dead code) and duplicates; d2l_core's plan also calls bare kernels
#   once shapes are known, and TensorFlow runs its graphs in C++.
#
# ## Check yourself
#
# This chapter has no graded exercises. Answer each question before you open
# its answer.
#
# 1. A function decorated with `d2l.function` contains `print('hello')` and
#    `d2l.print('world')`. You call it three times with float32 tensors of
#    shapes `(2,)`, `(2,)` and `(3,)`. What is printed?
#
#    <details><summary>Answer</summary>
#
#    `hello`, `world`, `world`, `hello`, `world`. The Python `print` runs
#    while tracing, and there are two traces (shapes `(2,)` and `(3,)`); the
#    `d2l.print` is an operation and runs on each of the three calls.
#    </details>
#
# 2. A training loop calls `train_step(x_batch, y_batch, epoch)` with
#    `epoch` a Python `int`, for 20 epochs. How many traces, and how do you
#    get down to one?
#
#    <details><summary>Answer</summary>
#
#    At least 20: each new Python value is a new signature (more if the last
#    batch of an epoch is smaller). Pass `d2l.constant(epoch)` instead, so
#    that only its dtype and shape count; and if the last batch is smaller,
#    give an `input_signature` with a `None` batch dimension or use
#    `reduce_retracing=True`.
#    </details>
#
# 3. Inside a traced function you write `if d2l.reduce_sum(x) > 0:` and
#    assign `y` in both branches. How many traces do calls with
#    `x = d2l.constant([1.0, 2.0])` and `x = d2l.constant([-1.0, -2.0])`
#    make, and what does the graph contain? What changes if the condition
#    is `if use_bias:` with a Python `bool` argument?
#
#    <details><summary>Answer</summary>
#
#    One trace: both calls pass float32 tensors of shape `(2,)`. AutoGraph
#    turns the `if` on a tensor into a `d2l.cond` node; both branches are
#    traced into it, and each call runs the one its values select. With a
#    Python `bool`, the `if` is decided while tracing: the graph holds only
#    the branch taken, and `True` and `False` make two traces.
#    </details>
#
# 4. Why does `d2l.Variable(0.0)` inside a traced function's body raise an
#    error, while `self.v = d2l.Variable(0.0)` under `if self.v is None:`
#    does not?
#
#    <details><summary>Answer</summary>
#
#    Creating a Variable is a Python action at trace time. In the first
#    function every trace would create a new Variable (with its initial
#    value again), so `function` refuses. In the second, the Variable is
#    created on the first trace only and stored; later traces see
#    `self.v is not None` and reuse it, and the graph reads and assigns it.
#    </details>
#
# 5. A small model's eager training step takes 250 µs, although its
#    arithmetic takes a few microseconds. Where does the time go, and what
#    does a trace remove? Why does the plan go back to the eager operations
#    when a tape is recording around the call?
#
#    <details><summary>Answer</summary>
#
#    In per-op overhead: Python calls, dtype and shape checks, the question
#    whether a tape records, wrapping every result in a tensor. A trace
#    makes the checks once, for fixed shapes, so the plan can call bare
#    kernels on arrays; it also folds work that does not depend on the
#    inputs, drops unused work and merges duplicates. (TensorFlow also runs
#    the graph without Python.) A tape around the call must record each
#    operation to differentiate through it, and bare kernels record nothing,
#    so the plan then runs the eager operations.
#    </details>
