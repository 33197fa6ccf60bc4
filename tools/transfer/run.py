"""Run chapters under real TensorFlow and compare with their stored d2l_core outputs.

    python tools/transfer/run.py               # every chapter: one line each
    python tools/transfer/run.py 05 12         # some chapters
    python tools/transfer/run.py 05 --show     # and each failing cell in full
    python tools/transfer/run.py --no-cache 05 # run TensorFlow even if its outputs are cached

What it does and the cell tags: transfer.py's docstring. The test is
tests/course/test_transfer.py (./course test runs it).
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import transfer  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("chapters", nargs="*", help="chapter numbers or names (default: all)")
    p.add_argument("--show", action="store_true", help="print each failing cell")
    p.add_argument("--no-cache", action="store_true")
    args = p.parse_args(argv)
    paths = sorted(transfer.NOTEBOOKS.glob("*.ipynb"))
    if args.chapters:
        paths = [q for q in paths if any(q.stem.startswith(c.zfill(2)) or c in q.stem
                                         for c in args.chapters)]
    status = 0
    for path in paths:
        start = time.perf_counter()
        result = transfer.check_chapter(path, use_cache=not args.no_cache,
                                        log=lambda m: print(m, file=sys.stderr))
        print(f"{result.summary()} [{time.perf_counter() - start:.1f} s]")
        if result.failures:
            status = 1
            if args.show:
                print(result.report())
    return status


if __name__ == "__main__":
    sys.exit(main())
