# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 3. Broadcasting
#
# In chapter 2 every elementwise operation had two operands of the same shape.
# In practice the shapes often differ: you add one bias vector to every row of
# a matrix, or scale a whole batch of images by one number. **Broadcasting** is
# the rule that lets such operations work without writing loops or copying
# data by hand.
#
# **After this chapter you will be able to**
#
# * predict the shape of an elementwise result from the shapes of its operands, using the broadcasting rule;
# * draw how size-1 axes are stretched, and explain why only size-1 axes stretch;
# * read the error message when shapes clash, and fix it with `keepdims`, `reshape` or `expand_dims`;
# * spot the broadcast that runs without error but computes something you did not mean.
#
# As before, every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 3.1 A first example
#
# `A` is a column of three numbers, shape `(3, 1)`, and `B` a row of two
# numbers, shape `(1, 2)`:

# %%
A = d2l.reshape(d2l.constant(range(3)), (3, 1))
B = d2l.reshape(d2l.constant(range(2)), (1, 2))
A, B

# %% [markdown]
# The shapes differ, yet `A + B` works and gives a `(3, 2)` matrix:

# %%
A + B

# %% [markdown]
# What happened: `A` has one column but the result needs two, so `A`'s column is
# copied into a second column. `B` has one row but the result needs three, so
# `B`'s row is copied down into the second and third rows. Now both operands are
# `(3, 2)` and are added element by element:
#
# $$
# \begin{pmatrix}0\\1\\2\end{pmatrix} + \begin{pmatrix}0 & 1\end{pmatrix}
# \;\longrightarrow\;
# \begin{pmatrix}0 & 0\\1 & 1\\2 & 2\end{pmatrix} +
# \begin{pmatrix}0 & 1\\0 & 1\\0 & 1\end{pmatrix}
# = \begin{pmatrix}0 & 1\\1 & 2\\2 & 3\end{pmatrix}.
# $$
#
# So the column operand decides the rows of the result and the row operand the
# columns, a bit like the shapes in a matrix product $(3 \times 1)(1 \times 2)$.
# In the picture, each operand's own cells are solid and the copies are
# hatched:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.show_broadcast(A, B)
plt.show()

# %% [markdown]
# `d2l.broadcast_to` performs the stretching on its own, so we can check that
# broadcasting means exactly "stretch both, then add":

# %%
A_big = d2l.broadcast_to(A, (3, 2))
B_big = d2l.broadcast_to(B, (3, 2))
print(A_big)
print(B_big)
print(bool(d2l.reduce_all(A_big + B_big == A + B)))

# %% [markdown]
# ## 3.2 The rule
#
# To combine shapes `a` and `b`, line them up **from the right** (the last axes
# first). Where one shape is shorter, pretend it has extra axes of length 1 on
# the left. Then, for each aligned pair of lengths $a_k$ and $b_k$:
#
# $$
# \text{result}_k =
# \begin{cases}
# a_k & \text{if } a_k = b_k,\\
# b_k & \text{if } a_k = 1 \text{ (stretch a)},\\
# a_k & \text{if } b_k = 1 \text{ (stretch b)},\\
# \text{error} & \text{otherwise.}
# \end{cases}
# $$
#
# | shape of `a` | shape of `b` | `b` lined up | result |
# |---|---|---|---|
# | `(3, 1)` | `(1, 2)` | `(1, 2)` | `(3, 2)` |
# | `(3, 4)` | `()` (a scalar) | `(1, 1)` | `(3, 4)` |
# | `(3, 4)` | `(4,)` | `(1, 4)` | `(3, 4)` |
# | `(3, 4)` | `(3, 1)` | `(3, 1)` | `(3, 4)` |
# | `(2, 3, 1)` | `(4,)` | `(1, 1, 4)` | `(2, 3, 4)` |
# | `(3, 4)` | `(2, 4)` | `(2, 4)` | error: 3 vs 2 |
# | `(3, 4)` | `(3,)` | `(1, 3)` | error: 4 vs 3 |
#
# Let us try the rows of the table on a matrix `X` holding 1 to 12. A plain
# number is a tensor of shape `()`, so it is stretched to every position:

# %%
X = d2l.reshape(d2l.range(1, 13, dtype=d2l.float32), (3, 4))
X * 10

# %% [markdown]
# A vector of shape `(4,)` lines up with the *last* axis, the columns: it is
# treated as one row, `(1, 4)`, and added to every row of `X`. This is how a
# layer adds its bias to every example of a batch.

# %%
row = d2l.constant([100., 200., 300., 400.])
X + row

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.show_broadcast(X, row, names=('X', 'row'))
plt.show()

# %% [markdown]
# To work along rows instead, give the vector the shape of a column, `(3, 1)`:

# %%
column = d2l.constant([[10.], [20.], [30.]])
X + column

# %% [markdown]
# The same rule covers any number of axes. A `(2, 3, 1)` tensor and a `(4,)`
# vector line up as `(2, 3, 1)` and `(1, 1, 4)`; the vector is copied across the
# first two axes, the tensor across the last one. The picture draws the two
# slices along the first axis side by side (`[0, :, :]` and `[1, :, :]`), with
# axes 1 and 2 as rows and columns:

# %%
T, v = d2l.ones((2, 3, 1)), d2l.ones((4,))
(T + v).shape

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.show_broadcast(T.shape, v.shape, names=('T', 'v'))
plt.show()

# %% [markdown]
# ## 3.3 Why only size-1 axes stretch
#
# An axis of length 1 holds a single value *for every position along that
# axis*. Repeating it is the only extension that invents nothing: the column
# `A` says "row $i$ gets the value $a_i$", whatever the column.
#
# An axis of length 2 against one of length 3 has no such reading. Which of the
# two values should go with the third position? Repeat the first, cycle,
# pad with zeros? Any choice would be a guess, and a guess that silently hides a
# bug, so the engine refuses.
#
# Stretching is also free. The copies in the pictures are never made: the
# engine, like NumPy and TensorFlow, reads the same memory again as it moves
# along a stretched axis. NumPy shows this through *strides*, the number of bytes
# to step to reach the next element along each axis. For a stretched axis the
# stride is 0:

# %%
column = np.arange(3, dtype=np.int64).reshape(3, 1)
stretched = np.broadcast_to(column, (3, 1_000_000))
print(stretched.shape, stretched.strides)     # next row: 8 bytes on; next column: 0 bytes
print(column.nbytes, 'bytes hold all', stretched.size, 'values')

# %% [markdown]
# One more consequence appears in chapter 5: when an operand was stretched, its
# gradient has to be summed back over the stretched axes, because one stored
# value influenced many results. The tape does that for you.
#
# ## 3.4 When shapes clash
#
# If some aligned pair of lengths differs and neither is 1, the operation fails.
# The error names the operation, both shapes and the rule:

# %% tags=["raises-exception"]
X + d2l.ones((2, 4))

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.show_broadcast(X.shape, (2, 4), names=('X', 'ones((2, 4))'))
plt.show()

# %% [markdown]
# A clash that surprises almost everyone comes from reductions. Suppose we want
# to divide every row of `X` by that row's largest value. `reduce_max` over
# `axis=1` gives one maximum per row, but as a vector of shape `(3,)`, and a
# vector lines up with the *columns*:

# %% tags=["raises-exception"]
row_max = d2l.reduce_max(X, axis=1)
print(row_max.shape)
X / row_max

# %% [markdown]
# The shapes `(3, 4)` and `(3,)` line up as `(3, 4)` and `(1, 3)`, and 4 is not
# 3. The fix is to keep the reduced axis with length 1, so the maxima form a
# column `(3, 1)` that stretches across the columns. `keepdims=True` does that;
# `d2l.reshape(row_max, (3, 1))` or `d2l.expand_dims(row_max, 1)` would too.

# %%
row_max = d2l.reduce_max(X, axis=1, keepdims=True)
print(row_max.shape)
X / row_max

# %% [markdown]
# ## 3.5 When shapes fit by accident
#
# An error is the friendly outcome. Worse is a broadcast that runs and computes
# something else. A vector `v` of shape `(3,)` and a column `c` of shape
# `(3, 1)` hold the same three numbers, but `v + c` is not "add them up
# elementwise": `(3,)` becomes a row `(1, 3)`, the column stays `(3, 1)`, and
# both stretch to a `(3, 3)` table of every pairwise sum.

# %%
v = d2l.constant([1., 2., 3.])
c = d2l.reshape(v, (3, 1))      # the same numbers, as a column
v + c

# %% [markdown]
# Sometimes a table of all pairs is what you want (the exercises use it to
# compute all pairwise distances at once). When it is not, the only symptom is a wrong
# shape somewhere later. Two habits help: print `.shape` when you are unsure,
# and state the axes you mean, for example with `v[:, d2l.newaxis]` (a column)
# or `v[d2l.newaxis, :]` (a row):

# %%
print(v[:, d2l.newaxis].shape, v[d2l.newaxis, :].shape)
print(v + d2l.reshape(c, (3,)))   # both (3,): elementwise, as intended

# %% [markdown]
# ## Summary
#
# * Elementwise operations accept operands of different shapes when they
#   *broadcast*: line the shapes up from the right, treat missing axes as
#   length 1, and every aligned pair must be equal or contain a 1.
# * Each size-1 axis is stretched to the other operand's length; the result
#   takes the larger length on every axis.
# * Only size-1 axes stretch, because one value per axis is the only thing that
#   can be repeated without guessing. Nothing is actually copied (stride 0).
# * When shapes clash, the error names both shapes. A reduction's result often
#   needs `keepdims=True` (or `reshape`/`expand_dims`) to line up again.
# * A `(3,)` vector and a `(3, 1)` column broadcast to `(3, 3)` with no error:
#   check shapes when in doubt.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch03_broadcasting/ch03_broadcasting.ipynb`](../exercises/learner/ch03_broadcasting/ch03_broadcasting.ipynb).
# Before you open them, answer these:
#
# 1. Predict the shape of `a + b` for shapes `(4,)` and `(3, 1)`, for `(2, 3, 1)`
#    and `(3, 5)`, and for `(6, 1, 2)` and `(7, 1)`. Which of them fail?
#    <details><summary>Answer</summary>
#
#    `(3, 4)`, `(2, 3, 5)` and `(6, 7, 2)`; none fails. Align the shapes on
#    the right: every aligned pair is equal or contains a 1.
#    </details>
# 2. Write the rule of section 3.2 as steps a program could follow. What
#    happens with a scalar, shape `()`?
#    <details><summary>Answer</summary>
#
#    (1) Pad the shorter shape with 1s on the left until both have as many
#    axes. (2) For each axis: equal lengths stay; a 1 stretches to the other
#    length; anything else is an error. (3) The result has the larger length
#    on every axis. A scalar pads to all 1s, so it broadcasts against any
#    shape.
#    </details>
# 3. How would you subtract each *row's* mean from that row? What shape must
#    the means have?
#    <details><summary>Answer</summary>
#
#    `X - d2l.reduce_mean(X, axis=1, keepdims=True)`: the means must be a
#    column, shape `(n, 1)`, so that each stretches along its own row.
#    </details>
# 4. Points `P` of shape `(n, d)` and `Q` of shape `(m, d)`: which shapes would
#    make `P - Q` broadcast to `(n, m, d)`, all pairs of points at once?
#    <details><summary>Answer</summary>
#
#    `(n, 1, d)` and `(1, m, d)` (or just `(m, d)`):
#    `d2l.reshape(P, (n, 1, d)) - Q`, or `P[:, None, :] - Q`.
#    </details>
# 5. `X - d2l.reduce_mean(X, axis=1)` fails for a 2 × 3 matrix but runs for a
#    3 × 3 one. Why, and is the 3 × 3 result right?
#    <details><summary>Answer</summary>
#
#    The means have shape `(2,)` or `(3,)` and line up with the *columns*.
#    With 3 columns and 2 means the lengths clash; with 3 of each it runs, but
#    subtracts row $i$'s mean from column $i$: wrong. `keepdims=True` fixes
#    both.
#    </details>
