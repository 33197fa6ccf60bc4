"""Saving whole models: d2l_core's own ``.keras`` archive (``model.save``, ``keras.models.load_model``).

``model.save('mnist_cnn.keras')`` writes one zip file, as TensorFlow 2.21
does, but **its inside is d2l_core's own format**: TensorFlow cannot load it,
and d2l_core cannot load TensorFlow's ``.keras`` files (they hold HDF5
weights). The archive holds three members:

* ``metadata.json``: ``{"format": "d2l_core.keras", "format_version": 1,
  "d2l_core_version": ..., "date_saved": ...}``;
* ``config.json``: the architecture, ``{"class_name": "Sequential" or
  "Functional", "config": model.get_config()}``, plus ``"compile_config"``
  (optimizer class and settings, loss, metrics) when the model was compiled;
  every layer appears as ``{"class_name": "Conv2D", "config": {...}}`` with
  Keras's argument names;
* ``model.weights.npz``: every weight in the order of ``model.weights``, as
  ``np.savez`` arrays ``w0000``, ``w0001``, ... and their names in ``names``
  (exactly what ``model.save_weights('x.weights.npz')`` writes).

Loading rebuilds the model from the config, builds it, assigns the weights
and compiles it again, so ``evaluate`` gives the numbers it gave before
saving. (Optimizer slots, such as Adam's moments, are not saved: training
restarts them.)

TensorFlow's SavedModel directories (``model.save('folder')``,
``tf.saved_model.save``) are not supported: they store TensorFlow graphs.

>>> import os, tempfile
>>> import d2l_core as d2l
>>> model = d2l.keras.Sequential([d2l.keras.layers.Dense(2, input_shape=(3,))])
>>> model.compile('sgd', 'mse')
>>> path = os.path.join(tempfile.mkdtemp(), 'tiny.keras')
>>> model.save(path)
>>> sorted(read_archive(path)[0])
['class_name', 'compile_config', 'config']
"""
import datetime
import inspect
import io
import json
import os
import zipfile

import numpy as np

from .. import optimizers as _optimizers
from .._version import __version__
from ..tensor import array_of
from . import layers as _layers
from . import losses as _losses
from . import metrics as _metrics

__all__ = ["FORMAT", "json_ready", "serialize_layer", "deserialize_layer", "compile_config",
           "compile_args", "weights_npz", "write_archive", "read_archive", "assign_weights",
           "check_path"]

FORMAT = "d2l_core.keras"
FORMAT_VERSION = 1


# ==================================================================== paths

def check_path(op, filepath):
    """``filepath`` as a string ending in ``.keras``, or a clear error for other formats.

    >>> check_path('save', 'model.keras')
    'model.keras'
    """
    path = os.fspath(filepath)
    if path.endswith(".keras"):
        return path
    if path.endswith((".h5", ".hdf5")):
        raise NotImplementedError(
            f"{op}: HDF5 files (.h5) are not supported by d2l_core. Use a .keras path, e.g. "
            f"'{os.path.splitext(path)[0]}.keras' (d2l_core's own zip format)")
    raise ValueError(
        f"{op}: {path!r} has no .keras extension. TensorFlow's SavedModel format (a directory) "
        "is not supported by d2l_core; give a path ending in .keras, e.g. 'my_model.keras' "
        "(d2l_core's own zip format: config.json + weights.npz)")


# ==================================================================== layers to and from JSON

def json_ready(value):
    """Tuples as lists (JSON's way), recursively; other values unchanged.

    >>> json_ready({'k': (3, 3), 'n': np.int64(2)})
    {'k': [3, 3], 'n': 2}
    """
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def serialize_layer(layer):
    """``{"class_name": ..., "config": ...}`` for a layer, checked to be JSON.

    >>> serialize_layer(d2l.keras.layers.Dense(2, name='out'))['config']['units']
    2
    """
    config = json_ready(layer.get_config())
    try:
        json.dumps(config)
    except TypeError:
        bad = {k: type(v).__name__ for k, v in config.items()
               if not isinstance(v, (str, int, float, bool, list, dict, type(None)))}
        raise NotImplementedError(
            f"save: layer '{layer.name}' ({type(layer).__name__}) has settings that cannot be "
            f"written as JSON: {bad}. Custom functions (e.g. in a Lambda layer or as an "
            "activation) cannot be saved; save the weights with model.save_weights instead"
        ) from None
    return {"class_name": type(layer).__name__, "config": config}


def deserialize_layer(spec, custom_objects=None):
    """The layer ``serialize_layer`` described (classes from ``keras.layers`` or ``custom_objects``).

    >>> deserialize_layer({'class_name': 'Dense', 'config': {'units': 3}}).units
    3
    """
    name = spec["class_name"]
    cls = (custom_objects or {}).get(name) or getattr(_layers, name, None)
    if not (isinstance(cls, type) and issubclass(cls, _layers.Layer)):
        raise ValueError(f"load_model: unknown layer class {name!r}. If it is your own layer, "
                         f"pass it: load_model(path, custom_objects={{'{name}': {name}}})")
    config = dict(spec.get("config", {}))
    for key in ("kernel_size", "strides", "pool_size", "dilation_rate", "batch_input_shape",
                "target_shape"):
        if isinstance(config.get(key), list):
            config[key] = tuple(config[key])
    return cls.from_config(config)


# ==================================================================== compile settings

def _object_config(obj):
    """An optimizer's or loss's settings: its ``get_config`` plus its constructor's arguments
    found as attributes (so Adam keeps ``beta_1``, ``beta_2``, ``epsilon``)."""
    config = dict(obj.get_config())
    for p in inspect.signature(type(obj).__init__).parameters.values():
        if p.name not in config and p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self" \
                and isinstance(getattr(obj, p.name, None), (int, float, bool, str)):
            config[p.name] = getattr(obj, p.name)
    return json_ready(config)


def _serialize_loss(loss):
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, _losses.Loss) and type(loss) is not _losses.LossFunctionWrapper:
        return {"class_name": type(loss).__name__, "config": json_ready(loss.get_config())}
    name = _losses.serialize(loss)
    if _losses.get(name) is not loss and not isinstance(loss, _losses.Loss):
        raise NotImplementedError(f"save: the loss {loss!r} is a custom function; compile with "
                                  "a built-in loss, or save the weights with save_weights")
    return name


def _serialize_metric(metric):
    if isinstance(metric, str):
        return metric
    if isinstance(metric, _metrics.Metric) and hasattr(_metrics, type(metric).__name__):
        return {"class_name": type(metric).__name__, "config": json_ready(metric.get_config())}
    name = getattr(metric, "__name__", None)
    if name is not None:
        try:
            if _metrics.get(name) is metric:
                return name
        except ValueError:
            pass
    raise NotImplementedError(f"save: the metric {metric!r} is custom; compile with built-in "
                              "metrics ('accuracy', 'mae', ...) or save the weights only")


def compile_config(optimizer, loss, metrics):
    """The JSON form of ``compile(optimizer, loss, metrics)``.

    >>> compile_config(d2l.keras.optimizers.SGD(0.5), 'mse', ['mae'])['optimizer']['class_name']
    'SGD'
    """
    lr = getattr(optimizer, "learning_rate", None)
    if not isinstance(lr, (int, float)):
        raise NotImplementedError("save: an optimizer with a learning-rate schedule cannot be "
                                  "saved yet; save the weights with model.save_weights")
    return {"optimizer": {"class_name": type(optimizer).__name__,
                          "config": _object_config(optimizer)},
            "loss": _serialize_loss(loss),
            "metrics": [_serialize_metric(m) for m in metrics]}


def compile_args(config):
    """``compile`` keyword arguments from ``compile_config``'s dict (fresh objects).

    >>> args = compile_args(compile_config(d2l.keras.optimizers.SGD(0.5), 'mse', []))
    >>> args['optimizer'].learning_rate, args['loss']
    (0.5, 'mse')
    """
    loss = config.get("loss")
    if isinstance(loss, dict):
        loss = getattr(_losses, loss["class_name"]).from_config(loss["config"])
    metrics = [getattr(_metrics, m["class_name"])(**m["config"]) if isinstance(m, dict) else m
               for m in config.get("metrics", [])]
    return {"optimizer": _optimizers.get(config["optimizer"]), "loss": loss, "metrics": metrics}


# ==================================================================== the archive

def weights_npz(variables):
    """The bytes of an ``.npz`` with ``variables``' values (``w0000``, ...) and ``names``.

    >>> np.load(io.BytesIO(weights_npz([d2l.Variable([1.0, 2.0])])))['w0000']
    array([1., 2.], dtype=float32)
    """
    arrays = {f"w{i:04d}": v.numpy() for i, v in enumerate(variables)}
    arrays["names"] = np.array([v.name for v in variables])
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def write_archive(filepath, config, variables, overwrite=True):
    """Write the ``.keras`` zip: metadata.json, config.json and model.weights.npz.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'bare.keras')
    >>> write_archive(path, {'class_name': 'Sequential'}, [d2l.Variable([1.0])])
    >>> sorted(zipfile.ZipFile(path).namelist())
    ['config.json', 'metadata.json', 'model.weights.npz']
    """
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"save: {filepath} exists and overwrite=False")
    folder = os.path.dirname(filepath)
    if folder:
        os.makedirs(folder, exist_ok=True)
    metadata = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "d2l_core_version": __version__,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
                "note": "d2l_core's own format: TensorFlow cannot load this file"}
    with zipfile.ZipFile(filepath, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("metadata.json", json.dumps(metadata, indent=2))
        z.writestr("config.json", json.dumps(config, indent=2))
        z.writestr("model.weights.npz", weights_npz(variables))


def read_archive(filepath):
    """``(config, [weight arrays])`` from a ``.keras`` file that d2l_core wrote.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'bare.keras')
    >>> write_archive(path, {'class_name': 'Sequential'}, [d2l.Variable([1.0])])
    >>> read_archive(path)
    ({'class_name': 'Sequential'}, [array([1.], dtype=float32)])
    """
    filepath = check_path("load_model", filepath)
    if not os.path.exists(filepath):
        raise FileNotFoundError(f"load_model: no file at {filepath!r}")
    if not zipfile.is_zipfile(filepath):
        raise ValueError(f"load_model: {filepath!r} is not a .keras zip archive")
    with zipfile.ZipFile(filepath) as z:
        names = set(z.namelist())
        metadata = json.loads(z.read("metadata.json")) if "metadata.json" in names else {}
        if metadata.get("format") != FORMAT or "model.weights.npz" not in names:
            raise ValueError(
                f"load_model: {filepath!r} was not written by d2l_core (it has "
                f"{sorted(names)}); TensorFlow's .keras files hold HDF5 weights that d2l_core "
                "cannot read. Re-create the model in code and load weights saved by d2l_core")
        config = json.loads(z.read("config.json"))
        with np.load(io.BytesIO(z.read("model.weights.npz")), allow_pickle=False) as npz:
            arrays = [npz[k] for k in sorted(k for k in npz.files if k.startswith("w"))]
    return config, arrays


def assign_weights(model, arrays, filepath):
    """Assign the saved arrays to ``model.weights``, checking count and shapes.

    >>> dense = d2l.keras.layers.Dense(1, kernel_initializer='zeros')
    >>> dense.build((None, 1))
    >>> assign_weights(dense, [np.ones((1, 1)), np.ones(1)], 'demo'); dense.kernel.numpy()
    array([[1.]], dtype=float32)
    """
    variables = model.weights
    if len(arrays) != len(variables):
        raise ValueError(f"load_model: {filepath} holds {len(arrays)} weights but the rebuilt "
                         f"model has {len(variables)}; the file is damaged or from another "
                         "version")
    for v, a in zip(variables, arrays):
        if tuple(a.shape) != tuple(array_of(v).shape):
            raise ValueError(f"load_model: weight '{v.name}' has shape {v.shape} but the file's "
                             f"has shape {a.shape}")
        v.assign(a.astype(v.dtype.np, copy=False))
