# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. Indexing, slicing, Variables and memory
#
# A network's weights are tensors that change thousands of times during
# training, while its inputs and intermediate results never change once
# computed. TensorFlow, and the engine, make that difference explicit: a
# `Tensor` is immutable, a `Variable` is not. This chapter shows how to read
# parts of a tensor, how to change a `Variable` in place, and how to tell "the
# same object, changed" from "a new object".
#
# **After this chapter you will be able to**
#
# * read elements, rows, columns and blocks of a tensor with indexes and slices;
# * explain why assigning into a `Tensor` fails, and change a `Variable` with `assign`, `assign_add` and slice assignment;
# * check with `id()` whether an operation made a new object or updated an existing one, and say why that matters for training;
# * move data between NumPy and the engine, and predict the dtype that comes out.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 4.1 Indexing and slicing
#
# Indexes start at 0. A single index picks one position along an axis and
# removes that axis; a *slice* `start:stop` picks the positions
# $\text{start}, \text{start}+1, \dots, \text{stop}-1$ and keeps the axis.
# The stop is excluded, so `1:3` has $3 - 1 = 2$ elements. Negative indexes
# count from the end: `-1` is the last position.
#
# We use the same `X` as in chapter 2, as `float32`:

# %%
X = d2l.reshape(d2l.range(12, dtype=d2l.float32), (3, 4))
X

# %% [markdown]
# With one index or slice, we select along the first axis, the rows. `X[1:3]`
# is rows 1 and 2:

# %%
X[1:3]

# %% [markdown]
# Separate axes with a comma. `:` alone means "everything along this axis", so
# `X[:, 1]` is column 1, and `X[1, 2]` a single element (a scalar, shape `()`).
# A step `::2` takes every second position.

# %%
print(X[-1])          # the last row
print(X[:, 1])        # column 1, as a vector
print(X[:, -1:])      # the last column, kept as a column (a slice keeps its axis)
print(X[1, 2])        # one element
print(X[::2])         # rows 0 and 2

# %% [markdown]
# The shaded cells show what three of these expressions select:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.show_matrices({'X[1:3]': X, 'X[:, 1]': X, 'X[1, 2]': X},
                       highlight=[(slice(1, 3),), (slice(None), 1), (1, 2)], fmt='{:.0f}')
plt.show()

# %% [markdown]
# ## 4.2 Tensors cannot change
#
# Can we write into a tensor? NumPy would let us; the engine does not:

# %% tags=["raises-exception"]
X[1, 2] = 9

# %% [markdown]
# Immutability is a design decision, not a missing feature. When you compute
# `Y = d2l.exp(X)` under a gradient tape (chapter 5), the tape keeps a reference
# to `X` to differentiate later. If `X` could change in the meantime, the
# gradient would silently use the wrong numbers. Immutable values can also be
# shared freely: two results that hold the same numbers never need a defensive
# copy, and an accelerator can keep its copy without checking whether the
# original changed.
#
# ## 4.3 Variables: values that change
#
# Model parameters do need to change, so they live in a `d2l.Variable`. A
# Variable holds a tensor value and offers `assign` and friends to replace it.
# Indexing a Variable and calling `.assign` writes into that part:

# %%
X = d2l.Variable(X)
X[1, 2].assign(9)
X

# %% [markdown]
# A slice can be assigned a whole block. Here we set all of row 1 to 12; the
# value must have the slice's shape (or broadcast to it, as in chapter 3):

# %%
X[1:2, :].assign(d2l.ones(X[1:2, :].shape, dtype=d2l.float32) * 12)
X

# %% [markdown]
# A Variable keeps its shape and its dtype for life; `assign` checks both and
# says what to do when they do not match. Both cells are meant to fail:

# %% tags=["raises-exception"]
X.assign(d2l.ones((2, 2)))                     # the wrong shape

# %% tags=["raises-exception"]
X.assign(d2l.ones((3, 4), dtype=d2l.int32))    # the wrong dtype

# %% [markdown]
# ## 4.4 Memory: new objects and updated objects
#
# Python's `id(obj)` returns a number that identifies an object while it exists:
# two names with the same `id` refer to the same object. It lets us see what an
# operation really does. Take two tensors and add one to the other:

# %%
X = d2l.reshape(d2l.range(12, dtype=d2l.float32), (3, 4))
Y = d2l.constant([[2., 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
before = id(Y)
Y = Y + X
id(Y) == before

# %% [markdown]
# `Y + X` computed a **new** tensor in new memory, and `Y = ...` then moved the
# name `Y` to it. The old value is freed only when nothing refers to it any more.
# For a parameter in a training loop this is a problem twice over: every step
# allocates a new tensor, and anything still holding the *old* object (a model,
# an optimizer, a tape) never sees the update:

# %%
w = d2l.Variable([1., 2., 3.])
model_params = [w]           # a model keeps references to its parameters
w = w - 0.5                  # a new object; w is now a plain Tensor
print(isinstance(w, d2l.Variable), model_params[0] is w)
print(model_params[0])       # the model still holds the old values

# %% [markdown]
# To update an object instead of replacing it, write *into* a Variable. Make
# `Z` a Variable of zeros with `Y`'s shape, then assign `X + Y` into all of it
# with the slice `[:]`. The sum is still computed in temporary memory, but the
# result lands in the same `Z`:

# %%
Z = d2l.Variable(d2l.zeros_like(Y))
before = id(Z)
Z[:].assign(X + Y)
print(id(Z) == before)
Z

# %% [markdown]
# `assign_add` and `assign_sub` add to or subtract from a Variable in place;
# they are the `+=` and `-=` of Variables, and exactly what a training step
# does with its weights ($w \leftarrow w - \eta\, g$):

# %%
X = d2l.Variable(X)
before = id(X)
X.assign_add(Y)
print(id(X) == before)
X

# %% [markdown]
# A note on what "in place" means here. TensorFlow writes the new values into
# the Variable's existing buffer, on the CPU as on a GPU. The engine keeps the
# *Variable object* (and its `id`) the same, but stores each new value in a
# fresh NumPy array, so that a tape which recorded the old value still sees it
# unchanged. Either way, what matters for your code is the identity: every
# reference to the Variable sees its new value.
#
# ## 4.5 NumPy round trips
#
# NumPy is the common language of scientific Python, so converting both ways is
# one call. `d2l.constant` (or `d2l.convert_to_tensor`) makes a tensor from an
# array, and `np.array(t)` or `t.numpy()` turns a tensor into one:

# %%
P = np.ones((2, 3))
D = d2l.constant(P)
D

# %% [markdown]
# Notice the dtype. Python floats become `float32`, but a NumPy array keeps its
# own dtype, and NumPy's default float is `float64`. Nothing is converted behind
# your back, in either direction:

# %%
back = np.array(D)
type(back), back.dtype

# %% [markdown]
# Because models usually compute in `float32`, ask for it when you convert, or
# `cast` afterwards. (Adding a `float64` tensor to `float32` weights would be an
# error, as chapter 2 showed.)

# %%
d2l.constant(P, dtype=d2l.float32)

# %% [markdown]
# `np.array(t)` copies the numbers (NumPy's `np.array` always copies), so
# changing that array afterwards does not change the tensor, which stays
# immutable. `t.numpy()` is different: TensorFlow's documentation says its
# result *may share memory* with the tensor. Treat it as read-only, and write
# `np.array(t)` when you want an array of your own to change.

# %%
back[0, 0] = 100
print(back)
print(D)

# %% [markdown]
# ## Summary
#
# * `X[i]`, `X[i, j]`, `X[a:b]`, `X[:, j]`, `X[::2]` read parts of a tensor. An
#   index removes its axis, a slice keeps it; the stop of a slice is excluded and
#   negative indexes count from the end.
# * Tensors are immutable (`X[1, 2] = 9` is a `TypeError`), so tapes and shared
#   results can trust them.
# * A `Variable` can change: `v.assign(...)`, `v[1, 2].assign(9)`,
#   `v[1:2, :].assign(...)`, `v.assign_add(...)`, `v.assign_sub(...)`. It keeps
#   its shape, dtype and identity.
# * `Y = Y + X` makes a new object (a new `id`); `Z[:].assign(X + Y)` and
#   `X.assign_add(Y)` update the same object. Parameters must be updated the
#   second way.
# * `d2l.constant(np_array)` keeps NumPy's dtype (`float64` by default);
#   `np.array(t)` returns a copy you may change; treat `t.numpy()` as
#   read-only, since in TensorFlow it may share memory with the tensor.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch04_indexing/ch04_indexing.ipynb`](../exercises/learner/ch04_indexing/ch04_indexing.ipynb).
# Before you open them, answer these:
#
# 1. For a `(4, 5)` tensor, write one expression each for the second row, the
#    last column as a vector, the last column as a `(4, 1)` column, and the
#    bottom-right 2 × 2 block. Would they still work for a `(6, 7)` tensor?
#    <details><summary>Answer</summary>
#
#    `X[1]`, `X[:, -1]`, `X[:, -1:]` and `X[-2:, -2:]`. With negative indices
#    and open-ended slices none of them mentions 4 or 5, so all work for any
#    2-D shape.
#    </details>
# 2. How would you set the first and last rows of a 2-D `Variable` to zero
#    without creating a new Variable?
#    <details><summary>Answer</summary>
#
#    Assign into slices: `v[0].assign(d2l.zeros_like(v[0]))` and
#    `v[-1].assign(d2l.zeros_like(v[-1]))` (or `v[::n - 1]` for both rows of an
#    `n`-row Variable at once).
#    </details>
# 3. After `v = d2l.Variable([1., 2., 3.])`, which of these keep `id(v)`:
#    `v.assign(v * 2)`, `v = v * 2`, `v[0].assign(5.)`?
#    <details><summary>Answer</summary>
#
#    `v.assign(v * 2)` and `v[0].assign(5.)` write into the same Variable.
#    `v = v * 2` computes a new plain Tensor and moves the name `v` to it.
#    </details>
# 4. Write the update $w \leftarrow w - \eta g$ for a list of Variables and a
#    list of gradients so that every Variable keeps its identity.
#    <details><summary>Answer</summary>
#
#    `for w, g in zip(params, grads): w.assign_sub(lr * g)`.
#    </details>
# 5. A training loop uses `w = w - lr * g`. The first step works. What is `w`
#    after it, and what will a gradient tape think of it in the second step?
#    <details><summary>Answer</summary>
#
#    `w` is a plain Tensor, no longer a Variable. A tape watches Variables
#    only, so in the second step `tape.gradient(loss, w)` is `None` (chapter
#    5), and the model still holds the old Variable.
#    </details>
