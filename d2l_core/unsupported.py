"""TensorFlow features d2l_core leaves out, each with a clear error instead of an AttributeError.

``d2l.saved_model``, ``d2l.distribute``, ``d2l.ragged``, ``d2l.sparse``,
``d2l.feature_column``, ``d2l.image`` and ``d2l.train`` exist, so code that
reaches for them learns at once what is missing and what to use instead:
any public name inside raises ``errors.NotSupportedError`` (a
``NotImplementedError``). ``dir()`` and private or dunder look-ups
(``hasattr(ns, '__wrapped__')``) behave as for any module.

>>> import d2l_core as d2l
>>> try:
...     d2l.saved_model.save(None, 'path')
... except NotImplementedError as e:
...     print(str(e).split(':')[0])
d2l_core does not provide tf.saved_model.save
"""
import difflib
import types

from .errors import NotSupportedError, UnknownNameError

# namespace: (the feature, in words; what to use instead)
FEATURES = {
    "saved_model": ("SavedModel export and loading",
                    "save a Keras model with model.save('my_model.keras') and load it with "
                    "tf.keras.models.load_model('my_model.keras'); keep weights only with "
                    "model.save_weights(path), or np.savez the values of module.variables"),
    "train": ("checkpoints (tf.train.Checkpoint and friends)",
              "keep weights with model.save_weights(path) / model.load_weights(path), or "
              "np.savez the values of module.variables and assign them back; optimizers are "
              "in d2l.keras.optimizers (TensorFlow 1's tf.train optimizers are in "
              "d2l_core.compat.v1.train)"),
    "distribute": ("distribution strategies",
                   "d2l_core runs on one device: choose it with `with d2l.device('/gpu:0'):`"),
    "ragged": ("ragged tensors",
               "pad the rows to one length and keep a mask or the lengths beside the tensor"),
    "sparse": ("sparse tensors",
               "use a dense tensor (zeros with the non-zero entries assigned)"),
    "feature_column": ("feature columns (deprecated in TensorFlow too)",
                       "preprocess the features with NumPy or Keras layers before training"),
    "image": ("image ops",
              "work on image.numpy() with NumPy, or with d2l ops such as reshape, transpose "
              "and reverse"),
}
# Top-level classes of those features: d2l.X -> the namespace that explains it.
CLASSES = {"RaggedTensor": "ragged", "RaggedTensorSpec": "ragged",
           "SparseTensorSpec": "sparse", "TensorArray": "TensorArray"}
# Classes with no namespace of their own: the class -> (the feature, in words; instead).
ALONE = {"TensorArray": ("TensorArrays",
                         ("in a loop on a tensor, write step i into a tensor of the final shape "
                          "(acc = d2l.tensor_scatter_nd_update(acc, [[i]], [value]) on acc = "
                          "d2l.zeros([n])), or, when n is a Python number, append to a Python "
                          "list in `for i in range(n):` (it unrolls) and d2l.stack the list"))}


def not_supported(name, namespace):
    """The error for ``tf.<name>``, part of the unsupported feature ``namespace``.

    >>> print(not_supported('sparse.to_dense', 'sparse'))
    d2l_core does not provide tf.sparse.to_dense: sparse tensors are not part of the \
TensorFlow subset this course teaches; instead, use a dense tensor (zeros with the non-zero \
entries assigned)
    """
    what, instead = FEATURES[namespace] if namespace in FEATURES else ALONE[namespace]
    return NotSupportedError(f"d2l_core does not provide tf.{name}: {what} are not part of the "
                             f"TensorFlow subset this course teaches; instead, {instead}")


class Unsupported(types.ModuleType):
    """A namespace (``d2l.sparse``, ...) whose every public name raises ``NotSupportedError``.

    >>> ns = Unsupported('ragged')
    >>> hasattr(ns, '__wrapped__'), 'ragged' in ns.__doc__
    (False, True)
    """

    def __init__(self, namespace):
        what, instead = FEATURES[namespace] if namespace in FEATURES else ALONE[namespace]
        super().__init__(f"d2l_core.{namespace}",
                         f"``tf.{namespace}`` ({what}) is not provided by d2l_core: {instead}.")
        self._feature = namespace

    def __getattr__(self, name):
        if name.startswith("_"):        # tools probe __wrapped__, _repr_html_, ...: plain answer
            raise AttributeError(f"module 'd2l_core.{self._feature}' has no attribute '{name}'")
        raise not_supported(f"{self._feature}.{name}", self._feature)

    def __call__(self, *args, **kwargs):
        raise not_supported(self._feature, self._feature)


def unknown_name(namespace, name, known):
    """The error for ``tf.<namespace>.<name>`` when d2l_core has no such name.

    An ``UnknownNameError`` (an AttributeError) saying what is missing, where to
    look, and the closest name ``known`` has, if one is close.

    >>> print(unknown_name('math', 'expp', ['exp', 'log']))
    d2l_core has no tf.math.expp: it is not part of the TensorFlow subset this course \
teaches; see README.md ("A short tour of d2l_core") or dir(d2l_core.math) for what it \
provides. Did you mean tf.math.exp?
    """
    prefix = f"{namespace}." if namespace else ""
    close = difflib.get_close_matches(name, [n for n in known if n[0] != "_"], 1, 0.75)
    return UnknownNameError(
        f"d2l_core has no tf.{prefix}{name}: it is not part of the TensorFlow subset this "
        "course teaches; see README.md (\"A short tour of d2l_core\") or "
        f"dir(d2l_core{'.' + namespace if namespace else ''}) for what it provides"
        + (f". Did you mean tf.{prefix}{close[0]}?" if close else ""))


def namespace_getattr(namespace, module_globals):
    """A module ``__getattr__`` for namespace ``namespace`` (``d2l.math``, ...): a missing
    public name raises :func:`unknown_name`'s error, not a bare AttributeError."""
    def __getattr__(name):
        if name.startswith("_"):        # __path__, __wrapped__: tools ask these
            raise AttributeError(f"module 'd2l_core.{namespace}' has no attribute '{name}'")
        raise unknown_name(namespace, name, module_globals)
    return __getattr__
