"""``d2l.data``: input pipelines with ``tf.data``'s names (``Dataset``, ``TensorSpec``, ``AUTOTUNE``).

A :class:`Dataset` is a recipe: each method returns a new dataset, and nothing
is computed until you iterate. Elements keep their structure: a tuple stays a
tuple and a dict stays a dict, with Tensors as leaves.

>>> import d2l_core as d2l
>>> ds = d2l.data.Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [0, 1, 0, 1, 0]))
>>> for x, y in ds.batch(2):
...     print(x.numpy(), y.numpy())
[1 2] [0 1]
[3 4] [0 1]
[5] [0]

Batching a dataset made by ``from_tensor_slices`` (after any ``shuffle``,
``take``, ``skip``, ``repeat`` or ``cache``) slices the underlying arrays, one
copy per batch, rather than stacking elements one by one.
"""
import builtins
import itertools
import numbers

import numpy as np

from . import backend, dtypes, nest, stand_in
from .errors import InvalidArgumentError
from .ops import random as _random
from .tensor import Tensor, Variable, array_of, convert_to_tensor
from .tensor import wrap as _wrap
from .tensor_shape import TensorShape

__all__ = ["Dataset", "TensorSpec", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY",
           "experimental"]

AUTOTUNE = -1                 #: ``tf.data.AUTOTUNE``: let the runtime pick (a no-op here)
INFINITE_CARDINALITY = -1     #: what ``cardinality()`` says for an endless dataset
UNKNOWN_CARDINALITY = -2      #: what ``cardinality()`` says when it cannot know (after ``filter``)

_BLOCK = 1024                 # indices per block on the fast (index) path


# ==================================================================== TensorSpec

class TensorSpec:
    """The shape and dtype of a tensor, without its values (``tf.TensorSpec``).

    Shapes may have ``None`` dimensions: ``element_spec`` after ``batch()``
    says ``None`` for the batch dimension, since the last batch may be smaller.

    >>> d2l.data.TensorSpec(shape=(None, 784), dtype=d2l.float32)
    TensorSpec(shape=(None, 784), dtype=tf.float32, name=None)
    >>> d2l.data.TensorSpec((None, 2)).is_compatible_with(d2l.zeros((5, 2)))
    True
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of a tensor (its full shape and dtype).

        >>> d2l.data.TensorSpec.from_tensor(d2l.constant([1, 2]))
        TensorSpec(shape=(2,), dtype=tf.int32, name=None)
        """
        t = convert_to_tensor(tensor)
        return cls(t.shape, t.dtype, name)

    def is_compatible_with(self, spec_or_tensor):
        """True when a tensor (or spec) with this dtype and a matching shape fits."""
        other = spec_or_tensor
        if not isinstance(other, TensorSpec):
            other = TensorSpec.from_tensor(other)
        return self.dtype == other.dtype and self.shape.is_compatible_with(other.shape)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape
                and self.dtype == other.dtype and self.name == other.name)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


# ==================================================================== nested structures

# Elements follow tf.data's rule: tuples, namedtuples and dicts are structures, and a
# list is one tensor's values (d2l.nest with lists_are_leaves=True).

def _flatten(s):
    return nest.flatten(s, lists_are_leaves=True)


def _pack(structure, leaves):
    return nest.pack_sequence_as(structure, leaves, lists_are_leaves=True)


def _map(fn, *structures, check_types=True):
    return nest.map_structure(fn, *structures, lists_are_leaves=True, check_types=check_types)


def _same_structure(a, b):
    try:
        nest.assert_same_structure(a, b, check_types=False, lists_are_leaves=True)
    except (ValueError, TypeError):
        return False
    return True


def _on_host(elements):
    """``elements``, each step of the pipeline run on the CPU.

    tf.data's kernels run on the CPU, so TensorFlow hands out elements there
    (``.device`` names CPU:0) even with a GPU visible; the model's first op
    copies each batch to the GPU.
    """
    while True:
        with backend.device(backend.CPU):
            try:
                element = next(elements)
            except StopIteration:
                return
        yield element


def _to_tensor_leaf(op, value):
    if isinstance(value, Variable):
        value = value.value()
    if isinstance(value, Tensor):    # a dataset keeps its tensors on the host (see _on_host)
        array = array_of(value)
        return value if isinstance(array, np.ndarray) else _wrap(backend.to_numpy(array))
    try:
        with backend.device(backend.CPU):
            return convert_to_tensor(value)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{op}: cannot turn a {type(value).__name__} into a tensor ({e}). "
                        "Dataset elements are tensors, NumPy arrays, numbers, or tuples and "
                        "dicts of them") from None


def _structure_of_tensors(op, value):
    """Tuples and dicts stay structures; everything else (lists too, as in TF) becomes a Tensor."""
    if isinstance(value, list):
        value = _to_tensor_leaf(op, value)
    return _map(lambda v: _to_tensor_leaf(op, v), value)


def _spec_of(element):
    return _map(lambda t: TensorSpec(t.shape, t.dtype), element)


def _common_spec(a, b):
    """The most specific spec both fit: a's dtype, None where the dimensions (or ranks) differ."""
    if a.shape.rank is None or a.shape.rank != b.shape.rank:
        return TensorSpec(None, a.dtype)
    return TensorSpec([d if d == e else None for d, e in zip(a.shape, b.shape)], a.dtype)


def _leaf_names(structure):
    """Human names of the leaves ('the tensor', "component 'x'", 'component 1/0'), in order."""
    def name(s, path):
        if isinstance(s, dict):
            return {k: name(v, path + [repr(k)]) for k, v in s.items()}
        if isinstance(s, tuple):
            return tuple(name(v, path + [str(i)]) for i, v in enumerate(s))
        return "component " + "/".join(path) if path else "the tensor"
    return _flatten(name(structure, []))


def _as_int(op, what, value):
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"{op}: {what} must be an int, got {type(value).__name__} {value!r:.40}")


# ==================================================================== random seeds

def _base_seed(seed):
    """A reproducible seed for a shuffle, following TensorFlow's global/op seed rules."""
    global_seed = _random.get_global_seed()
    if seed is not None:
        seed = _as_int("shuffle", "seed", seed)
        return [_random.DEFAULT_GLOBAL_SEED if global_seed is None else global_seed, seed, 0xDA7A]
    if global_seed is not None:   # the global seed and the op counter fix it
        return [int(_random.generator(None).integers(2**63)), 0xDA7A]
    return [int(np.random.SeedSequence().entropy % 2**63), 0xDA7A]


# ==================================================================== iterator

class _Iterator:
    """What ``iter(dataset)`` returns: ``next(it)`` or ``it.get_next()`` give the next element."""

    def __init__(self, generator, dataset):
        self._gen = generator
        self._dataset = dataset

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._gen)

    def get_next(self):
        """The next element; raises ``d2l.errors.OutOfRangeError`` at the end (TF's rule)."""
        try:
            return next(self._gen)
        except StopIteration:
            from .errors import OutOfRangeError
            raise OutOfRangeError("End of sequence: the dataset has no more elements") from None


# ==================================================================== Dataset

class Dataset:
    """A sequence of elements, built up as a pipeline (``tf.data.Dataset``).

    Make one with :meth:`from_tensor_slices`, :meth:`from_tensors`,
    :meth:`range` or :meth:`from_generator`, transform it with ``shuffle``,
    ``map``, ``filter``, ``batch``, ``take``, ``repeat``..., and iterate it
    with ``for`` (each pass starts from the beginning).

    >>> ds = d2l.data.Dataset.range(10).filter(lambda x: x % 2 == 0).map(lambda x: x * 10)
    >>> [int(x) for x in ds]
    [0, 20, 40, 60, 80]
    """

    _root = None          # the _TensorSliceDataset whose arrays the fast path indexes

    # ---------------------------------------------------------------- what subclasses give
    def _iter(self):
        """Elements as nested structures with Tensor leaves (subclasses override)."""
        root = self._root
        arrays, structure = root._arrays, root._structure
        for block in self._blocks():
            for i in block.tolist():
                yield _pack(structure, [_wrap(a[i]) for a in arrays])

    def _blocks(self):
        """Only on the fast path: 1-D int64 arrays of row indices into ``_root``'s arrays."""
        raise NotImplementedError

    def _cardinality(self):
        raise NotImplementedError

    def _compute_spec(self):
        raise NotImplementedError

    # ---------------------------------------------------------------- iteration
    def __iter__(self):
        return _Iterator(_on_host(self._iter()), self)

    def as_numpy_iterator(self):
        """Iterate with NumPy values instead of Tensors (same structure).

        >>> list(d2l.data.Dataset.from_tensor_slices([1, 2]).as_numpy_iterator())
        [np.int32(1), np.int32(2)]
        """
        for element in _on_host(self._iter()):
            yield _map(lambda t: t.numpy(), element)

    @property
    def element_spec(self):
        """The structure, shapes and dtypes of one element, as ``TensorSpec`` leaves.

        >>> d2l.data.Dataset.from_tensor_slices(d2l.zeros((10, 3))).batch(4).element_spec
        TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)
        """
        spec = self.__dict__.get("_spec")
        if spec is None:
            spec = self._spec = self._compute_spec()
        return spec

    def cardinality(self):
        """The number of elements as an int64 scalar: ``INFINITE_CARDINALITY`` (-1) or
        ``UNKNOWN_CARDINALITY`` (-2) when not a fixed number.

        >>> ds = d2l.data.Dataset.range(10)
        >>> int(ds.cardinality()), int(ds.repeat().cardinality()), int(ds.filter(lambda x: x > 3).cardinality())
        (10, -1, -2)
        """
        return _wrap(np.asarray(self._cardinality(), dtype=np.int64))

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite (it repeats forever): it has no len(). "
                            "Use ds.take(n) to make it finite")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown (filter or from_generator cannot "
                            "know it in advance). Count it with "
                            "ds.reduce(0, lambda n, _: n + 1), or use ds.cardinality()")
        return n

    def __bool__(self):
        return True

    def _inputs(self):
        """The datasets this one reads from (none for a source)."""
        return ()

    def _spec_runs_user_code(self):
        """True when working out ``element_spec`` now would run a ``map`` function."""
        return "_spec" not in self.__dict__ and any(d._spec_runs_user_code()
                                                    for d in self._inputs())

    def __repr__(self):
        if self._spec_runs_user_code():     # a repr must not run the learner's function
            spec = "<not yet computed>"
        else:
            try:
                spec = repr(self.element_spec)
            except Exception:    # noqa: BLE001  (unbatch of scalars: the error comes when used)
                spec = "?"
        return f"<_{type(self).__name__.lstrip('_')} element_spec={spec}>"

    # ---------------------------------------------------------------- sources
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row: slices ``tensors`` along their first dimension.

        ``tensors`` may be a tensor, a NumPy array, a list, or a tuple or dict of
        them (all with the same first dimension); elements have the same
        structure. A list is one tensor, as in TensorFlow.

        >>> ds = d2l.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [3.0, 4.0]})
        >>> [(int(e["a"]), float(e["b"])) for e in ds]
        [(1, 3.0), (2, 4.0)]
        """
        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with a single element: ``tensors`` itself.

        >>> [t.shape for t in d2l.data.Dataset.from_tensors(d2l.zeros((2, 3)))]
        [TensorShape([2, 3])]
        """
        return _TensorsDataset(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        """Like Python's ``range``, as int64 scalars: ``range(stop)``, ``range(start, stop[, step])``.

        >>> [int(x) for x in d2l.data.Dataset.range(2, 8, 2)]
        [2, 4, 6]
        """
        if not 1 <= len(args) <= 3:
            raise TypeError(f"Dataset.range: takes 1 to 3 ints (start, stop, step), got {len(args)}")
        values = [_as_int("Dataset.range", "each argument", a) for a in args]
        if len(values) == 3 and values[2] == 0:
            raise InvalidArgumentError("Dataset.range: step must not be 0", op="range")
        r = builtins.range(*values)
        dtype = dtypes.as_dtype(output_type)
        if len(r) <= 1 << 22:    # small: an array, so batching takes the fast path
            return _TensorSliceDataset(_wrap(np.arange(r.start, r.stop, r.step, dtype=dtype.np)))
        return _RangeDataset(r.start, r.stop, r.step, dtype)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """Elements from a Python generator function, called afresh for each pass.

        ``output_signature`` (``TensorSpec`` leaves) says what it yields; its
        values are checked as they come.

        >>> def gen():
        ...     for i in range(3):
        ...         yield i, [float(i)] * 2
        >>> spec = (d2l.data.TensorSpec((), d2l.int32), d2l.data.TensorSpec((2,), d2l.float32))
        >>> ds = d2l.data.Dataset.from_generator(gen, output_signature=spec)
        >>> [x.numpy().tolist() for _, x in ds.batch(3)]
        [[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]]
        """
        return _GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def zip(*datasets, name=None):
        """Pair up elements of several datasets; stops with the shortest.

        >>> a, b = d2l.data.Dataset.range(3), d2l.data.Dataset.range(10, 13)
        >>> [(int(x), int(y)) for x, y in d2l.data.Dataset.zip((a, b))]
        [(0, 10), (1, 11), (2, 12)]
        """
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, dict)):
            datasets = datasets[0]
        return _ZipDataset(datasets)

    # ---------------------------------------------------------------- transformations
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Randomly shuffle with a buffer of ``buffer_size`` elements (TF's semantics).

        The buffer is filled with the first ``buffer_size`` elements; each output
        is drawn uniformly from the buffer and its place taken by the next
        input element. A buffer at least as large as the dataset gives a
        uniformly random permutation; a small one only mixes neighbours.
        ``seed`` (or ``d2l.random.set_seed``) makes the order reproducible; with
        ``reshuffle_each_iteration`` each pass has a new order.

        >>> ds = d2l.data.Dataset.range(5).shuffle(5, seed=1)
        >>> sorted(int(x) for x in ds)
        [0, 1, 2, 3, 4]
        >>> ds = d2l.data.Dataset.range(20).shuffle(20, seed=1)
        >>> [int(x) for x in ds] != [int(x) for x in ds]   # a new order each pass (1 in 20! alike)
        True
        """
        return _ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stack ``batch_size`` consecutive elements into one; the last batch may be smaller.

        With ``drop_remainder=True`` the smaller last batch is dropped and the
        batch dimension is known in ``element_spec``.

        >>> ds = d2l.data.Dataset.range(7).batch(3)
        >>> [b.numpy().tolist() for b in ds]
        [[0, 1, 2], [3, 4, 5], [6]]
        >>> ds.element_spec
        TensorSpec(shape=(None,), dtype=tf.int64, name=None)
        """
        return _BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        """Split each element along its first dimension (undoes ``batch``).

        >>> [int(x) for x in d2l.data.Dataset.range(5).batch(2).unbatch()]
        [0, 1, 2, 3, 4]
        """
        return _UnbatchDataset(self)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply ``map_func`` to every element; a tuple element is passed as separate arguments.

        >>> ds = d2l.data.Dataset.from_tensor_slices(([1, 2], [3, 4]))
        >>> [int(s) for s in ds.map(lambda x, y: x + y)]
        [4, 6]
        """
        if not callable(map_func):
            raise TypeError(f"map: map_func must be callable, got {type(map_func).__name__}")
        return _MapDataset(self, map_func)

    def filter(self, predicate, name=None):
        """Keep the elements for which ``predicate`` returns a scalar True.

        >>> [int(x) for x in d2l.data.Dataset.range(6).filter(lambda x: x % 3 == 0)]
        [0, 3]
        """
        if not callable(predicate):
            raise TypeError(f"filter: predicate must be callable, got {type(predicate).__name__}")
        return _FilterDataset(self, predicate)

    def take(self, count, name=None):
        """The first ``count`` elements (all of them for -1).

        >>> [int(x) for x in d2l.data.Dataset.range(100).take(3)]
        [0, 1, 2]
        """
        return _TakeDataset(self, _as_int("take", "count", count))

    def skip(self, count, name=None):
        """All but the first ``count`` elements (-1 skips everything).

        >>> [int(x) for x in d2l.data.Dataset.range(5).skip(3)]
        [3, 4]
        """
        return _SkipDataset(self, _as_int("skip", "count", count))

    def repeat(self, count=None, name=None):
        """Repeat the dataset ``count`` times; forever when ``count`` is None or -1.

        >>> [int(x) for x in d2l.data.Dataset.range(2).repeat(3)]
        [0, 1, 0, 1, 0, 1]
        """
        count = -1 if count is None else _as_int("repeat", "count", count)
        return _RepeatDataset(self, count)

    def prefetch(self, buffer_size, name=None):
        """Prepare elements ahead of time in TensorFlow; here the same dataset (a no-op).

        >>> ds = d2l.data.Dataset.range(3).prefetch(d2l.data.AUTOTUNE)
        >>> len(ds)
        3
        """
        return _PassThrough(self, "Prefetch")

    def cache(self, filename="", name=None):
        """Remember the elements of the first complete pass in memory and replay them.

        Like TensorFlow, ``shuffle(...).cache()`` freezes the first pass's order;
        put ``cache()`` before ``shuffle`` to reshuffle each pass.

        >>> calls = []
        >>> ds = d2l.data.Dataset.range(3).map(lambda x: (calls.append(1), x)[1]).cache()
        >>> _ = list(ds); _ = list(ds)
        >>> len(calls)
        3
        """
        if filename:
            raise NotImplementedError("cache: only the in-memory cache (filename='') is "
                                      "supported; call cache() without a file name")
        return _CacheDataset(self)

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by ``dataset``'s (same structure and dtypes).

        >>> [int(x) for x in d2l.data.Dataset.range(2).concatenate(d2l.data.Dataset.range(5, 7))]
        [0, 1, 5, 6]
        """
        return _ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        """Pairs ``(index, element)``, the index an int64 counting from ``start``.

        >>> [(int(i), int(x)) for i, x in d2l.data.Dataset.range(5, 7).enumerate()]
        [(0, 5), (1, 6)]
        """
        counter = _RangeDataset(_as_int("enumerate", "start", start), None, 1, dtypes.int64)
        return _ZipDataset((counter, self))

    def reduce(self, initial_state, reduce_func, name=None):
        """Fold the elements into one value: ``state = reduce_func(state, element)``.

        >>> int(d2l.data.Dataset.range(5).reduce(0, lambda s, x: s + x))
        10
        """
        with backend.device(backend.CPU):     # a dataset op: it runs on the CPU (see _on_host)
            state = _structure_of_tensors("reduce", initial_state)
            for element in self._iter():
                if isinstance(state, Tensor) and isinstance(element, Tensor) and \
                        state.dtype is not element.dtype and not state.dtype.is_floating:
                    from .ops.math import cast
                    state = cast(state, element.dtype)
                state = _structure_of_tensors("reduce", reduce_func(state, element))
        return state

    def apply(self, transformation_func):
        """``transformation_func(self)``: chain a function that transforms whole datasets.

        >>> d2l.data.Dataset.range(5).apply(lambda ds: ds.skip(3)).cardinality().numpy()
        np.int64(2)
        """
        return transformation_func(self)

    def options(self):
        """TensorFlow's performance options; none apply here, so an empty dict."""
        return {}

    def with_options(self, options, name=None):
        """Accepted for compatibility (options tune TensorFlow's runtime); returns ``self``."""
        return self


# ==================================================================== sources

class _TensorSliceDataset(Dataset):
    def __init__(self, tensors):
        structure = _structure_of_tensors("from_tensor_slices", tensors)
        leaves = _flatten(structure)
        if not leaves:
            raise ValueError("from_tensor_slices: got an empty structure; pass at least one tensor")
        names = _leaf_names(structure)
        for t, nm in zip(leaves, names):
            if t.ndim == 0:
                raise InvalidArgumentError(
                    f"from_tensor_slices: {nm} is a scalar (shape ()), which has no rows to "
                    "slice; use Dataset.from_tensors for a single element, or pass a 1-D "
                    "tensor", op="from_tensor_slices")
        arrays = [array_of(t) for t in leaves]
        n = arrays[0].shape[0]
        for a, t, nm in zip(arrays, leaves, names):
            if a.shape[0] != n:
                raise InvalidArgumentError(
                    "from_tensor_slices: all components must have the same size in the first "
                    f"dimension, but {names[0]} has {n} rows (shape "
                    f"{leaves[0].shape}) and {nm} has {a.shape[0]} (shape "
                    f"{t.shape}); pass inputs and labels with one row per "
                    "example", op="from_tensor_slices")
        self._structure = structure
        self._arrays = arrays
        self._n = int(n)
        self._root = self

    def _blocks(self):
        for start in range(0, self._n, 1 << 16):
            yield np.arange(start, min(start + (1 << 16), self._n), dtype=np.int64)

    def _cardinality(self):
        return self._n

    def _compute_spec(self):
        return _map(lambda t: TensorSpec(t.shape[1:], t.dtype), self._structure)


class _RangeDataset(Dataset):
    """A lazy range (a large ``Dataset.range``, or ``enumerate``'s endless counter: stop=None)."""

    def __init__(self, start, stop, step, dtype):
        self._start, self._stop, self._step, self._dtype = start, stop, step, dtype

    def _numbers(self):
        if self._stop is None:
            return itertools.count(self._start, self._step)
        return builtins.range(self._start, self._stop, self._step)

    def _iter(self):
        np_type = self._dtype.np.type
        for i in self._numbers():
            yield _wrap(np.asarray(np_type(i)))

    def _cardinality(self):
        return INFINITE_CARDINALITY if self._stop is None else len(self._numbers())

    def _compute_spec(self):
        return TensorSpec((), self._dtype)


class _TensorsDataset(Dataset):
    def __init__(self, tensors):
        self._element = _structure_of_tensors("from_tensors", tensors)

    def _iter(self):
        yield self._element

    def _cardinality(self):
        return 1

    def _compute_spec(self):
        return _spec_of(self._element)


def _shapes_at_leaves(types, shapes):
    """One shape per dtype leaf of ``types``: ``((2,), ())`` for ``(float32, int32)``.

    A shape is itself a tuple, so ``shapes`` is cut where ``types`` has its leaves
    rather than flattened all the way down.
    """
    if isinstance(types, dict):
        return [s for k in sorted(types) for s in _shapes_at_leaves(types[k], shapes[k])]
    if isinstance(types, tuple):
        if not isinstance(shapes, (tuple, list)) or len(shapes) != len(types):
            raise ValueError(f"from_generator: output_shapes {shapes!r} does not match the "
                             f"structure of output_types {types!r}")
        return [s for t, sh in zip(types, shapes) for s in _shapes_at_leaves(t, sh)]
    return [shapes]


class _GeneratorDataset(Dataset):
    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("from_generator: pass the generator *function* (gen), not a "
                            "generator object (gen()), so each pass can start again")
        if output_signature is None:
            if output_types is None:
                raise TypeError("from_generator: give output_signature (TensorSpec leaves), "
                                "or output_types")
            types_leaves = _flatten(output_types)
            shape_leaves = ([None] * len(types_leaves) if output_shapes is None
                            else _shapes_at_leaves(output_types, output_shapes))
            output_signature = _pack(output_types, [
                TensorSpec(s, d) for s, d in zip(shape_leaves, types_leaves)])
        self._signature = output_signature
        self._gen, self._args = generator, tuple(args or ())

    def _iter(self):
        sig = self._signature
        for value in self._gen(*self._args):
            if isinstance(value, list) and isinstance(sig, tuple):
                value = tuple(value)
            if not _same_structure(sig, value):
                raise TypeError(f"from_generator: the generator yielded {value!r:.60}, which "
                                f"does not match the structure of output_signature {sig!r:.120}")
            leaves = []
            for spec, v in zip(_flatten(sig), _flatten(value)):
                t = convert_to_tensor(v, dtype=spec.dtype) if not isinstance(v, Tensor) else v
                if t.dtype is not spec.dtype or not spec.shape.is_compatible_with(t.shape):
                    raise TypeError(f"from_generator: yielded a value of shape "
                                    f"{t.shape} and dtype {t.dtype.name}, but "
                                    f"output_signature says {spec!r}")
                leaves.append(t)
            yield _pack(sig, leaves)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _compute_spec(self):
        return self._signature


# ==================================================================== unary transformations

class _Unary(Dataset):
    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"expected a Dataset, got {type(input_dataset).__name__}")
        self._input = input_dataset

    def _inputs(self):
        return (self._input,)

    def _cardinality(self):
        return self._input._cardinality()

    def _compute_spec(self):
        return self._input.element_spec


class _Reordering(_Unary):
    """A transformation that only picks, reorders or repeats whole elements (shuffle, take,
    skip, repeat, cache, prefetch).

    Over ``from_tensor_slices`` data it works on row numbers (``_blocks``), so
    ``batch`` can still slice the arrays; otherwise on the elements themselves
    (``_elements``).
    """

    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._root = input_dataset._root

    def _iter(self):
        if self._root is not None:
            return Dataset._iter(self)
        return self._elements()

    def _elements(self):
        raise NotImplementedError


class _PassThrough(_Reordering):
    def __init__(self, input_dataset, kind):
        super().__init__(input_dataset)
        self._kind = kind

    def _blocks(self):
        return self._input._blocks()

    def _elements(self):
        return self._input._iter()

    def __repr__(self):
        return super().__repr__().replace("_PassThrough", "_" + self._kind + "Dataset")


def _buffer_shuffle(items, buffer_size, rng):
    """TensorFlow's shuffle buffer over any iterator: fill, then draw uniformly and refill."""
    buffer = list(itertools.islice(items, buffer_size))
    uniforms, k = rng.random(_BLOCK), 0
    for item in items:
        if k == _BLOCK:
            uniforms, k = rng.random(_BLOCK), 0
        i = int(uniforms[k] * len(buffer))
        k += 1
        yield buffer[i]
        buffer[i] = item
    for i in rng.permutation(len(buffer)).tolist():   # input exhausted: drain at random
        yield buffer[i]


class _ShuffleDataset(_Reordering):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        buffer_size = _as_int("shuffle", "buffer_size", buffer_size)
        if buffer_size == AUTOTUNE:
            raise ValueError("shuffle: buffer_size cannot be AUTOTUNE; give a number of "
                             "elements, e.g. the dataset's size for a full shuffle")
        if buffer_size <= 0:
            raise InvalidArgumentError(f"shuffle: buffer_size must be greater than zero, got "
                                       f"{buffer_size}; use the dataset's size (e.g. "
                                       "len(x_train)) for a full shuffle", op="shuffle")
        self._buffer_size = buffer_size
        self._seed = _base_seed(seed)
        self._reshuffle = bool(reshuffle_each_iteration if reshuffle_each_iteration is not None
                               else True)
        self._epoch = 0

    def _rng(self):
        epoch = self._epoch
        if self._reshuffle:
            self._epoch += 1
        return np.random.default_rng(self._seed + [epoch if self._reshuffle else 0])

    def _whole(self):
        n = self._input._cardinality()
        return 0 <= n <= self._buffer_size

    def _blocks(self):
        rng = self._rng()
        if self._whole():     # the buffer holds everything: a uniform permutation
            blocks = list(self._input._blocks())
            everything = np.concatenate(blocks) if blocks else np.zeros(0, np.int64)
            yield everything[rng.permutation(len(everything))]
            return
        ints = (i for block in self._input._blocks() for i in block.tolist())
        shuffled = _buffer_shuffle(ints, self._buffer_size, rng)
        while True:
            block = np.fromiter(itertools.islice(shuffled, _BLOCK), dtype=np.int64)
            if not len(block):
                return
            yield block

    def _elements(self):
        rng = self._rng()
        if self._whole():
            elements = list(self._input._iter())
            for i in rng.permutation(len(elements)).tolist():
                yield elements[i]
            return
        yield from _buffer_shuffle(self._input._iter(), self._buffer_size, rng)


class _TakeDataset(_Reordering):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _blocks(self):
        left = self._count
        if left < 0:
            yield from self._input._blocks()
            return
        if left == 0:
            return
        for block in self._input._blocks():
            if len(block) >= left:
                yield block[:left]
                return
            left -= len(block)
            yield block

    def _elements(self):
        if self._count < 0:
            return self._input._iter()
        return itertools.islice(self._input._iter(), self._count)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if n == UNKNOWN_CARDINALITY:
            return n
        if n == INFINITE_CARDINALITY:
            return c
        return n if c < 0 else min(n, c)


class _SkipDataset(_Reordering):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _blocks(self):
        left = self._count
        if left < 0:
            return
        for block in self._input._blocks():
            if left >= len(block):
                left -= len(block)
                continue
            yield block[left:]
            left = 0

    def _elements(self):
        if self._count < 0:
            return iter(())
        return itertools.islice(self._input._iter(), self._count, None)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if n < 0:
            return n
        return 0 if c < 0 else max(0, n - c)


class _RepeatDataset(_Reordering):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _passes(self, source):
        k = 0
        while self._count < 0 or k < self._count:
            empty = True
            for item in source():
                empty = False
                yield item
            if empty:           # an empty dataset repeated forever is still empty
                return
            k += 1

    def _blocks(self):
        return self._passes(self._input._blocks)

    def _elements(self):
        return self._passes(self._input._iter)

    def _cardinality(self):
        n, c = self._input._cardinality(), self._count
        if c < 0:
            return 0 if n == 0 else INFINITE_CARDINALITY
        if c == 0:
            return 0
        return n if n < 0 else n * c


class _CacheDataset(_Reordering):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._stored = None

    def _replay(self, source):
        if self._stored is not None:
            yield from self._stored
            return
        stored = []
        for item in source():
            stored.append(item)
            yield item
        self._stored = stored       # only a complete pass is kept

    def _blocks(self):
        return self._replay(self._input._blocks)

    def _elements(self):
        return self._replay(self._input._iter)


def _stack(op, elements):
    """One batch from a list of same-structure elements (each leaf stacked on a new axis 0)."""
    first = elements[0]
    columns = list(zip(*(_flatten(e) for e in elements)))
    names = _leaf_names(first)
    out = []
    for j, (column, name) in enumerate(zip(columns, names)):
        arrays = [array_of(t) for t in column]
        shape, dtype = arrays[0].shape, arrays[0].dtype
        for k, a in enumerate(arrays):
            if a.shape != shape:
                raise InvalidArgumentError(
                    f"{op}: cannot batch tensors with different shapes in {name}: the first "
                    f"element has shape {shape} and element {k} has shape "
                    f"{a.shape}. Make them the same shape (pad or resize in "
                    "a map before batch), or batch(1)", op=op)
            if a.dtype != dtype:        # one NumPy dtype per DType: the same test
                raise InvalidArgumentError(
                    f"{op}: cannot batch {name}: dtypes differ ({column[0].dtype.name} and "
                    f"{column[k].dtype.name}); cast in a map before batch", op=op)
        xp = np if type(arrays[0]) is np.ndarray else backend.module_of(arrays[0])
        out.append(_wrap(xp.stack(arrays)))
    return _pack(first, out)


class _BatchDataset(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        batch_size = _as_int("batch", "batch_size", batch_size)
        if batch_size <= 0:
            raise InvalidArgumentError(f"batch: batch_size must be greater than zero, got "
                                       f"{batch_size}", op="batch")
        self._batch_size = batch_size
        self._drop = bool(drop_remainder)

    def _index_batches(self):
        n, pending, have = self._batch_size, [], 0
        for block in self._input._blocks():
            start = 0
            while start < len(block):
                part = block[start:start + n - have]
                start += len(part)
                pending.append(part)
                have += len(part)
                if have == n:
                    yield pending[0] if len(pending) == 1 else np.concatenate(pending)
                    pending, have = [], 0
        if have and not self._drop:
            yield np.concatenate(pending)

    def _iter(self):
        root = self._input._root
        if root is None:
            yield from self._general()
            return
        arrays, structure = root._arrays, root._structure
        for idx in self._index_batches():
            first, last = int(idx[0]), int(idx[-1])
            if last - first + 1 == len(idx) and (len(idx) < 3 or
                                                 (idx[1:] - idx[:-1] == 1).all()):
                key = slice(first, last + 1)            # consecutive rows: a view, no copy
                yield _pack(structure, [_wrap(a[key]) for a in arrays])
            else:
                yield _pack(structure, [_wrap(a[idx] if type(a) is np.ndarray else
                                              a[backend.to_device(idx, backend.device_of(a))])
                                        for a in arrays])

    def _general(self):
        it, n = self._input._iter(), self._batch_size
        while True:
            elements = list(itertools.islice(it, n))
            if not elements or (self._drop and len(elements) < n):
                return
            yield _stack("batch", elements)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._batch_size + (0 if self._drop or n % self._batch_size == 0 else 1)

    def _compute_spec(self):
        batch = self._batch_size if self._drop else None
        return _map(lambda s: TensorSpec(None if s.shape.rank is None else
                                         [batch] + s.shape.as_list(), s.dtype),
                    self._input.element_spec)


class _UnbatchDataset(_Unary):
    def _iter(self):
        for element in self._input._iter():
            leaves = _flatten(element)
            if any(t.ndim == 0 for t in leaves):
                raise InvalidArgumentError("unbatch: elements must have a batch (first) "
                                           "dimension, but one component is a scalar", op="unbatch")
            arrays = [array_of(t) for t in leaves]
            n = arrays[0].shape[0]
            if any(a.shape[0] != n for a in arrays):
                raise InvalidArgumentError("unbatch: all components of an element must have the "
                                           "same size in the first dimension", op="unbatch")
            for i in range(n):
                yield _pack(element, [_wrap(a[i]) for a in arrays])

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n if n == INFINITE_CARDINALITY else UNKNOWN_CARDINALITY
        dims = {s.shape[0] if s.shape.rank else None for s in _flatten(self._input.element_spec)}
        if len(dims) == 1 and None not in dims:
            return n * dims.pop()
        return UNKNOWN_CARDINALITY

    def _compute_spec(self):
        def drop(s):
            if not s.shape.rank:
                raise InvalidArgumentError("unbatch: elements must have a batch dimension",
                                           op="unbatch")
            return TensorSpec(s.shape[1:], s.dtype)
        return _map(drop, self._input.element_spec)


def _call(fn, element):
    if type(element) is tuple:          # a namedtuple is passed whole, as in TensorFlow
        return fn(*element)
    return fn(element)


class _MapDataset(_Unary):
    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = fn

    def _apply(self, element):
        out = _call(self._fn, element)
        if out is None:
            raise TypeError(f"map: the function {getattr(self._fn, '__name__', self._fn)!r} "
                            "returned None; it must return the new element (did you forget "
                            "`return`?)")
        if isinstance(out, list):
            out = tuple(out)
        return _structure_of_tensors("map", out)

    def _iter(self):
        apply = self._apply
        for element in self._input._iter():
            yield apply(element)

    def _spec_runs_user_code(self):
        return "_spec" not in self.__dict__

    def _compute_spec(self):
        """TensorFlow traces the function; here ``stand_in.probe`` runs it on stand-ins for
        the input spec (random ops in it leave the program's random numbers as they were).
        An input of unknown rank, or a function that no stand-in suits, runs it on the first
        real element instead."""
        spec = _map(lambda s: stand_in.Spec(s.shape, s.dtype), self._input.element_spec)
        try:
            if any(s.shape.rank is None for s in _flatten(spec)):
                raise ValueError("unknown rank: the real elements tell more than stand-ins")
            out = stand_in.probe(self._apply, (spec,))
        except Exception:    # noqa: BLE001  (the function cannot run on stand-ins: look at real data)
            for element in self._input._iter():
                return _spec_of(self._apply(element))
            raise
        return _map(lambda s: TensorSpec(s.shape, s.dtype), out)


class _FilterDataset(_Unary):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._predicate = predicate

    def _iter(self):
        predicate = self._predicate
        for element in self._input._iter():
            keep = _call(predicate, element)
            if isinstance(keep, Tensor):
                if keep.ndim != 0 or not keep.dtype.is_bool:
                    raise TypeError(f"filter: the predicate must return a scalar bool, got a "
                                    f"{keep.dtype.name} tensor of shape {keep.shape}; "
                                    "reduce it, e.g. d2l.reduce_any(...)")
                keep = bool(array_of(keep))
            elif not isinstance(keep, (bool, np.bool_)):
                raise TypeError(f"filter: the predicate must return a bool, got "
                                f"{type(keep).__name__}")
            if keep:
                yield element

    def _cardinality(self):
        n = self._input._cardinality()
        return n if n == INFINITE_CARDINALITY else UNKNOWN_CARDINALITY


# ==================================================================== combining datasets

class _ZipDataset(Dataset):
    def __init__(self, datasets):
        for d in _flatten(datasets):
            if not isinstance(d, Dataset):
                raise TypeError(f"zip: expected Datasets (in a tuple or dict), got "
                                f"{type(d).__name__}")
        self._datasets = tuple(datasets) if isinstance(datasets, list) else datasets

    def _inputs(self):
        return _flatten(self._datasets)

    def _iter(self):
        leaves = _flatten(self._datasets)
        for items in zip(*(d._iter() for d in leaves)):
            yield _pack(self._datasets, list(items))

    def _cardinality(self):
        ns = [d._cardinality() for d in _flatten(self._datasets)]
        if UNKNOWN_CARDINALITY in ns:          # TensorFlow's rule: unknown wins
            return UNKNOWN_CARDINALITY
        finite = [n for n in ns if n >= 0]
        return min(finite) if finite else INFINITE_CARDINALITY

    def _compute_spec(self):
        return _map(lambda d: d.element_spec, self._datasets)


class _ConcatenateDataset(Dataset):
    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"concatenate: expected a Dataset, got {type(second).__name__}")
        a, b = first.element_spec, second.element_spec
        if not _same_structure(a, b) or any(
                x.dtype != y.dtype for x, y in zip(_flatten(a), _flatten(b))):
            raise TypeError(f"concatenate: the datasets' elements differ: {a!r} and {b!r}; "
                            "they need the same structure and dtypes")
        self._first, self._second = first, second

    def _inputs(self):
        return (self._first, self._second)

    def _iter(self):
        yield from self._first._iter()
        yield from self._second._iter()

    def _cardinality(self):
        a, b = self._first._cardinality(), self._second._cardinality()
        if UNKNOWN_CARDINALITY in (a, b):
            return UNKNOWN_CARDINALITY
        if INFINITE_CARDINALITY in (a, b):
            return INFINITE_CARDINALITY
        return a + b

    def _compute_spec(self):
        a, b = self._first.element_spec, self._second.element_spec
        return _map(_common_spec, a, b, check_types=False)


# ==================================================================== tf.data.experimental

class experimental:  # noqa: N801  (tf.data.experimental)
    """``tf.data.experimental``: ``AUTOTUNE``, ``cardinality`` and the cardinality constants.

    >>> int(d2l.data.experimental.cardinality(d2l.data.Dataset.range(4)))
    4
    """

    AUTOTUNE = AUTOTUNE
    INFINITE_CARDINALITY = INFINITE_CARDINALITY
    UNKNOWN_CARDINALITY = UNKNOWN_CARDINALITY

    @staticmethod
    def cardinality(dataset):
        """``dataset.cardinality()``."""
        return dataset.cardinality()
