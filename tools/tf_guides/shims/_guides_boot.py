"""Set up one engine's process before a notebook's cells run (both engines).

- ``engine="d2l"``: ``import tensorflow`` (and ``tensorflow.X``) resolves to
  ``d2l_core`` (``d2l_core.X``), ``import keras`` to ``d2l_core.keras``.
- Both engines: data that the notebooks download comes from local files
  (``data_dir``): Keras's MNIST loader returns the course's bundled subset,
  ``pandas.read_csv(url)`` reads a local file of the URL's name,
  ``keras.utils.get_file`` returns a local path, and ``tensorflow_datasets``
  is the small stand-in module beside this file.
- ``perturb_seeds``: every seed the notebook sets is shifted by one (global,
  op-level, stateless, NumPy, Python), so that a second TensorFlow run tells
  the cells whose output depends on random numbers from the deterministic ones.
"""

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types

DATA_DIR = None


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Import ``src[.sub]`` as ``dst[.sub]`` (the same module objects)."""

    def __init__(self, mapping):
        self.mapping = mapping

    def _target(self, fullname):
        for src, dst in self.mapping.items():
            if fullname == src or fullname.startswith(src + "."):
                return dst + fullname[len(src):]
        return None

    def find_spec(self, fullname, path=None, target=None):
        if self._target(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        target = self._target(spec.name)
        try:
            return importlib.import_module(target)
        except ModuleNotFoundError:
            # A namespace that is an attribute, not a submodule
            # (``from tensorflow.keras import layers`` works either way).
            parent, _, attr = target.rpartition(".")
            obj = getattr(importlib.import_module(parent), attr, None) if parent else None
            if isinstance(obj, types.ModuleType) or (obj is not None and not callable(obj)):
                return obj
            raise

    def exec_module(self, module):
        pass


def _mnist_arrays():
    import numpy as np
    d = np.load(os.path.join(DATA_DIR, "mnist_subset.npz"))
    return (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])


def _local_path(url_or_name):
    name = os.path.basename(str(url_or_name).split("?")[0])
    path = os.path.join(DATA_DIR, name)
    if not os.path.exists(path):
        raise OSError(f"harness: no local stand-in for {url_or_name!r} (looked for {path})")
    return path


def _patch_data(tf):
    keras = getattr(tf, "keras", None)
    mnist = getattr(getattr(keras, "datasets", None), "mnist", None)
    if mnist is not None:
        mnist.load_data = lambda path="mnist.npz": _mnist_arrays()
    utils = getattr(keras, "utils", None)
    if utils is not None:
        def get_file(fname=None, origin=None, *args, **kwargs):
            return _local_path(origin or fname)
        utils.get_file = get_file
    try:
        import pandas as pd
    except ImportError:
        return
    real = pd.read_csv

    def read_csv(path, *args, **kwargs):
        if isinstance(path, str) and path.startswith(("http://", "https://")):
            path = _local_path(path)
        return real(path, *args, **kwargs)
    pd.read_csv = read_csv


def _shift(seed):
    if seed is None:
        return None
    if isinstance(seed, int):
        return seed + 1
    if isinstance(seed, (tuple, list)):
        return type(seed)(s + 1 for s in seed)
    return seed + 1


def _perturb_seeds(tf):
    import functools
    import random
    import numpy as np

    def wrap(owner, name, pos=None):
        fn = getattr(owner, name, None)
        if fn is None:
            return

        @functools.wraps(fn)
        def shifted(*args, **kwargs):
            if "seed" in kwargs:
                kwargs["seed"] = _shift(kwargs["seed"])
            elif pos is not None and len(args) > pos:
                args = list(args)
                args[pos] = _shift(args[pos])
            return fn(*args, **kwargs)
        setattr(owner, name, shifted)

    wrap(tf.random, "set_seed", 0)
    wrap(tf.keras.utils, "set_random_seed", 0)
    wrap(np.random, "seed", 0)
    wrap(np.random, "default_rng", 0)
    wrap(random, "seed", 0)
    for name in dir(tf.random):
        if name.startswith(("stateless_", "uniform", "normal", "truncated_normal",
                            "shuffle", "categorical", "gamma", "poisson")):
            wrap(tf.random, name)
    gen = tf.random.Generator
    real = gen.from_seed
    gen.from_seed = classmethod(lambda cls, seed, alg=None: real(_shift(seed), alg))


def install(engine, data_dir, perturb_seeds=False):
    global DATA_DIR
    DATA_DIR = data_dir
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    if engine == "d2l":
        sys.meta_path.insert(0, _Alias({"tensorflow": "d2l_core", "keras": "d2l_core.keras"}))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.show = lambda *a, **k: None
    try:
        import tensorflow as tf
    except Exception as exc:  # the harness reports it; cells will fail too
        print(f"harness: import tensorflow failed: {exc!r}", file=sys.stderr)
        return
    _patch_data(tf)
    if perturb_seeds:
        _perturb_seeds(tf)
