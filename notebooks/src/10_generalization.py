# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 10. Generalisation and regularisation
#
# A model that scores well on the examples it was trained on has not
# necessarily learned anything: it may have memorised them, noise included.
# What we want is a model that does well on examples it has **never seen**,
# that *generalises*. This chapter is about measuring that honestly and about
# the standard tools that improve it. The MLP of chapter 9 had 82 parameters
# for 400 points; the networks in practice have millions of parameters for
# thousands of examples, so the question matters more the bigger the model.
#
# **After this chapter you will be able to**
#
# * split data into training, validation and test sets, and explain why the test set is used once, at the end;
# * recognise underfitting and overfitting in loss curves, using polynomial regression of degree 1, 3 and 20;
# * add an L2 penalty (weight decay) to a loss by hand, and say what it does to the gradient step;
# * write dropout by hand with a random mask and the $1/(1-p)$ scaling, and use `d2l.keras.layers.Dropout` in training and inference;
# * stop training early with `d2l.keras.callbacks.EarlyStopping(restore_best_weights=True)`.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import os
import warnings

import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 10.1 Training, validation and test sets
#
# The **training error** is a model's loss on the data it was fitted to; the
# **generalisation error** is its expected loss on new data from the same
# source. We cannot compute the second, only estimate it on examples kept
# out of training. The difference between the two is the *generalisation
# gap*. Practice keeps three disjoint sets:
#
# * the **training set**, to fit the parameters (weights) by gradient descent;
# * the **validation set**, to compare models and choose what gradient descent
#   cannot: the number of layers and units, the learning rate, the strength
#   of a penalty, when to stop. These are called **hyperparameters**;
# * the **test set**, to report the final model's error, **once**, after every
#   choice has been made.
#
# A random split keeps the three sets alike. We shuffle the indices of the
# examples once with a seeded generator and cut the shuffled list in three:

# %%
def split_indices(n, fractions, seed=0):
    """Shuffle range(n) and cut it into consecutive parts of the given fractions."""
    order = np.random.default_rng(seed).permutation(n)
    cuts = np.cumsum([int(f * n) for f in fractions[:-1]])
    return np.split(order, cuts)


train_idx, val_idx, test_idx = split_indices(1000, [0.6, 0.2, 0.2])
print(len(train_idx), len(val_idx), len(test_idx))
print('first training indices:', train_idx[:8])
print('every example used once:', np.array_equal(np.sort(np.concatenate([train_idx, val_idx, test_idx])),
                                                   np.arange(1000)))

# %% [markdown]
# Why only once? Every time you look at a set's score to make a decision, the
# set stops being new to the model: your decision adapts to its particular
# examples, noise included. Here is that effect in its purest form. Take 200
# "models" that ignore their input and flip a coin for each answer, so each
# is right on exactly half of all possible examples. Score them on a test set
# of 100 examples, pick the best, and then score that one on 10,000 fresh
# examples:

# %%
rng = np.random.default_rng(0)
test_labels = rng.integers(0, 2, size=100)
test_answers = rng.integers(0, 2, size=(200, 100))          # 200 coin-flipping models
test_accuracy = (test_answers == test_labels).mean(axis=1)
best = int(np.argmax(test_accuracy))
fresh_labels = rng.integers(0, 2, size=10_000)
fresh_answers = rng.integers(0, 2, size=10_000)             # the chosen model keeps flipping coins
print(f'best of 200 on the test set: {test_accuracy[best]:.2f}')
print(f'the same model on 10,000 fresh examples: {(fresh_answers == fresh_labels).mean():.3f}')

# %% [markdown]
# Chosen on the test set, a coin looks like a model with about 62 %
# accuracy. The score of the *selected* model is biased upward because it was
# used for the selection. That is what the validation set is for: it absorbs
# this bias while we choose, and the untouched test set then gives an
# unbiased estimate for the one model we finally keep. (With many rounds of
# choices, the validation score drifts upward too; that is expected, and the
# reason the test set must not join in.)
#
# ## 10.2 Underfitting and overfitting: polynomials
#
# A clean laboratory for generalisation is polynomial regression. The data
# come from a cubic with Gaussian noise,
#
# $$y = 5 + 1.2\,x - 3.4\,x^2 + 5.6\,x^3 + \epsilon, \qquad \epsilon \sim \mathcal{N}(0, 0.3^2),$$
#
# with $x$ uniform in $[-1, 1]$. A model of degree $d$ is linear regression on
# the features $1, x, x^2, \dots, x^d$:
#
# $$\hat y = \sum_{i=0}^{d} w_i x^i .$$
#
# We fit degrees 1 (a line: too simple), 3 (the truth) and 20 (far too
# flexible) on only **12** training points, and keep 100 validation points:

# %%
rng = np.random.default_rng(0)
true_w = np.array([5., 1.2, -3.4, 5.6])
n_train, n_val = 12, 100
x_all = rng.uniform(-1, 1, size=n_train + n_val)
y_all = (np.polyval(true_w[::-1], x_all) + rng.normal(scale=0.3, size=x_all.shape)).astype(np.float32)
x_train, x_val = x_all[:n_train], x_all[n_train:]
y_train, y_val = d2l.constant(y_all[:n_train]), d2l.constant(y_all[n_train:])


def poly_features(x, degree):
    """The features x**0, ..., x**degree as an (n, degree + 1) float32 tensor."""
    return d2l.constant(np.stack([x ** i for i in range(degree + 1)], axis=1).astype(np.float32))


print(poly_features(np.array([2.]), 4).numpy())

# %% [markdown]
# Training is the loop of chapter 6, on the whole training set at once. We use
# the `Adam` optimizer instead of plain SGD: the 21 features of degree 20
# differ wildly in scale near $x = 0$ ($x^{20}$ is tiny), and Adam adapts the
# step size of each weight. The function records the training **and** the
# validation loss after every epoch. Its `l2` argument is for section 10.3;
# ignore it for now.

# %%
def fit_polynomial(degree, l2=0.0, num_epochs=600, lr=0.05):
    X_train, X_val = poly_features(x_train, degree), poly_features(x_val, degree)
    w = d2l.Variable(d2l.zeros(degree + 1))
    optimizer = d2l.keras.optimizers.Adam(learning_rate=lr)
    train_losses, val_losses = [], []
    for epoch in range(num_epochs):
        with d2l.GradientTape() as tape:
            mse = d2l.reduce_mean(d2l.square(d2l.linalg.matvec(X_train, w) - y_train))
            loss = mse + l2 / 2 * d2l.reduce_sum(d2l.square(w))   # section 10.3's penalty
        grads = tape.gradient(loss, [w])
        optimizer.apply_gradients(zip(grads, [w]))
        train_losses.append(float(mse))
        val_losses.append(float(d2l.reduce_mean(d2l.square(d2l.linalg.matvec(X_val, w) - y_val))))
    return w.numpy(), train_losses, val_losses


fits = {degree: fit_polynomial(degree) for degree in [1, 3, 20]}
for degree, (w, train_losses, val_losses) in fits.items():
    print(f'degree {degree:2d}: training loss {train_losses[-1]:.3f}, validation loss {val_losses[-1]:.3f}, '
          f'best validation {min(val_losses):.3f} at epoch {np.argmin(val_losses) + 1}')
print('degree 3 weights:', np.round(fits[3][0], 2), 'true:', true_w)

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for degree, color in [(1, 'C0'), (3, 'C1'), (20, 'C3')]:
    w, train_losses, val_losses = fits[degree]
    axes[0].plot(train_losses, color=color, ls='--', label=f'degree {degree}, training')
    axes[0].plot(val_losses, color=color, label=f'degree {degree}, validation')
axes[0].axhline(0.09, color='gray', ls=':', label='noise variance 0.09')
axes[0].set_yscale('log')
axes[0].set_xlabel('epoch')
axes[0].set_ylabel('mean squared error')
axes[0].set_title('Training (dashed) and validation (solid) loss')
axes[0].legend(fontsize=8, ncol=2, loc='upper right')
xs = np.linspace(-1, 1, 200)
axes[1].scatter(x_train, y_all[:n_train], color='k', zorder=3, label='12 training points')
axes[1].scatter(x_val, y_all[n_train:], color='gray', s=6, alpha=0.5, label='validation points')
axes[1].plot(xs, np.polyval(true_w[::-1], xs), color='k', ls=':', label='true cubic')
for degree, color in [(1, 'C0'), (3, 'C1'), (20, 'C3')]:
    axes[1].plot(xs, np.polyval(fits[degree][0][::-1], xs), color=color, label=f'degree {degree}')
axes[1].set_ylim(-6, 14)
axes[1].set_xlabel('x')
axes[1].set_ylabel('y')
axes[1].set_title('The fitted polynomials after 600 epochs')
axes[1].legend(fontsize=8, loc='upper left')
plt.show()

# %% [markdown]
# The three degrees show the three regimes:
#
# * **Degree 1 underfits.** A line cannot follow the cubic's bends; training
#   and validation losses are both high and close together. More data would
#   not help; more capacity would.
# * **Degree 3 fits.** Both losses fall towards the noise variance
#   $0.3^2 = 0.09$, the floor no model can beat on new data, and the curve
#   lies on the true cubic. (The training loss dips a little below 0.09,
#   because 4 weights fitted to 12 points absorb some of their noise. The
#   weights are only roughly the true ones: on $[-1, 1]$, $x$ and $x^3$ look
#   alike, and 12 noisy points cannot fully tell them apart.)
# * **Degree 20 overfits.** Its training loss ends the lowest of the three,
#   well below the noise floor: with 21 weights for 12 points it can follow
#   their noise, and it does. Its validation loss reaches a minimum early,
#   then **rises** while the training loss keeps falling. The fitted curve
#   passes close to every training point but shoots off where they are
#   sparse, beyond $x \approx 0.9$. The gap between the dashed and the solid
#   red curve is the generalisation gap.
#
# Overfitting depends on the model's capacity *relative to the data*: degree
# 20 on 10,000 points would be harmless. When more data is not an option, we
# restrict the model instead: that is **regularisation**. The next three
# sections show the three most common ways.
#
# ## 10.3 Weight decay
#
# Wild polynomials need large weights: the red curve bends sharply because
# large positive and negative coefficients almost cancel. **Weight decay**
# adds a penalty on the squared size of the weights to the loss,
#
# $$\mathcal{L}_\lambda(\mathbf{w}) = \mathcal{L}(\mathbf{w}) + \frac{\lambda}{2} \|\mathbf{w}\|^2 ,$$
#
# so that the model may use large weights only where they reduce the loss by
# more than they cost. The penalty's gradient is $\lambda \mathbf{w}$, and a
# plain SGD step becomes
#
# $$\mathbf{w} \leftarrow \mathbf{w} - \eta\,(\nabla \mathcal{L} + \lambda \mathbf{w}) = (1 - \eta\lambda)\,\mathbf{w} - \eta\, \nabla \mathcal{L}:$$
#
# every step first shrinks ("decays") the weights by the factor
# $1 - \eta\lambda$, then follows the gradient. The tape confirms the
# penalty's gradient:

# %%
w = d2l.Variable([3., -1., 0.5])
lam = 0.1
with d2l.GradientTape() as tape:
    penalty = lam / 2 * d2l.reduce_sum(d2l.square(w))
print(tape.gradient(penalty, w).numpy(), '= lambda * w =', (lam * w).numpy())

# %% [markdown]
# (Biases are usually left out of the penalty: a bias shifts the output
# without making the function any wilder. Our polynomial's $w_0$ is its bias;
# we penalise it along with the rest, for brevity.) Keras offers the same
# penalty per layer: in TensorFlow you would write
# `Dense(..., kernel_regularizer=tf.keras.regularizers.l2(0.01))`, which adds
# $0.01 \sum w^2$ (note: without the $\frac{1}{2}$) to the loss. d2l_core does
# not have `keras.regularizers` yet, so we add the penalty by hand, which is
# exactly what Keras does inside. We refit degree 20 with three values of
# $\lambda$:

# %%
decayed = {lam: fit_polynomial(20, l2=lam) for lam in [0.001, 0.01, 0.1]}
decayed[0.0] = fits[20]
for lam in [0.0, 0.001, 0.01, 0.1]:
    w, train_losses, val_losses = decayed[lam]
    print(f'lambda {lam:5}: training loss {train_losses[-1]:.3f}, validation loss {val_losses[-1]:.3f}, '
          f'|w| = {np.linalg.norm(w):.2f}')

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for (lam, color) in zip([0.0, 0.001, 0.01, 0.1], ['C3', 'C4', 'C2', 'C0']):
    w, train_losses, val_losses = decayed[lam]
    axes[0].plot(val_losses, color=color, label=f'λ = {lam}')
    axes[1].plot(xs, np.polyval(w[::-1], xs), color=color, label=f'λ = {lam}')
axes[0].axhline(0.09, color='gray', ls=':', label='noise variance')
axes[0].set_yscale('log')
axes[0].set_xlabel('epoch')
axes[0].set_ylabel('validation MSE')
axes[0].set_title('Degree 20 with weight decay: validation loss')
axes[0].legend(fontsize=8)
axes[1].scatter(x_train, y_all[:n_train], color='k', zorder=3, label='training points')
axes[1].plot(xs, np.polyval(true_w[::-1], xs), color='k', ls=':', label='true cubic')
axes[1].set_ylim(-6, 14)
axes[1].set_xlabel('x')
axes[1].set_ylabel('y')
axes[1].set_title('Degree 20 with weight decay: the fits')
axes[1].legend(fontsize=8, loc='upper left')
plt.show()

# %% [markdown]
# A small penalty tames the overfitting: with $\lambda = 0.01$ the validation
# loss no longer climbs and ends far below the unpenalised model's, with a
# smaller weight vector (the curve still overshoots a little at the right
# edge, where there are no training points to hold it). Too much penalty underfits again: with
# $\lambda = 0.1$ the weights are held so small that the curve is too stiff
# to follow the cubic (it sags below it between 0 and 0.5), and both losses
# go up. $\lambda$ is a hyperparameter, to
# be chosen on the validation set.
#
# ## 10.4 Dropout
#
# **Dropout** regularises a network differently: during training, every
# forward pass switches off each hidden unit at random, with probability $p$
# (the *rate*). A unit cannot rely on any particular other unit being there, so
# the network must spread what it knows over many units instead of building
# fragile co-adapted features that fit the noise.
#
# Setting units to zero lowers the expected size of the layer's output, which
# the next layer would see as a shift between training and inference. The fix
# ("inverted dropout", what TensorFlow does) is to scale the survivors up by
# $1/(1 - p)$ during training:
#
# $$h' = \frac{m}{1 - p}\, h, \qquad m \sim \text{Bernoulli}(1 - p), \qquad
# \mathbb{E}[h'] = \frac{(1 - p)\, h}{1 - p} = h .$$
#
# At inference (evaluation, prediction) dropout does nothing: $h' = h$. By
# hand, with a mask from NumPy's generator:

# %%
def dropout(h, rate, rng):
    """Inverted dropout: zero each entry with probability rate, scale the rest by 1 / (1 - rate)."""
    mask = (rng.random(h.shape) >= rate).astype(np.float32)
    return h * d2l.constant(mask / (1 - rate))


rng = np.random.default_rng(0)
h = d2l.ones((3, 8))
print(dropout(h, 0.5, rng).numpy())
big = dropout(d2l.ones((1000, 100)), 0.5, rng).numpy()
print(f'fraction kept: {np.mean(big != 0):.4f}, values kept: {np.unique(big[big != 0])}, mean: {big.mean():.4f}')

# %% [markdown]
# About half of the entries survive, each is doubled, and the mean stays
# about 1, as the formula says. The Keras layer `d2l.keras.layers.Dropout(rate)`
# does the same. Whether it drops anything depends on the `training` argument:
# `fit` calls it with `training=True`, while `predict`, `evaluate` and a plain
# call use `training=False`, which passes the input through untouched. Its
# `seed` argument makes the masks repeatable; the engine's random numbers
# differ from TensorFlow's, though, so under TensorFlow the mask below differs:

# %% tags=["output-varies"]
drop = d2l.keras.layers.Dropout(0.5, seed=0)
x = d2l.ones((2, 8))
print(drop(x, training=True).numpy())

# %%
print(drop(x, training=False).numpy())
print('a plain call is the identity:', np.array_equal(drop(x).numpy(), x.numpy()))

# %% [markdown]
# Now dropout at work. A network with 784 inputs overfits easily when it sees
# only a few hundred examples, so we take 500 MNIST digits for training and
# 1000 others for validation, from the 5,000-digit subset that ships with the
# engine (chapter 11 says more about the loader). We also put 1000 test digits
# aside for section 10.5. d2l_core only: `D2L_OFFLINE` and the subset's
# `SubsetWarning` are the engine's; in TensorFlow, `load_data()` downloads all
# 70,000 digits, and `np.load('../data/mnist_subset.npz')` gives this subset.

# %% tags=["d2l-only"]
os.environ['D2L_OFFLINE'] = '1'       # use the bundled 5,000-digit subset
warnings.simplefilter('ignore', d2l.keras.datasets.mnist.SubsetWarning)

# %%
(x_train, y_train), (x_test, y_test) = d2l.keras.datasets.mnist.load_data()
images = (x_train.reshape(-1, 784) / 255.).astype(np.float32)
labels = y_train.astype(np.int32)
test_images = (x_test.reshape(-1, 784) / 255.).astype(np.float32)
test_labels = y_test.astype(np.int32)
X_tr, y_tr = images[:500], labels[:500]
X_va, y_va = images[2000:3000], labels[2000:3000]
print(X_tr.shape, X_va.shape, test_images.shape, 'digits per class in training:', np.bincount(y_tr))

# %% [markdown]
# The model is an MLP with one hidden layer of 128 ReLU units, written as in
# chapter 9, with our `dropout` after the hidden layer when `rate > 0` and
# `training` is true. We train it twice from the same initial weights, with
# Adam on all 500 examples per step, for 100 epochs: once without dropout and
# once with $p = 0.5$.

# %%
def init_mlp(seed, num_hidden=128):
    rng = np.random.default_rng(seed)
    return [d2l.Variable(rng.normal(scale=np.sqrt(2 / 784), size=(784, num_hidden)).astype(np.float32)),
            d2l.Variable(d2l.zeros(num_hidden)),
            d2l.Variable(rng.normal(scale=np.sqrt(2 / num_hidden), size=(num_hidden, 10)).astype(np.float32)),
            d2l.Variable(d2l.zeros(10))]


def mlp(params, X, rate=0.0, training=False, rng=None):
    W1, b1, W2, b2 = params
    H = d2l.nn.relu(d2l.matmul(X, W1) + b1)
    if training and rate > 0:
        H = dropout(H, rate, rng)
    return d2l.matmul(H, W2) + b2


def cross_entropy(logits, labels):
    return d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def accuracy(logits, labels):
    return float(np.mean(np.argmax(logits.numpy(), axis=1) == labels))


def train_mlp(rate, num_epochs=100, lr=0.003):
    params = init_mlp(seed=1)
    optimizer = d2l.keras.optimizers.Adam(learning_rate=lr)
    rng = np.random.default_rng(2)                       # for the dropout masks
    history = {'train_loss': [], 'val_loss': [], 'val_acc': []}
    for epoch in range(num_epochs):
        with d2l.GradientTape() as tape:
            loss = cross_entropy(mlp(params, X_tr, rate, training=True, rng=rng), y_tr)
        optimizer.apply_gradients(zip(tape.gradient(loss, params), params))
        history['train_loss'].append(float(cross_entropy(mlp(params, X_tr), y_tr)))   # without dropout
        val_logits = mlp(params, X_va)
        history['val_loss'].append(float(cross_entropy(val_logits, y_va)))
        history['val_acc'].append(accuracy(val_logits, y_va))
    return history


runs = {'no dropout': train_mlp(rate=0.0), 'dropout p = 0.5': train_mlp(rate=0.5)}
for name, hist in runs.items():
    print(f'{name:>15s}: training loss {hist["train_loss"][-1]:.4f}, validation loss {hist["val_loss"][-1]:.3f} '
          f'(lowest {min(hist["val_loss"]):.3f}), validation accuracy {hist["val_acc"][-1]:.3f}')

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), layout='constrained')
for (name, hist), color in zip(runs.items(), ['C3', 'C2']):
    axes[0].plot(hist['train_loss'], color=color, label=name)
    axes[1].plot(hist['val_loss'], color=color, label=name)
    axes[2].plot(hist['val_acc'], color=color, label=name)
axes[0].set_yscale('log')
axes[0].set_ylabel('cross-entropy (log scale)')
axes[0].set_title('Training loss')
axes[1].set_ylim(0.4, 1.2)
axes[1].set_ylabel('cross-entropy')
axes[1].set_title('Validation loss')
axes[2].set_ylim(0.7, 0.9)
axes[2].set_ylabel('accuracy')
axes[2].set_title('Validation accuracy')
for ax in axes:
    ax.set_xlabel('epoch')
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
fig.suptitle('An MLP on 500 MNIST digits, with and without dropout')
plt.show()

# %% [markdown]
# Without dropout the network learns the 500 training digits almost perfectly
# (the training loss falls towards 0) and, after about 20 epochs, its
# validation loss turns upward: it is becoming confidently wrong on digits it
# has not seen. With dropout the training loss falls more slowly, the
# validation loss stays lower, and the validation accuracy ends about two
# points higher. (Note that we measure the training loss *without* dropout, so
# that both runs are judged as the same kind of model.)
#
# ## 10.5 Early stopping
#
# The red validation curve above suggests the simplest regulariser of all:
# **stop training when the validation loss stops improving**, and keep the
# weights from its best epoch. Keras does this with a *callback*, an object
# that `fit` consults after every epoch. `EarlyStopping(monitor='val_loss',
# patience=10)` stops once 10 epochs in a row bring no new minimum of the
# validation loss, and `restore_best_weights=True` then puts back the weights
# of the best epoch, instead of keeping those of the last.
#
# The same network as a Keras model: we start it from the same initial
# weights as the hand-written one (`set_weights` takes NumPy arrays in the
# order of `model.weights`), give `fit` the whole training set as one batch
# without shuffling, and hand it the validation data, so every epoch is the
# same computation as before:

# %%
model = d2l.keras.Sequential([
    d2l.keras.Input(shape=(784,)),
    d2l.keras.layers.Dense(128, activation='relu'),
    d2l.keras.layers.Dense(10),
])
model.set_weights([v.numpy() for v in init_mlp(seed=1)])
model.compile(optimizer=d2l.keras.optimizers.Adam(learning_rate=0.003),
              loss=d2l.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
stopper = d2l.keras.callbacks.EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True)
history = model.fit(X_tr, y_tr, batch_size=500, epochs=100, shuffle=False,
                    validation_data=(X_va, y_va), callbacks=[stopper], verbose=0)
val_loss = history.history['val_loss']
print(f'ran {len(val_loss)} of 100 epochs; best validation loss {min(val_loss):.4f} '
      f'at epoch {stopper.best_epoch + 1}')
print(f'validation loss of the restored model: {model.evaluate(X_va, y_va, verbose=0)[0]:.4f}')

# %% [markdown]
# Training stopped at epoch 33, ten epochs after the best one, and the model
# was restored to the weights of epoch 23: evaluating it gives exactly the
# best validation loss. (The numbers agree with the no-dropout run of section
# 10.4 to float32 rounding, because it is the same computation.)

# %%
fig, ax = plt.subplots(figsize=(7, 4))
epochs = np.arange(1, len(val_loss) + 1)
ax.plot(runs['no dropout']['val_loss'], color='C3', alpha=0.3, lw=4, label='validation loss had training gone on')
ax.plot(epochs - 1, val_loss, color='C3', label='validation loss, with early stopping')
ax.axvline(stopper.best_epoch, color='C2', ls=':', label=f'best epoch ({stopper.best_epoch + 1}): restored')
ax.axvline(len(val_loss) - 1, color='k', ls=':', label=f'stopped (epoch {len(val_loss)}): patience 10 used up')
ax.set_ylim(0.55, 0.8)
ax.set_xlabel('epoch (counted from 0)')
ax.set_ylabel('validation cross-entropy')
ax.set_title('Early stopping on the validation loss (zoomed in)')
ax.legend(fontsize=8)
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# The patience trades time for safety: validation curves are noisy, and a
# patience of 0 would stop at the first small bump. Early stopping costs
# nothing, combines with weight decay and dropout, and is used almost
# everywhere.
#
# Every choice in this chapter (the degree, $\lambda$, the dropout rate, the
# epoch to stop at) was made on the validation set. Only now, with the final
# model fixed, do we touch the test set, once:

# %%
test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)
print(f'test loss {test_loss:.3f}, test accuracy {test_acc:.3f}')

# %% [markdown]
# That number is what we would report. Had we tried more models and kept the
# one with the best *test* score, this estimate would be biased upward, like
# the coin flips of section 10.1.
#
# ## Summary
#
# * Fit parameters on the **training** set, choose hyperparameters (model size,
#   penalty, dropout rate, when to stop) on the **validation** set, and report
#   on the **test** set once, at the end. Selecting on a set biases its score
#   upward: the best of 200 coin flips scored 62 %.
# * **Underfitting**: training and validation losses both high (degree 1).
#   **Overfitting**: training loss below the noise floor, validation loss
#   rising, a wiggly fit (degree 20 on 12 points). Capacity must fit the amount
#   of data.
# * **Weight decay** adds $\frac{\lambda}{2}\|\mathbf{w}\|^2$ to the loss; its
#   gradient $\lambda \mathbf{w}$ shrinks the weights by $1 - \eta\lambda$ each
#   SGD step. In TensorFlow, `kernel_regularizer=tf.keras.regularizers.l2(l)`
#   adds $l \sum w^2$; d2l_core does not have it yet, so add the penalty to the
#   loss by hand.
# * **Dropout** zeroes each unit with probability $p$ in training and scales
#   the survivors by $1/(1 - p)$, so the expected value is unchanged; at
#   inference it is the identity. `d2l.keras.layers.Dropout(p)` follows the
#   `training` argument.
# * **Early stopping**: `d2l.keras.callbacks.EarlyStopping(monitor='val_loss',
#   patience=k, restore_best_weights=True)` stops after $k$ epochs without a
#   new best and restores the best weights.
#
# ## Check yourself
#
# 1. A model has training loss 0.02 and validation loss 0.95; another has
#    0.80 and 0.83, on the same data. Which is overfitting, which is
#    underfitting, and what would you try for each?
#
#    <details><summary>Answer</summary>
#
#    The first overfits: a large gap between a tiny training loss and the
#    validation loss. Try more data, weight decay, dropout, early stopping or a
#    smaller model. The second underfits (assuming the noise floor is well
#    below 0.8): both losses high and close. Try a bigger model (more units,
#    layers, features), training longer, or less regularisation.
#
#    </details>
#
# 2. You tried 30 learning rates and kept the one with the best validation
#    accuracy, 91.3 %. Why is 91.3 % probably an overestimate, and which
#    number should you report instead?
#
#    <details><summary>Answer</summary>
#
#    Picking the maximum of 30 noisy scores favours a setting that was lucky
#    on these particular validation examples, as the best of 200 coin flips
#    looked like 62 %. Report the chosen model's accuracy on the test set,
#    which played no part in the choice and is measured once.
#
#    </details>
#
# 3. With SGD, learning rate $\eta = 0.1$ and weight decay $\lambda = 0.01$,
#    by what factor does each step shrink the weights before the gradient step?
#    What happens to a weight whose loss gradient is always 0?
#
#    <details><summary>Answer</summary>
#
#    By $1 - \eta\lambda = 0.999$ per step. A weight with zero loss gradient
#    decays geometrically towards 0: after $n$ steps it is $0.999^n$ times its
#    start (about 37 % after 1000 steps). Weight decay removes weights the loss
#    does not need.
#
#    </details>
#
# 4. A layer's output is `[2., 4., 6., 8.]` and dropout with rate 0.25 drops
#    the second entry. What does the layer pass on in training? And at
#    inference?
#
#    <details><summary>Answer</summary>
#
#    In training the survivors are divided by $1 - 0.25 = 0.75$:
#    `[2.667, 0., 8., 10.667]`. At inference dropout is the identity:
#    `[2., 4., 6., 8.]`. The scaling makes the expected training output equal
#    the inference output.
#
#    </details>
#
# 5. Validation losses per epoch are 0.9, 0.7, 0.6, 0.62, 0.61, 0.65, 0.64.
#    With `patience=2` and `restore_best_weights=True`, after which epoch does
#    training stop, and which epoch's weights does the model keep?
#
#    <details><summary>Answer</summary>
#
#    The best is 0.6 at epoch 3. Epochs 4 and 5 bring no value below 0.6, so
#    patience 2 is used up and training stops after epoch 5. The model gets the
#    weights of epoch 3 back. (Without `restore_best_weights` it would keep
#    those of epoch 5.)
#
#    </details>
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch10_regularization/ch10_regularization.ipynb`](../exercises/learner/ch10_regularization/ch10_regularization.ipynb):
# a train/validation split, an L2-penalised loss, dropout from scratch, the
# logic of early stopping, and a written question on validation and test sets.
