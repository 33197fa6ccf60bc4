"""Optimizers on a GPU: one fused kernel per variable, no host sync, the CPU's numbers (issue 17).

Each configuration runs a few steps twice: on the CPU (NumPy, the tuned path)
and on the default GPU (the CuPy stand-in, or a real GPU where there is one).
The values must agree, and on the stand-in, which counts what a GPU pays
for, every step must cost exactly:

* one launch per variable (its rule's fused kernel: clipvalue and weight
  decay are folded in),
* one launch for the step counter (``iterations + 1`` on its device),
* with ``clipnorm``: one reduction per variable (``vdot``), one ``stack`` and
  one kernel turning the squared norms into scales ``min(1, clip / norm)``;
  ``global_clipnorm`` adds one ``sum`` of the squared norms,

and no host sync at all: no ``float()`` of a norm, no ``int()`` of the step.
"""
import types
import warnings

import numpy as np
import pytest

import d2l_core as d2l
import fake_cupy
from d2l_core import backend, fused
from d2l_core.keras import optimizers

SHAPES = [(5, 4), (4,), ()]          # a matrix, a bias and a scalar, as a model has
STEPS = 4

RULES = {
    "sgd": (optimizers.SGD, {"learning_rate": 0.1}),
    "sgd-momentum": (optimizers.SGD, {"learning_rate": 0.1, "momentum": 0.9}),
    "sgd-nesterov": (optimizers.SGD, {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    "adam": (optimizers.Adam, {"learning_rate": 0.01}),
    "adam-amsgrad": (optimizers.Adam, {"learning_rate": 0.01, "amsgrad": True}),
    "rmsprop": (optimizers.RMSprop, {"learning_rate": 0.01}),
    "rmsprop-centered": (optimizers.RMSprop, {"learning_rate": 0.01, "centered": True}),
    "rmsprop-momentum": (optimizers.RMSprop, {"learning_rate": 0.01, "momentum": 0.9}),
    "rmsprop-centered-momentum": (optimizers.RMSprop,
                                  {"learning_rate": 0.01, "centered": True, "momentum": 0.5}),
    "adagrad": (optimizers.Adagrad, {"learning_rate": 0.1}),
}
CLIPS = {"no-clip": {}, "clipvalue": {"clipvalue": 0.5}, "clipnorm": {"clipnorm": 1.0},
         "global_clipnorm": {"global_clipnorm": 2.0}}
DECAYS = {"no-decay": {}, "weight_decay": {"weight_decay": 0.05}}
TOLERANCE = {"float32": dict(rtol=1e-6, atol=1e-7), "float64": dict(rtol=1e-12, atol=1e-14)}


def data(dtype):
    """Start values and STEPS gradients per variable; the bias's are small (clipnorm leaves it)."""
    rng = np.random.default_rng(17)
    start = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    grads = [[(rng.standard_normal(s) * (0.1 if k == 1 else 2.0)).astype(dtype)
              for k, s in enumerate(SHAPES)] for _ in range(STEPS)]
    return start, grads


def train(make, start, grads, counts=None):
    """Run the steps on the default device; ``counts`` collects each step's Counts."""
    opt = make()
    variables = [d2l.Variable(a) for a in start]
    for step_grads in grads:
        gs = [d2l.constant(g) for g in step_grads]
        with fake_cupy.counting() as c:
            opt.apply_gradients(zip(gs, variables, strict=True))
        if counts is not None:
            counts.append(c)
    return opt, variables


def on_stand_in():
    return backend._cupy is fake_cupy.module


def expected_launches(options, n):
    launches = n + 1                                      # the kernels, the step counter
    if "clipnorm" in options or "global_clipnorm" in options:
        launches += n + 2                                 # vdot each, stack, clip_scale
    if "global_clipnorm" in options:
        launches += 1                                     # the sum of the squares
    return launches


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("decay", DECAYS)
@pytest.mark.parametrize("clip", CLIPS)
@pytest.mark.parametrize("rule", RULES)
def test_fused_step_matches_the_cpu_with_one_launch_per_variable(rule, clip, decay, dtype,
                                                                  gpu_default):
    cls, kwargs = RULES[rule]
    options = {**kwargs, **CLIPS[clip], **DECAYS[decay]}
    start, grads = data(dtype)
    with d2l.device("/CPU:0"):
        cpu_opt, cpu_vars = train(lambda: cls(**options), start, grads)
    counts = []
    gpu_opt, gpu_vars = train(lambda: cls(**options), start, grads, counts)

    for got, want in zip(gpu_vars, cpu_vars, strict=True):
        assert "GPU:0" in got.device
        np.testing.assert_allclose(got.numpy(), want.numpy(), **TOLERANCE[dtype])
    for got, want in zip(gpu_opt.variables(), cpu_opt.variables(), strict=True):
        np.testing.assert_allclose(got.numpy(), want.numpy(), **TOLERANCE[dtype])
    assert int(gpu_opt.iterations) == STEPS and "GPU:0" in gpu_opt.iterations.device

    if on_stand_in():
        for c in counts[1:]:                              # the first also makes the slots
            assert c.syncs == c.uploads == 0, (c.sync_log, c.upload_log)
            assert c.launches == expected_launches(options, len(SHAPES)), c.launch_log
        assert counts[0].syncs == 0, counts[0].sync_log


@pytest.mark.parametrize("name, make, launches", [
    ("SGD", lambda: optimizers.SGD(0.1), 7),
    ("Adam", lambda: optimizers.Adam(1e-3), 7),
])
def test_mlp_step_costs_one_launch_per_variable_and_no_sync(name, make, launches, gpu_default):
    """The 784-256-128-10 MLP of benchmarks/workloads.py: 6 variables, 6 kernels + the counter."""
    if not on_stand_in():
        pytest.skip("counts launches on the CuPy stand-in")
    rng = np.random.default_rng(0)
    shapes = [(784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]
    start = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(3)]
    counts = []
    train(make, start, grads, counts)
    for c in counts:
        assert c.syncs == c.uploads == 0, (c.sync_log, c.upload_log)
    for c in counts[1:]:
        assert c.launches == launches, c.launch_log
        assert c.launch_log.count(f"d2l_{name.lower()}") == len(shapes)


def test_schedules_get_the_step_number_and_an_outside_assign_is_read_once(gpu_default):
    seen = []

    class Record(optimizers.schedules.LearningRateSchedule):
        def __call__(self, step):
            seen.append(step)
            return 0.1

    opt = optimizers.SGD(Record())
    w = d2l.Variable([1.0, 2.0])
    g = d2l.constant([1.0, 1.0])
    with fake_cupy.counting() as c:
        for _ in range(3):
            opt.apply_gradients([(g, w)])
    assert seen == [0, 1, 2]
    assert c.syncs == c.uploads == 0, (c.sync_log, c.upload_log)
    opt.iterations.assign(10)                     # a restore, say: the counter is read again
    with fake_cupy.counting() as c:
        opt.apply_gradients([(g, w)])
        opt.apply_gradients([(g, w)])
    assert seen[-2:] == [10, 11] and int(opt.iterations) == 12
    if on_stand_in():
        assert c.sync_log == ["__int__"]          # once, after the assign


def test_cpu_variables_keep_the_numpy_path(gpu_default):
    """Variables on the CPU (with a GPU visible) take the NumPy path: no kernel is compiled."""
    with d2l.device("/CPU:0"):
        w = d2l.Variable([1.0, 2.0])
        opt = optimizers.Adam(0.1)
        opt.apply_gradients([(d2l.constant([1.0, -1.0]), w)])
    np.testing.assert_allclose(w.numpy(), [0.9, 2.1], rtol=1e-6)


class _WrongKernels(types.ModuleType):
    """The stand-in, but its compiled kernels give wrong results and it has no ``__fake__``,
    so fused.py checks each kernel's first launch as it does on a real GPU."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(fake_cupy.module, name)

    class ElementwiseKernel(fake_cupy.ElementwiseKernel):
        def __call__(self, *args):
            outs = super().__call__(*args)
            for out in outs if isinstance(outs, tuple) else (outs,):
                out += 1                          # a miscompiled kernel
            return outs


def test_a_kernel_failing_its_check_warns_once_and_gives_the_cpu_results(gpu_default, monkeypatch):
    if not on_stand_in():
        pytest.skip("simulates a broken kernel on the CuPy stand-in")
    start, grads = data("float32")
    make = lambda: optimizers.Adam(0.01, weight_decay=0.05)    # noqa: E731
    with d2l.device("/CPU:0"):
        _, cpu_vars = train(make, start, grads)
    for kernel in fused.KERNELS:                  # compile afresh, with the broken compiler
        monkeypatch.setattr(kernel, "_gpu", {})
    monkeypatch.setattr(backend, "_cupy", _WrongKernels("cupy"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _, gpu_vars = train(make, start, grads)
    messages = [str(w.message) for w in caught if "fused kernel" in str(w.message)]
    assert len(messages) == 1 and "fused kernel adam does not work" in messages[0], messages
    for got, want in zip(gpu_vars, cpu_vars, strict=True):
        np.testing.assert_allclose(got.numpy(), want.numpy(), **TOLERANCE["float32"])


def test_a_subclass_with_its_own_update_rule_is_not_fused(gpu_default):
    """The kernel does Adam._update's arithmetic: a variant of the rule keeps its own."""
    class HalfAdam(optimizers.Adam):
        def _update(self, xp, w, g, slots, lr, step):
            return super()._update(xp, w, g * 0.5, slots, lr, step)

    opt = HalfAdam(0.1)
    w = d2l.Variable([1.0, 2.0])
    with fake_cupy.counting() as c:
        opt.apply_gradients([(d2l.constant([1.0, -1.0]), w)])
    assert "d2l_adam" not in c.launch_log
    np.testing.assert_allclose(w.numpy(), [0.9, 2.1], rtol=1e-6)
    assert optimizers.Adam(0.1)._has_fused() and not opt._has_fused()


@pytest.mark.parametrize("clip", ["clipnorm", "global_clipnorm"])
def test_variables_of_two_dtypes_share_the_global_norm(clip, gpu_default):
    rng = np.random.default_rng(3)
    start = [rng.standard_normal(4).astype(np.float32), rng.standard_normal(3)]
    grads = [[rng.standard_normal(4).astype(np.float32) * 3, rng.standard_normal(3) * 3]
             for _ in range(2)]
    make = lambda: optimizers.SGD(0.1, **{clip: 1.0})     # noqa: E731
    with d2l.device("/CPU:0"):
        _, cpu_vars = train(make, start, grads)
    _, gpu_vars = train(make, start, grads)
    for got, want in zip(gpu_vars, cpu_vars, strict=True):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got.numpy(), want.numpy(), **TOLERANCE["float32"])
