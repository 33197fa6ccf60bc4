# %% [markdown]
# # Chapter 5 exercises: automatic differentiation
#
# These exercises practise `d2l.GradientTape`: deriving a gradient by hand and
# confirming it with the tape, finding out why a gradient is `None`, and taking
# a second derivative with nested tapes.
#
# **How this notebook works.** Replace each `raise NotImplementedError()` with
# your code, then run the test cell below it. A line starting with ✔ means the
# public checks pass; otherwise the message names the failing check, what it
# expected, what your code gave, and a hint. Hidden checks with other inputs
# run when your work is graded. Do not edit or delete the test cells.

# %%
import d2l_core as d2l
import numpy as np

# %% [markdown]
# ## Question 1: by hand, then by tape (5 points)
#
# Let $f(x) = x \, e^{-x^2}$, applied elementwise.
#
# * Derive $f'(x)$ on paper, then write `df_by_hand(x)` that computes your
#   formula with `d2l` operations (`d2l.exp`, `*`, `-`, ...). Do not use a
#   tape here: that is the point. (2 points)
# * Write `df_by_tape(x)` that computes the same derivative with a
#   `d2l.GradientTape` applied to `f`. `x` is a constant tensor, not a
#   Variable. Calling `df_by_hand` or typing the formula again does not count.
#   (3 points)
#
# Both take a `float32` tensor of any shape and return one of the same shape.

# %% solution q1
def f(x):
    return x * d2l.exp(-x * x)


def df_by_hand(x):
    ### BEGIN SOLUTION
    return d2l.exp(-x * x) * (1. - 2. * x * x)
    ### END SOLUTION


def df_by_tape(x):
    ### BEGIN SOLUTION
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)
    ### END SOLUTION

# %% tests q1a_tests points=2
check = d2l.check('q1a', 'df_by_hand')
check.close(df_by_hand(d2l.constant(0.)), 1., 'df_by_hand at x = 0', hint='product rule: (uv)\' = u\'v + uv\'')
check.equal(df_by_hand(d2l.constant([0.5, 1., 2.])).shape, (3,), 'df_by_hand keeps the shape of x')
### BEGIN HIDDEN TESTS
check.hidden()
xs = d2l.constant([[-2., -0.5], [0.25, 3.]])
exact = np.exp(-xs.numpy() ** 2) * (1 - 2 * xs.numpy() ** 2)
check.close(df_by_hand(xs), exact, 'df_by_hand on a 2x2 input with negative entries', rtol=1e-4)
check.close(df_by_hand(d2l.constant(2 ** -0.5)), 0., 'df_by_hand is zero at x = 1/sqrt(2)', atol=1e-6)
check.avoids(df_by_hand, ['GradientTape', 'gradient'], 'df_by_hand works without a tape',
             hint='write the formula with d2l ops')
### END HIDDEN TESTS
check.done()

# %% tests q1b_tests points=3
check = d2l.check('q1b', 'df_by_tape')
xs = d2l.constant([0.5, 1., 2.])
by_tape = df_by_tape(xs)
check.true(by_tape is not None, 'df_by_tape returns a gradient, not None',
           hint='a tape only watches Variables by itself; use tape.watch(x) for a constant')
check.equal(by_tape.shape, (3,), 'df_by_tape keeps the shape of x')
### BEGIN HIDDEN TESTS
check.hidden()
xs = d2l.constant([[-2., -0.5], [0.25, 3.]])
exact = np.exp(-xs.numpy() ** 2) * (1 - 2 * xs.numpy() ** 2)
check.close(df_by_tape(xs), exact, 'df_by_tape on a 2x2 input', rtol=1e-4)
check.uses(df_by_tape, ['GradientTape'], 'df_by_tape uses a GradientTape')
check.avoids(df_by_tape, ['df_by_hand'], 'df_by_tape does not call df_by_hand')
# the tape differentiates whatever f is; a formula typed in by hand does not follow it
original_f = f
try:
    f = lambda x: x * x * x  # noqa: E731
    followed = df_by_tape(d2l.constant([1., 2.]))
finally:
    f = original_f
check.close(followed, [3., 12.], 'df_by_tape differentiates f itself, not a formula typed in')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 2: why is the gradient `None`? (8 points, 2 per fix)
#
# Each function below should return a gradient, but returns `None`. Run the
# cell and read each one carefully.

# %%
def broken_a():
    x = d2l.constant(3.0)
    with d2l.GradientTape() as tape:
        y = x * x
    return tape.gradient(y, x)           # should be dy/dx = 6


def broken_b():
    w = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = w * w
    z = 3.0 * y
    return tape.gradient(z, w)           # should be dz/dw = 12


def broken_c():
    w = d2l.Variable(2)
    with d2l.GradientTape() as tape:
        y = w * w
    return tape.gradient(y, w)           # should be dy/dw = 4


def broken_d():
    w = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = d2l.constant(np.square(w.numpy()))
    return tape.gradient(y, w)           # should be dy/dw = 4


print(broken_a(), broken_b(), broken_c(), broken_d())

# %% [markdown]
# Write `fixed_a` to `fixed_d`: each computes the same thing as its broken
# twin but returns the right gradient, a `float32` tensor. Change as little
# as you can: the fix is one line or less in each, and the tape still computes
# the gradient (returning the number does not count). Question 4 asks you to
# explain each fix in words.

# %% solution q2
def fixed_a():
    ### BEGIN SOLUTION
    x = d2l.constant(3.0)
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return tape.gradient(y, x)
    ### END SOLUTION


def fixed_b():
    ### BEGIN SOLUTION
    w = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = w * w
        z = 3.0 * y
    return tape.gradient(z, w)
    ### END SOLUTION


def fixed_c():
    ### BEGIN SOLUTION
    w = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = w * w
    return tape.gradient(y, w)
    ### END SOLUTION


def fixed_d():
    ### BEGIN SOLUTION
    w = d2l.Variable(2.0)
    with d2l.GradientTape() as tape:
        y = d2l.square(w)
    return tape.gradient(y, w)
    ### END SOLUTION

# %% tests q2a_tests points=2
check = d2l.check('q2a', 'fixed_a')
grad = fixed_a()
check.true(grad is not None, 'fixed_a() returns a gradient, not None', hint='a tape only watches constants you pass to tape.watch')
check.equal(grad.dtype, d2l.float32, 'fixed_a() returns a float32 tensor')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(grad, 6.0, 'the value of fixed_a()', hint='a tape only watches constants you pass to tape.watch')
check.uses(fixed_a, ['GradientTape'], 'fixed_a still asks a GradientTape')
### END HIDDEN TESTS
check.done()

# %% tests q2b_tests points=2
check = d2l.check('q2b', 'fixed_b')
grad = fixed_b()
check.true(grad is not None, 'fixed_b() returns a gradient, not None', hint='the tape records only what runs inside its with block')
check.equal(grad.dtype, d2l.float32, 'fixed_b() returns a float32 tensor')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(grad, 12.0, 'the value of fixed_b()', hint='the tape records only what runs inside its with block')
check.uses(fixed_b, ['GradientTape'], 'fixed_b still asks a GradientTape')
### END HIDDEN TESTS
check.done()

# %% tests q2c_tests points=2
check = d2l.check('q2c', 'fixed_c')
grad = fixed_c()
check.true(grad is not None, 'fixed_c() returns a gradient, not None', hint='gradients exist only for floating-point values')
check.equal(grad.dtype, d2l.float32, 'fixed_c() returns a float32 tensor')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(grad, 4.0, 'the value of fixed_c()', hint='gradients exist only for floating-point values')
check.uses(fixed_c, ['GradientTape'], 'fixed_c still asks a GradientTape')
### END HIDDEN TESTS
check.done()

# %% tests q2d_tests points=2
check = d2l.check('q2d', 'fixed_d')
grad = fixed_d()
check.true(grad is not None, 'fixed_d() returns a gradient, not None', hint='NumPy computations are invisible to the tape')
check.equal(grad.dtype, d2l.float32, 'fixed_d() returns a float32 tensor')
### BEGIN HIDDEN TESTS
check.hidden()
check.close(grad, 4.0, 'the value of fixed_d()', hint='NumPy computations are invisible to the tape')
check.uses(fixed_d, ['GradientTape'], 'fixed_d still asks a GradientTape')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 3: second derivatives (4 points)
#
# Write `second_derivative(f, x)`: `f` is a function applied elementwise (like
# `f` in question 1) and `x` a `float32` constant tensor. Return $f''(x)$, a
# tensor of the shape of `x`, using two nested `d2l.GradientTape`s.
#
# Careful: when $f$ is linear, its first derivative does not depend on `x`, so
# the outer tape returns `None`. The second derivative is then 0: return
# zeros in that case, never `None`.

# %% solution q3
def second_derivative(f, x):
    ### BEGIN SOLUTION
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        dy_dx = inner.gradient(y, x)
    d2y_dx2 = outer.gradient(dy_dx, x)
    if d2y_dx2 is None:
        return d2l.zeros_like(x)
    return d2y_dx2
    ### END SOLUTION

# %% tests q3_tests points=4
check = d2l.check('q3', 'second_derivative')
check.close(second_derivative(lambda x: x * x * x, d2l.constant(2.)), 12., 'x**3 at x = 2',
            hint='(x^3)\'\' = 6x; compute the first derivative inside the outer tape')
### BEGIN HIDDEN TESTS
check.hidden()
xs = d2l.constant([-1., 0., 3.])
check.close(second_derivative(lambda x: x * x * x - 2. * x, xs), [-6., 0., 18.], 'x**3 - 2x at -1, 0 and 3')
check.close(second_derivative(lambda x: d2l.exp(2. * x), xs), 4. * np.exp(2. * xs.numpy()),
            'exp(2x) on a vector', rtol=1e-4)
check.close(second_derivative(lambda x: 3. * x + 1., xs), [0., 0., 0.], 'a linear function gives zeros',
            hint='when the outer gradient is None, return d2l.zeros_like(x)')
check.close(second_derivative(f, d2l.constant([[0., 1.]])), [[0., -2. * np.exp(-1.)]], 'the f of question 1',
            rtol=1e-4)
check.close(second_derivative(lambda x: d2l.sin(x), d2l.constant([0.5, 1.5])), -np.sin([0.5, 1.5]),
            'sin on a vector: the tape, not a table of known answers', rtol=1e-4)
check.uses(second_derivative, ['GradientTape'], 'second_derivative uses GradientTapes')
### END HIDDEN TESTS
check.done()

# %% [markdown]
# ## Question 4: explain the fixes (3 points, graded by hand)
#
# (a) Show your derivation of $f'(x)$ for $f(x) = x e^{-x^2}$: name the rules
# you used. At which $x$ is $f'(x) = 0$?
#
# (b) For each of `broken_a` to `broken_d`, say in one sentence why the tape
# answered `None`.
#
# **Rubric (3 points):** 1 for (a): the product rule and the chain rule named
# and applied, ending in $e^{-x^2}(1 - 2x^2)$ and its zeros $\pm 1/\sqrt{2}$;
# 2 for (b): half a point for each of the four causes (an unwatched
# constant, a step outside the `with` block, an integer dtype, a trip through
# NumPy).

# %% [markdown] written q4 points=3
# (a) Product rule with $u = x$, $v = e^{-x^2}$, and the chain rule for $v$:
# $v' = e^{-x^2} \cdot (-2x)$. So $f'(x) = e^{-x^2} + x \cdot (-2x) e^{-x^2}
# = e^{-x^2}(1 - 2x^2)$, which is zero at $x = \pm 1/\sqrt{2}$.
#
# (b) `broken_a`: `x` is a constant and a tape only watches trainable Variables
# on its own, so nothing was recorded; `tape.watch(x)` fixes it.
# `broken_b`: `z` was computed after the `with` block, so the tape never saw
# the step from `y` to `z`. `broken_c`: `w` is an int32 Variable; integers are
# not differentiable, so the tape ignores them; start from `2.0`.
# `broken_d`: `w.numpy()` leaves the engine; NumPy's square is invisible to
# the tape and `d2l.constant` starts a new, unconnected value.
