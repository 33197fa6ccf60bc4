"""A stand-in for ``tensorflow_datasets`` with local data (both engines).

Only what the measured notebooks call: ``load`` (``mnist``,
``penguins/simple``, ``penguins/processed``; splits such as ``'train[:20%]'``
or ``'train[10000:]'``; ``as_supervised``, ``batch_size``, ``with_info``),
``as_dataframe`` and ``__version__``. It builds ``tf.data.Dataset`` objects
with whichever ``tensorflow`` the process imports, so both engines get the
same elements.

MNIST is the course's bundled subset (4,000 training, 1,000 test digits);
absolute split indices written for 60,000 digits are scaled to the subset
(``train[10000:]`` is ``train[666:]``). The penguins are a synthetic stand-in
(``penguins.npz``, made by ``make_data.py``), not the Palmer Penguins data.
"""

import os
import re

import numpy as np

__version__ = "4.9.9+d2l-guides-stand-in"

_FULL_SIZES = {"mnist": {"train": 60000, "test": 10000}}


class _ClassLabel:
    def __init__(self, names):
        self.names = list(names)
        self.num_classes = len(self.names)

    def int2str(self, i):
        return self.names[int(i)]

    def __repr__(self):
        return f"ClassLabel(shape=(), dtype=int64, num_classes={self.num_classes})"


class _Features(dict):
    def __repr__(self):
        inner = ",\n".join(f"    '{k}': {v!r}" for k, v in self.items())
        return "FeaturesDict({\n" + inner + ",\n})"


class _Info:
    def __init__(self, name, features, splits, supervised_keys=None):
        self.name = name
        self.features = features
        self.splits = splits
        self.supervised_keys = supervised_keys

    def __repr__(self):
        return f"tfds.core.DatasetInfo(name='{self.name}', stand_in=True)"


def _data_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    import _guides_boot
    return _guides_boot.DATA_DIR or here


def _arrays(name):
    """{split: (features, label)} as NumPy, plus the info object."""
    d = np.load(os.path.join(_data_dir(), "mnist_subset.npz" if name == "mnist" else "penguins.npz"))
    if name == "mnist":
        splits = {s: (d[f"x_{s}"][..., None], d[f"y_{s}"].astype(np.int64)) for s in ("train", "test")}
        info = _Info("mnist", _Features(image="Image(shape=(28, 28, 1), dtype=uint8)",
                                        label=_ClassLabel([str(i) for i in range(10)])),
                     {s: len(v[1]) for s, v in splits.items()}, ("image", "label"))
        return splits, info
    species = _ClassLabel(["Adelie", "Chinstrap", "Gentoo"])
    if name == "penguins/processed":
        splits = {"train": (d["processed"].astype(np.float32), d["species"].astype(np.int64))}
        info = _Info("penguins", _Features(features="Tensor(shape=(4,), dtype=float32)", species=species),
                     {"train": len(d["species"])}, ("features", "species"))
        return splits, info
    if name == "penguins/simple":
        cols = {"body_mass_g": d["body_mass_g"].astype(np.float32),
                "culmen_depth_mm": d["culmen_depth_mm"].astype(np.float32),
                "culmen_length_mm": d["culmen_length_mm"].astype(np.float32),
                "flipper_length_mm": d["flipper_length_mm"].astype(np.float32),
                "island": d["island"].astype(np.int64),
                "sex": d["sex"].astype(np.int64)}
        splits = {"train": (cols, d["species"].astype(np.int64))}
        feats = _Features(body_mass_g="float32", culmen_depth_mm="float32",
                          culmen_length_mm="float32", flipper_length_mm="float32",
                          island=_ClassLabel(["Biscoe", "Dream", "Torgersen"]),
                          sex=_ClassLabel(["FEMALE", "MALE", "NA"]), species=species)
        info = _Info("penguins", feats, {"train": len(d["species"])}, ("features", "species"))
        return splits, info
    raise ValueError(f"tensorflow_datasets stand-in: no local data for {name!r}")


_SPLIT = re.compile(r"^(\w+)(?:\[(-?\d*)(%?):(-?\d*)(%?)\])?$")


def _select(name, n, split):
    m = _SPLIT.match(split.replace(" ", ""))
    if not m:
        raise ValueError(f"tensorflow_datasets stand-in: cannot read split {split!r}")
    base, lo, lo_pct, hi, hi_pct = m.groups()
    full = _FULL_SIZES.get(name, {}).get(base, n)

    def index(v, pct):
        if v in (None, ""):
            return None
        v = int(v)
        return round(v * n / 100) if pct else round(v * n / full)
    return base, slice(index(lo, lo_pct), index(hi, hi_pct))


def _take(value, sl):
    if isinstance(value, dict):
        return {k: v[sl] for k, v in value.items()}
    return value[sl]


def load(name, split=None, as_supervised=False, batch_size=None, with_info=False,
         shuffle_files=False, **kwargs):
    import tensorflow as tf
    splits, info = _arrays(name)
    keys = info.supervised_keys

    def one(s):
        base, sl = _select(name, len(splits[s.split("[")[0]][1]), s)
        x, y = splits[base]
        x, y = _take(x, sl), y[sl]
        if as_supervised:
            element = (x, y)
        elif isinstance(x, dict):
            element = dict(x, **{keys[1]: y})
        else:
            element = {keys[0]: x, keys[1]: y}
        if batch_size == -1:
            return tf.nest.map_structure(tf.convert_to_tensor, element)
        ds = tf.data.Dataset.from_tensor_slices(element)
        return ds.batch(batch_size) if batch_size else ds

    if split is None:
        out = {s: one(s) for s in splits}
    elif isinstance(split, (list, tuple)):
        out = [one(s) for s in split]
    else:
        out = one(split)
    return (out, info) if with_info else out


def as_dataframe(ds, ds_info=None):
    import pandas as pd
    rows = []
    for element in ds:
        if isinstance(element, tuple):
            element = dict(zip(("features", "label") if not ds_info else ds_info.supervised_keys, element))
        row = {}
        for k, v in element.items():
            v = np.asarray(v.numpy() if hasattr(v, "numpy") else v)
            feat = ds_info.features.get(k) if ds_info is not None else None
            if isinstance(feat, _ClassLabel) and v.ndim == 0:
                row[k] = f"{int(v)} ({feat.int2str(v)})"
            else:
                row[k] = v.tolist() if v.ndim else v.item()
        rows.append(row)
    return pd.DataFrame(rows)
