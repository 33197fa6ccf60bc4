"""d2l_core.fused: the statements a kernel accepts, and how it runs on NumPy and a GPU.

A GPU compiles the statements into one ``cupy.ElementwiseKernel``; NumPy and
the CuPy stand-in run them as array expressions. These tests check the
contract both keep: outputs change in place, scalars and 0-d arrays broadcast
and take the arrays' dtype, and a kernel that fails to compile or gives wrong
results is replaced by the plain operations, with one warning.
"""
import types
import warnings

import numpy as np
import pytest

import fake_cupy
from d2l_core import backend, fused


def kernel(*args, **kwargs):
    """An Elementwise kept out of fused.KERNELS (the CUDA tests compile the engine's only)."""
    k = fused.Elementwise(*args, **kwargs)
    fused.KERNELS.remove(k)
    return k


@pytest.mark.parametrize("body, message", [
    ("y = x ** 2", "'\\*\\*' means different things"),
    ("y = x // 2", "'//' means different things"),
    ("y = x * (1 / 2)", "C truncates 1 / 2"),
    ("y = z + x", "unknown name 'z'"),
    ("y = x % 2", "is not arithmetic both C and Python read"),
    ("y = abs(x)", "unknown name 'abs'"),
    ("y + x", "cannot read the statement"),
])
def test_text_that_c_and_python_read_differently_is_refused(body, message):
    with pytest.raises(ValueError, match=message):
        kernel("bad", "T x", "T y", body)


@pytest.mark.parametrize("name", ["i", "T", "_raw_x"])
def test_names_cupy_reserves_are_refused(name):
    with pytest.raises(ValueError, match="reserved in CuPy kernels"):
        kernel("bad", f"T {name}", "T y", "y = 1.0")


def test_wrong_number_of_arguments_names_the_signature():
    k = kernel("axpy", "T x, T a", "T y", "y = y + a * x")
    with pytest.raises(TypeError, match=r"axpy: takes 3 arguments \(T x, T a; T y\), got 1"):
        k(np.ones(2))              # (the 2 inputs alone are fine: outputs are made)


def test_outputs_change_in_place_and_locals_do_not_leak():
    k = kernel("two", "T x", "T y, T z", "T t = x * 2.0; y = y + t; z = t - y")
    x = np.arange(3, dtype=np.float32)
    y, z = np.ones(3, np.float32), np.zeros(3, np.float32)
    ids = id(y), id(z)
    out = k(x, y, z)
    assert (id(out[0]), id(out[1])) == ids
    np.testing.assert_array_equal(y, [1, 3, 5])
    np.testing.assert_array_equal(z, [-1, -1, -1])


def test_augmented_assignments():
    k = kernel("aug", "T x", "T y", "y += x; y *= 2.0; y -= 1.0; y /= 2.0")
    y = np.ones(2, np.float64)
    k(np.array([1.0, 3.0]), y)
    np.testing.assert_array_equal(y, [1.5, 3.5])


@pytest.mark.parametrize("xp", ["numpy", "stand-in"])
def test_0d_array_inputs_broadcast(xp, monkeypatch):
    monkeypatch.setattr(backend, "_cupy", fake_cupy.module)
    k = kernel("scale", "T x, T s", "T y", "y = x * s")
    make = np.asarray if xp == "numpy" else (lambda a: fake_cupy.ndarray(np.asarray(a)))
    x, s = make(np.arange(6, dtype=np.float32).reshape(2, 3)), make(np.float32(0.5))
    y = make(np.empty((2, 3), np.float32))
    with fake_cupy.counting() as c:
        k(x, s, y)
    got = y if xp == "numpy" else y.get()
    np.testing.assert_array_equal(got, np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5)
    if xp == "stand-in":
        assert c.launches == 1 and c.syncs == 0        # one kernel, nothing read back


def test_float32_math_stays_float32():
    """Scalars are cast to T: 0.1 is float32(0.1), as a GPU kernel with T = float sees it."""
    k = kernel("add_tenth", "T x, T a", "T y", "y = x * a + 0.1")
    x = np.array([0.91275554895401, 0.7294965386390686, 0.543624997138977], np.float32)
    y = np.empty(3, np.float32)
    k(x, 0.7, y)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, x * np.float32(0.7) + np.float32(0.1))
    in_float64 = (x.astype(np.float64) * 0.7 + 0.1).astype(np.float32)
    assert (y != in_float64).all()        # these x round differently in float64: not used


def test_functions_propagate_nan_as_numpy_does():
    k = kernel("fns", "T x", "T y", "y = maximum(minimum(x, 1.0), -1.0) + sqrt(maximum(x, 0.0))")
    x = np.array([np.nan, 4.0, -9.0, 0.25])
    y = np.empty(4)
    k(x, y)
    np.testing.assert_array_equal(y, [np.nan, 3.0, -1.0, 0.75])
    k2 = kernel("pick", "T x", "T y", "y = where(x > 0.0, x, 0.0 - x)")
    k2(x, y)
    np.testing.assert_array_equal(y, [np.nan, 4.0, 9.0, 0.25])


class _Module(types.ModuleType):
    """A tiny CuPy: the stand-in's functions, a chosen ElementwiseKernel, no ``__fake__``
    (so fused.py checks the first launch against the plain operations, as on a real GPU)."""

    def __init__(self, elementwise_kernel):
        super().__init__("cupy")
        self.ElementwiseKernel = elementwise_kernel

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(fake_cupy.module, name)


class _Refuses:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("nvrtc: error: identifier 'x' is undefined")


class _Wrong(fake_cupy.ElementwiseKernel):
    def __call__(self, *args):
        out = super().__call__(*args)
        out += 1
        return out


@pytest.mark.parametrize("compiler, why", [(_Refuses, "identifier 'x' is undefined"),
                                           (_Wrong, "differs from the unfused operations")])
def test_a_failing_kernel_warns_once_and_the_plain_operations_run(compiler, why, monkeypatch):
    monkeypatch.setattr(backend, "_cupy", _Module(compiler))
    k = kernel("axpy", "T x, T a", "T y", "y = y + a * x")
    x = fake_cupy.ndarray(np.arange(3, dtype=np.float32))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            y = fake_cupy.ndarray(np.ones(3, np.float32))
            k(x, 2.0, y)
            np.testing.assert_array_equal(y.get(), [1, 3, 5])
    assert len(caught) == 1 and caught[0].category is RuntimeWarning
    assert "fused kernel axpy does not work on this GPU" in str(caught[0].message)
    assert why in str(caught[0].message)
    assert k._gpu == {(np.dtype(np.float32), float, np.dtype(np.float32)): None}


def test_a_working_kernel_is_checked_once_then_used(monkeypatch):
    monkeypatch.setattr(backend, "_cupy", _Module(fake_cupy.ElementwiseKernel))
    k = kernel("axpy", "T x, T a", "T y", "y = y + a * x")
    x = fake_cupy.ndarray(np.arange(3, dtype=np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fake_cupy.counting() as first:
            k(x, 2.0, fake_cupy.ndarray(np.ones(3, np.float32)))
        with fake_cupy.counting() as second:
            y = fake_cupy.ndarray(np.ones(3, np.float32))
            k(x, 2.0, y)
    assert first.launches > 2          # the check: the kernel, and the plain operations
    assert (second.launches, second.syncs) == (1, 0)
    np.testing.assert_array_equal(y.get(), [1, 3, 5])
