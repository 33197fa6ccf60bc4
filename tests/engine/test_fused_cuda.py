"""Every fused kernel's CUDA source compiles, checked without a GPU.

``d2l_core.fused`` kernels run as NumPy statements on the CPU, so the rest of
the suite checks their arithmetic; what only a GPU would show is whether the
same text is valid CUDA. NVIDIA's runtime compiler (NVRTC, the ``dev`` extra's
``nvidia-cuda-nvrtc`` wheel) needs no GPU: this compiles each kernel for the
dtypes its ``kind`` names (float32 and float64, or int32 and int64) inside a
wrapper that binds the parameters as CuPy's ``ElementwiseKernel`` does (inputs as ``const`` values, outputs as references,
the ``T`` typedef before the preamble), with the options fused.py passes.
"""
import ctypes
import glob
import os

import pytest

import d2l_core  # noqa: F401  (defines every kernel)
from d2l_core import fused


def _nvrtc():
    import importlib.util
    spec = importlib.util.find_spec("nvidia")
    paths = [] if spec is None else [p for d in spec.submodule_search_locations
                                     for p in glob.glob(os.path.join(d, "cu*", "lib", "libnvrtc.so*"))]
    paths = [p for p in paths if "builtins" not in p]
    if not paths:
        pytest.skip("NVRTC is not installed (pip install -e .[dev] on Linux x86-64)")
    return ctypes.CDLL(sorted(paths)[-1])


C_TYPES = {"float32": "float", "float64": "double", "bool": "bool", "int32": "int",
           "int64": "long long"}


def cuda_source(kernel, t):
    """The kernel as CuPy would compile it for ``T`` = ``t``, pointers in place of CArrays."""
    def ctype(kind):
        return "T" if kind == "T" else C_TYPES[kind]
    params = [f"const {ctype(k)}* _raw_{n}" for k, n in kernel.inputs] + \
             [f"{ctype(k)}* _raw_{n}" for k, n in kernel.outputs]
    binds = [f"const {ctype(k)} {n} = _raw_{n}[i];" for k, n in kernel.inputs] + \
            [f"{ctype(k)} &{n} = _raw_{n}[i];" for k, n in kernel.outputs]
    return (f"typedef {t} T;\n{fused._PREAMBLE}\n"
            f'extern "C" __global__ void d2l_{kernel.name}({", ".join(params)}) {{\n'
            "  const int i = blockIdx.x * blockDim.x + threadIdx.x;\n  "
            + "\n  ".join(binds) + "\n  " + kernel.c_body.replace("\n", "\n  ") + "\n}\n")


def compile_errors(lib, source, name):
    prog = ctypes.c_void_p()
    assert lib.nvrtcCreateProgram(ctypes.byref(prog), source.encode(), f"{name}.cu".encode(),
                                  0, None, None) == 0
    options = [b"--fmad=false", b"-arch=compute_90", b"--std=c++17"]
    result = lib.nvrtcCompileProgram(prog, len(options), (ctypes.c_char_p * len(options))(*options))
    size = ctypes.c_size_t()
    lib.nvrtcGetProgramLogSize(prog, ctypes.byref(size))
    log = ctypes.create_string_buffer(size.value)
    lib.nvrtcGetProgramLog(prog, log)
    lib.nvrtcDestroyProgram(ctypes.byref(prog))
    return None if result == 0 else log.value.decode(errors="replace")


ENGINE_KERNELS = [k for k in fused.KERNELS if (k.defined_in or "").startswith("d2l_core")]


def test_the_engine_has_fused_kernels_to_check():
    assert ENGINE_KERNELS, "no fused kernel is defined in d2l_core"


CASES = [(k, t) for k in ENGINE_KERNELS
         for t in {"float": ("float", "double"), "int": ("int", "long long")}[k.kind]]


@pytest.mark.parametrize("kernel, t", CASES, ids=[f"{k.name}-{t}" for k, t in CASES])
def test_every_fused_kernel_compiles_as_cuda(kernel, t):
    lib = _nvrtc()
    errors = compile_errors(lib, cuda_source(kernel, t), kernel.name)
    assert errors is None, f"fused kernel {kernel.name} (T = {t}) is not valid CUDA:\n{errors}"


def test_the_check_catches_invalid_cuda():
    """The compiler really runs: a body C cannot read fails here."""
    lib = _nvrtc()
    bad = fused.Elementwise("bad_name", "T x", "T y", "y = x")
    fused.KERNELS.remove(bad)
    bad.c_body = "y = undefined_name(x);"
    assert "error" in compile_errors(lib, cuda_source(bad, "float"), bad.name)
