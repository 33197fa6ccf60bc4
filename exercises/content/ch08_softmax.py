# %% [markdown]
# # Chapter 8 exercises: softmax regression
#
# You will write softmax and log-softmax that survive large logits, the
# cross-entropy loss for integer labels, its gradient by hand (checked
# against the tape), and a small training loop that must reach an accuracy.
# A written question asks you to derive the gradient.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.
#
# Throughout, `logits` is a float32 tensor of shape `(n, q)`: one row of $q$
# class scores per example. `labels` is an integer tensor of shape `(n,)`
# holding each example's class, $0 \le k < q$. **Do not use** the library's
# softmax functions (`d2l.nn.softmax`, `d2l.nn.log_softmax`,
# `d2l.reduce_logsumexp`, `d2l.nn.sparse_softmax_cross_entropy_with_logits`,
# Keras losses) inside your answers; the tests compare your functions with
# them.

# %%
import d2l_core as d2l
import dis
import math
import types

import numpy as np


def make_blobs(n_per_class, centres, scale, seed):
    """n_per_class points around each centre (a Gaussian blob per class): float32 X, int32 labels."""
    rng = np.random.default_rng(seed)
    centres = np.asarray(centres, dtype=np.float32)
    X = np.concatenate([c + scale * rng.normal(size=(n_per_class, len(c))) for c in centres])
    labels = np.repeat(np.arange(len(centres)), n_per_class)
    return d2l.constant(X.astype(np.float32)), d2l.constant(labels.astype(np.int32))


X_blobs, labels_blobs = make_blobs(100, [[0., 3.], [-3., -2.], [3., -2.]], 1.0, seed=0)   # 300 points, 3 classes

# The tests use the following to check that your answers do not call the library's
# softmax functions (or, in question 3, a tape).
FORBIDDEN = {'softmax', 'log_softmax', 'reduce_logsumexp', 'logsumexp', 'softmax_cross_entropy_with_logits',
             'sparse_softmax_cross_entropy_with_logits', 'keras', 'GradientTape', 'gradient', 'jacobian'}


def library_calls(fn, forbidden, depth=0):
    """The library softmax/tape names fn (or a function of yours it calls) uses."""
    found, codes = [], [fn.__code__]
    while codes:
        code = codes.pop()
        for ins in dis.get_instructions(code):
            name = ins.argval if isinstance(ins.argval, str) else None
            if name is None:
                continue
            if ins.opname in ('LOAD_ATTR', 'LOAD_METHOD') and name in forbidden:
                found.append(name)
            elif ins.opname in ('LOAD_GLOBAL', 'LOAD_NAME'):
                target = fn.__globals__.get(name)
                module = getattr(target, '__module__', '') or ''
                if module.startswith('d2l_core') and getattr(target, '__name__', '') in forbidden:
                    found.append(name)
                elif isinstance(target, types.FunctionType) and target is not fn and depth < 3:
                    found += library_calls(target, forbidden, depth + 1)
        codes += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return found

# %% [markdown]
# ## Question 1: a stable softmax and log-softmax (5 points)
#
# Write `stable_softmax(logits)` and `log_softmax(logits)`, both working
# along axis 1 (each row separately) and returning a tensor of the shape of
# `logits`:
#
# * $\mathrm{softmax}(\mathbf o)_j = \exp(o_j) / \sum_k \exp(o_k)$;
# * $\log \mathrm{softmax}(\mathbf o)_j = o_j - \log\sum_k \exp(o_k)$.
#
# Both must give finite, correct results for logits as large as $\pm 1000$
# (use the log-sum-exp trick: subtract each row's maximum), and
# `log_softmax` must not take the log of a probability that has been rounded
# to 0: `log_softmax([[0., -200.]])` is `[[0., -200.]]`, not `-inf`.

# %% solution q1
def stable_softmax(logits):
    ### BEGIN SOLUTION
    E = d2l.exp(logits - d2l.reduce_max(logits, axis=1, keepdims=True))
    return E / d2l.reduce_sum(E, axis=1, keepdims=True)
    ### END SOLUTION


def log_softmax(logits):
    ### BEGIN SOLUTION
    shifted = logits - d2l.reduce_max(logits, axis=1, keepdims=True)
    return shifted - d2l.math.log(d2l.reduce_sum(d2l.exp(shifted), axis=1, keepdims=True))
    ### END SOLUTION

# %% tests q1_tests points=5
check = d2l.check('q1', 'stable softmax and log-softmax')
logits_small = d2l.constant([[1., 2., 3.], [0., 0., 0.]])
p = stable_softmax(logits_small)
check.equal(tuple(p.shape), (2, 3), 'softmax keeps the shape of the logits')
check.close(p, [[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]], 'softmax of two small rows',
            hint='exp of each entry, divided by the sum of its row')
check.close(log_softmax(logits_small), np.log([[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]]),
            'log-softmax of two small rows', rtol=1e-5, atol=1e-6)
check.close(stable_softmax(d2l.constant([[1000., 0.]])), [[1., 0.]], 'softmax of (1000, 0) is finite',
            hint='subtract the largest logit of each row first')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(library_calls(stable_softmax, FORBIDDEN - {'gradient', 'jacobian', 'GradientTape'}), [],
            'stable_softmax does not call a library softmax', hint='use exp, reduce_max and reduce_sum')
check.equal(library_calls(log_softmax, FORBIDDEN - {'gradient', 'jacobian', 'GradientTape'}), [],
            'log_softmax does not call a library softmax or logsumexp')
gen = np.random.default_rng(2)
for shape, scale in [((5, 4), 3.), ((1, 10), 1.), ((64, 7), 30.)]:
    z = d2l.constant((scale * gen.normal(size=shape)).astype(np.float32))
    check.close(stable_softmax(z), d2l.nn.softmax(z), f'softmax of random logits of shape {shape}',
                rtol=1e-4, atol=1e-6)
    check.close(log_softmax(z), d2l.nn.log_softmax(z), f'log-softmax of random logits of shape {shape}',
                rtol=1e-4, atol=1e-4)
big = d2l.constant([[1000., 0., -1000.], [-1000., -1000., -1000.], [500., 500., 0.]])
check.close(stable_softmax(big), [[1., 0., 0.], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0.]],
            'softmax of logits of size 1000 (no overflow)', hint='exp(1000) is inf in float32')
check.close(log_softmax(big), [[0., -1000., -2000.], [-math.log(3)] * 3, [-math.log(2), -math.log(2), -500 - math.log(2)]],
            'log-softmax of logits of size 1000', rtol=1e-5, atol=1e-3)
check.close(log_softmax(d2l.constant([[0., -200.]])), [[0., -200.]], 'log-softmax of (0, -200) is not -inf',
            hint='compute o - max - log(sum(exp(o - max))), never log(softmax(o))', atol=1e-4)
check.close(stable_softmax(logits_small + 50.), stable_softmax(logits_small), 'adding a constant changes nothing')
check.equal(stable_softmax(logits_small).dtype, d2l.float32, 'float32 logits give float32 probabilities')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: cross-entropy with integer labels (4 points)
#
# Write `cross_entropy(logits, labels)` returning the loss of every example,
# a tensor of shape `(n,)`: $\ell_i = -\log \mathrm{softmax}(\mathbf o_i)_{k_i}$,
# where $k_i$ is `labels[i]`. It must stay finite and correct for large
# logits (build it on your `log_softmax`). `d2l.gather(M, labels, axis=1, batch_dims=1)`
# picks `M[i, labels[i]]` from every row, and `d2l.one_hot` also works.

# %% solution q2
def cross_entropy(logits, labels):
    ### BEGIN SOLUTION
    return -d2l.gather(log_softmax(logits), labels, axis=1, batch_dims=1)
    ### END SOLUTION

# %% tests q2_tests points=4
check = d2l.check('q2', 'cross_entropy')
loss = cross_entropy(d2l.constant([[1., 2., 3.], [0., 0., 0.]]), d2l.constant([2, 0]))
check.equal(tuple(loss.shape), (2,), 'one loss per example')
check.close(loss, [-math.log(0.66524096), math.log(3)], 'two small examples', rtol=1e-5,
            hint='minus the log-softmax at the true class')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(library_calls(cross_entropy, FORBIDDEN - {'gradient', 'jacobian', 'GradientTape'}), [],
            'cross_entropy does not call a library softmax or cross-entropy')
gen = np.random.default_rng(4)
for n, q in [(6, 4), (1, 2), (50, 10)]:
    z = d2l.constant((5 * gen.normal(size=(n, q))).astype(np.float32))
    lab = d2l.constant(gen.integers(0, q, size=n).astype(np.int32))
    check.close(cross_entropy(z, lab), d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=z),
                f'{n} examples with {q} classes agree with the library', rtol=1e-4, atol=1e-5)
check.close(cross_entropy(d2l.constant([[0., -200.], [1000., 0.]]), d2l.constant([1, 1])), [200., 1000.],
            'large logits: losses 200 and 1000, not inf or nan', rtol=1e-5,
            hint='use your log_softmax, not log(softmax)')
check.close(cross_entropy(d2l.constant([[1., 2., 3.]]), d2l.constant([2], dtype=d2l.int64)),
            [-math.log(0.66524096)], 'int64 labels work too', rtol=1e-5)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: the gradient $\hat{\mathbf y} - \mathbf y$ by hand (4 points)
#
# For the **mean** loss over a batch, $L = \frac1n\sum_i \ell_i$, the
# gradient with respect to the logits is
# $\partial L/\partial \mathbf O = (\hat{\mathbf Y} - \mathbf Y)/n$, where
# $\hat{\mathbf Y}$ holds the softmax of every row and $\mathbf Y$ the
# one-hot labels. Write `ce_grad(logits, labels)` that computes it from this
# formula, **without a tape**, returning a tensor of the shape of `logits`.
# The test compares it with the tape's gradient of
# `d2l.reduce_mean(cross_entropy(logits, labels))`.

# %% solution q3
def ce_grad(logits, labels):
    ### BEGIN SOLUTION
    n, q = logits.shape
    return (stable_softmax(logits) - d2l.one_hot(labels, q)) / n
    ### END SOLUTION

# %% tests q3_tests points=4


def tape_grad(logits, labels):
    """The gradient of the mean cross-entropy from the tape, to compare with."""
    z = d2l.Variable(logits)
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z))
    return tape.gradient(loss, z)


check = d2l.check('q3', 'ce_grad')
z_demo = d2l.constant([[1., 2., 3.], [0., 0., 0.]])
labels_demo = d2l.constant([2, 0])
g = ce_grad(z_demo, labels_demo)
check.equal(tuple(g.shape), (2, 3), 'the gradient has the shape of the logits')
check.close(g, tape_grad(z_demo, labels_demo), 'agrees with the tape on two examples', atol=1e-6,
            hint='softmax of each row minus its one-hot label, divided by n')
### BEGIN HIDDEN TESTS
check.hidden()
check.equal(library_calls(ce_grad, {'GradientTape', 'gradient', 'jacobian'}), [],
            'ce_grad does not use a tape', hint='compute (softmax - one_hot) / n directly')
gen = np.random.default_rng(6)
for n, q in [(7, 5), (1, 3), (40, 10)]:
    z = d2l.constant((3 * gen.normal(size=(n, q))).astype(np.float32))
    lab = d2l.constant(gen.integers(0, q, size=n).astype(np.int32))
    check.close(ce_grad(z, lab), tape_grad(z, lab), f'{n} examples with {q} classes agree with the tape',
                atol=1e-6, rtol=1e-4)
check.close(ce_grad(d2l.constant([[1000., 0.], [0., 0.]]), d2l.constant([1, 0])),
            [[0.5, -0.5], [-0.25, 0.25]], 'large logits: a finite gradient', atol=1e-6,
            hint='use your stable softmax')
g = ce_grad(z, lab)
check.close(d2l.reduce_sum(g, axis=1), np.zeros(40), 'each row of the gradient sums to zero', atol=1e-6)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: train a softmax classifier (4 points)
#
# Write `train_softmax(X, labels, num_classes, lr, num_epochs, batch_size, seed=0)`
# that trains $\mathbf O = \mathbf X\mathbf W + \mathbf b$ with minibatch SGD:
#
# * start from `W = d2l.Variable(d2l.zeros((d, num_classes)))` and
#   `b = d2l.Variable(d2l.zeros(num_classes))`;
# * create `rng = np.random.default_rng(seed)` and the optimizer
#   `d2l.keras.optimizers.SGD(learning_rate=lr)`, written exactly like that
#   inside your function (the grader counts its steps);
# * in each epoch, shuffle the examples with `rng` (for example
#   `rng.permutation(n)`), and for each minibatch of `batch_size` examples
#   (the last may be smaller) take one step on the **mean** of your
#   `cross_entropy` over the minibatch, with a tape or with your `ce_grad`;
# * after each epoch, append the mean cross-entropy on the **whole** data
#   set, as a Python float, to a list `losses`.
#
# Return `(W, b, losses)`. On the three blobs above, with `lr=0.1`,
# `num_epochs=5` and `batch_size=20`, the training accuracy must reach 90%.
# The losses must come from real training: the grader checks them against
# your `W` and `b`, against a learning rate of zero, and against the number
# of steps.

# %% solution q4
def train_softmax(X, labels, num_classes, lr, num_epochs, batch_size, seed=0):
    ### BEGIN SOLUTION
    n, d = X.shape
    rng = np.random.default_rng(seed)
    W = d2l.Variable(d2l.zeros((d, num_classes)))
    b = d2l.Variable(d2l.zeros(num_classes))
    optimizer = d2l.keras.optimizers.SGD(learning_rate=lr)
    losses = []
    for epoch in range(num_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            X_batch, labels_batch = d2l.gather(X, batch), d2l.gather(labels, batch)
            with d2l.GradientTape() as tape:
                loss = d2l.reduce_mean(cross_entropy(d2l.matmul(X_batch, W) + b, labels_batch))
            grads = tape.gradient(loss, [W, b])
            optimizer.apply_gradients(zip(grads, [W, b]))
        losses.append(float(d2l.reduce_mean(cross_entropy(d2l.matmul(X, W) + b, labels))))
    return W, b, losses
    ### END SOLUTION

# %% tests q4_tests points=4


def accuracy(X, labels, W, b):
    predicted = d2l.argmax(d2l.matmul(X, W) + b, axis=1, output_type=labels.dtype)
    return float(d2l.reduce_mean(d2l.cast(predicted == labels, d2l.float32)))


check = d2l.check('q4', 'train_softmax')
W, b, losses = train_softmax(X_blobs, labels_blobs, 3, lr=0.1, num_epochs=5, batch_size=20)
check.equal(tuple(W.shape), (2, 3), 'W has shape (features, classes)')
check.equal(tuple(b.shape), (3,), 'b has one entry per class')
check.equal(len(losses), 5, 'one loss per epoch')
check.true(all(isinstance(v, float) for v in losses), 'the losses are Python floats', hint='use float(loss)')
acc = accuracy(X_blobs, labels_blobs, W, b)
check.true(acc >= 0.9, 'training accuracy at least 90% on the blobs', actual=acc,
           hint='take one optimizer step per minibatch on the mean cross-entropy')
### BEGIN HIDDEN TESTS
check.hidden()
final = float(d2l.reduce_mean(cross_entropy(d2l.matmul(X_blobs, W) + b, labels_blobs)))
check.close(losses[-1], final, 'the last loss is the loss of the returned W and b on all data', rtol=1e-4)
check.true(losses[-1] < losses[0] < math.log(3), 'the loss went down from log 3', actual=losses)
W0, b0, losses0 = train_softmax(X_blobs, labels_blobs, 3, lr=0.0, num_epochs=2, batch_size=20)
check.close(losses0, [math.log(3)] * 2, 'with lr = 0 nothing moves: the loss stays log 3', rtol=1e-5)
check.close(W0, np.zeros((2, 3)), 'with lr = 0, W stays zero')
_, _, losses_again = train_softmax(X_blobs, labels_blobs, 3, lr=0.1, num_epochs=5, batch_size=20)
check.close(losses_again, losses, 'the same seed gives the same run', rtol=1e-5)

steps = []
real_sgd = d2l.keras.optimizers.SGD


class CountingSGD(real_sgd):
    def apply_gradients(self, *args, **kwargs):
        steps.append(1)
        return super().apply_gradients(*args, **kwargs)


gen = np.random.default_rng(8)
centres = 4 * np.eye(4, 10) + gen.normal(scale=0.2, size=(4, 10))
X_h, labels_h = make_blobs(45, centres, 0.7, seed=9)                 # 180 points, 10 features, 4 classes
d2l.keras.optimizers.SGD = CountingSGD
try:
    W_h, b_h, losses_h = train_softmax(X_h, labels_h, 4, lr=0.2, num_epochs=4, batch_size=32, seed=1)
finally:
    d2l.keras.optimizers.SGD = real_sgd
check.equal(len(steps), 4 * math.ceil(180 / 32), 'one optimizer step per minibatch: 4 epochs of 6 batches',
            hint='create the optimizer as d2l.keras.optimizers.SGD(learning_rate=lr) inside the function')
check.equal(tuple(W_h.shape), (10, 4), 'W for 10 features and 4 classes')
acc_h = accuracy(X_h, labels_h, W_h, b_h)
check.true(acc_h >= 0.9, 'another data set (10 features, 4 classes): accuracy at least 90%', actual=acc_h)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: where $\hat{\mathbf y} - \mathbf y$ comes from (3 points, graded by hand)
#
# Let $\hat{\mathbf y} = \mathrm{softmax}(\mathbf o)$ and
# $\ell = -\sum_j y_j \log \hat y_j$, for a label distribution $\mathbf y$
# (one-hot, or any vector of non-negative entries that sum to 1).
#
# 1. Derive $\partial \ell / \partial o_i = \hat y_i - y_i$ step by step,
#    and say at which step you use $\sum_j y_j = 1$.
# 2. Each entry of this gradient lies between $-1$ and $1$. Explain what
#    that means when the model is confidently wrong (it gives the true class a
#    probability near 0), and why this makes the loss well suited to
#    training.
#
# **Rubric (3 points):** 2 for part 1 (1 for a correct first step: either
# $\log\hat y_j = o_j - \log\sum_k e^{o_k}$, or the softmax Jacobian
# $\partial\hat y_j/\partial o_i = \hat y_j(\delta_{ij} - \hat y_i)$; 1 for
# carrying the derivative through to $\hat y_i - y_i$ with the use of
# $\sum_j y_j = 1$ stated), 1 for part 2 (a confidently wrong prediction gets
# the largest push, close to $-1$ on the true logit and $+\hat y_j$ on the
# others, so learning does not stall, yet the step stays bounded and cannot
# explode).

# %% [markdown] written q5 points=3
# 1. Since $\hat y_j = e^{o_j}/\sum_k e^{o_k}$, its log is
#    $\log\hat y_j = o_j - \log\sum_k e^{o_k}$. Substituting,
#    $\ell = -\sum_j y_j o_j + \big(\sum_j y_j\big)\log\sum_k e^{o_k}$, and
#    with $\sum_j y_j = 1$ (here is where it is used)
#    $\ell = \log\sum_k e^{o_k} - \sum_j y_j o_j$. Differentiating with
#    respect to $o_i$: the first term gives, by the chain rule,
#    $\frac{1}{\sum_k e^{o_k}}\cdot e^{o_i} = \hat y_i$ (only the $k = i$
#    term of the sum depends on $o_i$); the second term gives $y_i$. So
#    $\partial\ell/\partial o_i = \hat y_i - y_i$. (Equivalently, with the
#    Jacobian $\partial\hat y_j/\partial o_i = \hat y_j(\delta_{ij} - \hat y_i)$
#    and $\partial\ell/\partial\hat y_j = -y_j/\hat y_j$:
#    $\sum_j -y_j(\delta_{ij} - \hat y_i) = -y_i + \hat y_i\sum_j y_j = \hat y_i - y_i$.)
# 2. Both $\hat y_i$ and $y_i$ lie in $[0, 1]$, so their difference lies in
#    $[-1, 1]$. When the model is confidently wrong, $\hat y_k \approx 0$ for
#    the true class $k$, the gradient on its logit is $\hat y_k - 1 \approx -1$,
#    the largest possible, and the wrongly favoured class gets about $+1$:
#    the worst mistakes get the strongest correction, so training does not
#    stall on them (unlike, say, squared error on the probabilities, whose
#    gradient through the softmax vanishes when $\hat y_k \to 0$). And
#    because the entries never exceed 1 in size, a single badly wrong
#    example cannot produce a huge step: the loss can be large (up to
#    $-\log \hat y_k$), but its gradient stays bounded.
