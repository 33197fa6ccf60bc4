# %% [markdown]
# # Chapter 2 exercises: data operations
#
# These exercises practise what chapter 2 showed: creating tensors, changing
# their shape, elementwise arithmetic, matrix products, concatenation,
# comparisons and reductions.
#
# **How this notebook works.** Each question has an answer cell: replace
# `raise NotImplementedError()` with your code. Below it is a test cell; run it
# to check your answer. It prints a line starting with ✔ when the public checks
# pass, or tells you which check failed, what it expected, what your code gave,
# and a hint. When your work is graded, hidden checks run too: they try other
# inputs, so make your code right in general, not just for the examples.
# Do not edit or delete the test cells (they are restored when grading anyway).
#
# Every name below is TensorFlow's: `d2l.constant` is `tf.constant`, and so on.

# %%
import d2l_core as d2l
import numpy as np

# %% [markdown]
# ## Question 1: build tensors (5 points)
#
# Create three tensors:
#
# * `X` (2 points): shape `(3, 4)`, dtype `int32`, holding the numbers 0 to 11
#   **row by row** (the first row is `0, 1, 2, 3`).
# * `X_by_columns` (2 points): shape `(3, 4)`, dtype `int32`, holding 0 to 11
#   **column by column** (the first column is `0, 1, 2`, the second `3, 4, 5`).
#   `d2l.reshape` always fills row by row, so think about which shape to fill
#   first and what to do afterwards.
# * `evens` (1 point): a 1-D `float32` tensor of the even numbers from 0 to 10,
#   both included.
#
# Each tensor has its own test cell and its own points.

# %% solution q1
### BEGIN SOLUTION
X = d2l.reshape(d2l.range(12), (3, 4))
X_by_columns = d2l.transpose(d2l.reshape(d2l.range(12), (4, 3)))
evens = d2l.cast(d2l.range(0, 11, 2), d2l.float32)
### END SOLUTION

# %% tests q1a_tests points=2
check = d2l.check('q1a', 'X')
check.equal(X.shape, (3, 4), 'shape of X')
check.equal(X.dtype, d2l.int32, 'dtype of X', hint='d2l.range makes int32 numbers from int arguments')
check.equal(X[0], [0, 1, 2, 3], 'the first row of X')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(X, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]], 'values of X')
### END HIDDEN TESTS
check.done()

# %% tests q1b_tests points=2
check = d2l.check('q1b', 'X_by_columns')
check.equal(X_by_columns.shape, (3, 4), 'shape of X_by_columns')
check.equal(X_by_columns[:, 0], [0, 1, 2], 'the first column of X_by_columns',
            hint='fill a (4, 3) tensor row by row, then transpose it')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(X_by_columns.dtype, d2l.int32, 'dtype of X_by_columns')
check.equal(X_by_columns, [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]], 'values of X_by_columns')
### END HIDDEN TESTS
check.done()

# %% tests q1c_tests points=1
check = d2l.check('q1c', 'evens')
check.equal(evens.dtype, d2l.float32, 'dtype of evens', hint='use d2l.cast to change the dtype')
check.equal(len(evens.shape), 1, 'evens is 1-D')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(evens, [0., 2., 4., 6., 8., 10.], 'values of evens', hint='is 10 included?')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: predict shapes (6 points, 1 per shape)
#
# Let `A` have shape `(2, 3)` and `B` have shape `(3, 4)`. **Before running
# anything**, write down the shape of each result as a tuple of ints, such as
# `(5, 7)` (write `(5,)` for a 1-D shape):
#
# | key | expression |
# |---|---|
# | `'concat0'` | `d2l.concat([A, A], axis=0)` |
# | `'concat1'` | `d2l.concat([A, A], axis=1)` |
# | `'matmul'` | `d2l.matmul(A, B)` |
# | `'matmul_t'` | `d2l.matmul(d2l.transpose(B), d2l.transpose(A))` |
# | `'sum0'` | `d2l.reduce_sum(B, axis=0)` |
# | `'sum1_keep'` | `d2l.reduce_sum(B, axis=1, keepdims=True)` |
#
# Replace each `None` in the answer cell with your prediction and delete the
# `raise NotImplementedError()` line. The test cells below only check that
# each answer *is* a shape; whether it is the right one is checked at grading,
# so this is your chance to test your own understanding. Afterwards, run the
# expressions in the scratch cell at the end and find out why any prediction
# was wrong.

# %% solution q2
predicted = {'concat0': None, 'concat1': None, 'matmul': None,
             'matmul_t': None, 'sum0': None, 'sum1_keep': None}
### BEGIN SOLUTION
predicted = {'concat0': (4, 3), 'concat1': (2, 6), 'matmul': (2, 4),
             'matmul_t': (4, 2), 'sum0': (4,), 'sum1_keep': (3, 1)}
### END SOLUTION

# %% tests q2a_tests points=1
check = d2l.check('q2a', "predicted['concat0']")
guess = predicted['concat0']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['concat0'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.concat([A, A], axis=0).shape), "predicted['concat0'] is the shape of d2l.concat([A, A], axis=0)")
### END HIDDEN TESTS
check.done()

# %% tests q2b_tests points=1
check = d2l.check('q2b', "predicted['concat1']")
guess = predicted['concat1']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['concat1'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.concat([A, A], axis=1).shape), "predicted['concat1'] is the shape of d2l.concat([A, A], axis=1)")
### END HIDDEN TESTS
check.done()

# %% tests q2c_tests points=1
check = d2l.check('q2c', "predicted['matmul']")
guess = predicted['matmul']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['matmul'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.matmul(A, B).shape), "predicted['matmul'] is the shape of d2l.matmul(A, B)")
### END HIDDEN TESTS
check.done()

# %% tests q2d_tests points=1
check = d2l.check('q2d', "predicted['matmul_t']")
guess = predicted['matmul_t']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['matmul_t'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.matmul(d2l.transpose(B), d2l.transpose(A)).shape), "predicted['matmul_t'] is the shape of d2l.matmul(d2l.transpose(B), d2l.transpose(A))")
### END HIDDEN TESTS
check.done()

# %% tests q2e_tests points=1
check = d2l.check('q2e', "predicted['sum0']")
guess = predicted['sum0']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['sum0'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.reduce_sum(B, axis=0).shape), "predicted['sum0'] is the shape of d2l.reduce_sum(B, axis=0)")
### END HIDDEN TESTS
check.done()

# %% tests q2f_tests points=1
check = d2l.check('q2f', "predicted['sum1_keep']")
guess = predicted['sum1_keep']
check.true(isinstance(guess, tuple) and all(isinstance(n, int) for n in guess),
           "predicted['sum1_keep'] is a tuple of ints", actual=repr(guess),
           hint='write shapes like (2, 4) or (4,)')
### BEGIN HIDDEN TESTS
check.hidden()
A, B = d2l.ones((2, 3)), d2l.ones((3, 4))
check.true(tuple(guess) == tuple(d2l.reduce_sum(B, axis=1, keepdims=True).shape), "predicted['sum1_keep'] is the shape of d2l.reduce_sum(B, axis=1, keepdims=True)")
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: the length of each row (4 points)
#
# Write `row_norms(M)`: for a 2-D tensor `M` it returns a 1-D `float32` tensor
# whose entry `i` is the Euclidean length of row `i`, that is
# $\sqrt{\sum_j M_{ij}^2}$. It must also work when `M` has dtype `int32`.
#
# Use the operations from the chapter (`d2l.square`, `d2l.reduce_sum`,
# `d2l.sqrt`, `d2l.cast`, ...); no Python loops.

# %% solution q3
def row_norms(M):
    ### BEGIN SOLUTION
    M = d2l.cast(M, d2l.float32)
    return d2l.sqrt(d2l.reduce_sum(d2l.square(M), axis=1))
    ### END SOLUTION

# %% tests q3_tests points=4
check = d2l.check('q3', 'row_norms')
result = row_norms(d2l.constant([[3., 4.], [6., 8.]]))
check.equal(result.shape, (2,), 'shape for a 2x2 input', hint='reduce over axis 1, one value per row')
check.close(result, [5., 10.], 'lengths of [3, 4] and [6, 8]')
### BEGIN HIDDEN TESTS
check.hidden()
result = row_norms(d2l.constant([[3, 4], [0, 0], [1, 0]]))
check.equal(result.dtype, d2l.float32, 'dtype for an int32 input', hint='cast before taking the root')
check.close(result, [5., 0., 1.], 'an int32 input with a zero row')
check.close(row_norms(d2l.constant([[1., 2., 2.]])), [3.], 'a single row')
check.close(row_norms(d2l.constant([[-2.], [3.]])), [2., 3.], 'a column: the length is |x|')
big = np.random.default_rng(2).normal(size=(300, 17)).astype(np.float32)
check.close(row_norms(d2l.constant(big)), np.linalg.norm(big, axis=1), 'a 300x17 input', rtol=1e-4)
check.no_loops(row_norms, 'no Python loops', hint='one reduce_sum over axis 1 does every row at once')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: count the matches (2 points)
#
# Write `count_matches(P, Q)`: for two tensors of the same shape and dtype, it
# returns how many positions hold equal values, as a Python `int`.
# Compare with `==` (or `d2l.equal`), turn the booleans into numbers, and add
# them up.

# %% solution q4
def count_matches(P, Q):
    ### BEGIN SOLUTION
    return int(d2l.reduce_sum(d2l.cast(d2l.equal(P, Q), d2l.int32)))
    ### END SOLUTION

# %% tests q4_tests points=2
check = d2l.check('q4', 'count_matches')
n = count_matches(d2l.constant([[1, 2], [3, 4]]), d2l.constant([[1, 0], [3, 0]]))
check.true(isinstance(n, int), 'the result is a Python int', actual=type(n).__name__,
           hint='int(t) turns a tensor holding one number into a Python int')
check.equal(n, 2, 'two of four positions match')
### BEGIN HIDDEN TESTS
check.hidden()
P = d2l.reshape(d2l.range(12), (3, 4))
check.equal(count_matches(P, P), 12, 'a tensor against itself')
check.equal(count_matches(P, P + 1), 0, 'no position matches')
check.equal(count_matches(d2l.constant([0.5, 1.5]), d2l.constant([0.5, 2.5])), 1, 'float32 tensors')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: no silent promotion (3 points, graded by hand)
#
# With `X` from question 1 (dtype `int32`), `X + d2l.constant(1.5)` raises an
# error, while NumPy would quietly give a float array. Explain in a few
# sentences why the engine (like TensorFlow) refuses, give two different ways to
# make the addition work, and say which one you would choose and why.
#
# **Rubric (3 points):** 1 for why the engine refuses (a silent conversion can
# lose precision or hide a bug, so the dtypes must be made to agree on
# purpose); 1 for two fixes that both run and differ in substance (not the same
# cast written twice); 1 for a choice with a reason that names what each fix
# does to the value 1.5.

# %% [markdown] written q5 points=3
# The two inputs have different dtypes (int32 and float32) and TensorFlow never
# promotes one dtype to another behind your back: a silent conversion could
# lose precision (int64 to float32) or hide a bug, so the op asks you to decide.
# Fix 1: `d2l.cast(X, d2l.float32) + d2l.constant(1.5)` gives float results.
# Fix 2: build X as floats from the start (`d2l.range(12.)` or a float
# constant). Casting the int tensor down instead (`X + d2l.cast(1.5, d2l.int32)`)
# runs but changes 1.5 into 1, which is rarely what you want. I would cast X to
# float32 where the floats are needed, because the intent is visible there.

# %% scratch
# Use this cell (and new ones) to experiment; it is not graded.
