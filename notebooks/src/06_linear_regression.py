# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 6. Linear regression
#
# Chapter 5 computed gradients; now we use them to **learn**. The simplest model
# that learns from data is a straight line: given noisy points, find the slope
# and the intercept that fit them best. It is worth doing carefully, because
# every network in this course trains the same way: a model with parameters, a
# loss that scores them, gradients of the loss, and small steps downhill.
#
# We train the line twice. First **from scratch**, with derivatives worked out
# on paper and computed with NumPy loops. Then with the engine: a
# `GradientTape` finds the derivatives and an optimizer takes the steps. Both
# give the same numbers, which is the best way to trust the second.
#
# **After this chapter you will be able to**
#
# * write down the linear model, the mean squared error and its gradient, and the gradient-descent update rule;
# * implement gradient descent with hand-derived gradients in plain NumPy;
# * train the same model with `d2l.GradientTape` and `optimizer.apply_gradients`, and say what `zip(grads, variables)` builds;
# * read a loss curve on a logarithmic axis, and tell a run that converges from one that diverges;
# * explain why the scale of the loss and the learning rate must be chosen together.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 6.1 The model and the data
#
# A **linear model** with one input $x$ predicts
#
# $$\hat y = w x + b,$$
#
# with two parameters: the weight (slope) $w$ and the bias (intercept) $b$.
# To have something to learn, we make up data from a line we know,
# $y = 1.477\,x + 0.089$, and add a little Gaussian noise
# $\epsilon \sim \mathcal{N}(0, 0.1^2)$ to every point, as real measurements
# have. Training must then recover $w \approx 1.477$ and $b \approx 0.089$
# from the 100 noisy points alone.
#
# The loop below is written the plain way, one point at a time. Seeding
# NumPy's random generator first makes the "random" points the same on every
# run and every machine:

# %%
np.random.seed(0)
data = []                                   # the samples, as [x, y] pairs
for i in range(100):                        # draw 100 points
    x = np.random.uniform(-10., 10.)        # an input in [-10, 10]
    eps = np.random.normal(0., 0.1)         # Gaussian noise, standard deviation 0.1
    y = 1.477 * x + 0.089 + eps             # the true line plus noise
    data.append([x, y])
data = np.array(data)                       # a 2-D NumPy array: one row per point
print(data.shape)
print(data[:3])


# %% [markdown]
# ## 6.2 The loss: mean squared error
#
# How good is a guess $(w, b)$? For each point the model is off by
# $w x_i + b - y_i$. Squaring makes every error count as positive and punishes
# big misses more than small ones; averaging over the $n$ points gives the
# **mean squared error** (MSE):
#
# $$\mathcal{L}(w, b) = \frac{1}{n} \sum_{i=1}^{n} \big(w x_i + b - y_i\big)^2 .$$
#
# Learning means finding the $(w, b)$ that make $\mathcal{L}$ small. Written
# as a loop over the points:

# %%
def mse(b, w, points):
    # the mean squared error of the line w*x + b on all points
    totalError = 0
    for i in range(0, len(points)):     # loop over every point
        x = points[i, 0]                # the input of point i
        y = points[i, 1]                # the output of point i
        totalError += (y - (w * x + b)) ** 2    # add the squared error
    return totalError / float(len(points))     # the mean over all points


# %% [markdown]
# At the start, $w = b = 0$, the line is flat and the loss is large. At the true
# parameters it is not zero but close to $0.01$: the noise has variance
# $0.1^2 = 0.01$, and no straight line can predict noise. That is the floor
# training can reach.

# %%
print(mse(0, 0, data))
print(mse(0.089, 1.477, data))


# %% [markdown]
# ## 6.3 Gradients by hand, and the update rule
#
# The loss is a smooth bowl over the $(w, b)$ plane, and its gradient points
# uphill. Differentiating $\mathcal{L}$ with the chain rule, one point at a
# time:
#
# $$\frac{\partial \mathcal{L}}{\partial w} = \frac{2}{n} \sum_{i=1}^{n} \big(w x_i + b - y_i\big)\, x_i,
# \qquad
# \frac{\partial \mathcal{L}}{\partial b} = \frac{2}{n} \sum_{i=1}^{n} \big(w x_i + b - y_i\big).$$
#
# **Gradient descent** takes a small step *against* the gradient, scaled by
# the **learning rate** $\eta$:
#
# $$w \leftarrow w - \eta\, \frac{\partial \mathcal{L}}{\partial w}, \qquad
# b \leftarrow b - \eta\, \frac{\partial \mathcal{L}}{\partial b}.$$
#
# Near the current point the loss falls fastest in that direction, so for a
# small enough $\eta$ each step lowers it. `step_gradient` computes both sums
# and takes one step:

# %%
def step_gradient(b_current, w_current, points, lr):
    # the gradient of the loss over all points, then one update of w and b
    b_gradient = 0
    w_gradient = 0
    M = float(len(points))      # the number of points
    for i in range(0, len(points)):
        x = points[i, 0]
        y = points[i, 1]
        # dL/db: (2/M) * (w*x + b - y), summed over the points
        b_gradient += (2/M) * ((w_current * x + b_current) - y)
        # dL/dw: (2/M) * x * (w*x + b - y), summed over the points
        w_gradient += (2/M) * x * ((w_current * x + b_current) - y)
    # the gradient-descent update, with learning rate lr
    new_b = b_current - (lr * b_gradient)
    new_w = w_current - (lr * w_gradient)
    return [new_b, new_w]


# %% [markdown]
# Training repeats that step. `gradient_descent` also computes the loss after
# every step, to watch progress, and prints it every 50 steps:

# %%
def gradient_descent(points, starting_b, starting_w, lr, num_iterations):
    # update w and b num_iterations times
    b = starting_b      # the initial b
    w = starting_w      # the initial w
    for step in range(num_iterations):
        # compute the gradient and update once
        b, w = step_gradient(b, w, np.array(points), lr)
        loss = mse(b, w, points)    # the current loss, to monitor training
        if step%50 == 0:            # print the loss and the current w, b
            print(f"iteration:{step}, loss:{loss}, w:{w}, b:{b}")
    return [b, w]                   # the final b and w


# %% [markdown]
# The driver starts from $w = b = 0$ and takes 1000 steps with $\eta = 0.01$.
# (In the notes this program comes from, `main` unpacks
# `[b, w], losses = gradient_descent(...)`, but `gradient_descent` returns only
# `[b, w]`, so that line would fail with a `TypeError`. We unpack just the two
# numbers; section 6.4 records the losses separately.)

# %%
def main():
    lr = 0.01               # the learning rate
    initial_b = 0           # start from b = 0
    initial_w = 0           # and w = 0
    num_iterations = 1000
    # 1000 steps of gradient descent give the fitted w and b
    [b, w] = gradient_descent(data, initial_b, initial_w, lr, num_iterations)
    loss = mse(b, w, data)  # the loss at the fitted w and b
    print(f'Final loss:{loss}, w:{w}, b:{b}')
    return b, w

b_np, w_np = main()


# %% [markdown]
# The loss drops from about 64 at $w = b = 0$ to the noise floor within some
# 50 steps, and the fit is $w \approx 1.48$, $b \approx 0.09$: the line we hid
# in the data, up to the noise. (The fitted loss, 0.00917, is even a little
# below that of the true line, 0.00954: with only 100 points, a line can
# follow a bit of the noise.) Notice that $w$ settles almost at once while $b$
# creeps up for hundreds of steps. The inputs range over $[-10, 10]$, so the
# loss is far more sensitive to $w$ (its gradient is multiplied by $x_i$)
# than to $b$; one learning rate must suit both, and $b$ gets the slow end of
# the deal.
#
# ## 6.4 The same computation, vectorised
#
# The loops state the formulas one point at a time, which makes them easy to
# check against the maths, but Python loops are slow. With whole NumPy arrays
# each sum becomes one `np.mean`. This version also keeps the loss after every
# step, for the plots below:

# %%
def gradient_descent_vectorised(points, lr, num_iterations):
    x, y = points[:, 0], points[:, 1]
    b, w = 0.0, 0.0
    losses = []
    for step in range(num_iterations):
        err = w * x + b - y                     # the error of every point at once
        b, w = b - lr * 2 * np.mean(err), w - lr * 2 * np.mean(err * x)
        losses.append(np.mean((w * x + b - y) ** 2))
    return b, w, losses

b_vec, w_vec, losses_numpy = gradient_descent_vectorised(data, 0.01, 1000)
print(np.isclose(w_vec, w_np), np.isclose(b_vec, b_np))

# %% [markdown]
# ## 6.5 Let the tape find the gradients
#
# Deriving gradients by hand works for a line, but not for a network with
# millions of parameters. The engine's version of the same training loop has
# three parts, and only the first is about the model:
#
# 1. compute the loss under a `d2l.GradientTape`, which records the operations;
# 2. `tape.gradient(loss, variables)` returns one gradient per Variable;
# 3. `optimizer.apply_gradients(...)` updates every Variable in place. Plain
#    `SGD` applies exactly the rule $w \leftarrow w - \eta\, \partial\mathcal{L}/\partial w$.
#
# First the data must become tensors. `data` holds float64 numbers (NumPy's
# default), while `d2l.Variable(0.)` is float32 (the engine's default, as in
# TensorFlow). Like TensorFlow, the engine never converts dtypes silently, so
# mixing the two is an error, with a message that names the fix (the cell is
# meant to fail):

# %% tags=["raises-exception"]
X = d2l.constant(data[:, 0])
a = d2l.Variable(initial_value=0.)
print(X.dtype, a.dtype)
a * X

# %% [markdown]
# So we convert to float32 first. Now the training loop. The model is
# `a * X + b`: `a` is the slope and `b` the intercept, both Variables starting at
# 0. The loss is the same mean squared error, with the same learning rate and the
# same 1000 steps as the NumPy version. We also record the loss and the two
# parameters after every step, for the plots in section 6.6:

# %%
X = d2l.constant(data[:, 0].astype(np.float32))
y = d2l.constant(data[:, 1].astype(np.float32))

a = d2l.Variable(initial_value=0.)
b = d2l.Variable(initial_value=0.)
variables = [a, b]

num_epoch = 1000
optimizer = d2l.keras.optimizers.SGD(learning_rate=1e-2)
losses_tape, params = [], []
for e in range(num_epoch):
    # record the computation of the loss on the tape
    with d2l.GradientTape() as tape:
        y_pred = a * X + b
        loss = d2l.reduce_mean(d2l.square(y_pred - y))
    # the tape computes the gradient of the loss with respect to each variable
    grads = tape.gradient(loss, variables)
    # the optimizer updates each variable with its gradient
    optimizer.apply_gradients(grads_and_vars=zip(grads, variables))
    losses_tape.append(float(d2l.reduce_mean(d2l.square(a * X + b - y))))
    params.append((a.numpy(), b.numpy()))

print(a, b)

# %% [markdown]
# `apply_gradients` wants pairs: `(gradient of a, a)`, `(gradient of b, b)`.
# `tape.gradient` gave the list `grads = [grad_a, grad_b]`, in the order of
# `variables = [a, b]`, and Python's built-in `zip` pairs up two lists element
# by element, like the teeth of a zipper. It returns a lazy iterator; `list()`
# shows what it produces:

# %%
print(list(zip([1, 3, 5], [2, 4, 6])))
print(list(zip(grads, variables))[0])

# %% [markdown]
# Did the tape compute the gradients we derived by hand? The two runs started
# from the same point and took the same steps, so they should end at the same
# parameters, up to rounding: the engine computes in float32 (about 7
# significant digits), NumPy in float64 (about 16).

# %%
print(f'NumPy, by hand:       w = {w_np:.6f}, b = {b_np:.6f}')
print(f'GradientTape + SGD:   w = {a.numpy():.6f}, b = {b.numpy():.6f}')
print(np.allclose([a.numpy(), b.numpy()], [w_np, b_np], atol=1e-4))

# %% [markdown]
# ## 6.6 Loss curves, the landscape, and the residuals
#
# A **loss curve**, the loss after each step, is the first thing to look at
# when training anything. The loss falls by three orders of magnitude here, so
# the left plot uses a logarithmic $y$ axis, and a logarithmic step axis too,
# to spread out the first few steps where most of the change happens. The two
# curves lie on top of each other.
#
# Where does training end? Not at the true line (the noise moved the best fit a
# little) but at the **least-squares solution** $(w^*, b^*)$, the parameters with
# the smallest loss on these 100 points, which `np.polyfit` computes directly.
# The right plot shows how far each parameter still is from it, $|w - w^*|$ and
# $|b - b^*|$, on a logarithmic axis: a straight falling line there means the
# distance shrinks by the same factor every step.

# %%
w_star, b_star = np.polyfit(data[:, 0], data[:, 1], deg=1)    # the least-squares line
w_hist, b_hist = np.array(params).T                           # the tape run's parameters
print(f'least squares: w* = {w_star:.4f}, b* = {b_star:.4f}')

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
steps = np.arange(1, num_epoch + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3))
d2l.plot.plot_curves(steps, {'NumPy, gradients by hand': losses_numpy,
                             'GradientTape + SGD': losses_tape},
                     'step', 'loss (MSE)', logy=True, ax=ax1,
                     title='Two ways, one trajectory')
ax1.set_xscale('log')
d2l.plot.plot_curves(steps, {'|w - w*|': np.abs(w_hist - w_star), '|b - b*|': np.abs(b_hist - b_star)},
                     'step', 'distance to the least-squares fit', logy=True, ax=ax2,
                     title='w arrives at once, b slowly')
plt.show()

# %% [markdown]
# The loss falls steeply for about five steps, while $w$ jumps from 0 to within
# $10^{-3}$ of $w^*$, then sits on a floor at about $0.01$: the noise, which no
# line can remove. The right plot shows what the loss curve hides: $b$ approaches
# $b^*$ on a straight line in the log plot, by the same small factor per step, for
# some 600 steps, until both distances stop at about $10^{-7}$, float32's
# rounding for numbers of this size. ($w$'s last digits follow $b$: the best
# slope for a slightly wrong intercept is slightly wrong too.) Being off by $0.01$
# in $b$ adds only $0.01^2 = 0.0001$ to the loss, too little to see on the left.
# A flat loss curve says the *loss* stopped improving, not that every parameter
# has arrived.
#
# Why does $b$ lag? The **loss landscape**, the loss as a function of both
# parameters, shows it. Its contour lines are long thin ellipses: the loss
# curves about 33 times more steeply along $w$ than along $b$ (its second
# derivatives are $2\,\overline{x^2} \approx 67$ and $2$, where
# $\overline{x^2} \approx 10^2/3$ is the mean of $x_i^2$ for inputs spread over
# $[-10, 10]$). One learning rate must be small enough for the steep direction,
# so it is tiny for the flat one. Gradient descent goes downhill across the
# contours: the path drops to the valley floor in $w$ within a few steps and then
# crawls along the floor in $b$:

# %%
ws, bs = np.meshgrid(np.linspace(-0.2, 2.0, 221), np.linspace(-0.25, 0.35, 121))
x_data, y_data = data[:, 0], data[:, 1]
landscape = ((ws[..., None] * x_data + bs[..., None] - y_data) ** 2).mean(axis=-1)
fig, ax = plt.subplots(figsize=(7, 3.8))
levels = [0.012, 0.02, 0.04, 0.08, 0.5, 2, 8, 32]
contours = ax.contour(ws, bs, landscape, levels=levels, colors='0.45', linewidths=1)
ax.clabel(contours, fmt='%g', fontsize=7)
path = np.array([(0., 0.)] + [(w, b) for w, b in params])
ax.plot(path[:, 0], path[:, 1], '.-', color='C3', ms=3, lw=1, label='gradient descent, 1000 steps')
ax.plot(path[[0, 1, 2, 5], 0], path[[0, 1, 2, 5], 1], 'o', color='C3', ms=5)
ax.plot(w_star, b_star, '*', color='k', ms=12, label='least squares (w*, b*)')
ax.set_xlabel('w (slope)')
ax.set_ylabel('b (intercept)')
ax.set_title('The loss landscape and the path of gradient descent')
ax.legend(loc='lower left', fontsize=8)
plt.show()

# %% [markdown]
# Contours are labelled with the loss. The big dots are the start and steps 1, 2 and 5: the first step alone takes
# $w$ most of the way. Chapter 7 meets the same shape again with several
# features, where rescaling the inputs makes the ellipses rounder.
#
# Finally, the fitted line against the data (left). With $y$ ranging over
# $\pm 15$, the noise of size $0.1$ is invisible there. The **residuals**
# $y_i - \hat y_i$ (right) magnify exactly what the line leaves over: a
# featureless band of width about $\pm 0.2$ (two standard deviations of the
# noise) around 0, with no trend in $x$. A curve or a funnel in a residual plot
# would say the model misses something; this one says that a line is all there
# is to learn.

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3))
ax1.scatter(x_data, y_data, s=10, label='data')
xs = np.array([-10., 10.])
ax1.plot(xs, a.numpy() * xs + b.numpy(), color='C1',
         label=f'fit: y = {a.numpy():.3f} x + {b.numpy():.3f}')
ax1.set_xlabel('x')
ax1.set_ylabel('y')
ax1.set_title('The fit')
ax1.legend()
ax1.grid(True, alpha=0.3)
residuals = y_data - (a.numpy() * x_data + b.numpy())
ax2.scatter(x_data, residuals, s=10, color='C2')
ax2.axhline(0, color='k', lw=1)
ax2.axhspan(-0.2, 0.2, color='C2', alpha=0.1, label='±2 noise standard deviations')
ax2.set_xlabel('x')
ax2.set_ylabel('residual y - ŷ')
ax2.set_title('What the line leaves over')
ax2.legend(loc='upper right', fontsize=8)
ax2.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# ## 6.7 The loss scale and the learning rate go together
#
# The notes this chapter follows wrote their training loop with a different
# loss, half the **sum** of squared errors, and a smaller learning rate:
#
# ```python
# loss = 0.5 * d2l.reduce_sum(d2l.square(y_pred - y))
# optimizer = d2l.keras.optimizers.SGD(learning_rate=1e-3)
# ```
#
# That looks like the safer choice. But the sum over 100 points is
# $n/2 = 50$ times half the mean, so its gradient is 50 times larger, and a step
# with $\eta = 10^{-3}$ on it moves as far as a step with $\eta = 0.05$ on the
# mean. Let us try both losses, each with a few learning rates, for 30 steps:

# %%
def fit(loss_fn, lr, num_epoch=30):
    a = d2l.Variable(0.)
    b = d2l.Variable(0.)
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = []
    for e in range(num_epoch):
        with d2l.GradientTape() as tape:
            loss = loss_fn(a * X + b - y)
        grads = tape.gradient(loss, [a, b])
        optimizer.apply_gradients(zip(grads, [a, b]))
        losses.append(float(d2l.reduce_mean(d2l.square(a * X + b - y))))
    return losses

def mean_loss(err):
    return d2l.reduce_mean(d2l.square(err))

def half_sum_loss(err):
    return 0.5 * d2l.reduce_sum(d2l.square(err))

runs = {'mean, lr = 0.01': fit(mean_loss, 0.01),
        'half sum, lr = 1e-3': fit(half_sum_loss, 1e-3),
        'half sum, lr = 1e-4': fit(half_sum_loss, 1e-4)}
for name, losses in runs.items():
    print(f'{name:20s} MSE after 30 steps: {losses[-1]:.3g}')

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
d2l.plot.plot_curves(np.arange(1, 31), runs, 'step', 'loss (MSE)', logy=True,
                     title='Same model, same data, different step sizes',
                     legend_loc='outside')
plt.show()

# %% [markdown]
# With the half-sum loss and $\eta = 10^{-3}$, the loss **grows** by a constant
# factor every step (a straight rising line on the log axis): training
# diverges. Each step overshoots the bottom of the
# bowl in $w$ and lands on the other side, higher than it started, and the next
# step overshoots further. With ten times smaller $\eta$ the same loss trains
# fine, since the effective step is then $0.005$ on the mean. The lesson
# generalises to every model in this course: a learning rate means nothing on
# its own, only together with how the loss is scaled. Averaging over the batch
# (the mean) keeps the gradient's size independent of how many examples you
# use, which is why Keras losses average by default.
#
# ## Summary
#
# * A linear model predicts $\hat y = w x + b$. The mean squared error
#   $\mathcal{L} = \frac{1}{n}\sum_i (w x_i + b - y_i)^2$ scores a choice of
#   $(w, b)$; its gradient is
#   $\big(\frac{2}{n}\sum_i (w x_i + b - y_i) x_i,\ \frac{2}{n}\sum_i (w x_i + b - y_i)\big)$.
# * Gradient descent repeats $\theta \leftarrow \theta - \eta \nabla_\theta \mathcal{L}$;
#   here 1000 steps recover $w \approx 1.477$, $b \approx 0.089$, and the loss
#   stops at the noise level, $0.01$.
# * With the engine: compute the loss under a `GradientTape`, call
#   `tape.gradient(loss, variables)`, then
#   `optimizer.apply_gradients(zip(grads, variables))`. It reproduces the
#   hand-derived run to float32 precision.
# * The engine does not mix float32 and float64: convert NumPy data with
#   `.astype(np.float32)` first.
# * Plot losses on a log axis. A falling straight line is steady progress, a
#   floor is the noise, a rising line is divergence: the step is too large for
#   how the loss is scaled.
#
# Chapter 7 makes this loop practical: it feeds the data in shuffled
# minibatches, fits several features at once in matrix form, and compares
# gradient descent with the exact least-squares solution. Chapter 11 brings the
# next chapters together in a network with over 200,000 parameters that reads
# handwritten digits.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch06_linreg/ch06_linreg.ipynb`](../exercises/learner/ch06_linreg/ch06_linreg.ipynb).
# Before you open them, answer these:
#
# 1. Derive $\partial \mathcal{L} / \partial w$ and $\partial \mathcal{L} / \partial b$
#    for the loss $\frac{1}{n}\sum_i \frac{1}{2}(w x_i + b - y_i)^2$. How do they
#    differ from the ones in section 6.3?
#    <details><summary>Answer</summary>
#
#    $\partial \mathcal{L}/\partial w = \frac{1}{n}\sum_i (w x_i + b - y_i)\,x_i$
#    and $\partial \mathcal{L}/\partial b = \frac{1}{n}\sum_i (w x_i + b - y_i)$:
#    the $\frac{1}{2}$ cancels the 2 of the square, so both are half of section
#    6.3's. The same step needs twice the learning rate.
#    </details>
# 2. If `y_pred` has shape `(100, 1)` and `y` has shape `(100,)`, what is the
#    shape of `y_pred - y`, and what would `reduce_mean` of its square compute?
#    <details><summary>Answer</summary>
#
#    `(100, 100)`, by broadcasting (chapter 3): every prediction minus every
#    target. Its mean square averages all 10,000 pairs, which is not the
#    MSE, and no error is raised. Reshape one of them first.
#    </details>
# 3. Why does the loss stop falling at about $0.01$? What floor would you expect
#    with noise of standard deviation $0.5$?
#    <details><summary>Answer</summary>
#
#    Even the true line misses each point by its noise, whose variance is
#    $0.1^2 = 0.01$; no line predicts noise. With $\sigma = 0.5$ the floor is
#    about $0.5^2 = 0.25$.
#    </details>
# 4. In section 6.7, why does a *smaller* learning rate diverge with the
#    half-sum loss when a larger one converges with the mean?
#    <details><summary>Answer</summary>
#
#    The half sum over 100 points is 50 times half the mean square, so its
#    gradient is 50 times larger: $\eta = 10^{-3}$ on it steps like
#    $\eta = 0.05$ on the mean, too far for inputs that reach $\pm 10$, so each
#    step overshoots more than the last.
#    </details>
# 5. Our loops use all 100 points for every step. How would you change the
#    tape version to update after every 10 points instead (minibatches)?
#    <details><summary>Answer</summary>
#
#    Each epoch, shuffle the indices, then loop over them 10 at a time:
#    compute the loss on `X[idx]`, `y[idx]` under the tape and call
#    `apply_gradients` once per batch (10 updates per epoch). Chapter 7 does
#    exactly this.
#    </details>
