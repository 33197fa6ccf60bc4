# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 1. Introduction and setup
#
# Welcome. This course teaches deep learning by doing it: every chapter is a
# notebook you run cell by cell, with short explanations between the cells and
# pictures that show what the code did.
#
# **After this chapter you will be able to**
#
# * say in a few sentences what deep learning is, and why it took off only recently;
# * install the course and open it in JupyterLab;
# * check which versions of the course engine, Python and NumPy you are running, and which devices the engine sees;
# * find your way around JupyterLab;
# * look up what a module offers with `dir()` and how a function works with `help()`.

# %% [markdown]
# ## 1.1 What deep learning is
#
# Suppose you want a program that says whether a photo shows a cat. A photo of
# 400 × 400 pixels stores three numbers per pixel (red, green, blue), so the
# program receives
#
# $$400 \times 400 \times 3 = 480\,000$$
#
# numbers and must answer yes or no. Nobody knows how to write that rule by
# hand: "pointed ears" is not something you can test on raw pixel values. Yet
# any child can label cat photos. Machine learning turns this around: instead
# of writing the rule, we *program with data*. We choose a flexible family of
# functions $f(\mathbf{x}; \boldsymbol{\theta})$ whose behaviour depends on
# parameters $\boldsymbol{\theta}$, collect many labelled examples
# $(\mathbf{x}_i, y_i)$, and let an algorithm adjust $\boldsymbol{\theta}$ until
# $f(\mathbf{x}_i; \boldsymbol{\theta})$ agrees with $y_i$ on the examples, and,
# we hope, on photos it has never seen.
#
# **Deep learning** is machine learning with a particular kind of function: a
# *neural network*, built by stacking many simple steps called *layers*. Almost
# every network follows two principles:
#
# 1. **Alternate linear and non-linear steps.** A layer multiplies its input by
#    a matrix of weights, adds a bias, and applies a simple non-linear function
#    $\sigma$ to each entry. Two layers already give
#    $$f(\mathbf{x}) = \sigma\big(W_2\, \sigma(W_1 \mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2\big).$$
#    Without $\sigma$ the stack would collapse into a single matrix product, so
#    the non-linearity is what makes depth worth having.
# 2. **Learn every parameter from the error, using the chain rule.** The network
#    is a composition of simple functions, so the derivative of the error with
#    respect to each weight follows from the chain rule of calculus, applied
#    from the output back to the input. This is *backpropagation*; chapter 5
#    shows how the engine does it for you.
#
# Why "deep"? Each layer re-describes its input: pixels become edges, edges
# become shapes, shapes become "ear" or "whisker". Deep learning is
# *representation learning*: it finds these intermediate descriptions on its
# own, and it is trained *end to end*, from raw input to final answer, instead
# of having people design the features first and fit a model on top.

# %% [markdown]
# ## 1.2 Why it works now
#
# Neural networks are decades old. What changed in the last fifteen years is
# everything around them:
#
# | what changed | why it matters |
# |---|---|
# | **data** | the web, phones and sensors produce labelled examples by the million; big models need them |
# | **compute** | graphics cards (GPUs) do thousands of multiplications at once, exactly what layers need (chapter 14) |
# | **better training methods** | e.g. *dropout* adds noise during training so the network cannot memorise; *attention* lets a model focus on the relevant part of its input; better optimizers and initialisations make deep stacks trainable at all |
# | **new architectures** | memory networks and encoder–decoder models handle sequences and reasoning; adversarial networks learn to generate realistic samples |
# | **distributed training** | many machines train one model in parallel |
# | **frameworks** | libraries such as TensorFlow and PyTorch compute derivatives automatically, so an idea becomes an experiment in an afternoon |
#
# The last row is the subject of this course's engine.

# %% [markdown]
# ## 1.3 The engine: `d2l_core`
#
# Every chapter imports one small library, **`d2l_core`**, which the course
# builds and which you can read. It stores tensors (multi-dimensional arrays)
# on NumPy, differentiates programs automatically, and has layers, optimizers,
# datasets and a graph mode. Most importantly, **every name in it is
# TensorFlow's**: `d2l.constant` is `tf.constant`, `d2l.GradientTape` is
# `tf.GradientTape`, and they behave the same way. The notebooks write
#
# ```python
# import d2l_core as d2l
# ```
#
# but `import d2l_core as tf` works just as well, so TensorFlow code from books
# and blogs runs unchanged, and what you learn here transfers to TensorFlow
# itself. For example, a TensorFlow 2 snippet that adds two numbers:

# %%
import d2l_core as tf       # the engine under TensorFlow's usual name

a = tf.constant(2.)
b = tf.constant(4.)
print('a+b=', a + b)

# %% [markdown]
# TensorFlow 2 computes `a + b` immediately ("eager" execution). TensorFlow 1
# first built a graph of operations and ran it later in a session; the engine
# supports that style too, and chapter 12 compares the two. From now on we use
# the name `d2l`:

# %%
import d2l_core as d2l
import numpy as np
import matplotlib.pyplot as plt

# %% [markdown]
# ## 1.4 Programming with data: a first look
#
# Here is the kind of data the course learns from: handwritten digits from the
# MNIST collection. `d2l.keras.datasets.mnist.load_data()` returns them as
# NumPy arrays, as Keras does. With a network connection it would download all
# 70,000 digits (11 MB); setting `D2L_OFFLINE=1` makes the engine use the 5,000
# it ships instead, so this works offline, and it says so in a warning, which we
# silence since we just said it ourselves. (TensorFlow ignores `D2L_OFFLINE`:
# its `load_data()` always downloads the full collection.) In chapter 11 you
# will train a network that recognises them.

# %%
import os
import warnings

os.environ['D2L_OFFLINE'] = '1'          # use the engine's 5,000 bundled digits
warnings.filterwarnings('ignore', message='MNIST: offline')
(train_images, train_labels), (test_images, test_labels) = d2l.keras.datasets.mnist.load_data()
print(train_images.shape, train_images.dtype, train_labels[:16])

# %% [markdown]
# The course draws its figures with helpers in `d2l.plot`. They are d2l_core
# only; in TensorFlow you would write the matplotlib code yourself, e.g.
# `plt.imshow(train_images[0], cmap='gray')` for one digit.

# %% tags=["d2l-only"]
d2l.plot.show_images(train_images[:16], labels=train_labels[:16], ncols=8)
plt.show()

# %% [markdown]
# To the computer, each digit is a 28 × 28 grid of brightness values from 0
# (paper) to 255 (ink), 784 numbers in all. Here is the middle of the first
# digit; you can almost see the stroke in the numbers:

# %%
print(train_images[0][6:20:2, 6:22:2])

# %% [markdown]
# Writing rules over these 784 numbers by hand ("a 7 has a horizontal stroke at
# the top...") breaks on the first sloppy digit. A network instead learns its
# rules from thousands of examples.

# %% [markdown]
# ## 1.5 Installing the course
#
# You need Python 3.11, `git` and a shell. Choose one of three ways; all of them
# install `d2l_core` in *editable* mode, so the engine's source code in
# `d2l_core/` is what runs.
#
# 1. **The course script** (recommended). From the repository folder:
#
#    ```bash
#    ./course open       # creates .venv/, installs everything, opens JupyterLab
#    ./course test       # runs the whole test suite
#    ```
#
#    The first run creates a virtual environment in `.venv/` and installs the
#    package with its `course` extra (JupyterLab, nbgrader) and `dev` extra
#    (pytest, nbval). Later runs skip the installation unless `pyproject.toml`
#    changed. `./course open --headless` runs every chapter without a browser
#    and writes a report to `course-report/`.
#
# 2. **conda**, with the environment file in the repository:
#
#    ```bash
#    conda env create -f environment.yml
#    conda activate d2l-course
#    jupyter lab
#    ```
#
# 3. **pip** in an environment of your choice:
#
#    ```bash
#    pip install -e ".[course]"
#    jupyter lab
#    ```
#
# A graphics card is optional. With an NVIDIA GPU, `pip install -e ".[gpu]"`
# adds CuPy and the engine runs on it (chapter 14); without one, everything runs
# on the CPU.

# %% [markdown]
# ## 1.6 Checking your versions and devices
#
# When something behaves differently from the notebook, the first question is
# always "which versions are you running?". Every package has a `__version__`.
# The numbers printed below are the ones on the machine that ran this notebook;
# yours may differ.

# %%
# NBVAL_IGNORE_OUTPUT
# (the versions differ from machine to machine)
import sys
import matplotlib

print('d2l_core  ', d2l.__version__)
print('Python    ', sys.version.split()[0])
print('NumPy     ', np.__version__)
print('matplotlib', matplotlib.__version__)

# %% [markdown]
# As in TensorFlow, `d2l.config.list_physical_devices()` lists the devices the
# engine can compute on. There is always a CPU; a GPU appears only if CuPy is
# installed and finds one. Pass `'GPU'` to list only graphics cards: an empty
# list means the engine will compute on the CPU.

# %%
# NBVAL_IGNORE_OUTPUT
# (the devices depend on the machine)
print(d2l.config.list_physical_devices())
print(d2l.config.list_physical_devices('GPU'))

# %% [markdown]
# ## 1.7 A tour of JupyterLab
#
# A notebook mixes four things in one document: code, its output, prose with
# formulas (like $e^{i\pi} + 1 = 0$), and figures. That is why this course is
# written as notebooks: you read an explanation, run the code right below it,
# change a number and run it again.
#
# * **The left sidebar** holds the *file browser* (`./course open` opens this
#   chapter, so it shows `notebooks/`, where the chapters are; the graded
#   assignments are in `exercises/learner/`), the list of *running kernels and
#   terminals*, and a *table of contents* of the open notebook.
# * **Cells.** A notebook is a list of cells. *Code* cells run Python;
#   *Markdown* cells hold text. Press **Shift+Enter** to run a cell and move to
#   the next one. The number in `[ ]` at a cell's left says in which order cells
#   ran; `[*]` means it is still running.
# * **Two modes.** Press **Enter** to edit a cell and **Esc** to leave it. Out
#   of editing, single keys act on cells: **A** / **B** insert a cell above /
#   below, **D D** deletes it, **M** turns it into Markdown, **Y** into code.
# * **The kernel** is the Python process behind the notebook. It remembers
#   every variable you defined, in the order you ran the cells, not the order
#   they appear. When things get confusing, use **Kernel → Restart Kernel and
#   Run All Cells**: the notebook then runs top to bottom, as it was written.
# * **Help while typing.** Press **Tab** to complete a name
#   (`d2l.resh` + Tab), and **Shift+Tab** inside the parentheses of a call to
#   see its signature and docstring.
# * **Terminal.** *File → New → Terminal* opens a shell, for example to run
#   `./course test`.

# %% [markdown]
# ## 1.8 Finding help: `dir()` and `help()`
#
# No one remembers every function. Two built-in Python functions answer most
# questions. `dir(module)` lists the names a module contains. Names that start
# and end with two underscores (`__doc__`, `__name__`, ...) are Python's own
# bookkeeping, and names starting with one underscore are internal, so we hide
# both. (TensorFlow's `tf.random` lists a few more names, samplers used to
# train language models.)

# %% tags=["output-varies"]
[name for name in dir(d2l.random) if not name.startswith('_')]

# %% [markdown]
# From the names alone you can guess what `d2l.random` offers: samples from the
# uniform distribution (`uniform`), the normal distribution (`normal` and
# `truncated_normal`), the Poisson and gamma distributions, random
# permutations (`shuffle`), and `set_seed` to make the numbers repeatable.
#
# To learn how one function works, ask `help()`. It prints the signature (the
# arguments and their defaults) and the docstring, which in `d2l_core` always
# ends with a short example you can run. (TensorFlow's `help(tf.ones)` says the
# same in other words, so its text differs.)

# %% tags=["output-varies"]
help(d2l.ones)

# %% [markdown]
# The signature says that `shape` is required, while `dtype` defaults to
# `tf.float32`. Let us try the example:

# %%
d2l.ones([3, 4], d2l.int32)

# %% [markdown]
# In JupyterLab you can also write `d2l.ones?` in a cell (or press Shift+Tab)
# to see the same text in a pop-up. Every name is TensorFlow's, so TensorFlow's
# own documentation for `tf.ones` applies too.

# %% [markdown]
# ## Summary
#
# * Deep learning fits *neural networks*, stacks of linear and non-linear
#   layers, to data; the chain rule (backpropagation) tells each parameter how
#   to change. It learns its own intermediate representations, end to end.
# * It took off when large data sets, GPUs, better training methods and
#   automatic-differentiation frameworks came together.
# * The course's engine, `d2l_core`, uses TensorFlow's names and behaviour:
#   `import d2l_core as d2l` here, `import d2l_core as tf` works too.
# * Install with `./course open` (or conda, or `pip install -e ".[course]"`);
#   check versions with `__version__` and devices with
#   `d2l.config.list_physical_devices()`.
# * `dir()` lists what a module offers; `help()` explains a function and shows
#   an example.
#
# ## Check yourself
#
# Chapter 1 has no graded assignment; these questions check that you are ready
# for the next chapter.
#
# 1. An image is 32 × 32 pixels in colour. How many numbers does a network
#    receive for it? And for a 28 × 28 grey MNIST digit?
#    <details><summary>Answer</summary>
#
#    $32 \times 32 \times 3 = 3072$ (three colour channels), and
#    $28 \times 28 = 784$.
#    </details>
# 2. Why would a network without the non-linear function $\sigma$ be no more
#    powerful than a single layer? (Hint: what is $W_2 (W_1 \mathbf{x})$?)
#    <details><summary>Answer</summary>
#
#    $W_2 (W_1 \mathbf{x}) = (W_2 W_1)\mathbf{x}$: two linear layers are one
#    linear layer with the matrix $W_2 W_1$, and so is any stack of them.
#    Only a non-linear $\sigma$ between them adds power.
#    </details>
# 3. Run `help(d2l.zeros)`. Which dtype does it use by default? Create a 2 × 5
#    tensor of integer zeros.
#    <details><summary>Answer</summary>
#
#    `float32`; `d2l.zeros([2, 5], d2l.int32)`.
#    </details>
# 4. Use `dir(d2l)` and a list comprehension to find every function whose name
#    starts with `reduce_`.
#    <details><summary>Answer</summary>
#
#    `[name for name in dir(d2l) if name.startswith('reduce_')]`.
#    </details>
# 5. Restart the kernel and run all cells. Does every output stay the same? Which
#    ones may differ on another computer, and why?
#    <details><summary>Answer</summary>
#
#    On the same computer, yes: the chapter uses no randomness. The versions
#    and the devices may differ on another computer; that is why those cells
#    say so.
#    </details>
