"""The benchmark workloads, each written three ways: d2l_core, PyTorch, NumPy by hand.

Every ``make_*`` function returns ``{contestant: zero-argument callable}``;
calling one does one unit of work (one op, one training step, one epoch).
All three versions start from the same float32 data and weights, and
``check_*`` functions confirm that they compute the same numbers, so the
timings compare equal work.
"""
import numpy as np

import d2l_core as d2l

F32 = np.float32


# ================================================================ per-op overhead

def make_overhead(torch, expr="a*b+c", n=8):
    """``a*b + c`` and a few other one-liners on tiny float32 vectors."""
    rng = np.random.default_rng(0)
    an, bn, cn = (rng.standard_normal(n).astype(F32) for _ in range(3))
    a, b, c = (d2l.constant(v) for v in (an, bn, cn))
    v = d2l.Variable(bn)
    if torch is not None:
        at, bt, ct = (torch.from_numpy(x.copy()) for x in (an, bn, cn))
    ops = {
        "a*b+c": (lambda: a * b + c, lambda: an * bn + cn, lambda: at * bt + ct),
        "a*2.0 (Python scalar)": (lambda: a * 2.0, lambda: an * F32(2.0), lambda: at * 2.0),
        "exp(a)": (lambda: d2l.exp(a), lambda: np.exp(an), lambda: torch.exp(at)),
        "reduce_sum(a)": (lambda: d2l.reduce_sum(a), lambda: an.sum(), lambda: at.sum()),
        "a*v (v a Variable)": (lambda: a * v, lambda: an * bn, lambda: at * bt),
    }
    d, npf, tf = ops[expr]
    cases = {"d2l_core": d, "NumPy": npf}
    if torch is not None:
        cases["PyTorch"] = tf
    return cases


OVERHEAD_EXPRS = ["a*b+c", "a*2.0 (Python scalar)", "exp(a)", "reduce_sum(a)", "a*v (v a Variable)"]
OPS_PER_EXPR = {"a*b+c": 2}


# ================================================================ 50-op elementwise chain

def _chain_data(n=64):
    rng = np.random.default_rng(1)
    return (rng.uniform(-1, 1, n).astype(F32), rng.uniform(0.5, 1.0, n).astype(F32),
            rng.uniform(-0.5, 0.5, n).astype(F32))


# The chain: ten times [y*w, y+s, tanh, sin, y*y], then a sum: 50 elementwise ops.
CHAIN_ROUNDS = 10


def _d2l_chain(x, w, s):
    """The chain's forward and backward pass with a tape (eager, or traced by d2l.function)."""
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in range(CHAIN_ROUNDS):
            y = d2l.sin(d2l.tanh(y * w + s))
            y = y * y
        loss = d2l.reduce_sum(y)
    return tape.gradient(loss, x)


def make_chain(torch):
    xn, wn, sn = _chain_data()

    x, w, s = d2l.constant(xn), d2l.constant(wn), d2l.constant(sn)

    def d2l_step():
        return _d2l_chain(x, w, s)

    def numpy_step():
        y, saved = xn, []
        for _ in range(CHAIN_ROUNDS):
            a = y * wn + sn
            t = np.tanh(a)
            u = np.sin(t)
            saved.append((t, u))
            y = u * u
        g = np.ones_like(xn)                      # d sum / d y
        for t, u in reversed(saved):
            g = g * (2 * u)                       # y = u²
            g = g * np.cos(t)                     # u = sin t
            g = g * (1 - t * t)                   # t = tanh a
            g = g * wn                            # a = y w + s
        return g

    cases = {"d2l_core": d2l_step, "NumPy": numpy_step}
    if torch is not None:
        xt, wt, st = (torch.from_numpy(v.copy()) for v in (xn, wn, sn))

        def torch_step():
            xg = xt.detach().requires_grad_(True)
            y = xg
            for _ in range(CHAIN_ROUNDS):
                y = torch.sin(torch.tanh(y * wt + st))
                y = y * y
            y.sum().backward()
            return xg.grad
        cases["PyTorch"] = torch_step
    return cases


# ================================================================ the MLP

SIZES = (784, 256, 128, 10)


def mlp_init(seed=0):
    """Glorot-uniform weights and zero biases, as NumPy float32 arrays."""
    rng = np.random.default_rng(seed)
    params = []
    for fan_in, fan_out in zip(SIZES, SIZES[1:]):
        limit = np.sqrt(6 / (fan_in + fan_out))
        params += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(F32), np.zeros(fan_out, F32)]
    return params


def mlp_data(n, seed=1):
    rng = np.random.default_rng(seed)
    return rng.random((n, SIZES[0]), dtype=F32), rng.integers(0, SIZES[-1], n).astype(np.int32)


class D2lMLP:
    """784-256-128-10 ReLU MLP written with d2l_core ops and a GradientTape."""

    def __init__(self, params, optimizer):
        self.params = [d2l.Variable(p) for p in params]
        self.opt = optimizer

    def loss(self, x, y):
        w1, b1, w2, b2, w3, b3 = self.params
        h = d2l.nn.relu(d2l.matmul(x, w1) + b1)
        h = d2l.nn.relu(d2l.matmul(h, w2) + b2)
        logits = d2l.matmul(h, w3) + b3
        return d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(y, logits))

    def step(self, x, y):
        with d2l.GradientTape() as tape:
            loss = self.loss(x, y)
        grads = tape.gradient(loss, self.params)
        self.opt.apply_gradients(zip(grads, self.params))
        return loss


class TorchMLP:
    """The same MLP in PyTorch eager: F.linear-free matmuls, F.cross_entropy, torch.optim."""

    def __init__(self, torch, params, optimizer, device="cpu"):
        self.torch = torch
        self.params = [torch.from_numpy(p.copy()).to(device).requires_grad_(True) for p in params]
        self.opt = optimizer(self.params)

    def loss(self, x, y):
        F = self.torch.nn.functional
        w1, b1, w2, b2, w3, b3 = self.params
        h = F.relu(x @ w1 + b1)
        h = F.relu(h @ w2 + b2)
        return F.cross_entropy(h @ w3 + b3, y)

    def step(self, x, y):
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss(x, y)
        loss.backward()
        self.opt.step()
        return loss


class NumpyMLP:
    """The same MLP with gradients written by hand (the course's "from scratch" chapter)."""

    def __init__(self, params, update, xp=np):
        self.xp = xp              # NumPy, or CuPy for the hand-written GPU version
        self.params = [xp.asarray(p).copy() for p in params]
        self.update = update      # update(params, grads) changes params in place

    def step(self, x, y):
        xp = self.xp
        w1, b1, w2, b2, w3, b3 = self.params
        z1 = x @ w1 + b1
        h1 = xp.maximum(z1, 0)
        z2 = h1 @ w2 + b2
        h2 = xp.maximum(z2, 0)
        logits = h2 @ w3 + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = xp.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        n = x.shape[0]
        rows = xp.arange(n)
        loss = xp.log(total[:, 0]).mean() - shifted[rows, y].mean()
        d = e / total                                     # softmax
        d[rows, y] -= 1
        d /= F32(n)                                       # d loss / d logits
        g3, gb3 = h2.T @ d, d.sum(axis=0)
        d = (d @ w3.T) * (z2 > 0)
        g2, gb2 = h1.T @ d, d.sum(axis=0)
        d = (d @ w2.T) * (z1 > 0)
        g1, gb1 = x.T @ d, d.sum(axis=0)
        self.update(self.params, [g1, gb1, g2, gb2, g3, gb3])
        return loss


def numpy_sgd(lr):
    def update(params, grads):
        for p, g in zip(params, grads):
            p -= F32(lr) * g
    return update


def numpy_adam(lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
    state = {"t": 0, "m": None, "v": None}

    def update(params, grads):
        if state["m"] is None:
            state["m"] = [np.zeros_like(p) for p in params]
            state["v"] = [np.zeros_like(p) for p in params]
        state["t"] += 1
        t = state["t"]
        alpha = F32(lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t))
        for p, g, m, v in zip(params, grads, state["m"], state["v"]):
            m += (g - m) * F32(1 - b1)
            v += (g * g - v) * F32(1 - b2)
            p -= alpha * m / (np.sqrt(v) + F32(eps))
    return update


def make_mlp_step(torch, batch=512, lr=0.1):
    params = mlp_init()
    xn, yn = mlp_data(batch)
    x, y = d2l.constant(xn), d2l.constant(yn)
    dm = D2lMLP(params, d2l.keras.optimizers.SGD(lr))
    nm = NumpyMLP(params, numpy_sgd(lr))
    cases = {"d2l_core": lambda: dm.step(x, y), "NumPy": lambda: nm.step(xn, yn)}
    if torch is not None:
        tm = TorchMLP(torch, params, lambda ps: torch.optim.SGD(ps, lr=lr))
        xt, yt = torch.from_numpy(xn), torch.from_numpy(yn.astype(np.int64))
        cases["PyTorch"] = lambda: tm.step(xt, yt)
    return cases


def check_mlp(torch, batch=64, steps=3):
    """The three MLPs give the same losses step after step (float32 tolerance)."""
    params = mlp_init()
    xn, yn = mlp_data(batch)
    dm = D2lMLP(params, d2l.keras.optimizers.SGD(0.1))
    nm = NumpyMLP(params, numpy_sgd(0.1))
    losses = {"d2l_core": [], "NumPy": []}
    for _ in range(steps):
        losses["d2l_core"].append(float(dm.step(d2l.constant(xn), d2l.constant(yn))))
        losses["NumPy"].append(float(nm.step(xn, yn)))
    if torch is not None:
        tm = TorchMLP(torch, params, lambda ps: torch.optim.SGD(ps, lr=0.1))
        losses["PyTorch"] = [tm.step(torch.from_numpy(xn), torch.from_numpy(yn.astype(np.int64))).item()
                             for _ in range(steps)]
    ref = losses["NumPy"]
    for name, ls in losses.items():
        if not np.allclose(ls, ref, rtol=1e-4, atol=1e-5):
            raise AssertionError(f"MLP losses differ: {name} {ls} vs NumPy {ref}")
    return losses


# ================================================================ second derivative of x³

def _d2l_second_derivative(x):
    """d²(x³)/dx² by nested tapes (eager, or traced by d2l.function)."""
    with d2l.GradientTape() as outer:
        outer.watch(x)
        with d2l.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    return outer.gradient(dy, x)


def make_second_derivative(torch, n=1000):
    xn = np.linspace(-2, 2, n, dtype=F32)
    x = d2l.constant(xn)

    def d2l_step():
        return _d2l_second_derivative(x)

    def numpy_step():       # by hand: y = x³, y' = 3x², y'' = 6x
        y = xn * xn * xn
        dy = F32(3) * xn * xn
        return y, dy, F32(6) * xn

    cases = {"d2l_core": d2l_step, "NumPy": numpy_step}
    if torch is not None:
        xt = torch.from_numpy(xn.copy())

        def torch_step():
            xg = xt.detach().requires_grad_(True)
            y = xg * xg * xg
            (dy,) = torch.autograd.grad(y.sum(), xg, create_graph=True)
            (d2,) = torch.autograd.grad(dy.sum(), xg)
            return d2
        cases["PyTorch"] = torch_step
    return cases


# ================================================================ linear regression

LINREG_STEPS = 1000


def _linreg_data(n=100):
    rng = np.random.default_rng(2)            # the chapter's data: y = 1.477x + 0.089 + noise
    x = rng.uniform(-10, 10, n).astype(F32)
    return x, (1.477 * x + 0.089 + rng.normal(0, 0.1, n)).astype(F32)


def make_linreg(torch, lr=0.01):
    xn, yn = _linreg_data()

    x, y = d2l.constant(xn), d2l.constant(yn)

    def d2l_fit():
        w, b = d2l.Variable(0.0), d2l.Variable(0.0)
        opt = d2l.keras.optimizers.SGD(lr)
        for _ in range(LINREG_STEPS):
            with d2l.GradientTape() as tape:
                loss = d2l.reduce_mean(d2l.square(w * x + b - y))
            opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        return w, b

    def numpy_fit():
        w = b = F32(0.0)
        for _ in range(LINREG_STEPS):
            err = w * xn + b - yn
            w = w - F32(lr) * F32(2) * (err * xn).mean()
            b = b - F32(lr) * F32(2) * err.mean()
        return w, b

    cases = {"d2l_core": d2l_fit, "NumPy": numpy_fit}
    if torch is not None:
        xt, yt = torch.from_numpy(xn.copy()), torch.from_numpy(yn.copy())

        def torch_fit():
            w = torch.zeros((), requires_grad=True)
            b = torch.zeros((), requires_grad=True)
            opt = torch.optim.SGD([w, b], lr=lr)
            for _ in range(LINREG_STEPS):
                opt.zero_grad(set_to_none=True)
                loss = ((w * xt + b - yt) ** 2).mean()
                loss.backward()
                opt.step()
            return w.detach(), b.detach()
        cases["PyTorch"] = torch_fit
    return cases


def check_linreg(torch):
    out = {name: [float(v) for v in fn()] for name, fn in make_linreg(torch).items()}
    for name, (w, b) in out.items():
        if not (abs(w - 1.477) < 0.01 and abs(b - 0.089) < 0.05):
            raise AssertionError(f"linear regression ({name}) did not converge: w={w}, b={b}")
    return out


# ================================================================ one MNIST-sized epoch

EPOCH_N, EPOCH_BATCH = 60_000, 128


def make_epoch(torch, n=EPOCH_N, batch=EPOCH_BATCH):
    """One pass over n x 784 random float32 data in batches of 128, Adam (lr 1e-3)."""
    params = mlp_init()
    xn, yn = mlp_data(n, seed=3)
    starts = range(0, n, batch)
    x, y = d2l.constant(xn), d2l.constant(yn)

    def d2l_epoch():
        model = D2lMLP(params, d2l.keras.optimizers.Adam(1e-3))
        for i in starts:
            loss = model.step(x[i:i + batch], y[i:i + batch])
        return float(loss)

    def numpy_epoch():
        model = NumpyMLP(params, numpy_adam(1e-3))
        for i in starts:
            loss = model.step(xn[i:i + batch], yn[i:i + batch])
        return float(loss)

    cases = {"d2l_core": d2l_epoch, "NumPy": numpy_epoch}
    keras = getattr(d2l, "keras", None)
    if keras is not None and hasattr(keras, "Sequential") and hasattr(keras, "layers"):
        def fit_epoch():
            model = keras_mlp(params)
            model.compile(optimizer=keras.optimizers.Adam(1e-3),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            hist = model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)
            return hist
        cases["d2l_core Model.fit"] = fit_epoch
    if torch is not None:
        xt, yt = torch.from_numpy(xn), torch.from_numpy(yn.astype(np.int64))

        def torch_epoch():
            model = TorchMLP(torch, params, lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7))
            for i in starts:
                loss = model.step(xt[i:i + batch], yt[i:i + batch])
            return loss.item()
        cases["PyTorch"] = torch_epoch
    return cases


def keras_mlp(params):
    """d2l.keras.Sequential with the benchmark's initial weights."""
    keras = d2l.keras
    model = keras.Sequential([keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    model.build((None, SIZES[0]))
    model.set_weights(params)
    return model


# ================================================================ the same work under d2l.function (issue 14)
#
# Each maker returns the eager d2l_core version ("d2l_core"), the same Python code
# decorated with d2l.function ("d2l.function"), NumPy by hand and PyTorch eager. The traced
# versions are called once before timing (the trace); timing measures the plan.

def make_function_chain(torch):
    cases = make_chain(torch)
    xn, wn, sn = _chain_data()
    x, w, s = d2l.constant(xn), d2l.constant(wn), d2l.constant(sn)
    step = d2l.function(_d2l_chain)
    np.testing.assert_allclose(step(x, w, s).numpy(), cases["NumPy"](), rtol=1e-4, atol=1e-6)
    cases["d2l.function"] = lambda: step(x, w, s)
    return cases


def make_function_mlp_step(torch, batch=512, lr=0.1):
    cases = make_mlp_step(torch, batch, lr)
    xn, yn = mlp_data(batch)
    x, y = d2l.constant(xn), d2l.constant(yn)
    dm = D2lMLP(mlp_init(), d2l.keras.optimizers.SGD(lr))
    step = d2l.function(dm.step)
    step(x, y)
    cases["d2l.function"] = lambda: step(x, y)
    return cases


def make_function_second_derivative(torch, n=1000):
    cases = make_second_derivative(torch, n)
    x = d2l.constant(np.linspace(-2, 2, n, dtype=F32))
    step = d2l.function(_d2l_second_derivative)
    np.testing.assert_allclose(step(x).numpy(), 6 * x.numpy(), rtol=1e-5, atol=1e-5)
    cases["d2l.function"] = lambda: step(x)
    return cases


def make_function_linreg(torch, lr=0.01):
    cases = make_linreg(torch, lr)
    xn, yn = _linreg_data()
    x, y = d2l.constant(xn), d2l.constant(yn)
    w, b = d2l.Variable(0.0), d2l.Variable(0.0)
    opt = d2l.keras.optimizers.SGD(lr)

    @d2l.function
    def train_step(x, y):
        with d2l.GradientTape() as tape:
            loss = d2l.reduce_mean(d2l.square(w * x + b - y))
        opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))

    def fit():
        w.assign(0.0)
        b.assign(0.0)
        for _ in range(LINREG_STEPS):
            train_step(x, y)
        return w, b

    wf, bf = (float(v) for v in fit())
    if not (abs(wf - 1.477) < 0.01 and abs(bf - 0.089) < 0.05):
        raise AssertionError(f"linear regression (d2l.function) did not converge: {wf}, {bf}")
    cases["d2l.function"] = fit
    return cases
