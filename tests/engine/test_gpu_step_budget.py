"""An eager training step on a GPU: no host syncs and a fixed number of kernel launches (issue 17).

On a GPU each kernel launch costs the host microseconds, each host sync
(``.get()``, ``float()`` of a device array) waits for every queued kernel,
and each upload (a host -> device copy) is a transfer. The CuPy stand-in
counts all three (``fake_cupy.counting``), so these budgets hold without a GPU. A budget that grows is a regression; one
that shrinks should be lowered here.
"""
import sys

import numpy as np
import pytest

import d2l_core as d2l
import fake_cupy
from d2l_core import backend

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parents[2] / "benchmarks"))
import workloads  # noqa: E402

# The 784-256-128-10 MLP step of benchmarks/workloads.py (D2lMLP), per step:
#   forward  15: 3 matmul + 3 bias add + 2 relu (maximum)
#                + sparse xent 6 (labels mask, max, exp, 2 sums, loss) + reduce_mean 1
#   backward 12: mean's divide 1, xent gradient 1, relu gradient 2, bias sums 3, matmul 5
#                (the seed 1 and the Python count are cached device constants: no launch)
FORWARD, BACKWARD = 15, 12
#   optimizer 7: one fused update per variable (6) + the step counter's add
SGD_UPDATE = 7         # optimizer: see test_optimizer_fused.py
ADAM_UPDATE = 7        # optimizer: see test_optimizer_fused.py


def _stand_in():
    if backend._cupy is not fake_cupy.module:
        pytest.skip("a real GPU: the stand-in's counters see nothing")


def _mlp_step_counts(optimizer):
    model = workloads.D2lMLP(workloads.mlp_init(), optimizer)
    xn, yn = workloads.mlp_data(512)
    x, y = d2l.constant(xn), d2l.constant(yn)
    model.step(x, y)                     # warm-up: kernels and constants made once
    with fake_cupy.counting() as c:
        loss = model.step(x, y)
    return c, loss


def _cpu_loss(optimizer):
    with d2l.device("/cpu:0"):
        model = workloads.D2lMLP(workloads.mlp_init(), optimizer)
        xn, yn = workloads.mlp_data(512)
        x, y = d2l.constant(xn), d2l.constant(yn)
        model.step(x, y)
        return model.step(x, y).numpy()


@pytest.mark.parametrize("make, update", [
    (lambda: d2l.keras.optimizers.SGD(0.1), SGD_UPDATE),
    (lambda: d2l.keras.optimizers.Adam(0.01), ADAM_UPDATE),
], ids=["sgd", "adam"])
def test_mlp_step_has_no_syncs_and_a_launch_budget(gpu_default, make, update):
    _stand_in()
    c, loss = _mlp_step_counts(make())
    assert c.syncs == 0, c.sync_log
    assert c.uploads == 0, c.upload_log
    assert c.launches == FORWARD + BACKWARD + update, c.launch_log
    assert "GPU" in loss.device
    np.testing.assert_allclose(loss.numpy(), _cpu_loss(make()), rtol=1e-6)


def test_keras_train_step_has_no_syncs(gpu_default):
    """``fit`` calls ``train_step`` per batch; only its end-of-epoch logs read the loss."""
    _stand_in()
    d2l.random.set_seed(0)
    model = d2l.keras.Sequential([d2l.keras.layers.Dense(256, activation="relu"),
                                  d2l.keras.layers.Dense(128, activation="relu"),
                                  d2l.keras.layers.Dense(10)])
    model.compile(optimizer=d2l.keras.optimizers.SGD(0.1),
                  loss=d2l.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    xn, yn = workloads.mlp_data(512)
    x, y = d2l.constant(xn), d2l.constant(yn)
    model.train_on_batch(x, y)          # builds the model; returns floats (a sync, expected)
    model.train_step((x, y))
    with fake_cupy.counting() as c:
        logs = model.train_step((x, y))
    assert c.syncs == 0, c.sync_log
    assert c.uploads == 0, c.upload_log
    # the MLP step + the loss tracker's update (multiply, 2 adds) and result (divide_no_nan,
    # one fused launch); Dense's bias add and relu are two launches each, as in the MLP
    assert c.launches <= FORWARD + BACKWARD + SGD_UPDATE + 4, c.launch_log
    assert np.isfinite(float(logs["loss"]))


LOGITS = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5], [3.0, 1.0, 0.0]], np.float32)


def _xent_and_grad(labels):
    logits = d2l.constant(LOGITS)
    with d2l.GradientTape() as tape:
        tape.watch(logits)
        loss = d2l.nn.sparse_softmax_cross_entropy_with_logits(d2l.constant(labels), logits)
    return loss.numpy(), tape.gradient(loss, logits).numpy()


@pytest.mark.parametrize("bad", [3, -1], ids=["too-large", "negative"])
def test_out_of_range_labels_give_nan_rows_on_the_gpu(gpu_default, bad):
    """TF's GPU kernel: NaN loss and gradient rows for labels outside [0, n), no error."""
    loss, grad = _xent_and_grad(np.array([2, bad, 0], np.int32))
    good_loss, good_grad = _xent_and_grad(np.array([2, 1, 0], np.int32))
    assert np.isnan(loss[1]) and np.isnan(grad[1]).all()
    np.testing.assert_allclose(loss[[0, 2]], good_loss[[0, 2]], rtol=1e-6)
    np.testing.assert_allclose(grad[[0, 2]], good_grad[[0, 2]], rtol=1e-6)
    with d2l.device("/cpu:0"):
        want = _xent_and_grad(np.array([2, 1, 0], np.int32))
    np.testing.assert_allclose(good_loss, want[0], rtol=1e-6)
    np.testing.assert_allclose(good_grad, want[1], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("bad", [3, -1], ids=["too-large", "negative"])
def test_out_of_range_labels_raise_on_the_cpu(bad):
    with d2l.device("/cpu:0"), pytest.raises(d2l.errors.InvalidArgumentError,
                                            match="outside the valid range"):
        _xent_and_grad(np.array([2, bad, 0], np.int32))


def test_python_numbers_on_the_gpu_are_copied_once(gpu_default):
    _stand_in()
    x = d2l.constant(np.ones(4, np.float32))
    _ = x / 3 + 0.5                      # warm-up: each number's device copy made once
    with fake_cupy.counting() as c:
        y = x / 3 + 0.5
    assert c.syncs == 0, c.sync_log
    assert c.uploads == 0, c.upload_log
    assert c.launches == 2, c.launch_log
    np.testing.assert_array_equal(y.numpy(), np.ones(4, np.float32) / 3 + np.float32(0.5))


def test_a_variable_does_not_share_a_cached_constant(gpu_default):
    """A Variable's assign rebinds it, so a shared constant it started from keeps its value."""
    v = d2l.Variable(d2l.constant(2.0))
    v.assign_add(1.0)
    assert float(d2l.constant(2.0)) == 2.0 and float(v) == 3.0
