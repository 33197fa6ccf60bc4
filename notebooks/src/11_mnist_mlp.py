# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 11. MNIST with a multilayer perceptron
#
# This is the capstone of the first part of the course. It trains a network
# with about 235,000 parameters to read handwritten digits, the MNIST
# collection you met in chapter 1, and puts the last four chapters together:
#
# * **minibatches** (chapter 7): a `Dataset` shuffles nothing by hand but feeds
#   the training digits in batches, one optimizer step per batch;
# * **softmax and cross-entropy** (chapter 8): ten scores become probabilities,
#   and the loss is the surprisal of the true digit;
# * **a multilayer perceptron** (chapter 9): `Dense` layers with ReLUs, now
#   built by Keras instead of by hand;
# * **validation and test sets** (chapter 10): we compare choices on
#   validation digits carved out of the training data, and touch the test
#   digits once, at the very end.
#
# The training loop is chapter 6's; what is new is that Keras's layers hold
# their own weights, and that `compile` and `fit` can run the loop for us.
#
# **After this chapter you will be able to**
#
# * load MNIST, split off a validation set, scale the pixels to $[-1, 1]$, one-hot encode the labels, and batch everything with `d2l.data.Dataset`;
# * build a multilayer perceptron from `Dense` layers with `d2l.keras.Sequential`, and count its parameters;
# * train it with your own `GradientTape` loop, and with Keras's `compile` and `fit`;
# * explain why cross-entropy suits classification better than the mean squared error;
# * compare two losses on validation digits, report accuracy on test digits used once, read loss and accuracy curves, and inspect the digits the network gets wrong.
#
# Every name is TensorFlow's (`import d2l_core as tf` works too).

# %%
import os
import warnings

import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l
from d2l_core import keras
from d2l_core.keras import layers, optimizers, datasets

# %% [markdown]
# ## 11.1 The data
#
# `datasets.mnist.load_data()` returns MNIST as Keras does: two pairs of NumPy
# arrays, training images and labels, then test images and labels. With a
# network connection it downloads the full collection once (70,000 digits,
# about 11 MB) and caches it. Here we set `D2L_OFFLINE=1` first, which makes
# it skip the download and use the 5,000 digits that ship with the engine
# (4,000 for training, 1,000 for testing). That keeps this chapter fast, and
# makes it run the same everywhere, even without a network. Remove that line
# (or set it to `0`) to train on all of MNIST. (`D2L_OFFLINE` is the engine's;
# TensorFlow's `load_data()` always downloads the full collection.)
#
# With the subset, `load_data` also issues a warning saying so. We have just
# said so ourselves, so we silence it.

# %%
os.environ['D2L_OFFLINE'] = '1'     # use the bundled 5,000-digit subset
warnings.filterwarnings('ignore', message='MNIST: offline')

(x_all, labels_all), (x_test_images, labels_test) = datasets.mnist.load_data()
print(x_all.shape, x_all.dtype, x_all.min(), x_all.max())
print(labels_all.shape, labels_all.dtype, labels_all[:10])
print(x_test_images.shape, labels_test.shape)

# %% [markdown]
# **Three sets, three jobs** (chapter 10). The training digits fit the
# weights. To choose between models (which loss, how many epochs) we need
# digits the training never saw, the **validation** set; we carve it out of
# the training data, the last 500 digits. The **test** digits answer one
# question only, how well the final model does on new digits, so we use them
# once, at the end. A test set consulted for every choice would end up chosen
# for, and its accuracy would no longer be an honest estimate.

# %%
x_train, labels_train = x_all[:-500], labels_all[:-500]    # 3,500 for training
x_val, labels_val = x_all[-500:], labels_all[-500:]        # 500 for validation
print(len(x_train), 'training,', len(x_val), 'validation,', len(x_test_images), 'test digits')

# %% [markdown]
# Each image is a $28 \times 28$ grid of brightness values from 0 (paper) to
# 255 (ink), and each label a number from 0 to 9. Two conversions prepare them
# for a network:
#
# * **Scale the pixels** from $\{0, \dots, 255\}$ to $[-1, 1]$ with
#   $x \mapsto 2x/255 - 1$. Inputs of order 1, centred near zero, keep the
#   first layer's weighted sums in a range where training behaves well; raw
#   values up to 255 would make the initial outputs and gradients hundreds of
#   times too large.
# * **One-hot encode the labels.** The network will output 10 numbers, one
#   per digit. A label $k$ becomes a vector of 10 zeros with a 1 at
#   position $k$, so target and output have the same shape:
#   $3 \mapsto (0, 0, 0, 1, 0, 0, 0, 0, 0, 0)$.

# %%
x = 2*d2l.convert_to_tensor(x_train, dtype=d2l.float32)/255.-1   # to a tensor, scaled to [-1, 1]
y = d2l.convert_to_tensor(labels_train, dtype=d2l.int32)         # to a tensor
y = d2l.one_hot(y, depth=10)                                     # one-hot encoding
print(x.shape, y.shape)
print(float(d2l.reduce_min(x)), float(d2l.reduce_max(x)))
print(y[:3])

# %% [markdown]
# The validation and test digits get the same treatment. We keep their integer
# labels (`labels_val`, `labels_test`) too, to compare with predictions later:

# %%
def prepare(images, labels):
    """Pixels scaled to [-1, 1] and one-hot labels, as tensors."""
    images = 2*d2l.convert_to_tensor(images, dtype=d2l.float32)/255.-1
    return images, d2l.one_hot(d2l.convert_to_tensor(labels, dtype=d2l.int32), depth=10)

x_val, y_val = prepare(x_val, labels_val)
x_test, y_test = prepare(x_test_images, labels_test)      # not used until section 11.7

# %% [markdown]
# Training uses the data in **batches**: each step computes the loss on a
# batch of examples, one matrix product per layer for the whole batch, which
# is far faster than one example at a time, and updates the weights once per
# batch. `d2l.data.Dataset`, TensorFlow's `tf.data.Dataset`, builds that
# pipeline. `from_tensor_slices((x, y))` makes a dataset whose elements are
# matching pairs (one image, its label), and `.batch(512)` groups them 512 at a
# time. 3,500 digits make 7 batches; the last holds the remaining 428:

# %%
train_dataset = d2l.data.Dataset.from_tensor_slices((x, y))     # (image, label) pairs
train_dataset = train_dataset.batch(512)                        # in batches of 512
print(len(train_dataset), 'batches')
for xb, yb in train_dataset.take(1):
    print(xb.shape, yb.shape)
print([int(xb.shape[0]) for xb, yb in train_dataset])

# %% [markdown]
# ## 11.2 A multilayer perceptron
#
# A **dense** (fully connected) layer multiplies its input by a weight matrix
# $W$, adds a bias vector $\mathbf{b}$ and applies an activation function
# $\sigma$ to every entry:
#
# $$\mathbf{h} = \sigma(\mathbf{x} W + \mathbf{b}).$$
#
# For a batch, $\mathbf{x}$ is a matrix with one example per row, so one
# `matmul` handles the whole batch. Stacking such layers gives a
# **multilayer perceptron** (MLP). Ours reads the 784 pixels of a flattened
# image and has two hidden layers of 256 and 128 units with the **ReLU**
# activation,
#
# $$\mathrm{relu}(z) = \max(0, z),$$
#
# and an output layer of 10 units with no activation: 10 raw scores, one per
# digit, called **logits**. The predicted digit is the one with the largest
# score. Without the ReLUs the three layers would collapse into one linear
# map (chapter 1); with them, the network can bend its decision boundaries.

# %%
d2l.random.set_seed(0)                      # the same initial weights on every run
model = keras.Sequential([                  # three layers, applied in turn
    layers.Dense(256, activation='relu'),
    layers.Dense(128, activation='relu'),
    layers.Dense(10)])

# %% [markdown]
# The layers have no weights yet: a `Dense` layer does not know its input size
# until it first sees an input, so it creates $W$ and $\mathbf{b}$ on its first
# call (Keras calls this *building* the layer). Calling the model once on a
# batch builds all three, and `summary()` then lists them. (Keras in
# TensorFlow draws the same table, with the same numbers, in another style.)

# %% tags=["output-varies"]
model(d2l.reshape(x[:2], (-1, 28*28)))
model.summary()

# %% [markdown]
# Each dense layer has (inputs × units) weights plus one bias per unit:
# $784 \cdot 256 + 256 = 200{,}960$, then $256 \cdot 128 + 128 = 32{,}896$,
# then $128 \cdot 10 + 10 = 1{,}290$. Almost all of them sit in the first layer,
# which looks at every pixel. `model.trainable_variables` is the list of the six
# Variables an optimizer will update (kernel and bias of each layer); here are
# their shapes:

# %%
[tuple(v.shape) for v in model.trainable_variables]

# %% [markdown]
# ## 11.3 Training with your own loop
#
# The first training step reuses chapter 6's recipe and even its loss: the
# **mean squared error** between the 10 outputs $\mathbf{o}$ and the one-hot
# target $\mathbf{y}$, averaged over the 10 entries and the batch,
#
# $$\mathcal{L}_\text{MSE} = \frac{1}{B} \sum_{i=1}^{B} \frac{1}{10} \sum_{j=0}^{9} (o_{ij} - y_{ij})^2 .$$
#
# `keras.losses.MeanSquaredError()` computes exactly that. One training step
# flattens the batch of images, runs the model, computes the loss under the
# tape, asks for the gradients of the loss with respect to all six Variables,
# and lets the optimizer apply them. We use **Adam**, an optimizer that
# adapts the step size of every parameter to the size of its recent gradients
# and needs less tuning of the learning rate than plain SGD.

# %%
mse = keras.losses.MeanSquaredError()
optimizer = optimizers.Adam(learning_rate=1e-3)

def train_step(x, y):
    with d2l.GradientTape() as tape:            # record the forward pass
        # flatten: [b, 28, 28] => [b, 784]
        x = d2l.reshape(x, (-1, 28*28))
        # step 1: the model's output, [b, 784] => [b, 10]
        out = model(x)
        # step 2: the mean squared error against the one-hot labels;
        # Keras losses take (y_true, y_pred): the target first
        loss = mse(y, out)
    # step 3: the gradients of the loss for w1, w2, w3, b1, b2, b3
    grads = tape.gradient(loss, model.trainable_variables)
    # step 4: update the weights
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


# %% [markdown]
# To judge the network we need digits it never trained on: the 500
# validation digits. **Accuracy** is the fraction of them whose largest output
# is at the right digit. One **epoch** is one pass over the training data, here
# 7 steps. Ten epochs take a few seconds. The weights start random, so in
# TensorFlow (which draws other random numbers for the same seed) the numbers
# differ a little:

# %% tags=["output-varies"]
def accuracy(model, x, y):
    logits = model(d2l.reshape(x, (-1, 28*28)))
    hits = d2l.equal(d2l.argmax(logits, axis=1), d2l.argmax(y, axis=1))
    return float(d2l.reduce_mean(d2l.cast(hits, d2l.float32)))

num_epochs = 10
mse_accuracy = []
for epoch in range(num_epochs):
    for xb, yb in train_dataset:
        loss = train_step(xb, yb)
    mse_accuracy.append(accuracy(model, x_val, y_val))
    print(f'epoch {epoch + 1}: loss {float(loss):.4f}, validation accuracy {mse_accuracy[-1]:.3f}')

# %% [markdown]
# It learns: from 10% (guessing) to nearly 90% in ten epochs. But the
# mean squared error is an odd choice for classification. It asks the network
# to output *exactly* 0 and 1, and punishes a correct, confident score of 3
# for the right digit just as much as an error. We want the network to rank
# the right digit first, and to be sure about it.
#
# ## 11.4 Cross-entropy, and `compile` / `fit`
#
# Classification networks therefore read their 10 logits $\mathbf{o}$ as
# probabilities, through the **softmax** function, and score them with the
# **cross-entropy**, the negative log of the probability given to the true
# digit $k$:
#
# $$p_j = \frac{e^{o_j}}{\sum_{l=0}^{9} e^{o_l}}, \qquad
# \mathcal{L}_\text{CE} = -\log p_k = -o_k + \log \sum_{l=0}^{9} e^{o_l}.$$
#
# Softmax makes the outputs positive and summing to 1, and the largest logit
# gets the largest probability. Cross-entropy is 0 only when $p_k = 1$, and
# grows without limit as $p_k \to 0$, so confident mistakes are expensive. Its
# gradient with respect to the logits is remarkably simple:
#
# $$\frac{\partial \mathcal{L}_\text{CE}}{\partial o_j} = p_j - y_j ,$$
#
# the predicted probabilities minus the one-hot target (chapter 8). It is
# large while the network is badly wrong, exactly when it should learn fast.
# It is never exactly zero, though: softmax never gives the true digit a
# probability of exactly 1, so even on digits it already gets right,
# cross-entropy keeps pushing the true logit up and the others down. The
# margins keep growing, ever more slowly, for as long as training runs, which
# is one reason to stop early or regularise (chapter 10).
# `CategoricalCrossentropy(from_logits=True)` applies softmax and
# cross-entropy in one numerically stable step.
#
# This time we let Keras write the loop. `compile` chooses the optimizer, the
# loss and the metrics to report; `fit` runs the epochs over the dataset, and
# with `validation_data` it measures the validation digits after each epoch.
# The new model is the same MLP with a `Flatten` layer in front, which
# reshapes each $28 \times 28$ image to 784 numbers, and starts from the same
# initial weights (same seed):

# %%
d2l.random.set_seed(0)
model = keras.Sequential([
    layers.Flatten(),                       # [b, 28, 28] => [b, 784]
    layers.Dense(256, activation='relu'),
    layers.Dense(128, activation='relu'),
    layers.Dense(10)])
model.compile(optimizer=optimizers.Adam(learning_rate=1e-3),
              loss=keras.losses.CategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])

# %% [markdown]
# `fit(verbose=1)` draws a **progress bar** for each epoch with the running
# loss and accuracy, handy while you wait. A bar changes every time it
# redraws, though, and this notebook is also run by the course's tests, which
# compare every output with the saved one. So we show the bar only when the
# notebook runs inside JupyterLab (whose server tells each kernel the
# notebook's name in the `JPY_SESSION_NAME` environment variable) and train
# silently (`verbose=0`) everywhere else. Either way, we print the numbers
# ourselves afterwards.

# %% tags=["output-varies"]
VERBOSE = 1 if 'JPY_SESSION_NAME' in os.environ else 0    # a progress bar in JupyterLab only

history = model.fit(train_dataset, epochs=num_epochs,
                    validation_data=(x_val, y_val), verbose=VERBOSE)

print('epoch    loss  accuracy  val_loss  val_accuracy')
for epoch in range(num_epochs):
    h = {k: v[epoch] for k, v in history.history.items()}
    print(f'{epoch + 1:5d}  {h["loss"]:.4f}     {h["accuracy"]:.3f}    {h["val_loss"]:.4f}'
          f'         {h["val_accuracy"]:.3f}')

# %% [markdown]
# ## 11.5 Loss and accuracy curves
#
# `fit` returns a `History` whose `history` dict holds one list per quantity,
# one entry per epoch. The left plot shows the cross-entropy on the training
# and the validation digits. The right one shows the accuracy, together with
# that of the mean-squared-error run of section 11.3, which had the same
# model, the same starting weights, the same optimizer and the same data:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
epochs = np.arange(1, num_epochs + 1)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.2))
d2l.plot.plot_curves(epochs, {'training': history.history['loss'],
                              'validation': history.history['val_loss']},
                     'epoch', 'cross-entropy loss', ax=ax1, title='Loss (cross-entropy model)')
d2l.plot.plot_curves(epochs, {'cross-entropy, training': history.history['accuracy'],
                              'cross-entropy, validation': history.history['val_accuracy'],
                              'MSE, validation': mse_accuracy},
                     'epoch', 'accuracy', ax=ax2, title='Accuracy', legend_loc='lower right')
plt.show()

# %% [markdown]
# Two things to read off:
#
# * Both losses fall and flatten. In the first epochs the training loss is
#   *higher* than the validation loss, because it is a running mean over the
#   epoch's batches, measured while the weights were still improving (the
#   same holds for the training accuracy, which lags behind). Later the
#   validation loss ends up a little above the training loss: the network does
#   slightly better on digits it has seen. With only 3,500 training digits
#   that gap would widen over many more epochs (*overfitting*); after 10 short
#   epochs it is small.
# * Cross-entropy learns faster than the mean squared error: for every
#   epoch its validation accuracy is higher, from the same start. Only the
#   loss differs. This is the kind of choice the validation set is for.
#
# ## 11.6 Predictions, and the digits it gets wrong
#
# `predict` returns the raw outputs, one row of 10 logits per digit, and the
# predicted digit is the position of the largest. We look at the validation
# digits; the test digits stay untouched:

# %% tags=["output-varies"]
logits = model.predict(x_val, verbose=0)
pred = np.argmax(logits, axis=1)
print(pred[:20])
print(labels_val[:20])
print(f'{np.sum(pred != labels_val)} of {len(labels_val)} validation digits are wrong')

# %% [markdown]
# About 9 digits in 10 are right, after a few seconds of training on 3,500
# examples. (On the full 60,000 training digits the same network reaches 97
# to 98%.) Here are the first 24 validation digits with the network's answers;
# a wrong answer is shown in red, with the true label in parentheses:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself, e.g. plt.imshow(x_all[-500], cmap='gray').
d2l.plot.show_images(x_all[-500:][:24], labels=labels_val[:24], predictions=pred[:24], ncols=12)
plt.show()

# %% [markdown]
# The errors say more than the successes. These are the first 24
# misclassified validation digits:

# %% tags=["d2l-only"]
# d2l_core only (d2l.plot draws the course's figures); in TensorFlow you would write
# the matplotlib code yourself.
wrong = np.flatnonzero(pred != labels_val)
d2l.plot.show_images(x_all[-500:][wrong[:24]], labels=labels_val[wrong[:24]],
                     predictions=pred[wrong[:24]], ncols=12)
plt.show()

# %% [markdown]
# Some would puzzle a person too: the 1 with a heavy base, the 5 drawn as a
# thin S, the 0s written as thick slanted blobs (taken for 8s). Others are
# plain to us but unusual in shape or slant: 7s with a crossbar or a short
# top taken for 4s and 2s, 4s with an open top taken for 9s, 8s with a thin
# or tilted loop taken for 3s, 5s or 9s. An MLP sees the 784 pixels as an
# unordered list:
# it does not know which pixels are neighbours, so a digit moved or tilted by
# a few pixels looks new to it. (Convolutional networks build that knowledge
# in.)
#
# The **confusion matrix** counts, for every true digit (row), how often each
# digit was predicted (column). The diagonal holds the correct answers; the
# largest numbers off it are the pairs the network mixes up most:

# %% tags=["output-varies"]
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (labels_val, pred), 1)
confusion

# %% [markdown]
# In the picture the diagonal (grey) holds the correct answers, and the colour
# of every other cell grows with its count, so the mix-ups stand out however
# small they are next to the diagonal:

# %% tags=["output-varies"]
mistakes = np.ma.masked_where(np.eye(10, dtype=bool), confusion)   # the off-diagonal cells
fig, ax = plt.subplots(figsize=(5.6, 4.8))
image = ax.imshow(mistakes, cmap='Reds', vmin=0)
ax.imshow(np.ma.masked_where(~np.eye(10, dtype=bool), confusion), cmap='Greys', vmin=0,
          vmax=4 * confusion.max())                                 # the diagonal, pale grey
for t in range(10):
    for p in range(10):
        n = confusion[t, p]
        dark = t != p and n > 0.6 * mistakes.max()
        ax.text(p, t, str(n), ha='center', va='center', fontsize=8,
                color='white' if dark else ('0.6' if n == 0 else 'black'))
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel('predicted digit')
ax.set_ylabel('true digit')
ax.set_title('Confusion matrix (validation set)')
fig.colorbar(image, ax=ax, label='mistakes: off-diagonal count')
plt.show()

# %% tags=["output-varies"]
off = confusion - np.diag(np.diag(confusion))
for k in np.argsort(-off, axis=None, kind='stable')[:3]:
    t, p = divmod(int(k), 10)
    print(f'true {t}, predicted {p}: {off[t, p]} times')

# %% [markdown]
# ## 11.7 The test set, once
#
# We made our choices (cross-entropy, 10 epochs) on the validation digits.
# Now, and only now, we ask the test digits. `evaluate` computes the loss and
# the metrics on data, in batches, without training:

# %% tags=["output-varies"]
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f'test loss {test_loss:.4f}, test accuracy {test_accuracy:.3f}')

# %% [markdown]
# This is the number to report: an estimate of how the network does on digits
# that played no part in training it or in choosing it. It is close to the
# validation accuracy, as it should be when the validation set was not
# over-used. Had we gone back to change the model after seeing it, the test
# set would have become a second validation set, and we would need a new one.

# %% [markdown]
# ## Summary
#
# * MNIST images become network inputs by scaling the pixels to $[-1, 1]$
#   ($2x/255 - 1$); labels become one-hot vectors of length 10.
#   `Dataset.from_tensor_slices((x, y)).batch(512)` feeds them in batches.
# * Validation digits, carved out of the training data, choose between models;
#   the test digits are used once, at the end, for the number to report.
# * A `Dense` layer computes $\sigma(\mathbf{x} W + \mathbf{b})$ and creates
#   its weights on its first call. Three of them with ReLUs make an MLP with
#   235,146 parameters, most in the first layer.
# * Your own loop: loss under a `GradientTape`, `tape.gradient(loss,
#   model.trainable_variables)`, `optimizer.apply_gradients(zip(...))`.
#   Keras's `compile` and `fit` run the same loop for you and record a
#   `History`; `evaluate` and `predict` use a trained model.
# * For classification, softmax and cross-entropy beat the mean squared error:
#   the gradient $p - y$ stays large while the network is wrong (and never
#   quite vanishes, so margins keep growing). Keras losses take
#   `(y_true, y_pred)`.
# * Look at the errors, not just the accuracy: the misclassified digits and
#   the confusion matrix show what the model has not learned.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch11_mlp/ch11_mlp.ipynb`](../exercises/learner/ch11_mlp/ch11_mlp.ipynb).
# Before you open them, answer these:
#
# 1. How many weights and biases does a `Dense(64)` layer have when its input
#    has 784 features? When are they created?
#    <details><summary>Answer</summary>
#
#    $784 \cdot 64 = 50{,}176$ weights and 64 biases, 50,240 in all. They are
#    created on the layer's first call, when it sees the input size.
#    </details>
# 2. What would go wrong if you fed the raw pixel values 0 to 255 to the
#    network? And if you forgot the one-hot encoding but kept the mean squared
#    error?
#    <details><summary>Answer</summary>
#
#    Raw values up to 255 make the first layer's sums, outputs and gradients
#    hundreds of times too large, and training becomes unstable. Without
#    one-hot labels the network would regress the digit as a number, so
#    "7" would count as closer to "8" than to "1", which means nothing for
#    digits.
#    </details>
# 3. Compute the cross-entropy by hand for logits $(2, 0, 0)$ when the true
#    class is 0, and when it is 1. Why would computing $e^{o_j}$ directly fail
#    for a logit of 1000, and how does subtracting the largest logit help?
#    <details><summary>Answer</summary>
#
#    $\log(e^2 + 2) - 2 \approx 0.239$ for class 0 and
#    $\log(e^2 + 2) - 0 \approx 2.239$ for class 1. $e^{1000}$ overflows to
#    `inf` in float32 (and float64). Softmax does not change when every logit
#    moves by the same amount, so subtract the largest first: then the
#    largest exponent is $e^0 = 1$, nothing overflows, and
#    $\log \sum$ stays finite (log-sum-exp, chapter 8).
#    </details>
# 4. What would every hidden unit compute if all weights started at zero?
#    Why do layers start from random weights?
#    <details><summary>Answer</summary>
#
#    Every hidden unit of a layer would compute the same output and receive
#    the same gradient, so they would stay identical forever: a layer of 256
#    copies of one unit. Random weights break that symmetry (chapter 9).
#    </details>
# 5. Why is the accuracy on test digits, used once, the number to report,
#    rather than the training or the validation accuracy?
#    <details><summary>Answer</summary>
#
#    Training accuracy is measured on digits the weights were fitted to, so it
#    flatters the model. Validation accuracy was used to choose between
#    models, so it flatters the chosen one a little too. Only digits that
#    played no part in either give an honest estimate for new digits.
#    </details>
