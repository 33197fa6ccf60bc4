"""d2l_core on a GPU gives the CPU's answers (issue 4).

Every test here takes the ``device`` fixture and runs once per device:

* ``cpu``: always;
* ``fake-gpu``: always; ``tests/support/fake_cupy.py``, a CuPy stand-in on the CPU
  that is as strict as CuPy about mixing host and device arrays, so a CPU-only
  machine still catches an op that would break on a GPU;
* ``gpu``: a real CUDA GPU through CuPy, when ``backend.gpu_count() > 0``;
  skipped otherwise.

A parity test builds its inputs on the device, runs ops there (inside
``d2l.device``: with a visible GPU, ops with no scope run on GPU:0 whatever
their inputs, as in TensorFlow), and compares with the same computation on the CPU.
The last tests check the CPU-only behaviour: no CuPy means every GPU request
falls back to the CPU with one warning per process.
"""
import importlib.util
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import d2l_core as d2l
import fake_cupy
from d2l_core import backend

NO_GPU = "no CUDA GPU visible (CuPy missing or no device)"


@pytest.fixture(params=["cpu", "fake-gpu", "gpu"])
def device(request, monkeypatch):
    """The device name ('/cpu:0' or '/gpu:0') a test runs on."""
    if request.param == "gpu" and backend.gpu_count() == 0:
        pytest.skip(NO_GPU)
    if request.param == "fake-gpu":
        if backend.gpu_count() > 0:
            pytest.skip("a GPU is here (real, or D2L_STAND_IN_GPU=1): the gpu runs cover it")
        fake_cupy.install(monkeypatch)
        with fake_cupy.as_default():      # visible as a real GPU is: the default device
            yield "/gpu:0"
        return
    yield "/cpu:0" if request.param == "cpu" else "/gpu:0"


def on(dev, *arrays):
    """Tensors holding ``arrays``, made on ``dev``."""
    with d2l.device(dev):
        return [d2l.constant(a) for a in arrays]


def assert_on(t, dev):
    kind = "GPU" if "gpu" in dev else "CPU"
    assert t.device == f"/job:localhost/replica:0/task:0/device:{kind}:0", t.device


def assert_same(got, want, dev, rtol=1e-5, atol=1e-6):
    """``got`` (from ``dev``) matches ``want`` (from the CPU): values, dtype, shape, device."""
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_same(g, w, dev, rtol, atol)
        return
    if want is None:
        assert got is None
        return
    assert got.dtype == want.dtype and got.shape == want.shape
    assert_on(got, dev)
    g, w = got.numpy(), want.numpy()
    if np.issubdtype(np.asarray(w).dtype, np.floating):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    else:
        np.testing.assert_array_equal(g, w)


def parity(dev, fn, *arrays, **tolerances):
    """Run ``fn`` on ``dev`` and on the CPU, on tensors made there; the results must agree."""
    with d2l.device("/cpu:0"):
        want = fn(*on("/cpu:0", *arrays))
    with d2l.device(dev):
        got = fn(*on(dev, *arrays))
    assert_same(got, want, dev, **tolerances)
    return got


RNG = np.random.default_rng(0)
A = RNG.standard_normal((3, 4)).astype(np.float32)
B = RNG.standard_normal((3, 4)).astype(np.float32)
ROW = RNG.standard_normal((4,)).astype(np.float32)
POS = RNG.uniform(0.5, 2.0, (3, 4)).astype(np.float32)
M = RNG.standard_normal((4, 5)).astype(np.float32)
I = np.array([[3, -7, 0, 5], [2, 9, -4, 1], [8, -1, 6, 3]], dtype=np.int32)
J = np.array([[2, 3, 5, -2], [7, 4, 3, 2], [5, 2, -3, 7]], dtype=np.int32)
MASK = np.array([True, False, True])
LABELS = np.array([1, 0, 3], dtype=np.int32)

# ------------------------------------------------------------------ forward ops

# Every registered op is compared with the CPU by tests/properties/test_op_registry.py
# (values and gradients, from its registry entry). What is left here is what no single
# op's entry covers: Python operators and numbers, integer division's float64 result,
# methods and indexing sugar.
OPERATORS = {
    "add broadcast": (lambda x, r: x + r, A, ROW),
    "python scalar": (lambda x: 2.0 * x - 1, A),
    "int divide": (lambda i, j: i / j, I, J),
    "floordiv and mod": (lambda i, j: [i // j, i % j], I, J),
    "float floordiv": (lambda x, y: x // y, A, POS),
    "pow": (lambda p, y: p ** y, POS, B),
    "negative and abs": (lambda x: [-x, abs(x)], A),
    "comparisons": (lambda x, y: [x < y, x <= y, x > y, x >= y, x == y, x != y], A, B),
    "logical": (lambda x, y: [(x > 0) & (y > 0), (x > 0) | (y > 0), (x > 0) ^ (y > 0),
                              ~(x > 0)], A, B),
    "bitwise": (lambda i, j: [i & j, i | j, i ^ j, ~i], I, J),
    "cast to bool": (lambda x: d2l.cast(x, d2l.bool), A),
    "slicing sugar": (lambda x: [x[1], x[::-1, ::2], x[..., -1], x[None, 0], x.reshape(-1)], A),
    "mask indexing": (lambda x, m: x[m], A, MASK),
    "matmul operator": (lambda x, m: x @ m, A, M),
}


@pytest.mark.parametrize("case", list(OPERATORS), ids=list(OPERATORS))
def test_operators_and_sugar_match_the_cpu(device, case):
    fn, *arrays = OPERATORS[case]
    parity(device, fn, *arrays)


def test_shape_size_and_rank_describe_device_tensors(device):
    (x,) = on(device, A)     # small host-side integers, wherever x lives (as TF keeps them)
    assert [d2l.shape(x).numpy().tolist(), int(d2l.size(x)), int(d2l.rank(x))] == [[3, 4], 12, 2]


def test_new_tensors_are_made_on_the_requested_device(device):
    with d2l.device(device):
        made = [d2l.zeros((2, 3)), d2l.ones([2], d2l.int32), d2l.eye(3), d2l.range(5),
                d2l.linspace(0.0, 1.0, 4), d2l.constant([1.0, 2.0]), d2l.fill([2], 7),
                d2l.random.uniform([3]), d2l.random.normal([2, 2]), d2l.Variable([1.0, 2.0])]
    for t in made:
        assert_on(t, device)
    assert made[2].numpy().tolist() == np.eye(3).tolist()


def test_seeded_random_numbers_are_the_same_on_every_device(device):
    def draw():
        d2l.random.set_seed(7)
        return [d2l.random.normal([3, 2], seed=1), d2l.random.uniform([4]),
                d2l.random.truncated_normal([5]), d2l.random.shuffle(d2l.range(6)),
                d2l.random.uniform([3], maxval=10, dtype=d2l.int32)]
    want = draw()
    with d2l.device(device):
        got = draw()
    assert_same(got, want, device, rtol=0, atol=0)


def test_mixed_devices_copy_to_where_the_op_runs(device):
    (x,) = on(device, A)
    host = d2l.constant(B)
    # No scope: the default device (GPU:0 with a visible GPU, as in TensorFlow).
    assert (x + host).device == backend.default_device().name
    with d2l.device("/cpu:0"):
        assert_on(x * host, "/cpu:0")           # a scope: where it says
    with d2l.device(device):
        y = host - x
        assert_on(y, device)
    np.testing.assert_allclose(y.numpy(), B - A, rtol=1e-6)


def test_tensor_protocols_work_on_device_tensors(device):
    (x,) = on(device, np.array([[1.5, -2.0], [3.0, 4.0]], dtype=np.float32))
    assert x.numpy().tolist() == [[1.5, -2.0], [3.0, 4.0]]
    assert np.asarray(x).tolist() == [[1.5, -2.0], [3.0, 4.0]]   # __array__ copies to the host
    assert float(x[0, 0]) == 1.5 and int(x[1, 1]) == 4 and bool(x[1, 0] > 0)
    assert "numpy=" in repr(x) and "1.5" in str(x)
    assert [t.numpy().tolist() for t in x] == [[1.5, -2.0], [3.0, 4.0]]
    assert len(x) == 2 and x.shape == (2, 2)
    copy = x.numpy()
    copy[0, 0] = 100.0                          # numpy() hands out a copy ...
    assert float(x[0, 0]) == 1.5
    host = np.ones(3, np.float32)
    with d2l.device(device):
        t = d2l.constant(host)
    host[0] = 7.0                               # ... and constant() never aliases its input
    assert t.numpy().tolist() == [1.0, 1.0, 1.0]
    with d2l.device(device):
        assert_on(d2l.identity(x), device)
    assert d2l.constant(x) is x                # a tensor is already a constant: TF returns it


# ------------------------------------------------------------------ gradients

def _grads(f, n_inputs):
    def run(*xs):
        with d2l.GradientTape() as tape:
            tape.watch(list(xs[:n_inputs]))
            y = f(*xs)
        return tape.gradient(y, list(xs[:n_inputs]))
    return run


GRADIENTS = {
    "arithmetic": (lambda x, y: d2l.reduce_sum(x * y + x / (d2l.abs(y) + 1) - y ** 2), 2, A, B),
    "broadcast": (lambda x, r: d2l.reduce_mean(d2l.square(x - r)), 2, A, ROW),
    "functions": (lambda x: d2l.reduce_sum(d2l.exp(-x * x) + d2l.tanh(x) * d2l.sigmoid(x)
                                           + d2l.math.log(d2l.abs(x) + 1) + d2l.sqrt(x * x + 1)),
                  1, A),
    "max and where": (lambda x, y: d2l.reduce_sum(d2l.maximum(x, y) + d2l.where(x > 0, x, 2 * y)
                                                  + d2l.reduce_max(x, axis=1)[:, None]), 2, A, B),
    "shapes": (lambda x: d2l.reduce_sum(d2l.concat([d2l.transpose(x), d2l.reshape(x, (4, 3))], 1)
                                        * d2l.tile(d2l.reshape(d2l.range(6.0), (1, 6)), [4, 1])), 1, A),
    "indexing": (lambda x: d2l.reduce_sum(x[1:, ::2] * 3) + d2l.reduce_sum(d2l.gather(x, [0, 0, 2]))
                 + d2l.reduce_sum(d2l.boolean_mask(x, MASK)), 1, A),
    "cumulative": (lambda p: d2l.reduce_sum(d2l.math.cumsum(p, 1) * d2l.math.cumprod(p, 0)), 1, POS),
    "matmul": (lambda x, m: d2l.reduce_sum(d2l.matmul(x, m) ** 2), 2, A, M),
    "mlp loss": (lambda x, m, l: d2l.reduce_mean(d2l.nn.sparse_softmax_cross_entropy_with_logits(
        l, d2l.nn.relu(d2l.matmul(x, m))[:, :4])), 2, A, M, LABELS),
    "softmax losses": (lambda x, y: d2l.reduce_sum(d2l.nn.softmax_cross_entropy_with_logits(
        d2l.nn.softmax(y), x) + d2l.reduce_sum(d2l.nn.sigmoid_cross_entropy_with_logits(
            d2l.sigmoid(y), x), axis=1)), 2, A, B),
    "logsumexp and norm": (lambda x: d2l.math.reduce_logsumexp(x) + d2l.norm(x), 1, A),
    "unstack and split": (lambda x: d2l.reduce_sum(list(x)[1] * 2) + d2l.reduce_sum(
        d2l.split(x, [1, 3], axis=1)[1] ** 2), 1, A),        # unused pieces get zeros
}


@pytest.mark.parametrize("case", list(GRADIENTS), ids=list(GRADIENTS))
def test_composite_gradients_match_the_cpu(device, case):
    f, n, *arrays = GRADIENTS[case]
    parity(device, _grads(f, n), *arrays, rtol=1e-4, atol=1e-5)


def test_second_derivatives_match_the_cpu(device):
    def second(x):
        with d2l.GradientTape() as outer:
            outer.watch(x)
            with d2l.GradientTape() as inner:
                inner.watch(x)
                y = d2l.reduce_sum(x * x * x + d2l.sin(x))
            g = inner.gradient(y, x)
        return [g, outer.gradient(g, x)]
    parity(device, second, A)


def test_jacobian_matches_the_cpu(device):
    def jac(x):
        with d2l.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        return tape.jacobian(y, x)
    parity(device, jac, ROW)


@pytest.mark.parametrize("make", [
    lambda: d2l.keras.optimizers.SGD(0.1),
    lambda: d2l.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: d2l.keras.optimizers.Adam(0.01, amsgrad=True),
    lambda: d2l.keras.optimizers.Adam(0.01, clipnorm=1.0),
    lambda: d2l.keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    lambda: d2l.keras.optimizers.Adagrad(0.1, clipvalue=0.5),
    lambda: d2l.keras.optimizers.Adam(0.01, weight_decay=0.1, global_clipnorm=0.5),
], ids=["sgd", "nesterov", "adam-amsgrad", "adam-clipnorm", "rmsprop", "adagrad",
        "adamw-global-clipnorm"])
def test_optimizer_steps_match_the_cpu(device, make):
    def train(dev):
        with d2l.device(dev):
            w = d2l.Variable(M)
            b = d2l.Variable(np.zeros(5, np.float32))
            x, = on(dev, A)
        opt = make()
        for _ in range(3):
            with d2l.GradientTape() as tape:
                loss = d2l.reduce_mean(d2l.square(d2l.matmul(x, w) + b - 1.0))
            opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
        return [w.value(), b.value()]
    got, want = train(device), train("/cpu:0")
    assert_same(got, want, device, rtol=1e-4, atol=1e-6)


def test_variables_assign_in_place_on_the_device(device):
    with d2l.device(device):
        v = d2l.Variable(A)
    before = id(v)
    v.assign(B)
    v.assign_add(d2l.constant(A))             # a host tensor: copied to v's device
    v[0, 1:3].assign([9.0, 8.0])
    v[2].assign_sub(d2l.ones((4,)))
    want = B + A
    want[0, 1:3] = [9.0, 8.0]
    want[2] -= 1
    assert id(v) == before
    assert_on(v, device)
    np.testing.assert_allclose(v.numpy(), want, rtol=1e-6)


def test_a_dense_model_trains_on_the_device(device):
    keras = d2l.keras
    with d2l.device(device):
        d2l.random.set_seed(0)
        model = keras.Sequential([keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(3)])
        x = d2l.constant(RNG.standard_normal((32, 4)).astype(np.float32))
        y = d2l.constant(RNG.integers(0, 3, 32).astype(np.int32))
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    assert len(history.history["loss"]) == 2
    for w in model.trainable_variables:
        assert_on(w, device)


# ------------------------------------------------------------------ without CuPy

@pytest.fixture
def no_cupy(monkeypatch):
    """A process where ``import cupy`` fails, with the backend's probe cache reset."""
    monkeypatch.setitem(sys.modules, "cupy", None)      # `import cupy` raises ImportError
    monkeypatch.setattr(backend, "_cupy", None)
    monkeypatch.setattr(backend, "_gpu_count", None)
    monkeypatch.setattr(backend.placement, "warned_fallback", False, raising=False)


def test_without_cupy_gpu_requests_fall_back_to_the_cpu_with_one_warning(no_cupy):
    assert backend.gpu_count() == 0 and not backend.cupy_installed()
    assert d2l.config.list_physical_devices("GPU") == []
    assert [d.device_type for d in d2l.config.list_physical_devices()] == ["CPU"]
    with pytest.warns(RuntimeWarning, match="CuPy is not installed; running on the CPU") as record:
        with d2l.device("/gpu:0"):
            x = d2l.ones((2, 2))
            y = d2l.matmul(x, x) + 1.0
    assert len(record) == 1
    assert x.device.endswith("CPU:0") and y.device.endswith("CPU:0")
    assert y.numpy().tolist() == [[3.0, 3.0], [3.0, 3.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # a second request: no second warning
        with d2l.device("/GPU:0"):
            z = d2l.Variable([1.0]) * 2.0
    assert z.device.endswith("CPU:0")


def test_without_cupy_strict_placement_refuses_the_gpu(no_cupy, monkeypatch):
    monkeypatch.setattr(backend.placement, "allow_soft_placement", False, raising=False)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="no GPU is visible"):
        with d2l.device("/gpu:0"):
            pass


def test_the_fallback_warning_points_at_the_callers_line(no_cupy):
    with pytest.warns(RuntimeWarning) as record:
        with d2l.device("/gpu:0"):
            pass
    assert record[0].filename == __file__


def test_cupy_is_imported_at_the_first_op_not_at_import():
    """As TensorFlow starts CUDA at its first op: importing d2l_core and asking about the
    CPU import nothing; the first op probes for a GPU (importing CuPy when it is installed),
    because the default device depends on the answer. ``CUDA_VISIBLE_DEVICES=""`` hides
    every GPU from CUDA: then there is nothing to import. (``set_visible_devices`` lists
    the physical devices first, which probes, as TensorFlow's does.)"""
    code = ("import sys, d2l_core as d2l; d2l.config.list_physical_devices('CPU'); "
            "print('cupy' in sys.modules); d2l.ones((2,)) + 1; print('cupy' in sys.modules)")
    hide = ("import d2l_core as d2l; d2l.config.set_visible_devices([], 'GPU'); "
            "print(d2l.ones((2,)).device[-5:])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    installed = importlib.util.find_spec("cupy") is not None    # (the stand-in does not count)
    assert out.stdout.split() == ["False", str(installed)]
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]
    out = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["CPU:0"]


def test_the_stand_in_refuses_what_cupy_lacks():
    """The stand-in serves only names CuPy has (tests/support/cupy_api.json, from CuPy
    itself), so a GPU path that calls a NumPy-only function fails here, not on a GPU."""
    a = fake_cupy.asarray(np.arange(3.0))
    with pytest.raises(TypeError, match="no implementation found for 'numpy.insert'"):
        np.insert(a, 0, 1.0)
    with pytest.raises(AttributeError, match="geomspace"):
        fake_cupy.module.geomspace
    with pytest.raises(NotImplementedError, match="multiply.at"):
        np.multiply.at(a, [0], 2.0)
    with pytest.raises(AttributeError, match="ctypes"):
        a.ctypes
    np.add.at(a, [0, 0], 1.0)                                    # CuPy has this one
    assert a.get().tolist() == [2.0, 1.0, 2.0]
