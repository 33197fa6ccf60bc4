"""Kernel launches and host syncs per MLP train step, counted on the CPU (issue 17).

    .venv/bin/python benchmarks/launches.py            # prints and writes results/launches.md
    .venv/bin/python benchmarks/launches.py --no-record --log   # print only, with d2l's launch log

A small MLP step on a GPU is launch-bound (see /work/shared/STACK.md: ~20
kernels and ~0.9 ms for CuPy by hand): what it costs is the number of kernels
it launches and the number of times the host waits for the device. Both can be
counted without a GPU:

* d2l_core: the 784-256-128-10 ReLU MLP of ``workloads.D2lMLP`` (GradientTape,
  sparse softmax cross-entropy, a Keras optimizer) runs on the CuPy stand-in
  (``tests/support/fake_cupy.py``) as the default device, and
  ``fake_cupy.counting()`` counts what a real GPU would pay for: one launch per
  ufunc / NumPy function / method whose result is new data (views are free), one
  sync per ``get()``, ``float()``, ``int()``, ``bool()``, ``item()``, and one
  upload per host-to-device copy (CuPy stages it through pinned memory and
  copies asynchronously: a transfer, not a wait for the queue).
* CuPy by hand: ``workloads.NumpyMLP`` (gradients written out, the course's
  "from scratch" MLP) with CuPy as its array module, counted the same way: the
  floor for a step written op by op without fusing;
* PyTorch: the same step (``workloads.TorchMLP``) on the CPU under
  ``torch.profiler``; its kernels are counted by the rule of :func:`torch_kernels`
  (leaf aten ops that do work; a ``_foreach_*`` / ``_fused_*`` op is one kernel).
  On CUDA, PyTorch launches about one kernel per such op, so this is an estimate
  of its CUDA launch count; ``benchmarks/gpu.py`` (section ``launches``) measures
  both libraries' real CUDA kernels on a GPU.

The step is split where the code splits it: forward (the loss under the tape),
backward (``tape.gradient`` / ``loss.backward()``) and optimizer
(``apply_gradients`` / ``opt.step()``). Counts are for one step after three
warm-up steps (Adam's slots exist by then), batch 512. The numbers change as
d2l_core changes: re-run this script to re-record them.
"""
import argparse
import collections
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

import numpy as np  # noqa: E402

import _harness as h  # noqa: E402

PHASES = ("forward", "backward", "optimizer")
BATCH = 512
WARMUP = 3

# ------------------------------------------------------------------ d2l_core on the stand-in


def d2l_optimizers():
    import d2l_core as d2l
    return {"SGD": lambda: d2l.keras.optimizers.SGD(0.1),
            "Adam": lambda: d2l.keras.optimizers.Adam(1e-3)}


def d2l_counts(opt_name, batch=BATCH):
    """{phase: fake_cupy.Counts} for one MLP step of d2l_core on the stand-in GPU, plus 'step'."""
    import d2l_core as d2l
    import fake_cupy
    import workloads as w
    model = w.D2lMLP(w.mlp_init(), d2l_optimizers()[opt_name]())
    xn, yn = w.mlp_data(batch)
    x, y = d2l.constant(xn), d2l.constant(yn)
    assert "GPU" in x.device and all("GPU" in p.device for p in model.params), x.device
    for _ in range(WARMUP):
        model.step(x, y)
    out = {}
    with fake_cupy.counting() as out["forward"]:
        with d2l.GradientTape() as tape:
            loss = model.loss(x, y)
    with fake_cupy.counting() as out["backward"]:
        grads = tape.gradient(loss, model.params)
    with fake_cupy.counting() as out["optimizer"]:
        model.opt.apply_gradients(zip(grads, model.params, strict=True))
    with fake_cupy.counting() as out["step"]:        # the whole step in one go, as a check
        model.step(x, y)
    return out


def by_hand_counts(opt_name, batch=BATCH):
    """fake_cupy.Counts for one step of the MLP written by hand with CuPy (workloads.NumpyMLP)."""
    import fake_cupy
    import workloads as w
    cp = fake_cupy.module
    update = {"SGD": lambda: w.numpy_sgd(0.1), "Adam": lambda: w.numpy_adam(1e-3)}[opt_name]()
    model = w.NumpyMLP(w.mlp_init(), update, xp=cp)
    xn, yn = w.mlp_data(batch)
    x, y = cp.asarray(xn), cp.asarray(yn)
    for _ in range(WARMUP):
        model.step(x, y)
    with fake_cupy.counting() as c:
        model.step(x, y)
    return c


def use_stand_in():
    """Make the CuPy stand-in d2l_core's default GPU for this process (as D2L_STAND_IN_GPU=1)."""
    import fake_cupy
    from d2l_core import backend
    if backend.gpu_count() > 0:
        raise SystemExit("a real GPU is visible: these counts are for the stand-in; "
                         "run benchmarks/gpu.py --only launches on the GPU instead")
    fake_cupy.install_for_session()
    import d2l_core as d2l
    assert "GPU" in d2l.ones(2).device


# ------------------------------------------------------------------ PyTorch under torch.profiler

# Ops that launch no kernel: views, metadata, allocation without initialisation,
# reading a host scalar (Adam's step count lives on the host unless capturable).
NO_WORK = {
    "aten::view", "aten::_unsafe_view", "aten::view_as", "aten::t", "aten::transpose",
    "aten::permute", "aten::expand", "aten::expand_as", "aten::as_strided", "aten::alias",
    "aten::reshape", "aten::_reshape_alias", "aten::unsqueeze", "aten::squeeze",
    "aten::select", "aten::slice", "aten::narrow", "aten::unbind", "aten::split",
    "aten::chunk", "aten::diagonal", "aten::numpy_T", "aten::mT", "aten::resolve_conj",
    "aten::resolve_neg", "aten::empty", "aten::empty_like", "aten::empty_strided",
    "aten::new_empty", "aten::new_empty_strided", "aten::detach", "aten::detach_",
    "aten::lift_fresh", "aten::to", "aten::contiguous", "aten::item",
    "aten::_local_scalar_dense", "aten::result_type", "aten::size", "aten::stride",
    "aten::set_", "aten::_has_compatible_shallow_copy_type",
}
# Ops that launch their own kernel besides those of the ops they call
# (nll_loss_backward zeroes its output with aten::zero_, then scatters into it).
OWN_WORK = {"aten::nll_loss_backward", "aten::nll_loss2d_backward"}


def _is_multi_tensor(name):
    return name.startswith("aten::_foreach_") or name.startswith("aten::_fused_")


def torch_kernels(events):
    """(kernel estimate, {op: count}) for torch.profiler CPU events.

    The rule: among ``aten::`` events, a ``_foreach_*`` or ``_fused_*`` op counts as
    one kernel and nothing below it counts (on CUDA it is one multi-tensor launch;
    on the CPU it loops over the tensors); ops in NO_WORK never count (views, metadata, empty
    allocations, host scalar reads); otherwise an op counts when no op inside it does
    work (a leaf, or only views inside, as ``mm`` calling ``resolve_conj``); ops in
    OWN_WORK count as well as their children.
    """
    counts = collections.Counter()

    def under_multi_tensor(e):
        p = e.cpu_parent
        while p is not None:
            if _is_multi_tensor(p.name):
                return True
            p = p.cpu_parent
        return False

    def has_work(e):          # e or an aten:: op inside it launches a kernel
        if not e.name.startswith("aten::"):
            return False
        return e.name not in NO_WORK or any(has_work(c) for c in e.cpu_children)

    for e in events:
        name = e.name
        if not name.startswith("aten::") or under_multi_tensor(e):
            continue
        if _is_multi_tensor(name) or name in OWN_WORK:
            counts[name] += 1
            continue
        if name in NO_WORK or any(has_work(c) for c in e.cpu_children):
            continue
        counts[name] += 1
    return sum(counts.values()), counts


def torch_variants(torch):
    """{label: (optimizer name, factory)}; fused ones only where this PyTorch has them on the CPU."""
    out = {
        "SGD foreach": ("SGD", lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=True)),
        "SGD fused": ("SGD", lambda ps: torch.optim.SGD(ps, lr=0.1, fused=True)),
        "Adam foreach": ("Adam", lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7, foreach=True)),
        "Adam fused": ("Adam", lambda ps: torch.optim.Adam(ps, lr=1e-3, eps=1e-7, fused=True)),
    }
    usable = {}
    for label, (opt, make) in out.items():
        try:
            p = torch.zeros(2, requires_grad=True)
            p.grad = torch.ones(2)
            make([p]).step()
        except (RuntimeError, ValueError, TypeError) as e:
            print(f"  ({label}: not available on the CPU here: {e})")
            continue
        usable[label] = (opt, make)
    return usable


def torch_counts(torch, make_opt, batch=BATCH):
    """{phase: (kernels, Counter)} for one PyTorch MLP step on the CPU."""
    from torch.profiler import ProfilerActivity, profile
    import workloads as w
    model = w.TorchMLP(torch, w.mlp_init(), make_opt)
    xn, yn = w.mlp_data(batch)
    x, y = torch.from_numpy(xn), torch.from_numpy(yn.astype(np.int64))
    for _ in range(WARMUP):
        model.step(x, y)
    out = {}
    model.opt.zero_grad(set_to_none=True)     # no kernels with set_to_none
    with profile(activities=[ProfilerActivity.CPU]) as p:
        loss = model.loss(x, y)
    out["forward"] = torch_kernels(p.events())
    with profile(activities=[ProfilerActivity.CPU]) as p:
        loss.backward()
    out["backward"] = torch_kernels(p.events())
    with profile(activities=[ProfilerActivity.CPU]) as p:
        model.opt.step()
    out["optimizer"] = torch_kernels(p.events())
    return out


# ------------------------------------------------------------------ report

def _log_summary(log):
    """'matmul×3, add×3, ...' in first-seen order."""
    c = collections.Counter(log)
    seen = list(dict.fromkeys(log))
    return ", ".join(f"{n}×{c[n]}" if c[n] > 1 else n for n in seen) or "-"


def run(show_log=False):
    use_stand_in()
    torch = h.load_torch(1)
    variants = torch_variants(torch) if torch is not None else {}
    sections, info_extra = [], {}
    for opt in ("SGD", "Adam"):
        d = d2l_counts(opt)
        total = {k: sum(d[p].__dict__[k] for p in PHASES) for k in ("launches", "syncs", "uploads")}
        if (total["launches"], total["syncs"]) != (d["step"].launches, d["step"].syncs):
            info_extra[f"{opt}: phases vs whole step"] = (
                f"{total} vs {d['step']!r} (the split changes the counts)")
        tv = {label: torch_counts(torch, make) for label, (o, make) in variants.items() if o == opt}
        hand = by_hand_counts(opt)
        header = ["phase", "d2l_core launches", "d2l_core host syncs / uploads"] + \
                 [f"PyTorch {label} kernels" for label in tv] + ["CuPy by hand launches / syncs"]
        rows = []
        for phase in PHASES:
            rows.append([phase, d[phase].launches, f"{d[phase].syncs} / {d[phase].uploads}"] +
                        [tv[v][phase][0] for v in tv] + [""])
        rows.append(["**step**", f"**{total['launches']}**",
                     f"**{total['syncs']} / {total['uploads']}**"] +
                    [f"**{sum(tv[v][p][0] for p in PHASES)}**" for v in tv] +
                    [f"**{hand.launches} / {hand.syncs}**"])
        body = h.markdown_table(header, rows)
        body += f"\n\nCuPy by hand (workloads.NumpyMLP, the whole step): {_log_summary(hand.launch_log)}"
        if hand.sync_log:
            body += f"; syncs: {_log_summary(hand.sync_log)}"
        detail = [[phase, _log_summary(d[phase].launch_log), _log_summary(d[phase].sync_log),
                   _log_summary(d[phase].upload_log)] for phase in PHASES]
        body += "\n\nd2l_core, what launches, syncs and uploads:\n\n" + h.markdown_table(
            ["phase", "launches (op×count)", "syncs", "uploads"], detail)
        if tv:
            tdetail = [[label, phase, ", ".join(f"{k.removeprefix('aten::')}×{n}" if n > 1 else
                                                k.removeprefix("aten::")
                                                for k, n in tv[label][phase][1].items())]
                       for label in tv for phase in PHASES]
            body += "\n\nPyTorch, the ops counted:\n\n" + h.markdown_table(
                ["PyTorch", "phase", "ops counted (op×count)"], tdetail)
        title = f"MLP train step, {opt}, batch {BATCH}"
        print(f"\n== {title}\n\n{body}\n")
        if show_log:
            for phase in PHASES:
                print(phase, "launch log:", d[phase].launch_log)
                print(phase, "sync log:", d[phase].sync_log)
        sections.append((title, body))
    info = h.machine_info(torch)
    info["counted on"] = ("d2l_core: tests/support/fake_cupy.py stand-in GPU (default device); "
                          "PyTorch: CPU, torch.profiler")
    # counts, not timings: the "machine was busy" warning of write_results does not apply
    info["clock"] = "none: these are counts, which no load on the process changes"
    info.update(info_extra)
    return info, sections


NOTES = """
Re-run with `python benchmarks/launches.py` after changing d2l_core; the
numbers above are those of the commit in the table.

**d2l_core** counts come from `fake_cupy.counting()` (tests/support/fake_cupy.py):
one launch per ufunc, NumPy function or array method whose result is new data
(views and metadata are free, as on CuPy), one host sync per `get()`,
`float()`/`int()`/`bool()`/`item()` on a device array, one upload per host-to-device copy.
A fused `ElementwiseKernel` counts as one launch. The stand-in cannot see kernels
that CuPy itself launches inside one call (a reduction that CuPy splits in two, a
cuBLAS gemm that needs a workspace memset): the real count on a GPU can be a little
higher; `benchmarks/gpu.py --only launches` measures it there.

**PyTorch** counts are from `torch.profiler` on the CPU, by this rule: among `aten::`
events, a `_foreach_*` or `_fused_*` op is one kernel (on CUDA it is one
multi-tensor-apply launch; on the CPU it loops over the tensors, and those inner ops
are not counted); other ops count when they do work and no op inside them does
(leaves, or ops with only views inside, as `mm` calling `resolve_conj`). Ops that do no work: views and metadata (`view`, `t`, `transpose`, `expand`, `as_strided`,
`reshape`, `unsqueeze`, `squeeze`, `select`, `slice`, `resolve_conj`, ...), `empty*`
allocations, `detach`, `to` without a copy, and host scalar reads (`item`,
`_local_scalar_dense`: Adam's step count stays on the host on CUDA too) are not
counted; `nll_loss_backward` counts beside the `zero_` it calls. Known differences
from CUDA: CPU `sum` over a batch calls `fill_` then reduces (counted once, as on
CUDA); Adam's step-count increment (`_foreach_add_` on host tensors) is counted
though on CUDA it runs on the host (so Adam foreach is over by one); the CPU may pick
different kernels from cuBLAS (`addmm` vs `mm` + `add`). `zero_grad(set_to_none=True)`
launches nothing. PyTorch makes no host syncs in any of these steps.
"""


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--no-record", action="store_true", help="print only; do not write results/launches.md")
    p.add_argument("--log", action="store_true", help="also print d2l_core's full launch and sync logs")
    args = p.parse_args(argv)
    info, sections = run(show_log=args.log)
    if not args.no_record:
        path = h.write_results("launches", "Kernel launches and host syncs per MLP train step "
                               "(issue 17, counted on the CPU)", info, sections, NOTES)
        print(f"(written to {os.path.relpath(path)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
