"""This checkout's d2l_core against an earlier commit's, side by side in one run.

    .venv/bin/python benchmarks/compare.py --baseline af3bc62           # writes results/compare.md
    .venv/bin/python benchmarks/compare.py --baseline HEAD~3 --quick    # a smoke test

A refactoring must not slow the engine down. Timing two checkouts in two
runs mostly measures how busy the machine was each time, so this runs both
at once: one worker process per version (the baseline checked out with
``git worktree`` into a temporary folder), each building the same
workloads, and the driver times them in rotation, with NumPy by hand and
PyTorch eager, like ``run.py`` does, so background load hits all alike.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def worker(path):
    """Serve timing requests for the d2l_core checkout at ``path`` (one process per version).

    Requests on stdin, one JSON list per line: ["build", i] makes workload i of PLAN;
    ["time", name, inner] times ``inner`` calls of contestant ``name`` and answers
    the seconds per call on stdout. Each version lives in its own process, so
    imports made at call time inside d2l_core find their own version.
    """
    sys.path.insert(0, path)
    import d2l_core
    assert os.path.dirname(os.path.dirname(d2l_core.__file__)) == path, d2l_core.__file__
    import _harness as h
    import workloads
    torch = h.load_torch(int(os.environ["OPENBLAS_NUM_THREADS"]))
    cases = {}
    for line in sys.stdin:
        request = json.loads(line)
        if request[0] == "build":
            _, maker, kw, *_ = PLAN[request[1]]
            cases = getattr(workloads, maker)(torch, **kw)
            answer = sorted(cases)
        else:
            _, name, inner = request
            fn = cases[name]
            t0 = h.clock()
            for _ in range(inner):
                fn()
            answer = (h.clock() - t0) / inner
        print(json.dumps(answer), flush=True)


class Worker:
    def __init__(self, path, clock):
        env = dict(os.environ, D2L_COMPARE_CLOCK=clock)
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker", path],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env=env, cwd=HERE)

    def ask(self, *request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


PLAN = [   # (label, workload maker, keyword arguments, ops per call, repeats, inner calls)
    ("`a*b+c` on 8 floats, per op", "make_overhead", {"expr": "a*b+c"}, 2, 25, 5000),
    ("`exp(a)` on 8 floats", "make_overhead", {"expr": "exp(a)"}, 1, 25, 5000),
    ("`reduce_sum(a)` on 8 floats", "make_overhead", {"expr": "reduce_sum(a)"}, 1, 25, 5000),
    ("`a*v` (a Variable) on 8 floats", "make_overhead", {"expr": "a*v (v a Variable)"}, 1, 25, 5000),
    ("50-op chain, forward + backward", "make_chain", {}, 1, 9, 50),
    ("MLP 784-256-128-10 train step, batch 512", "make_mlp_step", {}, 1, 7, 5),
    ("d²/dx² of x³ (nested tapes)", "make_second_derivative", {}, 1, 9, 100),
    ("linear regression, 1,000 steps", "make_linreg", {}, 1, 5, 1),
    ("MNIST-sized epoch, tape loop + Adam", "make_epoch", {}, 1, 5, 1),
]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--baseline", help="the commit to compare with (required)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--name", default="compare",
                   help="results file name: results/<name>.md (default compare)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        import _harness as h
        h.clock = h.CLOCKS[os.environ["D2L_COMPARE_CLOCK"]]
        return worker(args.worker)
    if not args.baseline:
        p.error("--baseline is required")
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

    import _harness as h
    h.clock = h.CLOCKS[args.clock]
    torch = h.load_torch(args.threads)
    base_rev = subprocess.run(["git", "rev-parse", "--short", args.baseline], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    head_rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    tmp = tempfile.mkdtemp(prefix="d2l-baseline-")
    subprocess.run(["git", "worktree", "add", "--detach", tmp, base_rev], cwd=ROOT, check=True,
                   capture_output=True)
    try:
        rows = run(h, torch, tmp, args.clock, args.quick)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", tmp], cwd=ROOT, capture_output=True)
    info = h.machine_info(torch)
    info["clock"] = "time.perf_counter (wall)" if args.clock == "wall" else "time.process_time (CPU)"
    header = ["benchmark", f"baseline {base_rev}", f"this commit {head_rev}", "this / baseline",
              "NumPy", "PyTorch eager"]
    table = h.markdown_table(header, rows)
    print("\n".join(f"{k:>26}: {v}" for k, v in info.items()))
    print(f"\n{table}\n")
    if not args.no_write and not args.quick:
        notes = ("Both versions of d2l_core are loaded into one process and timed interleaved "
                 "with NumPy and PyTorch (benchmarks/compare.py), so background load hits all "
                 "of them alike. Times are medians (± half the interquartile range); a ratio "
                 "within about ±5% is noise on this machine.")
        path = h.write_results(args.name, f"d2l_core {head_rev} against {base_rev}", info,
                               [("Results", table)], notes)
        print(f"(written to {os.path.relpath(path)})")


def run(h, torch, baseline_path, clock, quick):
    """Time every workload of PLAN: baseline and this checkout interleaved, with NumPy and PyTorch."""
    base, head = Worker(baseline_path, clock), Worker(ROOT, clock)
    rows = []
    try:
        for i, (label, _, _, per, repeats, inner) in enumerate(PLAN):
            base.ask("build", i)
            names = head.ask("build", i)
            contestants = [("baseline", base, "d2l_core"), ("this", head, "d2l_core"),
                           ("NumPy", head, "NumPy")] + (
                [("PyTorch", head, "PyTorch")] if "PyTorch" in names else [])
            inner = max(1, inner // 20) if quick else inner
            for _, w, name in contestants:          # warm up
                w.ask("time", name, max(1, inner // 5))
            runs = {c[0]: [] for c in contestants}
            for r in range(3 if quick else repeats):
                order = contestants[r % len(contestants):] + contestants[:r % len(contestants)]
                for key, w, name in order:
                    runs[key].append(w.ask("time", name, inner) / per)
            t = {k: statistics.median(v) for k, v in runs.items()}
            half_iqr = {k: (lambda q: (q[2] - q[0]) / 2)(statistics.quantiles(v, n=4))
                        for k, v in runs.items()}
            rows.append([label, f"{h.fmt_time(t['baseline'])} ± {h.fmt_time(half_iqr['baseline'])}",
                         f"{h.fmt_time(t['this'])} ± {h.fmt_time(half_iqr['this'])}",
                         f"{t['this'] / t['baseline']:.2f}", h.fmt_time(t["NumPy"]),
                         h.fmt_time(t["PyTorch"]) if "PyTorch" in t else "n/a"])
            print(f"{label}: {rows[-1][3]}", flush=True)
    finally:
        base.close()
        head.close()
    return rows


if __name__ == "__main__":
    main()
