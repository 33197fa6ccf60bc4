"""Every registered op, tested from its registry entry (``d2l_core/ops/registry.py``).

For each op the entry's test data generates: values against its NumPy
reference (hypothesis draws the seed, and with it shapes, axes and values;
dtypes from the entry), gradients against finite differences to second
order, the same results on a GPU (CuPy stand-in here, a real GPU where there
is one), graph mode (``compat.v1``) giving the eager results with the
static shapes it promised, and ``d2l.function`` giving the eager values and
gradients (tape inside the traced function and around its call, CPU and GPU). A new op is covered by registering it; the
coverage tests at the top fail for an op that leaves any of this out.
"""
import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import d2l_core as d2l
import d2l_core.compat.v1 as tf1
import fake_cupy
from d2l_core import backend
from d2l_core.compat.v1.ops import graph_op
from d2l_core.ops import registry
from d2l_core.test_util import check_gradients
from op_cases import (CASES, DIFFERENTIABLE, OPS, as_list, assert_same_values, in_dtype, is_float,
                      kind_samples, runs_on_host, samples, tensors)

SETTINGS = settings(max_examples=15, deadline=None, database=None, derandomize=True)
SEEDS = st.integers(0, 2 ** 32 - 1)
NAMESPACES = {"": d2l, "math": d2l.math, "nn": d2l.nn, "linalg": d2l.linalg,
              "random": d2l.random, "bitwise": d2l.bitwise, "debugging": d2l.debugging,
              "sparse": d2l.sparse, "strings": d2l.strings, "io": d2l.io}
NOT_OPS = {d2l.random.set_seed, d2l.random.get_global_seed,    # functions of the seed, no tensors
           d2l.random.create_rng_state, d2l.random.get_global_generator,
           d2l.random.set_global_generator}


# ============================================================ coverage: the registry is complete

def test_every_public_op_in_every_namespace_is_registered():
    """A function of ``d2l_core.ops`` reachable as d2l.X (or d2l.math.X, ...) has an entry."""
    missing = []
    for ns, module in NAMESPACES.items():
        for name in dir(module):
            if name.startswith("_"):
                continue
            fn = getattr(module, name)
            if (inspect.isfunction(fn) and fn.__module__.startswith("d2l_core.ops.")
                    and fn not in NOT_OPS and registry.lookup(fn) is None):
                missing.append(f"d2l.{ns + '.' if ns else ''}{name}")
    assert not missing, f"ops without a registry entry: {missing}"


def test_every_export_is_reachable_where_its_entry_says():
    for entry in OPS.values():
        for export in entry.exports:
            ns, _, alias = export.partition(".")
            assert getattr(NAMESPACES[ns], alias or entry.name) is entry.fn, (entry.name, export)


def test_every_op_has_test_data_and_a_gradient_or_a_mark():
    for entry in OPS.values():
        if entry.tested_by is not None:
            assert entry.tested_by in OPS, f"{entry.name}: tested_by names no op"
            continue
        assert samples(entry, np.random.default_rng(0)), \
            f"{entry.name}: its Test gives neither a reference for its kind nor samples"
        if entry.differentiable:
            assert entry.grad is not None or entry.composite, entry.name
        else:
            assert entry.grad is None, f"{entry.name} is marked not differentiable but has a grad"


def test_differentiable_ops_have_samples_a_gradient_check_can_use():
    """Kind-drawn inputs may sit on a kink (``smooth=False``): then listed samples must exist."""
    for name in DIFFERENTIABLE:
        entry = OPS[name]
        usable = [s for s in _gradient_samples(entry, np.random.default_rng(0))]
        assert usable or not entry.test.deterministic, f"{name}: nothing to check gradients on"


def test_a_gradient_returning_the_wrong_number_of_gradients_is_a_clear_error():
    from d2l_core import _recording
    from d2l_core.ops.registry import OpDef
    bad = OpDef("two_for_one", None, "Bad", (), grad=lambda dy, inputs, y, attrs: (dy, dy))
    x = d2l.constant([1.0, 2.0])
    z = d2l.constant([0.0, 0.0])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        _recording.record(bad, (x,), z)
    with pytest.raises(TypeError, match=r"two_for_one: its gradient function .* returned 2 "
                                        r"gradient\(s\) for 1 input\(s\)"):
        tape.gradient(z, x)


def test_registering_an_op_twice_or_a_gradient_for_a_marked_op_fails():
    with pytest.raises(ValueError, match="registered twice"):
        registry.op("Exp")(d2l.exp)
    with pytest.raises(ValueError, match="not differentiable"):
        registry.gradient("floor")(lambda dy, inputs, y, attrs: (dy,))


# ============================================================ values against NumPy

def _expected(reference, arrays, like):
    """NumPy's answer in TensorFlow's dtype: the inputs' dtype (bool for predicates)."""
    out = reference(*arrays)
    if isinstance(out, list):
        return out
    out = np.asarray(out)
    if out.dtype != np.bool_ and np.asarray(like).dtype.kind in "fiub":
        out = out.astype(np.asarray(like).dtype)
    return out


def _assert_values(got, want, rtol, atol, exact_dtype=True):
    got, want = as_list(got), as_list(want)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        w = np.asarray(w)
        assert tuple(g.shape) == w.shape, f"shape {g.shape} != {w.shape}"
        if exact_dtype:
            assert g.dtype.np == w.dtype, f"dtype {g.dtype.name} != {w.dtype}"
        assert_same_values(g.numpy(), w, rtol=rtol, atol=atol)


@pytest.mark.parametrize("name", [n for n in CASES if OPS[n].test.reference is not None
                                  and OPS[n].kind in (registry.UNARY, registry.BINARY,
                                                      registry.REDUCE)])
@SETTINGS
@given(seed=SEEDS, data=st.data())
def test_values_match_numpy_in_every_dtype(name, seed, data):
    entry = OPS[name]
    dtype = data.draw(st.sampled_from(entry.test.dtypes))
    for s in kind_samples(entry, np.random.default_rng(seed)):
        arrays = [in_dtype(a, dtype) for a in s.arrays]
        if name in ("floordiv", "divide", "reciprocal") and any(
                not np.all(a) for a in arrays[1 if len(arrays) > 1 else 0:]):
            continue
        got = s.fn(*tensors(arrays))
        _assert_values(got, _expected(s.reference, arrays, arrays[0]), entry.test.rtol,
                       entry.test.atol)


@pytest.mark.parametrize("name", [n for n in CASES if OPS[n].test.samples is not None])
@SETTINGS
@given(seed=SEEDS)
def test_listed_samples_match_their_references(name, seed):
    entry = OPS[name]
    for s in entry.test.samples(np.random.default_rng(seed)):
        got = s.fn(*tensors(s.arrays))
        if s.reference is None:
            continue            # random draws: the device and graph tests compare shapes
        _assert_values(got, s.reference(*s.arrays), entry.test.rtol, entry.test.atol,
                       exact_dtype=False)


# ============================================================ gradients against finite differences

def _gradient_samples(entry, rng):
    listed = list(entry.test.samples(rng)) if entry.test.samples is not None else []
    drawn = kind_samples(entry, rng) if entry.test.smooth and entry.test.reference else []
    return [s for s in drawn + listed if any(is_float(a) for a in s.arrays)]


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@SETTINGS
@given(seed=SEEDS)
def test_gradients_match_finite_differences_to_second_order(name, seed):
    entry = OPS[name]
    if not entry.test.deterministic:
        pytest.skip("a random op: its draws differ on every call")
    for s in _gradient_samples(entry, np.random.default_rng(seed)):
        if not any(o.dtype.is_floating for o in as_list(s.fn(*tensors(s.arrays)))):
            continue        # e.g. a cast to int32: no gradient flows back, nothing to check
        check_gradients(s.fn, list(s.arrays), order=2, seed=seed, eps=entry.test.grad_eps,
                        rtol=entry.test.grad_rtol)


# ============================================================ the same results on a GPU

@pytest.fixture(params=["fake-gpu", "gpu"])
def gpu(request, monkeypatch):
    if request.param == "gpu" and backend.gpu_count() == 0:
        pytest.skip("no CUDA GPU visible (CuPy missing or no device)")
    if request.param == "fake-gpu":
        if backend.gpu_count() > 0:
            pytest.skip("a GPU is here (real, or D2L_STAND_IN_GPU=1): the gpu runs cover it")
        fake_cupy.install(monkeypatch)
    return "/gpu:0"


def _on(device, arrays):
    with d2l.device(device):
        return [d2l.constant(a) for a in arrays]


def _run(device, s, grads):
    xs = _on(device, s.arrays)
    floats = [x for x in xs if x.dtype.is_floating]
    with d2l.GradientTape() as tape:
        for x in floats:
            tape.watch(x)
        with d2l.device(device):
            out = as_list(s.fn(*xs))
    if not grads or not floats:
        return out, []
    targets = [o for o in out if o.dtype.is_floating]
    return out, (tape.gradient(targets, floats) if targets else [])


@pytest.mark.parametrize("name", CASES)
def test_gpu_gives_the_cpu_results_and_gradients(name, gpu):
    entry = OPS[name]
    for s in samples(entry, np.random.default_rng(1)):
        grads = entry.differentiable and entry.test.deterministic
        d2l.random.set_seed(3)
        want, want_g = _run("/cpu:0", s, grads)
        d2l.random.set_seed(3)      # seeded draws come from the host: equal on every device
        got, got_g = _run(gpu, s, grads)
        where = "CPU" if runs_on_host(s.arrays, want) else "GPU"
        for g, w in zip(got + list(got_g), want + list(want_g)):
            if w is None:
                assert g is None
                continue
            assert where in g.device, f"{name} ran on {g.device}"
            assert g.dtype == w.dtype and g.shape == w.shape
            assert_same_values(g.numpy(), w.numpy(), rtol=1e-5, atol=1e-6)


# ============================================================ graph mode: the same op as a node

def _graph_run(entry, s, feed_unknown):
    """Run sample ``s`` as one graph node; returns (static shapes, values)."""
    node = graph_op(s.fn, entry.name, entry.type)
    with tf1.Graph().as_default():
        if feed_unknown:
            inputs = [tf1.placeholder(tf1.as_dtype(np.asarray(a).dtype),
                                      [None] + list(np.shape(a))[1:] if np.ndim(a) else [])
                      for a in s.arrays]
            feed = dict(zip(inputs, s.arrays))
        else:
            inputs, feed = [tf1.constant(a) for a in s.arrays], {}
        out = node(*inputs)
        outs = as_list(out)
        with tf1.Session() as sess:
            return [o.shape for o in outs], as_list(sess.run(outs, feed_dict=feed))


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("feed_unknown", [False, True], ids=["constants", "placeholders"])
def test_graph_mode_runs_the_op_with_the_static_shapes_it_promised(name, feed_unknown):
    entry = OPS[name]
    for s in samples(entry, np.random.default_rng(2)):
        if feed_unknown and not s.arrays:
            continue
        d2l.random.set_seed(5)
        eager = as_list(s.fn(*tensors(s.arrays)))
        shapes, values = _graph_run(entry, s, feed_unknown)
        assert len(values) == len(eager)
        for shape, got, want in zip(shapes, values, eager):
            assert shape.is_compatible_with(want.shape), f"static {shape} vs {want.shape}"
            if not feed_unknown and entry.kind != registry.VALUE:
                assert shape.is_fully_defined(), f"{name}: static shape {shape} from constants"
            assert np.shape(got) == tuple(want.shape)
            if entry.test.deterministic:
                assert_same_values(got, want.numpy(), rtol=1e-6, atol=1e-7)


# ============================================================ d2l.function: the same op, traced

def _function_run(s, device, grads, traced, around):
    """Sample ``s``'s outputs (and gradients of its float outputs with respect to its float
    inputs) computed eagerly, inside a traced function, or by a tape around a traced call."""
    xs = _on(device, s.arrays)
    floats = [i for i, x in enumerate(xs) if x.dtype.is_floating]

    def forward(*xs):
        with d2l.device(device):
            return as_list(s.fn(*xs))

    def with_gradients(*xs):
        with d2l.GradientTape() as tape:
            for i in floats:
                tape.watch(xs[i])
            out = forward(*xs)
        targets = [o for o in out if o.dtype.is_floating]
        g = tape.gradient(targets, [xs[i] for i in floats]) if grads and targets else []
        return out, g

    if not traced:
        return with_gradients(*xs)
    if not around:
        return d2l.function(with_gradients)(*xs)
    fn = d2l.function(forward)
    with d2l.GradientTape() as tape:
        for i in floats:
            tape.watch(xs[i])
        out = fn(*xs)
    targets = [o for o in out if o.dtype.is_floating]
    return out, (tape.gradient(targets, [xs[i] for i in floats]) if grads and targets else [])


@pytest.fixture(params=["cpu", "fake-gpu"])
def device(request, monkeypatch):
    if request.param == "fake-gpu":
        if backend.gpu_count() > 0:
            return "/gpu:0"
        fake_cupy.install(monkeypatch)
        return "/gpu:0"
    return "/cpu:0"


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("around", [False, True], ids=["tape-inside", "tape-around"])
def test_function_gives_the_eager_results_and_gradients(name, device, around):
    """The op traced by ``d2l.function`` (called twice: the trace, then the plan alone) gives
    the eager values and gradients, with a tape inside the function or around its call."""
    entry = OPS[name]
    for s in samples(entry, np.random.default_rng(4)):
        grads = entry.differentiable and entry.test.deterministic
        d2l.random.set_seed(7)
        want, want_g = _function_run(s, device, grads, traced=False, around=around)
        for call in range(2):
            d2l.random.set_seed(7)
            got, got_g = _function_run(s, device, grads, traced=True, around=around)
            assert len(got) == len(want) and len(got_g) == len(want_g)
            for g, w in zip(list(got) + list(got_g), list(want) + list(want_g)):
                if w is None:
                    assert g is None
                    continue
                assert g is not None, f"{name}: a gradient eager mode has is None when traced"
                assert g.dtype == w.dtype and tuple(g.shape) == tuple(w.shape)
                if device == "/gpu:0" and not runs_on_host(s.arrays, [g]):
                    assert "GPU" in g.device, f"{name} ran on {g.device}"
                if entry.test.deterministic:
                    assert_same_values(g.numpy(), w.numpy(), rtol=1e-6, atol=1e-7)
