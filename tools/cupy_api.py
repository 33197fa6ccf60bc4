"""Record which names CuPy provides, for the CuPy stand-in's strictness (tests/support/fake_cupy.py).

The stand-in runs d2l_core's GPU paths on the CPU by forwarding to NumPy, so by
itself it cannot tell that CuPy lacks a function NumPy has: that would show
only on a real GPU, as an AttributeError or "no implementation found". This
script lists what ``import cupy`` exposes (no GPU needed: CuPy imports without
one) and writes ``tests/support/cupy_api.json``; the stand-in refuses
everything else. Rerun it when the CuPy version in pyproject.toml changes:

    python -m venv /tmp/cupyenv && /tmp/cupyenv/bin/pip install cupy-cuda13x
    /tmp/cupyenv/bin/python tools/cupy_api.py
"""
import json
import os

import cupy

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "support", "cupy_api.json")


def public(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def main():
    api = {
        "cupy": cupy.__version__,
        "namespaces": {name: public(mod) for name, mod in (
            ("", cupy), ("linalg", cupy.linalg), ("fft", cupy.fft), ("random", cupy.random))},
        "ndarray": sorted(n for n in dir(cupy.ndarray) if not n.startswith("_") or n in (
            "__array_priority__", "__cuda_array_interface__", "__dlpack__")),
        # ufunc.at works only where CuPy has a scatter kernel for the ufunc
        "ufunc_at": sorted(n for n in dir(cupy) if isinstance(getattr(cupy, n), cupy.ufunc)
                           and getattr(cupy, n)._scatter_op),
    }
    with open(OUT, "w") as f:
        json.dump(api, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: CuPy {cupy.__version__}, "
          f"{sum(map(len, api['namespaces'].values()))} names")


if __name__ == "__main__":
    main()
