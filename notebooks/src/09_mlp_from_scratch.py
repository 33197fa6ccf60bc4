# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 9. Multilayer perceptrons from scratch
#
# Chapters 6 to 8 trained **linear** models: the prediction is a weighted sum
# of the inputs, passed at most through a softmax at the end. Such a model
# splits the input space with straight lines (planes, in more dimensions).
# Much of the world is not split that way: whether a pixel belongs to a
# digit's loop, or whether a point lies inside a circle, is not a weighted sum
# of the coordinates. This chapter adds the missing ingredient, a **hidden
# layer** followed by a **nonlinear activation function**, and builds the
# result, a *multilayer perceptron* (MLP), by hand from Variables and the
# tape, exactly as a `Dense` layer does inside.
#
# **After this chapter you will be able to**
#
# * show with a product of weight matrices why stacking linear layers without an activation is still one linear layer;
# * write ReLU, sigmoid, tanh, leaky ReLU, ELU, softplus, GELU and swish, and get their derivatives from the tape;
# * build and train a one-hidden-layer MLP from `d2l.Variable`s with a hand-written SGD update, and draw its decision boundary;
# * explain why all-equal initial weights never learn (symmetry) and what Glorot and He initialisation keep constant;
# * measure vanishing gradients layer by layer, and say why ReLU suffers less from them than sigmoid.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 9.1 When a straight line is not enough
#
# Here is a data set no straight line can separate: 400 points in the plane,
# in two noisy rings. Class 0 lies on a circle of radius 1, class 1 on a
# circle of radius 2 around it. The label depends only on the distance from
# the centre, $\sqrt{x_1^2 + x_2^2}$, and that is not a weighted sum of $x_1$
# and $x_2$. A seeded NumPy generator makes the points, so they are the same
# on every run:

# %%
def make_rings(n, rng):
    """n points on two noisy rings: (n, 2) float32 features, int32 labels 0 or 1."""
    labels = rng.integers(0, 2, size=n)
    radius = np.where(labels == 0, 1.0, 2.0) + rng.normal(scale=0.2, size=n)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1)
    return points.astype(np.float32), labels.astype(np.int32)


rng = np.random.default_rng(0)
X_np, y_np = make_rings(400, rng)
X, y = d2l.constant(X_np), d2l.constant(y_np)
print(X.shape, X.dtype, y.shape, y.dtype)
print('examples per class:', np.bincount(y_np))

# %%
fig, ax = plt.subplots(figsize=(4, 4))
for c, marker in [(0, 'o'), (1, 's')]:
    ax.scatter(X_np[y_np == c, 0], X_np[y_np == c, 1], s=10, marker=marker, label=f'class {c}')
ax.set_xlabel('$x_1$')
ax.set_ylabel('$x_2$')
ax.set_aspect('equal')
ax.set_title('Two rings')
ax.legend(loc='upper left', bbox_to_anchor=(1.0, 1.0))
plt.show()

# %% [markdown]
# Let us try the model of chapter 8 anyway: softmax regression, with logits
# $\mathbf{o} = \mathbf{x} W + \mathbf{b}$ for the two classes ($W$ is
# $2 \times 2$) and the cross-entropy loss. We write the training loop by hand,
# as we will for the MLP: compute the loss under a tape, ask for the
# gradients, and take a step $\theta \leftarrow \theta - \eta\, \nabla_\theta
# \mathcal{L}$ with `assign_sub`, which subtracts in place. (`SGD` from chapter
# 6 does exactly this; here we see every step.)

# %%
def cross_entropy(logits, labels):
    """The mean cross-entropy of integer labels under the softmax of the logits."""
    return d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def accuracy(logits, labels):
    """The fraction of rows whose largest logit is at the label."""
    predicted = d2l.argmax(logits, axis=1, output_type=d2l.int32)
    return float(d2l.reduce_mean(d2l.cast(predicted == labels, d2l.float32)))


def train(forward, params, X, y, lr, num_epochs):
    """Full-batch gradient descent on the cross-entropy; returns the loss of every epoch."""
    losses = []
    for epoch in range(num_epochs):
        with d2l.GradientTape() as tape:
            loss = cross_entropy(forward(X), y)
        grads = tape.gradient(loss, params)
        for param, grad in zip(params, grads):
            param.assign_sub(lr * grad)          # the SGD step, by hand
        losses.append(float(loss))
    return losses


rng = np.random.default_rng(1)
W = d2l.Variable(rng.normal(scale=0.1, size=(2, 2)).astype(np.float32))
b = d2l.Variable(d2l.zeros(2))


def linear(X):
    return d2l.matmul(X, W) + b


linear_losses = train(linear, [W, b], X, y, lr=0.5, num_epochs=300)
print(f'linear model: loss {linear_losses[-1]:.3f}, accuracy {accuracy(linear(X), y):.3f}')

# %% [markdown]
# The loss stays near $\ln 2 \approx 0.693$, the loss of a coin toss, and the
# accuracy, 0.553, is exactly the share of class 1 (221 of the 400 points):
# the model has learned only to say "class 1" everywhere. More epochs will not help:
# every line through the plane has points of both rings on both sides. We will
# draw the line it found in section 9.4, beside the MLP's boundary.
#
# ## 9.2 Stacking linear layers is still linear
#
# The obvious fix is more layers: compute a *hidden* representation
# $\mathbf{h} = \mathbf{x} W_1 + \mathbf{b}_1$ with, say, 8 numbers, then the
# logits $\mathbf{o} = \mathbf{h} W_2 + \mathbf{b}_2$. But substitute one into
# the other:
#
# $$\mathbf{o} = (\mathbf{x} W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2
#   = \mathbf{x}\, \underbrace{W_1 W_2}_{W} + \underbrace{\mathbf{b}_1 W_2 + \mathbf{b}_2}_{\mathbf{b}}.$$
#
# Two linear layers are one linear layer, with weight $W = W_1 W_2$ and bias
# $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$; so are ten. Let us check it
# numerically with random weights:

# %%
rng = np.random.default_rng(2)
W1 = d2l.constant(rng.normal(size=(2, 8)).astype(np.float32))
b1 = d2l.constant(rng.normal(size=8).astype(np.float32))
W2 = d2l.constant(rng.normal(size=(8, 2)).astype(np.float32))
b2 = d2l.constant(rng.normal(size=2).astype(np.float32))

two_layers = d2l.matmul(d2l.matmul(X, W1) + b1, W2) + b2
W_merged = d2l.matmul(W1, W2)                      # shape (2, 2)
b_merged = d2l.matmul(b1[None, :], W2)[0] + b2     # shape (2,)
one_layer = d2l.matmul(X, W_merged) + b_merged
print('merged weight shape:', W_merged.shape)
print('largest difference:', float(d2l.reduce_max(d2l.abs(two_layers - one_layer))))

# %% [markdown]
# The two computations agree to float32 rounding. The hidden layer bought
# nothing: whatever $W_1, W_2$ we train, the model can only represent what a
# single $2 \times 2$ matrix represents. (It can even represent *less*: if the
# hidden layer were narrower than the input, $W_1 W_2$ would have low rank.)
#
# The fix is to bend the hidden values before the next layer uses them: apply
# a nonlinear function $\sigma$ to each of them,
#
# $$\mathbf{h} = \sigma(\mathbf{x} W_1 + \mathbf{b}_1), \qquad \mathbf{o} = \mathbf{h} W_2 + \mathbf{b}_2 .$$
#
# Now the substitution no longer collapses, because
# $\sigma(\mathbf{x} W_1 + \mathbf{b}_1) W_2$ is not of the form
# $\mathbf{x} W$. That $\sigma$ is the **activation function**.
#
# ## 9.3 Activation functions and their derivatives
#
# Any nonlinear function would break the collapse, but training needs its
# derivative at every step, so we want functions that are cheap and whose
# derivative does not vanish where the values live. The classic choices, as
# TensorFlow names them:
#
# * **ReLU**, the rectified linear unit: $\operatorname{relu}(x) = \max(x, 0)$. Its derivative is 0 for $x < 0$ and 1 for $x > 0$ (TensorFlow uses 0 at $x = 0$).
# * **sigmoid**: $\sigma(x) = 1 / (1 + e^{-x})$, squashing into $(0, 1)$, with $\sigma'(x) = \sigma(x)(1 - \sigma(x)) \le 1/4$.
# * **tanh**: $\tanh(x) = (1 - e^{-2x}) / (1 + e^{-2x})$, squashing into $(-1, 1)$, with $\tanh'(x) = 1 - \tanh^2(x) \le 1$.
# * **leaky ReLU**: $x$ for $x > 0$ and $\alpha x$ otherwise, so that negative inputs keep a small slope $\alpha$ (here $0.1$).
# * **ELU**: $x$ for $x > 0$ and $e^x - 1$ otherwise: smooth on the left, and it saturates at $-1$.
# * **softplus**: $\ln(1 + e^x)$, a smooth ReLU whose derivative is exactly the sigmoid.
# * **GELU** (used in Transformers): $x\,\Phi(x)$ with $\Phi$ the standard normal CDF; we write the usual tanh approximation $\frac{x}{2}\big(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715\,x^3))\big)$.
# * **swish**, also called SiLU: $x\, \sigma(x)$.
#
# The first six are in `d2l.nn` (and `d2l.keras.activations`) under
# TensorFlow's names. The engine has no `gelu` or `swish` yet, so we write those
# two from elementary ops; in TensorFlow you could also call
# `tf.nn.gelu(x, approximate=True)` and `tf.nn.silu(x)`. Written by hand, they
# run unchanged on both:

# %%
def gelu(x):
    return 0.5 * x * (1.0 + d2l.tanh(np.sqrt(2 / np.pi).astype(np.float32) * (x + 0.044715 * x ** 3)))


def swish(x):
    return x * d2l.nn.sigmoid(x)


activations = {
    'ReLU': d2l.nn.relu,
    'sigmoid': d2l.nn.sigmoid,
    'tanh': d2l.nn.tanh,
    'leaky ReLU (0.1)': lambda x: d2l.nn.leaky_relu(x, alpha=0.1),
    'ELU': d2l.nn.elu,
    'softplus': d2l.nn.softplus,
    'GELU': gelu,
    'swish': swish,
}

# %% [markdown]
# We do not derive the derivatives by hand: the tape does it. The input is a
# constant, so the tape must be told to `watch` it. The output `y` is a vector,
# and `tape.gradient(y, x)` differentiates the *sum* of its entries; since
# $y_i$ depends only on $x_i$, the $i$-th entry of that gradient is exactly
# $\sigma'(x_i)$, the elementwise derivative:

# %%
x = d2l.constant(np.linspace(-4, 4, 161, dtype=np.float32))
values, derivatives = {}, {}
for name, f in activations.items():
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y_act = f(x)
    values[name] = y_act.numpy()
    derivatives[name] = tape.gradient(y_act, x).numpy()

at = [0, 60, 80, 100, 160]                 # x = -4, -1, 0, 1, 4
print('x:', x.numpy()[at])
for name in activations:
    print(f'{name:>17s}\'(x):', np.round(derivatives[name][at], 4))

# %% [markdown]
# A few numbers to check against the formulas: ReLU's derivative is exactly 0
# or 1 (and 0 at $x = 0$, TensorFlow's convention); the sigmoid's peaks at
# $1/4$ at 0; tanh's peaks at 1; softplus's derivative at $x$ equals the
# sigmoid at $x$ (compare the rows). The full picture, functions on top and
# their tape-computed derivatives below:

# %%
fig, axes = plt.subplots(2, 4, figsize=(12, 5), sharex=True)
groups = [['ReLU', 'leaky ReLU (0.1)'], ['sigmoid', 'tanh'], ['ELU', 'softplus'], ['GELU', 'swish']]
for col, names in enumerate(groups):
    for name in names:
        axes[0, col].plot(x.numpy(), values[name], label=name)
        axes[1, col].plot(x.numpy(), derivatives[name], label=name)
    axes[0, col].set_title(' and '.join(names))
    axes[1, col].set_xlabel('x')
    axes[0, col].legend(loc='upper left', fontsize=8)
    for ax in axes[:, col]:
        ax.grid(True, alpha=0.3)
        ax.axhline(0, color='k', lw=0.5)
axes[0, 0].set_ylabel('activation f(x)')
axes[1, 0].set_ylabel("derivative f'(x), by the tape")
fig.suptitle('Activation functions and their derivatives')
fig.tight_layout()
plt.show()

# %% [markdown]
# Two shapes of derivative stand out. Sigmoid and tanh **saturate**: far from
# 0 their derivative is almost 0, so a unit whose input is large learns almost
# nothing, and, as section 9.6 shows, a product of many derivatives below 1
# vanishes. ReLU's derivative is exactly 1 for every positive input, which is
# why it became the default in deep networks; its weakness is the flat left
# half (a unit that is negative for every input gets no gradient and "dies"),
# which leaky ReLU, ELU, GELU and swish soften with a small slope or a smooth
# dip on the left.
#
# ## 9.4 A multilayer perceptron from scratch
#
# Now the MLP for the rings: 2 inputs, a hidden layer of 16 ReLU units, and 2
# output logits,
#
# $$\mathbf{h} = \operatorname{relu}(X W_1 + \mathbf{b}_1) \in \mathbb{R}^{n \times 16}, \qquad
# O = \mathbf{h} W_2 + \mathbf{b}_2 \in \mathbb{R}^{n \times 2}.$$
#
# Its parameters are four Variables: $W_1$ is $2 \times 16$, $\mathbf{b}_1$ has
# 16 entries, $W_2$ is $16 \times 2$ and $\mathbf{b}_2$ has 2, so
# $32 + 16 + 32 + 2 = 82$ numbers in all. The weights start random (section
# 9.5 says why, and why at this scale), the biases at zero:

# %%
num_inputs, num_hidden, num_outputs = 2, 16, 2
rng = np.random.default_rng(1)
W1 = d2l.Variable(rng.normal(scale=np.sqrt(2 / num_inputs), size=(num_inputs, num_hidden)).astype(np.float32))
b1 = d2l.Variable(d2l.zeros(num_hidden))
W2 = d2l.Variable(rng.normal(scale=np.sqrt(2 / num_hidden), size=(num_hidden, num_outputs)).astype(np.float32))
b2 = d2l.Variable(d2l.zeros(num_outputs))
params = [W1, b1, W2, b2]
print('parameters:', sum(int(np.prod(p.shape)) for p in params))


def mlp(X):
    H = d2l.nn.relu(d2l.matmul(X, W1) + b1)    # the hidden layer: linear, then ReLU
    return d2l.matmul(H, W2) + b2               # the output layer: logits


# %% [markdown]
# The training loop is the same `train` as for the linear model, with the same
# learning rate and number of epochs; only the forward function and the list of
# Variables changed:

# %%
mlp_losses = train(mlp, params, X, y, lr=0.5, num_epochs=300)
print(f'MLP: loss {mlp_losses[-1]:.3f}, accuracy {accuracy(mlp(X), y):.3f}')

# %% [markdown]
# Accuracy on the points it was trained on says little by itself (chapter 10
# is about that), so we draw 400 fresh points from the same rings and check
# both models there too:

# %%
X_new_np, y_new_np = make_rings(400, np.random.default_rng(100))
X_new, y_new = d2l.constant(X_new_np), d2l.constant(y_new_np)
print(f'fresh points: linear {accuracy(linear(X_new), y_new):.3f}, MLP {accuracy(mlp(X_new), y_new):.3f}')

# %% [markdown]
# To see *what* each model learned, we evaluate it on a fine grid of points
# covering the plane and colour each grid point by the probability of class 1,
# the softmax of the logits. The black line is where both classes are equally
# likely: the **decision boundary**. On the right, the two loss curves:

# %%
g1, g2 = np.meshgrid(np.linspace(-3, 3, 121), np.linspace(-3, 3, 121))
grid = d2l.constant(np.stack([g1.ravel(), g2.ravel()], axis=1).astype(np.float32))

fig, axes = plt.subplots(1, 3, figsize=(14, 4.2), layout='constrained')
for ax, (name, model) in zip(axes, [('linear model', linear), ('MLP, 16 ReLU units', mlp)]):
    prob = d2l.nn.softmax(model(grid))[:, 1].numpy().reshape(g1.shape)
    image = ax.contourf(g1, g2, prob, levels=np.linspace(0, 1, 11), cmap='coolwarm', alpha=0.6)
    ax.contour(g1, g2, prob, levels=[0.5], colors='k')
    ax.scatter(X_np[:, 0], X_np[:, 1], c=y_np, cmap='coolwarm', s=6, edgecolors='k', linewidths=0.2)
    ax.set_title(f'{name}: accuracy {accuracy(model(X), y):.2f}')
    ax.set_xlabel('$x_1$')
    ax.set_ylabel('$x_2$')
    ax.set_aspect('equal')
fig.colorbar(image, ax=axes[1], label='P(class 1)', shrink=0.9)
axes[2].plot(linear_losses, label='linear model')
axes[2].plot(mlp_losses, label='MLP')
axes[2].axhline(np.log(2), color='gray', ls=':', label='ln 2 (guessing)')
axes[2].set_yscale('log')
axes[2].set_xlabel('epoch')
axes[2].set_ylabel('cross-entropy (training)')
axes[2].set_title('Training loss')
axes[2].legend()
plt.show()

# %% [markdown]
# The linear model found no useful line at all: its probability of class 1
# is a nearly flat 0.5 to 0.6 over the whole plane, so it calls every point
# class 1, the larger class, and its boundary lies outside the picture. That
# is the best a straight line can do here. The MLP's boundary closes
# around the inner ring. Look closely and it is a polygon: each ReLU unit is
# linear on either side of one line $\mathbf{x} \mathbf{w}_j + b_j = 0$ in the
# plane, so the MLP is *piecewise* linear, with at most 16 such lines to bend
# along. More hidden units allow more pieces; with enough of them, one hidden
# layer can approximate any continuous function on a bounded region (the
# *universal approximation theorem*). That says nothing about how many units
# it takes or whether training finds them, which is why practice prefers
# deeper networks to ever wider ones.
#
# This is all a `d2l.keras.layers.Dense(16, activation='relu')` layer does: it
# holds a kernel and a bias Variable and computes
# `relu(matmul(x, kernel) + bias)`. Chapter 11 uses it.
#
# ## 9.5 Initialisation
#
# Why random weights? Try starting every weight at the **same** value. Then
# every hidden unit computes the same function of the input, every one
# receives the same gradient, every one takes the same step, and they stay
# identical forever: 16 units that behave as one. This is called the
# **symmetry** problem. We train the same MLP with all weights 0.1:

# %%
def make_mlp(W1, b1, W2, b2):
    def forward(X):
        return d2l.matmul(d2l.nn.relu(d2l.matmul(X, W1) + b1), W2) + b2
    return forward


S1 = d2l.Variable(d2l.fill((2, 16), 0.1))
c1 = d2l.Variable(d2l.zeros(16))
S2 = d2l.Variable(d2l.fill((16, 2), 0.1))
c2 = d2l.Variable(d2l.zeros(2))
same_start = make_mlp(S1, c1, S2, c2)
train(same_start, [S1, c1, S2, c2], X, y, lr=0.5, num_epochs=300)
W1_trained = S1.numpy()
print('W1 changed by training:', not np.allclose(W1_trained, 0.1))
print('largest difference between two columns of W1:', float(np.ptp(W1_trained, axis=1).max()))
print(f'accuracy: {accuracy(same_start(X), y):.3f}')

# %% [markdown]
# Training did change $W_1$, but after 300 epochs its 16 columns are still one
# column repeated, exactly: the
# network has one effective hidden unit, and it reaches only 62 % accuracy,
# against 99 % for 16 distinct units. (All zeros is worse still: with $W_1 = W_2 = 0$, every
# ReLU input is 0, so no gradient reaches $W_1$ or $W_2$ at all.) Random
# initial weights break the symmetry.
#
# **The scale matters too.** Each layer multiplies its input by a weight
# matrix. If a unit sums $n_\text{in}$ inputs of variance $v$ with independent
# weights of variance $s^2$, its output has variance about $n_\text{in}\,
# s^2 v$. Over many layers this factor compounds: with
# $n_\text{in}\, s^2 < 1$ the signal shrinks to nothing, with
# $n_\text{in}\, s^2 > 1$ it blows up (or, through tanh or sigmoid,
# saturates, where the derivatives vanish). Two rules keep it near 1:
#
# * **Glorot** (Xavier) initialisation, for tanh and sigmoid:
#   $s^2 = 2 / (n_\text{in} + n_\text{out})$, a compromise between keeping the
#   forward signal and the backward gradient steady. Keras's `Dense` uses it by
#   default, as `glorot_uniform`: uniform on $[-a, a]$ with
#   $a = \sqrt{6 / (n_\text{in} + n_\text{out})}$.
# * **He** initialisation, for ReLU: $s^2 = 2 / n_\text{in}$. ReLU zeroes about
#   half of its inputs, which halves the variance, and the 2 makes up for it.
#   In Keras: `Dense(..., kernel_initializer='he_normal')`. The MLP in 9.4 used
#   it.
#
# We push a batch of 500 random inputs through 10 tanh layers of 256 units
# and measure the standard deviation of each layer's output, for three weight
# scales:

# %%
def activation_stds(weight_std, activation, depth=10, width=256, seed=3):
    rng = np.random.default_rng(seed)
    h = d2l.constant(rng.normal(size=(500, width)).astype(np.float32))
    stds = []
    for layer in range(depth):
        W = d2l.constant(rng.normal(scale=weight_std, size=(width, width)).astype(np.float32))
        h = activation(d2l.matmul(h, W))
        stds.append(float(d2l.math.reduce_std(h)))
    return stds


glorot_std = np.sqrt(2 / (256 + 256))
scales = {'std 0.01 (too small)': 0.01, f'Glorot, std {glorot_std:.4f}': glorot_std,
          'std 1 (too large)': 1.0}
tanh_stds = {name: activation_stds(s, d2l.nn.tanh) for name, s in scales.items()}
for name, stds in tanh_stds.items():
    print(f'{name:>22s}: layer 1 {stds[0]:.3g}, layer 10 {stds[-1]:.3g}')

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, stds in tanh_stds.items():
    ax.plot(range(1, 11), stds, marker='o', label=name)
ax.set_yscale('log')
ax.set_xlabel('layer')
ax.set_ylabel('std of the layer output')
ax.set_title('Signal through 10 tanh layers of 256 units')
ax.legend(loc='lower left')
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# With weights of standard deviation 0.01 the signal shrinks about
# $\sqrt{256} \times 0.01 = 0.16$ times per layer and is gone after a few
# layers. With standard deviation 1, every tanh unit sits at $\pm 1$, deep in
# saturation, where its derivative is almost 0. Glorot's scale keeps the
# signal at a usable size through all ten layers (it still decays slowly,
# because tanh is a little flatter than the identity).
#
# ## 9.6 Vanishing gradients
#
# Backpropagation multiplies, layer by layer from the output back, by each
# layer's weights and by its activation's derivative. The sigmoid's derivative
# is at most $1/4$, so through 15 sigmoid layers the gradient can shrink by up
# to $4^{15} \approx 10^9$: the first layers barely learn. ReLU's derivative
# is 1 wherever the unit is active, so with He initialisation the gradient
# keeps its size.
#
# We build a 15-layer network of 64 units, once with sigmoid and Glorot
# weights and once with ReLU and He weights, compute a squared loss against
# random targets, and ask the tape for the gradient of every layer's weight
# matrix. We plot each gradient's norm $\|\partial \mathcal{L} / \partial W_l\|$:

# %%
def gradient_norms(activation, weight_std, depth=15, width=64, seed=4):
    rng = np.random.default_rng(seed)
    X_deep = d2l.constant(rng.normal(size=(256, width)).astype(np.float32))
    target = d2l.constant(rng.normal(size=(256, width)).astype(np.float32))
    weights = [d2l.Variable(rng.normal(scale=weight_std, size=(width, width)).astype(np.float32))
               for _ in range(depth)]
    with d2l.GradientTape() as tape:
        h = X_deep
        for W in weights:
            h = activation(d2l.matmul(h, W))
        loss = d2l.reduce_mean(d2l.square(h - target))
    grads = tape.gradient(loss, weights)
    return [float(d2l.norm(g)) for g in grads]


sigmoid_norms = gradient_norms(d2l.nn.sigmoid, np.sqrt(2 / (64 + 64)))
relu_norms = gradient_norms(d2l.nn.relu, np.sqrt(2 / 64))
print(f'sigmoid: layer 1 {sigmoid_norms[0]:.2e}, layer 15 {sigmoid_norms[-1]:.2e}, '
      f'ratio {sigmoid_norms[-1] / sigmoid_norms[0]:.1e}')
print(f'ReLU:    layer 1 {relu_norms[0]:.2e}, layer 15 {relu_norms[-1]:.2e}, '
      f'ratio {relu_norms[-1] / relu_norms[0]:.1f}')

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
layers = range(1, 16)
ax.plot(layers, sigmoid_norms, marker='o', label='sigmoid, Glorot init')
ax.plot(layers, relu_norms, marker='s', label='ReLU, He init')
ax.set_yscale('log')
ax.set_xlabel('layer (1 = next to the input)')
ax.set_ylabel('gradient norm of its weights')
ax.set_title('Gradients through a 15-layer network')
ax.legend(loc='lower right')
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# In the sigmoid network the gradient shrinks by roughly a factor of 4 to 5
# per layer on its way back: the first layer's gradient is many orders of
# magnitude smaller than the last one's, so with one learning rate for all,
# the early layers do not move. In the ReLU network all layers get gradients
# of the same order. This **vanishing gradient** problem kept deep networks
# untrainable until the late 2000s; ReLU, careful initialisation, and later
# normalisation layers and residual connections are the remedies. The opposite,
# **exploding** gradients, happens when the per-layer factor is above 1, for
# example with weights that are too large.
#
# ## Summary
#
# * A linear model splits the input space with a hyperplane; data such as two
#   rings needs more. Stacking linear layers does not help:
#   $(\mathbf{x} W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2 = \mathbf{x} W_1 W_2 + (\mathbf{b}_1 W_2 + \mathbf{b}_2)$
#   is one linear layer.
# * A nonlinear activation after each hidden layer breaks the collapse. An MLP
#   with one hidden layer of ReLU units is piecewise linear and separated the
#   rings with 99 % accuracy where softmax regression stayed near chance.
# * ReLU ($\max(x, 0)$), sigmoid, tanh, leaky ReLU, ELU, softplus, GELU and
#   swish are all a few ops; the tape gives their derivatives. Sigmoid and tanh
#   saturate; ReLU's derivative is 1 for positive inputs.
# * From scratch, an MLP is a list of Variables, a forward function, a loss
#   under a `GradientTape`, and `param.assign_sub(lr * grad)`: what `Dense`
#   and `SGD` do for you.
# * Equal initial weights keep the hidden units identical (symmetry); random
#   weights of the right scale, Glorot ($2 / (n_\text{in} + n_\text{out})$) or
#   He ($2 / n_\text{in}$, for ReLU), keep signals and gradients at a usable
#   size through many layers.
# * Gradients through many sigmoid layers vanish geometrically; through ReLU
#   layers with He initialisation they do not.
#
# ## Check yourself
#
# 1. A network has layers of widths 784 → 256 → 10 and no activation functions.
#    What single layer is it equivalent to, and how many parameters does that
#    layer have compared with the two?
#
#    <details><summary>Answer</summary>
#
#    One linear layer $\mathbf{x} W + \mathbf{b}$ with $W = W_1 W_2$ of shape
#    $784 \times 10$ and $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$ with 10
#    entries: $7850$ parameters instead of
#    $784 \cdot 256 + 256 + 256 \cdot 10 + 10 = 203{,}530$. The extra
#    parameters add no expressive power at all.
#
#    </details>
#
# 2. Why does `tape.gradient(y, x)` give the elementwise derivative when
#    `y = f(x)` is a vector? When would it not?
#
#    <details><summary>Answer</summary>
#
#    A tape differentiates the sum of the target's entries:
#    $\partial (\sum_j y_j) / \partial x_i = \sum_j \partial y_j / \partial x_i$.
#    For an elementwise $f$, $y_j$ depends only on $x_j$, so only the term
#    $j = i$ survives and the result is $f'(x_i)$. If the entries are coupled,
#    as in softmax (each output depends on every input), the result is the
#    column sums of the Jacobian, not a derivative per element; use
#    `tape.jacobian` to get the whole matrix.
#
#    </details>
#
# 3. What goes wrong if every weight of an MLP starts at 0? And if every weight
#    starts at the same nonzero value?
#
#    <details><summary>Answer</summary>
#
#    With all zeros and ReLU, every hidden input is $0$, the ReLU derivative
#    there is $0$ and the output layer multiplies by $W_2 = 0$, so the
#    gradients of $W_1$ and $W_2$ are zero and only the biases learn. With equal
#    nonzero values, all hidden units compute the same function and receive the
#    same gradient, so they stay equal forever (symmetry): the layer acts as a
#    single unit. Random initialisation breaks the symmetry.
#
#    </details>
#
# 4. A layer has 400 inputs and 100 outputs and uses ReLU. What standard
#    deviation does He initialisation give its weights, and what does Glorot's
#    rule give?
#
#    <details><summary>Answer</summary>
#
#    He: $\sqrt{2 / 400} \approx 0.071$. Glorot:
#    $\sqrt{2 / (400 + 100)} \approx 0.063$ (its uniform version draws from
#    $[-a, a]$ with $a = \sqrt{6/500} \approx 0.11$, which has the same standard
#    deviation $a / \sqrt 3$).
#
#    </details>
#
# 5. Through how many sigmoid layers can a gradient pass before it has shrunk
#    by at least a factor of a million, counting only the activation
#    derivatives? Why does ReLU not have this bound?
#
#    <details><summary>Answer</summary>
#
#    Each sigmoid derivative is at most $1/4$, so after $k$ layers the factor is
#    at most $4^{-k}$; $4^{10} \approx 10^6$, so at most 10 layers (in practice
#    fewer, since the derivative is below $1/4$ away from 0). ReLU's derivative
#    is exactly 1 on active units, so the activation contributes no shrinking
#    factor; only the weights do, and He initialisation scales them to keep the
#    size steady.
#
#    </details>
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch09_mlp_scratch/ch09_mlp_scratch.ipynb`](../exercises/learner/ch09_mlp_scratch/ch09_mlp_scratch.ipynb):
# the derivative of any activation from the tape, a dense layer of your own,
# an MLP that must fit data no linear model can, and a written question on
# why depth needs a nonlinearity.
