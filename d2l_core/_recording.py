"""The hook through which ops tell active gradient tapes what they computed.

An op calls ``record(...)`` only when ``active`` is non-empty, so code that runs
with no tape pays one truthiness test per op. A tape *tracks* a tensor when it
was watched or computed from a tracked tensor; an op is recorded on a tape when
one of its inputs is tracked there. ``autodiff.GradientTape`` owns the rest.
"""

active = []          # tapes recording now, outermost first
_needed = None       # during a backward pass: the tracked ids of the tape being differentiated


def record(op, inputs, output, attrs=None):
    """Append ``(op, inputs, output, attrs)`` to every tape that tracks an input.

    ``op`` is the op's registry entry (anything with ``name`` and ``grad``):
    the tape calls ``op.grad(dy, inputs, output, attrs)``, which returns one
    gradient (or None) per input, written with d2l_core ops so that an outer
    tape records the backward pass too (see ``d2l_core.ops.registry``).
    """
    if not output._dtype.is_differentiable:
        return
    for tape in active:
        tracked = tape._tracked
        for x in inputs:
            if id(x) in tracked:
                tape._records.append((op, inputs, output, attrs))
                tracked[id(output)] = output
                break


def record_many(op, inputs, outputs, attrs=None):
    """Record one op with several outputs of one dtype (``unstack``, ``split``) as one record.

    The record's output is the tuple ``outputs``, and ``op.grad`` gets a list
    with one gradient per output (None for an output that got none). The
    tape calls it once, when any output has a gradient: every op that used an
    output ran after this one, so newest-first all their gradients are in by then.
    """
    outputs = tuple(outputs)
    if not outputs or not outputs[0]._dtype.is_differentiable:
        return
    for tape in active:
        tracked = tape._tracked
        for x in inputs:
            if id(x) in tracked:
                tape._records.append((op, inputs, outputs, attrs))
                for y in outputs:
                    tracked[id(y)] = y
                break


class _ReadVariable:
    """The tape's record of reading a Variable: its gradient passes straight through."""
    name = type = "ReadVariableOp"

    @staticmethod
    def grad(dy, inputs, output, attrs):
        return (dy,)


def read_variable(variable, snapshot):
    """A trainable variable read inside a tape is watched (``watch_accessed_variables``)."""
    for tape in active:
        tracked = tape._tracked
        if id(variable) not in tracked:
            if not (tape._watch_accessed_variables and variable.trainable):
                continue
            tape._watch_variable(variable)
        tape._records.append((_ReadVariable, (variable,), snapshot, None))
        tracked[id(snapshot)] = snapshot


def swap_needed(tracked):
    """Make ``needs`` answer from ``tracked`` (ids; None: everything); returns the old setting.

    ``GradientTape`` sets it for its backward pass and puts the old one back after.

    >>> from d2l_core import _recording
    >>> old = _recording.swap_needed({id(1.0)})
    >>> _recording.swap_needed(old)
    {...}
    """
    global _needed
    old, _needed = _needed, tracked
    return old


def needs(x):
    """True when the tape being differentiated wants a gradient for ``x``.

    Backward functions use it to skip work nobody asked for (the gradient of a
    matmul with respect to the input data, say).
    """
    return _needed is None or id(x) in _needed


class VariableWatcher:
    """While active, collect the trainable Variables that get read (TF's ``VariableWatcher``).

    ``custom_gradient`` asks it which Variables its function used. It sits in
    ``active`` like a tape that watches every Variable read and is never
    differentiated.

    >>> import d2l_core as d2l
    >>> from d2l_core import _recording
    >>> w = d2l.Variable(2.0, name='w')
    >>> with _recording.VariableWatcher() as watcher:
    ...     y = w * 3.0
    >>> [v.name for v in watcher.watched_variables()]
    ['w:0']
    """

    _watch_accessed_variables = True

    def __init__(self):
        self._tracked = {}
        self._records = []
        self._variables = {}

    def _watch_variable(self, variable):
        self._tracked[id(variable)] = variable
        self._variables.setdefault(id(variable), variable)

    def watched_variables(self):
        """The Variables read while active, in the order first read."""
        return tuple(self._variables.values())

    def __enter__(self):
        active.append(self)
        return self

    def __exit__(self, *exc):
        active.remove(self)
        self._records = []          # what it recorded is never differentiated
        return False
