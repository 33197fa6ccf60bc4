"""Normalise and compare what a notebook cell shows (no TensorFlow needed).

A cell's output is what Jupyter would show: its stdout, then the repr of its
last expression. Two outputs are "the same" when, after :func:`normalise`,
their text matches exactly apart from whitespace and their numbers agree
within a tolerance (``rtol=1e-3, atol=1e-6``: printed float32 values, summed
in another order, differ in the last digits).

>>> same("tf.Tensor([1.0000001 2. ], shape=(2,), dtype=float32)",
...      "tf.Tensor([1. 2.], shape=(2,), dtype=float32)")
True
>>> same("dtype=float32", "dtype=float64")
False
"""

import math
import re

RTOL = 1e-3
ATOL = 1e-6

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{4,}")
# "3s 12ms/step", "0.51 s", "12.3 µs": timings vary from run to run.
_TIMING = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s?(?:ms|us|µs|ns|s|sec|seconds)(?:/(?:step|sample|epoch))?\b")
_BAR = re.compile(r"[━=>.\-]{5,}")
# A number: not the tail of a name (float32, x1) nor of another number.
_NUMBER = re.compile(
    r"(?<![\w.])-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])"
    r"|(?<![\w.])-?\b(?:nan|inf|NaN|Inf)\b"
)
_SPACE = re.compile(r"\s+")


def normalise(text):
    """Text as it would look at the end of a run: carriage returns applied,
    colours, addresses, timings and progress bars neutralised, blank lines
    and trailing spaces dropped.

    >>> normalise("epoch 1\\r\\x1b[1mepoch 2\\x1b[0m  \\n\\n<obj at 0x7f3a2b1c>")
    'epoch 2\\n<obj at 0x?>'
    """
    if text is None:
        return ""
    text = _ANSI.sub("", text)
    lines = []
    for line in text.split("\n"):
        line = line.rsplit("\r", 1)[-1].rstrip()
        if line.strip():
            lines.append(line)
    text = "\n".join(lines)
    text = _ADDRESS.sub("0x?", text)
    text = _TIMING.sub("<time>", text)
    text = _BAR.sub("<bar>", text)
    return text


def tokens(text):
    """Split normalised text into ("t", text without whitespace) and
    ("n", float) tokens.

    >>> tokens("shape=(2,), dtype=float32, numpy=-1.5")
    [('t', 'shape=('), ('n', 2.0), ('t', ',),dtype=float32,numpy='), ('n', -1.5)]
    """
    out = []
    pos = 0
    for m in _NUMBER.finditer(text):
        chunk = _SPACE.sub("", text[pos:m.start()])
        if chunk:
            out.append(("t", chunk))
        out.append(("n", float(m.group().lower().replace("nan", "nan"))))
        pos = m.end()
    chunk = _SPACE.sub("", text[pos:])
    if chunk:
        out.append(("t", chunk))
    return out


def _close(a, b, rtol, atol):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))


def _last_digit(text):
    """One unit in the last printed digit of a number written with 3 or more
    significant digits and a decimal point, else 0.

    >>> _last_digit("0.525"), _last_digit("0.3"), _last_digit("12")
    (0.001, 0, 0)
    """
    mantissa = text.lower().split("e")[0]
    if "." not in mantissa or len(mantissa.replace("-", "").replace(".", "").lstrip("0")) < 3:
        return 0
    exponent = int(text.lower().split("e")[1]) if "e" in text.lower() else 0
    return 10.0 ** (exponent - len(mantissa.split(".")[1]))


def first_difference(a, b, rtol=RTOL, atol=ATOL):
    """None when ``a`` and ``b`` show the same, else a short description of
    the first difference.

    Two numbers printed to the same precision (3 or more significant digits)
    may also differ by one unit in their last digit: values within the
    tolerance can round to neighbouring last digits (0.5245 and 0.5244 print
    as 0.525 and 0.524 with ``:.3f``).

    >>> first_difference("loss 0.25", "loss 0.2500001") is None
    True
    >>> first_difference("loss 0.25", "loss 0.3")
    'number 0.25 != 0.3'
    >>> first_difference("lowest 0.525", "lowest 0.524") is None
    True
    >>> first_difference("lowest 0.525", "lowest 0.523")
    'number 0.525 != 0.523'
    """
    na, nb = normalise(a), normalise(b)
    ta, tb = tokens(na), tokens(nb)
    sa = iter(m.group() for m in _NUMBER.finditer(na))
    sb = iter(m.group() for m in _NUMBER.finditer(nb))
    for x, y in zip(ta, tb):
        if x[0] != y[0]:
            return f"{x[1]!r} != {y[1]!r}"
        if x[0] == "t" and x[1] != y[1]:
            return f"text {x[1][:60]!r} != {y[1][:60]!r}"
        if x[0] == "n":
            unit_a, unit_b = _last_digit(next(sa, "")), _last_digit(next(sb, ""))
            rounding = unit_a if unit_a == unit_b else 0
            if not _close(x[1], y[1], rtol, atol + rounding * 1.0001):
                return f"number {x[1]:g} != {y[1]:g}"
    if len(ta) != len(tb):
        longer, n = (ta, len(tb)) if len(ta) > len(tb) else (tb, len(ta))
        side = "first" if longer is ta else "second"
        return f"{side} has more: {longer[n][1]!r}..."
    return None


def same(a, b, rtol=RTOL, atol=ATOL):
    """True when outputs ``a`` and ``b`` show the same (see module doc)."""
    return first_difference(a, b, rtol, atol) is None


def shown(result):
    """The text a cell showed: stdout, then its displayed value."""
    parts = [result.get("stdout") or ""]
    if result.get("display") is not None:
        parts.append(result["display"])
    return "\n".join(p for p in parts if p)
