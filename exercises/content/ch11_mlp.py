# %% [markdown]
# # Chapter 7 exercises: a multilayer perceptron from your own layers
#
# In the chapter you trained an MLP on MNIST with `d2l.keras.layers.Dense`.
# Here you build the pieces yourself: the initialisation of a dense layer's
# weights, the layer itself, the cross-entropy loss, and a training loop that
# reaches a target accuracy.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.
#
# **The data.** To keep things fast, we use small made-up images instead of
# MNIST: 6x6 pictures of four kinds of stroke (0: a horizontal bar, 1: a
# vertical bar, 2: the diagonal, 3: the other diagonal) with Gaussian noise
# added, flattened to 36 pixels, just as MNIST's 28x28 digits are flattened to
# 784. A seeded generator makes them, so they are the same every time.
#
# No linear model can tell the bars apart: every pixel lies on one row and one
# column, so over the six positions the horizontal bars and the vertical bars
# add up to the same total score for any weights. A hidden layer is needed
# (try it: question 4's network with `MyDense(4)` alone stays far below 95%).

# %%
import d2l_core as d2l
import numpy as np


def make_strokes(n, rng):
    """n noisy 6x6 stroke images, flattened to (n, 36) float32, and int32 labels."""
    labels = rng.integers(0, 4, size=n)
    images = np.zeros((n, 6, 6))
    for image, label, k in zip(images, labels, rng.integers(0, 6, size=n)):
        if label == 0:
            image[k, :] = 1          # a horizontal bar in row k
        elif label == 1:
            image[:, k] = 1          # a vertical bar in column k
        elif label == 2:
            image[:] = np.eye(6)     # the diagonal
        else:
            image[:] = np.eye(6)[::-1]
    images += rng.normal(scale=0.3, size=images.shape)
    return d2l.constant(images.reshape(n, 36).astype(np.float32)), d2l.constant(labels.astype(np.int32))


rng = np.random.default_rng(0)
X_train, y_train = make_strokes(500, rng)
X_test, y_test = make_strokes(200, rng)


def forward(layers, X):
    """Apply the layers one after the other."""
    for layer in layers:
        X = layer(X)
    return X


def accuracy(logits, labels):
    """The fraction of rows whose largest logit is at the right label."""
    predicted = d2l.cast(d2l.argmax(logits, axis=1), d2l.int32)
    return float(d2l.reduce_mean(d2l.cast(predicted == labels, d2l.float32)))

# %% [markdown]
# ## Question 1: Glorot initialisation (3 points)
#
# Write `glorot_uniform(fan_in, fan_out)`: a `float32` tensor of shape
# `(fan_in, fan_out)` with values drawn uniformly from $[-a, a]$ where
# $a = \sqrt{6 / (\mathrm{fan_{in}} + \mathrm{fan_{out}})}$. This keeps the variance
# of a layer's outputs about the same as that of its inputs. Use
# `d2l.random.uniform`.

# %% solution q1
def glorot_uniform(fan_in, fan_out):
    ### BEGIN SOLUTION
    limit = (6. / (fan_in + fan_out)) ** 0.5
    return d2l.random.uniform((fan_in, fan_out), minval=-limit, maxval=limit)
    ### END SOLUTION

# %% tests q1_tests points=3
check = d2l.check('q1', 'glorot_uniform')
d2l.random.set_seed(1)
W = glorot_uniform(36, 12)
check.equal(W.shape, (36, 12), 'shape for fan_in=36, fan_out=12')
check.equal(W.dtype, d2l.float32, 'dtype')
check.true(float(d2l.reduce_max(d2l.abs(W))) <= (6 / 48) ** 0.5, 'every value lies within the limit sqrt(6/48)',
           actual=float(d2l.reduce_max(d2l.abs(W))), hint='minval=-a, maxval=a')
### BEGIN HIDDEN TESTS
check.hidden()
W = glorot_uniform(300, 200)
limit = (6 / 500) ** 0.5
check.true(float(d2l.reduce_min(W)) < -0.9 * limit, 'the values reach down near -a', actual=float(d2l.reduce_min(W)))
check.true(float(d2l.reduce_max(W)) > 0.9 * limit, 'the values reach up near +a', actual=float(d2l.reduce_max(W)))
check.close(float(d2l.reduce_mean(W)), 0., 'the mean is about 0', atol=0.005)
check.close(float(d2l.reduce_mean(W * W)), limit ** 2 / 3, 'the variance is about a**2 / 3', rtol=0.05)
check.equal(glorot_uniform(1, 1).shape, (1, 1), 'a 1x1 kernel')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: a dense layer (5 points)
#
# Complete the class `MyDense`, a simplified `d2l.keras.layers.Dense`:
#
# * `MyDense(units, activation=None)` stores its settings; it has no weights yet.
# * The first call `layer(x)` on an input of shape `(batch, d)` creates
#   `layer.kernel`, a `d2l.Variable` of shape `(d, units)` initialised with
#   your `glorot_uniform`, and `layer.bias`, a `d2l.Variable` of `units` zeros.
#   Later calls reuse them.
# * Every call returns `activation(x @ kernel + bias)`, or just
#   `x @ kernel + bias` when `activation` is `None`.
# * `layer.trainable_variables` is `[kernel, bias]`, or `[]` before the first call.
#
# Write it yourself from Variables and `d2l.matmul`: wrapping or subclassing
# `d2l.keras.layers.Dense` does not count.

# %% solution q2
class MyDense:
    def __init__(self, units, activation=None):
        ### BEGIN SOLUTION
        self.units = units
        self.activation = activation
        self.kernel = None
        self.bias = None
        ### END SOLUTION

    @property
    def trainable_variables(self):
        ### BEGIN SOLUTION
        return [] if self.kernel is None else [self.kernel, self.bias]
        ### END SOLUTION

    def __call__(self, x):
        ### BEGIN SOLUTION
        if self.kernel is None:
            self.kernel = d2l.Variable(glorot_uniform(x.shape[-1], self.units))
            self.bias = d2l.Variable(d2l.zeros((self.units,)))
        y = d2l.matmul(x, self.kernel) + self.bias
        return y if self.activation is None else self.activation(y)
        ### END SOLUTION

# %% tests q2_tests points=5
check = d2l.check('q2', 'MyDense')
layer = MyDense(3, activation=d2l.nn.relu)
check.equal(layer.trainable_variables, [], 'no weights before the first call')
out = layer(d2l.random.normal((5, 4)))
check.equal(out.shape, (5, 3), 'output shape for 5 examples of 4 features into 3 units')
check.true(isinstance(layer.kernel, d2l.Variable) and isinstance(layer.bias, d2l.Variable),
           'kernel and bias are d2l.Variables', hint='wrap the initial values in d2l.Variable')
check.equal(layer.kernel.shape, (4, 3), 'kernel shape')
check.equal(layer.bias, [0., 0., 0.], 'the bias starts at zero')
check.true(float(d2l.reduce_min(out)) >= 0., 'relu outputs are not negative')
### BEGIN HIDDEN TESTS
check.hidden()
kernel = layer.kernel
x = d2l.random.normal((2, 4))
layer(x)
check.true(layer.kernel is kernel, 'a second call reuses the same kernel', hint='create the weights only once')
check.equal(len(layer.trainable_variables), 2, 'two trainable variables after a call')
check.true(layer.trainable_variables[0] is layer.kernel, 'trainable_variables is [kernel, bias]')
linear = MyDense(2)
x = d2l.constant([[1., -2., 3.]])
out = linear(x)
linear.bias.assign([10., -10.])
check.close(linear(x), d2l.matmul(x, linear.kernel) + linear.bias, 'x @ kernel + bias with no activation')
with d2l.GradientTape() as tape:
    loss = d2l.reduce_sum(linear(x))
grads = tape.gradient(loss, linear.trainable_variables)
check.true(all(g is not None for g in grads), 'gradients reach the kernel and the bias')
check.close(grads[1], [1., 1.], 'the gradient of the bias')
check.true(not isinstance(MyDense(2), d2l.keras.layers.Layer), 'MyDense is your own class, not a Keras layer')
check.avoids(MyDense, ['Dense', 'keras'], 'MyDense does not use Keras')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: cross-entropy from logits (4 points)
#
# Write `cross_entropy(logits, labels)`: `logits` has shape `(n, k)` (one row
# of scores per example) and `labels` shape `(n,)` (int32 class numbers). It
# returns the mean over the examples of $-\log \mathrm{softmax}(z)_y$, where
# $\mathrm{softmax}(z)_j = e^{z_j} / \sum_l e^{z_l}$, as a scalar tensor.
#
# It must not overflow: $e^{1000}$ is `inf` in float32. Subtracting each row's
# largest logit first changes nothing mathematically (why?) and keeps every
# exponent at most 0. Use `d2l.one_hot(labels, k)` to pick each example's
# entry. Write it from `exp`, `log` and reductions: the library's own
# cross-entropy and softmax functions do not count.

# %% solution q3
def cross_entropy(logits, labels):
    ### BEGIN SOLUTION
    shifted = logits - d2l.reduce_max(logits, axis=1, keepdims=True)
    log_probs = shifted - d2l.math.log(d2l.reduce_sum(d2l.exp(shifted), axis=1, keepdims=True))
    picked = d2l.reduce_sum(d2l.one_hot(labels, logits.shape[1]) * log_probs, axis=1)
    return -d2l.reduce_mean(picked)
    ### END SOLUTION

# %% tests q3_tests points=4
check = d2l.check('q3', 'cross_entropy')
loss = cross_entropy(d2l.constant([[2., 1., 0.]]), d2l.constant([0]))
check.equal(loss.shape, (), 'the loss is a scalar')
check.close(loss, -np.log(np.exp(2) / (np.exp(2) + np.exp(1) + 1)), 'one example, label 0', rtol=1e-4)
check.close(cross_entropy(d2l.zeros((2, 4)), d2l.constant([1, 3])), np.log(4.), 'equal logits give log(k)',
            rtol=1e-4)
### BEGIN HIDDEN TESTS
check.hidden()
big = d2l.constant([[1000., 0., -1000.], [1000., 0., -1000.]])
check.close(cross_entropy(big, d2l.constant([0, 0])), 0., 'huge logits, right label: no overflow', atol=1e-4,
            hint='subtract the row maximum before exp')
check.close(cross_entropy(big, d2l.constant([2, 2])), 2000., 'huge logits, wrong label', rtol=1e-4)
check.close(cross_entropy(big, d2l.constant([0, 2])), 1000., 'the mean over the examples', rtol=1e-4)
z = np.array([[0.5, -1., 2.], [0., 3., 1.]], np.float32)
logits = d2l.constant(z)
with d2l.GradientTape() as tape:
    tape.watch(logits)
    loss = cross_entropy(logits, d2l.constant([2, 0]))
softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
check.close(tape.gradient(loss, logits), (softmax - np.eye(3)[[2, 0]]) / 2, 'the gradient is (softmax - one_hot) / n',
            rtol=1e-4, atol=1e-6)
check.avoids(cross_entropy, ['softmax', 'log_softmax', 'softmax_cross_entropy_with_logits',
                             'sparse_softmax_cross_entropy_with_logits', 'SparseCategoricalCrossentropy',
                             'sparse_categorical_crossentropy', 'reduce_logsumexp'],
             'cross_entropy is written from exp, log and reductions')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: train the MLP (5 points)
#
# Write `train_mlp(X, y, num_epochs=20, batch_size=50, lr=0.01, seed=0)`:
#
# * call `d2l.random.set_seed(seed)` first, so a run can be repeated;
# * build `layers = [MyDense(32, activation=d2l.nn.relu), MyDense(4)]`;
# * for each epoch go through the data in order, in minibatches; for each,
#   compute `cross_entropy(forward(layers, X_batch), y_batch)` under a
#   `d2l.GradientTape` and update every layer's trainable variables with a
#   `d2l.keras.optimizers.Adam(learning_rate=lr)` optimizer;
# * return `layers`.
#
# The trained network must classify at least 95% of the **test** images
# correctly.

# %% solution q4
def train_mlp(X, y, num_epochs=20, batch_size=50, lr=0.01, seed=0):
    ### BEGIN SOLUTION
    d2l.random.set_seed(seed)
    layers = [MyDense(32, activation=d2l.nn.relu), MyDense(4)]
    optimizer = d2l.keras.optimizers.Adam(learning_rate=lr)
    n = X.shape[0]
    for epoch in range(num_epochs):
        for start in range(0, n, batch_size):
            X_batch, y_batch = X[start:start + batch_size], y[start:start + batch_size]
            with d2l.GradientTape() as tape:
                loss = cross_entropy(forward(layers, X_batch), y_batch)
            variables = [v for layer in layers for v in layer.trainable_variables]
            grads = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(grads, variables))
    return layers
    ### END SOLUTION

# %% tests q4_tests points=5
check = d2l.check('q4', 'train_mlp')
layers = train_mlp(X_train, y_train)
test_accuracy = accuracy(forward(layers, X_test), y_test)
check.true(test_accuracy >= 0.95, 'test accuracy is at least 95%', actual=test_accuracy,
           hint='is every layer\'s kernel and bias updated in every step?')
### BEGIN HIDDEN TESTS
check.hidden()
check.true(len(layers) >= 2, 'the network has a hidden layer', actual=len(layers))
check.true(accuracy(forward(layers, X_train), y_train) >= 0.95, 'training accuracy is at least 95%')
again = train_mlp(X_train, y_train)
check.close(forward(again, X_test), forward(layers, X_test), 'the same seed gives the same network', rtol=1e-5,
            hint='call d2l.random.set_seed(seed) before building the layers')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 5: why not start from zero? (3 points, graded by hand)
#
# Suppose `MyDense` initialised its kernel with zeros instead of
# `glorot_uniform`. What would the 32 hidden units compute after the first
# call, what gradients would they receive, and how would they differ from one
# another after training? Why, then, do we draw random weights, and why does
# Glorot's limit shrink as `fan_in + fan_out` grows?
#
# **Rubric (3 points):** 1 for what zero kernels do (every hidden unit computes
# the same value and gets the same gradient, so the units stay identical: one
# unit copied 32 times); 1 for why random weights fix it (they break the
# symmetry); 1 for Glorot's limit (a unit sums `fan_in` products, so smaller
# weights keep the variance of outputs and of the gradients flowing back about
# constant from layer to layer).

# %% [markdown] written q5 points=3
# With a zero kernel every hidden unit computes the same value (relu(0 + 0) =
# 0), so the output layer sees only zeros and, with a relu, the hidden kernel
# gets zero gradient; even with another activation every hidden unit would
# get the same gradient and stay identical to the others for ever: 32 copies
# of one unit. Random weights break this symmetry so that units can learn
# different features. Glorot's limit shrinks with fan_in + fan_out because a
# unit sums fan_in products: smaller weights keep the variance of its output
# (and of the gradients flowing back through fan_out units) about constant
# from layer to layer, so signals neither explode nor vanish.
