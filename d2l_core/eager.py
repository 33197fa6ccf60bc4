"""Eager execution: d2l_core always runs ops as they are called.

TensorFlow 2 code often marks functions with ``@tf.function`` so TensorFlow
can trace them into a graph. d2l_core has no tracer, so ``function`` returns
your Python function unchanged: the code runs, eagerly, with the same
results. (For define-then-run graphs, see ``d2l_core.compat.v1``.)

>>> import d2l_core as d2l
>>> @d2l.function
... def double(x):
...     return 2 * x
>>> double(d2l.constant(3)).numpy()
np.int32(6)
>>> d2l.executing_eagerly()
True
"""
import functools


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_relax_shapes=None, **unused):
    """``tf.function`` as a pass-through: ``@function`` and ``@function(...)`` both work.

    >>> @d2l.function(jit_compile=True)
    ... def square(x):
    ...     return x * x
    >>> square(d2l.constant(3.0)).numpy()
    np.float32(9.0)
    """
    def decorate(f):
        @functools.wraps(f)
        def run_eagerly(*args, **kwargs):
            return f(*args, **kwargs)
        run_eagerly.python_function = f
        return run_eagerly
    return decorate if func is None else decorate(func)


def executing_eagerly():
    """True: d2l_core's top level always executes eagerly (graphs live in compat.v1).

    >>> d2l.executing_eagerly()
    True
    """
    return True
