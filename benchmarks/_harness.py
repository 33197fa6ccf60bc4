"""Shared benchmark machinery: fair timing, machine facts, tables, result files.

Methodology (the same for every benchmark here):

* every contestant runs the same work in float32 with the same number of
  threads (PyTorch: ``torch.set_num_threads``; NumPy/OpenBLAS: whatever
  ``OPENBLAS_NUM_THREADS`` says, by default every core);
* each contestant is warmed up first (caches, allocator pools, lazy imports);
* repeats are *interleaved*: round 1 times A, B, C, round 2 times B, C, A, ...
  so a background job that slows the machine for a while slows every
  contestant alike instead of one of them;
* a repeat times ``inner`` back-to-back calls with ``time.perf_counter`` and
  divides, and the table reports the median over repeats (and the spread as
  the interquartile range), and ratios of medians.

On a machine shared with other jobs, wall-clock time measures the other
jobs as much as the code: ``run.py --threads 1 --clock cpu`` times the
process's CPU time instead, which a busy neighbour barely changes (with one
thread, CPU time is what wall time would be on an idle machine).
"""
import ctypes
import datetime
import glob
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:          # run from anywhere: `python benchmarks/run.py`
    sys.path.insert(0, ROOT)


# ------------------------------------------------------------------ timing

CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def _nothing():
    pass
clock = time.perf_counter     # run.py --clock cpu switches to process CPU time


def measure(cases, repeats=15, inner=100, warmup=None, sync=None):
    """Median seconds per call for each of ``cases`` ({name: zero-arg callable}).

    ``sync`` ({name: zero-arg callable}, optional) waits for a contestant's
    queued GPU work; it runs before the clock starts and before it stops.
    Returns {name: {"median": s, "q1": s, "q3": s, "runs": [s, ...]}}.
    """
    now = clock
    names = list(cases)
    sync = sync or {}
    done = {name: sync.get(name, _nothing) for name in names}
    warmup = max(1, inner // 5) if warmup is None else warmup
    for name in names:
        for _ in range(warmup):
            cases[name]()
        done[name]()
    runs = {name: [] for name in names}
    for r in range(repeats):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            fn, wait = cases[name], done[name]
            wait()
            t0 = now()
            for _ in range(inner):
                fn()
            wait()
            runs[name].append((now() - t0) / inner)
    out = {}
    for name, ts in runs.items():
        ts = sorted(ts)
        q = statistics.quantiles(ts, n=4) if len(ts) >= 2 else [ts[0]] * 3
        out[name] = {"median": statistics.median(ts), "q1": q[0], "q3": q[2], "runs": ts}
    return out


def fmt_time(s):
    """Seconds in the unit that reads best."""
    if s < 1e-3:
        return f"{s * 1e6:.2f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


# ------------------------------------------------------------------ machine

def _openblas():
    """(core type OpenBLAS picked, its config string) for NumPy's bundled OpenBLAS."""
    import numpy as np
    libdir = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs")
    for path in glob.glob(os.path.join(libdir, "lib*openblas*.so*")):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "")):
            try:
                corename = getattr(lib, f"{prefix}get_corename{suffix}")
                config = getattr(lib, f"{prefix}get_config{suffix}")
            except AttributeError:
                continue
            corename.restype = config.restype = ctypes.c_char_p
            return corename().decode(), config().decode()
    return "unknown", "unknown"


def cpu_model():
    fields = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if ":" in line:
                    k, v = (s.strip() for s in line.split(":", 1))
                    fields.setdefault(k, v)
    except OSError:
        return platform.processor() or platform.machine(), False
    name = fields.get("model name", platform.machine())
    if "cpu family" in fields:
        name += f" (family {fields['cpu family']}, model {fields.get('model', '?')})"
    return name, "avx512f" in fields.get("flags", "").split()


def machine_info(torch=None):
    """Facts a reader needs to compare these numbers with theirs."""
    import numpy as np
    model, avx512 = cpu_model()
    corename, config = _openblas()
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        commit = "?"
    info = {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "git commit": commit or "?",
        "CPU": model + (" with AVX-512" if avx512 else ""),
        "cores (usable)": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                              else os.cpu_count()),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "Python": platform.python_version(),
        "NumPy": np.__version__,
        "NumPy BLAS": f"{config.split(' ')[0]} {config.split(' ')[1] if ' ' in config else ''}".strip(),
        "OpenBLAS core type in use": corename,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "(unset)"),
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
    }
    if torch is not None:
        info["PyTorch"] = f"{torch.__version__} (threads {torch.get_num_threads()}, " \
                          f"BLAS {'MKL' if torch.backends.mkl.is_available() else 'other'})"
    else:
        info["PyTorch"] = "not installed"
    return info


def load_torch(threads=2):
    """PyTorch with ``threads`` intra-op threads, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    return torch


# ------------------------------------------------------------------ reporting

def ratio(a, b):
    return float("nan") if not b else a / b


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name, title, info, sections, notes=""):
    """Write benchmarks/results/<name>.md: machine facts, then each (heading, table) section."""
    os.makedirs(RESULTS, exist_ok=True)
    info = dict(info)
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    parts = [f"# {title}", "", "Recorded by `" + " ".join(["python"] + sys.argv) + "`.", ""]
    cores = int(info.get("cores (usable)", "1"))
    busiest = max(float(x) for x in (info.get("load average at start", "0").split()[:1]
                                     + info["load average at end"].split()[:1]))
    if busiest > cores and "process" not in info.get("clock", ""):
        parts += [f"**The machine was busy with other jobs** (load average up to {busiest:.1f} "
                  f"on {cores} cores): these wall-clock times include waiting for them, and "
                  "multithreaded kernels suffer most. The `-1thread` results, timed in process "
                  "CPU time, are the reliable comparison.", ""]
    parts += [markdown_table(["machine", ""], list(info.items())), ""]
    for heading, body in sections:
        parts += [f"## {heading}", "", body, ""]
    if notes:
        parts += ["## Notes", "", notes.strip(), ""]
    path = os.path.join(RESULTS, f"{name}.md")
    with open(path, "w") as f:
        f.write("\n".join(parts))
    return path
