"""Run one notebook's cells in this process, as Jupyter would (child of run.py).

    python cell_runner.py --engine tf|d2l --cells CELLS.json --out OUT.jsonl
                          --data DATA_DIR [--perturb-seeds] [--timeout S]

Cells run in order in one namespace; a failing cell does not stop later ones.
For each cell one JSON line: stdout and stderr (captured at the file
descriptors, so C-level output is caught), ``display`` (the repr of a last
expression, unless the cell ends with ``;``), ``error`` ("Type: message") and
``traceback``, and the seconds it took. A cell running past ``--timeout``
is interrupted (``CellTimeout``).
"""

import argparse
import ast
import json
import os
import signal
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))


class CellTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CellTimeout("cell ran past the harness's time limit")


class _Capture:
    """Redirect fds 1 and 2 (and sys.stdout/err) to temporary files."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.files = [tempfile.TemporaryFile(mode="w+b") for _ in range(2)]
        self.saved = [os.dup(1), os.dup(2)]
        os.dup2(self.files[0].fileno(), 1)
        os.dup2(self.files[1].fileno(), 2)
        return self

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for fd in self.saved:
            os.close(fd)
        self.text = []
        for f in self.files:
            f.seek(0)
            self.text.append(f.read().decode("utf-8", "replace"))
            f.close()
        return False


def _run_cell(code, ns, filename):
    """Exec ``code`` in ``ns``; return the repr to display or None."""
    tree = ast.parse(code, filename)
    last = None
    shows = not code.rstrip().endswith(";")
    if tree.body and isinstance(tree.body[-1], ast.Expr) and shows:
        last = ast.Expression(tree.body.pop().value)
    exec(compile(tree, filename, "exec"), ns)
    if last is not None:
        value = eval(compile(last, filename, "eval"), ns)
        if value is not None:
            ns["_"] = value
            return repr(value)
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--engine", choices=("tf", "d2l"), required=True)
    p.add_argument("--cells", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--perturb-seeds", action="store_true")
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--preamble", default="")
    p.add_argument("--append-path", action="append", default=[],
                   help="folders searched after site-packages (pandas etc. for the d2l side)")
    args = p.parse_args()
    sys.path.extend(args.append_path)

    sys.path.insert(0, os.path.join(HERE, "shims"))
    with open(args.cells) as f:
        cells = json.load(f)
    ns = {"__name__": "__main__"}
    signal.signal(signal.SIGALRM, _alarm)
    with open(args.out, "w") as out:
        def emit(record):
            out.write(json.dumps(record) + "\n")
            out.flush()

        with _Capture() as cap:
            error = tb = None
            try:
                import _guides_boot
                _guides_boot.install(args.engine, args.data, args.perturb_seeds)
                if args.preamble:
                    exec(compile(args.preamble, "<preamble>", "exec"), ns)
            except BaseException as exc:  # recorded, not fatal
                error = f"{type(exc).__name__}: {exc}"
                tb = traceback.format_exc(limit=-8)
        emit({"index": "setup", "stdout": cap.text[0], "stderr": cap.text[1], "error": error, "traceback": tb})

        for cell in cells:
            error = tb = display = None
            start = time.perf_counter()
            with _Capture() as cap:
                signal.setitimer(signal.ITIMER_REAL, args.timeout)
                try:
                    display = _run_cell(cell["code"], ns, f"<cell {cell['index']}>")
                except BaseException as exc:  # noqa: BLE001 - a cell may raise anything
                    error = f"{type(exc).__name__}: {exc}"
                    tb = traceback.format_exc(limit=-8)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            try:
                import matplotlib.pyplot as plt
                plt.close("all")
            except Exception:
                pass
            emit({"index": cell["index"], "stdout": cap.text[0], "stderr": cap.text[1][-4000:],
                  "display": display[:20000] if display else display, "error": error,
                  "traceback": tb, "seconds": round(time.perf_counter() - start, 3)})


if __name__ == "__main__":
    main()
