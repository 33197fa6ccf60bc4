# %% [markdown]
# # Chapter 3 exercises: broadcasting
#
# When an elementwise op gets two tensors of different shapes, it lines the
# shapes up **from the right**. Two sizes fit if they are equal or one of them
# is 1 (a size-1 axis is stretched); a missing axis on the left counts as
# size 1. If some pair of sizes does not fit, the op raises an error.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.

# %%
import d2l_core as d2l

# %% [markdown]
# ## Question 1: predict (5 points, 1 per pair)
#
# For each pair of shapes, predict the shape of `a + b` where `a` and `b` are
# tensors of those shapes. Write a tuple of ints, or `None` if the addition
# raises an error. Do it on paper first, then fill in the dictionary (replace
# each `...` and delete the `raise NotImplementedError()` line).
#
# | key | shape of `a` | shape of `b` |
# |---|---|---|
# | `'p'` | `(3, 1)` | `(1, 2)` |
# | `'q'` | `(4,)` | `(3, 1)` |
# | `'r'` | `(2, 3, 1)` | `(3, 5)` |
# | `'s'` | `(5, 4)` | `(5,)` |
# | `'t'` | `(6, 1, 2)` | `(7, 1)` |
#
# The test cells only check that each answer is a shape or `None`; whether it
# is right is checked at grading. Then try the additions in the scratch cell
# and work out why any prediction was wrong.

# %% solution q1
predicted = {'p': ..., 'q': ..., 'r': ..., 's': ..., 't': ...}
### BEGIN SOLUTION
predicted = {'p': (3, 2), 'q': (3, 4), 'r': (2, 3, 5), 's': None, 't': (6, 7, 2)}
### END SOLUTION

# %% tests q1p_tests points=1
check = d2l.check('q1p', "predicted['p']")
guess = predicted['p']
check.true(guess is None or (isinstance(guess, tuple) and all(isinstance(n, int) for n in guess)),
           "predicted['p'] is a tuple of ints or None", actual=repr(guess),
           hint='write shapes like (3, 2), or None for an error')
### BEGIN HIDDEN TESTS
check.hidden()
try:
    real = tuple((d2l.zeros((3, 1)) + d2l.zeros((1, 2))).shape)
except d2l.errors.InvalidArgumentError:
    real = None
check.true(guess == real, "predicted['p'] is what (3, 1) + (1, 2) gives")
### END HIDDEN TESTS
check.done()

# %% tests q1q_tests points=1
check = d2l.check('q1q', "predicted['q']")
guess = predicted['q']
check.true(guess is None or (isinstance(guess, tuple) and all(isinstance(n, int) for n in guess)),
           "predicted['q'] is a tuple of ints or None", actual=repr(guess),
           hint='write shapes like (3, 2), or None for an error')
### BEGIN HIDDEN TESTS
check.hidden()
try:
    real = tuple((d2l.zeros((4,)) + d2l.zeros((3, 1))).shape)
except d2l.errors.InvalidArgumentError:
    real = None
check.true(guess == real, "predicted['q'] is what (4,) + (3, 1) gives")
### END HIDDEN TESTS
check.done()

# %% tests q1r_tests points=1
check = d2l.check('q1r', "predicted['r']")
guess = predicted['r']
check.true(guess is None or (isinstance(guess, tuple) and all(isinstance(n, int) for n in guess)),
           "predicted['r'] is a tuple of ints or None", actual=repr(guess),
           hint='write shapes like (3, 2), or None for an error')
### BEGIN HIDDEN TESTS
check.hidden()
try:
    real = tuple((d2l.zeros((2, 3, 1)) + d2l.zeros((3, 5))).shape)
except d2l.errors.InvalidArgumentError:
    real = None
check.true(guess == real, "predicted['r'] is what (2, 3, 1) + (3, 5) gives")
### END HIDDEN TESTS
check.done()

# %% tests q1s_tests points=1
check = d2l.check('q1s', "predicted['s']")
guess = predicted['s']
check.true(guess is None or (isinstance(guess, tuple) and all(isinstance(n, int) for n in guess)),
           "predicted['s'] is a tuple of ints or None", actual=repr(guess),
           hint='write shapes like (3, 2), or None for an error')
### BEGIN HIDDEN TESTS
check.hidden()
try:
    real = tuple((d2l.zeros((5, 4)) + d2l.zeros((5,))).shape)
except d2l.errors.InvalidArgumentError:
    real = None
check.true(guess == real, "predicted['s'] is what (5, 4) + (5,) gives")
### END HIDDEN TESTS
check.done()

# %% tests q1t_tests points=1
check = d2l.check('q1t', "predicted['t']")
guess = predicted['t']
check.true(guess is None or (isinstance(guess, tuple) and all(isinstance(n, int) for n in guess)),
           "predicted['t'] is a tuple of ints or None", actual=repr(guess),
           hint='write shapes like (3, 2), or None for an error')
### BEGIN HIDDEN TESTS
check.hidden()
try:
    real = tuple((d2l.zeros((6, 1, 2)) + d2l.zeros((7, 1))).shape)
except d2l.errors.InvalidArgumentError:
    real = None
check.true(guess == real, "predicted['t'] is what (6, 1, 2) + (7, 1) gives")
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: the rule in code (5 points)
#
# Write `broadcast_shape(shape_a, shape_b)` in plain Python (no tensors). It
# takes two shapes (tuples or lists of ints) and returns the broadcast shape as
# a tuple, or raises `ValueError` when the shapes do not fit. It must agree with
# what `d2l` does, including for scalars (shape `()`) and for axes of size 0.
# Write the rule yourself: helpers that already know it (`np.broadcast_shapes`,
# `d2l.broadcast_static_shape`, adding tensors) do not count.

# %% solution q2
def broadcast_shape(shape_a, shape_b):
    ### BEGIN SOLUTION
    a, b = list(shape_a), list(shape_b)
    n = max(len(a), len(b))
    a = [1] * (n - len(a)) + a
    b = [1] * (n - len(b)) + b
    result = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            raise ValueError(f"shapes {tuple(shape_a)} and {tuple(shape_b)} do not broadcast")
        result.append(y if x == 1 else x)
    return tuple(result)
    ### END SOLUTION

# %% tests q2_tests points=5
check = d2l.check('q2', 'broadcast_shape')
check.equal(broadcast_shape((3, 1), (1, 2)), (3, 2), 'broadcast_shape((3, 1), (1, 2))')
check.equal(broadcast_shape((5, 4), (4,)), (5, 4), 'broadcast_shape((5, 4), (4,))',
            hint='pad the shorter shape with 1s on the left')
check.raises(ValueError, lambda: broadcast_shape((3,), (4,)), 'broadcast_shape((3,), (4,))',
             hint='sizes 3 and 4 differ and neither is 1')
### BEGIN HIDDEN TESTS
check.hidden()
check.true(isinstance(broadcast_shape([2, 1], [3]), tuple), 'lists in, a tuple out')
check.equal(broadcast_shape((), (2, 3)), (2, 3), 'a scalar and a matrix')
check.equal(broadcast_shape((), ()), (), 'two scalars')
check.equal(broadcast_shape((1,), (1,)), (1,), 'two size-1 axes')
check.equal(broadcast_shape((0,), (1,)), (0,), 'size 0 with size 1 gives size 0')
check.raises(ValueError, lambda: broadcast_shape((0,), (2,)), 'size 0 with size 2')
check.equal(broadcast_shape((8, 1, 6, 1), (7, 1, 5)), (8, 7, 6, 5), 'four axes against three')
check.raises(ValueError, lambda: broadcast_shape((2, 1), (8, 4, 3)), '(2, 1) against (8, 4, 3)')
for shape_a, shape_b in [((2, 1, 4), (3, 1)), ((1, 5), (4, 1)), ((3,), (2, 3))]:
    real = tuple((d2l.zeros(shape_a) + d2l.zeros(shape_b)).shape)
    check.equal(broadcast_shape(shape_a, shape_b), real, f'{shape_a} and {shape_b} agree with d2l')
check.avoids(broadcast_shape, ['np', 'numpy', 'd2l', 'tf', 'broadcast_shapes', 'broadcast_static_shape',
                               'broadcast_dynamic_shape', 'broadcast_to', 'zeros', 'ones'],
             'plain Python: no NumPy or d2l helper, no tensors')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: center the rows (3 points)
#
# Write `center_rows(X)`: for a 2-D `float32` tensor it returns a tensor of the
# same shape in which the mean of each row has been subtracted from that row,
# so that every row of the result has mean 0. Use `d2l.reduce_mean` and
# broadcasting; no Python loops. Think about the shape of the row means.

# %% solution q3
def center_rows(X):
    ### BEGIN SOLUTION
    return X - d2l.reduce_mean(X, axis=1, keepdims=True)
    ### END SOLUTION

# %% tests q3_tests points=3
check = d2l.check('q3', 'center_rows')
X = d2l.constant([[1., 2., 3.], [4., 5., 9.]])
check.equal(center_rows(X).shape, (2, 3), 'shape for a 2x3 input')
check.close(center_rows(X), [[-1., 0., 1.], [-2., -1., 3.]], 'a 2x3 input',
            hint='the row means have shape (2,); which shape broadcasts against (2, 3) row by row?')
### BEGIN HIDDEN TESTS
check.hidden()
S = d2l.constant([[1., 2., 3.], [10., 20., 30.], [0., 0., 6.]])
check.close(center_rows(S), [[-1., 0., 1.], [-10., 0., 10.], [-2., -2., 4.]],
            'a square 3x3 input', hint='(3,) broadcasts along the wrong axis: keep the reduced axis')
check.close(center_rows(d2l.constant([[5., 7.]])), [[-1., 1.]], 'a single row')
check.close(center_rows(d2l.constant([[5.], [7.]])), [[0.], [0.]], 'a single column')
import numpy as np
big = np.random.default_rng(4).normal(size=(200, 31)).astype(np.float32)
check.close(center_rows(d2l.constant(big)), big - big.mean(axis=1, keepdims=True), 'a 200x31 input',
            rtol=1e-4, atol=1e-5)
check.no_loops(center_rows, 'no Python loops', hint='one subtraction broadcasts over every row')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: all distances at once (4 points)
#
# `P` holds `n` points and `Q` holds `m` points, one per row, each with `d`
# coordinates: shapes `(n, d)` and `(m, d)`. Write `pairwise_sq_dists(P, Q)`
# returning the `(n, m)` tensor `D` with
# $D_{ij} = \sum_k (P_{ik} - Q_{jk})^2$, the squared distance from point `i`
# of `P` to point `j` of `Q`.
#
# Use no Python loops: reshape `P` and `Q` so that one subtraction broadcasts
# to shape `(n, m, d)`, then reduce.

# %% solution q4
def pairwise_sq_dists(P, Q):
    ### BEGIN SOLUTION
    n, d = P.shape
    m = Q.shape[0]
    diff = d2l.reshape(P, (n, 1, d)) - d2l.reshape(Q, (1, m, d))
    return d2l.reduce_sum(d2l.square(diff), axis=2)
    ### END SOLUTION

# %% tests q4_tests points=4
check = d2l.check('q4', 'pairwise_sq_dists')
P = d2l.constant([[0., 0.], [1., 1.]])
Q = d2l.constant([[1., 0.], [0., 0.], [3., 4.]])
D = pairwise_sq_dists(P, Q)
check.equal(D.shape, (2, 3), 'shape for 2 points against 3 points', hint='row i is point i of P')
check.close(D, [[1., 0., 25.], [1., 2., 13.]], 'the distances')
### BEGIN HIDDEN TESTS
check.hidden()
import numpy as np
rng = np.random.default_rng(3)
p, q = rng.normal(size=(5, 3)).astype(np.float32), rng.normal(size=(4, 3)).astype(np.float32)
expected = ((p[:, None, :] - q[None, :, :]) ** 2).sum(axis=2)
check.close(pairwise_sq_dists(d2l.constant(p), d2l.constant(q)), expected, '5 points against 4 in 3-D', rtol=1e-4)
check.close(pairwise_sq_dists(d2l.constant([[2.]]), d2l.constant([[5.], [-1.]])), [[9., 9.]], 'one coordinate')
check.close(pairwise_sq_dists(d2l.constant(q), d2l.constant(q[:1])), ((q - q[:1]) ** 2).sum(axis=1, keepdims=True),
            'many points against one', rtol=1e-4)
p, q = rng.normal(size=(60, 7)).astype(np.float32), rng.normal(size=(45, 7)).astype(np.float32)
check.close(pairwise_sq_dists(d2l.constant(p), d2l.constant(q)),
            ((p[:, None, :] - q[None, :, :]) ** 2).sum(axis=2), '60 points against 45 in 7-D', rtol=1e-3, atol=1e-4)
check.no_loops(pairwise_sq_dists, 'no Python loops', hint='reshape to (n, 1, d) and (1, m, d), subtract once')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: a bug that raises no error (3 points, graded by hand)
#
# A classmate wrote `center_rows` as `X - d2l.reduce_mean(X, axis=1)`. On a
# 2x3 matrix it raises an error, but on a 3x3 matrix it runs and returns wrong
# numbers. Explain both outcomes with the broadcasting rule: what shapes are
# lined up, what gets stretched, and which mean ends up subtracted from which
# entry? How does `keepdims=True` fix it?
#
# **Rubric (3 points):** 1 for the 2x3 error explained by lining the shapes
# `(2,)` and `(2, 3)` up from the right; 1 for the 3x3 case: which mean is
# subtracted from entry `(i, j)` (row `j`'s, not row `i`'s); 1 for why
# `keepdims=True` (shape `(n, 1)`) fixes it for every `n` and `k`.

# %% [markdown] written q5 points=3
# `d2l.reduce_mean(X, axis=1)` has shape `(n,)`. Against `X` of shape `(n, k)`
# the shapes are lined up from the right, so the `n` means are matched with the
# `k` columns. For 2x3, sizes 2 and 3 differ and neither is 1: error. For 3x3
# the sizes agree, so the vector is stretched down the rows: entry `(i, j)`
# gets the mean of row `j` subtracted, not the mean of row `i`. With
# `keepdims=True` the means have shape `(n, 1)`; the size-1 axis is stretched
# across the columns, so each row loses its own mean, for any `n` and `k`.
