"""TensorFlow's error classes, each also a Python built-in.

TensorFlow code catches ``tf.errors.InvalidArgumentError``; plain Python code
catches ``ValueError``. Every d2l_core error is both, so either style works:

>>> import d2l_core as d2l
>>> try:
...     d2l.reshape(d2l.ones((2, 3)), (4,))
... except ValueError as e:
...     print(type(e).__name__)
InvalidArgumentError
"""


class OpError(Exception):
    """Base of the errors an op raises (``tf.errors.OpError``)."""

    def __init__(self, message, op=None):
        super().__init__(message)
        self.message = message
        self.op = op


class InvalidArgumentError(OpError, ValueError):
    """An op got an argument it cannot use: a bad shape, value or dtype."""


class OutOfRangeError(OpError, IndexError):
    """An index or iteration went past the end."""


class FailedPreconditionError(OpError, RuntimeError):
    """The system is not in a state to run the op (an uninitialised variable)."""


class NotFoundError(OpError, LookupError):
    """Something named (a file, a device, a graph element) does not exist."""


class UnimplementedError(OpError, NotImplementedError):
    """The op is valid in TensorFlow but d2l_core does not implement it."""


class InternalError(OpError, RuntimeError):
    """Something broke inside d2l_core; please report it."""


class ResourceExhaustedError(OpError, MemoryError):
    """Out of memory on a device."""


class InvalidIndexError(InvalidArgumentError, IndexError):
    """An index is out of bounds (TensorFlow raises InvalidArgumentError)."""


class DTypeMismatchError(InvalidArgumentError, TypeError):
    """Two inputs of one op have different dtypes; TensorFlow never promotes."""


class SwappedArgumentsError(TypeError, ValueError):
    """A Keras loss got a y_pred that is not a float tensor: y_true and y_pred swapped.

    A TypeError (the dtype is wrong) and a ValueError (what TensorFlow raises
    for the swapped call, from the shapes it then sees).
    """


class OperatorNotAllowedInGraphError(TypeError):
    """A Python operation that needs a tensor's value (``if t:``, ``for x in t``, ``bool(t)``)
    was applied to a symbolic tensor inside ``d2l.function`` (TensorFlow's error of that name)."""


class NotSupportedError(NotImplementedError):
    """A TensorFlow feature outside the subset d2l_core teaches (SavedModel, ragged, ...).

    The message names the feature and what to use instead.

    >>> import d2l_core as d2l
    >>> try:
    ...     d2l.saved_model.save
    ... except NotImplementedError as e:
    ...     print(type(e).__name__)
    NotSupportedError
    """


class UnknownNameError(AttributeError):
    """``d2l.X`` for a name that is not in the TensorFlow subset d2l_core provides.

    An AttributeError, so ``hasattr(d2l, 'X')`` is False and ``getattr(d2l, 'X', None)`` works.

    >>> import d2l_core as d2l
    >>> hasattr(d2l, 'no_such_op')
    False
    """
