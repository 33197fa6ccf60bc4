"""d2l_core on a CUDA GPU beside raw CuPy and PyTorch CUDA (issue 4).

    .venv/bin/python benchmarks/gpu.py            # on a machine with a CUDA GPU and CuPy
    .venv/bin/python benchmarks/gpu.py --quick    # a smoke test: few repeats, no results file

Without a GPU (or without CuPy) it prints why and exits 0 without touching
benchmarks/results/gpu.md. With one it measures, prints the tables, and
writes benchmarks/results/gpu.md:

  matmul      4096x4096 float32 matmul GFLOP/s: d2l_core on the CPU beside NumPy
              and PyTorch, d2l_core on the GPU beside raw CuPy (target: within 10%)
              and PyTorch CUDA
  mlp         the 784-256-128-10 ReLU MLP train step (sparse softmax cross-entropy,
              SGD) at batch 512 and 8192 on the GPU: d2l_core (GradientTape +
              optimizer) beside PyTorch CUDA eager (target: no slower) and
              hand-written CuPy
  copies      host<->device copy bandwidth (GB/s) of a 256 MiB float32 array:
              d2l_core (constant/identity under a GPU scope, .numpy()) beside CuPy
              (cupy.asarray, .get()) and PyTorch (.cuda(), .cpu())
  launches    (issue 17) CUDA kernels, copies, memsets and host synchronisations per
              MLP train step (SGD and Adam, batch 512): d2l_core, CuPy by hand, and
              PyTorch (foreach and fused optimizers), all counted by torch.profiler
              with CUDA activity, which records every kernel of the process through
              CUPTI (CuPy's included); needs a CUDA build of PyTorch
  keras       (issue 17) Keras fit of chapter 11's MNIST model (Flatten, Dense 256
              and 128 ReLU, Dense 10; Adam, categorical cross-entropy from logits,
              accuracy) at batch 512 on synthetic data of MNIST's shape (60,000 x
              28 x 28): seconds per epoch on the GPU and on the CPU (target: GPU faster)

On a machine without a GPU, ``--stand-in`` runs every section (matmul at 1024²,
copies of 16 MiB) on the CuPy stand-in of tests/support/fake_cupy.py (a pretend GPU
made of NumPy arrays), quickly and without writing results: it checks the code
paths (placement, the profiler plumbing), not speed. That is how this file's
sections are tried before a GPU session.

GPU work is asynchronous: every timing waits for the device
(``cupy.cuda.Device().synchronize()``, ``torch.cuda.synchronize()``) before it
starts and before it stops, so it counts the work, not its launch.
PyTorch is optional (its columns say "n/a" without a CUDA build of torch).
"""
import argparse
import contextlib
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import _harness as h  # noqa: E402


def gpu_or_reason():
    """None when d2l_core sees a CUDA GPU, else a sentence saying why not."""
    from d2l_core import backend
    if backend.gpu_count() > 0 and not is_stand_in(backend._cupy):
        return None
    if not backend.cupy_installed():
        return "CuPy is not installed (pip install -e .[gpu] on a machine with a CUDA GPU)"
    return "CuPy is installed but no CUDA GPU is visible (cupy.cuda.is_available() is False)"


def is_stand_in(cp):
    return bool(getattr(cp, "__fake__", False))


def use_stand_in():
    """The CuPy stand-in as d2l_core's default GPU (CPU-only code-path check)."""
    sys.path.insert(0, os.path.join(h.ROOT, "tests", "support"))
    import fake_cupy
    from d2l_core import backend
    if backend.gpu_count() > 0 and not is_stand_in(backend._cupy):
        raise SystemExit("a real GPU is visible: run without --stand-in")
    fake_cupy.install_for_session()
    return fake_cupy.module


def device_sync(cp):
    """A zero-argument callable that waits for the GPU's queued work."""
    if is_stand_in(cp):
        return lambda: None
    return cp.cuda.Device().synchronize


def gpu_info(cp):
    if is_stand_in(cp):
        return {"GPU": "none: the CuPy stand-in of tests/support/fake_cupy.py (--stand-in)"}
    props = cp.cuda.runtime.getDeviceProperties(0)
    name = props["name"].decode() if isinstance(props["name"], bytes) else props["name"]
    free, total = cp.cuda.runtime.memGetInfo()
    return {"GPU": f"{name} ({total / 2**30:.0f} GiB)",
            "CUDA runtime / driver": f"{cp.cuda.runtime.runtimeGetVersion()} / "
                                     f"{cp.cuda.runtime.driverGetVersion()}",
            "CuPy": cp.__version__,
            "CUPY_TF32": os.environ.get("CUPY_TF32", "(unset: full float32 matmuls)")}


def torch_cuda(torch):
    return torch is not None and torch.cuda.is_available()


# ------------------------------------------------------------------ sections

def matmul_section(cp, torch, quick):
    import d2l_core as d2l
    n = 1024 if is_stand_in(cp) else 4096      # the stand-in checks code paths, not speed
    flops = 2 * n ** 3
    rng = np.random.default_rng(0)
    an, bn = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    with d2l.device("/cpu:0"):           # a visible GPU is the default device: ask for the CPU
        ca, cb = d2l.constant(an), d2l.constant(bn)
    with d2l.device("/gpu:0"):
        ga, gb = d2l.constant(an), d2l.constant(bn)
    assert "GPU" in ga.device and "CPU" in ca.device

    def cpu_matmul():
        with d2l.device("/cpu:0"):
            return d2l.matmul(ca, cb)

    def gpu_matmul():
        with d2l.device("/gpu:0"):
            return d2l.matmul(ga, gb)
    xa, xb = cp.asarray(an), cp.asarray(bn)
    sync_cp = device_sync(cp)
    rows = []
    cpu = {"d2l_core": cpu_matmul, "NumPy": lambda: an @ bn}
    if torch is not None:
        ta, tb = torch.from_numpy(an), torch.from_numpy(bn)
        cpu["PyTorch"] = lambda: ta @ tb
    res = h.measure(cpu, repeats=2 if quick else 5, inner=1, warmup=1)
    gf = {k: flops / v["median"] / 1e9 for k, v in res.items()}
    rows.append(["CPU", f"{gf['d2l_core']:.0f}", f"{gf['NumPy']:.0f} (NumPy)",
                 f"{gf['PyTorch']:.0f}" if "PyTorch" in gf else "n/a",
                 f"{gf['d2l_core'] / gf['NumPy']:.2f}", ""])
    gpu = {"d2l_core": gpu_matmul, "CuPy": lambda: xa @ xb}
    sync = {"d2l_core": sync_cp, "CuPy": sync_cp}
    if torch_cuda(torch):
        ta, tb = torch.from_numpy(an).cuda(), torch.from_numpy(bn).cuda()
        gpu["PyTorch"], sync["PyTorch"] = (lambda: ta @ tb), torch.cuda.synchronize
    res = h.measure(gpu, repeats=3 if quick else 15, inner=5 if quick else 20, sync=sync)
    gf = {k: flops / v["median"] / 1e9 for k, v in res.items()}
    ratio = gf["d2l_core"] / gf["CuPy"]
    rows.append(["GPU", f"{gf['d2l_core']:.0f}", f"{gf['CuPy']:.0f} (CuPy)",
                 f"{gf['PyTorch']:.0f}" if "PyTorch" in gf else "n/a", f"{ratio:.2f}",
                 "yes" if ratio >= 0.9 else "**no**"])
    header = [f"{n}x{n} float32 matmul", "d2l_core GFLOP/s", "raw GFLOP/s", "PyTorch GFLOP/s",
              "d2l / raw", "within 10% of CuPy?"]
    return h.markdown_table(header, rows)


def mlp_section(cp, torch, quick):
    import d2l_core as d2l
    import workloads as w
    sync_cp = device_sync(cp)
    rows = []
    for batch in (512, 8192):
        params = w.mlp_init()
        xn, yn = w.mlp_data(batch)
        with d2l.device("/gpu:0"):
            model = w.D2lMLP(params, d2l.keras.optimizers.SGD(0.1))
            x, y = d2l.constant(xn), d2l.constant(yn)
        assert all("GPU" in p.device for p in model.params) and "GPU" in x.device
        raw = w.NumpyMLP(params, w.numpy_sgd(0.1), xp=cp)
        xc, yc = cp.asarray(xn), cp.asarray(yn)
        cases = {"d2l_core": lambda: model.step(x, y), "CuPy by hand": lambda: raw.step(xc, yc)}
        sync = {"d2l_core": sync_cp, "CuPy by hand": sync_cp}
        if torch_cuda(torch):
            tm = w.TorchMLP(torch, params, lambda ps: torch.optim.SGD(ps, lr=0.1), device="cuda")
            xt, yt = torch.from_numpy(xn).cuda(), torch.from_numpy(yn.astype(np.int64)).cuda()
            cases["PyTorch"], sync["PyTorch"] = (lambda: tm.step(xt, yt)), torch.cuda.synchronize
        res = h.measure(cases, repeats=3 if quick else 15, inner=5 if quick else 50, sync=sync)
        d = res["d2l_core"]["median"]
        t = res.get("PyTorch", {}).get("median")
        c = res["CuPy by hand"]["median"]
        rows.append([f"batch {batch}", h.fmt_time(d), h.fmt_time(t) if t else "n/a", h.fmt_time(c),
                     f"{d / t:.2f}" if t else "n/a", f"{d / c:.2f}",
                     ("yes" if d <= t else "**no**") if t else ""])
    header = ["MLP train step on the GPU", "d2l_core", "PyTorch CUDA eager", "CuPy by hand",
              "d2l / PyTorch", "d2l / CuPy", "d2l no slower than PyTorch?"]
    return h.markdown_table(header, rows)


def copies_section(cp, torch, quick):
    import d2l_core as d2l
    nbytes = (16 if is_stand_in(cp) else 256) * 2 ** 20
    host = np.random.default_rng(0).random(nbytes // 4, dtype=np.float32)
    with d2l.device("/cpu:0"):           # a visible GPU is the default device: ask for the CPU
        t_host = d2l.constant(host)
    with d2l.device("/gpu:0"):
        t_dev = d2l.constant(host)
    assert "CPU" in t_host.device and "GPU" in t_dev.device
    dev = cp.asarray(host)
    sync_cp = device_sync(cp)

    def d2l_constant():
        with d2l.device("/gpu:0"):
            return d2l.constant(host)

    def d2l_identity():
        with d2l.device("/gpu:0"):
            return d2l.identity(t_host)

    up = {"d2l_core constant(ndarray)": d2l_constant, "d2l_core identity(tensor)": d2l_identity,
          "CuPy asarray": lambda: cp.asarray(host)}
    down = {"d2l_core .numpy()": t_dev.numpy, "CuPy .get()": dev.get}
    sync_up = {k: sync_cp for k in up}
    sync_down = {k: sync_cp for k in down}
    if torch_cuda(torch):
        th, td = torch.from_numpy(host), torch.from_numpy(host).cuda()
        up["PyTorch .cuda()"], sync_up["PyTorch .cuda()"] = th.cuda, torch.cuda.synchronize
        down["PyTorch .cpu()"], sync_down["PyTorch .cpu()"] = td.cpu, torch.cuda.synchronize
    rows = []
    for direction, cases, sync in (("host -> device", up, sync_up), ("device -> host", down, sync_down)):
        res = h.measure(cases, repeats=2 if quick else 9, inner=1 if quick else 5, sync=sync)
        for name, stats in res.items():
            rows.append([direction, name, f"{nbytes / stats['median'] / 1e9:.1f}",
                         h.fmt_time(stats["median"])])
    header = [f"copy ({nbytes >> 20} MiB float32, pageable host memory)", "how", "GB/s", "median time"]
    return h.markdown_table(header, rows)


# ------------------------------------------------------------------ issue 17: launches and Keras fit

SYNC_CALLS = ("cudaDeviceSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize",
              "cuCtxSynchronize", "cuStreamSynchronize", "cuEventSynchronize",
              "cudaMemcpy", "cudaMemcpy2D", "cuMemcpyDtoH_v2", "cuMemcpyHtoD_v2", "cuMemcpy")


def classify_events(events, cuda_type):
    """Counts of device work and host waits among torch.profiler events.

    Device-side events (``device_type`` CUDA) are kernels, except those named
    ``Memcpy ...`` (copies, by direction) and ``Memset ...``. Host waits are CUDA
    runtime/driver calls that block the host: ``*Synchronize`` and synchronous
    ``cudaMemcpy`` (CuPy's ``get()`` of pageable memory); a device-to-host copy is
    a wait as well however it is issued, so it is counted beside them.
    """
    import collections
    c = collections.Counter()
    names = collections.Counter()
    for e in events:
        name = e.name
        if e.device_type == cuda_type:
            if name.startswith("Memcpy") or "memcpy" in name.lower():
                kind = "DtoH" if "DtoH" in name else "HtoD" if "HtoD" in name else "other"
                c[f"memcpy {kind}"] += 1
            elif name.startswith("Memset") or "memset" in name.lower():
                c["memset"] += 1
            else:
                c["kernels"] += 1
            names[name] += 1
        elif "Synchronize" in name or name in SYNC_CALLS:
            c["host syncs"] += 1
            names[name] += 1
    return c, names


def profile_counts(torch, fn, steps, sync, cuda=True):
    """Per-call counts of ``classify_events`` over ``steps`` calls of ``fn``, less an empty run's."""
    from torch.autograd import DeviceType
    from torch.profiler import ProfilerActivity, profile
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if cuda else [])

    def run(n):
        sync()
        with profile(activities=activities) as p:
            for _ in range(n):
                fn()
            sync()
        return classify_events(p.events(), DeviceType.CUDA)

    base, _ = run(0)            # what profiling and the final sync cost by themselves
    got, names = run(steps)
    keys = ("kernels", "memcpy HtoD", "memcpy DtoH", "memset", "host syncs")
    per = {k: max(0, got[k] - base[k]) / steps for k in keys}
    per["other"] = sum(v for k, v in got.items() if k not in keys) / steps
    return per, {k: v / steps for k, v in names.most_common(40)}


def launches_section(cp, torch, quick):
    import d2l_core as d2l
    import workloads as w
    stand_in = is_stand_in(cp)
    if not stand_in and not torch_cuda(torch):
        return ("n/a: counting needs a CUDA build of PyTorch (torch.profiler records every CUDA "
                "kernel of the process through CUPTI)")
    if torch is None:
        return "n/a: PyTorch is not installed"
    sync_cp = device_sync(cp)
    steps = 3 if quick else 10
    batch = 512
    xn, yn = w.mlp_data(batch)
    rows, detail = [], {}
    optimizers = {
        "SGD": (lambda: d2l.keras.optimizers.SGD(0.1), lambda: w.numpy_sgd(0.1),
                {"foreach": lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=True),
                 "fused": lambda ps: torch.optim.SGD(ps, lr=0.1, fused=True)}),
        "Adam": (lambda: d2l.keras.optimizers.Adam(1e-3), lambda: w.numpy_adam(1e-3),
                 {"foreach": lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7, foreach=True),
                  "fused": lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7, fused=True)}),
    }
    for opt, (make_d2l, make_raw, torch_opts) in optimizers.items():
        with d2l.device("/gpu:0"):
            model = w.D2lMLP(w.mlp_init(), make_d2l())
            x, y = d2l.constant(xn), d2l.constant(yn)
        assert all("GPU" in p.device for p in model.params) and "GPU" in x.device
        raw = w.NumpyMLP(w.mlp_init(), make_raw(), xp=cp)
        xc, yc = cp.asarray(xn), cp.asarray(yn)
        cases = {"d2l_core": (lambda m=model, x=x, y=y: m.step(x, y), sync_cp),
                 "CuPy by hand": (lambda m=raw, x=xc, y=yc: m.step(x, y), sync_cp)}
        if torch_cuda(torch):
            xt, yt = torch.from_numpy(xn).cuda(), torch.from_numpy(yn.astype(np.int64)).cuda()
            for how, make in torch_opts.items():
                tm = w.TorchMLP(torch, w.mlp_init(), make, device="cuda")
                cases[f"PyTorch {how}"] = ((lambda m=tm, x=xt, y=yt: m.step(x, y)),
                                           torch.cuda.synchronize)
        for name, (fn, sync) in cases.items():
            for _ in range(3):           # warm-up: kernels compiled, Adam's slots made, pools filled
                fn()
            per, names = profile_counts(torch, fn, steps, sync, cuda=not stand_in)
            detail[f"{opt} / {name}"] = names
            rows.append([opt, name] + [f"{per[k]:g}" for k in
                                       ("kernels", "memcpy HtoD", "memcpy DtoH", "memset",
                                        "host syncs")])
    header = [f"MLP train step, batch {batch}", "who", "kernels", "copies host->device",
              "copies device->host", "memsets", "host syncs (API calls)"]
    body = h.markdown_table(header, rows)
    if stand_in:
        body += ("\n\n(--stand-in: no CUDA here, so every count is 0; this checks the plumbing. "
                 "benchmarks/launches.py counts d2l_core's launches on the stand-in.)")
    launches_section.detail = detail
    return body


class _EpochClock:
    """A Keras callback timing each epoch in wall-clock seconds, the GPU's queue drained."""

    def __new__(cls, sync):
        from d2l_core import keras

        class Clock(keras.callbacks.Callback):
            def __init__(self):
                super().__init__()
                self.times = []

            def on_epoch_begin(self, epoch, logs=None):
                sync()
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                sync()
                self.times.append(time.perf_counter() - self.start)
        return Clock()


def keras_section(cp, torch, quick):
    import statistics
    import d2l_core as d2l
    from d2l_core import keras
    rows_n = 10_240 if quick else 60_000
    epochs = 2 if quick else 3
    batch = 512
    rng = np.random.default_rng(0)            # synthetic digits of MNIST's shape and type
    images = rng.integers(0, 256, (rows_n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, rows_n).astype(np.uint8)
    x = images.astype(np.float32) / 255.0
    y = np.eye(10, dtype=np.float32)[labels]
    out, stand_in_launches = {}, {}
    for where, dev in (("CPU", "/cpu:0"), ("GPU", "/gpu:0")):
        counting = contextlib.nullcontext(None)
        if is_stand_in(cp):                 # the CPU run must launch nothing on the (stand-in) GPU
            import fake_cupy
            counting = fake_cupy.counting()
        with counting as counts, d2l.device(dev):
            d2l.random.set_seed(0)
            model = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),
                                      keras.layers.Dense(256, activation="relu"),
                                      keras.layers.Dense(128, activation="relu"),
                                      keras.layers.Dense(10)])
            model.compile(optimizer=keras.optimizers.Adam(1e-3),
                          loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                          metrics=["accuracy"])
            clock = _EpochClock(device_sync(cp))
            hist = model.fit(x, y, batch_size=batch, epochs=epochs, shuffle=False, verbose=0,
                             callbacks=[clock])
        if counts is not None:
            stand_in_launches[where] = counts.launches
        placed = model.trainable_variables[0].device
        out[where] = {"first": clock.times[0], "later": statistics.median(clock.times[1:]),
                      "loss": hist.history["loss"][-1], "placed": placed.rsplit("device:", 1)[-1]}
    steps = -(-rows_n // batch)
    rows = [[where, h.fmt_time(r["first"]), h.fmt_time(r["later"]),
             h.fmt_time(r["later"] / steps), f"{r['loss']:.4f}", r["placed"]]
            for where, r in out.items()]
    speedup = out["CPU"]["later"] / out["GPU"]["later"]
    rows.append(["GPU speed-up (later epochs)", "", f"{speedup:.2f}x", "", "",
                 "yes: GPU faster" if speedup > 1 else "**no: GPU not faster**"])
    header = [f"Keras fit, chapter 11 MLP, {rows_n:,} x 28 x 28, batch {batch}",
              "first epoch (traces)", f"later epochs (median of {epochs - 1})", "per step",
              "last loss", "variables on"]
    body = h.markdown_table(header, rows)
    if stand_in_launches:
        body += ("\n\n(--stand-in: launches on the stand-in GPU during each fit: " +
                 ", ".join(f"{k} {v}" for k, v in stand_in_launches.items()) +
                 "; the CPU fit must launch none.)")
        if stand_in_launches["CPU"]:
            raise AssertionError(f"the CPU fit launched {stand_in_launches['CPU']} kernels on the GPU")
    return body


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="few repeats, print only (no results file)")
    p.add_argument("--only", default=None,
                   help="comma-separated, run in this order: matmul, mlp, copies, launches, "
                        "keras (default: all)")
    p.add_argument("--threads", type=int, default=None,
                   help="PyTorch CPU threads for the CPU matmul row (default: all cores)")
    p.add_argument("--stand-in", action="store_true",
                   help="no GPU: run on the CuPy stand-in to check the code paths (implies --quick)")
    args = p.parse_args(argv)
    if args.stand_in:
        use_stand_in()
        args.quick = True
        only = args.only or "matmul,mlp,copies,launches,keras"
    else:
        only = args.only or "matmul,mlp,copies,launches,keras"
        reason = gpu_or_reason()
        if reason:
            print(f"benchmarks/gpu.py: skipped: {reason}.")
            print("Run it on a machine with a CUDA GPU; the CPU benchmarks are in benchmarks/run.py "
                  "(try the code paths here with --stand-in).")
            return 0
    from d2l_core import backend
    cp = backend._cupy if args.stand_in else __import__("cupy")
    torch = h.load_torch(args.threads or os.cpu_count())
    info = h.machine_info(torch)
    info.update(gpu_info(cp))
    if torch is not None:
        info["PyTorch CUDA"] = torch.version.cuda if torch_cuda(torch) else "not available"
    print("\n".join(f"{k:>26}: {v}" for k, v in info.items()))
    sections = []
    wanted = [s.strip() for s in only.split(",")]
    plan = [("matmul", "float32 matmul throughput", matmul_section),
            ("mlp", "MLP train step on the GPU", mlp_section),
            ("copies", "Host <-> device copy bandwidth", copies_section),
            ("launches", "Kernels and host syncs per MLP train step (issue 17)", launches_section),
            ("keras", "Keras fit of the chapter-11 MNIST model, GPU vs CPU (issue 17)",
             keras_section)]
    by_key = {key: (title, run) for key, title, run in plan}
    unknown = set(wanted) - set(by_key)
    if unknown:
        p.error(f"unknown sections: {', '.join(sorted(unknown))}")
    failed = []
    for key in wanted:                      # in the order asked for
        title, run = by_key[key]
        try:
            body = run(cp, torch, args.quick)
        except Exception as e:              # one broken section must not hide the others
            import traceback
            traceback.print_exc()
            failed.append(key)
            body = f"**failed**: {type(e).__name__}: {e}"
        print(f"\n== {title}\n\n{body}\n", flush=True)
        sections.append((title, body))
        if not args.quick:                  # after every section: a time limit keeps what is done
            record(info, sections)
    if args.quick and getattr(launches_section, "detail", None):
        print("launches: the most frequent device events and sync calls per step:")
        print(json.dumps(launches_section.detail, indent=1)[:4000])
    if not args.quick:
        print(f"(written to {os.path.relpath(os.path.join(h.RESULTS, 'gpu.md'))})")
    done = [k for k in wanted if k not in failed]
    print(f"benchmarks/gpu.py: sections done: {', '.join(done) or 'none'}"
          + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def record(info, sections):
    """Write results/gpu.md (and the launch event names) with the sections done so far."""
    notes = """
Medians over interleaved repeats (see benchmarks/_harness.py), each timing
bracketed by device synchronisation. The matmul target is d2l_core within 10%
of raw CuPy (d2l_core's matmul is CuPy's plus the op's Python checks); the MLP
target is d2l_core no slower than PyTorch CUDA eager. Copies use pageable host
memory, as d2l_core does; pinned memory would be faster for both.

Launches (issue 17): per step, the average over 10 profiled steps after 3
warm-up steps, less what an empty profiled block records (the profiler's own
synchronisation). Kernels are the CUDA device events that are not Memcpy or
Memset; host syncs are runtime or driver calls that block the host
(`*Synchronize`, synchronous `cudaMemcpy`). The names behind each count are in
results/gpu-launch-events.json. benchmarks/launches.py counts the same step on
the CPU (d2l_core on the stand-in, PyTorch by its aten ops).

Keras fit (issue 17): wall-clock seconds per epoch, the GPU's queue drained
at each epoch's start and end; the first epoch includes tracing the train step;
the CPU run uses every core through NumPy's OpenBLAS.
"""
    h.write_results("gpu", "d2l_core on a CUDA GPU (issues 4 and 17)", info, sections, notes)
    detail = getattr(launches_section, "detail", None)
    if detail:
        with open(os.path.join(h.RESULTS, "gpu-launch-events.json"), "w") as f:
            json.dump(detail, f, indent=1)

if __name__ == "__main__":
    sys.exit(main())
