# %% [markdown]
# # Chapter 9 exercises: a multilayer perceptron from scratch
#
# You will get the derivative of any activation function from the tape, build
# a dense layer of your own from Variables, and train a small MLP on data that
# no linear model can fit. A written question asks why depth needs a
# nonlinearity.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.
#
# **The data: XOR.** 400 points drawn uniformly from the square
# $[-1, 1]^2$; a point is class 1 when its two coordinates have the same sign
# (first and third quadrants) and class 0 otherwise. This is the classic
# *exclusive or* problem: no straight line separates the classes. A seeded
# NumPy generator makes the points, so they are the same every time.

# %%
import d2l_core as d2l
import numpy as np


def make_xor(n, rng):
    """n points in [-1, 1]^2: (n, 2) float32 features, int32 labels (1 when x1 * x2 > 0)."""
    points = rng.uniform(-1, 1, size=(n, 2))
    labels = (points[:, 0] * points[:, 1] > 0).astype(np.int32)
    return d2l.constant(points.astype(np.float32)), d2l.constant(labels)


X_train, y_train = make_xor(400, np.random.default_rng(0))
X_test, y_test = make_xor(400, np.random.default_rng(1))


def cross_entropy(logits, labels):
    """The mean cross-entropy of integer labels under the softmax of the logits."""
    return d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def accuracy(logits, labels):
    """The fraction of rows whose largest logit is at the label."""
    predicted = d2l.argmax(logits, axis=1, output_type=d2l.int32)
    return float(d2l.reduce_mean(d2l.cast(predicted == labels, d2l.float32)))


def predict(layers, X):
    """Apply the layers one after the other: the logits of an MLP."""
    for layer in layers:
        X = layer(X)
    return X

# %% [markdown]
# ## Question 1: derivatives from the tape (4 points)
#
# Write `derivative(f, x)`: for a function `f` that acts **elementwise** (like
# every activation function) and a `float32` tensor `x` of any shape, return
# the tensor of derivatives $f'(x_i)$, with the shape of `x`. Use a
# `d2l.GradientTape`; `x` is a constant, not a Variable. If `f`'s output does
# not depend on `x` at all, return zeros of `x`'s shape, not `None`
# (`tape.gradient` has an argument for that: see `help(d2l.GradientTape.gradient)`).
#
# Your function must work for *any* elementwise `f`, including ones you have
# never seen, so formulas for particular activations will not pass.

# %% solution q1
def derivative(f, x):
    ### BEGIN SOLUTION
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x, unconnected_gradients=d2l.UnconnectedGradients.ZERO)
    ### END SOLUTION

# %% tests q1_tests points=4
check = d2l.check('q1', 'derivative')
x = d2l.constant([-2., -0.5, 0.5, 2.])
d_relu = derivative(d2l.nn.relu, x)
check.equal(d_relu.shape, (4,), 'the derivative has the shape of x')
check.equal(d_relu.dtype, d2l.float32, 'dtype float32')
check.close(d_relu, [0., 0., 1., 1.], "relu'(x)", hint='watch x, compute f(x) under the tape, then tape.gradient')
check.close(derivative(d2l.nn.sigmoid, d2l.constant([0.])), [0.25], "sigmoid'(0)")
### BEGIN HIDDEN TESTS
check.hidden()
xs = np.linspace(-3, 3, 13, dtype=np.float32)
check.close(derivative(lambda t: t ** 3 - 2 * t, d2l.constant(xs)), 3 * xs ** 2 - 2,
            "a function you have not seen: (x**3 - 2x)' = 3x**2 - 2", rtol=1e-5, atol=1e-5,
            hint='let the tape differentiate f; do not write formulas for particular functions')
check.close(derivative(d2l.sin, d2l.constant(xs)), np.cos(xs), "sin' = cos", rtol=1e-5, atol=1e-6)
check.close(derivative(d2l.nn.tanh, d2l.constant(xs)), 1 - np.tanh(xs) ** 2, "tanh' = 1 - tanh**2",
            rtol=1e-5, atol=1e-6)
x2 = d2l.constant(np.arange(-3, 3, dtype=np.float32).reshape(2, 3) + 0.5)
d2 = derivative(lambda t: d2l.nn.leaky_relu(t, alpha=0.2), x2)
check.equal(tuple(d2.shape), (2, 3), 'a (2, 3) input gives a (2, 3) derivative')
check.close(d2, np.where(x2.numpy() > 0, 1., 0.2), "leaky_relu'(x) on a matrix")
zeros = derivative(lambda t: d2l.ones_like(t), d2l.constant([1., 2.]))
check.true(zeros is not None, 'a function that ignores x gives zeros, not None',
           hint='unconnected_gradients=d2l.UnconnectedGradients.ZERO')
check.close(zeros, [0., 0.], 'a function that ignores x gives zeros')
check.close(derivative(lambda t: 5. * t, d2l.constant(np.ones(3, np.float32))), [5., 5., 5.],
            'a straight line has a constant slope')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: a dense layer from Variables (5 points)
#
# Complete `MyDense(n_in, n_out, activation=None, seed=0)`, a dense layer
# written from scratch (not from `d2l.keras.layers.Dense`, and not wrapping
# one):
#
# * `__init__` creates `self.kernel`, a `d2l.Variable` of shape `(n_in, n_out)`
#   with **He initialisation**: normal values with mean 0 and standard
#   deviation $\sqrt{2 / n_\text{in}}$, drawn with
#   `np.random.default_rng(seed)`, as `float32`; and `self.bias`, a
#   `d2l.Variable` of `n_out` zeros (`float32`).
# * `layer(X)` for `X` of shape `(batch, n_in)` returns
#   `activation(X @ kernel + bias)`, or `X @ kernel + bias` when `activation`
#   is `None`, computed from `self.kernel` and `self.bias` at the time of
#   the call.
# * `layer.trainable_variables` is the list `[kernel, bias]`.

# %% solution q2
class MyDense:
    def __init__(self, n_in, n_out, activation=None, seed=0):
        ### BEGIN SOLUTION
        rng = np.random.default_rng(seed)
        self.kernel = d2l.Variable(rng.normal(scale=np.sqrt(2 / n_in), size=(n_in, n_out)).astype(np.float32))
        self.bias = d2l.Variable(np.zeros(n_out, dtype=np.float32))
        self.activation = activation
        ### END SOLUTION

    @property
    def trainable_variables(self):
        ### BEGIN SOLUTION
        return [self.kernel, self.bias]
        ### END SOLUTION

    def __call__(self, X):
        ### BEGIN SOLUTION
        Z = d2l.matmul(X, self.kernel) + self.bias
        return Z if self.activation is None else self.activation(Z)
        ### END SOLUTION

# %% tests q2_tests points=5
check = d2l.check('q2', 'MyDense')
layer = MyDense(2, 5, activation=d2l.nn.relu)
check.true(isinstance(layer.kernel, d2l.Variable) and isinstance(layer.bias, d2l.Variable),
           'kernel and bias are d2l.Variables')
check.equal(tuple(layer.kernel.shape), (2, 5), 'kernel shape (n_in, n_out)')
check.equal(layer.kernel.dtype, d2l.float32, 'kernel dtype')
check.close(layer.bias, np.zeros(5), 'the bias starts at zero')
out = layer(X_train[:3])
check.equal(tuple(out.shape), (3, 5), 'output shape for 3 examples into 5 units')
check.true(float(d2l.reduce_min(out)) >= 0., 'relu outputs are not negative')
check.equal(len(layer.trainable_variables), 2, 'trainable_variables holds kernel and bias')
### BEGIN HIDDEN TESTS
check.hidden()
check.true(not isinstance(layer, d2l.keras.layers.Layer), 'MyDense is not a Keras layer',
           hint='write the layer from Variables, do not subclass d2l.keras.layers.Dense')


def _no_keras_inside(obj):
    values = list(vars(obj).values())
    for value in list(values):
        if isinstance(value, (list, tuple)):
            values.extend(value)
    return not any(isinstance(v, d2l.keras.layers.Layer) for v in values)


check.true(_no_keras_inside(layer), 'MyDense does not wrap a Keras layer',
           hint='hold your own kernel and bias Variables')
check.true(layer.trainable_variables[0] is layer.kernel and layer.trainable_variables[1] is layer.bias,
           'trainable_variables is [kernel, bias], the same objects')
linear_layer = MyDense(3, 4, seed=5)
X3 = d2l.constant(np.random.default_rng(9).normal(size=(6, 3)).astype(np.float32))
check.close(linear_layer(X3), X3.numpy() @ linear_layer.kernel.numpy(), 'with no activation: X @ kernel + bias',
            rtol=1e-5, atol=1e-5)
linear_layer.kernel.assign(np.ones((3, 4), np.float32))
linear_layer.bias.assign(np.arange(4, dtype=np.float32))
check.close(linear_layer(X3), X3.numpy().sum(axis=1, keepdims=True) + np.arange(4), 'the layer reads its '
            'own kernel and bias at call time', rtol=1e-5, atol=1e-5)
tanh_layer = MyDense(3, 4, activation=d2l.tanh, seed=1)
check.close(tanh_layer(X3), np.tanh(X3.numpy() @ tanh_layer.kernel.numpy()), 'a tanh layer', rtol=1e-5,
            atol=1e-5)
big = MyDense(2000, 300, seed=3)
kernel = big.kernel.numpy()
check.close(kernel.std(), np.sqrt(2 / 2000), 'He initialisation: the std is sqrt(2 / n_in)', rtol=0.03,
            hint='the std depends on n_in only')
check.close(kernel.mean(), 0., 'the kernel has mean 0', atol=0.002)
check.close(MyDense(2, 5, seed=0).kernel, layer.kernel, 'the same seed gives the same weights')
check.true(not np.allclose(MyDense(2, 5, seed=1).kernel.numpy(), layer.kernel.numpy()),
           'another seed gives other weights', hint='draw with np.random.default_rng(seed)')
with d2l.GradientTape() as tape:
    loss = d2l.reduce_sum(layer(X_train[:3]))
grads = tape.gradient(loss, layer.trainable_variables)
check.true(all(g is not None for g in grads), 'the tape finds gradients for kernel and bias')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: an MLP that fits XOR (7 points)
#
# Write `train_mlp(X, y, num_hidden=16, activation=d2l.nn.relu, lr=0.5,
# num_epochs=300, seed=0)` that trains a one-hidden-layer MLP for two classes
# with full-batch gradient descent, written by hand:
#
# * the model is `layers = [MyDense(2, num_hidden, activation, seed=seed),
#   MyDense(num_hidden, 2, seed=seed + 1)]`, and its logits are
#   `predict(layers, X)`;
# * each epoch computes `cross_entropy(predict(layers, X), y)` under a
#   `d2l.GradientTape`, takes its gradients with respect to all four
#   Variables, and updates each Variable with `assign_sub(lr * grad)`
#   (no Keras optimizer);
# * it appends that epoch's loss (the one the gradient came from), as a Python
#   float, to a list `losses`.
#
# Return `(layers, losses)`. With the defaults, the accuracy on the training
# data must reach 0.95. The hidden checks also test your MLP on fresh points,
# and train it with `activation=lambda z: z` (no nonlinearity), which must
# *fail*, as a linear model does.

# %% solution q3
def train_mlp(X, y, num_hidden=16, activation=d2l.nn.relu, lr=0.5, num_epochs=300, seed=0):
    ### BEGIN SOLUTION
    layers = [MyDense(2, num_hidden, activation, seed=seed), MyDense(num_hidden, 2, seed=seed + 1)]
    params = [v for layer in layers for v in layer.trainable_variables]
    losses = []
    for epoch in range(num_epochs):
        with d2l.GradientTape() as tape:
            loss = cross_entropy(predict(layers, X), y)
        grads = tape.gradient(loss, params)
        for param, grad in zip(params, grads):
            param.assign_sub(lr * grad)
        losses.append(float(loss))
    return layers, losses
    ### END SOLUTION

# %% tests q3_tests points=7
check = d2l.check('q3', 'train_mlp')
layers, losses = train_mlp(X_train, y_train)
check.equal(len(layers), 2, 'two layers: hidden and output')
check.equal(len(losses), 300, 'one loss per epoch')
check.true(all(isinstance(v, float) for v in losses), 'the losses are Python floats', hint='float(loss)')
train_acc = accuracy(predict(layers, X_train), y_train)
check.true(train_acc >= 0.95, 'training accuracy of at least 0.95', actual=train_acc,
           hint='compute the loss under the tape and update all four Variables every epoch')
### BEGIN HIDDEN TESTS
check.hidden()
check.true(all(isinstance(layer, MyDense) for layer in layers), 'the layers are MyDense layers')
check.equal(tuple(layers[0].kernel.shape), (2, 16), 'hidden kernel shape (2, num_hidden)')
check.equal(tuple(layers[1].kernel.shape), (16, 2), 'output kernel shape (num_hidden, 2)')
test_acc = accuracy(predict(layers, X_test), y_test)
check.true(test_acc >= 0.9, 'accuracy of at least 0.9 on 400 fresh points', actual=test_acc)
final_loss = float(cross_entropy(predict(layers, X_train), y_train))
check.true(final_loss <= losses[-1] * 1.1 + 1e-3 and losses[-1] <= final_loss * 1.5 + 1e-3,
           'the last recorded loss matches the trained model', actual=(losses[-1], final_loss),
           hint='record the loss you computed under the tape, every epoch')
check.true(losses[0] > 0.5 and losses[-1] < 0.5 * losses[0], 'the loss went down from about ln 2',
           actual=(losses[0], losses[-1]))
check.close(train_mlp(X_train, y_train, num_epochs=1)[1][0], losses[0], 'the first loss is that of the '
            'initial model', rtol=1e-4)
lin_layers, lin_losses = train_mlp(X_train, y_train, activation=lambda z: z)
lin_acc = accuracy(predict(lin_layers, X_train), y_train)
check.true(lin_acc < 0.75, 'without a nonlinearity the same network fails (a linear model cannot fit XOR)',
           actual=lin_acc, hint='apply the activation to the hidden layer, and nothing else nonlinear')
X_small, y_small = make_xor(300, np.random.default_rng(42))
small_layers, small_losses = train_mlp(X_small, y_small, num_hidden=32, activation=d2l.nn.tanh,
                                       lr=0.5, num_epochs=400, seed=7)
check.equal(tuple(small_layers[0].kernel.shape), (2, 32), 'num_hidden=32 gives a (2, 32) hidden kernel')
small_acc = accuracy(predict(small_layers, X_small), y_small)
check.true(small_acc >= 0.9, 'tanh, 32 units, other data and seed: accuracy of at least 0.9', actual=small_acc)
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: why depth needs a nonlinearity (4 points, graded by hand)
#
# In Question 3's hidden checks, the network trained with
# `activation=lambda z: z` fails on XOR although it has a hidden layer of 16
# units. Explain why, in four steps:
#
# 1. Write the network's logits $\mathbf{o}$ for an input $\mathbf{x}$ without
#    an activation, and show that they equal $\mathbf{x} W + \mathbf{b}$ for
#    one matrix $W$ and one vector $\mathbf{b}$: say what $W$ and $\mathbf{b}$
#    are, and their shapes.
# 2. Say what that means for the decision boundary, and why that boundary
#    cannot fit XOR.
# 3. Explain why inserting ReLU between the layers escapes this argument, and
#    what shape of boundary a ReLU MLP can draw.
# 4. The step function ($1$ for $z > 0$, $0$ otherwise) is nonlinear too.
#    Why is it nevertheless a poor activation for training with gradients?
#
# **Rubric (4 points):** 1 for the collapsed weight $W = W_1 W_2$ and bias
# $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$ with shapes; 1 for a straight
# line as the boundary and why it cannot separate XOR's quadrants; 1 for why
# ReLU breaks the collapse (no longer a product of matrices; piecewise linear
# with a bend per unit); 1 for the zero derivative of the step function, so no
# gradient flows to the weights before it.

# %% scratch
# Try things here, for example:
# lin_layers, lin_losses = train_mlp(X_train, y_train, activation=lambda z: z)
# print(accuracy(predict(lin_layers, X_train), y_train), lin_losses[-1])

# %% [markdown] written q4 points=4
# 1. Without an activation, $\mathbf{h} = \mathbf{x} W_1 + \mathbf{b}_1$ and
#    $\mathbf{o} = \mathbf{h} W_2 + \mathbf{b}_2 = \mathbf{x} (W_1 W_2) + (\mathbf{b}_1 W_2 + \mathbf{b}_2)$.
#    So $W = W_1 W_2$ is $2 \times 2$ (a $2 \times 16$ times a $16 \times 2$
#    matrix) and $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$ has 2 entries:
#    the whole network is one linear layer, however many hidden units or layers
#    it has.
# 2. The predicted class changes where the two logits are equal,
#    $\mathbf{x} (\mathbf{w}_{:,1} - \mathbf{w}_{:,0}) + (b_1 - b_0) = 0$: a
#    straight line. XOR's class 1 occupies two opposite quadrants; any line
#    leaves points of both classes on at least one of its sides, so at best about
#    3/4 of the points are right, and gradient descent
#    ends near one half (0.52 in the run above).
# 3. With ReLU, $\mathbf{o} = \operatorname{relu}(\mathbf{x} W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2$
#    and the ReLU cannot be moved past $W_2$, so the product never forms. Each
#    hidden unit is linear on either side of its own line
#    $\mathbf{x} \mathbf{w}_j + b_j = 0$ and bends there, so the logits are
#    piecewise linear and the boundary is a polygon-like curve made of
#    straight pieces: enough to carve out two opposite quadrants.
# 4. The step function's derivative is 0 everywhere except at 0, where it is
#    undefined. Backpropagation multiplies by that derivative, so every weight
#    before the step gets a zero gradient and never changes: the network cannot
#    learn its hidden layer by gradient descent. Useful activations have a
#    nonzero derivative over a wide range of inputs.
