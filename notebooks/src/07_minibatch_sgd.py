# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 7. Minibatch SGD and vectorised regression
#
# Chapter 6 fitted a line with one input, using all 100 points for every
# step. Real problems differ in two ways. Examples have **many features**
# (a house has a size, an age, a number of rooms, ...), so the model is
# written with vectors and matrices. And data sets are **large**: one step
# over a million examples is slow, and most of that work is wasted, because a
# few hundred randomly chosen examples already point roughly downhill. Taking
# many cheap steps on small random **minibatches** is how every network in
# this course (and nearly every network anywhere) is trained.
#
# Linear regression is the best place to study both, because it is the one
# model whose best parameters we can also compute exactly. Every run of
# gradient descent in this chapter can therefore be checked against the right
# answer.
#
# **After this chapter you will be able to**
#
# * write linear regression for $d$ features as $\hat{\mathbf y} = \mathbf X \mathbf w + b$, with its loss and gradient in matrix form and no Python loops;
# * solve it exactly with the normal equations (`d2l.linalg.solve`, `d2l.linalg.lstsq`) and check gradient descent against that solution;
# * draw a loss landscape with the path gradient descent takes on it, and explain from its shape why some directions converge slowly and why too large a learning rate diverges;
# * write a shuffling minibatch iterator by hand, and with `d2l.data.Dataset`;
# * say how the batch size changes the noise of the gradient and of the loss curve, and how the learning rate must go with it;
# * train the same model as a Keras `Dense` layer with `compile` and `fit`.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import time
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 7.1 Seed 001: the tape loop on five house prices
#
# The course's notes contain this training loop for the model
# $\hat y = a X + b$. The notes leave out where `X` and `y` come from; the
# TensorFlow tutorial they follow uses house prices for the years 2013 to 2017,
# each scaled to $[0, 1]$ by subtracting the smallest value and dividing by the
# range ("min-max normalisation"):

# %%
X_raw = np.array([2013, 2014, 2015, 2016, 2017], dtype=np.float32)
y_raw = np.array([12000, 14000, 15000, 16500, 17500], dtype=np.float32)
X = (X_raw - X_raw.min()) / (X_raw.max() - X_raw.min())
y = (y_raw - y_raw.min()) / (y_raw.max() - y_raw.min())
print(X)
print(y)

# %% [markdown]
# The loop itself, exactly as the notes write it: 10,000 steps of plain SGD
# with learning rate $10^{-3}$ on half the **sum** of squared errors.

# %%
X = d2l.constant(X)
y = d2l.constant(y)

a = d2l.Variable(initial_value=0.)
b = d2l.Variable(initial_value=0.)
variables = [a, b]

num_epoch = 10000
optimizer = d2l.keras.optimizers.SGD(learning_rate=1e-3)
for e in range(num_epoch):
    # record the computation of the loss on the tape
    with d2l.GradientTape() as tape:
        y_pred = a * X + b
        loss = 0.5 * d2l.reduce_sum(d2l.square(y_pred - y))
    # the tape computes the gradient of the loss with respect to each variable
    grads = tape.gradient(loss, variables)
    # the optimizer updates each variable with its gradient
    optimizer.apply_gradients(grads_and_vars=zip(grads, variables))

print(a, b)

# %% [markdown]
# Is $a \approx 0.976$, $b \approx 0.058$ the best line? For this small
# problem we can find out exactly, and section 7.3 will show how. The best
# line is $a^\star = 0.981818$, $b^\star = 0.054545$ (that is, $54/55$ and
# $3/55$). After 10,000 steps the loop is close, but not there: $a$ is still
# $0.0055$ short. Keep that gap in mind; section 7.4 explains it with a
# picture.
#
# ## 7.2 Many features: the model in matrix form
#
# With $d$ features, example $i$ is a row vector
# $\mathbf x_i = (x_{i1}, \dots, x_{id})$ and the model predicts
# $\hat y_i = \mathbf x_i \mathbf w + b = \sum_j x_{ij} w_j + b$. Stacking the
# $n$ examples as the rows of a **design matrix** $\mathbf X$ of shape
# $(n, d)$ gives all predictions at once:
#
# $$\hat{\mathbf y} = \mathbf X \mathbf w + b, \qquad
# \mathbf X \in \mathbb R^{n \times d},\ \mathbf w \in \mathbb R^{d \times 1},\ \hat{\mathbf y} \in \mathbb R^{n \times 1},$$
#
# where the scalar $b$ is broadcast to every row (chapter 3). The mean squared
# error is a squared norm,
#
# $$L(\mathbf w, b) = \frac{1}{n} \lVert \mathbf X \mathbf w + b - \mathbf y \rVert^2
# = \frac{1}{n} \sum_{i=1}^n (\mathbf x_i \mathbf w + b - y_i)^2 .$$
#
# Its gradient follows from chapter 6's formulas, one weight at a time:
# $\partial L / \partial w_j = \frac{2}{n} \sum_i (\mathbf x_i \mathbf w + b - y_i)\, x_{ij}$.
# The sum over $i$ of "residual times column $j$" is entry $j$ of
# $\mathbf X^\top \mathbf r$, where $\mathbf r = \mathbf X \mathbf w + b - \mathbf y$
# is the vector of residuals. So
#
# $$\nabla_{\mathbf w} L = \frac{2}{n} \mathbf X^\top \mathbf r, \qquad
# \frac{\partial L}{\partial b} = \frac{2}{n} \sum_i r_i .$$
#
# Two matrix products replace every loop. We make a data set with two
# features and known parameters, $\mathbf w = (2, -3.4)^\top$ and $b = 4.2$,
# plus a little noise, with a seeded NumPy generator (the same numbers on
# every run and under both engines):

# %%
rng = np.random.default_rng(0)
n, d = 1000, 2
true_w = np.array([[2.0], [-3.4]], dtype=np.float32)
true_b = 4.2
features = rng.normal(size=(n, d)).astype(np.float32)
labels = (features @ true_w + true_b + rng.normal(scale=0.01, size=(n, 1))).astype(np.float32)
X = d2l.constant(features)      # shape (1000, 2)
y = d2l.constant(labels)        # shape (1000, 1): a column, like the predictions
print(X.shape, y.shape)
print(X[:3].numpy(), y[:3].numpy(), sep='\n')


# %% [markdown]
# Keeping `y` as a column of shape `(n, 1)`, the shape of `X @ w`, avoids the
# trap of chapter 6's exercises: `(n, 1) - (n,)` broadcasts to `(n, n)`. The
# loss and its gradient, vectorised:

# %%
def linreg(X, w, b):
    return d2l.matmul(X, w) + b

def mse(X, y, w, b):
    return d2l.reduce_mean(d2l.square(linreg(X, w, b) - y))

def mse_grad(X, y, w, b):
    r = linreg(X, w, b) - y                                   # residuals, (n, 1)
    n = X.shape[0]
    return 2 / n * d2l.matmul(X, r, transpose_a=True), 2 / n * d2l.reduce_sum(r)

w0, b0 = d2l.constant([[1.0], [1.0]]), d2l.constant(0.5)
dw, db = mse_grad(X, y, w0, b0)
print(dw.numpy().ravel(), db.numpy())

# %% [markdown]
# As always, the tape is the referee for a hand-derived gradient:

# %%
w_var, b_var = d2l.Variable(w0), d2l.Variable(b0)
with d2l.GradientTape() as tape:
    loss = mse(X, y, w_var, b_var)
dw_tape, db_tape = tape.gradient(loss, [w_var, b_var])
print(np.allclose(dw, dw_tape, rtol=1e-5), np.allclose(db, db_tape, rtol=1e-5))

# %% [markdown]
# Why bother with matrices? Because one `matmul` does the $n d$
# multiplications in compiled code, while a Python loop pays the
# interpreter's overhead for every one of them. Here is the same gradient with
# a loop over the examples (timings depend on the machine):

# %% tags=["output-varies"]
# NBVAL_IGNORE_OUTPUT
def mse_grad_loop(X_np, y_np, w_np, b_np):
    dw, db = np.zeros((X_np.shape[1], 1)), 0.0
    for i in range(len(X_np)):
        r = float(X_np[i] @ w_np[:, 0]) + b_np - float(y_np[i, 0])
        dw[:, 0] += 2 / len(X_np) * r * X_np[i]
        db += 2 / len(X_np) * r
    return dw, db

start = time.perf_counter()
dw_loop, db_loop = mse_grad_loop(features, labels, w0.numpy(), 0.5)
t_loop = time.perf_counter() - start
start = time.perf_counter()
dw, db = mse_grad(X, y, w0, b0)
t_vec = time.perf_counter() - start
print(f'loop: {t_loop * 1e3:.2f} ms, matrix form: {t_vec * 1e3:.3f} ms, same answer: '
      f'{np.allclose(dw_loop, dw.numpy(), rtol=1e-4)}')

# %% [markdown]
# ## 7.3 The exact answer: the normal equations
#
# At the minimum of a smooth bowl the gradient is zero. Fold the bias into
# the weights by appending a column of ones to the data,
# $\tilde{\mathbf X} = [\mathbf X,\ \mathbf 1]$ and
# $\boldsymbol\theta = (\mathbf w; b)$, so that $\hat{\mathbf y} = \tilde{\mathbf X}\boldsymbol\theta$.
# Setting $\nabla_{\boldsymbol\theta} L = \frac{2}{n}\tilde{\mathbf X}^\top(\tilde{\mathbf X}\boldsymbol\theta - \mathbf y) = \mathbf 0$
# gives the **normal equations**
#
# $$\tilde{\mathbf X}^\top \tilde{\mathbf X}\, \boldsymbol\theta = \tilde{\mathbf X}^\top \mathbf y,$$
#
# a $(d+1) \times (d+1)$ linear system. When the columns of
# $\tilde{\mathbf X}$ are linearly independent its matrix is invertible and
# the solution is unique. `d2l.linalg.solve` solves it;
# `d2l.linalg.lstsq` minimises $\lVert \tilde{\mathbf X}\boldsymbol\theta - \mathbf y\rVert^2$
# directly (through a QR or Cholesky factorisation), which is more accurate
# when $\tilde{\mathbf X}^\top\tilde{\mathbf X}$ is close to singular:

# %%
X1 = d2l.concat([X, d2l.ones((n, 1))], axis=1)                # (1000, 3): [X, 1]
theta_solve = d2l.linalg.solve(d2l.matmul(X1, X1, transpose_a=True),
                               d2l.matmul(X1, y, transpose_a=True))
theta_lstsq = d2l.linalg.lstsq(X1, y)
print(theta_solve.numpy().ravel())
print(theta_lstsq.numpy().ravel())

# %% [markdown]
# Both give $\mathbf w \approx (2.000, -3.400)$, $b \approx 4.200$: the
# parameters we hid, up to the noise. Now gradient descent, with the
# vectorised gradient of section 7.2, all 1000 examples in every step:

# %%
def gradient_descent(X, y, lr, num_steps):
    w, b = d2l.zeros((X.shape[1], 1)), d2l.constant(0.)
    for step in range(num_steps):
        dw, db = mse_grad(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b

w_gd, b_gd = gradient_descent(X, y, lr=0.1, num_steps=100)
theta_gd = np.append(w_gd.numpy().ravel(), b_gd.numpy())
print('gradient descent:', theta_gd)
print('least squares:   ', theta_lstsq.numpy().ravel())
print('largest difference:', np.abs(theta_gd - theta_lstsq.numpy().ravel()).max())

# %% [markdown]
# The two answers agree to about $10^{-6}$, float32's rounding. If both can
# be had, why descend at all? Solving costs about $n d^2 + d^3$ operations and
# needs all data at once; for $d$ = millions of parameters (and for any model
# that is not linear, where no formula exists) it is out of the question.
# Gradient descent only ever needs a gradient. The exact solution is a luxury
# of linear models, and a good way to test the descent code.
#
# Back to seed 001. Its five points and `lstsq` give the numbers quoted in
# section 7.1:

# %%
X_seed = d2l.constant((X_raw - X_raw.min()) / (X_raw.max() - X_raw.min()))
y_seed = d2l.constant((y_raw - y_raw.min()) / (y_raw.max() - y_raw.min()))
X1_seed = d2l.stack([X_seed, d2l.ones(5)], axis=1)             # (5, 2): [x, 1]
a_star, b_star = d2l.linalg.lstsq(X1_seed, y_seed[:, None]).numpy().ravel()
print(f'least squares: a = {a_star:.6f}, b = {b_star:.6f}')
print(f'seed 001 loop: a = {a.numpy():.6f}, b = {b.numpy():.6f}')

# %% [markdown]
# ## 7.4 The loss landscape, and the path down it
#
# With two parameters, the loss is a surface over the $(a, b)$ plane, which
# we can draw as contour lines (lines of equal loss), like a map of a valley.
# We evaluate seed 001's loss on a grid of $(a, b)$ values with broadcasting,
# and rerun its loop, this time recording where it goes. We also run the same
# loop with two larger learning rates, for 100 and 50 steps.

# %%
def seed_loss(a, b):                      # a, b may be grids: broadcasting does the rest
    pred = a[..., None] * X_seed + b[..., None]
    return 0.5 * d2l.reduce_sum(d2l.square(pred - y_seed), axis=-1)

def seed_path(lr, num_steps):
    a, b = d2l.Variable(0.), d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    path = [(0., 0.)]
    for e in range(num_steps):
        with d2l.GradientTape() as tape:
            loss = 0.5 * d2l.reduce_sum(d2l.square(a * X_seed + b - y_seed))
        grads = tape.gradient(loss, [a, b])
        optimizer.apply_gradients(zip(grads, [a, b]))
        path.append((float(a.numpy()), float(b.numpy())))
    return np.array(path)

paths = {'lr = 0.001, 10,000 steps (seed 001)': seed_path(1e-3, 10000),
         'lr = 0.1, 100 steps': seed_path(0.1, 100),
         'lr = 0.3, 50 steps': seed_path(0.3, 50)}
for name, path in paths.items():
    print(f'{name:38s} ends at a = {path[-1, 0]:.6f}, b = {path[-1, 1]:.6f}')

# %%
A_grid, B_grid = np.meshgrid(np.linspace(-0.25, 1.5, 141), np.linspace(-0.35, 0.95, 105))
L_grid = seed_loss(d2l.constant(A_grid.astype(np.float32)),
                   d2l.constant(B_grid.astype(np.float32))).numpy()
fig, ax = plt.subplots(figsize=(7, 5))
levels = np.geomspace(0.002, 3, 16)
cs = ax.contour(A_grid, B_grid, L_grid, levels=levels, cmap='viridis', linewidths=0.8)
ax.clabel(cs, levels[::3], fmt='%.3g', fontsize=7)
for (name, path), style in zip(paths.items(), [dict(color='C3', lw=5, alpha=0.45),
                                               dict(color='C0', marker='.', ms=4, lw=1),
                                               dict(color='C1', marker='.', ms=3, lw=1)]):
    ax.plot(path[:, 0], path[:, 1], label=name, **style)
ax.plot(a_star, b_star, '*', color='k', ms=12, label='least squares')
ax.set_xlabel('a (slope)')
ax.set_ylabel('b (intercept)')
ax.set_title('Loss contours of seed 001, and three descent paths from (0, 0)')
ax.legend(loc='upper right', fontsize=8)
plt.show()

# %% [markdown]
# The contours are long, thin ellipses: a narrow valley running from upper
# left to lower right. Across the valley the loss rises steeply, along it
# only gently. The seed's loop (red) first slides almost straight down the
# steep wall, then turns and creeps along the flat valley floor towards the
# star, and after 10,000 steps it has not quite arrived.
#
# The shape explains the speed. This loss is a quadratic, with a constant
# second derivative (its **Hessian**)
# $\mathbf H = \begin{pmatrix} \sum x_i^2 & \sum x_i \\ \sum x_i & n \end{pmatrix}$.
# A gradient step multiplies the distance to the minimum, measured along
# each eigenvector of $\mathbf H$, by $1 - \eta\lambda$, where $\lambda$ is
# that eigenvalue (the curvature in that direction):

# %%
H = d2l.constant([[float(d2l.reduce_sum(X_seed ** 2)), float(d2l.reduce_sum(X_seed))],
                  [float(d2l.reduce_sum(X_seed)), 5.]])
lam = d2l.linalg.eigvalsh(H).numpy()
print('curvatures (eigenvalues of H):', lam)
print('factor per step with lr = 0.001:', 1 - 1e-3 * lam)
print('after 10,000 steps:', (1 - 1e-3 * lam) ** 10000)
print('largest stable learning rate, 2 / lambda_max:', 2 / lam.max())

# %% [markdown]
# Along the flat direction ($\lambda \approx 0.49$) each step with
# $\eta = 10^{-3}$ removes only $0.05\%$ of the remaining distance, and
# 10,000 steps leave $0.75\%$ of it: the $0.0055$ still missing in $a$.
# The cure is a larger learning rate. With $\eta = 0.1$ (blue) the flat
# direction's factor is $0.951$, and 100 steps get as close as the seed's
# 10,000 did. With $\eta = 0.3$ (orange) the steep
# direction's factor is $1 - 0.3 \cdot 6.39 \approx -0.92$: every step
# overshoots the valley floor and lands on the opposite wall, which is the
# zigzag in the picture; it converges only because $|{-0.92}| < 1$. Above
# $\eta = 2/\lambda_{\max} \approx 0.313$ the factor drops below $-1$, each
# zigzag is wider than the last, and training diverges (chapter 6, section
# 6.7). The learning rate is limited by the **steepest** direction, and
# progress is limited by the **flattest**: the ratio
# $\lambda_{\max}/\lambda_{\min}$ (here 13) measures how hard a problem is for
# gradient descent. Features on very different scales make that ratio large,
# which is one reason to normalise inputs, as the seed did.
#
# ## 7.5 Minibatches, and an iterator that shuffles
#
# Each step of gradient descent above read all $n$ examples. **Minibatch
# stochastic gradient descent** (SGD) instead takes each step on a small
# random subset $\mathcal B$ of the examples, a **minibatch**:
#
# $$\mathbf w \leftarrow \mathbf w - \frac{\eta}{|\mathcal B|} \sum_{i \in \mathcal B} \nabla_{\mathbf w}\, \ell_i(\mathbf w, b),$$
#
# where $\ell_i$ is example $i$'s loss. If the minibatch is drawn at random,
# its average gradient is an unbiased estimate of the full gradient: right on
# average, with some noise. One pass through all the examples is an
# **epoch**. The usual way to draw batches is to shuffle the order of the
# examples at the start of every epoch and cut it into consecutive pieces,
# so every example is used exactly once per epoch, in a new order each time.
# (Going through the data in a fixed order, sorted by date or by class, say,
# would give batches that are not random samples at all.)
#
# The iterator below shuffles the **indices** $0, \dots, n-1$ and gathers the
# rows of each batch with `d2l.gather`. A `yield` makes it a Python generator:
# a `for` loop asks it for one batch at a time, so no batch exists before it
# is needed. The last batch of an epoch is smaller when `batch_size` does not
# divide $n$. We draw the permutation with a seeded NumPy generator, which
# gives the same order under both engines:

# %%
def data_iter(batch_size, X, y, rng):
    n = X.shape[0]
    indices = rng.permutation(n)                     # 0..n-1 in a random order
    for start in range(0, n, batch_size):
        batch = indices[start:start + batch_size]
        yield d2l.gather(X, batch), d2l.gather(y, batch)

rng_demo = np.random.default_rng(1)
X_small, y_small = d2l.reshape(d2l.range(10.), (5, 2)), d2l.range(5)
for epoch in range(2):
    print(f'epoch {epoch}:', [yb.numpy().tolist() for _, yb in data_iter(2, X_small, y_small, rng_demo)])

# %% [markdown]
# Each epoch lists every example once, in a different order, and ends with a
# batch of one. The engine's own shuffle is `d2l.random.shuffle`, which
# permutes the first axis of a tensor; `d2l.random.shuffle(d2l.range(n))`
# would replace `rng.permutation(n)` above. It draws from the random state set
# by `d2l.random.set_seed`, and d2l_core and TensorFlow draw different numbers
# from the same seed, so the output of this cell differs between the engines:

# %% tags=["output-varies"]
d2l.random.set_seed(1)
print(d2l.random.shuffle(d2l.range(5)))
print(d2l.random.shuffle(y_small))

# %% [markdown]
# TensorFlow's way to feed data is `tf.data.Dataset` (here `d2l.data.Dataset`),
# a pipeline built by chaining steps: `from_tensor_slices` cuts the tensors
# into examples along their first axis, `shuffle(buffer_size)` shuffles them
# (with a buffer as large as the data set, that is a full shuffle, new every
# epoch), and `batch` groups consecutive examples. Chapter 11 uses it. It is
# random in the same way, so the order printed differs between the engines:

# %% tags=["output-varies"]
dataset = d2l.data.Dataset.from_tensor_slices((X_small, y_small)).shuffle(5, seed=1).batch(2)
for epoch in range(2):
    print(f'epoch {epoch}:', [yb.numpy().tolist() for _, yb in dataset])

# %% [markdown]
# ## 7.6 Training with minibatch SGD
#
# The training loop of chapter 6, with an inner loop over minibatches. The
# loss is the mean over the **batch**, so its gradient is the minibatch
# average of the update rule above. After each epoch we record the loss on
# the whole data set:

# %%
def train_sgd(X, y, lr, batch_size, num_epochs, seed=0):
    rng = np.random.default_rng(seed)
    w = d2l.Variable(d2l.zeros((X.shape[1], 1)))
    b = d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = [float(mse(X, y, w, b))]
    for epoch in range(num_epochs):
        for X_batch, y_batch in data_iter(batch_size, X, y, rng):
            with d2l.GradientTape() as tape:
                loss = mse(X_batch, y_batch, w, b)
            grads = tape.gradient(loss, [w, b])
            optimizer.apply_gradients(zip(grads, [w, b]))
        losses.append(float(mse(X, y, w, b)))
    return w, b, losses

w_sgd, b_sgd, losses_sgd = train_sgd(X, y, lr=0.03, batch_size=10, num_epochs=3)
print('loss after each epoch:', ', '.join(f'{v:.3g}' for v in losses_sgd))
print('minibatch SGD:', np.append(w_sgd.numpy().ravel(), b_sgd.numpy()))
print('least squares:', theta_lstsq.numpy().ravel())

# %% [markdown]
# Three epochs of batches of 10 (300 steps, each reading 10 examples) reach
# the noise floor, $0.01^2 = 10^{-4}$. Full-batch gradient descent needed
# about 100 steps, each reading all 1000 examples, so about 30 times as much
# work. SGD's answer is not exactly the least-squares one, though: it is
# off in the third or fourth decimal, and a different shuffle would land
# somewhere else nearby. Why, is the subject of the next section.
#
# ## 7.7 Batch size and noise
#
# A minibatch gradient is an average of $B = |\mathcal B|$ example gradients
# drawn at random. If the examples are drawn independently, the variance of
# an average of $B$ draws is the variance of one draw divided by $B$, so the
# typical error of the minibatch gradient shrinks like $1/\sqrt B$. Let us
# measure it: at a fixed point $(\mathbf w, b) = (\mathbf 0, 0)$, draw 200
# minibatches of each size (with replacement, for the clean $1/B$ law) and
# compare their gradients with the full one.

# %%
def grad_noise(batch_size, num_draws=200, seed=0):
    rng = np.random.default_rng(seed)
    w, b = d2l.zeros((d, 1)), d2l.constant(0.)
    dw_full, db_full = mse_grad(X, y, w, b)
    full = np.append(dw_full.numpy().ravel(), db_full.numpy())
    errors = []
    for _ in range(num_draws):
        batch = rng.integers(0, n, size=batch_size)
        dw, db = mse_grad(d2l.gather(X, batch), d2l.gather(y, batch), w, b)
        errors.append(np.sum((np.append(dw.numpy().ravel(), db.numpy()) - full) ** 2))
    return np.sqrt(np.mean(errors)), np.linalg.norm(full)

batch_sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
noise = [grad_noise(B)[0] for B in batch_sizes]
full_norm = grad_noise(1)[1]
print('size of the full gradient:', round(full_norm, 2))
print('typical error of a minibatch gradient:')
print('  '.join(f'B={B}: {e:.2f}' for B, e in zip(batch_sizes, noise)))

# %% [markdown]
# Now the effect on training: SGD with the same learning rate, $\eta = 0.03$,
# and batch sizes 1, 10, 100 and 1000 (full batch), recording the loss on the
# whole data set after every step for the first 300 steps. Near the end all
# losses are close to the least-squares minimum $L^\star$, so we look at the
# **excess loss** $L(\boldsymbol\theta) - L^\star$, how far each run still is
# from the best possible fit. Subtracting two nearly equal float32 losses
# would drown it in rounding error, but for least squares there is an exact
# formula (Pythagoras: the residual at $\boldsymbol\theta^\star$ is
# orthogonal to every column of $\tilde{\mathbf X}$, by the normal equations):
#
# $$L(\boldsymbol\theta) - L^\star = \tfrac1n \lVert \tilde{\mathbf X}(\boldsymbol\theta - \boldsymbol\theta^\star)\rVert^2,$$
#
# which we evaluate in float64 with NumPy.

# %%
def loss_per_step(batch_size, lr=0.03, num_steps=300, seed=0):
    rng = np.random.default_rng(seed)
    w = d2l.Variable(d2l.zeros((d, 1)))
    b = d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = []
    while len(losses) < num_steps:
        for X_batch, y_batch in data_iter(batch_size, X, y, rng):
            with d2l.GradientTape() as tape:
                loss = mse(X_batch, y_batch, w, b)
            optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
            theta = np.append(w.numpy().ravel(), b.numpy()).astype(np.float64)
            losses.append(np.mean((X1_np @ (theta - theta_star)) ** 2))   # the excess loss
            if len(losses) == num_steps:
                break
    return np.array(losses)

X1_np = X1.numpy().astype(np.float64)
theta_star = np.linalg.lstsq(X1_np, labels.astype(np.float64), rcond=None)[0].ravel()
curves = {f'batch size {B}': loss_per_step(B) for B in [1, 10, 100, 1000]}
for name, excess in curves.items():
    mean_excess = np.mean(excess[-100:])
    shown = '< 1e-10' if mean_excess < 1e-10 else f'{mean_excess:.1e}'
    print(f'{name:15s} mean excess loss over steps 201-300: {shown}')

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
ax1.loglog(batch_sizes, noise, 'o-', label='measured')
ax1.loglog(batch_sizes, noise[0] / np.sqrt(batch_sizes), 'k:', label=r'$\propto 1/\sqrt{B}$')
ax1.axhline(full_norm, color='C3', ls='--', lw=1, label='size of the full gradient')
ax1.set_xlabel('batch size B')
ax1.set_ylabel('RMS error of the minibatch gradient')
ax1.set_title('Gradient noise at w = 0, b = 0')
ax1.legend()
ax1.grid(True, which='both', alpha=0.3)
for name, excess in curves.items():
    ax2.semilogy(np.arange(1, 301), excess, label=name)
ax2.set_xlabel('step')
ax2.set_ylabel('excess loss  L - L* (all data)')
ax2.set_title('SGD with lr = 0.03: distance above the minimum')
ax2.legend(loc='lower left')
ax2.grid(True, alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# Left: the measured noise follows the $1/\sqrt B$ line. With one example
# per step the error is larger than the gradient itself, so single steps
# often point the wrong way; with 512 it is under a tenth of it. To halve the noise
# you must **quadruple** the batch.
#
# Right, per step: all four runs fall at about the same rate for the first
# 100 steps, because far from the minimum the true gradient is large and the
# noise hardly matters. Near the minimum the picture changes. Full-batch
# gradient descent keeps falling until float32 rounding stops it. The
# minibatch runs stop falling and jitter at a level that drops at least
# tenfold for every tenfold larger batch ($10^{-5}$, $10^{-6}$, $10^{-8}$ of excess
# loss for batches of 1, 10 and 100): near the minimum the true gradient is
# nearly zero, so each step is mostly noise, and with a constant learning rate
# the parameters keep wandering around the minimum, by an amount that grows
# with $\eta$ and shrinks with $B$. On the scale of the loss itself,
# $L^\star \approx 10^{-4}$, only batch 1's jitter is visible at all.
#
# Per **example read**, the order reverses: batch 1 made its 300 steps on
# 300 examples, less than a third of one epoch, while full batch read
# 300,000. That is the trade-off: small batches make more progress per
# example, large batches give better steps and use the hardware better (a
# GPU multiplies a $(512, d)$ matrix barely slower than a $(1, d)$ one,
# chapter 14). In practice batch sizes between 32 and 512 are usual.
#
# ## 7.8 Choosing the learning rate
#
# Three rules of thumb follow from this chapter and chapter 6:
#
# * **An upper limit from curvature.** Full-batch gradient descent on a
#   quadratic loss converges only if $\eta < 2/\lambda_{\max}$ (section 7.4).
#   For a network the curvature is not known in advance, so one tries
#   learning rates on a logarithmic grid ($0.3, 0.1, 0.03, \dots$) and keeps
#   the largest whose loss curve falls steadily.
# * **The scale of the loss matters** (section 6.7). A loss summed over the
#   batch has a gradient $B$ times larger than a mean, and needs a learning
#   rate $B$ times smaller. With the mean, the same $\eta$ works for any batch
#   size as far as stability is concerned.
# * **Noise sets a floor, and decay lowers it.** With a constant $\eta$, SGD
#   ends up jittering around the minimum. Lowering $\eta$ late in training
#   (a learning-rate *schedule*) or raising the batch size shrinks the jitter.
#   In the other direction, doubling the batch roughly allows doubling
#   $\eta$ for the same noise (the "linear scaling rule").
#
# A quick demonstration of the last point, with batches of one: the same 3
# epochs with $\eta = 0.03$, then with $\eta$ divided by 10 after each
# epoch.

# %%
def sgd_schedule(lrs, batch_size=1, seed=0):
    rng = np.random.default_rng(seed)
    w = d2l.Variable(d2l.zeros((d, 1)))
    b = d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lrs[0])
    for lr in lrs:
        optimizer.learning_rate = lr
        for X_batch, y_batch in data_iter(batch_size, X, y, rng):
            with d2l.GradientTape() as tape:
                loss = mse(X_batch, y_batch, w, b)
            optimizer.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
    return float(mse(X, y, w, b))

print(f'constant lr 0.03:        final loss {sgd_schedule([0.03, 0.03, 0.03]):.3e}')
print(f'lr 0.03, 0.003, 0.0003:  final loss {sgd_schedule([0.03, 0.003, 0.0003]):.3e}')
print(f'least squares:           final loss {float(mse(X, y, theta_lstsq[:2], theta_lstsq[2])):.3e}')

# %% [markdown]
# With the constant rate, batches of one end 4% above the least-squares loss;
# with the decaying rate the steps of the last epochs are too small to be
# thrown around by the noise, and the loss ends within 0.1% of the minimum.
#
# ## 7.9 The same model as a Keras `Dense` layer
#
# A layer that computes $\mathbf X \mathbf W + \mathbf b$ is exactly what
# `d2l.keras.layers.Dense(units)` is (chapter 11 stacks three of them).
# `Dense(1)` is our linear regression: it creates its kernel $\mathbf W$ of
# shape $(d, 1)$ and its bias of shape $(1,)$ the first time it sees data.
# We start both at zero, as before. `compile` names the optimizer and the
# loss, and `fit` runs the loop we wrote by hand: it shuffles the examples
# every epoch, cuts them into batches, and applies the optimizer's updates.
# Keras's `'mse'` is our `mse`, the mean over the batch. `fit` returns a
# `History` whose `.history['loss']` holds the average training loss of each
# epoch.
#
# `fit` shuffles with the engine's own random state, which
# `d2l.keras.utils.set_random_seed` fixes; d2l_core and TensorFlow draw
# different orders from the same seed, so the losses in the history differ a
# little between the engines, but the fitted parameters agree to the digits
# printed below.

# %%
d2l.keras.utils.set_random_seed(0)
model = d2l.keras.Sequential([d2l.keras.layers.Dense(1, kernel_initializer='zeros')])
model.compile(optimizer=d2l.keras.optimizers.SGD(learning_rate=0.03), loss='mse')
history = model.fit(X, y, batch_size=10, epochs=3, verbose=0)

# %%
kernel, bias = model.layers[0].get_weights()
print('kernel shape', kernel.shape, 'bias shape', bias.shape)
print('Dense(1):     ', np.round(np.append(kernel.ravel(), bias), 3))
print('least squares:', np.round(theta_lstsq.numpy().ravel(), 3))
print('loss on all data below 2e-4:', float(mse(X, y, kernel, bias)) < 2e-4)

# %% [markdown]
# Ten lines of hand-written loop became three. The model can also predict,
# with `model(X)` or `model.predict(X)`:

# %%
print(model(X[:3]).numpy().ravel().round(2))
print(y[:3].numpy().ravel().round(2))

# %% [markdown]
# ## Summary
#
# * With $d$ features, linear regression is $\hat{\mathbf y} = \mathbf X\mathbf w + b$,
#   its loss $\frac1n\lVert\mathbf X\mathbf w + b - \mathbf y\rVert^2$ and its
#   gradient $\frac2n\mathbf X^\top\mathbf r$: matrix products, no loops.
#   Keep `y` the shape of the predictions, `(n, 1)`.
# * The **normal equations** $\tilde{\mathbf X}^\top\tilde{\mathbf X}\boldsymbol\theta = \tilde{\mathbf X}^\top\mathbf y$
#   give the exact minimiser (`d2l.linalg.solve`, or better `d2l.linalg.lstsq`);
#   gradient descent reaches the same answer, and the exact one is a test for it.
# * Seed 001's loop runs as written and approaches least squares
#   ($a = 0.976$ against $0.982$); along the flat direction of its valley each
#   step removes only $0.05\%$ of the error.
# * On a quadratic loss, each step multiplies the error along an eigenvector of
#   the Hessian by $1 - \eta\lambda$: $\eta < 2/\lambda_{\max}$ for stability,
#   and the flattest direction sets the pace.
# * Minibatch SGD shuffles every epoch and steps on small batches. The noise
#   of a minibatch gradient falls like $1/\sqrt B$; small batches progress more
#   per example, large batches make cleaner steps. With a constant learning
#   rate SGD jitters around the minimum; decaying $\eta$ settles it.
# * `d2l.data.Dataset.from_tensor_slices(...).shuffle(n).batch(B)` is the
#   pipeline version of the iterator; `Dense(1)` with `compile` and `fit` is
#   the whole chapter's model and loop in three lines.
#
# ## Check yourself
#
# 1. `X` has shape `(64, 5)`. What are the shapes of `w`, of `X @ w`, and of
#    $\mathbf X^\top\mathbf r$? What goes wrong if `y` has shape `(64,)`?
#
#    <details><summary>Answer</summary>
#
#    `w` is `(5, 1)`, `X @ w` is `(64, 1)`, and $\mathbf X^\top\mathbf r$ is
#    `(5, 1)`, the shape of `w`, as a gradient must be. With `y` of shape
#    `(64,)`, `X @ w - y` broadcasts `(64, 1)` against `(64,)` to `(64, 64)`,
#    and the loss silently averages 4096 meaningless differences. Reshape `y`
#    to `(64, 1)` (or the predictions to `(64,)`).
#    </details>
#
# 2. Derive the normal equations for the model without a bias,
#    $\hat{\mathbf y} = \mathbf X\mathbf w$. When do they fail to have a
#    unique solution?
#
#    <details><summary>Answer</summary>
#
#    $L = \frac1n\lVert\mathbf X\mathbf w - \mathbf y\rVert^2$ has gradient
#    $\frac2n\mathbf X^\top(\mathbf X\mathbf w - \mathbf y)$; setting it to
#    zero gives $\mathbf X^\top\mathbf X\mathbf w = \mathbf X^\top\mathbf y$.
#    The solution is unique exactly when $\mathbf X^\top\mathbf X$ is
#    invertible, that is, when the columns of $\mathbf X$ are linearly
#    independent: not when two features are copies (or multiples) of each
#    other, nor when there are fewer examples than features.
#    </details>
#
# 3. In section 7.4, the seed's loop would need how many steps to bring the
#    remaining error along the flat direction below $10^{-6}$ of its start?
#    And what learning rate would be fastest while still safe?
#
#    <details><summary>Answer</summary>
#
#    Each step multiplies it by $1 - 10^{-3}\cdot 0.4895$, so it takes
#    $\ln 10^{-6} / \ln(1 - 0.0004895) \approx 28{,}000$ steps. The rate must
#    stay below $2/\lambda_{\max} \approx 0.313$; the best compromise for a
#    quadratic makes both directions shrink equally fast,
#    $\eta = 2/(\lambda_{\min} + \lambda_{\max}) \approx 0.29$, where both
#    factors are about $\pm 0.86$.
#    </details>
#
# 4. Why must an iterator shuffle, and why again every epoch? What would
#    happen if the data were sorted by label?
#
#    <details><summary>Answer</summary>
#
#    SGD's step is an unbiased estimate of the full gradient only if the
#    minibatch is a random sample. Sorted data gives batches that all come
#    from one region or one label, so the parameters are dragged towards
#    whatever the current batches contain, and the epoch ends fitted to the
#    last part of the data. Reshuffling each epoch keeps the batches
#    different from epoch to epoch, so their errors do not repeat in the same
#    pattern.
#    </details>
#
# 5. You increase the batch size from 32 to 128 and keep everything else.
#    How does the noise of each step change, and how many steps does one
#    epoch take now?
#
#    <details><summary>Answer</summary>
#
#    The standard deviation of the minibatch gradient halves
#    ($\sqrt{128/32} = 2$), and an epoch takes a quarter as many steps. With
#    the same $\eta$ each epoch therefore makes fewer, cleaner steps; to keep
#    the progress per epoch similar one usually raises $\eta$ (roughly in
#    proportion to the batch size, within the stability limit).
#    </details>
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch07_minibatch/ch07_minibatch.ipynb`](../exercises/learner/ch07_minibatch/ch07_minibatch.ipynb):
# a shuffling iterator, the loss and gradient without loops, minibatch SGD
# that must reach the least-squares answer, and a written question on batch
# size and noise.
