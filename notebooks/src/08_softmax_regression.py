# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 8. Softmax regression from scratch
#
# Regression predicts a number: a price, a temperature. Many questions ask
# instead **which one**: which digit is in this image, which word comes next,
# is this e-mail spam. That is **classification**, and the model's output must
# now be a choice among $q$ classes, or better, a probability for each.
#
# This chapter builds the standard answer from its pieces: a linear model
# with one output per class, the **softmax** function that turns those
# outputs into probabilities, and the **cross-entropy** loss that scores
# them. We derive the loss's gradient by hand (it comes out strikingly
# simple), see where its name comes from in information theory, and meet a
# numerical trap that every implementation must avoid. Then we train the
# model on handwritten digits, look inside it, and write it again in three
# lines of Keras. Chapter 11 puts hidden layers in front of exactly this
# output layer.
#
# **After this chapter you will be able to**
#
# * encode class labels as integers and as one-hot vectors, and say why classes are not regressed as numbers;
# * compute softmax by hand and list its properties;
# * explain surprisal, entropy, cross-entropy and KL divergence, and why minimising cross-entropy is maximum likelihood;
# * derive the gradient of softmax cross-entropy, $\hat{\mathbf y} - \mathbf y$, in two ways, and check it with the tape;
# * show how naive softmax overflows and fix it with the log-sum-exp trick;
# * train a softmax regression on MNIST, measure its accuracy, and read its weights and its confusion matrix;
# * write the same model with `Dense(10)` and `SparseCategoricalCrossentropy(from_logits=True)`, calling losses as `loss(y_true, y_pred)`.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import os
import warnings
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 8.1 Classes, labels and one-hot vectors
#
# The data set for this chapter is MNIST: $28 \times 28$ grey images of
# handwritten digits, each labelled with its digit, $0$ to $9$. A label is
# stored as an integer, but the integers are only names: a 7 is not "more"
# than a 3, and an image halfway between a 3 and a 7 is not a 5. Regressing the
# label as a number would impose an order and distances that do not exist.
#
# Instead the model gets one output per class, and the target becomes a
# **one-hot vector**: $q$ entries, all 0 except a 1 at the position of the
# class. With $q = 10$, label 3 becomes $(0, 0, 0, 1, 0, 0, 0, 0, 0, 0)$.
# `d2l.one_hot` does this, for a whole batch of labels at once:

# %%
labels = d2l.constant([3, 0, 9])
print(d2l.one_hot(labels, depth=10))

# %% [markdown]
# The model is linear regression with $q$ outputs instead of one. For an
# example $\mathbf x$ (a row of $d$ features, here $d = 784$ pixels) it
# computes $q$ scores,
#
# $$\mathbf o = \mathbf x \mathbf W + \mathbf b, \qquad
# \mathbf W \in \mathbb R^{d \times q},\ \mathbf b \in \mathbb R^{1 \times q},$$
#
# and for a batch $\mathbf X$ of $n$ rows, $\mathbf O = \mathbf X\mathbf W + \mathbf b$
# of shape $(n, q)$. Column $j$ of $\mathbf W$ holds the weights that score
# class $j$. The scores $o_j$ are called **logits**. They can be any real
# numbers; the predicted class is the one with the largest score.
#
# ## 8.2 Softmax: from scores to probabilities
#
# To compare the scores with a one-hot target, and to say how sure the model
# is, we turn them into a probability distribution with **softmax**:
#
# $$\hat y_j = \mathrm{softmax}(\mathbf o)_j = \frac{\exp(o_j)}{\sum_{k=1}^q \exp(o_k)} .$$
#
# The exponential makes every entry positive, and dividing by the sum makes
# them add up to 1. Since $\exp$ is increasing, the largest score gets the
# largest probability: softmax does not change which class is predicted. For
# a batch, softmax works along each row:

# %%
def softmax(logits):
    E = d2l.exp(logits)
    return E / d2l.reduce_sum(E, axis=1, keepdims=True)   # each row divided by its own sum

O_ex = d2l.constant([[2.0, 1.0, 0.1],
                     [0.5, 0.5, 3.0]])
P = softmax(O_ex)
print(P)
print(d2l.reduce_sum(P, axis=1))

# %% [markdown]
# Two more properties matter below. Adding the same constant $c$ to every
# score changes nothing (below, $c = 10$), because $\exp(o_j + c) = e^c \exp(o_j)$ and the
# factor $e^c$ cancels between numerator and denominator. And scaling the
# scores sharpens or flattens the distribution: large differences between
# scores give a probability near 1 for the winner (below, the scores times
# 5). The engine's (and
# TensorFlow's) version is `d2l.nn.softmax`:

# %%
print(softmax(O_ex + 10.))
print(softmax(5 * O_ex))
print(np.allclose(softmax(O_ex), d2l.nn.softmax(O_ex)))

# %% [markdown]
# ## 8.3 A little information theory
#
# How should we score a predicted distribution $\hat{\mathbf y}$ against the
# true class? The natural measure comes from information theory, and its
# ideas recur throughout deep learning, so it is worth a short detour.
#
# **Surprisal.** An event that you thought had probability $p$ surprises you
# by $-\log p$ when it happens. A certain event ($p = 1$) is no surprise at
# all; one you gave probability $1/8$ surprises you by $\log_2 8 = 3$ bits
# (with the natural log, the unit is the *nat*). Surprisal adds up for
# independent events, because their probabilities multiply.
#
# **Entropy.** The expected surprisal of a distribution $p$ when the events
# really do follow $p$,
#
# $$H(p) = \sum_j p_j \,(-\log p_j),$$
#
# is its **entropy**: how unpredictable it is. It is 0 for a certain outcome
# and largest, $\log q$, for the uniform distribution over $q$ outcomes.
# Shannon showed that it is also the smallest average number of bits
# (with $\log_2$) needed to encode outcomes drawn from $p$.
#
# **Cross-entropy.** Now suppose the events follow $p$, but you *believe*
# $\hat p$. Your expected surprisal is the **cross-entropy**
#
# $$H(p, \hat p) = \sum_j p_j\,(-\log \hat p_j).$$
#
# **KL divergence.** Believing the wrong distribution can only make you more
# surprised on average. The excess is the Kullback-Leibler divergence,
#
# $$D_{\mathrm{KL}}(p \,\|\, \hat p) = H(p, \hat p) - H(p) = \sum_j p_j \log \frac{p_j}{\hat p_j} \ \ge 0,$$
#
# which is zero only when $\hat p = p$ (Gibbs' inequality). It is not
# symmetric: $D_{\mathrm{KL}}(p\,\|\,\hat p) \neq D_{\mathrm{KL}}(\hat p\,\|\,p)$
# in general. A loaded die makes all this concrete:

# %%
def entropy(p):
    return -d2l.reduce_sum(p * d2l.math.log(p))

def cross_entropy_dist(p, p_hat):
    return -d2l.reduce_sum(p * d2l.math.log(p_hat))

fair = d2l.constant([1 / 6] * 6)
loaded = d2l.constant([0.5, 0.1, 0.1, 0.1, 0.1, 0.1])
print(f'H(fair)   = {float(entropy(fair)):.4f} nats  (log 6 = {np.log(6):.4f})')
print(f'H(loaded) = {float(entropy(loaded)):.4f} nats')
for p_name, p, q_name, q in [('loaded', loaded, 'fair', fair), ('fair', fair, 'loaded', loaded)]:
    ce = float(cross_entropy_dist(p, q))
    print(f'H({p_name}, {q_name}) = {ce:.4f},  KL({p_name} || {q_name}) = {ce - float(entropy(p)):.4f}')

# %% [markdown]
# The loaded die is more predictable (lower entropy) than the fair one. If
# the die is loaded but you believe it is fair, you pay $0.2939$ nats of
# extra surprise per throw; in the opposite case $0.2426$. (Believing the die
# fair, your surprisal is $\log 6$ whatever happens, so $H(\text{loaded}, \text{fair}) = H(\text{fair})$.) The figure shows
# surprisal as a function of the probability you assigned, and the entropy
# of a coin that lands heads with probability $p$:

# %%
ps = np.linspace(0.001, 0.999, 500)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.2))
ax1.plot(ps, -np.log(ps))
ax1.set_xlabel('probability p assigned to what happened')
ax1.set_ylabel('surprisal  -log p  (nats)')
ax1.set_title('Surprisal: unlikely events surprise more')
ax1.grid(True, alpha=0.3)
ax2.plot(ps, -ps * np.log(ps) - (1 - ps) * np.log(1 - ps))
ax2.axhline(np.log(2), color='k', ls=':', lw=1)
ax2.text(0.02, np.log(2) - 0.06, 'log 2: a fair coin', fontsize=8)
ax2.set_xlabel('probability of heads p')
ax2.set_ylabel('entropy H (nats)')
ax2.set_title('Entropy of a coin: largest when fair')
ax2.grid(True, alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 8.4 The cross-entropy loss
#
# For a classification example, the "true distribution" is the one-hot label
# $\mathbf y$ (all its probability on the true class $k$), and the model's
# belief is $\hat{\mathbf y} = \mathrm{softmax}(\mathbf o)$. Their
# cross-entropy is the loss:
#
# $$\ell(\mathbf y, \hat{\mathbf y}) = -\sum_{j=1}^q y_j \log \hat y_j = -\log \hat y_k .$$
#
# Only the probability given to the true class counts: the loss is the
# model's surprisal at the right answer. It is 0 when the model gives the true
# class probability 1, and grows without bound as that probability goes to 0.
# Since $H(\mathbf y) = 0$ for a one-hot $\mathbf y$, this loss is also the KL
# divergence from the label to the prediction.
#
# There is a second reason for this choice. If the model's probabilities are
# taken at face value, the probability of all $n$ training labels is
# $\prod_i \hat y^{(i)}_{k_i}$, and the average loss is
# $-\frac1n \log \prod_i \hat y^{(i)}_{k_i}$. Minimising cross-entropy is
# therefore **maximising the likelihood** of the labels, the same principle
# that makes squared error the right loss for regression with Gaussian noise.
#
# With integer labels we do not even need the one-hot vectors: `d2l.gather`
# with `batch_dims=1` picks, from row $i$ of $\hat{\mathbf Y}$, the entry at
# the column given by label $i$:

# %%
def cross_entropy(Y_hat, labels):
    p_true = d2l.gather(Y_hat, labels, axis=1, batch_dims=1)   # Y_hat[i, labels[i]] for each i
    return -d2l.math.log(p_true)

labels = d2l.constant([0, 2])
print(P)
print(cross_entropy(P, labels))
print(-d2l.reduce_sum(d2l.one_hot(labels, 3) * d2l.math.log(P), axis=1))   # the one-hot form agrees

# %% [markdown]
# The first example gives its true class 0.659 and costs 0.417 nats; the
# second is more confident, 0.859, and costs less, 0.152.
#
# ## 8.5 The gradient: $\hat{\mathbf y} - \mathbf y$, derived
#
# Training needs $\partial \ell / \partial \mathbf o$, the gradient of the
# loss with respect to the logits; the tape then carries it back to
# $\mathbf W$ and $\mathbf b$. We derive it twice.
#
# **Route 1: simplify first.** Take the log of the softmax:
#
# $$\log \hat y_j = \log \frac{\exp(o_j)}{\sum_k \exp(o_k)} = o_j - \log \sum_{k=1}^q \exp(o_k).$$
#
# Substitute into the loss, and use $\sum_j y_j = 1$ (the label is a
# distribution):
#
# $$\ell = -\sum_j y_j \Big(o_j - \log \sum_k \exp(o_k)\Big)
# = \Big(\sum_j y_j\Big) \log \sum_k \exp(o_k) - \sum_j y_j o_j
# = \log \sum_k \exp(o_k) - \sum_j y_j o_j .$$
#
# The loss is a **log-sum-exp** of the logits minus the true class's logit.
# Now differentiate with respect to one logit $o_i$. The first term, by the
# chain rule ($\frac{d}{du}\log u = \frac1u$, and only the $k = i$ term of the
# sum depends on $o_i$):
#
# $$\frac{\partial}{\partial o_i} \log \sum_k \exp(o_k) = \frac{\exp(o_i)}{\sum_k \exp(o_k)} = \hat y_i .$$
#
# The second term is linear: $\frac{\partial}{\partial o_i} \sum_j y_j o_j = y_i$. So
#
# $$\boxed{\ \frac{\partial \ell}{\partial o_i} = \hat y_i - y_i\ }
# \qquad\text{or, as a vector,}\qquad \nabla_{\mathbf o}\, \ell = \hat{\mathbf y} - \mathbf y .$$
#
# **Route 2: through the softmax's Jacobian.** Differentiate
# $\hat y_j = \exp(o_j)/S$ with $S = \sum_k \exp(o_k)$ by the quotient rule,
# using $\partial S/\partial o_i = \exp(o_i)$:
#
# $$\frac{\partial \hat y_j}{\partial o_i}
# = \frac{\delta_{ij}\exp(o_j)\,S - \exp(o_j)\exp(o_i)}{S^2}
# = \hat y_j(\delta_{ij} - \hat y_i),$$
#
# where $\delta_{ij}$ is 1 if $i = j$ and 0 otherwise. The loss depends on
# $\mathbf o$ through every $\hat y_j$, with $\partial\ell/\partial \hat y_j = -y_j/\hat y_j$,
# so the chain rule sums over $j$:
#
# $$\frac{\partial \ell}{\partial o_i}
# = \sum_j \Big(-\frac{y_j}{\hat y_j}\Big)\,\hat y_j(\delta_{ij} - \hat y_i)
# = -\sum_j y_j \delta_{ij} + \hat y_i \sum_j y_j
# = -y_i + \hat y_i .$$
#
# The same answer. Its meaning is plain: the gradient is the **prediction
# error**, probability predicted minus probability observed, just as the
# residual $\hat y - y$ was for squared error in chapters 6 and 7. Each entry
# lies between $-1$ and $1$, so the gradient can never explode, however
# wrong the model is. The true class's logit is pushed up by
# $1 - \hat y_k$, every other logit down by its probability.
#
# For a batch with the mean loss, the rows of $\partial L/\partial\mathbf O$
# are $(\hat{\mathbf y}^{(i)} - \mathbf y^{(i)})/n$, and since
# $\mathbf O = \mathbf X\mathbf W + \mathbf b$, the same steps as in chapter 7
# give
#
# $$\nabla_{\mathbf W} L = \tfrac1n \mathbf X^\top(\hat{\mathbf Y} - \mathbf Y),\qquad
# \nabla_{\mathbf b} L = \tfrac1n \sum_i (\hat{\mathbf y}^{(i)} - \mathbf y^{(i)}).$$
#
# The tape must agree. First with respect to the logits:

# %%
O_var = d2l.Variable(O_ex)
with d2l.GradientTape() as tape:
    loss = d2l.reduce_sum(cross_entropy(softmax(O_var), labels))   # summed: one row per example
grad_tape = tape.gradient(loss, O_var)
grad_formula = softmax(O_ex) - d2l.one_hot(labels, 3)
print(grad_tape)
print(grad_formula)
print(np.allclose(grad_tape, grad_formula, atol=1e-6))

# %% [markdown]
# And for the weights of a small random model, with the mean loss over a
# batch of 5 examples with 4 features and 3 classes:

# %%
gen = d2l.random.Generator.from_seed(0)
X_b = gen.normal((5, 4))
labels_b = d2l.constant([0, 2, 1, 1, 0])
W = d2l.Variable(gen.normal((4, 3)))
b = d2l.Variable(d2l.zeros(3))
with d2l.GradientTape() as tape:
    loss = d2l.reduce_mean(cross_entropy(softmax(d2l.matmul(X_b, W) + b), labels_b))
dW_tape, db_tape = tape.gradient(loss, [W, b])
err = softmax(d2l.matmul(X_b, W) + b) - d2l.one_hot(labels_b, 3)       # Y_hat - Y, shape (5, 3)
dW_formula = d2l.matmul(X_b, err, transpose_a=True) / 5
db_formula = d2l.reduce_mean(err, axis=0)
print(np.allclose(dW_tape, dW_formula, atol=1e-6), np.allclose(db_tape, db_formula, atol=1e-6))

# %% [markdown]
# ## 8.6 When softmax overflows: the log-sum-exp trick
#
# Our `softmax` is correct mathematics and fragile arithmetic. float32 holds
# numbers up to about $3.4 \times 10^{38}$, so $\exp(o)$ overflows to `inf`
# for $o > 88.7$, and it underflows to exactly 0 for $o < -103$ or so.
# Logits that large are not exotic: a confident network, or one early in a
# bad training run, produces them. Look what happens:

# %%
O_big = d2l.constant([[1000., 0., -1000.]])
print(d2l.exp(O_big))
print(softmax(O_big))

# %% [markdown]
# $\exp(1000) = \infty$, and $\infty/\infty$ is `nan` (not a number). A
# single `nan` in a loss spreads to every gradient and every weight in one
# step, and training is over. Underflow is just as bad for the loss: with
# logits $(0, -200)$ the second probability is $e^{-200} \approx 10^{-87}$,
# which float32 rounds to 0, and the loss of an example of class 1 is
# $-\log 0 = \infty$, although the true value is a perfectly ordinary 200:

# %%
O_small = d2l.constant([[0., -200.]])
print(softmax(O_small))
print(cross_entropy(softmax(O_small), d2l.constant([1])))

# %% [markdown]
# The fix uses the shift invariance of section 8.2. Subtract the largest
# logit $m = \max_k o_k$ from every logit before exponentiating: the largest
# term becomes $\exp(0) = 1$, nothing can overflow, and the sum is at least 1.
# For the loss, do not compute the softmax and then its log; use route 1's
# formula directly:
#
# $$\log \hat y_j = o_j - \log\sum_k \exp(o_k) = (o_j - m) - \log \sum_k \exp(o_k - m).$$
#
# The sum is between 1 and $q$, so its log is harmless, and no probability is
# ever rounded to 0 before the log is taken. This is the **log-sum-exp
# trick**.

# Writing the stable softmax, log-softmax and cross-entropy yourself is
# questions 1 and 2 of this chapter's assignment. Here we use the library's
# versions, which apply exactly this trick (`d2l.nn.softmax`,
# `d2l.nn.log_softmax`, and `sparse_softmax_cross_entropy_with_logits`, which
# picks entry $k_i$ of each row):

# %%
stable_softmax = d2l.nn.softmax
log_softmax = d2l.nn.log_softmax

def cross_entropy_from_logits(logits, labels):
    return d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)

print(stable_softmax(O_big))
print(log_softmax(O_big))
print(cross_entropy_from_logits(O_small, d2l.constant([1])))

# %% [markdown]
# Everything finite, and the loss of the second example is the 200 it should
# be. The library versions, `d2l.nn.softmax`, `d2l.nn.log_softmax`,
# `d2l.reduce_logsumexp` and
# `d2l.nn.sparse_softmax_cross_entropy_with_logits`, all use this trick, and
# so does Keras when a loss is told `from_logits=True` (section 8.8):

# %%
print(d2l.nn.log_softmax(O_big))
print(d2l.reduce_logsumexp(O_big, axis=1))
print(d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=d2l.constant([1]), logits=O_small))

# %% [markdown]
# The gradients tell the same story. Through the naive softmax, the tape
# computes $\infty/\infty$ on the way back too and returns `nan`; through the
# stable log-softmax it returns exactly $\hat{\mathbf y} - \mathbf y$:

# %%
O_var = d2l.Variable(O_big)
with d2l.GradientTape(persistent=True) as tape:
    naive = d2l.reduce_sum(cross_entropy(softmax(O_var), d2l.constant([1])))
    stable = d2l.reduce_sum(cross_entropy_from_logits(O_var, d2l.constant([1])))
print(tape.gradient(naive, O_var))
print(tape.gradient(stable, O_var))
del tape

# %% [markdown]
# The rule: **keep logits, not probabilities, as long as possible**, and let
# a function that knows the trick combine softmax and log. That is why models
# end in a plain linear layer that outputs logits, and why the loss is told
# so.
#
# ## 8.7 Softmax regression on MNIST
#
# Time to learn something. `d2l.keras.datasets.mnist.load_data()` returns the
# digits as NumPy arrays, as Keras does. With `D2L_OFFLINE=1` it uses the
# 5,000 digits that ship with the engine (4,000 for training, 400 of each
# digit, and 1,000 for testing) instead of downloading all 70,000; that keeps
# the chapter fast and the same on every machine. Chapter 11 says more about
# the loader.
#
# d2l_core only: `D2L_OFFLINE` and the subset's `SubsetWarning` are the
# engine's. In TensorFlow, `load_data()` downloads all 70,000 digits; load the
# same subset with `np.load('../data/mnist_subset.npz')` (arrays `x_train`,
# `y_train`, `x_test`, `y_test`) if you want these exact numbers.

# %% tags=["d2l-only"]
os.environ['D2L_OFFLINE'] = '1'       # use the bundled 5,000-digit subset
warnings.simplefilter('ignore', d2l.keras.datasets.mnist.SubsetWarning)

# %%
(x, y), (x_test, y_test) = d2l.keras.datasets.mnist.load_data()
print(x.shape, y.shape, x_test.shape, y_test.shape)

# %% [markdown]
# Each image becomes a row of 784 pixel values, scaled from $0..255$ to
# $[0, 1]$, and the labels become int32 tensors:

# %%
X_train = d2l.constant(x.reshape(-1, 784).astype(np.float32) / 255.)
y_train = d2l.constant(y.astype(np.int32))
X_test = d2l.constant(x_test.reshape(-1, 784).astype(np.float32) / 255.)
y_test_t = d2l.constant(y_test.astype(np.int32))
print(X_train.shape, y_train.shape, y_train[:10].numpy())

# %% [markdown]
# The model has $784 \times 10$ weights and 10 biases, all starting at zero
# (for this model zero is a fine start: the loss is convex, and the gradient
# $\hat{\mathbf Y} - \mathbf Y$ differs from class to class, so the columns of
# $\mathbf W$ learn different things at once). At zero every class gets
# probability $1/10$, so the initial loss is $\log 10 \approx 2.303$.
#
# Training is chapter 7's minibatch SGD with the stable loss: batches of
# 100, shuffled every epoch with a seeded NumPy generator, learning rate 0.5,
# 10 epochs. After each epoch we record the training loss (the mean over the
# epoch's batches) and the **accuracy**, the fraction of examples whose
# largest logit is at the true class, on the training and the test set.

# %%
def accuracy(logits, labels):
    predicted = d2l.argmax(logits, axis=1, output_type=d2l.int32)
    return float(d2l.reduce_mean(d2l.cast(predicted == labels, d2l.float32)))

W = d2l.Variable(d2l.zeros((784, 10)))
b = d2l.Variable(d2l.zeros(10))
optimizer = d2l.keras.optimizers.SGD(learning_rate=0.5)
rng = np.random.default_rng(0)
print(f'initial loss {float(d2l.reduce_mean(cross_entropy_from_logits(d2l.matmul(X_train, W) + b, y_train))):.4f}')

history = {'train loss': [], 'train accuracy': [], 'test accuracy': []}
for epoch in range(10):
    batch_losses = []
    for batch in np.array_split(rng.permutation(4000), 40):       # 40 shuffled batches of 100
        X_batch, y_batch = d2l.gather(X_train, batch), d2l.gather(y_train, batch)
        with d2l.GradientTape() as tape:
            loss = d2l.reduce_mean(cross_entropy_from_logits(d2l.matmul(X_batch, W) + b, y_batch))
        grads = tape.gradient(loss, [W, b])
        optimizer.apply_gradients(zip(grads, [W, b]))
        batch_losses.append(float(loss))
    history['train loss'].append(np.mean(batch_losses))
    history['train accuracy'].append(accuracy(d2l.matmul(X_train, W) + b, y_train))
    history['test accuracy'].append(accuracy(d2l.matmul(X_test, W) + b, y_test_t))
    print(f"epoch {epoch + 1:2d}: loss {history['train loss'][-1]:.4f}, "
          f"train accuracy {history['train accuracy'][-1]:.3f}, test accuracy {history['test accuracy'][-1]:.3f}")

# %%
epochs = np.arange(1, 11)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.2))
ax1.plot(epochs, history['train loss'], 'o-')
ax1.axhline(np.log(10), color='k', ls=':', lw=1)
ax1.text(1, np.log(10) - 0.15, 'log 10: the loss at W = 0', fontsize=8)
ax1.set_ylim(0, 2.5)
ax1.set_xlabel('epoch')
ax1.set_ylabel('cross-entropy (nats)')
ax1.set_title('Training loss (mean over each epoch)')
ax1.grid(True, alpha=0.3)
ax2.plot(epochs, history['train accuracy'], 'o-', label='training set (4,000)')
ax2.plot(epochs, history['test accuracy'], 's-', label='test set (1,000)')
ax2.set_xlabel('epoch')
ax2.set_ylabel('accuracy')
ax2.set_title('Accuracy after each epoch')
ax2.legend(loc='lower right')
ax2.grid(True, alpha=0.3)
plt.tight_layout()
plt.show()

# %% [markdown]
# One epoch takes the model from guessing (10%) to about 87% on digits it has
# never seen, and ten epochs to about 91%. The training accuracy climbs
# a little higher than the test accuracy: with 7,850 parameters and 4,000
# examples the model starts to fit peculiarities of its training digits
# (chapter 10 is about this gap). A linear model cannot do much better on
# MNIST; chapter 11's hidden layers reach about 95% on the same data.
#
# ### What did it learn?
#
# Column $j$ of $\mathbf W$ has one weight per pixel, and the score of class
# $j$ is the sum of the pixel values weighted by it. Drawn as $28 \times 28$
# images, the columns show what each class "looks for": red where ink raises
# the score, blue where ink lowers it.

# %%
W_images = W.numpy().T.reshape(10, 28, 28)
limit = np.abs(W_images).max()
fig, axes = plt.subplots(2, 5, figsize=(10, 4.4))
for digit, ax in enumerate(axes.flat):
    im = ax.imshow(W_images[digit], cmap='RdBu_r', vmin=-limit, vmax=limit)
    ax.set_title(f'weights for {digit}')
    ax.axis('off')
fig.colorbar(im, ax=axes, shrink=0.8, label='weight (red: ink here votes for the class)')
fig.suptitle('The columns of W as images', x=0.45)
plt.show()

# %% [markdown]
# Some are recognisable: the 0 is a red ring around a blue centre (ink in the
# middle argues against a 0), the 1 a red slanted stroke, the 3 and the 5
# faint outlines of their shapes. Others are blotchy: 4,000 examples leave
# much noise in 7,850 weights. The pixels at the border are never inked, get
# zero gradient (their inputs are 0), and stay at zero: white. The model
# is a set of ten templates, and it predicts the digit whose template best
# matches the image. That is also its limit: one template per class cannot
# capture the many ways to write a 2 or a 4, which is what hidden layers add.
#
# ### Which digits does it confuse?
#
# A **confusion matrix** counts, for every true class (row) and predicted
# class (column), how many test examples fell there; the diagonal holds the
# correct ones. With one-hot encodings it is one matrix product:
# $\mathbf C = \mathrm{onehot}(\mathbf y)^\top\,\mathrm{onehot}(\hat{\mathbf y})$,
# since entry $(i, j)$ sums, over the examples, 1 exactly when the label is
# $i$ and the prediction is $j$.

# %%
predicted = d2l.argmax(d2l.matmul(X_test, W) + b, axis=1, output_type=d2l.int32)
C = d2l.matmul(d2l.one_hot(y_test_t, 10), d2l.one_hot(predicted, 10), transpose_a=True)
C = C.numpy().astype(int)
print(C)
print('correct:', np.trace(C), 'of', C.sum())

# %%
fig, ax = plt.subplots(figsize=(5.5, 4.8))
off_diagonal = C - np.diag(np.diag(C))
im = ax.imshow(off_diagonal, cmap='Reds')
for i in range(10):
    for j in range(10):
        ax.text(j, i, C[i, j], ha='center', va='center', fontsize=8,
                color='tab:green' if i == j else ('white' if off_diagonal[i, j] > 6 else 'black'))
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel('predicted digit')
ax.set_ylabel('true digit')
ax.set_title('Confusion matrix on the test set\n(colour: mistakes only; green: correct)')
fig.colorbar(im, label='number of test digits')
plt.show()

# %% [markdown]
# The 0s and 6s are almost always right. The mistakes cluster where the
# templates overlap: 4s taken for 9s (the same strokes, open or closed at
# the top), 3s and 5s taken for each other, 8s and 3s taken for 2s, and 9s
# for 7s. A confusion matrix shows where to look for
# improvements, which one accuracy number hides.
#
# ## 8.8 The same model in Keras
#
# In Keras, softmax regression is one `Dense(10)` layer that outputs logits,
# and the loss `SparseCategoricalCrossentropy(from_logits=True)`: "sparse"
# because the labels are integers rather than one-hot vectors, and
# `from_logits=True` so that it applies the stable log-softmax of section 8.6
# itself. The metric `'accuracy'` is ours. We start from zeros again.
#
# `fit` shuffles the examples every epoch. `d2l.keras.utils.set_random_seed(0)`
# makes that shuffle the same on every run, but d2l_core and TensorFlow draw
# different orders from the same seed, so the losses printed here differ
# between the engines in the second or third decimal.

# %% tags=["output-varies"]
d2l.keras.utils.set_random_seed(0)
model = d2l.keras.Sequential([d2l.keras.layers.Dense(10, kernel_initializer='zeros')])
model.compile(optimizer=d2l.keras.optimizers.SGD(learning_rate=0.5),
              loss=d2l.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
fit_history = model.fit(X_train, y_train, batch_size=100, epochs=10, verbose=0)
print('training loss per epoch:', np.round(fit_history.history['loss'], 3))
test_loss, test_accuracy = model.evaluate(X_test, y_test_t, verbose=0)
print(f'test loss {test_loss:.3f}, test accuracy {test_accuracy:.3f}')

# %% [markdown]
# The same accuracy as our loop, to within the luck of the shuffle.
#
# **Mind the argument order.** A Keras loss is called as
# `loss(y_true, y_pred)`: the labels first, the model's output second (the
# opposite of many other libraries, and of the order in which the model
# produces them). For the sparse loss a swap is caught, because the labels
# are integers of one rank less. (We use the logits of our own model from
# section 8.7 here, which are the same under both engines; `model(X_test[:3])`
# would do as well.)

# %%
loss_fn = d2l.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
logits = d2l.matmul(X_test[:3], W) + b
print(loss_fn(y_test_t[:3], logits))
print(d2l.reduce_mean(cross_entropy_from_logits(logits, y_test_t[:3])))   # ours agrees

# %% tags=["raises-exception"]
loss_fn(logits, y_test_t[:3])

# %% [markdown]
# (TensorFlow raises a `ValueError` about ranks here, d2l_core a `TypeError`
# that suggests the swap; both stop you.) With one-hot or probability
# targets, though, both arguments are float tensors of the same shape, and a
# swap computes $H(\hat{\mathbf y}, \mathbf y)$ instead of
# $H(\mathbf y, \hat{\mathbf y})$: a different number, and no error. Nor is
# there an error if you forget `from_logits=True`: the loss then takes the
# logits for probabilities (after clipping them to $[10^{-7}, 1]$ and
# rescaling each row to sum to 1), which is simply wrong:

# %%
cce = d2l.keras.losses.CategoricalCrossentropy()
p_true = d2l.constant([[0.9, 0.05, 0.05]])
p_model = d2l.constant([[0.2, 0.2, 0.6]])
print('loss(y_true, y_pred):', float(cce(p_true, p_model)))
print('loss(y_pred, y_true):', float(cce(p_model, p_true)))
print('from_logits=True: ', float(loss_fn(y_test_t[:3], logits)))
print('from_logits=False:', float(d2l.keras.losses.SparseCategoricalCrossentropy()(y_test_t[:3], logits)))

# %% [markdown]
# ## Summary
#
# * Classification with $q$ classes: a linear layer computes logits
#   $\mathbf o = \mathbf x\mathbf W + \mathbf b$; softmax
#   $\hat y_j = e^{o_j}/\sum_k e^{o_k}$ turns them into probabilities without
#   changing their order; labels are integers or one-hot vectors.
# * Surprisal $-\log p$; entropy $H(p)$ is expected surprisal; cross-entropy
#   $H(p, \hat p)$ is expected surprisal under a belief $\hat p$; the excess
#   $D_{\mathrm{KL}}(p\|\hat p) = H(p,\hat p) - H(p) \ge 0$.
# * The loss is $\ell = -\log \hat y_k = \log\sum_j e^{o_j} - o_k$, the
#   negative log-likelihood of the label. Its gradient is
#   $\nabla_{\mathbf o}\ell = \hat{\mathbf y} - \mathbf y$, and for a batch
#   $\nabla_{\mathbf W} L = \frac1n\mathbf X^\top(\hat{\mathbf Y} - \mathbf Y)$.
# * Naive softmax overflows (`nan`) and its log underflows (`inf`). Subtract
#   the maximum logit and compute log-softmax directly (log-sum-exp); in
#   practice use `d2l.nn.log_softmax` or a loss with `from_logits=True`.
# * Softmax regression reaches about 90% test accuracy on our MNIST subset
#   in 10 epochs; its weights are one template per digit, and the confusion
#   matrix shows which digits those templates mix up.
# * Keras: `Dense(10)` plus `SparseCategoricalCrossentropy(from_logits=True)`;
#   losses take `(y_true, y_pred)`, and a swap with float targets is silent.
#
# ## Check yourself
#
# 1. The logits of an example are $(1, 2, 3)$. What are the softmax
#    probabilities, and what are they for $(101, 102, 103)$ and for $(2, 4, 6)$?
#
#    <details><summary>Answer</summary>
#
#    $(e^1, e^2, e^3)/(e^1+e^2+e^3) \approx (0.090, 0.245, 0.665)$. Adding 100
#    to every logit changes nothing. Doubling them sharpens the distribution:
#    $(e^2, e^4, e^6)/\dots \approx (0.016, 0.117, 0.867)$; the order is
#    unchanged.
#    </details>
#
# 2. A model gives the true class probability 0.5 on one example and 0.01 on
#    another. What are the two losses, and what is the gradient with respect
#    to the true class's logit in each case?
#
#    <details><summary>Answer</summary>
#
#    $-\log 0.5 \approx 0.693$ and $-\log 0.01 \approx 4.605$ nats. The
#    gradient with respect to the true logit is $\hat y_k - 1$: $-0.5$ and
#    $-0.99$. The worse prediction is pushed harder, but never by more than 1
#    in size.
#    </details>
#
# 3. Derive $\partial\ell/\partial o_i$ for the loss $\ell = \log\sum_k e^{o_k} - o_k$
#    (here $k$ is the true class, fixed) without looking at section 8.5.
#    Why does $\sum_j y_j = 1$ matter in the general derivation?
#
#    <details><summary>Answer</summary>
#
#    The first term gives $e^{o_i}/\sum_k e^{o_k} = \hat y_i$, the second
#    $-1$ if $i = k$ and 0 otherwise, that is $-y_i$: together $\hat y_i - y_i$.
#    In the general derivation the log-sum-exp term appears multiplied by
#    $\sum_j y_j$; because a label is a probability distribution that factor
#    is 1. With a target that does not sum to 1 the gradient would be
#    $(\sum_j y_j)\hat y_i - y_i$.
#    </details>
#
# 4. Why does `softmax` return `nan` for the logits $(1000, 0)$, and why does
#    subtracting the maximum fix it without changing the result?
#
#    <details><summary>Answer</summary>
#
#    $e^{1000}$ overflows float32 to `inf`, and `inf / inf` is `nan`.
#    Softmax is unchanged by adding a constant to all logits (the factor
#    $e^{c}$ cancels), so subtracting the maximum gives the same
#    probabilities while the largest exponent is $e^0 = 1$ and the sum lies
#    between 1 and $q$.
#    </details>
#
# 5. Is $D_{\mathrm{KL}}(p\|\hat p)$ a distance? Compute both directions
#    for $p = (0.5, 0.5)$ and $\hat p = (0.9, 0.1)$.
#
#    <details><summary>Answer</summary>
#
#    Not in the mathematical sense: it is never negative and zero only for
#    $\hat p = p$, but it is not symmetric (nor does it satisfy the triangle
#    inequality). $D(p\|\hat p) = 0.5\log\frac{0.5}{0.9} + 0.5\log\frac{0.5}{0.1} \approx 0.511$;
#    $D(\hat p\|p) = 0.9\log 1.8 + 0.1\log 0.2 \approx 0.368$ nats.
#    </details>
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch08_softmax/ch08_softmax.ipynb`](../exercises/learner/ch08_softmax/ch08_softmax.ipynb):
# a stable softmax and log-softmax, cross-entropy with integer labels, the
# gradient $\hat{\mathbf y} - \mathbf y$ by hand against the tape, a small
# training loop that must reach an accuracy, and a written derivation.
