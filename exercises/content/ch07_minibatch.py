# %% [markdown]
# # Chapter 7 exercises: minibatch SGD
#
# You will write a shuffling minibatch iterator, the loss and gradient of
# linear regression in matrix form without loops, and minibatch SGD that
# reaches the least-squares answer. A written question asks you to explain
# how the batch size sets the noise of training.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.
#
# The data: 500 examples with 3 features each, labels
# $y = X w + b + \text{noise}$ with $w = (1.5, -2, 0.5)$, $b = -1$ and a small
# Gaussian noise, made with a seeded NumPy generator. `y` is a column of
# shape `(500, 1)`, the shape of `X @ w`.

# %%
import d2l_core as d2l
import math
import numpy as np

data_rng = np.random.default_rng(0)
true_w, true_b = np.array([[1.5], [-2.0], [0.5]], dtype=np.float32), -1.0
features_np = data_rng.normal(size=(500, 3)).astype(np.float32)
labels_np = (features_np @ true_w + true_b + data_rng.normal(scale=0.05, size=(500, 1))).astype(np.float32)

X = d2l.constant(features_np)   # shape (500, 3)
y = d2l.constant(labels_np)     # shape (500, 1)


def least_squares(X, y):
    """The exact minimiser of the mean squared error: (w of shape (d, 1), b as a float)."""
    X1 = d2l.concat([X, d2l.ones((X.shape[0], 1))], axis=1)
    theta = d2l.linalg.lstsq(X1, d2l.reshape(y, (-1, 1)))
    return theta[:-1], float(theta[-1, 0])

# %% [markdown]
# ## Question 1: a shuffling minibatch iterator (4 points)
#
# Write a generator `data_iter(batch_size, X, y, rng)` that goes through the
# examples of `X` (shape `(n, d)`) and `y` (shape `(n, 1)` or `(n,)`) once, in
# a random order, and yields pairs `(X_batch, y_batch)` of tensors:
#
# * every example appears in exactly one batch, and the rows of `X_batch`
#   and `y_batch` belong together (row $i$ of `X_batch` is the example whose
#   label is element $i$ of `y_batch`);
# * batches have `batch_size` examples, except the last, which holds what is
#   left when `batch_size` does not divide $n$;
# * all randomness comes from `rng`, a NumPy `Generator`
#   (`np.random.default_rng(seed)`), for example from `rng.permutation(n)`.
#   So the same seed gives the same batches, and calling `data_iter` again
#   with the same `rng` (the next epoch) gives a new order.
#
# `d2l.gather(X, indices)` picks rows by index.

# %% solution q1
def data_iter(batch_size, X, y, rng):
    ### BEGIN SOLUTION
    n = X.shape[0]
    indices = rng.permutation(n)
    for start in range(0, n, batch_size):
        batch = indices[start:start + batch_size]
        yield d2l.gather(X, batch), d2l.gather(y, batch)
    ### END SOLUTION

# %% tests q1_tests points=4
check = d2l.check('q1', 'data_iter')
X_demo = d2l.reshape(d2l.range(20.), (10, 2))        # row i is (2i, 2i + 1)
y_demo = d2l.reshape(d2l.range(10.), (10, 1))        # label i
batches = list(data_iter(4, X_demo, y_demo, np.random.default_rng(0)))
check.equal(len(batches), 3, 'number of batches for 10 examples in batches of 4',
            hint='the last batch holds the 2 examples left over')
check.equal([tuple(xb.shape) for xb, yb in batches], [(4, 2), (4, 2), (2, 2)], 'shapes of the X batches')
check.equal([tuple(yb.shape) for xb, yb in batches], [(4, 1), (4, 1), (2, 1)], 'shapes of the y batches')
seen = sorted(float(v) for xb, yb in batches for v in d2l.reshape(yb, (-1,)).numpy())
check.equal(seen, list(range(10)), 'every example exactly once in one epoch',
            hint='shuffle the indices 0..n-1 once, then cut them into consecutive pieces')
### BEGIN HIDDEN TESTS
check.hidden()


def epoch_order(batch_size, X, y, rng):
    """The labels of one epoch in the order they come, and whether every row matches its label."""
    order, aligned = [], True
    for xb, yb in data_iter(batch_size, X, y, rng):
        labels_batch = d2l.reshape(yb, (-1,)).numpy().tolist()
        aligned = aligned and np.array_equal(xb.numpy()[:, 0], 2 * np.array(labels_batch))
        order += labels_batch
    return order, aligned


X23 = d2l.stack([2 * d2l.range(23.), 2 * d2l.range(23.) + 1], axis=1)
y23 = d2l.range(23.)                                   # a 1-D y this time
rng = np.random.default_rng(5)
order1, aligned1 = epoch_order(5, X23, y23, rng)
order2, aligned2 = epoch_order(5, X23, y23, rng)
check.equal(sorted(order1), list(range(23)), '23 examples in batches of 5: each exactly once')
check.equal(sorted(order2), list(range(23)), 'the second epoch: each exactly once again')
check.true(aligned1 and aligned2, 'the rows of X_batch and y_batch belong together',
           hint='index X and y with the same indices')
check.true(order1 != list(range(23)), 'the examples are shuffled', actual=order1)
check.true(order1 != order2, 'the next epoch (same rng) has a new order', actual=(order1, order2),
           hint='draw a new permutation each time data_iter is called')
again, _ = epoch_order(5, X23, y23, np.random.default_rng(5))
check.equal(again, order1, 'the same seed gives the same order', hint='take all randomness from rng')
sizes = [int(xb.shape[0]) for xb, yb in data_iter(5, X23, y23, np.random.default_rng(1))]
check.equal(sizes, [5, 5, 5, 5, 3], 'batch sizes for 23 examples in batches of 5')
sizes = [int(xb.shape[0]) for xb, yb in data_iter(50, X23, y23, np.random.default_rng(1))]
check.equal(sizes, [23], 'a batch larger than the data set gives one batch')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: the loss and its gradient, without loops (5 points)
#
# Write `mse_and_grad(X, y, w, b)` for the model $\hat{\mathbf y} = \mathbf X\mathbf w + b$
# and the loss $L = \frac1n \sum_i (\hat y_i - y_i)^2$ (the mean squared
# error, without a factor $\frac12$). `X` has shape `(n, d)`, `y` `(n, 1)`,
# `w` `(d, 1)` and `b` is a scalar tensor. Return `(loss, dw, db)`: the loss
# as a scalar tensor, $\partial L/\partial \mathbf w$ of shape `(d, 1)` and
# $\partial L/\partial b$ as a scalar tensor.
#
# Derive the gradient on paper and compute it **with d2l operations and no
# Python loops** (no `for`, `while` or comprehensions), and **without a
# `GradientTape`**: the test compares your formula with the tape.

# %% solution q2
def mse_and_grad(X, y, w, b):
    ### BEGIN SOLUTION
    r = d2l.matmul(X, w) + b - y
    n = X.shape[0]
    loss = d2l.reduce_mean(d2l.square(r))
    return loss, 2 / n * d2l.matmul(X, r, transpose_a=True), 2 / n * d2l.reduce_sum(r)
    ### END SOLUTION

# %% tests q2_tests points=5


def tape_mse_and_grad(X, y, w, b):
    """The same loss and gradients from the tape, to compare with."""
    w, b = d2l.Variable(w), d2l.Variable(b)
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_mean(d2l.square(d2l.matmul(X, w) + b - y))
    dw, db = tape.gradient(loss, [w, b])
    return loss, dw, db


check = d2l.check('q2', 'mse_and_grad')
X_small = d2l.constant([[1., 2.], [3., 4.]])
y_small = d2l.constant([[1.], [2.]])
loss, dw, db = mse_and_grad(X_small, y_small, d2l.constant([[1.], [0.]]), d2l.constant(1.))
check.equal(tuple(loss.shape), (), 'the loss is a scalar')
check.equal(tuple(dw.shape), (2, 1), 'dw has the shape of w')
check.equal(tuple(db.shape), (), 'db is a scalar')
check.close(loss, 2.5, 'the loss for residuals (1, 2)', hint='mean of (Xw + b - y)**2')
check.close(dw, [[7.], [10.]], 'dw for residuals (1, 2)', hint='2/n X^T (Xw + b - y)')
check.close(db, 3., 'db for residuals (1, 2)', hint='2/n times the sum of the residuals')
### BEGIN HIDDEN TESTS
check.hidden()
import dis
import types


def loops_and_tapes(fn, depth=0):
    """Loop instructions and tape names in fn, its nested code and the functions of yours it calls."""
    found, codes = [], [fn.__code__]
    while codes:
        code = codes.pop()
        found += [i.opname for i in dis.get_instructions(code)
                  if i.opname in ('FOR_ITER', 'JUMP_BACKWARD', 'JUMP_BACKWARD_NO_INTERRUPT')]
        found += [name for name in code.co_names if name in ('GradientTape', 'map', 'gradient')]
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
        if depth < 3:
            for name in code.co_names:
                helper = fn.__globals__.get(name)
                if isinstance(helper, types.FunctionType) and helper is not fn:
                    found += loops_and_tapes(helper, depth + 1)
    return found


check.equal(loops_and_tapes(mse_and_grad), [], 'no Python loops and no tape inside mse_and_grad',
            hint='one matmul with transpose_a=True gives X^T r; reduce_sum gives the sum')
gen = np.random.default_rng(3)
for n, d in [(7, 4), (1, 1), (300, 5)]:
    X_h = d2l.constant(gen.normal(size=(n, d)).astype(np.float32))
    y_h = d2l.constant(gen.normal(size=(n, 1)).astype(np.float32))
    w_h = d2l.constant(gen.normal(size=(d, 1)).astype(np.float32))
    b_h = d2l.constant(np.float32(gen.normal()))
    got, want = mse_and_grad(X_h, y_h, w_h, b_h), tape_mse_and_grad(X_h, y_h, w_h, b_h)
    check.equal(tuple(got[1].shape), (d, 1), f'dw has shape ({d}, 1) for {n} examples')
    check.equal(tuple(got[2].shape), (), f'db is a scalar for {n} examples')
    for name, g, t in zip(['loss', 'dw', 'db'], got, want):
        check.close(g, t, f'{name} agrees with the tape for {n} examples with {d} features',
                    rtol=1e-4, atol=1e-5)
check.equal(mse_and_grad(X, y, d2l.zeros((3, 1)), d2l.constant(0.))[1].dtype, d2l.float32,
            'float32 data give a float32 gradient')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: minibatch SGD that reaches least squares (6 points)
#
# Write `minibatch_sgd(X, y, lr, batch_size, num_epochs, seed=0)`:
#
# * start from `w = d2l.Variable(d2l.zeros((d, 1)))` and `b = d2l.Variable(0.)`;
# * create `rng = np.random.default_rng(seed)` and an optimizer
#   `d2l.keras.optimizers.SGD(learning_rate=lr)`, written exactly like that
#   inside your function (the grader counts its steps);
# * in each epoch, go through `data_iter(batch_size, X, y, rng)`; for each
#   minibatch compute the gradients of its mean squared error (with a
#   `d2l.GradientTape`, or with your `mse_and_grad`) and apply them with the
#   optimizer's `apply_gradients`;
# * after each epoch, append the mean squared error on the **whole** data
#   set, as a Python float, to a list `losses`.
#
# Return `(w, b, losses)`. With `lr=0.05`, `batch_size=10` and `num_epochs=5`
# it must come close to `least_squares(X, y)`. The loss must come from real
# training: the grader checks the list against your `w` and `b`, against a
# learning rate of zero, and against the number of steps taken.

# %% solution q3
def minibatch_sgd(X, y, lr, batch_size, num_epochs, seed=0):
    ### BEGIN SOLUTION
    rng = np.random.default_rng(seed)
    w = d2l.Variable(d2l.zeros((X.shape[1], 1)))
    b = d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = []
    for epoch in range(num_epochs):
        for X_batch, y_batch in data_iter(batch_size, X, y, rng):
            with d2l.GradientTape() as tape:
                loss = d2l.reduce_mean(d2l.square(d2l.matmul(X_batch, w) + b - y_batch))
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
        losses.append(float(d2l.reduce_mean(d2l.square(d2l.matmul(X, w) + b - y))))
    return w, b, losses
    ### END SOLUTION

# %% tests q3_tests points=6
check = d2l.check('q3', 'minibatch_sgd')
w, b, losses = minibatch_sgd(X, y, lr=0.05, batch_size=10, num_epochs=5)
w_star, b_star = least_squares(X, y)
check.equal(tuple(w.shape), (3, 1), 'w has shape (3, 1)')
check.equal(len(losses), 5, 'one loss per epoch')
check.true(all(isinstance(v, float) for v in losses), 'the losses are Python floats', hint='use float(loss)')
check.true(losses[-1] < 5e-3, 'the final loss is below 5e-3', actual=losses[-1],
           hint='compute the loss under the tape and apply the gradients to [w, b] after each minibatch')
check.close(d2l.reshape(w, (-1,)), d2l.reshape(w_star, (-1,)), 'w is close to the least-squares w', atol=0.02)
### BEGIN HIDDEN TESTS
check.hidden()
check.close(float(d2l.reshape(b, ())), b_star, 'b is close to the least-squares b', atol=0.02)
final = float(d2l.reduce_mean(d2l.square(d2l.matmul(X, w) + b - y)))
check.close(losses[-1], final, 'the last loss is the loss of the returned w and b on all data', rtol=1e-4,
            hint='after each epoch, compute the mean squared error on the whole X and y')
check.true(losses[0] > losses[-1], 'the loss went down', actual=losses)
_, _, losses_again = minibatch_sgd(X, y, lr=0.05, batch_size=10, num_epochs=5)
check.close(losses_again, losses, 'the same seed gives the same run', rtol=1e-5,
            hint='create rng = np.random.default_rng(seed) inside the function')
w_other, _, _ = minibatch_sgd(X, y, lr=0.05, batch_size=10, num_epochs=5, seed=1)
check.true(not np.array_equal(w_other.numpy(), w.numpy()), 'another seed shuffles differently',
           hint='pass rng to data_iter every epoch')
w0, b0, losses0 = minibatch_sgd(X, y, lr=0.0, batch_size=10, num_epochs=2)
initial = float(d2l.reduce_mean(d2l.square(y)))
check.close(losses0, [initial, initial], 'with lr = 0 nothing moves: the loss stays that of w = 0, b = 0',
            rtol=1e-5)
check.close(w0, np.zeros((3, 1)), 'with lr = 0, w stays zero')

steps = []
real_sgd = d2l.keras.optimizers.SGD


class CountingSGD(real_sgd):
    def apply_gradients(self, *args, **kwargs):
        steps.append(1)
        return super().apply_gradients(*args, **kwargs)


d2l.keras.optimizers.SGD = CountingSGD
try:
    gen = np.random.default_rng(11)
    X_h = gen.normal(size=(237, 4)).astype(np.float32)
    y_h = (X_h @ np.array([[1.], [0.], [-2.], [3.]]) + 0.5
           + gen.normal(scale=0.01, size=(237, 1))).astype(np.float32)
    X_h, y_h = d2l.constant(X_h), d2l.constant(y_h)
    w_h, b_h, losses_h = minibatch_sgd(X_h, y_h, lr=0.05, batch_size=16, num_epochs=6, seed=3)
finally:
    d2l.keras.optimizers.SGD = real_sgd
check.equal(len(steps), 6 * math.ceil(237 / 16), 'one optimizer step per minibatch: 6 epochs of 15 batches',
            hint='create the optimizer as d2l.keras.optimizers.SGD(learning_rate=lr) inside the function')
w_hs, b_hs = least_squares(X_h, y_h)
check.close(w_h, w_hs, '237 examples, 4 features, batches of 16: w near least squares', atol=0.02)
check.close(float(d2l.reshape(b_h, ())), b_hs, 'and b near least squares', atol=0.02)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: batch size and noise (5 points, graded by hand)
#
# Use the cell below to run `minibatch_sgd` with batch sizes 1, 10 and 100 at
# the same learning rate (say 0.02) and compare the final losses with the
# least-squares loss. Then answer:
#
# 1. A minibatch gradient is the average of $B$ example gradients drawn at
#    random. Show how its variance, and its typical error, depend on $B$, and
#    say what that means for the loss curves of the three runs.
# 2. Why does SGD with a constant learning rate not end at the least-squares
#    answer, even after many epochs? Name two ways to get closer.
# 3. Batch size 1 makes 100 times as many steps per epoch as batch size 100.
#    Which one would you choose on a GPU, and why?
#
# **Rubric (5 points):** 2 for part 1 (1 for the variance of a mean of $B$
# independent draws, $\sigma^2/B$, so the error falls like $1/\sqrt B$; 1 for
# connecting it to the curves: noisier, higher floor for small $B$), 2 for
# part 2 (1 for explaining that near the minimum the true gradient vanishes
# but the minibatch noise does not, so the steps keep moving the parameters;
# 1 for two valid remedies such as a decaying learning rate, a larger batch,
# or averaging the iterates), 1 for part 3 (a choice argued from the cost per
# step on parallel hardware against the progress per example).

# %% scratch
# Try batch sizes here, for example:
# w_star, b_star = least_squares(X, y)
# print('least squares:', float(mse_and_grad(X, y, w_star, d2l.constant(b_star))[0]))
# for B in [1, 10, 100]:
#     print(B, minibatch_sgd(X, y, lr=0.02, batch_size=B, num_epochs=5)[2])

# %% [markdown] written q4 points=5
# 1. If the $B$ example gradients $g_1, \dots, g_B$ are drawn independently,
#    each with mean $\nabla L$ and variance $\sigma^2$ (per coordinate), their
#    average has mean $\nabla L$ (unbiased) and variance
#    $\frac{1}{B^2}\sum_i \sigma^2 = \sigma^2/B$. Its typical error, the
#    standard deviation, is $\sigma/\sqrt B$: batch 100 is 10 times less noisy
#    than batch 1, and halving the noise takes four times the batch. In the
#    runs (least-squares loss 2.65e-3): batch 1 reaches the floor within the
#    first epoch but then jitters from epoch to epoch, 2-13% above it
#    (2.7e-3 to 3.0e-3); batch 10 settles smoothly within 0.2% of it; batch
#    100 is the least noisy but after 5 epochs has made only 25 steps and is
#    still far away (loss 0.94), so per epoch the small batches win and per
#    step the large one is cleanest.
# 2. Near the minimum the full gradient is almost zero, but a minibatch
#    gradient is not: it still carries the noise $\sigma/\sqrt B$, and each
#    step of size $\eta$ times that noise pushes the parameters away again.
#    With a constant $\eta$ the parameters keep wandering in a region around
#    the minimum whose size grows with $\eta$ and shrinks with $B$, so the
#    loss stays above the least-squares loss. Remedies: decay the learning
#    rate over the epochs (a schedule, for example divide it by 10 each
#    epoch near the end); increase the batch size late in training; or
#    average the parameters of the last steps (iterate averaging).
# 3. On a GPU, batch 100: a step on 100 examples costs about as much time as
#    a step on 1, because the 100 rows are processed in parallel by one
#    matrix product, so an epoch takes about 100 times fewer, equally cheap
#    steps, and each step is 10 times less noisy. Batch 1 makes more progress
#    per example read, which matters only when examples (not steps) are the
#    scarce resource, for example on a CPU with very little data per step.
