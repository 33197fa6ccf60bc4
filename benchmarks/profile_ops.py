"""Where d2l_core spends its time: cProfile over one benchmark workload.

    .venv/bin/python benchmarks/profile_ops.py overhead        # a*b+c, 100,000 times
    .venv/bin/python benchmarks/profile_ops.py chain           # 50-op chain fwd+bwd, 2,000 times
    .venv/bin/python benchmarks/profile_ops.py mlp             # MLP train step (batch 512), 50 times
    .venv/bin/python benchmarks/profile_ops.py linreg          # 1,000-step linear regression, twice
    .venv/bin/python benchmarks/profile_ops.py second          # nested-tape x³, 2,000 times
    .venv/bin/python benchmarks/profile_ops.py epoch           # 60 steps of the epoch loop (batch 128, Adam)

Prints the top functions by own time (``--sort cumulative`` for inclusive
time, ``--top N``). Run it before and after changing the hot path. On a
busy machine use ``OPENBLAS_NUM_THREADS=1 ... --clock cpu``.
"""
import argparse
import cProfile
import os
import pstats
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import _harness  # noqa: E402,F401  (puts the repository on sys.path)
import workloads as w  # noqa: E402


def _repeat(fn, n):
    def run():
        for _ in range(n):
            fn()
    return run


def workload(name):
    if name == "overhead":
        return _repeat(w.make_overhead(None)["d2l_core"], 100_000)
    if name == "chain":
        return _repeat(w.make_chain(None)["d2l_core"], 2_000)
    if name == "mlp":
        return _repeat(w.make_mlp_step(None)["d2l_core"], 50)
    if name == "linreg":
        return _repeat(w.make_linreg(None)["d2l_core"], 2)
    if name == "second":
        return _repeat(w.make_second_derivative(None)["d2l_core"], 2_000)
    if name == "epoch":
        return lambda: w.make_epoch(None, n=60 * w.EPOCH_BATCH)["d2l_core"]()
    raise SystemExit(f"unknown workload {name!r}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("workload", choices=["overhead", "chain", "mlp", "linreg", "second", "epoch"])
    p.add_argument("--sort", default="tottime", choices=["tottime", "cumulative", "ncalls"])
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="cpu: profile process CPU time (for a machine busy with other jobs)")
    args = p.parse_args()
    run = workload(args.workload)
    run()     # warm up: imports, caches
    import time
    prof = cProfile.Profile(time.process_time) if args.clock == "cpu" else cProfile.Profile()
    prof.runcall(run)
    stats = pstats.Stats(prof)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
