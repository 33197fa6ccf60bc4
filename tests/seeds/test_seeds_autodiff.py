"""The seeds' autodiff and optimizer snippets run with ``import d2l_core as tf``.

Each test keeps the seed's code as written (the seeds are in shared/seeds/;
their file is named in each test) and checks what the seed says it prints.
Deviations are marked ``# seed:`` with the reason.
"""

import numpy as np
import pytest

import d2l_core as tf




# ================================================================ seed 000 (and 004): GradientTape

def test_seed000_simple_example_y_equals_2_xT_x():
    x = tf.reshape(tf.Variable(range(4), dtype=tf.float32), (4, 1))
    with tf.GradientTape() as t:
        t.watch(x)
        y = 2 * tf.matmul(tf.transpose(x), x)
    dy_dx = t.gradient(y, x)
    assert dy_dx.shape == (4, 1) and dy_dx.dtype == tf.float32
    assert dy_dx.numpy().tolist() == [[0.0], [4.0], [8.0], [12.0]]


def test_seed004_same_example_with_its_layout():
    x = tf.reshape(tf.Variable(range(4), dtype=tf.float32), (4, 1))

    with tf.GradientTape() as t:
        t.watch(x)
        y = 2*tf.matmul(tf.transpose(x), x)

    dy_dx = t.gradient(y, x)
    np.testing.assert_array_equal(dy_dx.numpy(), np.array([[0.], [4.], [8.], [12.]],
                                                          dtype=np.float32))


def test_seed004_trainable_variables_are_watched_and_constants_need_watch():
    # "GradientTape by default (watch_accessed_variables=True) watches every trainable
    #  Variable; a tf.constant needs tape.watch(); watch_accessed_variables=False plus
    #  watch() controls exactly what is watched."
    v, c = tf.Variable(2.0), tf.constant(3.0)
    with tf.GradientTape() as t:
        y = v * c
    assert float(t.gradient(y, v)) == 3.0
    with tf.GradientTape(watch_accessed_variables=False) as t:
        t.watch(c)
        y = v * c
    gv, gc = t.gradient(y, [v, c])
    assert gv is None and float(gc) == 2.0


def test_seed000_persistent_tape_on_the_4x1_x(tf_log):
    x = tf.reshape(tf.Variable(range(4), dtype=tf.float32), (4, 1))
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y                          # seed: `y * Y`, a typo for y * y
        dz_dx = g.gradient(z, x)           # 108.0 (4*x^3 at x = 3)
        dy_dx = g.gradient(y, x)           # 6.0
    assert dz_dx.numpy().ravel().tolist() == [0.0, 4.0, 32.0, 108.0]
    assert dy_dx.numpy().ravel().tolist() == [0.0, 2.0, 4.0, 6.0]
    # The seed shows TensorFlow's warning for gradient() inside a persistent tape's context.
    assert sum(m.startswith("Calling GradientTape.gradient on a persistent tape inside its "
                            "context is significantly less efficient than calling it outside "
                            "the context") for m in tf_log) >= 1


def test_seed000_persistent_tape_at_3_gives_108_and_6():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    dz_dx = g.gradient(z, x)  # 108.0 (4*x^3 at x = 3)
    dy_dx = g.gradient(y, x)  # 6.0
    del g  # Drop the reference to the tape
    assert (dz_dx.numpy(), dy_dx.numpy()) == (108.0, 6.0)


def test_seed000_python_control_flow():
    # Section 3.3 is a picture; this is the d2l (TensorFlow 2) example it shows.
    def f(a):
        b = a * 2
        while tf.norm(b) < 1000:
            b = b * 2
        if tf.reduce_sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return c

    tf.random.set_seed(1)
    for _ in range(3):
        a = tf.random.normal((1, 1), dtype=tf.float32)
        with tf.GradientTape() as t:
            t.watch(a)
            c = f(a)
        # f is linear in a along the path taken, so the gradient is c / a
        np.testing.assert_allclose(t.gradient(c, a).numpy(), (c / a).numpy(), rtol=1e-6)


def test_seed000_higher_order_derivatives():
    x = tf.Variable(1.0)  # Create a Tensorflow variable initialized to 1.0

    with tf.GradientTape() as t:
        with tf.GradientTape() as t2:
            y = x * x * x
        # Compute the gradient inside the 't' context manager
        # which means the gradient computation is differentiable as well.
        dy_dx = t2.gradient(y, x)
    d2y_dx2 = t.gradient(dy_dx, x)

    assert dy_dx.numpy() == 3.0
    assert d2y_dx2.numpy() == 6.0


# ================================================================ seed 001: tape and optimizer

def test_seed001_derivative_of_x_squared(capsys):
    x = tf.Variable(initial_value=3.)
    with tf.GradientTape() as tape:     # every step inside is recorded for differentiation
        y = tf.square(x)
    y_grad = tape.gradient(y, x)        # dy/dx
    print([y, y_grad])
    assert (y.numpy(), y_grad.numpy()) == (9.0, 6.0)
    assert "numpy=9.0" in capsys.readouterr().out


def test_seed001_linear_regression_with_sgd_and_apply_gradients():
    # The seed uses X, y without defining them; its source (the TensorFlow 2 tutorial it
    # follows) uses yearly house prices, normalised to [0, 1]:
    X_raw = np.array([2013, 2014, 2015, 2016, 2017], dtype=np.float32)
    y_raw = np.array([12000, 14000, 15000, 16500, 17500], dtype=np.float32)
    X = (X_raw - X_raw.min()) / (X_raw.max() - X_raw.min())
    y = (y_raw - y_raw.min()) / (y_raw.max() - y_raw.min())

    X = tf.constant(X)
    y = tf.constant(y)

    a = tf.Variable(initial_value=0.)
    b = tf.Variable(initial_value=0.)
    variables = [a, b]

    num_epoch = 10000
    optimizer = tf.keras.optimizers.SGD(learning_rate=1e-3)
    for e in range(num_epoch):
        # record the loss computation on a tape
        with tf.GradientTape() as tape:
            y_pred = a * X + b
            loss = 0.5 * tf.reduce_sum(tf.square(y_pred - y))
        # the tape gives the loss's gradients with respect to the variables
        grads = tape.gradient(loss, variables)
        # the optimizer updates the variables from the gradients
        optimizer.apply_gradients(grads_and_vars=zip(grads, variables))

    print(a, b)
    # TensorFlow prints a = 0.97637, b = 0.057565 for this loop; least squares gives
    # a = 0.981818, b = 0.054545, which the loop is approaching.
    assert float(a) == pytest.approx(0.97637, abs=2e-5)
    assert float(b) == pytest.approx(0.057565, abs=2e-5)
    assert abs(float(a) - 0.981818) < 0.01 and abs(float(b) - 0.054545) < 0.01
    assert int(optimizer.iterations) == num_epoch


# ================================================================ seed 002: gradients and regression

def test_seed002_gradient_of_a_quadratic_is_10(capsys):
    # create four tensors
    a = tf.constant(1.)
    b = tf.constant(2.)
    c = tf.constant(3.)
    w = tf.constant(4.)
    with tf.GradientTape() as tape:  # build the gradient context
        tape.watch([w])  # add w to the watched list
        # the computation
        y = a * w**2 + b * w + c
    # differentiate
    [dy_dw] = tape.gradient(y, [w])
    print(dy_dw)  # print the derivative
    assert capsys.readouterr().out.strip() == "tf.Tensor(10.0, shape=(), dtype=float32)"


def seed002_data(seed=0):
    np.random.seed(seed)   # seed: added, so the test is repeatable
    data = []  # the samples
    for i in range(100):  # sample 100 points
        x = np.random.uniform(-10., 10.)  # random input x
        # Gaussian noise
        eps = np.random.normal(0., 0.1)
        # the model's output
        y = 1.477 * x + 0.089 + eps
        data.append([x, y])  # keep the sample
    data = np.array(data)  # as a 2-D NumPy array
    return data


def mse(b, w, points):
    # mean squared error of the current w, b
    totalError = 0
    for i in range(0, len(points)):  # every point
        x = points[i, 0]  # input x of point i
        y = points[i, 1]  # output y of point i
        # add up the squared differences
        totalError += (y - (w * x + b)) ** 2
    # the mean of the summed errors
    return totalError / float(len(points))


def step_gradient(b_current, w_current, points, lr):
    # the error's derivatives over all points, then one update of w, b
    b_gradient = 0
    w_gradient = 0
    M = float(len(points))  # number of samples
    for i in range(0, len(points)):
        x = points[i, 0]
        y = points[i, 1]
        # derivative with respect to b: grad_b = 2(wx+b-y)
        b_gradient += (2/M) * ((w_current * x + b_current) - y)
        # derivative with respect to w: grad_w = 2(wx+b-y)*x
        w_gradient += (2/M) * x * ((w_current * x + b_current) - y)
    # gradient descent, lr the learning rate
    new_b = b_current - (lr * b_gradient)
    new_w = w_current - (lr * w_gradient)
    return [new_b, new_w]


def gradient_descent(points, starting_b, starting_w, lr, num_iterations):
    # update w, b many times
    b = starting_b  # initial b
    w = starting_w  # initial w
    for step in range(num_iterations):
        # one gradient step
        b, w = step_gradient(b, w, np.array(points), lr)
        loss = mse(b, w, points)  # the current mean squared error, to watch training
        if step % 50 == 0:  # print the error and w, b
            print(f"iteration:{step}, loss:{loss}, w:{w}, b:{b}")
    return [b, w]  # the final w, b


@pytest.fixture(scope="module")
def numpy_fit():
    """The seed's main(): 1000 iterations at lr 0.01 from w = b = 0."""
    data = seed002_data()
    lr = 0.01  # learning rate
    initial_b = 0  # b starts at 0
    initial_w = 0  # w starts at 0
    num_iterations = 1000
    # seed: `[b, w], losses = gradient_descent(...)`, but gradient_descent returns only [b, w]
    [b, w] = gradient_descent(data, initial_b, initial_w, lr, num_iterations)
    loss = mse(b, w, data)  # mean squared error at the final w, b
    print(f'Final loss:{loss}, w:{w}, b:{b}')
    return data, b, w, loss


def test_seed002_linear_regression_from_scratch_with_numpy(numpy_fit):
    data, b, w, loss = numpy_fit
    assert w == pytest.approx(1.477, abs=0.01)
    assert b == pytest.approx(0.089, abs=0.04)
    assert loss < 0.02                    # the noise's variance is 0.01
    lstsq_w, lstsq_b = np.polyfit(data[:, 0], data[:, 1], 1)
    assert (w, b) == pytest.approx((lstsq_w, lstsq_b), abs=1e-4)


def test_seed002_same_regression_with_the_tape_and_an_optimizer(numpy_fit):
    data, b_numpy, w_numpy, _ = numpy_fit
    x = tf.constant(data[:, 0], dtype=tf.float32)
    y = tf.constant(data[:, 1], dtype=tf.float32)
    w, b = tf.Variable(0.), tf.Variable(0.)
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
    for step in range(1000):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(w * x + b - y))
        grads = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(grads, [w, b]))
    assert float(w) == pytest.approx(1.477, abs=0.01)
    assert float(b) == pytest.approx(0.089, abs=0.04)
    # the same path as the NumPy loop, up to float32 rounding
    assert (float(w), float(b)) == pytest.approx((w_numpy, b_numpy), abs=1e-4)
