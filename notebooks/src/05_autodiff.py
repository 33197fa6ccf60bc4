# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 5. Automatic differentiation
#
# Training a network means nudging every parameter in the direction that
# lowers the error, and that direction is the **gradient**: the derivative of
# the error with respect to each parameter. Networks have millions of
# parameters, so nobody derives these by hand. The engine does it for you with a
# `GradientTape`, exactly as TensorFlow does.
#
# **After this chapter you will be able to**
#
# * compute gradients with `d2l.GradientTape`, for Variables and for watched constants;
# * read the computation graph a tape recorded, and follow the chain rule backwards through it;
# * explain why a tape answers only once, and use `persistent=True` when you need more;
# * predict when a gradient is `None`;
# * differentiate through Python `if` and `while`, take second derivatives with nested tapes, and block gradients with `stop_gradient`.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 5.1 Derivatives, the chain rule, and why automate
#
# The derivative of $f$ at $x$ is the slope of $f$ there,
#
# $$f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}.$$
#
# For a function of many inputs $\mathbf{x} = (x_1, \dots, x_n)$, the
# **gradient** $\nabla_{\mathbf{x}} f$ collects one partial derivative
# $\partial f / \partial x_i$ per input, and has the shape of $\mathbf{x}$.
# Programs are compositions of simple steps, and the **chain rule** combines
# their derivatives: if $y = g(u)$ and $u = h(x)$, then
#
# $$\frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx}.$$
#
# You could estimate each partial derivative numerically, with a small $h$ in
# the formula above. But that needs one extra evaluation of the whole network
# per parameter (millions of them) and gives only approximate numbers.
# *Reverse-mode automatic differentiation* instead records the steps of one
# forward computation, then applies the chain rule to them backwards, from the
# output to the inputs. That gives the exact gradient with respect to *all*
# inputs for a cost of a few forward passes. Deep learning calls it
# backpropagation.
#
# ## 5.2 A first gradient
#
# Take $y = x^2$ at $x = 3$; by hand, $dy/dx = 2x = 6$. Computations inside a
# `with d2l.GradientTape() as tape:` block are recorded. After the block,
# `tape.gradient(y, x)` differentiates `y` with respect to `x`:

# %%
x = d2l.Variable(initial_value=3.)
with d2l.GradientTape() as tape:    # everything computed in here is recorded
    y = d2l.square(x)
y_grad = tape.gradient(y, x)        # dy/dx, evaluated at x = 3
print([y, y_grad])

# %% [markdown]
# `x` is a **Variable**, and a tape automatically watches every trainable
# Variable that is read inside it. That is the usual case: a model's
# parameters are Variables, and we want gradients with respect to them.
#
# ## 5.3 Watching a constant
#
# Now a vector: $\mathbf{x} = (0, 1, 2, 3)^\top$ as a column of shape `(4, 1)`,
# and
#
# $$y = 2\,\mathbf{x}^\top \mathbf{x} = 2 \sum_i x_i^2, \qquad \frac{\partial y}{\partial x_i} = 4 x_i,$$
#
# so we expect the gradient $(0, 4, 8, 12)^\top$. We build `x` from a Variable,
# but `reshape` returns a plain tensor, a constant as far as the tape is
# concerned. A tape ignores constants unless you call `tape.watch(x)`:

# %%
x = d2l.reshape(d2l.Variable(range(4), dtype=d2l.float32), (4, 1))
x

# %%
with d2l.GradientTape() as t:
    t.watch(x)
    y = 2 * d2l.matmul(d2l.transpose(x), x)

# %% [markdown]
# ## 5.4 What the tape recorded
#
# Before asking for the gradient, let us look at what the tape holds.
# `t.records()` lists what it recorded, in the order it ran: for each
# operation its name, its inputs and its output. `records()` is d2l_core only;
# in TensorFlow you would write nothing like it, since TensorFlow's tape keeps
# its records private (sections 5.4 and 5.5 are a look inside the engine).

# %% tags=["d2l-only"]
[name for name, inputs, output in t.records()]

# %% [markdown]
# `d2l.plot.plot_tape` draws these records as a graph. Boxes are tensors (with
# their shape, or their value for a scalar), yellow ovals are operations, and
# arrows show data flowing forward. The blue box is the watched `x`, the grey
# one the constant 2, the orange one the result `y`:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.plot_tape(t, names={'x': x, 'y': y}, title='y = 2 xᵀx')
plt.show()

# %% [markdown]
# `gradient()` walks this graph **backwards**. It starts with
# $\partial y / \partial y = 1$ at the orange box. The `multiply` node passes
# $2 \cdot 1$ back to the output of `matmul`. `matmul` computed
# $\mathbf{x}^\top\mathbf{x}$ and has *two* inputs, so it sends a gradient to
# each: $2\mathbf{x}$ towards $\mathbf{x}$ directly, and $2\mathbf{x}^\top$
# towards the transposed copy, which `transpose` turns back into $2\mathbf{x}$.
# Where two paths meet, at `x`, the gradients are added:
# $2\mathbf{x} + 2\mathbf{x} = 4\mathbf{x}$.
#
# The same picture with `gradients_of=y` draws that walk: on every edge, in red,
# the gradient it carries back towards the inputs (here the numbers themselves,
# for $\mathbf{x} = (0, 1, 2, 3)^\top$). Follow the red labels from the orange
# box leftwards: $1$, then $2$, then $2\mathbf{x} = (0, 2, 4, 6)$ along each of
# the two edges that end at `x`. (d2l_core only: `plot_tape` and the tape's
# `backward_walk()`, which lists these edge gradients, are the engine's teaching
# tools; in TensorFlow you would compute each step's gradient yourself.)

# %% tags=["d2l-only"]
d2l.plot.plot_tape(t, names={'x': x, 'y': y}, gradients_of=y, title='The backward walk of t.gradient(y, x)')
plt.show()

# %%
dy_dx = t.gradient(y, x)
dy_dx

# %%
bool(d2l.reduce_all(dy_dx == 4 * x))

# %% [markdown]
# ## 5.5 A tape answers once
#
# Look at the records again, now that the gradient is computed (d2l_core only;
# in TensorFlow you would have no records to look at):

# %% tags=["d2l-only"]
len(t.records())

# %% [markdown]
# They are gone. To walk backwards, a tape must keep every input and output of
# every recorded operation, and in a deep network those intermediate results
# (the *activations*) take far more memory than the parameters. Most training
# steps need one gradient, so a tape frees everything as soon as it has
# answered. A second question is therefore an error (this cell is meant to
# fail):

# %% tags=["raises-exception"]
t.gradient(y, x)

# %% [markdown]
# ## 5.6 Persistent tapes
#
# To ask several questions about one computation, create the tape with
# `persistent=True`. Here $y = x^2$ and $z = y^2 = x^4$, so
# $dz/dx = 4x^3$ and $dy/dx = 2x$. For $x = (0, 1, 2, 3)$ the last entries are
# $4 \cdot 27 = 108$ and $2 \cdot 3 = 6$.
#
# We first ask *inside* the `with` block. That works, but the engine prints a
# warning (to the error stream, in red in JupyterLab), once per call:

# %%
with d2l.GradientTape(persistent=True) as g:
    g.watch(x)
    y = x * x
    z = y * y
    dz_dx = g.gradient(z, x)    # 4x³
    dy_dx = g.gradient(y, x)    # 2x
dz_dx, dy_dx

# %% [markdown]
# Why the warning? A tape that is still recording also records the operations
# of the backward pass. That is sometimes what you want (section 5.11 uses it
# for second derivatives), but otherwise it wastes time and memory. Ask after
# the block instead, and delete the tape when you are done so it can free its
# records:

# %%
with d2l.GradientTape(persistent=True) as g:
    g.watch(x)
    y = x * x
    z = y * y
print(g.gradient(z, x)[:, 0])    # 4x³
print(g.gradient(y, x)[:, 0])    # 2x
del g                            # free the records

# %% [markdown]
# ## 5.7 Which tensors get a gradient
#
# A tape differentiates only with respect to what it **tracks**: watched
# tensors, trainable Variables it saw being read, and everything computed from
# them. Here is $y = a w^2 + b w + c$ with four constants, where we watch only
# `w` (`watch` accepts a list). Then
#
# $$\frac{dy}{dw} = 2 a w + b = 2 \cdot 1 \cdot 4 + 2 = 10.$$

# %%
a = d2l.constant(1.)
b = d2l.constant(2.)
c = d2l.constant(3.)
w = d2l.constant(4.)
with d2l.GradientTape(persistent=True) as tape:
    tape.watch([w])
    y = a * w**2 + b * w + c
[dy_dw] = tape.gradient(y, [w])    # a list of sources gives a list of gradients
print(dy_dw)

# %% [markdown]
# In the graph, only `w` is blue. The tape recorded `a`, `b` and `c` as inputs
# to operations, but it never tracked them:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.plot_tape(tape, names={'a': a, 'b': b, 'c': c, 'w': w, 'y': y},
                   title='y = a w² + b w + c, watching only w')
plt.show()

# %% [markdown]
# So the gradient with respect to the unwatched constant `a` is not $w^2 = 16$
# but `None`. TensorFlow answers `None`, not zero, on purpose: "`y` does not
# depend on this source, as far as I recorded" is a different message from
# "the slope happens to be 0", and it usually points to a bug, such as a
# forgotten `watch` or a value computed outside the tape. If you really want
# zeros, say so:

# %%
print(tape.gradient(y, a))
print(tape.gradient(y, a, unconnected_gradients='zero'))
del tape

# %% [markdown]
# The reverse control exists too. By default a tape watches every trainable
# Variable it sees; with `watch_accessed_variables=False` it watches only what
# you pass to `watch()`, which saves work when you need the gradient of a few
# parameters out of many:

# %%
u = d2l.Variable(2.)
v = d2l.Variable(3.)
with d2l.GradientTape(watch_accessed_variables=False) as tape:
    tape.watch(u)
    y = u * v
tape.gradient(y, [u, v])


# %% [markdown]
# ## 5.8 The gradient of a vector is the gradient of its sum
#
# So far every target `y` was a single number. When it is not, `gradient()`
# does not return a Jacobian (one gradient per entry of `y`). It returns the
# gradient of the **sum** of `y`'s entries, which again has the shape of the
# source. For $\mathbf{y} = \mathbf{x}^2$ elementwise, $\sum_i x_i^2$ has the
# gradient $2\mathbf{x}$:

# %%
x = d2l.Variable([1., 2., 3.])
with d2l.GradientTape(persistent=True) as tape:
    y = x * x                        # a vector: (1, 4, 9)
    total = d2l.reduce_sum(y)        # one number: 14
print(tape.gradient(y, x))           # the gradient of sum(y)...
print(tape.gradient(total, x))       # ...is the gradient of total
del tape

# %% [markdown]
# That is what training needs: a loss is a sum (or mean) over examples, and its
# gradient is the sum of the examples' gradients. When you do want one gradient
# per entry of `y`, ask for `tape.jacobian(y, x)`.
#
# ## 5.9 Five reasons for a `None` gradient
#
# `None` means "the tape found no path from this source to the target". When
# you expected a number, one of these is usually the reason, and
# `tape.gradient(..., unconnected_gradients='zero')` would only hide it.
#
# **1. A Variable replaced by a Tensor.** `x = x + 1` computes a new plain
# Tensor and moves the name `x` to it (chapter 4). The tape watches Variables
# by itself, but not Tensors, so the next step's gradient is `None`:

# %%
x = d2l.Variable(2.0)
for step in range(2):
    with d2l.GradientTape() as tape:
        y = x * x
    print(step, isinstance(x, d2l.Variable), tape.gradient(y, x))
    x = x + 1                        # the bug: write x.assign_add(1.) instead

# %% [markdown]
# **2. A trip through NumPy.** The tape records engine operations only. A
# value that leaves as a NumPy array and comes back is a new constant with no
# history:

# %%
x = d2l.Variable(2.0)
with d2l.GradientTape() as tape:
    y = d2l.constant(np.square(x.numpy()))     # NumPy squares: not recorded
print(tape.gradient(y, x))

# %% [markdown]
# **3. An integer dtype.** Gradients exist for floating-point values only.
# Watching an integer tensor gives `None`, with a warning in the log:

# %%
n = d2l.constant(3)                  # int32
with d2l.GradientTape() as tape:
    tape.watch(n)
    y = n * n
print(tape.gradient(y, n))

# %% [markdown]
# **4. A stateful object in between.** Reading a Variable gives its current
# value; the tape cannot see how that value came about. Here `x1` is
# assigned `x0`, but the tape sees only `x1` being read, so `y` does not depend
# on `x0` as far as the tape knows:

# %%
x0 = d2l.Variable(3.0)
x1 = d2l.Variable(0.0)
with d2l.GradientTape() as tape:
    x1.assign_add(x0)                # x1 = x1 + x0, an update of state
    y = x1 ** 2
print(tape.gradient(y, x0))

# %% [markdown]
# **5. A source the target does not use.** Here `z` never enters the
# computation, which is what section 5.7's unwatched `a` looked like too. When
# a model has parts that some losses do not use, zeros are the right answer,
# and `unconnected_gradients='zero'` asks for them:

# %%
x = d2l.Variable(2.0)
z = d2l.Variable(5.0)
with d2l.GradientTape(persistent=True) as tape:
    y = x * x
print(tape.gradient(y, [x, z]))
print(tape.gradient(y, [x, z], unconnected_gradients='zero'))
del tape

# %% [markdown]
# ## 5.10 Gradients through Python control flow
#
# The tape records the operations that actually run. A Python `if` or `while`
# is not an operation, so it is never recorded, but it decides *which*
# operations run, and those are. So you can differentiate ordinary Python
# functions with loops and branches. In this one, the number of loop iterations
# and the branch taken both depend on the input `a`:

# %%
def f(a):
    b = a * 2
    while d2l.norm(b) < 1000:     # double until the norm reaches 1000
        b = b * 2
    if d2l.reduce_sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


# %% [markdown]
# Whatever path it takes, `f` multiplies `a` by a constant that the path
# decides: $f(a) = k \cdot a$. So its derivative is $k = f(a) / a$, which lets
# us check the tape's answer:

# %%
a = d2l.constant(-0.75)
with d2l.GradientTape() as t:
    t.watch(a)
    c = f(a)
d_grad = t.gradient(c, a)
print(a)
print(d_grad)
print(bool(d_grad == c / a))

# %% [markdown]
# ## 5.11 Higher-order derivatives
#
# Each operation's backward step is itself written with engine operations. So
# if `gradient()` runs while an *outer* tape is recording, the outer tape
# records the backward pass, and can differentiate the derivative. For
# $y = x^3$ at $x = 1$: $y' = 3x^2 = 3$ and $y'' = 6x = 6$.

# %%
x = d2l.Variable(1.0)
with d2l.GradientTape() as t:
    with d2l.GradientTape() as t2:
        y = x * x * x
    # gradient() runs inside t's context, so t records it: the derivative is differentiable
    dy_dx = t2.gradient(y, x)
d2y_dx2 = t.gradient(dy_dx, x)
assert dy_dx.numpy() == 3.0
assert d2y_dx2.numpy() == 6.0
dy_dx, d2y_dx2

# %% [markdown]
# Tapes work elementwise on whole tensors, so one pass gives the derivatives at
# many points at once. For $y = \sin x$ we expect $y' = \cos x$ and
# $y'' = -\sin x$:

# %%
xs = d2l.linspace(-2 * np.pi, 2 * np.pi, 100)
with d2l.GradientTape() as outer:
    outer.watch(xs)
    with d2l.GradientTape() as inner:
        inner.watch(xs)
        ys = d2l.sin(xs)
    dys = inner.gradient(ys, xs)
d2ys = outer.gradient(dys, xs)

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself, e.g. plt.plot(xs, ys, xs, dys, xs, d2ys).
d2l.plot.plot_curves(xs, {'sin x': ys, "first derivative (tape)": dys,
                          "second derivative (tape)": d2ys}, 'x', 'value',
                     legend_loc='outside')
plt.show()

# %%
print(np.allclose(dys.numpy(), np.cos(xs.numpy()), atol=1e-6),
      np.allclose(d2ys.numpy(), -np.sin(xs.numpy()), atol=1e-6))

# %% [markdown]
# ## 5.12 Stopping gradients
#
# Sometimes part of a computation should count as a constant: a target value
# computed from the model itself, say, that must not be "trained". 
# `d2l.stop_gradient(t)` returns the same values, but the tape treats the result
# as a constant. With $y = x^2$ and $z = u \cdot x$ where $u$ is $y$ with its
# gradient stopped, the tape sees $\partial z / \partial x = u = x^2$, not the
# full $3x^2$ of $x^3$:

# %%
x = d2l.reshape(d2l.range(4, dtype=d2l.float32), (4, 1))
with d2l.GradientTape(persistent=True) as t:
    t.watch(x)
    y = x * x
    u = d2l.stop_gradient(y)
    z = u * x
    z_full = y * x
print(t.gradient(z, x)[:, 0])          # u = x²
print(t.gradient(z_full, x)[:, 0])     # 3x²
del t

# %% [markdown]
# ## Summary
#
# * `with d2l.GradientTape() as tape:` records the operations on tracked
#   tensors; `tape.gradient(y, x)` applies the chain rule backwards and returns
#   $\partial y / \partial x$ with the shape of `x`.
# * Trainable Variables read inside the tape are tracked automatically;
#   constants need `tape.watch(x)`. For anything untracked the gradient is
#   `None` (or zeros with `unconnected_gradients='zero'`). The usual causes:
#   a Variable replaced by a Tensor, a trip through NumPy, an integer dtype, a
#   stateful object in between, a source the target does not use.
# * The gradient of a non-scalar target is the gradient of its sum.
# * The records form a computation graph (drawn by the engine's
#   `d2l.plot.plot_tape`); where paths
#   meet, gradients add up.
# * A tape frees its records after one `gradient()` call, to save memory. Use
#   `persistent=True` to ask several times, ask outside the `with` block, and
#   `del` the tape afterwards.
# * Python `if` and `while` work: the tape sees the path that ran.
# * Nested tapes give second derivatives; `stop_gradient` turns part of a
#   computation into a constant.
#
# In chapter 6 these gradients train a model: an optimizer takes the list
# `tape.gradient(loss, variables)` and updates each Variable in place.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch05_autodiff/ch05_autodiff.ipynb`](../exercises/learner/ch05_autodiff/ch05_autodiff.ipynb).
# Before you open them, answer these:
#
# 1. Derive $f'(x)$ for $f(x) = x e^{-x^2}$ by hand. How would you confirm it
#    with a tape, for a constant tensor `x`?
#    <details><summary>Answer</summary>
#
#    By the product and chain rules, $f'(x) = e^{-x^2} - 2x^2 e^{-x^2} =
#    (1 - 2x^2)\,e^{-x^2}$. Watch `x` (it is a constant), compute
#    `y = x * d2l.exp(-x**2)` inside the tape and compare `tape.gradient(y, x)`
#    with the formula, e.g. with `np.allclose`.
#    </details>
# 2. Give four different reasons why `tape.gradient` might return `None`.
#    <details><summary>Answer</summary>
#
#    Section 5.9: a Variable replaced by a Tensor (`x = x + 1`), a trip
#    through NumPy, an integer dtype, a stateful object in between
#    (`assign`), a source the target does not use (or a constant you forgot
#    to `watch`).
#    </details>
# 3. Why does a non-persistent tape raise an error on its second `gradient()`
#    call? What does `persistent=True` cost?
#    <details><summary>Answer</summary>
#
#    It freed its records (every intermediate result) after the first call,
#    to save memory, so it has nothing left to walk back through.
#    `persistent=True` keeps them until the tape is deleted: memory for all
#    intermediate results for as long as the tape lives.
#    </details>
# 4. How do two nested tapes compute a second derivative? What does the outer
#    tape return when the function is linear, and what should the second
#    derivative be then?
#    <details><summary>Answer</summary>
#
#    The inner tape's `gradient()` runs while the outer tape records, so the
#    backward pass is recorded too, and the outer tape differentiates it. For
#    a linear function the first derivative is a constant that no longer
#    depends on `x`, so the outer tape returns `None`; the second derivative
#    is 0 (ask with `unconnected_gradients='zero'`).
#    </details>
# 5. In the graph of $y = 2\mathbf{x}^\top\mathbf{x}$, which two paths lead
#    back to `x`, and what does each contribute to the gradient?
#    <details><summary>Answer</summary>
#
#    One through the right operand of `matmul` and one through `transpose`
#    into its left operand. Each contributes $2\mathbf{x}$, and the two add up
#    to $4\mathbf{x}$.
#    </details>
