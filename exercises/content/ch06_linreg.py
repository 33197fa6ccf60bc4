# %% [markdown]
# # Chapter 6 exercises: linear regression
#
# You will write the loss of linear regression, derive its gradients by hand
# and check them against the tape, and then write a training loop that reaches
# a target loss.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.
#
# The data: 200 examples with 2 features each, labels
# $y = X w + b + \text{noise}$ with $w = (2, -3.4)$, $b = 4.2$ and a small
# Gaussian noise. It is made with a seeded NumPy generator, so it is the same
# every time.

# %%
import d2l_core as d2l
import numpy as np

rng = np.random.default_rng(0)
true_w, true_b = np.array([2.0, -3.4]), 4.2
features_np = rng.normal(size=(200, 2)).astype(np.float32)
labels_np = (features_np @ true_w + true_b + rng.normal(scale=0.01, size=200)).astype(np.float32)

X = d2l.constant(features_np)   # shape (200, 2)
y = d2l.constant(labels_np)     # shape (200,)


def linreg(X, w, b):
    """The linear model: X has shape (n, d), w (d, 1), b (1,); the result (n, 1)."""
    return d2l.matmul(X, w) + b

# %% [markdown]
# ## Question 1: the loss, with care for shapes (4 points)
#
# Write `squared_loss(y_hat, y)`, the mean over the examples of
# $\frac{1}{2}(\hat y_i - y_i)^2$, as a scalar `float32` tensor.
#
# Careful: `linreg` returns predictions of shape `(n, 1)`, but `y` above has
# shape `(n,)`. Your function must give the right value whether each of
# `y_hat` and `y` has shape `(n,)` or `(n, 1)`. (What would `y_hat - y` be for
# shapes `(n, 1)` and `(n,)`?)

# %% solution q1
def squared_loss(y_hat, y):
    ### BEGIN SOLUTION
    y_hat = d2l.reshape(y_hat, (-1,))
    y = d2l.reshape(y, (-1,))
    return 0.5 * d2l.reduce_mean(d2l.square(y_hat - y))
    ### END SOLUTION

# %% tests q1_tests points=4
check = d2l.check('q1', 'squared_loss')
loss = squared_loss(d2l.constant([1., 2., 3.]), d2l.constant([1., 0., 5.]))
check.equal(loss.shape, (), 'the loss is a scalar', hint='take the mean over all examples')
check.close(loss, 4. / 3., 'loss of [1, 2, 3] against [1, 0, 5]', hint='mean of 0.5 * (y_hat - y)**2')
### BEGIN HIDDEN TESTS
check.hidden()
y_hat_col = d2l.constant([[1.], [2.], [3.]])
check.close(squared_loss(y_hat_col, d2l.constant([1., 0., 5.])), 4. / 3., 'y_hat (3, 1) against y (3,)',
            hint='(3, 1) - (3,) broadcasts to (3, 3): reshape first')
check.close(squared_loss(d2l.constant([1., 2., 3.]), d2l.constant([[1.], [0.], [5.]])), 4. / 3.,
            'y_hat (3,) against y (3, 1)')
check.close(squared_loss(d2l.constant([[2.]]), d2l.constant([4.])), 2., 'a single example')
w0, b0 = d2l.constant([[2.], [-3.4]]), d2l.constant([4.2])
check.true(float(squared_loss(linreg(X, w0, b0), y)) < 1e-4, 'the true parameters give a tiny loss on the data')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: gradients by hand, with NumPy (5 points: 3 for `dw`, 2 for `db`)
#
# Take the loss $L(w, b) = \frac{1}{n}\sum_i \frac{1}{2}(x_i^\top w + b - y_i)^2$.
# Derive $\partial L / \partial w$ and $\partial L / \partial b$ on paper, then
# write `numpy_grads(X, y, w, b)` computing them **with NumPy only**: `X` is a
# NumPy array of shape `(n, d)`, `y` of shape `(n,)`, `w` of shape `(d,)` and
# `b` a float. Return the pair `(dw, db)`: `dw` a NumPy array of shape `(d,)`
# and `db` a float. The test compares your formulas with the tape.

# %% solution q2
def numpy_grads(X, y, w, b):
    ### BEGIN SOLUTION
    residual = X @ w + b - y
    return X.T @ residual / len(y), float(residual.mean())
    ### END SOLUTION

# %% tests q2a_tests points=3


def tape_grads(X_np, y_np, w_np, b_np):
    """The same gradients from the tape, to compare with."""
    w, b = d2l.Variable(w_np.astype(np.float32)), d2l.Variable(np.float32(b_np))
    with d2l.GradientTape() as tape:
        residual = d2l.reduce_sum(d2l.constant(X_np) * w, axis=1) + b - d2l.constant(y_np)
        loss = 0.5 * d2l.reduce_mean(d2l.square(residual))
    dw, db = tape.gradient(loss, [w, b])
    return dw.numpy(), float(db)


check = d2l.check('q2a', 'numpy_grads: dw')
w_try, b_try = np.array([0.5, -1.], dtype=np.float32), 0.3
dw, db = numpy_grads(features_np, labels_np, w_try, b_try)
check.equal(np.shape(dw), (2,), 'shape of dw', hint='one partial derivative per weight')
expected_dw, expected_db = tape_grads(features_np, labels_np, w_try, b_try)
check.close(dw, expected_dw, 'dw agrees with the tape', rtol=1e-4, atol=1e-5,
            hint='the chain rule gives X^T (Xw + b - y) / n')
### BEGIN HIDDEN TESTS
check.hidden()
gen = np.random.default_rng(7)
X3, y3, w3 = gen.normal(size=(5, 3)), gen.normal(size=5), gen.normal(size=3)
dw, db = numpy_grads(X3, y3, w3, -1.5)
expected_dw, expected_db = tape_grads(X3.astype(np.float32), y3.astype(np.float32), w3, -1.5)
check.close(dw, expected_dw, 'dw for 5 examples with 3 features', rtol=1e-4, atol=1e-5)
dw, db = numpy_grads(np.array([[2.]]), np.array([1.]), np.array([3.]), 0.)
check.close(dw, [10.], 'dw for a single example')
check.avoids(numpy_grads, ['d2l', 'GradientTape', 'tape_grads'], 'numpy_grads uses NumPy only',
             hint='the point is to derive the formula, not to ask the tape')
### END HIDDEN TESTS
check.done()

# %% tests q2b_tests points=2
check = d2l.check('q2b', 'numpy_grads: db')
dw, db = numpy_grads(features_np, labels_np, w_try, b_try)
expected_dw, expected_db = tape_grads(features_np, labels_np, w_try, b_try)
check.true(isinstance(db, float), 'db is a float', actual=type(db).__name__, hint='float(...) of a NumPy number')
check.close(db, expected_db, 'db agrees with the tape', rtol=1e-4, atol=1e-5)
### BEGIN HIDDEN TESTS
check.hidden()
gen = np.random.default_rng(7)
X3, y3, w3 = gen.normal(size=(5, 3)), gen.normal(size=5), gen.normal(size=3)
dw, db = numpy_grads(X3, y3, w3, -1.5)
expected_dw, expected_db = tape_grads(X3.astype(np.float32), y3.astype(np.float32), w3, -1.5)
check.close(db, expected_db, 'db for 5 examples with 3 features', rtol=1e-4, atol=1e-5)
check.close(numpy_grads(np.array([[2.]]), np.array([1.]), np.array([3.]), 0.)[1], 5., 'db for a single example')
check.avoids(numpy_grads, ['d2l', 'GradientTape', 'tape_grads'], 'numpy_grads uses NumPy only')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: a training loop that reaches a target (7 points)
#
# Write `train(X, y, lr, num_epochs, batch_size)` that fits `linreg` to the
# data with minibatch stochastic gradient descent:
#
# * start from `w = d2l.Variable(d2l.zeros((d, 1)))` and
#   `b = d2l.Variable(d2l.zeros((1,)))`, where `d` is the number of features;
# * in each epoch go through the examples **in order** in minibatches of
#   `batch_size` rows (the last one may be smaller); for each minibatch compute
#   `squared_loss` under a `d2l.GradientTape` and update `w` and `b` with a
#   `d2l.keras.optimizers.SGD(learning_rate=lr)` optimizer;
# * after each epoch, append the loss on the **whole** data set, as a Python
#   float, to a list `losses`.
#
# Return `(w, b, losses)`. With `lr=0.03`, `num_epochs=10` and
# `batch_size=10`, the final loss must be below `1e-3`. The point is the loop:
# a closed-form answer (least squares) or a list of losses that the training
# did not produce does not count.

# %% solution q3
def train(X, y, lr=0.03, num_epochs=10, batch_size=10):
    ### BEGIN SOLUTION
    n, d = X.shape
    w = d2l.Variable(d2l.zeros((d, 1)))
    b = d2l.Variable(d2l.zeros((1,)))
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = []
    for epoch in range(num_epochs):
        for start in range(0, n, batch_size):
            X_batch, y_batch = X[start:start + batch_size], y[start:start + batch_size]
            with d2l.GradientTape() as tape:
                loss = squared_loss(linreg(X_batch, w, b), y_batch)
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
        losses.append(float(squared_loss(linreg(X, w, b), y)))
    return w, b, losses
    ### END SOLUTION

# %% tests q3_tests points=7
check = d2l.check('q3', 'train')
w, b, losses = train(X, y, lr=0.03, num_epochs=10, batch_size=10)
check.equal(len(losses), 10, 'one loss per epoch')
check.true(all(isinstance(v, float) for v in losses), 'the losses are Python floats', hint='use float(loss)')
check.true(losses[-1] < 1e-3, 'the final loss is below 1e-3', actual=losses[-1],
           hint='compute the loss inside the tape and apply the gradients to [w, b] after each minibatch')
check.close(d2l.reshape(w, (-1,)), true_w, 'w is close to the true weights', atol=0.05)
### BEGIN HIDDEN TESTS
check.hidden()
check.close(b, [true_b], 'b is close to the true bias', atol=0.05)
check.true(losses[0] > losses[-1], 'the loss went down', actual=losses)
gen = np.random.default_rng(11)
X3 = gen.normal(size=(50, 3)).astype(np.float32)
y3 = (X3 @ np.array([1., 0., -2.]) - 1.).astype(np.float32)
w3, b3, losses3 = train(d2l.constant(X3), d2l.constant(y3), lr=0.1, num_epochs=20, batch_size=16)
check.equal(w3.shape, (3, 1), 'w for 3 features has shape (3, 1)')
check.true(losses3[-1] < 1e-3, 'another data set: 3 features, 50 examples, batches of 16', actual=losses3[-1],
           hint='the last minibatch of an epoch may be smaller than batch_size')
w_again, b_again, losses_again = train(X, y, lr=0.03, num_epochs=10, batch_size=10)
check.close(losses_again, losses, 'two runs give the same losses', hint='start from zeros and go in order')
check.true(isinstance(w, d2l.Variable) and isinstance(b, d2l.Variable), 'w and b are the trained Variables')
check.close(losses[-1], float(squared_loss(linreg(X, w, b), y)), 'the last loss is the loss of the returned w and b',
            rtol=1e-4, atol=1e-7)


def _reference_losses(X, y, lr, num_epochs, batch_size):
    n, d = X.shape
    w, b = np.zeros(d), 0.
    Xn, yn, out = X.numpy().astype(np.float64), y.numpy().astype(np.float64), []
    for _ in range(num_epochs):
        for s in range(0, n, batch_size):
            r = Xn[s:s + batch_size] @ w + b - yn[s:s + batch_size]
            w, b = w - lr * Xn[s:s + batch_size].T @ r / len(r), b - lr * r.mean()
        out.append(0.5 * np.mean((Xn @ w + b - yn) ** 2))
    return out


check.close(losses[:3], _reference_losses(X, y, 0.03, 3, 10), 'the first epochs follow minibatch SGD',
            rtol=2e-2, atol=1e-6, hint='the losses must come from your training loop')
check.avoids(train, ['lstsq', 'solve', 'pinv', 'inv'], 'train trains: no closed-form solution')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: learning rates (4 points, graded by hand)
#
# Use the cell below to train with `lr` set to `0.003`, `0.03` and `3.0`
# (plot or print `losses`). Describe each loss curve in a sentence, and explain
# with the update rule $w \leftarrow w - \eta \nabla L$ why a learning rate that
# is too small and one that is too large both fail to reach a small loss in 10
# epochs.
#
# **Rubric (4 points):** 1 for each of the three curves described from your own
# run (0.003: slow, steady, still high; 0.03: fast, flat near the noise floor;
# 3.0: grows to inf/nan); 1 for the explanation with the update rule (steps
# proportional to eta: too small moves too little in 10 epochs, too large
# overshoots the minimum by more each step).

# %% scratch
# Try learning rates here, for example:
# for lr in [0.003, 0.03, 3.0]:
#     print(lr, train(X, y, lr=lr, num_epochs=10, batch_size=10)[2])

# %% [markdown] written q4 points=4
# With 0.003 the loss falls slowly and steadily and is still far from its
# minimum after 10 epochs: each step moves the weights by only a small fraction
# of the gradient. With 0.03 it drops fast and flattens near the noise level
# (about 5e-5). With 3.0 the loss explodes to inf and nan: each step overshoots
# the minimum, lands where the gradient is larger, and the next step
# overshoots further (for this quadratic loss, a step is stable only if eta is
# below 2 divided by the largest curvature).
