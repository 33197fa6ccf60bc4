"""Instant self-checks for the course's exercises.

Every graded exercise ends with a test cell that reads like this::

    check = d2l.check('q2', 'center the rows')
    check.close(center_rows(X), [[-1., 0., 1.]], 'a 1x3 matrix',
                hint='subtract each row mean from its own row')
    check.done()

Each check passes quietly or stops the cell with an ``AssertionError`` that
names the check and shows what was expected, what your code gave, and a
hint. Because it is an ``AssertionError``, nbgrader gives the cell zero
points when a check fails.

Your copy of an exercise holds only the public checks. The instructor's copy
also holds hidden ones (after a ``check.hidden()`` line) that probe edge
cases; they run when your work is graded. So when every check in your copy
passes, ``done()`` says "public checks passed" and reminds you that hidden
checks run at grading -- it never claims more than what actually ran.
"""

import dis
import types

import numpy as np

__all__ = ["check", "Check"]


def check(question, title=""):
    """Start the checks of one exercise question.

    >>> import d2l_core as d2l
    >>> c = d2l.check('q1', 'warm-up')
    >>> c.equal(1 + 1, 2, 'one plus one')
    >>> c.done()
    ✔ q1 (warm-up): 1 public check passed. Hidden checks run at grading.
    """
    return Check(question, title)


class Check:
    """The checks of one question: ``equal``, ``close``, ``true``, ``raises``.

    A failing check raises ``AssertionError`` with expected, actual and hint:

    >>> c = Check('q2', 'shapes')
    >>> c.equal((2, 3), (3, 2), 'shape of the transpose',
    ...         hint='transposing swaps the two axes')
    Traceback (most recent call last):
    AssertionError: ✘ q2 (shapes) failed the check: shape of the transpose
        expected: (3, 2)
        actual:   (2, 3)
        hint:     transposing swaps the two axes
    """

    def __init__(self, question, title=""):
        self.name = f"{question} ({title})" if title else str(question)
        self.public_passed = 0
        self.hidden_passed = 0
        self.in_hidden = False

    def hidden(self):
        """Mark the checks after this line as hidden (instructor's copy only)."""
        self.in_hidden = True

    # -- the checks ----------------------------------------------------------

    def equal(self, actual, expected, what, hint=None):
        """Check that ``actual`` equals ``expected`` exactly.

        Tensors and arrays must match in shape and in every value; tuples and
        lists count as the same (``[3, 4]`` equals ``(3, 4)``).

        >>> Check('q').equal([3, 4], (3, 4), 'a shape')
        """
        __tracebackhide__ = True
        if _is_array(actual) or _is_array(expected):
            self._compare_arrays(actual, expected, what, hint, exact=True)
        elif _plain(actual) != _plain(expected):
            self._fail(what, hint, expected=_show(expected), actual=_show(actual))
        self._passed()

    def close(self, actual, expected, what, hint=None, rtol=1e-5, atol=1e-6):
        """Check that numbers agree up to rounding: same shape, values close.

        >>> Check('q').close(0.1 + 0.2, 0.3, 'a sum')
        """
        __tracebackhide__ = True
        self._compare_arrays(actual, expected, what, hint, rtol=rtol, atol=atol)
        self._passed()

    def true(self, condition, what, hint=None, expected=None, actual=None):
        """Check that ``condition`` holds; ``expected``/``actual`` explain it.

        >>> Check('q').true(0.004 < 0.01, 'final loss below 0.01')
        """
        __tracebackhide__ = True
        if not condition:
            self._fail(what, hint, expected=expected, actual=actual)
        self._passed()

    def raises(self, error, func, what, hint=None):
        """Check that calling ``func()`` raises ``error`` (a type or a tuple).

        >>> Check('q').raises(ZeroDivisionError, lambda: 1 / 0, 'divide by 0')
        """
        __tracebackhide__ = True
        expected = f"an error of type {_error_names(error)}"
        try:
            result = func()
        except error:
            self._passed()
            return
        except Exception as e:  # the wrong kind of error
            actual = f"{type(e).__name__}: {e}"
        else:
            actual = f"no error; it returned {_show(result)}"
        self._fail(what, hint, expected=expected, actual=actual)

    # -- constraints an exercise states ("no Python loops", "not with X") ------

    def no_loops(self, func, what, hint=None):
        """Check that ``func`` (and every function or comprehension inside it) has no loop.

        Loops are found in the compiled code, so renaming or hiding them in a
        comprehension does not help; calling another function of yours that
        loops is caught too when that function is defined in the notebook.

        >>> def total(xs):
        ...     return sum(x for x in xs)
        >>> Check('q').no_loops(total, 'no Python loops')
        Traceback (most recent call last):
        AssertionError: ✘ q failed the check: no Python loops
            actual:   total loops (a for or while loop, or a comprehension)
        """
        __tracebackhide__ = True
        looping = [name for name, code in _own_code(func) if _loops(code)]
        if looping:
            self._fail(what, hint, actual=f"{looping[0]} loops (a for or while loop, "
                                          "or a comprehension)")
        self._passed()

    def avoids(self, func, names, what, hint=None):
        """Check that ``func``'s code never names any of ``names`` (functions it must not use).

        >>> import numpy as np
        >>> def shape(a, b):
        ...     return np.broadcast_shapes(a, b)
        >>> Check('q').avoids(shape, ['broadcast_shapes'], 'plain Python, no NumPy helper')
        Traceback (most recent call last):
        AssertionError: ✘ q failed the check: plain Python, no NumPy helper
            actual:   shape uses broadcast_shapes
        """
        __tracebackhide__ = True
        for name, code in _own_code(func):
            used = sorted(set(names) & _names_in(code))
            if used:
                self._fail(what, hint, actual=f"{name} uses {', '.join(used)}")
        self._passed()

    def uses(self, func, names, what, hint=None):
        """Check that ``func``'s code names at least one of ``names`` (what it must use).

        >>> def slope(f, x):
        ...     return (f(x + 1e-3) - f(x)) / 1e-3
        >>> Check('q').uses(slope, ['GradientTape'], 'the tape computes it')
        Traceback (most recent call last):
        AssertionError: ✘ q failed the check: the tape computes it
            expected: a use of GradientTape
            actual:   slope never names it
        """
        __tracebackhide__ = True
        code = list(_own_code(func))
        if not any(set(names) & _names_in(c) for _, c in code):
            self._fail(what, hint, expected=f"a use of {' or '.join(names)}",
                       actual=f"{code[0][0] if code else repr(func)} never names it")
        self._passed()

    def done(self):
        """Print a one-line summary: what ran and passed, never more."""
        n, h = self.public_passed, self.hidden_passed
        checks = "check" if n + h == 1 else "checks"
        if h:
            print(f"✔ {self.name}: {n} public and {h} hidden {checks} passed.")
        else:
            print(f"✔ {self.name}: {n} public {checks} passed. "
                  "Hidden checks run at grading.")

    # -- helpers -------------------------------------------------------------

    def _passed(self):
        if self.in_hidden:
            self.hidden_passed += 1
        else:
            self.public_passed += 1

    def _fail(self, what, hint, expected=None, actual=None):
        __tracebackhide__ = True
        kind = "hidden check" if self.in_hidden else "check"
        lines = [f"✘ {self.name} failed the {kind}: {what}"]
        if expected is not None:
            lines.append(f"    expected: {expected}")
        if actual is not None:
            lines.append(f"    actual:   {actual}")
        if hint:
            lines.append(f"    hint:     {hint}")
        message = "\n".join(lines)
        raise AssertionError(message)  # a check failed: the message below says which, and why

    def _compare_arrays(self, actual, expected, what, hint, exact=False,
                        rtol=0.0, atol=0.0):
        __tracebackhide__ = True
        want = _to_array(expected)
        got = _to_array(actual)
        if got is None or got.dtype == object:
            self._fail(what, hint, expected=_show_array(want),
                       actual=f"{_show(actual)} (not a tensor or number)")
        if got.shape != want.shape:
            self._fail(what, hint, expected=f"shape {want.shape}",
                       actual=f"shape {got.shape}")
        if exact:
            same = np.array_equal(got, want)
        else:
            same = np.allclose(got, want, rtol=rtol, atol=atol)
        if not same:
            self._fail(what, hint, expected=_show_array(want),
                       actual=_show_array(got))


def _own_code(func, seen=None):
    """(name, code object) of ``func``, its nested code, and the notebook functions it calls.

    The functions followed are those defined in the same module as ``func`` (a
    notebook's ``__main__``); library functions are not followed.
    """
    seen = set() if seen is None else seen
    func = getattr(func, "__func__", func)
    if isinstance(func, type):       # a class: every method defined in its body
        for value in vars(func).values():
            if isinstance(value, (types.FunctionType, staticmethod, classmethod, property)):
                target = value.fget if isinstance(value, property) else value
                yield from _own_code(target, seen)
        return
    code = getattr(func, "__code__", None)
    if code is None:
        return
    module = getattr(func, "__module__", None)
    stack = [code]
    while stack:
        code = stack.pop()
        if id(code) in seen:
            continue
        seen.add(id(code))
        yield func.__qualname__, code       # nested code (a comprehension) counts as func's
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
        for name in code.co_names:    # notebook helpers it calls: followed too
            other = getattr(func, "__globals__", {}).get(name)
            if (isinstance(other, (types.FunctionType, type))
                    and getattr(other, "__module__", None) == module):
                yield from _own_code(other, seen)


def _loops(code):
    """Does this code object loop (iterate, or jump backwards)?"""
    for ins in dis.get_instructions(code):
        if ins.opname in ("FOR_ITER", "GET_AITER", "SEND") or "BACKWARD" in ins.opname:
            return True
        if ins.opname in ("JUMP_ABSOLUTE", "POP_JUMP_IF_FALSE", "POP_JUMP_IF_TRUE") and \
                isinstance(ins.argval, int) and ins.argval < ins.offset:
            return True
    return False


def _names_in(code):
    """Every global, attribute and variable name a code object mentions."""
    return set(code.co_names) | set(code.co_varnames) | set(code.co_freevars)


def _is_array(x):
    return isinstance(x, np.ndarray) or hasattr(x, "numpy")


def _to_array(x):
    """A NumPy array from a tensor, array, number or nested list; None for None."""
    if x is None:
        return None
    if hasattr(x, "numpy"):
        x = x.numpy()
    try:
        return np.asarray(x)
    except (TypeError, ValueError):  # ragged lists and other odd things
        return np.asarray(x, dtype=object)


def _plain(x):
    """Shapes and lists as tuples, so (3, 4), [3, 4] and TensorShape agree."""
    if hasattr(x, "as_list"):
        x = x.as_list()
    if isinstance(x, list):
        return tuple(_plain(v) for v in x)
    if isinstance(x, tuple):
        return tuple(_plain(v) for v in x)
    return x


def _show(x):
    text = repr(_plain(x))
    return text if len(text) <= 200 else text[:197] + "..."


def _show_array(a):
    if a.ndim == 0:
        return repr(a.item())
    body = np.array2string(a, precision=4, threshold=24, separator=", ")
    body = body.replace("\n", "\n" + " " * 14)  # keep rows under 'expected: '
    return f"{body} (shape {a.shape})"


def _error_names(error):
    if isinstance(error, tuple):
        return " or ".join(e.__name__ for e in error)
    return error.__name__
