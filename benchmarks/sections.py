"""One function per benchmark section: run it, return (title, markdown table, notes)."""
import time

import numpy as np

import _harness as h
import workloads as w


def _row(label, res, target=True, per=1):
    """One table row from {contestant: stats}; times divided by ``per`` (ops per call)."""
    d = res["d2l_core"]["median"] / per
    t = res["PyTorch"]["median"] / per if "PyTorch" in res else None
    n = res["NumPy"]["median"] / per
    spread = (res["d2l_core"]["q3"] - res["d2l_core"]["q1"]) / per
    verdict = "" if not target or t is None else ("yes" if d <= t else "**no**")
    return [label, f"{h.fmt_time(d)} ± {h.fmt_time(spread / 2)}",
            h.fmt_time(t) if t is not None else "n/a", h.fmt_time(n),
            f"{h.ratio(d, t):.2f}" if t is not None else "n/a", f"{h.ratio(d, n):.2f}", verdict]


HEADER = ["benchmark", "d2l_core (median ± IQR/2)", "PyTorch eager", "NumPy", "d2l / PyTorch",
          "d2l / NumPy", "d2l no slower than PyTorch?"]


def overhead(torch, quick=False):
    rows = []
    for expr in w.OVERHEAD_EXPRS:
        res = h.measure(w.make_overhead(torch, expr), repeats=5 if quick else 25,
                        inner=200 if quick else 5000)
        per = w.OPS_PER_EXPR.get(expr, 1)
        label = f"`{expr}`, per op" if per > 1 else f"`{expr}`"
        rows.append(_row(label, res, target=expr == "a*b+c", per=per))
        if per > 1:
            rows.append(_row(f"`{expr}`, whole expression", res, target=False))
    notes = """
Shape (8,) float32, so the arithmetic is negligible and the numbers are the
per-op cost of each library's Python-to-kernel path. `a*b+c` is two ops;
the target (issue 2) is d2l_core no slower than PyTorch eager per op. The
other rows are informative: a Python scalar operand (converted to a tensor
of the other operand's dtype), a unary op, a reduction, and an op reading a
Variable (no tape open).
"""
    return "Per-op overhead (issue 2)", h.markdown_table(HEADER, rows), notes


def autodiff(torch, quick=False):
    w.check_mlp(torch)
    w.check_linreg(torch)
    r = 3 if quick else 15
    plan = [
        ("50-op elementwise chain on (64,), forward + backward", w.make_chain, 50, 9),
        ("MLP 784-256-128-10 train step, batch 512, SGD", w.make_mlp_step, 5, 7),
        ("second derivative of x³ at 1,000 points (nested tapes)", w.make_second_derivative, 100, 9),
        ("linear regression, 1,000 full-batch steps (100 points)", w.make_linreg, 1, 5),
    ]
    rows = []
    for label, make, inner, repeats in plan:
        res = h.measure(make(torch), repeats=min(r, repeats) if quick else repeats,
                        inner=max(1, inner // 10) if quick else inner)
        rows.append(_row(label, res))
    notes = """
Each row is one unit of work: one forward + backward of the chain, one
training step (forward, backward, SGD update), one pair of nested
gradients, one whole 1,000-step fit. d2l_core uses `GradientTape` and
`keras.optimizers.SGD`; PyTorch uses autograd (`backward`, `autograd.grad`
with `create_graph=True`) and `torch.optim.SGD`; NumPy is the same
computation with gradients written by hand (the course's "from scratch"
versions), so it is the floor a tape can approach. Before timing, the
MLP losses of all three are checked equal over three steps and every
linear regression is checked to converge to w ≈ 1.477, b ≈ 0.089.
"""
    return "Autodiff and training steps (issue 3)", h.markdown_table(HEADER, rows), notes


def epoch(torch, quick=False):
    n = 6_000 if quick else w.EPOCH_N
    res = h.measure(w.make_epoch(torch, n=n), repeats=1 if quick else 7, inner=1, warmup=1)
    base = ["benchmark", "median", "IQR/2", "vs PyTorch", "vs NumPy"]
    rows = []
    t = res.get("PyTorch", {}).get("median")
    for name, stats in res.items():
        m = stats["median"]
        rows.append([f"{name}: one epoch", h.fmt_time(m), h.fmt_time((stats["q3"] - stats["q1"]) / 2),
                     f"{h.ratio(m, t):.2f}" if t else "n/a", f"{h.ratio(m, res['NumPy']['median']):.2f}"])
    steps = -(-n // w.EPOCH_BATCH)
    notes = f"""
{n:,} x 784 random float32 inputs with random labels 0..9, batches of
{w.EPOCH_BATCH} ({steps} steps, the last one partial), the 784-256-128-10 ReLU MLP,
sparse softmax cross-entropy, Adam (lr 1e-3, epsilon 1e-7). d2l_core runs a
plain loop: slice a batch, `GradientTape`, `tape.gradient`,
`Adam.apply_gradients`. "d2l_core Model.fit" (when present) is
`keras.Sequential(...).fit(x, y, batch_size=128, epochs=1, verbose=0)`.
PyTorch runs the same loop with autograd and `torch.optim.Adam`; NumPy with
hand-written gradients and Adam. Target (issue 5): d2l_core no slower than
PyTorch. The ratio columns divide each row's median by PyTorch's and NumPy's.
"""
    return "One MNIST-sized epoch (issue 5)", h.markdown_table(base, rows), notes


def matmul(torch, quick=False):
    import d2l_core as d2l
    rows = []
    for n in (256, 1024, 2048):
        rng = np.random.default_rng(0)
        an, bn = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
        a, b = d2l.constant(an), d2l.constant(bn)
        cases = {"d2l_core": lambda: d2l.matmul(a, b), "NumPy": lambda: an @ bn}
        if torch is not None:
            at, bt = torch.from_numpy(an), torch.from_numpy(bn)
            cases["PyTorch"] = lambda: at @ bt
        inner = max(1, int(2e9 / (2 * n ** 3)))
        # One block per contestant, with a pause between: after a call PyTorch's OpenMP
        # threads spin for a while and would take the cores of whoever is timed next
        # (interleaved, that put d2l_core at 0.6x NumPy for what is NumPy's own matmul).
        res = {}
        for name, fn in cases.items():
            time.sleep(0.5)
            res.update(h.measure({name: fn}, repeats=3 if quick else 9, inner=inner))
        gf = {k: 2 * n ** 3 / v["median"] / 1e9 for k, v in res.items()}
        rows.append([f"{n}x{n} @ {n}x{n}", f"{gf['d2l_core']:.0f}", f"{gf.get('PyTorch', float('nan')):.0f}",
                     f"{gf['NumPy']:.0f}", f"{gf['d2l_core'] / gf['NumPy']:.2f}"])
    header = ["float32 matmul", "d2l_core GFLOP/s", "PyTorch GFLOP/s", "NumPy GFLOP/s", "d2l / NumPy"]
    notes = """
d2l_core's matmul is NumPy's (OpenBLAS) plus the op's checks, so the two
match at these sizes; what changes the numbers is which OpenBLAS kernels
run (see "OpenBLAS core type in use" above and `--coretype`).
"""
    return "float32 matmul throughput (the BLAS underneath)", h.markdown_table(header, rows), notes


def function(torch, quick=False):
    """Issue 14: the autodiff workloads under d2l.function, beside eager, NumPy and PyTorch."""
    plan = [
        ("50-op chain, forward + backward", w.make_function_chain, 50, 9, 1.5),
        ("linear regression, 1,000 steps", w.make_function_linreg, 1, 5, 1.5),
        ("second derivative of x³ (nested tapes)", w.make_function_second_derivative, 100, 9, 1.5),
        ("MLP train step, batch 512, SGD", w.make_function_mlp_step, 5, 7, 1.0),
    ]
    rows = []
    for label, make, inner, repeats, target in plan:
        res = h.measure(make(torch), repeats=3 if quick else repeats,
                        inner=max(1, inner // 10) if quick else inner)
        e, f, n = (res[k]["median"] for k in ("d2l_core", "d2l.function", "NumPy"))
        t = res["PyTorch"]["median"] if "PyTorch" in res else None
        spread = (res["d2l.function"]["q3"] - res["d2l.function"]["q1"]) / 2
        rows.append([label, h.fmt_time(e), f"{h.fmt_time(f)} ± {h.fmt_time(spread)}",
                     h.fmt_time(n), h.fmt_time(t) if t is not None else "n/a",
                     f"{h.ratio(f, e):.2f}", f"{h.ratio(f, n):.2f}", f"≤ {target}",
                     "yes" if h.ratio(f, n) <= target else "**no**"])
    header = ["benchmark", "d2l_core eager", "d2l.function (median ± IQR/2)", "NumPy by hand",
              "PyTorch eager", "function / eager", "function / NumPy", "target", "met?"]
    notes = """
The same Python code eagerly and under `d2l.function` (traced once before
timing; the rows time the compiled plan). Targets (issue 14): the chain,
the linear regression and the nested second derivative within 1.5x of
NumPy by hand; the MLP step no slower than NumPy by hand.

What the plan does now: a `GradientTape` opened inside the traced function
records symbolically while tracing, and `tape.gradient` runs the eager
backward loop on that record, so each op's gradient rule adds nodes: the
forward and backward passes (nested tapes included) are one straight-line
graph with no tape at run time. A rule that needs its op's value-dependent
attrs (a gather's indices, a max pool's argmax) becomes one node that runs
the rule when the plan runs. Compiling folds constants (`ones_like` of a
known shape too), merges duplicates, drops `x * 1` and dead nodes, and
writes the plan twice: with the eager ops (what runs while a tape records
the call, a device scope is open or a GPU is visible), and with each op's
raw kernel from the registry (`op(kernel=...)`) called on arrays, checked
once against the op while compiling. The second derivative of x³ becomes
four additions; the chain's backward pass is the hand-written one's ops.

What is left: the training steps call `optimizer.apply_gradients`, an
opaque stateful step that runs as eager Python on every call: in the
linear regression the rest of the plan takes about 6 µs a step (less than
NumPy's whole step) and `apply_gradients` about 7 µs. In the MLP step the
forward and backward passes match NumPy's time; the rest is
`apply_gradients` (about 0.1 ms at batch 1) and SGD making one new array
per variable where NumPy updates in place. 25 ops have raw kernels (the
elementwise arithmetic and functions, matmul, sums and means, reshape,
broadcast_to, softmax, the sparse cross-entropy, one_hot); the others run
eagerly inside the plan. Gradient rules that need the values of their
inputs while tracing (conv2d, decompositions, `reduce_logsumexp`) and
unknown shapes fall back to a real tape when the plan runs; GPUs run the
eager plan. Tracing does more work than before (each recorded op runs once
more on stand-ins, each kernel is checked once against its op): the MLP
step traces in about 80 ms.
"""
    return "d2l.function against eager and NumPy (issue 14)", h.markdown_table(header, rows), notes
