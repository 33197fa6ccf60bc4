# %% [markdown]
# # Chapter 10 exercises: generalisation and regularisation
#
# You will write the pieces behind the chapter's experiments yourself: a
# training/validation split, a loss with an L2 penalty, dropout, and the
# decision rule of early stopping. A written question asks what the
# validation set is for, and why the test set is not.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.

# %%
import d2l_core as d2l
import inspect
import numpy as np

# %% [markdown]
# ## Question 1: a training/validation split (4 points)
#
# Write `train_val_split(n, val_fraction, seed=0)` that splits the example
# indices `0, 1, ..., n - 1` at random into a training part and a validation
# part:
#
# * the validation part has `int(n * val_fraction)` indices (rounded down),
#   the training part the rest;
# * every index is in exactly one of the two parts (no overlap, none missing);
# * the split is random: shuffle with `np.random.default_rng(seed)`, so the
#   same seed gives the same split and another seed (usually) another one;
#   every example must be equally likely to land in the validation part;
# * return two NumPy arrays of integers, `(train_idx, val_idx)`.

# %% solution q1
def train_val_split(n, val_fraction, seed=0):
    ### BEGIN SOLUTION
    order = np.random.default_rng(seed).permutation(n)
    n_val = int(n * val_fraction)
    return order[n_val:], order[:n_val]
    ### END SOLUTION

# %% tests q1_tests points=4
check = d2l.check('q1', 'train_val_split')
train_idx, val_idx = train_val_split(10, 0.3)
check.true(isinstance(train_idx, np.ndarray) and isinstance(val_idx, np.ndarray), 'two NumPy arrays')
check.true(np.issubdtype(train_idx.dtype, np.integer) and np.issubdtype(val_idx.dtype, np.integer),
           'the indices are integers', actual=(train_idx.dtype, val_idx.dtype))
check.equal((len(train_idx), len(val_idx)), (7, 3), 'sizes for n=10, val_fraction=0.3')
check.equal(sorted(np.concatenate([train_idx, val_idx]).tolist()), list(range(10)),
            'together the two parts hold every index exactly once')
### BEGIN HIDDEN TESTS
check.hidden()
for n, fraction in [(1000, 0.2), (7, 0.5), (5, 0.0), (1, 0.5), (64, 0.999)]:
    t, v = train_val_split(n, fraction, seed=3)
    check.equal(len(v), int(n * fraction), f'validation size for n={n}, val_fraction={fraction}')
    check.equal(np.sort(np.concatenate([t, v])).tolist(), list(range(n)), f'every index once for n={n}')
    check.equal(len(set(t.tolist()) & set(v.tolist())), 0, f'no overlap for n={n}')
t1, v1 = train_val_split(100, 0.25, seed=5)
t2, v2 = train_val_split(100, 0.25, seed=5)
check.true(np.array_equal(v1, v2) and np.array_equal(t1, t2), 'the same seed gives the same split')
t3, v3 = train_val_split(100, 0.25, seed=6)
check.true(not np.array_equal(np.sort(v1), np.sort(v3)), 'another seed gives another split',
           hint='use np.random.default_rng(seed)')
check.true(not np.array_equal(np.sort(v1), np.arange(75, 100)) and not np.array_equal(np.sort(v1), np.arange(25)),
           'the validation part is not simply the first or last examples', hint='shuffle before cutting')
counts = np.zeros(10)
for seed in range(2000):
    counts[train_val_split(10, 0.3, seed=seed)[1]] += 1
check.true(np.all(np.abs(counts / 2000 - 0.3) < 0.05), 'every example is equally likely to be in validation',
           actual=np.round(counts / 2000, 3), hint='shuffle all n indices, not just part of them')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: a loss with an L2 penalty (4 points)
#
# Write `l2_penalized_mse(X, y, w, b, lam)` for a linear model with weights
# `w` (shape `(d,)`) and bias `b` (a scalar), on features `X` (shape
# `(n, d)`) and targets `y` (shape `(n,)`):
#
# $$\mathcal{L} = \frac{1}{n} \sum_{i=1}^{n} (\mathbf{x}_i^\top \mathbf{w} + b - y_i)^2 + \frac{\lambda}{2} \|\mathbf{w}\|^2 .$$
#
# The bias is **not** penalised. Return a scalar `float32` tensor, computed with
# `d2l` ops so that a `GradientTape` can differentiate it with respect to
# `w` and `b`.

# %% solution q2
def l2_penalized_mse(X, y, w, b, lam):
    ### BEGIN SOLUTION
    residual = d2l.linalg.matvec(X, w) + b - y
    return d2l.reduce_mean(d2l.square(residual)) + lam / 2 * d2l.reduce_sum(d2l.square(w))
    ### END SOLUTION

# %% tests q2_tests points=4
check = d2l.check('q2', 'l2_penalized_mse')
X = d2l.constant([[1., 0.], [0., 1.], [1., 1.]])
y = d2l.constant([1., 2., 3.])
w = d2l.Variable([1., 1.])
b = d2l.Variable(0.)
loss = l2_penalized_mse(X, y, w, b, 0.5)
check.equal(tuple(loss.shape), (), 'the loss is a scalar')
check.equal(loss.dtype, d2l.float32, 'dtype float32')
check.close(loss, 2. / 3. + 0.5, 'MSE 2/3 plus 0.5/2 * |w|^2 = 0.5', hint='mean of squared errors + lam/2 * sum(w**2)')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(l2_penalized_mse(X, y, w, b, 0.), 2. / 3., 'with lam = 0 it is the plain mean squared error')
b_big = d2l.Variable(10.)
check.close(l2_penalized_mse(X, y, w, b_big, 1.) - l2_penalized_mse(X, y, w, b_big, 0.), 1.,
            'the bias is not penalised: the penalty is lam/2 * |w|^2 only', hint='leave b out of the penalty')
gen = np.random.default_rng(0)
Xn, yn, wn = gen.normal(size=(20, 4)), gen.normal(size=20), gen.normal(size=4)
Xr, yr = d2l.constant(Xn.astype(np.float32)), d2l.constant(yn.astype(np.float32))
wr, br = d2l.Variable(wn.astype(np.float32)), d2l.Variable(0.3)
lam = 0.7
residual = Xn @ wn + 0.3 - yn
check.close(l2_penalized_mse(Xr, yr, wr, br, lam), np.mean(residual ** 2) + lam / 2 * np.sum(wn ** 2),
            '20 examples with 4 features', rtol=1e-5)
with d2l.GradientTape() as tape:
    loss = l2_penalized_mse(Xr, yr, wr, br, lam)
dw, db = tape.gradient(loss, [wr, br])
check.true(dw is not None and db is not None, 'the tape can differentiate the loss with respect to w and b',
           hint='compute with d2l ops, not NumPy')
check.close(dw, 2 * Xn.T @ residual / 20 + lam * wn, 'the gradient for w is 2/n X^T r + lam w', rtol=1e-4,
            atol=1e-5)
check.close(db, 2 * residual.mean(), 'the gradient for b has no penalty term', rtol=1e-4, atol=1e-5)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: dropout from scratch (5 points)
#
# Write `dropout(X, rate, training, seed=0)`, inverted dropout as in the
# chapter:
#
# * with `training=True`, set each entry of `X` to 0 independently with
#   probability `rate`, and multiply the others by `1 / (1 - rate)`; draw the
#   random mask with `np.random.default_rng(seed)`;
# * with `training=False`, return `X` unchanged (the same values);
# * `rate=1` drops everything and returns zeros (no division by zero, no
#   `nan`), `rate=0` drops nothing;
# * a `rate` outside $[0, 1]$ raises a `ValueError`;
# * return a `float32` tensor of `X`'s shape, computed from `X` with `d2l` ops,
#   so that gradients flow through it.
#
# Write it yourself: `d2l.nn.dropout` and `d2l.keras.layers.Dropout` are not
# allowed here.

# %% solution q3
def dropout(X, rate, training, seed=0):
    ### BEGIN SOLUTION
    if not 0 <= rate <= 1:
        raise ValueError(f'dropout: rate must be in [0, 1], got {rate}')
    if not training or rate == 0:
        return X
    if rate == 1:
        return d2l.zeros_like(X)
    keep = np.random.default_rng(seed).random(tuple(X.shape)) >= rate
    return X * d2l.constant(keep.astype(np.float32) / (1 - rate))
    ### END SOLUTION

# %% tests q3_tests points=5
check = d2l.check('q3', 'dropout')
ones = d2l.ones((100, 100))
out = dropout(ones, 0.5, training=True)
check.equal(tuple(out.shape), (100, 100), 'the output has the shape of X')
check.equal(out.dtype, d2l.float32, 'dtype float32')
values = set(out.numpy().ravel().tolist())
check.true(values <= {0., 2.}, 'with rate 0.5 every entry is 0 or 2', actual=sorted(values)[:5],
           hint='scale the kept entries by 1 / (1 - rate)')
check.close(dropout(ones, 0.5, training=False), ones.numpy(), 'with training=False, X comes back unchanged')
### BEGIN HIDDEN TESTS
check.hidden()
source = inspect.getsource(dropout)
check.true('nn.dropout' not in source and 'layers.Dropout' not in source, 'written from scratch',
           hint='build the mask yourself')
big = d2l.ones((400, 500))
for rate in [0.2, 0.8]:
    kept = dropout(big, rate, training=True, seed=1).numpy()
    check.close(np.mean(kept != 0), 1 - rate, f'with rate {rate} about {1 - rate:.0%} of the entries are kept',
                atol=0.01)
    check.close(kept[kept != 0], np.full(np.count_nonzero(kept), 1 / (1 - rate)),
                f'with rate {rate} the kept entries are scaled by 1 / (1 - rate)', rtol=1e-5)
    check.close(kept.mean(), 1., f'with rate {rate} the mean is preserved', atol=0.02)
rows = dropout(big, 0.5, training=True, seed=2).numpy()
check.true(len({tuple(r) for r in rows[:50]}) > 1 and len({tuple(c) for c in rows.T[:50]}) > 1,
           'each entry gets its own draw (not one draw per row or per column)')
X = d2l.constant(np.random.default_rng(3).normal(size=(30, 40)).astype(np.float32))
check.close(dropout(X, 0.3, training=False), X.numpy(), 'training=False is the identity on other values')
check.close(dropout(X, 0., training=True), X.numpy(), 'rate 0 drops nothing')
zeros = dropout(X, 1., training=True).numpy()
check.true(not np.any(np.isnan(zeros)) and np.all(zeros == 0), 'rate 1 gives zeros, without nan',
           hint='treat rate == 1 separately')
check.close(dropout(X, 0.4, training=True, seed=7), dropout(X, 0.4, training=True, seed=7).numpy(),
            'the same seed gives the same mask')
check.true(not np.array_equal(dropout(X, 0.4, training=True, seed=7).numpy(),
                              dropout(X, 0.4, training=True, seed=8).numpy()), 'another seed gives another mask')
mixed = dropout(X, 0.4, training=True, seed=9).numpy()
check.close(mixed[mixed != 0], X.numpy()[mixed != 0] / 0.6, 'kept entries are X / (1 - rate)', rtol=1e-5)
with d2l.GradientTape() as tape:
    tape.watch(X)
    y = d2l.reduce_sum(dropout(X, 0.4, training=True, seed=9))
grad = tape.gradient(y, X)
check.true(grad is not None, 'gradients flow through dropout', hint='multiply X by the scaled mask with d2l ops')
check.close(grad, (mixed != 0) / 0.6, 'the gradient is the scaled mask', rtol=1e-5, atol=1e-6)
check.raises(ValueError, lambda: dropout(X, 1.5, training=True), 'a rate above 1 raises ValueError')
check.raises(ValueError, lambda: dropout(X, -0.1, training=True), 'a negative rate raises ValueError')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: when to stop (3 points)
#
# Write `early_stopping(val_losses, patience, min_delta=0.0)`, the rule of
# `d2l.keras.callbacks.EarlyStopping` replayed on a list of validation
# losses, one per epoch (epochs counted from 0):
#
# * an epoch **improves** if its loss is lower than the best loss so far by
#   more than `min_delta` (`loss < best - min_delta`); epoch 0 always
#   improves;
# * training stops at the first epoch that is the `patience`-th epoch in a
#   row without improvement (`patience >= 1`); if that never happens, it runs
#   to the last epoch of the list;
# * the best epoch is the last epoch that improved, up to and including the
#   stopping epoch; `restore_best_weights=True` restores its weights.
#
# Return the pair `(best_epoch, stop_epoch)` of Python ints.
#
# Example: losses `[0.9, 0.7, 0.6, 0.62, 0.61, 0.65]` with `patience=2`: epoch 2
# is the best, epochs 3 and 4 do not improve on 0.6, so training stops at
# epoch 4, and the answer is `(2, 4)`.

# %% solution q4
def early_stopping(val_losses, patience, min_delta=0.0):
    ### BEGIN SOLUTION
    best, best_epoch, wait = float('inf'), 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
    ### END SOLUTION

# %% tests q4_tests points=3
check = d2l.check('q4', 'early_stopping')
result = early_stopping([0.9, 0.7, 0.6, 0.62, 0.61, 0.65], patience=2)
check.true(isinstance(result, tuple) and len(result) == 2, 'a pair (best_epoch, stop_epoch)', actual=result)
check.equal(result, (2, 4), 'the example from the question')
check.equal(early_stopping([3., 2., 1.], patience=1), (2, 2), 'always improving: runs to the end')
### BEGIN HIDDEN TESTS
check.hidden()
check.true(all(type(v) is int for v in early_stopping([0.5, 0.4], patience=3)), 'Python ints',
           hint='use int(...) if your numbers come from NumPy')
check.equal(early_stopping([1., 1., 1., 1.], patience=2), (0, 2), 'an equal loss is not an improvement')
check.equal(early_stopping([1., 0.5, 0.6, 0.4, 0.45, 0.46, 0.47, 0.3], patience=3), (3, 6),
            'patience counts epochs in a row: an improvement resets it', hint='reset the count after an improvement')
check.equal(early_stopping([1., 0.95, 0.9, 0.85], patience=2, min_delta=0.1), (0, 2),
            'improvements smaller than min_delta do not count')
check.equal(early_stopping([1., 0.8, 0.75, 0.72, 0.69], patience=3, min_delta=0.1), (4, 4),
            'min_delta compares with the best loss, not the previous one')
check.equal(early_stopping([0.7, 0.8, 0.6, 0.9], patience=1), (0, 1), 'patience 1 stops at the first bad epoch')
check.equal(early_stopping([2.], patience=5), (0, 0), 'a single epoch')
check.equal(early_stopping([5., 4., 4.5, 3., 3.5, 3.6, 3.7, 3.8], patience=10), (3, 7),
            'the best epoch when training runs to the end')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: validation or test? (4 points, graded by hand)
#
# A classmate trains MLPs on a data set split into training, validation and
# test parts. To pick the learning rate, the dropout rate and the number of
# epochs, they try 40 combinations, measure each one's accuracy **on the test
# set**, keep the best, and report its test accuracy, 93.1 %, as the accuracy
# to expect on new data.
#
# 1. What is wrong with the 93.1 %? Explain why it is likely an
#    overestimate, and what makes the overestimate larger.
# 2. Describe the procedure they should have followed, saying what each of
#    the three sets is used for.
# 3. After choosing the hyperparameters on the validation set, they want to
#    retrain the chosen model on training and validation data together. Is
#    that allowed? What must not happen to the test set, then or later?
#
# **Rubric (4 points):** 1 for selection bias (the best of 40 noisy scores
# favours a lucky fit to these test examples, like choosing the best coin);
# 1 for what makes it larger (more combinations, a smaller test set); 1 for
# the procedure (fit on training, choose on validation, report on test once);
# 1 for retraining on training + validation being fine while the test set
# stays untouched until the single final evaluation, and is never used to go
# back and change choices.

# %% scratch
# Try things here, for example the coin experiment of section 10.1:
# rng = np.random.default_rng(0)
# labels = rng.integers(0, 2, size=200)
# print(max((rng.integers(0, 2, size=200) == labels).mean() for _ in range(40)))

# %% [markdown] written q5 points=4
# 1. The test set was used to *choose* among 40 models, so it is no longer an
#    independent estimate. Every accuracy measured on a finite test set is
#    the true accuracy plus noise from the particular examples; taking the
#    maximum of 40 such scores picks the model whose noise happened to be most
#    favourable, so the reported maximum is biased upward (selection bias: the
#    best of 200 coin flips looked like 62 %). The bias grows with the number
#    of combinations tried and shrinks with the size of the test set (smaller
#    sets have noisier scores).
# 2. Fit the weights of each candidate on the training set only; compare the
#    40 combinations by their accuracy on the validation set and choose the
#    best (early stopping, too, watches the validation loss); then evaluate the
#    one chosen model on the test set once and report that number. The
#    validation score of the winner is biased like the 93.1 % was; the test
#    score is not, because the test set played no part in any decision.
# 3. Yes: once the hyperparameters are fixed, retraining on training plus
#    validation data uses more examples and usually helps (keep the chosen
#    number of epochs, since there is no validation set left to stop on). The
#    test set must stay untouched through all of this and be used once, for the
#    final report. If its result leads you to change the model and test again,
#    it has become a second validation set and its score is biased again.
