"""Run TensorFlow's guide notebooks cell by cell on TensorFlow and on d2l_core.

    python tools/tf_guides/run.py                      # all notebooks, writes results.md
    python tools/tf_guides/run.py --notebook tensor    # some (name or substring)
    python tools/tf_guides/run.py --show-failures autodiff

See README.md beside this file for the set-up (sources, TensorFlow, data).
TensorFlow's results are cached per notebook (keyed by the cells and the
harness's files), so a re-run only runs d2l_core.
"""

import argparse
import collections
import concurrent.futures
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import notebooks  # noqa: E402

CACHE = os.environ.get("D2L_TF_GUIDES_CACHE", os.path.expanduser("~/.cache/d2l-course/tf-guides"))
TF_PYTHON = os.environ.get("D2L_TF_PYTHON", os.path.expanduser("~/.cache/d2l-course/tf-2.21/bin/python"))
AUX_PATH = os.environ.get("D2L_GUIDES_AUX", os.path.expanduser("~/.cache/d2l-course/aux-py311"))


def _default_d2l_python():
    for root in (REPO, _main_worktree()):
        if root and os.path.exists(os.path.join(root, ".venv", "bin", "python")):
            return os.path.join(root, ".venv", "bin", "python")
    return sys.executable


def _main_worktree():
    try:
        common = subprocess.run(["git", "-C", REPO, "rev-parse", "--git-common-dir"],
                                capture_output=True, text=True, check=True).stdout.strip()
        return os.path.dirname(os.path.abspath(os.path.join(REPO, common)))
    except (OSError, subprocess.CalledProcessError):
        return None


def _harness_hash():
    h = hashlib.sha256()
    for rel in ("cell_runner.py", "shims/_guides_boot.py", "shims/tensorflow_datasets/__init__.py",
                "make_data.py", "notebooks.py"):
        with open(os.path.join(HERE, rel), "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def _safe(name):
    return name.replace("/", "__")


def _read_jsonl(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                out[r["index"]] = r
    return out


class Notebook:
    def __init__(self, name, args):
        self.name = name
        repo, path, tf1 = notebooks.NOTEBOOKS[name]
        self.source = os.path.join(args.cache, "sources", repo, path)
        self.preamble = notebooks.TF1_PREAMBLE if tf1 else ""
        self.cells = notebooks.prepare(notebooks.read_cells(self.source))
        work = os.path.join(args.cache, "work")
        os.makedirs(work, exist_ok=True)
        self.cells_file = os.path.join(work, _safe(name) + ".cells.json")
        with open(self.cells_file, "w") as f:
            json.dump(self.cells, f)
        key = hashlib.sha256((json.dumps(self.cells) + self.preamble + args.harness_hash
                              + args.tf_python).encode()).hexdigest()[:12]
        res = os.path.join(args.cache, "results")
        os.makedirs(os.path.join(res, "tf"), exist_ok=True)
        os.makedirs(os.path.join(res, "d2l"), exist_ok=True)
        self.out = {
            "tf": os.path.join(res, "tf", f"{_safe(name)}.A.{key}.jsonl"),
            "tf_b": os.path.join(res, "tf", f"{_safe(name)}.B.{key}.jsonl"),
            "d2l": os.path.join(res, "d2l", f"{_safe(name)}.jsonl"),
        }

    def command(self, which, args):
        engine = "d2l" if which == "d2l" else "tf"
        python = args.d2l_python if engine == "d2l" else args.tf_python
        cmd = [python, os.path.join(HERE, "cell_runner.py"), "--engine", engine,
               "--cells", self.cells_file, "--out", self.out[which] + ".part",
               "--data", os.path.join(args.cache, "data"), "--timeout", str(args.timeout),
               "--preamble", self.preamble]
        if which == "tf_b":
            cmd.append("--perturb-seeds")
        if engine == "d2l" and os.path.isdir(args.aux_path):
            cmd += ["--append-path", args.aux_path]
        env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0",
                   D2L_OFFLINE="1", CUDA_VISIBLE_DEVICES="")
        env["PYTHONPATH"] = REPO if engine == "d2l" else ""
        if which == "tf_b":
            env["PYTHONHASHSEED"] = "1"
        return cmd, env

    def run(self, which, args):
        cmd, env = self.command(which, args)
        try:
            proc = subprocess.run(cmd, env=env, cwd=os.path.join(args.cache, "work"),
                                  capture_output=True, text=True, timeout=args.notebook_timeout)
            note = proc.stderr[-2000:] if proc.returncode else ""
        except subprocess.TimeoutExpired:
            note = "notebook ran past --notebook-timeout"
        os.replace(self.out[which] + ".part", self.out[which])
        if note:
            with open(self.out[which], "a") as f:
                f.write(json.dumps({"index": "died", "error": note}) + "\n")
        return self.name, which

    def results(self):
        return {k: _read_jsonl(v) for k, v in self.out.items()}


def _missing(r):
    return {"error": "ProcessDied: the runner stopped before this cell", "stdout": "", "display": None}


def evaluate(nb):
    """Per cell: counted, tf_ok, d2l_ok, deterministic, same, reason."""
    res = nb.results()
    rows = []
    for cell in nb.cells:
        i = cell["index"]
        tf, tf_b, d2l = (res[k].get(i) or _missing(None) for k in ("tf", "tf_b", "d2l"))
        row = {"cell": cell, "tf": tf, "tf_b": tf_b, "d2l": d2l, "counted": cell["excepted"] is None}
        row["tf_ok"] = row["counted"] and tf["error"] is None
        row["d2l_ok"] = row["tf_ok"] and d2l["error"] is None
        row["det"] = (row["tf_ok"] and tf_b["error"] is None
                      and compare.same(compare.shown(tf), compare.shown(tf_b)))
        row["shows"] = bool(compare.normalise(compare.shown(tf)))
        row["diff"] = (compare.first_difference(compare.shown(tf), compare.shown(d2l))
                       if row["det"] and row["d2l_ok"] else None)
        row["same"] = row["det"] and row["d2l_ok"] and row["diff"] is None
        row["reason"] = reason(row)
        rows.append(row)
    return rows, res


_MISSING_ATTR = re.compile(r"module '([\w.]+)' has no attribute '(\w+)'")
_OBJ_ATTR = re.compile(r"'(\w+)' object has no attribute '(\w+)'")


def reason(row):
    """A short, groupable reason why a counted cell that runs in TF fails
    (or prints differently) on d2l_core; None when it passes."""
    if not row["tf_ok"]:
        return None
    err = row["d2l"]["error"]
    if err:
        first = err.split("\n")[0]
        m = _MISSING_ATTR.search(first)
        if m:
            mod = m.group(1).replace("d2l_core", "tf")
            return f"missing {mod}.{m.group(2)}"
        m = _OBJ_ATTR.search(first)
        if m:
            return f"missing {m.group(1)}.{m.group(2)}"
        if first.startswith("NameError"):
            return "NameError: a name an earlier (failing) cell defines"
        if first.startswith(("ModuleNotFoundError", "ImportError")):
            return first[:120]
        first = re.sub(r"0x[0-9a-f]+", "0x?", first)
        return first[:110]
    if row["det"] and not row["same"]:
        d = row["diff"] or ""
        kind = "numbers" if d.startswith("number") else "text" if d.startswith("text") else "length/structure"
        return f"prints differently ({kind})"
    return None


def table(evaluated):
    lines = ["| notebook | cells counted | run in TF | run on d2l_core | % | deterministic | print the same | % | excepted (rule) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    tot = collections.Counter()
    for name, (rows, _) in evaluated.items():
        c = collections.Counter()
        exc = collections.Counter()
        for r in rows:
            c["counted"] += r["counted"]
            c["tf"] += r["tf_ok"]
            c["d2l"] += r["d2l_ok"]
            c["det"] += r["det"]
            c["same"] += r["same"]
            if r["cell"]["excepted"] and r["cell"]["excepted"] not in ("empty",):
                key = r["cell"]["excepted"]
                exc["uses excepted" if key.startswith("uses ") else key] += 1
        tot.update(c)
        lines.append(_row(name, c, ", ".join(f"{k} {v}" for k, v in sorted(exc.items())) or "-"))
    lines.append(_row("**all**", tot, ""))
    return "\n".join(lines), tot


def _pct(a, b):
    return f"{100 * a / b:.0f}" if b else "-"


def _row(name, c, exc):
    return (f"| {name} | {c['counted']} | {c['tf']} | {c['d2l']} | {_pct(c['d2l'], c['tf'])} | "
            f"{c['det']} | {c['same']} | {_pct(c['same'], c['det'])} | {exc} |")


def top_reasons(evaluated, n=25):
    counts = collections.Counter()
    where = collections.defaultdict(collections.Counter)
    for name, (rows, _) in evaluated.items():
        for r in rows:
            if r["reason"]:
                counts[r["reason"]] += 1
                where[r["reason"]][name] += 1
    out = ["| # | reason | cells | notebooks |", "|---:|---|---:|---|"]
    for k, (why, cnt) in enumerate(counts.most_common(n), 1):
        nbs = ", ".join(f"{nb} {c}" for nb, c in where[why].most_common(4))
        out.append(f"| {k} | `{why.replace('|', '/')}` | {cnt} | {nbs} |")
    return "\n".join(out), counts


def setup_notes(evaluated):
    notes = []
    for name, (_, res) in evaluated.items():
        for which in ("tf", "d2l"):
            s = res[which].get("setup")
            if s and s.get("error"):
                notes.append(f"- {name} ({which}): the set-up failed: `{s['error'][:150]}`")
            d = res[which].get("died")
            if d:
                notes.append(f"- {name} ({which}): the runner died: `{d['error'][-150:]}`")
    return notes


def show_failures(name, rows, res):
    bar = "=" * 78
    for r in rows:
        if not r["reason"]:
            continue
        i = r["cell"]["index"]
        print(bar)
        print(f"{name} cell {i}: {r['reason']}")
        print("--- source " + "-" * 67)
        print(r["cell"]["source"].rstrip())
        print("--- TensorFlow " + "-" * 63)
        print(compare.shown(r["tf"])[:3000].rstrip() or "(nothing shown)")
        print("--- d2l_core " + "-" * 65)
        if r["d2l"]["error"]:
            print((r["d2l"].get("traceback") or r["d2l"]["error"]).rstrip()[-3000:])
        else:
            print(compare.shown(r["d2l"])[:3000].rstrip() or "(nothing shown)")
            print(f"--- first difference: {r['diff']}")
    passed = sum(1 for r in rows if r["tf_ok"] and not r["reason"])
    print(bar)
    print(f"{name}: {sum(1 for r in rows if r['reason'])} failing cells, {passed} passing "
          f"(of {sum(r['tf_ok'] for r in rows)} that run in TF)")


def _d2l_commit():
    try:
        return subprocess.run(["git", "-C", REPO, "log", "-1", "--format=%h", "--", "d2l_core"],
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def write_results(path, evaluated, args):
    tab, tot = table(evaluated)
    reasons, counts = top_reasons(evaluated)
    tfv = subprocess.run([args.tf_python, "-c", "import importlib.metadata as m; print(m.version('tensorflow-cpu'))"],
                         capture_output=True, text=True).stdout.strip() or "?"
    text = f"""# d2l_core on TensorFlow's guide notebooks

Written by `python tools/tf_guides/run.py` on {datetime.date.today()} (d2l_core at
`{_d2l_commit()}`, TensorFlow {tfv} CPU as the reference, the notebooks from
tensorflow/docs and keras-team/keras-io). Every code cell runs in order, once
under TensorFlow and once with `import tensorflow` resolving to `d2l_core`.

- **run in TF**: counted cells (not excepted) that raise nothing under TensorFlow.
- **run on d2l_core**: of those, the cells that raise nothing on d2l_core.
- **deterministic**: of the cells that run in TF, those that show the same in a
  second TensorFlow run with every seed shifted by one (so seeded random
  values, timings and addresses do not count).
- **print the same**: of the deterministic cells, those where d2l_core shows
  the same (stdout and the last expression's repr; whitespace-insensitive,
  numbers within rtol {compare.RTOL:g}, atol {compare.ATOL:g}).
- Excepted by rule, still run but not counted: SavedModel, distribute, ragged
  and sparse cells, cells that use a name one of those defines, cells of
  `!`/`%` lines only.

{tab}

Overall: {tot['d2l']} of {tot['tf']} cells that run in TF run on d2l_core
({_pct(tot['d2l'], tot['tf'])}%); {tot['same']} of {tot['det']} deterministic cells
print the same ({_pct(tot['same'], tot['det'])}%).

## Top failure reasons

Cells that run in TF and fail on d2l_core (grouped by exception), or print
differently. A `NameError` usually follows an earlier failing cell.

{reasons}

## Data

No cell downloads anything. Both engines get the same local files
(`make_data.py`): MNIST is the course's bundled subset (4,000/1,000 digits)
for `keras.datasets.mnist.load_data` and `tfds.load("mnist")` (absolute split
indices scaled to it); `wdbc.data` is the UCI breast cancer table rebuilt from
scikit-learn's copy (ids synthetic); **auto-mpg and penguins are synthetic
stand-ins** with the real columns. `tensorflow_datasets` is a small stand-in
module (`shims/tensorflow_datasets`).
"""
    notes = setup_notes(evaluated)
    if notes:
        text += "\n## Notes from this run\n\n" + "\n".join(notes) + "\n"
    with open(path, "w") as f:
        f.write(text)
    return tab, reasons, tot


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--notebook", action="append", help="a notebook name or substring (repeatable)")
    p.add_argument("--show-failures", metavar="NAME", help="print each failing cell of one notebook")
    p.add_argument("--cache", default=CACHE, help="sources/, data/, results/ (default %(default)s)")
    p.add_argument("--tf-python", default=TF_PYTHON, help="python of the TensorFlow environment")
    p.add_argument("--d2l-python", default=None, help="python with d2l_core's dependencies")
    p.add_argument("--aux-path", default=AUX_PATH, help="pandas/seaborn/scikit-learn for the d2l side")
    p.add_argument("--timeout", type=float, default=600, help="seconds per cell")
    p.add_argument("--notebook-timeout", type=float, default=3600)
    p.add_argument("-j", "--jobs", type=int, default=1, help="notebook processes at once")
    p.add_argument("--rerun-tf", action="store_true", help="ignore TensorFlow's cached results")
    p.add_argument("--reuse-d2l", action="store_true", help="do not rerun d2l_core either")
    p.add_argument("--results", default=os.path.join(HERE, "results.md"))
    args = p.parse_args()
    args.d2l_python = args.d2l_python or _default_d2l_python()
    args.harness_hash = _harness_hash()

    names = list(notebooks.NOTEBOOKS)
    wanted = args.notebook or ([args.show_failures] if args.show_failures else None)
    if wanted:
        names = [n for n in names if any(w == n for w in wanted)] or \
                [n for n in names if any(w in n for w in wanted)]
        if not names:
            p.error(f"no notebook matches {wanted}; known: {', '.join(notebooks.NOTEBOOKS)}")
    if not os.path.exists(os.path.join(args.cache, "data", "penguins.npz")):
        subprocess.run([args.tf_python, os.path.join(HERE, "make_data.py"), os.path.join(args.cache, "data")],
                       check=True)

    nbs = {}
    for n in names:
        try:
            nbs[n] = Notebook(n, args)
        except FileNotFoundError as e:
            print(f"skip {n}: {e} (see README: fetch_sources.sh)", file=sys.stderr)
    jobs = []
    for nb in nbs.values():
        for which in ("tf", "tf_b"):
            if args.rerun_tf or not os.path.exists(nb.out[which]):
                jobs.append((nb, which))
        if not (args.reuse_d2l and os.path.exists(nb.out["d2l"])):
            jobs.append((nb, "d2l"))
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for fut in concurrent.futures.as_completed([pool.submit(nb.run, which, args) for nb, which in jobs]):
            print("ran %s (%s)" % fut.result(), file=sys.stderr)

    evaluated = {n: evaluate(nb) for n, nb in nbs.items()}
    if args.show_failures:
        for n in nbs:
            show_failures(n, *evaluated[n])
        return
    if args.notebook:
        tab, _ = table(evaluated)
        print(tab)
        print()
        print(top_reasons(evaluated)[0])
    else:
        tab, reasons, _ = write_results(args.results, evaluated, args)
        print(tab)
        print()
        print(reasons)
        print(f"\nwrote {args.results}")


if __name__ == "__main__":
    main()
