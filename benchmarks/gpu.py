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

GPU work is asynchronous: every timing waits for the device
(``cupy.cuda.Device().synchronize()``, ``torch.cuda.synchronize()``) before it
starts and before it stops, so it counts the work, not its launch.
PyTorch is optional (its columns say "n/a" without a CUDA build of torch).
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

import _harness as h  # noqa: E402


def gpu_or_reason():
    """None when d2l_core sees a CUDA GPU, else a sentence saying why not."""
    from d2l_core import backend
    if backend.gpu_count() > 0:
        return None
    if not backend.cupy_installed():
        return "CuPy is not installed (pip install -e .[gpu] on a machine with a CUDA GPU)"
    return "CuPy is installed but no CUDA GPU is visible (cupy.cuda.is_available() is False)"


def gpu_info(cp):
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
    n = 4096
    flops = 2 * n ** 3
    rng = np.random.default_rng(0)
    an, bn = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    ca, cb = d2l.constant(an), d2l.constant(bn)
    with d2l.device("/gpu:0"):
        ga, gb = d2l.constant(an), d2l.constant(bn)
    assert "GPU" in ga.device
    xa, xb = cp.asarray(an), cp.asarray(bn)
    sync_cp = cp.cuda.Device().synchronize
    rows = []
    cpu = {"d2l_core": lambda: d2l.matmul(ca, cb), "NumPy": lambda: an @ bn}
    if torch is not None:
        ta, tb = torch.from_numpy(an), torch.from_numpy(bn)
        cpu["PyTorch"] = lambda: ta @ tb
    res = h.measure(cpu, repeats=2 if quick else 5, inner=1, warmup=1)
    gf = {k: flops / v["median"] / 1e9 for k, v in res.items()}
    rows.append(["CPU", f"{gf['d2l_core']:.0f}", f"{gf['NumPy']:.0f} (NumPy)",
                 f"{gf['PyTorch']:.0f}" if "PyTorch" in gf else "n/a",
                 f"{gf['d2l_core'] / gf['NumPy']:.2f}", ""])
    gpu = {"d2l_core": lambda: d2l.matmul(ga, gb), "CuPy": lambda: xa @ xb}
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
    header = ["4096x4096 float32 matmul", "d2l_core GFLOP/s", "raw GFLOP/s", "PyTorch GFLOP/s",
              "d2l / raw", "within 10% of CuPy?"]
    return h.markdown_table(header, rows)


def mlp_section(cp, torch, quick):
    import d2l_core as d2l
    import workloads as w
    sync_cp = cp.cuda.Device().synchronize
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
    nbytes = 256 * 2 ** 20
    host = np.random.default_rng(0).random(nbytes // 4, dtype=np.float32)
    t_host = d2l.constant(host)
    with d2l.device("/gpu:0"):
        t_dev = d2l.constant(host)
    dev = cp.asarray(host)
    sync_cp = cp.cuda.Device().synchronize

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
    header = ["copy (256 MiB float32, pageable host memory)", "how", "GB/s", "median time"]
    return h.markdown_table(header, rows)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="few repeats, print only (no results file)")
    p.add_argument("--only", default="matmul,mlp,copies", help="comma-separated: matmul, mlp, copies")
    p.add_argument("--threads", type=int, default=None,
                   help="PyTorch CPU threads for the CPU matmul row (default: all cores)")
    args = p.parse_args(argv)
    reason = gpu_or_reason()
    if reason:
        print(f"benchmarks/gpu.py: skipped: {reason}.")
        print("Run it on a machine with a CUDA GPU; the CPU benchmarks are in benchmarks/run.py.")
        return 0
    import cupy as cp
    torch = h.load_torch(args.threads or os.cpu_count())
    info = h.machine_info(torch)
    info.update(gpu_info(cp))
    if torch is not None:
        info["PyTorch CUDA"] = torch.version.cuda if torch_cuda(torch) else "not available"
    print("\n".join(f"{k:>26}: {v}" for k, v in info.items()))
    sections = []
    wanted = [s.strip() for s in args.only.split(",")]
    plan = [("matmul", "float32 matmul throughput", matmul_section),
            ("mlp", "MLP train step on the GPU", mlp_section),
            ("copies", "Host <-> device copy bandwidth", copies_section)]
    for key, title, run in plan:
        if key in wanted:
            body = run(cp, torch, args.quick)
            print(f"\n== {title}\n\n{body}\n")
            sections.append((title, body))
    if not args.quick:
        notes = """
Medians over interleaved repeats (see benchmarks/_harness.py), each timing
bracketed by device synchronisation. The matmul target is d2l_core within 10%
of raw CuPy (d2l_core's matmul is CuPy's plus the op's Python checks); the MLP
target is d2l_core no slower than PyTorch CUDA eager. Copies use pageable host
memory, as d2l_core does; pinned memory would be faster for both.
"""
        path = h.write_results("gpu", "d2l_core on a CUDA GPU (issue 4)", info, sections, notes)
        print(f"(written to {os.path.relpath(path)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
