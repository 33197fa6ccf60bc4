"""Device names and placement, as TensorFlow spells them (issue 4).

Every TensorFlow spelling of a device parses to the same interned ``Device``;
``d2l.device(...)`` accepts them all; and the seed's CPU-vs-GPU timing program
(seeds/002) runs as written, on a GPU when there is one and otherwise on the
CPU for both halves, saying so once.
"""
import sys
import textwrap
import warnings

import pytest

import d2l_core as d2l
from d2l_core import backend
from d2l_core.backend import CPU, Device

HAS_GPU = backend.gpu_count() > 0
FULL = "/job:localhost/replica:0/task:0/device:{}:0"

SPELLINGS = {
    "CPU": ["/cpu:0", "/CPU:0", "cpu:0", "CPU:0", "/device:CPU:0", "device:cpu:0", "cpu", "/cpu",
            "/job:localhost/replica:0/task:0/device:CPU:0", "/job:localhost/device:CPU:0",
            " /cpu:0 "],
    "GPU": ["/gpu:0", "/GPU:0", "gpu:0", "GPU:0", "/device:GPU:0", "device:gpu:0", "gpu", "/gpu",
            "/job:localhost/replica:0/task:0/device:GPU:0", "/job:localhost/device:GPU:0"],
}


@pytest.mark.parametrize("kind,spelling", [(k, s) for k, ss in SPELLINGS.items() for s in ss])
def test_every_tensorflow_spelling_parses_to_one_interned_device(kind, spelling):
    dev = Device.parse(spelling)
    assert dev is Device(kind, 0)
    assert dev.name == FULL.format(kind) and dev.device_type == kind and dev.index == 0
    assert str(dev) == dev.name and repr(dev) == f"Device('{dev.name}')"


def test_other_indices_and_non_devices():
    assert Device.parse("/gpu:1").index == 1 and Device.parse("/device:GPU:1").name.endswith("GPU:1")
    assert Device.parse(None) is None and Device.parse("") is None
    assert Device.parse(CPU) is CPU
    for bad in ["/tpu:0", "/gpu:x", "gpu0", "/job:localhost/cpu:0/extra", "laptop"]:
        with pytest.raises(ValueError, match="cannot parse device name"):
            Device.parse(bad)


@pytest.mark.parametrize("spelling", SPELLINGS["CPU"])
def test_device_scopes_accept_every_cpu_spelling(spelling):
    with d2l.device(spelling):
        x = d2l.ones((2,)) * 3.0
    assert x.device == FULL.format("CPU")


@pytest.fixture
def fresh_fallback(monkeypatch):
    """The once-per-process fallback warning can be seen again in this test."""
    monkeypatch.setattr(backend.placement, "warned_fallback", False, raising=False)


@pytest.mark.skipif(HAS_GPU, reason="checks the CPU-only fallback")
@pytest.mark.parametrize("spelling", SPELLINGS["GPU"])
def test_without_a_gpu_every_gpu_spelling_falls_back_to_the_cpu(spelling, fresh_fallback):
    with pytest.warns(RuntimeWarning, match="running on the CPU instead"):
        with d2l.device(spelling):
            x = d2l.ones((2,)) * 3.0
    assert x.device == FULL.format("CPU")


@pytest.mark.skipif(not HAS_GPU, reason="needs a GPU")
@pytest.mark.parametrize("spelling", SPELLINGS["GPU"])
def test_with_a_gpu_every_gpu_spelling_places_there(spelling):
    with d2l.device(spelling):
        x = d2l.ones((2,)) * 3.0
    assert x.device == FULL.format("GPU")


def test_scopes_nest_and_restore():
    with d2l.device("/cpu:0"):
        with d2l.device(None):                   # None keeps the enclosing device
            a = d2l.zeros((1,))
        b = d2l.zeros((1,))
    assert a.device == b.device == FULL.format("CPU")
    # Back to default placement: no scope on a CPU-only machine, GPU:0 with a visible GPU.
    assert backend.current_device() in (None, backend.default_device())
    assert d2l.zeros((1,)).device == backend.default_device().name


def test_logical_and_physical_devices():
    assert d2l.config.list_physical_devices("CPU")[0].device_type == "CPU"
    assert [d.name for d in d2l.config.list_logical_devices("CPU")] == [FULL.format("CPU")]
    gpus = d2l.config.list_physical_devices("GPU")
    assert len(gpus) == backend.gpu_count()
    assert all(d.device_type == "GPU" for d in gpus)


# The seed's program (seeds/002, "加速计算(GPU vs. CPU)"), as written there, with n
# set small: only the import line differs from TensorFlow.
SEED_002 = textwrap.dedent("""
    import timeit
    import d2l_core as tf
    n = {n}
    # 创建在CPU 上运算的2个矩阵
    with tf.device('/cpu:0'):
        cpu_a = tf.random.normal([1, n])
        cpu_b = tf.random.normal([n, 1])
    print(cpu_a.device, cpu_b.device)
    # 创建使用GPU 运算的2 个矩阵
    with tf.device('/gpu:0'):
        gpu_a = tf.random.normal([1, n])
        gpu_b = tf.random.normal([n, 1])
    print(gpu_a.device, gpu_b.device)
    def cpu_run():
        with tf.device('/cpu:0'):
            c = tf.matmul(cpu_a, cpu_b)
        return c
    def gpu_run():
        with tf.device('/gpu:0'):
            c = tf.matmul(gpu_a, gpu_b)
        return c
    # 第一次计算需要热身,避免将初始化阶段时间结算在内
    cpu_time = timeit.timeit(cpu_run, number=10)
    gpu_time = timeit.timeit(gpu_run, number=10)
    print('warmup:', cpu_time, gpu_time)
    # 正式计算10 次,取平均时间
    cpu_time = timeit.timeit(cpu_run, number=10)
    gpu_time = timeit.timeit(gpu_run, number=10)
    print('run time:', cpu_time, gpu_time)
""")


def _run_seed(capsys, n):
    namespace = {"__name__": "seed_002"}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exec(compile(SEED_002.format(n=n), "seed_002.py", "exec"), namespace)
    return capsys.readouterr().out.splitlines(), caught, namespace


def test_seed_002_timing_program_runs_as_written(capsys, fresh_fallback):
    lines, caught, ns = _run_seed(capsys, n=1000)
    assert lines[0] == f"{FULL.format('CPU')} {FULL.format('CPU')}"
    gpu_kind = "GPU" if HAS_GPU else "CPU"
    assert lines[1] == f"{FULL.format(gpu_kind)} {FULL.format(gpu_kind)}"
    assert lines[2].startswith("warmup: ") and lines[3].startswith("run time: ")
    cpu_time, gpu_time = (float(v) for v in lines[3].split()[2:])
    assert cpu_time > 0 and gpu_time > 0
    assert ns["cpu_run"]().shape == (1, 1) and ns["gpu_run"]().device.endswith(f"{gpu_kind}:0")
    fallbacks = [w for w in caught if issubclass(w.category, RuntimeWarning)
                 and "running on the CPU instead" in str(w.message)]
    if HAS_GPU:
        assert fallbacks == []
    else:   # both halves ran on the CPU, and the program's output said so once
        assert len(fallbacks) == 1
        assert fallbacks[0].filename == "seed_002.py"      # it points at the learner's line


@pytest.mark.skipif(HAS_GPU, reason="checks the CPU-only fallback")
def test_seed_002_in_a_fresh_process_prints_the_fallback_once():
    import subprocess
    out = subprocess.run([sys.executable, "-c", SEED_002.format(n=200)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.count("running on the CPU instead") == 1
    assert out.stdout.count("device:CPU:0") == 4
