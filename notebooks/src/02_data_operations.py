# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. Data operations
#
# Everything a network does, from reading an image to updating its weights, is
# arithmetic on **tensors**: multi-dimensional arrays of numbers. This chapter
# is a tour of the operations you will use in every later chapter.
#
# **After this chapter you will be able to**
#
# * create tensors from ranges, nested lists, constants and random numbers, and read their shape, length and dtype;
# * change a tensor's shape with `reshape`, letting `-1` infer one dimension;
# * compute elementwise with `+ - * /` and functions such as `exp`, and say which dtype comes out;
# * multiply matrices with `matmul`, join tensors with `concat`, compare them with `==`;
# * reduce tensors with `reduce_sum` and measure them with `norm`;
# * explain why the engine refuses to add an integer tensor to a float tensor, and fix it with `cast`.
#
# Every name below is TensorFlow's: `d2l.constant` is `tf.constant`, and
# `import d2l_core as tf` would run the same code.

# %%
import numpy as np
import matplotlib.pyplot as plt
import d2l_core as d2l

# %% [markdown]
# ## 2.1 Creating tensors
#
# A tensor holds numbers arranged along zero or more **axes**. With no axis it is
# a *scalar*, with one a *vector*, with two a *matrix*; beyond that we just say
# "tensor". Three properties describe every tensor: its **shape** (the length
# of each axis), its **dtype** (the type of every element, such as `int32` or
# `float32`) and its **values**, which `.numpy()` returns as a NumPy array.
#
# `d2l.constant` makes a tensor from Python values. Here are the twelve integers
# 0 to 11 as a vector:

# %%
x = d2l.constant(range(12))
x

# %% [markdown]
# The display shows all three properties. Python integers become `int32`, the
# default integer type of TensorFlow (Python floats become `float32`). The
# shape is a tuple with one entry per axis, and `len()` gives the length of the
# first axis:

# %%
x.shape, len(x), x.dtype

# %% [markdown]
# ### Changing the shape
#
# `d2l.reshape` rearranges the same twelve numbers into 3 rows of 4. The
# elements are read and written **row by row**: the first four numbers fill
# the first row, and so on. The number of elements must stay the same,
# $3 \times 4 = 12$.

# %%
X = d2l.reshape(x, (3, 4))
X

# %% [markdown]
# Writing both lengths is redundant: once we ask for 4 columns, 12 elements
# leave room for exactly 3 rows. Put `-1` for the one length you want the
# engine to work out. (NumPy arrays also have a `reshape` method; TensorFlow's
# tensors have none, so always write the function `d2l.reshape`.)

# %%
d2l.reshape(x, (-1, 4))

# %% [markdown]
# If the numbers do not work out, the error says why. This cell is meant to
# fail; read the last line of the message:

# %% tags=["raises-exception"]
d2l.reshape(x, (5, -1))

# %% [markdown]
# Reshaping is cheap: no number is copied or changed, only the way they are
# laid out. (That is why the engine can check it so strictly: a reshape that
# lost or invented elements would always be a bug.)
#
# ### Zeros, ones, lists and random numbers
#
# Tensors of zeros and ones are common starting points. They are `float32`
# unless you ask for another dtype:

# %%
d2l.zeros((2, 3))

# %%
d2l.ones((3, 4))

# %% [markdown]
# A nested Python list gives every value explicitly; the outer list holds the
# rows:

# %%
Y = d2l.constant([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
Y

# %% [markdown]
# Networks start from random weights. `d2l.random.normal` draws each element
# from a normal (Gaussian) distribution with the given mean $\mu$ and standard
# deviation $\sigma$, whose density is
#
# $$p(x) = \frac{1}{\sqrt{2\pi\sigma^2}} \exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right).$$
#
# Random numbers change every run, which makes results hard to compare. Setting
# a **seed** first makes the sequence repeatable: run this cell twice and you
# get the same numbers. (TensorFlow also repeats its numbers for a given seed,
# but they are not the same numbers as the engine's: only the repeatability
# carries over.)

# %% tags=["output-varies"]
d2l.random.set_seed(0)
d2l.random.normal(shape=[3, 4], mean=0, stddev=1)

# %% [markdown]
# Twelve numbers say little about a distribution. Ten thousand of them,
# counted in a histogram, trace out the bell curve of the formula above:

# %%
d2l.random.set_seed(0)
samples = d2l.random.normal(shape=[10000], mean=0, stddev=1)

grid = np.linspace(-4, 4, 200)
fig, ax = plt.subplots(figsize=(5, 3))
ax.hist(samples.numpy(), bins=50, density=True, color='#a6cee3', label='10,000 samples')
ax.plot(grid, np.exp(-grid**2 / 2) / np.sqrt(2 * np.pi), color='#e6550d', label='density $p(x)$')
ax.set_xlabel('value')
ax.set_ylabel('density')
ax.legend()
plt.show()

# %% [markdown]
# ## 2.2 Elementwise operations
#
# For two tensors of the **same shape**, the operators `+ - * /` work element
# by element: entry $(i, j)$ of the result depends only on entry $(i, j)$ of
# each input,
#
# $$Z = X \odot Y \quad\Longleftrightarrow\quad z_{ij} = x_{ij} \cdot y_{ij},$$
#
# so the result has the same shape. (Operations without `reduce` in their
# name work this way and keep the shape; section 2.5 covers the ones that
# do not.)

# %%
X + Y

# %%
X * Y

# %% [markdown]
# Division deserves a closer look. `X` and `Y` both hold `int32` numbers, yet
# the quotient is `float64`:

# %%
X / Y

# %% [markdown]
# In Python 3, `/` is *true division*: `7 / 2` is `3.5`, not `3`. TensorFlow
# follows Python, so dividing integers must produce floats. It picks `float64`
# because every `int32` value fits exactly in a `float64` (which has 52 bits of
# mantissa), while `float32` (23 bits) would round integers above $2^{24}$.
# If you want integer division, say so with `//`, which keeps `int32`:

# %%
X // Y

# %% [markdown]
# Functions such as `d2l.exp` apply to every element:
# $\exp(Y)_{ij} = e^{y_{ij}}$. They need floating-point input, because
# $e^{y}$ is almost never an integer. Asking for `exp` of an integer tensor is
# an error, so we convert the dtype first with `d2l.cast`. The engine raises
# a `DTypeMismatchError`, a kind of `InvalidArgumentError` (the error
# TensorFlow raises here), with a message that suggests the fix:

# %% tags=["raises-exception"]
d2l.exp(Y)

# %%
Y = d2l.cast(Y, d2l.float32)
d2l.exp(Y)

# %% [markdown]
# ## 2.3 Matrix multiplication
#
# `X` has 3 rows and 4 columns, and so does `Y`. The matrix product
# $X Y^\top$ multiplies each row of $X$ with each row of $Y$:
#
# $$(X Y^\top)_{ij} = \sum_{k=1}^{4} x_{ik}\, y_{jk}.$$
#
# For that, the inner lengths must agree: $(3 \times 4)(4 \times 3)$ gives
# $3 \times 3$. `d2l.transpose` swaps rows and columns, and `d2l.matmul`
# multiplies. Both operands must have the same dtype, so we cast `Y` back to
# `int32` first:

# %%
Y = d2l.cast(Y, d2l.int32)
d2l.matmul(X, d2l.transpose(Y))

# %% [markdown]
# The `@` operator means the same as `d2l.matmul`. Forget the transpose and the
# inner lengths clash, $(3 \times 4)(3 \times 4)$; the error says so and
# suggests the fix:

# %% tags=["raises-exception"]
X @ Y

# %% [markdown]
# Each operator also has a function form, which is what TensorFlow code often
# uses: `d2l.add(A, B)` is `A + B`, `d2l.multiply(A, B)` is `A * B`,
# `d2l.matmul(A, B)` is `A @ B`.

# %%
bool(d2l.reduce_all(d2l.add(X, Y) == X + Y))

# %% [markdown]
# ## 2.4 Joining tensors: `concat`
#
# `d2l.concat` joins tensors along an existing axis. Think of `X`, of shape
# `(3, 4)`, as 3 sentences of 4 words each.
#
# * Along **axis 0** (the first entry of the shape) we put `Y`'s sentences
#   after `X`'s: there are now $3 + 3 = 6$ sentences, each still 4 words long.
#   The shape becomes `(3+3, 4)`.
# * Along **axis 1** we make each sentence longer instead: sentence $i$ of `X`
#   continues with sentence $i$ of `Y`. The shape becomes `(3, 4+4)`.
#
# Along the joining axis the lengths add up; every other axis must have the
# same length in all inputs.

# %%
d2l.concat([X, Y], axis=0)

# %%
d2l.concat([X, Y], axis=1)

# %% [markdown]
# The picture shows both results; the cells that came from `Y` are shaded
# orange. (`d2l.plot` is d2l_core only; in TensorFlow you would draw with
# matplotlib yourself, e.g. `plt.imshow(d2l.concat([X, Y], axis=0))`.)

# %% tags=["d2l-only"]
d2l.plot.show_matrices(
    {'concat axis=0: (3+3, 4)': d2l.concat([X, Y], axis=0),
     'concat axis=1: (3, 4+4)': d2l.concat([X, Y], axis=1)},
    highlight=[(slice(3, None),), (slice(None), slice(4, None))])
plt.show()

# %% [markdown]
# ## 2.5 Comparing and reducing
#
# Comparisons are elementwise too. `X == Y` (or `d2l.equal(X, Y)`) gives a
# tensor of booleans that is `True` where the two tensors hold the same value:

# %%
X == Y

# %% [markdown]
# Cast the booleans to numbers and `True` becomes 1 and `False` 0, which is
# handy for counting:

# %%
d2l.cast(X == Y, d2l.int32)

# %% [markdown]
# Operations whose names start with `reduce_` *reduce* many elements to fewer.
# With no `axis`, `d2l.reduce_sum` adds all elements into a single number, a
# tensor of shape `()`:
#
# $$\mathrm{reduce\_sum}(X) = \sum_{i}\sum_{j} x_{ij}.$$

# %%
d2l.reduce_sum(X)

# %% [markdown]
# With `axis=0` it sums down each column (the row axis disappears), with
# `axis=1` along each row (the column axis disappears). Counting matches is a
# sum of zeros and ones:

# %%
print(d2l.reduce_sum(X, axis=0))
print(d2l.reduce_sum(X, axis=1))
print('matching positions:', int(d2l.reduce_sum(d2l.cast(X == Y, d2l.int32))))

# %% [markdown]
# The **norm** measures how large a tensor is. `d2l.norm` computes the
# Euclidean (for a matrix, Frobenius) norm, the square root of the sum of
# squares:
#
# $$\|X\| = \sqrt{\sum_{i,j} x_{ij}^2}.$$
#
# A square root is rarely an integer, so `norm` wants a float tensor, just as
# `exp` did:

# %%
X = d2l.cast(X, d2l.float32)
d2l.norm(X)

# %%
d2l.sqrt(d2l.reduce_sum(X * X))     # the same, from the formula

# %% [markdown]
# ## 2.6 Why `int + float` is an error
#
# NumPy quietly converts an integer array to floats when you add a float array.
# TensorFlow, and therefore `d2l_core`, refuses:

# %% tags=["raises-exception"]
Y + X                 # Y is int32, X is now float32

# %% [markdown]
# This is a deliberate design choice, for three reasons.
#
# * **No silent loss of precision.** Converting `int64` to `float32`, or
#   `float64` to `float32`, can change values. An implicit conversion hides
#   that; an explicit `cast` makes it visible in the code.
# * **Predictable memory and speed.** A model's weights are normally `float32`
#   (or even 16-bit floats on a GPU). If one `float64` operand silently promoted
#   a whole computation to `float64`, memory would double and many GPUs would
#   slow down, with no error to tell you why.
# * **Bugs show up early.** Mixing integer labels with float predictions, say,
#   is usually a mistake. An error at the line where it happens is easier to
#   fix than a wrong number ten layers later.
#
# The fix is to decide which dtype you want and `cast` to it:

# %%
d2l.cast(Y, d2l.float32) + X

# %% [markdown]
# Plain Python numbers are more relaxed: they take the dtype of the tensor they
# meet, as long as no information is lost. `X_int + 1` is fine, but adding
# `1.5` to an integer tensor would have to drop the `.5`, so that is an error
# too:

# %%
X_int = d2l.reshape(d2l.constant(range(12)), (3, 4))
X_int + 1

# %% tags=["raises-exception"]
X_int + 1.5

# %% [markdown]
# ## Summary
#
# * A tensor has a shape, a dtype and values. `d2l.constant(range(12))` makes
#   an `int32` vector; Python floats become `float32`.
# * `d2l.reshape` rearranges elements row by row; `-1` lets the engine infer one
#   length.
# * `zeros`, `ones`, nested lists and `random.normal` create tensors; set a seed
#   with `d2l.random.set_seed` to make random numbers repeatable.
# * `+ - * / ==` and functions like `exp` work elementwise and keep the shape.
#   `int32 / int32` is true division and gives `float64`; `//` keeps integers.
# * `matmul` (or `@`) needs matching inner lengths; `transpose` helps.
#   `concat` adds up lengths along the joining axis: `(3+3, 4)` or `(3, 4+4)`.
# * `reduce_sum` sums all elements, or along one axis; `norm` is the square
#   root of the sum of squares and needs floats.
# * The engine never mixes dtypes on its own: `cast` to the one you want.
#
# ## Check yourself
#
# The graded exercises for this chapter are in
# [`exercises/learner/ch02_data/ch02_data.ipynb`](../exercises/learner/ch02_data/ch02_data.ipynb).
# Before you open them, answer these:
#
# 1. How would you build a `(3, 4)` tensor holding 0 to 11 *column by column*,
#    using only `reshape` and `transpose`?
#    <details><summary>Answer</summary>
#
#    Fill 4 rows of 3 row by row, then swap rows and columns:
#    `d2l.transpose(d2l.reshape(d2l.constant(range(12)), (4, 3)))`. Its first
#    column is 0, 1, 2.
#    </details>
# 2. `A` has shape `(2, 3)` and `B` shape `(3, 4)`. Predict the shapes of
#    `d2l.concat([A, A], axis=1)`, `d2l.matmul(A, B)` and
#    `d2l.reduce_sum(B, axis=0)` before you run them.
#    <details><summary>Answer</summary>
#
#    `(2, 6)` (lengths add along axis 1), `(2, 4)` (the inner 3s meet), and
#    `(4,)` (axis 0 disappears).
#    </details>
# 3. How do you compute the length of every row of a matrix in one line,
#    without a loop?
#    <details><summary>Answer</summary>
#
#    `d2l.norm(X, axis=1)` for a float matrix `X` (or
#    `d2l.sqrt(d2l.reduce_sum(X * X, axis=1))`): one number per row.
#    </details>
# 4. How do you count the positions where two tensors agree, as a Python `int`?
#    <details><summary>Answer</summary>
#
#    `int(d2l.reduce_sum(d2l.cast(X == Y, d2l.int32)))`: the booleans become
#    0s and 1s, their sum counts the `True`s, and `int()` makes it a Python
#    number.
#    </details>
# 5. Why does `X_int + d2l.constant(1.5)` raise an error, and what are two ways
#    to make it work?
#    <details><summary>Answer</summary>
#
#    `d2l.constant(1.5)` is `float32` and `X_int` is `int32`, and TensorFlow
#    never converts dtypes implicitly. Cast the integers,
#    `d2l.cast(X_int, d2l.float32) + d2l.constant(1.5)`, or make the constant
#    an integer on purpose, `X_int + d2l.constant(1)`, if dropping the `.5`
#    is what you want.
#    </details>
