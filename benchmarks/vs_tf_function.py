"""d2l.function against TensorFlow's tf.function on the same three programs (issue 14).

Run once per engine, each in its own interpreter (TensorFlow lives in its own
environment, never a dependency of d2l_core), one thread, process CPU time:

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/vs_tf_function.py d2l
    OPENBLAS_NUM_THREADS=1 ~/.cache/d2l-course/tf-2.21/bin/python benchmarks/vs_tf_function.py tf

Each line is the median of five timings of 300 calls of the traced function.
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

if sys.argv[1:] == ["tf"]:
    import tensorflow as d2l
    d2l.config.threading.set_intra_op_parallelism_threads(1)
    d2l.config.threading.set_inter_op_parallelism_threads(1)
else:
    import d2l_core as d2l
rng = np.random.default_rng(1)
F32 = np.float32
xn, wn, sn = rng.uniform(-1, 1, 64).astype(F32), rng.uniform(0.5, 1, 64).astype(F32), rng.uniform(-.5, .5, 64).astype(F32)
x, w, s = d2l.constant(xn), d2l.constant(wn), d2l.constant(sn)
def chain(x, w, s):
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(10):
            y = d2l.sin(d2l.tanh(y * w + s))
            y = y * y
        loss = d2l.reduce_sum(y)
    return tape.gradient(loss, x)
X = d2l.constant(rng.normal(size=(100, 1)).astype(F32)); Y = 3 * X + 1
a, b = d2l.Variable(0.), d2l.Variable(0.)
opt = d2l.keras.optimizers.SGD(0.01)
def linreg():
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_mean(d2l.square(a * X + b - Y))
    g = tape.gradient(loss, [a, b])
    opt.apply_gradients(zip(g, [a, b]))
    return loss
def d3(x):
    with d2l.GradientTape() as t2:
        t2.watch(x)
        with d2l.GradientTape() as t1:
            t1.watch(x)
            y = x * x * x
        g = t1.gradient(y, x)
    return t2.gradient(g, x)
xs = d2l.constant(np.linspace(-2, 2, 1000, dtype=F32))
def bench(f, *args, n=300):
    f(*args)
    best = []
    for _ in range(5):
        t = time.process_time()
        for _ in range(n): f(*args)
        best.append((time.process_time() - t) / n)
    return sorted(best)[2]
for name, f, args in [("chain", d2l.function(chain), (x, w, s)), ("linreg step", d2l.function(linreg), ()), ("d2/dx2 x^3", d2l.function(d3), (xs,))]:
    print(f"{(sys.argv[1:] or ['d2l'])[0]:4s} {name:12s} {bench(f, *args) * 1e6:8.1f} us")
