"""Default placement as TensorFlow 2 does it (issue 17).

With a visible GPU, TensorFlow puts ops and new tensors that have no
``tf.device`` scope on GPU:0, copies an op's inputs to the op's device, keeps
``tf.data`` on the CPU, and lets ``tf.config.set_visible_devices([], 'GPU')``
hide the GPU before its runtime starts (at the first op). Every test here
takes the ``gpu_default`` fixture (tests/conftest.py): the real GPU where
there is one, else the CuPy stand-in, seen by default placement as a visible
GPU. The runtime restarts for each test and is put back afterwards.
"""
import numpy as np
import pytest

import d2l_core as d2l
from d2l_core import backend

GPU = "/job:localhost/replica:0/task:0/device:GPU:0"
CPU = "/job:localhost/replica:0/task:0/device:CPU:0"

pytestmark = pytest.mark.usefixtures("gpu_default")


def test_new_tensors_and_ops_go_to_gpu0_without_a_scope():
    x = d2l.ones((2,))
    assert x.device == GPU
    assert (x + 1.0).device == GPU and d2l.matmul(d2l.ones((2, 3)), d2l.ones((3, 1))).device == GPU
    # TensorFlow 2.21 names GPU:0 for int32 tensors too (it keeps their memory on the
    # host for most GPU kernels; d2l_core keeps it on the GPU: same name, same values).
    assert d2l.constant([1, 2]).device == GPU
    assert d2l.random.normal((2,)).device == GPU and d2l.range(3).device == GPU
    assert backend.default_device().name == GPU


def test_numpy_copies_back_to_the_host():
    x = d2l.constant([1.0, 2.0]) * 2.0
    got = x.numpy()
    assert type(got) is np.ndarray
    np.testing.assert_array_equal(got, [2.0, 4.0])
    assert float(d2l.reduce_sum(x)) == 6.0


def test_a_cpu_scope_overrides_the_default():
    with d2l.device("/CPU:0"):
        a = d2l.ones((2,))
        b = a * 3.0
    assert a.device == b.device == CPU
    with d2l.device("/CPU:0"):
        with d2l.device("/GPU:0"):
            c = d2l.ones((2,))
        d = d2l.ones((2,))
    assert (c.device, d.device) == (GPU, CPU)


def test_an_op_copies_its_inputs_to_its_device():
    with d2l.device("/CPU:0"):
        on_cpu = d2l.constant([1.0, 2.0])
    on_gpu = d2l.constant([10.0, 20.0])
    # No scope: the op runs on the default device, GPU:0, whatever its inputs' devices.
    assert (on_cpu * 2.0).device == GPU
    mixed = on_cpu + on_gpu
    assert mixed.device == GPU and mixed.numpy().tolist() == [11.0, 22.0]
    with d2l.device("/CPU:0"):
        back = on_gpu + on_cpu
    assert back.device == CPU and back.numpy().tolist() == [11.0, 22.0]
    assert on_cpu.device == CPU and on_gpu.device == GPU        # inputs themselves stay put


def test_variables_go_to_gpu0_and_stay_where_they_were_made():
    v = d2l.Variable([1.0, 2.0])
    assert v.device == GPU
    with d2l.device("/CPU:0"):
        w = d2l.Variable([1.0, 2.0])
    assert w.device == CPU
    w.assign_add(v)                          # the update runs where the variable lives
    v.assign(w * 2.0)
    assert (w.device, v.device) == (CPU, GPU)
    assert v.numpy().tolist() == [4.0, 8.0]
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_sum(v * w)
    g = tape.gradient(loss, [v, w])
    assert g[0].device == GPU and g[1].device == GPU and g[0].numpy().tolist() == [2.0, 4.0]


def test_an_optimizer_step_keeps_weights_on_their_device():
    v = d2l.Variable([1.0, 2.0])
    opt = d2l.keras.optimizers.SGD(0.5)
    with d2l.GradientTape() as tape:
        loss = d2l.reduce_sum(v ** 2)
    opt.apply_gradients(zip(tape.gradient(loss, [v]), [v], strict=True))
    assert v.device == GPU and v.numpy().tolist() == [0.0, 0.0]


def test_text_stays_on_the_host():
    """TensorFlow has no GPU kernels for string ops; d2l_core keeps text on the host."""
    s = d2l.constant(["ab", "cde"])
    assert s.device == CPU
    assert d2l.strings.length(s).device == CPU


def test_set_visible_devices_hides_the_gpu_before_the_first_op():
    gpus = d2l.config.list_physical_devices("GPU")
    assert len(gpus) >= 1
    d2l.config.set_visible_devices([], "GPU")
    assert d2l.config.get_visible_devices("GPU") == []
    assert d2l.ones((2,)).device == CPU and d2l.Variable(1.0).device == CPU
    assert d2l.config.list_physical_devices("GPU") == gpus          # still there, not visible
    assert d2l.config.list_logical_devices("GPU") == []
    assert not d2l.test.is_gpu_available()
    d2l.config.set_visible_devices([], "GPU")                        # no change: no error
    with pytest.raises(RuntimeError, match="Visible devices cannot be modified after being "
                                           "initialized"):
        d2l.config.set_visible_devices(gpus, "GPU")


def test_a_hidden_gpu_asked_for_by_name_falls_back_to_the_cpu(monkeypatch):
    monkeypatch.setattr(backend.placement, "warned_fallback", False)
    d2l.config.set_visible_devices([], "GPU")
    with pytest.warns(RuntimeWarning, match="set_visible_devices hides the GPUs"):
        with d2l.device("/GPU:0"):
            x = d2l.ones((2,))
    assert x.device == CPU
    monkeypatch.setattr(backend.placement, "allow_soft_placement", False)
    with pytest.raises(d2l.errors.InvalidArgumentError, match="no GPU is visible"):
        with d2l.device("/GPU:0"):
            pass


def test_changing_visible_devices_after_the_first_op_is_an_error_as_in_tensorflow():
    d2l.ones((1,))
    with pytest.raises(RuntimeError, match="cannot be modified after being initialized"):
        d2l.config.set_visible_devices([], "GPU")
    d2l.config.set_visible_devices(d2l.config.list_physical_devices())   # no change: fine
    with pytest.raises(ValueError, match="Unrecognized device"):
        d2l.config.set_visible_devices(["/gpu:0"], "GPU")
    with pytest.raises(ValueError, match="the CPU must stay visible"):
        d2l.config.set_visible_devices([], "CPU")


def test_list_logical_devices_starts_the_runtime_and_lists_the_gpu():
    assert [d.device_type for d in d2l.config.list_logical_devices()] == ["CPU", "GPU"]
    assert d2l.config.list_logical_devices("GPU")[0].name == GPU
    with pytest.raises(RuntimeError):
        d2l.config.set_visible_devices([], "GPU")       # listing logical devices started it
    assert d2l.test.is_gpu_available() and d2l.test.gpu_device_name() == "/device:GPU:0"


def test_placement_logging_names_gpu0_for_an_op_without_a_scope(capsys):
    x = d2l.ones((2,))
    d2l.config.set_log_device_placement(True)
    try:
        d2l.exp(x)
    finally:
        d2l.config.set_log_device_placement(False)
    assert f"{GPU}" in capsys.readouterr().err


def test_datasets_run_on_the_cpu_and_the_model_copies_batches_to_the_gpu():
    ds = d2l.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.float32), d2l.ones((6,))))
    seen = []

    def scale(x, y):
        seen.append(d2l.ones(()).device)       # a map function runs in the pipeline: on the CPU
        return x * 2.0, y

    batches = list(ds.map(scale).batch(4))
    assert set(seen) == {CPU}
    assert [(x.device, y.device) for x, y in batches] == [(CPU, CPU)] * 2
    w = d2l.Variable(1.0)
    out = batches[0][0] * w
    assert out.device == GPU and out.numpy().tolist() == [0.0, 2.0, 4.0, 6.0]
    assert int(d2l.data.Dataset.range(4).reduce(0, lambda s, x: s + x)) == 6
    assert next(iter(d2l.data.Dataset.from_tensors(d2l.ones((2,))))).device == CPU


def test_keras_fit_without_a_scope_trains_on_the_gpu():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    d2l.keras.utils.set_random_seed(0)
    model = d2l.keras.Sequential([d2l.keras.layers.Dense(1)])
    model.compile(optimizer=d2l.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert all(w.device == GPU for w in model.weights)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model(x[:2]).device == GPU
    ds = d2l.data.Dataset.from_tensor_slices((x, y)).batch(16)
    model.fit(ds, epochs=1, verbose=0)                 # CPU batches, GPU weights
    assert all(w.device == GPU for w in model.weights)
    assert model.predict(x[:4], verbose=0).shape == (4, 1)


def test_a_traced_function_runs_on_the_default_device():
    @d2l.function
    def f(a):
        return d2l.reduce_sum(a * a)

    assert f(d2l.constant([1.0, 2.0])).device == GPU
    with d2l.device("/CPU:0"):
        assert f(d2l.constant([1.0, 2.0])).device == CPU


def test_a_session_hiding_gpus_with_device_count_runs_on_the_cpu():
    v1 = d2l.compat.v1
    g = v1.Graph()
    with g.as_default():
        x = v1.placeholder(d2l.float32, [2])
        y = x * 2.0
    with v1.Session(graph=g, config=v1.ConfigProto(device_count={"GPU": 0})) as sess:
        got = sess.run(y, {x: [1.0, 2.0]})
    assert got.tolist() == [2.0, 4.0]


def test_cuda_visible_devices_empty_hides_the_gpu_without_importing_cupy(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    monkeypatch.setattr(backend, "_gpu_count", None)

    def no_import():
        raise AssertionError("CuPy imported although CUDA_VISIBLE_DEVICES hides every GPU")
    monkeypatch.setattr(backend, "_import_cupy", no_import)
    backend.reset_runtime()
    assert backend.gpu_count() == 0 and d2l.config.list_physical_devices("GPU") == []
    assert d2l.ones((2,)).device == CPU


def test_entering_a_device_scope_starts_the_runtime():
    with d2l.device("/CPU:0"):
        pass
    with pytest.raises(RuntimeError, match="cannot be modified after being initialized"):
        d2l.config.set_visible_devices([], "GPU")
