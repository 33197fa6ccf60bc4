# %% [markdown]
# # Chapter 4 exercises: indexing, slicing, Variables and memory
#
# These exercises practise reading parts of a tensor with indexes and slices,
# changing a `Variable` in place, and telling apart "the same object, changed"
# from "a new object".
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.

# %%
import d2l_core as d2l

X = d2l.reshape(d2l.range(20), (4, 5))
X

# %% [markdown]
# ## Question 1: slices (5 points, 1 per slice)
#
# From `X` above (shape `(4, 5)`, the numbers 0 to 19 row by row), take these
# parts with one index or slice expression each:
#
# * `second_row`: the second row, shape `(5,)`;
# * `last_column`: the last column, shape `(4,)`;
# * `last_column_2d`: the last column kept as a column, shape `(4, 1)`;
# * `every_other_row`: rows 0 and 2, shape `(2, 5)`;
# * `bottom_right`: the 2x2 block in the bottom right corner, shape `(2, 2)`.
#
# Write each so that it would still pick the right part if `X` had more rows
# or columns (negative indexes help).

# %% solution q1
### BEGIN SOLUTION
second_row = X[1]
last_column = X[:, -1]
last_column_2d = X[:, -1:]
every_other_row = X[::2]
bottom_right = X[-2:, -2:]
### END SOLUTION

# %% tests q1a_tests points=1
check = d2l.check('q1a', 'second_row')
check.equal(second_row.shape, (5,), 'shape of second_row', hint='indexes start at 0')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(second_row, [5, 6, 7, 8, 9], 'values of second_row')
### END HIDDEN TESTS
check.done()

# %% tests q1b_tests points=1
check = d2l.check('q1b', 'last_column')
check.equal(last_column.shape, (4,), 'shape of last_column', hint='a negative index counts from the end')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(last_column, [4, 9, 14, 19], 'values of last_column')
### END HIDDEN TESTS
check.done()

# %% tests q1c_tests points=1
check = d2l.check('q1c', 'last_column_2d')
check.equal(last_column_2d.shape, (4, 1), 'shape of last_column_2d', hint='an integer index drops the axis; a slice like -1: keeps it')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(last_column_2d, [[4], [9], [14], [19]], 'values of last_column_2d')
### END HIDDEN TESTS
check.done()

# %% tests q1d_tests points=1
check = d2l.check('q1d', 'every_other_row')
check.equal(every_other_row.shape, (2, 5), 'shape of every_other_row', hint='a step of 2: ::2')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(every_other_row, [[0, 1, 2, 3, 4], [10, 11, 12, 13, 14]], 'values of every_other_row')
### END HIDDEN TESTS
check.done()

# %% tests q1e_tests points=1
check = d2l.check('q1e', 'bottom_right')
check.equal(bottom_right.shape, (2, 2), 'shape of bottom_right', hint='two slices, one per axis')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(bottom_right, [[13, 14], [18, 19]], 'values of bottom_right')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: a frame of zeros, in place (4 points)
#
# Write `zero_border(v)`. It takes a 2-D `d2l.Variable` and sets its first and
# last rows and its first and last columns to zero **in place**, using slice
# assignment such as `v[0, :].assign(...)`. It returns `v` itself (the same
# object), keeps its dtype, and must work for any size, even `1 x 5` or `2 x 2`.

# %% solution q2
def zero_border(v):
    ### BEGIN SOLUTION
    v[0, :].assign(d2l.zeros_like(v[0, :]))
    v[-1, :].assign(d2l.zeros_like(v[-1, :]))
    v[:, 0].assign(d2l.zeros_like(v[:, 0]))
    v[:, -1].assign(d2l.zeros_like(v[:, -1]))
    return v
    ### END SOLUTION

# %% tests q2_tests points=4
check = d2l.check('q2', 'zero_border')
v = d2l.Variable(d2l.ones((3, 4)))
before = id(v)
result = zero_border(v)
check.true(result is v, 'it returns the same Variable', hint='change v in place and return v')
check.equal(id(v), before, 'id(v) did not change')
check.equal(v, [[0., 0., 0., 0.], [0., 1., 1., 0.], [0., 0., 0., 0.]], 'a 3x4 Variable of ones',
            hint='set four slices: first row, last row, first column, last column')
### BEGIN HIDDEN TESTS
check.hidden()
v = d2l.Variable(d2l.reshape(d2l.range(1, 21), (4, 5)))
zero_border(v)
check.equal(v.dtype, d2l.int32, 'an int32 Variable keeps its dtype', hint='d2l.zeros_like keeps the dtype')
check.equal(v, [[0, 0, 0, 0, 0], [0, 7, 8, 9, 0], [0, 12, 13, 14, 0], [0, 0, 0, 0, 0]], 'a 4x5 int32 Variable')
check.equal(zero_border(d2l.Variable(d2l.ones((2, 2)))), d2l.zeros((2, 2)), 'a 2x2 Variable is all border')
check.equal(zero_border(d2l.Variable(d2l.ones((1, 5)))), d2l.zeros((1, 5)), 'a single row')
big = zero_border(d2l.Variable(d2l.ones((30, 40))))
check.equal(int(d2l.reduce_sum(big)), 28 * 38, 'a 30x40 Variable keeps its 28x38 inside')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: same object or new object? (5 points, 1 per statement)
#
# Each statement below runs on a fresh `v = d2l.Variable([1., 2., 3.])`.
# Predict whether afterwards the name `v` still refers to **the same object**
# as before (so `id(v)` is unchanged): answer `True` or `False` for each key.
#
# | key | statement |
# |---|---|
# | `'a'` | `v.assign(v * 2)` |
# | `'b'` | `v.assign_add(d2l.ones_like(v))` |
# | `'c'` | `v = v * 2` |
# | `'d'` | `v[0].assign(5.)` |
# | `'e'` | `v = d2l.Variable(v * 2)` |
#
# Replace each `...` and delete the `raise NotImplementedError()` line. The
# test cells check only that each answer is `True` or `False`; whether it is
# right is checked at grading. Then run the statements in the scratch cell with
# `id()` and find out why any prediction was wrong.

# %% solution q3
same_object = {'a': ..., 'b': ..., 'c': ..., 'd': ..., 'e': ...}
### BEGIN SOLUTION
same_object = {'a': True, 'b': True, 'c': False, 'd': True, 'e': False}
### END SOLUTION

# %% tests q3a_tests points=1
check = d2l.check('q3a', "same_object['a']")
check.true(isinstance(same_object['a'], bool), "same_object['a'] is True or False",
           actual=repr(same_object['a']))
### BEGIN HIDDEN TESTS
check.hidden()
namespace = {'d2l': d2l, 'v': d2l.Variable([1., 2., 3.])}
before = namespace['v']
exec('v.assign(v * 2)', namespace)
check.true(same_object['a'] == (namespace['v'] is before), "same_object['a'] says what v.assign(v * 2) does")
### END HIDDEN TESTS
check.done()

# %% tests q3b_tests points=1
check = d2l.check('q3b', "same_object['b']")
check.true(isinstance(same_object['b'], bool), "same_object['b'] is True or False",
           actual=repr(same_object['b']))
### BEGIN HIDDEN TESTS
check.hidden()
namespace = {'d2l': d2l, 'v': d2l.Variable([1., 2., 3.])}
before = namespace['v']
exec('v.assign_add(d2l.ones_like(v))', namespace)
check.true(same_object['b'] == (namespace['v'] is before), "same_object['b'] says what v.assign_add(d2l.ones_like(v)) does")
### END HIDDEN TESTS
check.done()

# %% tests q3c_tests points=1
check = d2l.check('q3c', "same_object['c']")
check.true(isinstance(same_object['c'], bool), "same_object['c'] is True or False",
           actual=repr(same_object['c']))
### BEGIN HIDDEN TESTS
check.hidden()
namespace = {'d2l': d2l, 'v': d2l.Variable([1., 2., 3.])}
before = namespace['v']
exec('v = v * 2', namespace)
check.true(same_object['c'] == (namespace['v'] is before), "same_object['c'] says what v = v * 2 does")
### END HIDDEN TESTS
check.done()

# %% tests q3d_tests points=1
check = d2l.check('q3d', "same_object['d']")
check.true(isinstance(same_object['d'], bool), "same_object['d'] is True or False",
           actual=repr(same_object['d']))
### BEGIN HIDDEN TESTS
check.hidden()
namespace = {'d2l': d2l, 'v': d2l.Variable([1., 2., 3.])}
before = namespace['v']
exec('v[0].assign(5.)', namespace)
check.true(same_object['d'] == (namespace['v'] is before), "same_object['d'] says what v[0].assign(5.) does")
### END HIDDEN TESTS
check.done()

# %% tests q3e_tests points=1
check = d2l.check('q3e', "same_object['e']")
check.true(isinstance(same_object['e'], bool), "same_object['e'] is True or False",
           actual=repr(same_object['e']))
### BEGIN HIDDEN TESTS
check.hidden()
namespace = {'d2l': d2l, 'v': d2l.Variable([1., 2., 3.])}
before = namespace['v']
exec('v = d2l.Variable(v * 2)', namespace)
check.true(same_object['e'] == (namespace['v'] is before), "same_object['e'] says what v = d2l.Variable(v * 2) does")
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: update parameters in place (3 points)
#
# Training updates each parameter `w` with its gradient `g` as
# `w <- w - lr * g`. Write `sgd_update(params, grads, lr)`: `params` is a list
# of `d2l.Variable`s and `grads` a list of tensors of the same shapes (or
# `None` for a parameter that got no gradient; leave that one unchanged).
# Update every Variable **in place** with `assign_sub`; return nothing.

# %% solution q4
def sgd_update(params, grads, lr):
    ### BEGIN SOLUTION
    for param, grad in zip(params, grads):
        if grad is not None:
            param.assign_sub(lr * grad)
    ### END SOLUTION

# %% tests q4_tests points=3
check = d2l.check('q4', 'sgd_update')
w, b = d2l.Variable([1., 2.]), d2l.Variable(0.5)
params = [w, b]
result = sgd_update(params, [d2l.constant([10., -10.]), d2l.constant(1.)], 0.1)
check.true(result is None, 'it returns None', actual=repr(result))
check.true(params[0] is w and params[1] is b, 'the list still holds the same Variables',
           hint='use assign_sub instead of making new objects')
check.close(w, [0., 3.], 'w after one step')
check.close(b, 0.4, 'b after one step')
### BEGIN HIDDEN TESTS
check.hidden()
w, b = d2l.Variable([[1., 2.], [3., 4.]]), d2l.Variable([1.])
sgd_update([w, b], [None, d2l.constant([2.])], 0.5)
check.close(w, [[1., 2.], [3., 4.]], 'a parameter whose gradient is None is left alone')
check.close(b, [0.], 'the other parameter is still updated')
sgd_update([w], [d2l.ones((2, 2))], 1.)
sgd_update([w], [d2l.ones((2, 2))], 1.)
check.close(w, [[-1., 0.], [1., 2.]], 'two steps in a row')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: why `assign_sub`? (3 points, graded by hand)
#
# Someone writes the update in a training loop as `w = w - lr * g` instead of
# `w.assign_sub(lr * g)`. The first step works; in the second step,
# `tape.gradient(loss, w)` returns `None`. Explain what `w` is after the first
# step and why that leads to `None`. Mention what `id()` would show.
#
# **Rubric (3 points):** 1 for what `w` is after the first step (a new plain
# Tensor bound to the name; `id(w)` changes); 1 for why the tape gives `None`
# (it watches trainable Variables only, so nothing connects the loss to the
# new constant); 1 for what `assign_sub` does instead (writes into the same
# Variable: same `id`, still watched, and every other reference sees the update).

# %% [markdown] written q5 points=3
# `w - lr * g` computes a new tensor, and `w = ...` rebinds the name to it: after
# the first step `w` is a plain (constant) Tensor, not a Variable, and `id(w)`
# differs from before. A GradientTape only watches Variables automatically
# (trainable ones that are read inside it), so in the second step nothing
# connects the loss to this constant and the gradient is `None`. Worse, any
# other reference to the original Variable (a model, an optimizer) still sees
# the old values. `assign_sub` writes into the same Variable, so `id(w)` stays
# the same and the tape keeps watching it.
