"""Stage (a) of tools/gpu_check.sh: is the GPU the default device, and do the seed programs run on it?

    PYTHONPATH=$PWD python tools/gpu_smoke.py            # on the GPU machine
    PYTHONPATH=$PWD python tools/gpu_smoke.py --stand-in # anywhere: the CuPy stand-in as the GPU

Prints ``d2l.ones(2).device`` (TensorFlow's ``tf.ones(2).device``: with a
visible GPU it must name GPU:0), then runs the seed programs that tests/seeds
runs, as programs (not under pytest), with default placement: the TensorFlow 1
programs of seeds 002 and 003 (tests/seeds/test_seeds_graph.py) and seed 002's
MNIST MLP (tests/seeds/test_seed_mnist.py, one epoch on the bundled subset,
offline). For each it says whether it ran, how long it took, and where the
values it made live. Exits 1 when the default device is not GPU:0 or a
program failed (so the caller can tell), after running everything.
"""
import argparse
import contextlib
import io
import os
import sys
import tempfile
import textwrap
import time
import traceback
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests", "support")]


def seed_programs():
    """[(name, source, check)]: check(namespace, stdout) returns a short description or raises."""
    from tests.seeds import test_seed_mnist as mnist_seed
    from tests.seeds import test_seeds_graph as graph_seeds
    programs = []
    for name in sorted(n for n in vars(graph_seeds) if n.startswith("SEED_")):
        programs.append((name.lower(), textwrap.dedent(getattr(graph_seeds, name)),
                         lambda ns, out: f"{len(out.splitlines())} lines printed"))

    def mnist_check(ns, out):
        losses, model = ns["losses"], ns["model"]
        assert len(losses) == 8, f"{len(losses)} steps, expected 8 (4000 digits in batches of 512)"
        assert losses[-1] < losses[0], f"loss did not fall: {losses[0]:.4f} -> {losses[-1]:.4f}"
        where = sorted({v.device.rsplit("device:", 1)[-1] for v in model.trainable_variables})
        return f"loss {losses[0]:.4f} -> {losses[-1]:.4f}; variables on {', '.join(where)}"
    source = mnist_seed.d2l_program(mnist_seed.MSE_DEFINITIONS["loss object"], epochs=1)
    programs.append(("seed_002_mnist_mlp", source, mnist_check))
    return programs


def clean_tf1_state():
    import d2l_core.compat.v1 as tf1
    from d2l_core.compat.v1 import graph as graph_mod, session as session_mod
    for sess in list(session_mod._session_stack):
        sess.close()
    session_mod._session_stack.clear()
    graph_mod._graph_stack.stack.clear()
    tf1.reset_default_graph()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--stand-in", action="store_true", help="no GPU: use the CuPy stand-in")
    args = p.parse_args(argv)
    if args.stand_in:
        import fake_cupy
        fake_cupy.install_for_session()
    os.environ["D2L_OFFLINE"] = "1"                      # MNIST: the bundled subset, no network
    os.environ.setdefault("D2L_DATA_DIR", tempfile.mkdtemp(prefix="d2l-data-"))
    import d2l_core as d2l
    from d2l_core import backend
    problems = []
    device = d2l.ones(2).device
    print(f"d2l.ones(2).device = {device}")
    print(f"backend: gpu_count={backend.gpu_count()}, cupy="
          f"{'stand-in' if getattr(backend._cupy, '__fake__', False) else backend._cupy}")
    if not device.endswith("GPU:0"):
        problems.append(f"default device is {device}, not GPU:0")
        print("NOT ON THE GPU: default placement chose", device)
    try:
        programs = seed_programs()
    except Exception:
        traceback.print_exc()
        problems.append("could not load the seed programs from tests/seeds")
        programs = []
    for name, source, check in programs:
        out = io.StringIO()
        t0 = time.perf_counter()
        try:
            clean_tf1_state()
            ns = {"__name__": "__main__"}
            with contextlib.redirect_stdout(out), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, f"<{name}>", "exec"), ns)
            what = check(ns, out.getvalue())
            print(f"ok    {name:28s} {time.perf_counter() - t0:6.2f} s  {what}")
        except Exception as e:
            problems.append(f"{name}: {type(e).__name__}: {e}")
            print(f"FAIL  {name:28s} {time.perf_counter() - t0:6.2f} s  {type(e).__name__}: {e}")
            traceback.print_exc()
            tail = out.getvalue().splitlines()[-5:]
            if tail:
                print("      its last output:", *tail, sep="\n        ")
    clean_tf1_state()
    print(f"gpu_smoke: {len(programs)} seed programs, {len(problems)} problems")
    for problem in problems:
        print("  -", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
