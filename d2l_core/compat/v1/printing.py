"""``tf.Print``: a graph node that prints values each time a session computes it.

>>> import d2l_core.compat.v1 as tf
>>> with tf.Graph().as_default():
...     x = tf.Print(tf.constant([1, 2]), [tf.constant(3)], message='three: ')
...     _ = tf.Session().run(x)
three: [3]
"""
import numpy as np

from .constants import convert_to_tensor


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``input_`` unchanged, printing ``message`` and the values of ``data`` when run (``tf.Print``).

    A graph has no values while you build it, so ``print(t)`` shows only the
    tensor's name; ``tf.Print`` prints values each time a session computes it
    (to standard output, so notebooks show it; TensorFlow wrote to stderr).
    ``summarize`` elements of each tensor are shown (default 3).

    >>> import d2l_core.compat.v1 as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     y = tf.Print(x, [x, tf.reduce_sum(x)], message='x and its sum: ')
    ...     _ = tf.Session().run(y)
    x and its sum: [1 2][3]
    """
    x = convert_to_tensor(input_)
    data = [convert_to_tensor(d) for d in (data or [])]
    limit = 3 if summarize is None else int(summarize)
    state = {"count": 0}

    def kernel(run, op, inputs):
        state["count"] += 1
        if first_n is None or first_n < 0 or state["count"] <= first_n:
            parts = []
            for v in inputs[1:]:
                flat = np.reshape(v.numpy(), (-1,))
                shown = " ".join(np.format_float_positional(e, trim="-") if flat.dtype.kind == "f"
                                 else str(e) for e in flat[:limit])
                parts.append("[" + shown + ("..." if flat.size > limit else "") + "]")
            print((message or "") + "".join(parts))
        return [inputs[0]]
    op = x.graph._create_op("Print", name, [x] + data, kernel, outputs=[(x.dtype, x.shape)])
    return op._outputs[0]
