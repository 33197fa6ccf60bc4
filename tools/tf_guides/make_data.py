"""Write the local data both engines read instead of downloading (run once).

    python tools/tf_guides/make_data.py DATA_DIR

- ``mnist_subset.npz``: the course's bundled MNIST subset (``data/``), for
  ``keras.datasets.mnist.load_data`` and ``tfds.load("mnist")``.
- ``wdbc.data``: the UCI Wisconsin diagnostic breast cancer table, rebuilt
  from the copy scikit-learn ships (``load_breast_cancer``: the same 569 rows
  and 30 features in the same order; the ``id`` column is synthetic). Needs
  scikit-learn (the TensorFlow environment has it).
- ``auto-mpg.data``: a synthetic stand-in for UCI Auto MPG (398 rows, the
  same columns and format, six missing horsepowers), fitted by hand to be
  plausible, not the real data.
- ``penguins.npz``: a synthetic stand-in for Palmer Penguins (334 birds,
  three species with separated means), for ``tfds.load("penguins/...")``.
"""

import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def make(data_dir):
    os.makedirs(data_dir, exist_ok=True)
    shutil.copy(os.path.join(REPO, "data", "mnist_subset.npz"), os.path.join(data_dir, "mnist_subset.npz"))

    from sklearn.datasets import load_breast_cancer
    bc = load_breast_cancer()
    with open(os.path.join(data_dir, "wdbc.data"), "w") as f:
        for i, (row, target) in enumerate(zip(bc.data, bc.target)):
            diagnosis = "B" if target == 1 else "M"  # sklearn: 0 malignant, 1 benign
            f.write(",".join([str(842302 + 7 * i), diagnosis] + [f"{v:g}" for v in row]) + "\n")

    rng = np.random.default_rng(2024)
    n = 398
    cylinders = rng.choice([4, 6, 8], size=n, p=[0.52, 0.21, 0.27])
    displacement = cylinders * rng.normal(36, 6, n) + rng.normal(0, 10, n)
    horsepower = 0.35 * displacement + rng.normal(40, 12, n)
    weight = 8.5 * displacement + rng.normal(1400, 200, n)
    acceleration = 24 - 0.03 * horsepower + rng.normal(0, 1.5, n)
    year = rng.integers(70, 83, n)
    origin = np.where(cylinders == 8, 1, rng.choice([1, 2, 3], size=n))
    mpg = 55 - 0.1 * horsepower - 0.004 * weight + 0.6 * (year - 70) + rng.normal(0, 2.5, n)
    missing = set(rng.choice(n, 6, replace=False).tolist())
    with open(os.path.join(data_dir, "auto-mpg.data"), "w") as f:
        for i in range(n):
            hp = "?" if i in missing else f"{horsepower[i]:.1f}"
            f.write(f"{mpg[i]:.1f}   {cylinders[i]}   {displacement[i]:.1f}      {hp}      "
                    f"{weight[i]:.1f}      {acceleration[i]:.1f}   {year[i]}  {origin[i]}\t\"car {i}\"\n")

    m = 334
    species = rng.integers(0, 3, m)
    means = np.array([[38.8, 18.3, 190.0, 3700.0], [48.8, 18.4, 196.0, 3730.0], [47.5, 15.0, 217.0, 5080.0]])
    raw = means[species] + rng.normal(0, 1, (m, 4)) * np.array([2.6, 1.2, 6.5, 450.0])
    processed = (raw - raw.min(0)) / (raw.max(0) - raw.min(0))
    # penguins/processed orders its features: culmen length, culmen depth, flipper length, body mass
    np.savez(os.path.join(data_dir, "penguins.npz"), species=species, processed=processed.astype(np.float32),
             culmen_length_mm=raw[:, 0], culmen_depth_mm=raw[:, 1], flipper_length_mm=raw[:, 2],
             body_mass_g=raw[:, 3], island=rng.integers(0, 3, m), sex=rng.integers(0, 2, m))


if __name__ == "__main__":
    make(sys.argv[1])
    print("wrote", sorted(os.listdir(sys.argv[1])))
