"""d2l_core's CPU benchmarks, side by side with NumPy and PyTorch eager.

    .venv/bin/python benchmarks/run.py                      # every section
    .venv/bin/python benchmarks/run.py --only overhead      # one (or several, comma-separated)
    .venv/bin/python benchmarks/run.py --quick              # fewer repeats, a smoke test
    .venv/bin/python benchmarks/run.py --coretype Haswell   # rerun under OPENBLAS_CORETYPE=Haswell

Sections (each prints a table and writes benchmarks/results/<section>.md):

  overhead   per-op cost on 8-element float32 vectors: ``a*b + c`` and friends    (issue 2)
  autodiff   50-op chain forward+backward, MLP train step, d²/dx² of x³, linear
             regression for 1,000 steps                                           (issue 3)
  function   the autodiff workloads under d2l.function, beside eager and NumPy     (issue 14)
  epoch      one MNIST-sized epoch (60,000 x 784, batch 128, Adam)               (issue 5)
  matmul     float32 matmul GFLOP/s at a few sizes (the BLAS underneath)

PyTorch (``pip install torch==2.13.0``, CPU) is optional: without it its
column says "n/a". Threads: PyTorch and OpenBLAS both get ``--threads``
(default 2, the course machine's cores). On a machine busy with other jobs
use ``--threads 1 --clock cpu`` (see _harness.py); results then go to
<section>-1thread.md.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

SECTIONS = ("overhead", "autodiff", "function", "epoch", "matmul")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    p.add_argument("--quick", action="store_true", help="few repeats: a smoke test, not a measurement")
    p.add_argument("--threads", type=int, default=2,
                   help="threads for PyTorch (torch.set_num_threads) and NumPy's OpenBLAS "
                        "(OPENBLAS_NUM_THREADS, set by re-running); default 2")
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="wall: time.perf_counter (default); cpu: process CPU time, for a machine "
                        "busy with other jobs (use with --threads 1)")
    p.add_argument("--coretype", help="re-run with OPENBLAS_CORETYPE set to this (e.g. SkylakeX, Haswell); "
                                      "results go to <section>-<coretype>.md")
    p.add_argument("--no-write", action="store_true", help="print tables only; leave results/ alone")
    args = p.parse_args(argv)
    args.sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.sections) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s) {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    return args


def main(argv=None):
    args = parse_args(argv)
    want = {"OPENBLAS_NUM_THREADS": str(args.threads)}
    if args.coretype:
        want["OPENBLAS_CORETYPE"] = args.coretype
    if any(os.environ.get(k) != v for k, v in want.items()):
        # OpenBLAS reads these once, when NumPy loads: start over with them set.
        env = dict(os.environ, **want)
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

    import _harness as h
    h.clock = h.CLOCKS[args.clock]
    torch = h.load_torch(args.threads)
    import sections
    info = h.machine_info(torch)
    info["clock"] = "time.perf_counter (wall)" if args.clock == "wall" else \
        "time.process_time (process CPU time; the machine was shared)"
    print("\n".join(f"{k:>26}: {v}" for k, v in info.items()))
    suffix = (f"-{args.coretype}" if args.coretype else "") + (
        f"-{args.threads}thread{'s' if args.threads > 1 else ''}" if args.threads != 2 else "")
    for name in args.sections:
        title, body, notes = getattr(sections, name)(torch, quick=args.quick)
        print(f"\n== {title}\n\n{body}\n")
        if not args.no_write and not args.quick:
            path = h.write_results(name + suffix, title, info, [("Results", body)], notes)
            print(f"(written to {os.path.relpath(path)})")


if __name__ == "__main__":
    main()
