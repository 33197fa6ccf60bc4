"""Rebuild and execute chapters 1 to 9: ``python notebooks/_build/build_all.py``."""
import importlib
import sys
from pathlib import Path

CHAPTERS = ["build_ch01", "build_ch02", "build_ch03", "build_ch04", "build_ch05",
            "build_ch06", "build_ch07", "build_ch08", "build_ch09"]


def main(names=None):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for name in names or CHAPTERS:
        module = importlib.import_module(name)
        module.main()


if __name__ == "__main__":
    main([f"build_ch{n.zfill(2)}" for n in sys.argv[1:]] or None)
