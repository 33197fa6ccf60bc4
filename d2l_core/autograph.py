"""AutoGraph: Python ``if``, ``while`` and ``for`` on tensors inside ``d2l.function``.

While ``d2l.function`` traces a function, its tensors are symbolic: they have
no value, so ``if x > 0:`` cannot pick a branch. TensorFlow's answer, which
this module copies in design, is to rewrite the function's *source* before
tracing: every ``if``, ``while`` and ``for`` becomes a call to a small helper
that decides **at run time** what to do::

    if x > 0:                              def if_body_1():
        y = x                                  nonlocal y
    else:                     becomes          y = x
        y = -x                             def else_body_1(): ...
                                           ag__.if_stmt(x > 0, if_body_1, else_body_1,
                                                        get_state_1, set_state_1, ('y',), 3)

``if_stmt`` runs plain Python when the condition is a Python value (so code
on Python values unrolls while tracing, as before) and builds ``d2l.cond``
when it is a symbolic tensor. The variables a statement assigns are its
*state*: ``get_state``/``set_state`` read and write them (through
``nonlocal``), so a helper can run both branches from the same start and pass
the results out as the outputs of ``cond`` or the loop variables of
``while_loop``.

Before that rewrite, ``break``, ``continue`` and ``return`` inside ``if`` and
loops are *lowered* to flags (``break_1 = True`` and the rest of the block
guarded by ``if not break_1:``; ``return v`` sets ``do_return`` and
``retval_``), so they too work on tensors; what follows an ``if`` whose one
branch always returns becomes its other branch. ``a and b``, ``a or b``,
``not a`` and ``a if t else b`` become ``ag__.and_``/``or_``/``not_``/``if_exp``,
and every call ``f(...)`` becomes ``ag__.converted_call(f)(...)``, which
converts the user's own functions too (never d2l_core's or a library's).

>>> import d2l_core as d2l
>>> @d2l.function
... def absolute(x):
...     if x > 0:
...         return x
...     return -x
>>> absolute(d2l.constant(-3.0)).numpy(), absolute(d2l.constant(2.0)).numpy()
(np.float32(3.0), np.float32(2.0))
>>> print(d2l.autograph.to_code(absolute.python_function).splitlines()[0])
def absolute(x):

The converted code is compiled with the original file name and line numbers,
so tracebacks point at your lines. What AutoGraph cannot turn into graph
control flow raises an error naming the construct, its line and the fix.
"""
import ast
import builtins
import copy
import functools
import inspect
import os
import sysconfig
import textwrap
import types

import numpy as np

from . import nest
from .errors import NotSupportedError, OperatorNotAllowedInGraphError
from .ops.array import identity, zeros
from .ops.array import range as _tensor_range
from .ops.array import shape as _shape
from .ops.math import less, logical_and, logical_not, logical_or
from .tensor import Tensor, Variable, convert_to_tensor
from .tensor_shape import TensorShape


# ============================================================== values without a value

def _range(*args):
    """Python's ``range`` in converted code: over a tensor bound, ``d2l.range`` (so a ``for``
    over it becomes a ``while_loop``), as TensorFlow's AutoGraph does."""
    if any(isinstance(a, Tensor) for a in args):
        return _tensor_range(*args)
    return builtins.range(*args)


class Undefined:
    """A variable's value where it has none: assigned later, or in one branch only.

    Using it (an operator, an attribute, ``bool``, converting it) raises the
    error it carries, which names the variable and the fix.
    """

    __slots__ = ("error", "name")
    __array_ufunc__ = None

    def __init__(self, name, error=None):
        self.name = name
        self.error = error

    def fail(self, *args, **kwargs):
        if self.error is not None:
            raise self.error
        raise UnboundLocalError(f"local variable '{self.name}' is used before it is assigned")

    def __getattr__(self, attr):
        if attr.startswith("__") and attr not in ("__array_interface__", "__array_struct__"):
            raise AttributeError(attr)
        self.fail()

    def __repr__(self):
        return f"<undefined {self.name}>"

    __bool__ = __iter__ = __len__ = __call__ = __getitem__ = __array__ = __index__ = fail
    __float__ = __int__ = __str__ = __format__ = __neg__ = __abs__ = __invert__ = fail
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = fail
    __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = fail
    __rpow__ = __matmul__ = __rmatmul__ = __lt__ = __le__ = __gt__ = __ge__ = fail
    __and__ = __rand__ = __or__ = __ror__ = fail


def _is_undefined(x):
    return type(x) is Undefined


def _check_defined(value):
    """``value`` itself, unless it is (or holds) an Undefined: then that one's error."""
    for leaf in nest.flatten(value, sort_keys=False):
        if _is_undefined(leaf):
            leaf.fail()
    return value


# ============================================================== run-time helpers (ag__)

_NUMBERS = (bool, int, float, np.bool_, np.number)
_RETVAL, _DO_RETURN = "retval_", "do_return"


def _tensorish(x):
    return isinstance(x, (Tensor,) + _NUMBERS)


def _as_tensor(x, dtype=None):
    if isinstance(x, Tensor):
        return x
    return convert_to_tensor(x, dtype=dtype)


def _read(x):
    """A Variable's value as a traced read (``if v > 0`` already reads it; ``if v:`` and
    ``for x in v`` must too, or they would use the value it has while tracing)."""
    return identity(x) if isinstance(x, Variable) else x


def _shape_text(shape):
    return "<unknown>" if shape.rank is None else str(tuple(shape.as_list()))


class Runtime:
    """The helpers converted code calls as ``ag__.name``: plain Python for Python values,
    ``cond``/``while_loop`` for symbolic tensors.

    ``function`` makes the one instance, handing in its tracing ``cond`` and
    ``while_loop`` and its test for a symbolic tensor (this module sits below
    it and knows nothing of graphs).
    """

    Undefined = Undefined

    def __init__(self, cond, while_loop, is_symbolic):
        self.cond, self.while_loop, self.is_symbolic = cond, while_loop, is_symbolic

    # ---------------------------------------------------------- expressions
    def not_(self, x):
        return logical_not(x) if self.is_symbolic(x) else not x

    def and_(self, first, *rest):
        value = first
        for more in rest:
            if self.is_symbolic(value):
                value = logical_and(value, _as_tensor(more()))
            elif not value:
                return value
            else:
                value = more()
        return value

    def or_(self, first, *rest):
        value = first
        for more in rest:
            if self.is_symbolic(value):
                value = logical_or(value, _as_tensor(more()))
            elif value:
                return value
            else:
                value = more()
        return value

    def if_exp(self, test, body, orelse, line):
        """``body() if test else orelse()``; on a tensor ``test``, a ``cond``."""
        test = _read(test)
        if not self.is_symbolic(test):
            return body() if test else orelse()
        return self.cond(test, body, orelse)

    def converted_call(self, fn):
        """``fn`` converted when it is the user's own Python function, else ``fn`` itself.
        ``range`` becomes ``_range``: with a tensor bound it is ``d2l.range``, as in TF."""
        if fn is builtins.range:
            return _range
        return _converted_or_same(fn, self)

    def ld(self, value):
        """A function's returned value, checked for variables that have no value."""
        return _check_defined(value)

    def guard(self, test, construct, line):
        """The test of an ``if``/``while`` AutoGraph leaves as Python: a tensor is an error."""
        if self.is_symbolic(test):
            raise OperatorNotAllowedInGraphError(
                f"line {line}: an `if` or `while` on a tensor inside {construct} cannot be "
                f"converted by AutoGraph: {_UNCONVERTED[construct]}")
        return test

    def guard_iter(self, iterable, construct, line):
        if self.is_symbolic(iterable):
            raise OperatorNotAllowedInGraphError(
                f"line {line}: a `for` over a tensor inside {construct} cannot be converted by "
                f"AutoGraph: {_UNCONVERTED[construct]}")
        return iterable

    # ---------------------------------------------------------- if
    def if_stmt(self, test, body, orelse, get_state, set_state, names, line, mutated=None):
        """``if test: body() else: orelse()``; on a tensor ``test``, a ``cond`` whose outputs
        are the variables the branches assign."""
        test = _read(test)
        if not self.is_symbolic(test):
            if test:
                body()
            else:
                orelse()
            return
        self._refuse_mutation(mutated, "an `if` on a tensor", line)
        merge = _IfMerge(names, line, get_state())

        def branch(k, fn):
            def traced():
                set_state(merge.init)
                fn()
                return merge.outputs(k, get_state())
            return traced
        outs = self.cond(test, branch(0, body), branch(1, orelse))
        set_state(merge.after(list(outs)))

    # ---------------------------------------------------------- loops
    def while_stmt(self, test, body, get_state, set_state, names, line, mutated=None,
                   opts=None):
        """``while test(): body()``; once ``test()`` is a tensor, a ``while_loop`` over the
        variables the body assigns."""
        t = _read(test())
        while not self.is_symbolic(t):
            if not t:
                return
            body()
            t = _read(test())
        self._refuse_mutation(mutated, "a `while` loop on a tensor", line)
        self._tensor_loop(test, body, get_state, set_state, names, line, opts)

    def for_stmt(self, iterable, extra_test, body, get_state, set_state, names, line,
                 mutated=None, opts=None):
        """``for x in iterable: body(x)``, stopping when ``extra_test()`` (a lowered ``break``
        or ``return``) is false; over a symbolic tensor, a ``while_loop`` on an index."""
        iterable = _read(iterable)
        if not self.is_symbolic(iterable):
            for item in iterable:
                body(item)
                if extra_test is not None:
                    go_on = extra_test()
                    if self.is_symbolic(go_on):
                        raise OperatorNotAllowedInGraphError(
                            f"line {line}: a `break` or `return` that depends on a tensor inside "
                            f"a `for` over a Python {type(iterable).__name__}: that loop unrolls "
                            "while tracing and cannot stop on a value known only when the "
                            "function runs. Loop over d2l.range(n) instead, so the loop is a "
                            "tensor loop too.")
                    if not go_on:
                        break
            return
        self._refuse_mutation(mutated, "a `for` loop over a tensor", line)
        dims = iterable.shape
        if dims.rank == 0:
            raise TypeError(f"line {line}: cannot iterate over a scalar tensor {iterable!r}; a "
                            "`for` over a tensor walks its first axis")
        n = dims[0] if dims.rank is not None and dims[0] is not None else _shape(iterable)[0]
        index = [convert_to_tensor(0)]

        def loop_test():
            go_on = less(index[0], n)
            return go_on if extra_test is None else self.and_(go_on, extra_test)

        def loop_body():
            i = index[0]
            index[0] = i + 1
            body(iterable[i])

        def get():
            return (index[0],) + tuple(get_state())

        def put(values):
            index[0] = values[0]
            set_state(values[1:])
        self._tensor_loop(loop_test, loop_body, get, put, ("<index>",) + tuple(names), line,
                          opts)

    def _tensor_loop(self, test, body, get_state, set_state, names, line, opts=None):
        init = list(get_state())
        options = opts() if opts is not None else {}     # from set_loop_options in the body
        if _RETVAL in names and not _tensorish(init[names.index(_RETVAL)]):
            raise _return_in_loop(line)
        carried = [i for i, v in enumerate(init) if _tensorish(v)]     # the loop variables
        # identity: the loop variables must be symbolic for while_loop to build a graph loop;
        # a loop that only assigns Variables carries a dummy counter.
        start = [identity(_as_tensor(init[i])) for i in carried] or [identity(0)]
        relaxed = {id(t): TensorShape(shape) for t, shape in options.get("shape_invariants", ())}
        shapes = [relaxed.get(id(init[i]), x.shape) for i, x in zip(carried, start)] or [
            start[0].shape]
        before = list(init)     # what the others hold in each run of the body
        for i, v in enumerate(init):
            if _is_undefined(v):
                before[i] = Undefined(names[i], ValueError(
                    f"'{names[i]}' must be defined before the loop on a tensor at line {line}: "
                    "it is assigned only inside it, and the loop may run zero times; give it a "
                    "value before the loop"))

        def load(values):
            state = list(before)
            for i, v in zip(carried, values):
                state[i] = v
            set_state(state)

        def loop_test(*values):
            load(values)
            t = test()
            return t if self.is_symbolic(t) else convert_to_tensor(bool(t))

        def loop_body(*values):
            load(values)
            body()
            state = list(get_state())
            for i, v in enumerate(state):
                if i not in carried and not _is_undefined(init[i]) and v is not init[i]:
                    raise _changed_in_loop(names[i], init[i], v, line)
            out = []
            for i, x0, shape in zip(carried, start, shapes):
                v = state[i]
                if _is_undefined(v):
                    v.fail()
                if not _tensorish(v):
                    raise TypeError(f"'{names[i]}' is a tensor before the loop on a tensor at "
                                    f"line {line} but a {type(v).__name__} after one iteration; "
                                    "keep it a tensor")
                v = _as_tensor(v, None if isinstance(v, Tensor) else x0.dtype)
                if v.dtype is not x0.dtype:
                    raise TypeError(
                        f"'{names[i]}' has dtype {x0.dtype.name} before the loop on a tensor at "
                        f"line {line}, but dtype {v.dtype.name} after one iteration; start it "
                        f"with the dtype it gets in the loop (e.g. 0.0 rather than 0), or "
                        f"d2l.cast it")
                if not shape.is_compatible_with(v.shape):
                    raise ValueError(
                        f"'{names[i]}' has shape {_shape_text(shape)} before the loop on a "
                        f"tensor at line {line}, but shape {_shape_text(v.shape)} after one "
                        "iteration; a tensor loop keeps each variable's shape unless "
                        "d2l.autograph.experimental.set_loop_options(shape_invariants=[(var, "
                        "d2l.TensorShape([None]))]) in the loop says which may change. Or "
                        "start from a tensor of the final shape (d2l.zeros) and write step i "
                        "into it, e.g. with d2l.tensor_scatter_nd_update(acc, [[i]], [value]) "
                        "(d2l_core has no TensorArray)")
                out.append(v)
            return out or list(values)
        load(list(self.while_loop(loop_test, loop_body, start, shape_invariants=shapes,
                                  maximum_iterations=options.get("maximum_iterations"))))

    def _refuse_mutation(self, mutated, construct, line):
        """A Python list (dict, set) changed in place under tensor control flow would get what
        one trace of the body adds, not one entry per iteration: refuse."""
        for name, get in mutated or ():
            try:
                value = get()
            except Exception:       # noqa: BLE001, S112  (not there yet: nothing to refuse)
                continue
            if isinstance(value, (list, dict, set)):
                raise OperatorNotAllowedInGraphError(
                    f"line {line}: the Python {type(value).__name__} '{name}' is changed inside "
                    f"{construct}. That code runs once, while tracing (both branches of an "
                    "`if`), so the container would not change as the code runs each time. Keep "
                    "values in tensors: start from a tensor of the final shape (d2l.zeros) and "
                    "write into it with d2l.tensor_scatter_nd_update, or loop over a Python "
                    "range(n) so the loop unrolls and the list grows while tracing (d2l_core has "
                    "no TensorArray)")


def _return_in_loop(line):
    return NotSupportedError(
        f"line {line}: a `return` inside a loop on a tensor is not supported (nor in "
        "TensorFlow); keep the result in a variable defined before the loop, `break`, and return "
        "it after the loop")


def _changed_in_loop(name, old, new, line):
    if name == _RETVAL:
        return _return_in_loop(line)
    return TypeError(f"'{name}' is a Python {type(old).__name__} before the loop on a tensor "
                     f"at line {line} and is given another value in its body; only tensors "
                     "(and Python numbers, which become tensors) can change in a tensor loop")


def _return_mismatch(line, a, b):
    def kind(v):
        return "a tensor" if _tensorish(v) else repr(v) if v is None else f"a {type(v).__name__}"
    return ValueError(f"line {line}: the function returns {kind(a)} on one path and {kind(b)} on "
                      "another, and which path runs depends on a tensor; return a tensor of the "
                      "same dtype on every path (TensorFlow: the else branch must also have a "
                      "return statement)")


class _IfMerge:
    """What an ``if`` on a tensor outputs, and what each variable holds after it.

    ``cond`` traces the main branch first, so that branch decides which
    variables are outputs (those holding tensors or numbers); the else branch
    must then give each a tensor of the same dtype, and the variables neither
    branch makes a tensor keep a Python value both agree on.
    """

    def __init__(self, names, line, init):
        self.names, self.line, self.init = names, line, init
        self.raw = [None, None]
        self.slots = []           # indices of the variables that are outputs
        self.specs = []           # their dtypes and shapes in the main branch
        self.undefined = {}       # index -> the Undefined a variable holds after the if

    def _did_return(self, state):
        if _DO_RETURN in self.names:
            return state[self.names.index(_DO_RETURN)]
        return False

    def outputs(self, k, state):
        self.raw[k] = state
        if k == 0:
            out = []
            for i, v in enumerate(state):
                if _tensorish(v):
                    t = _as_tensor(v)
                    self.slots.append(i)
                    self.specs.append(t)
                    out.append(t)
            return out
        main, out = self.raw[0], []
        for i, ref in zip(self.slots, self.specs):
            out.append(self._else_output(i, main[i], state[i], ref, state))
        for i, (a, b) in enumerate(zip(main, state)):
            if i not in self.slots:
                self._check_python(i, a, b, state)
        return out

    def _else_output(self, i, a, b, ref, state):
        name, line = self.names[i], self.line
        if _tensorish(b):
            t = _as_tensor(b)
            if t.dtype is not ref.dtype:
                raise TypeError(f"'{name}' has dtype {ref.dtype.name} in the main branch, but "
                                f"dtype {t.dtype.name} in the else branch of the `if` on a "
                                f"tensor at line {line}; give both the same dtype (d2l.cast)")
            return t
        placeholder = zeros([d if d is not None else 0 for d in ref.shape.as_list()]
                            if ref.shape.rank is not None else [], ref.dtype)
        if name == _RETVAL and b is None and self._did_return(state) is False:
            return placeholder        # this path has not returned yet: its value is never used
        if name == _RETVAL:
            raise _return_mismatch(line, ref, b)
        if _is_undefined(b):
            self.undefined[i] = Undefined(name, ValueError(
                f"'{name}' must also be initialized in the else branch of the `if` on a tensor "
                f"at line {line}: it is assigned in the main branch only; assign it in both "
                "branches or before the if"))
            return placeholder
        raise TypeError(f"'{name}' is a tensor in the main branch but a {type(b).__name__} in "
                        f"the else branch of the `if` on a tensor at line {line}; make both "
                        "tensors")

    def _check_python(self, i, a, b, state):
        name, line = self.names[i], self.line
        if a is b or _is_undefined(a) and _is_undefined(b):
            return
        if _is_undefined(a) or _is_undefined(b):
            where = "main" if _is_undefined(a) else "else"
            self.undefined[i] = Undefined(name, ValueError(
                f"'{name}' must also be initialized in the {where} branch of the `if` on a "
                f"tensor at line {line}: it is assigned in one branch only; assign it in both "
                "branches or before the if"))
            return
        if name == _RETVAL:
            raise _return_mismatch(line, a, b)
        if _tensorish(b):
            raise ValueError(f"the `if` on a tensor at line {line} gives '{name}' a "
                             f"{type(a).__name__} in the main branch and a {type(b).__name__} in "
                             "the else branch; make both tensors (for a return value: return a "
                             "tensor on every path)")
        try:
            same = type(a) is type(b) and bool(a == b)
        except Exception:       # noqa: BLE001  (== may not give a bool: then they differ)
            same = False
        if not same:
            raise ValueError(f"the `if` on a tensor at line {line} gives the Python variable "
                             f"'{name}' different values in its branches ({a!r:.40} and "
                             f"{b!r:.40}); which one holds is known only when the function runs, "
                             "so only tensors may differ between the branches")

    def after(self, outs):
        """The state after the ``if``: cond's outputs, or the agreed Python values."""
        main, other = self.raw
        state = list(main)
        for i, t in zip(self.slots, outs):
            a, b = main[i], other[i]
            keep = a is b or (isinstance(a, _NUMBERS) and type(a) is type(b) and a == b)
            state[i] = a if keep else t
        for i, u in self.undefined.items():
            state[i] = u
        return state


# ============================================================== which functions convert

_LIBRARY_DIRS = tuple(os.path.realpath(p) + os.sep for p in {
    os.path.dirname(__file__),                                   # d2l_core itself
    *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib"))})
_CONVERTED = "__d2l_autograph_converted__"
_DO_NOT_CONVERT = "__d2l_autograph_do_not_convert__"


def do_not_convert(func=None):
    """Mark ``func`` so AutoGraph calls it as it is (``tf.autograph.experimental.do_not_convert``).

    >>> @d2l.autograph.experimental.do_not_convert
    ... def helper(x):
    ...     return x
    >>> d2l.autograph.to_code(helper) is None
    True
    """
    if func is None:
        return do_not_convert
    try:
        setattr(func, _DO_NOT_CONVERT, True)
    except AttributeError:
        pass
    return func


def _user_function(fn):
    """True for a Python function AutoGraph may convert: not marked, not converted, no lambda."""
    return isinstance(fn, types.FunctionType) and not getattr(fn, _CONVERTED, False) and \
        not getattr(fn, _DO_NOT_CONVERT, False) and fn.__name__ != "<lambda>"


def _library_code(code):
    """True for code of d2l_core, the standard library or an installed package."""
    return os.path.realpath(code.co_filename).startswith(_LIBRARY_DIRS)


_cache = {}      # code object -> factory, or None: each code is looked at once
_UNSEEN = object()


def convert(fn, runtime):
    """``fn`` with its control flow converted, or ``fn`` itself when it cannot be converted
    (no source: a lambda typed at a prompt, a builtin; a library's function; a generator
    keeps Python control flow but refuses tensors in it)."""
    if isinstance(fn, types.MethodType):
        inner = convert(fn.__func__, runtime)
        return fn if inner is fn.__func__ else types.MethodType(inner, fn.__self__)
    if isinstance(fn, functools.partial):
        inner = convert(fn.func, runtime)
        return fn if inner is fn.func else functools.partial(inner, *fn.args, **fn.keywords)
    if not _user_function(fn):
        return fn
    factory = _cache.get(fn.__code__, _UNSEEN)
    if factory is _UNSEEN:
        factory = _cache[fn.__code__] = None if _library_code(fn.__code__) else _factory(fn)
    if factory is None:
        return fn
    converted = factory(fn, runtime)
    setattr(converted, _CONVERTED, True)
    return converted


def _converted_or_same(fn, runtime):
    if isinstance(fn, (types.FunctionType, types.MethodType, functools.partial)):
        return convert(fn, runtime)
    return fn


def _factory(fn):
    """Compile the converted source of ``fn`` once; return make(fn, runtime) -> new function."""
    tree = _converted_tree(fn)
    if tree is None:
        return None
    freevars = fn.__code__.co_freevars
    wrapper = ast.FunctionDef(
        name="__autograph_factory",
        args=ast.arguments(posonlyargs=[], args=[ast.arg("ag__")] + [ast.arg(v) for v in freevars],
                           kwonlyargs=[], kw_defaults=[], defaults=[]),
        body=[tree, ast.Return(ast.Name(tree.name, ast.Load()))], decorator_list=[],
        returns=None, type_comment=None)
    module = ast.fix_missing_locations(ast.Module([wrapper], type_ignores=[]))
    namespace = {}
    exec(compile(module, fn.__code__.co_filename, "exec"), namespace)   # noqa: S102
    template = namespace["__autograph_factory"].__code__

    def make(fn, runtime):
        outer = types.FunctionType(template, fn.__globals__)
        made = outer(runtime, *([None] * len(freevars)))
        cells = dict(zip(freevars, fn.__closure__ or ()))
        closure = tuple(cells.get(v, c) for v, c in zip(made.__code__.co_freevars,
                                                         made.__closure__ or ()))
        new = types.FunctionType(made.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                                 closure)
        new.__kwdefaults__ = fn.__kwdefaults__
        new.__dict__.update(fn.__dict__)
        new.__doc__, new.__qualname__, new.__module__ = fn.__doc__, fn.__qualname__, fn.__module__
        new.__wrapped__ = fn
        return new
    return make


def to_code(fn, recursive=True, experimental_optional_features=None):
    """The source AutoGraph runs in place of ``fn``, as text (``tf.autograph.to_code``);
    None when ``fn`` is not converted (no source, a library function, do_not_convert).

    >>> def clip(x):
    ...     if x > 1.0:
    ...         x = 1.0
    ...     return x
    >>> print(d2l.autograph.to_code(clip))
    def clip(x):
        def if_body_1():
            nonlocal x
            x = 1.0
    <BLANKLINE>
        def else_body_1():
            pass
    <BLANKLINE>
        def get_state_1():
            return (x,)
    <BLANKLINE>
        def set_state_1(vars_):
            nonlocal x
            x, = vars_
        ag__.if_stmt(x > 1.0, if_body_1, else_body_1, get_state_1, set_state_1, ('x',), 2)
        return ag__.ld(x)
    """
    fn = getattr(fn, "python_function", fn)
    fn = getattr(fn, "__func__", fn)
    if not _user_function(fn):
        return None
    tree = _converted_tree(fn, relative=True)
    return None if tree is None else ast.unparse(tree)


# ============================================================== source to tree

_UNCONVERTED = {
    "a try statement": "move the tensor `if`/`while`/`for` out of the `try` (or use d2l.cond / "
                       "d2l.while_loop inside it)",
    "a generator": "AutoGraph does not convert generators (functions with `yield`); write the "
                   "loop with d2l.while_loop, or return a tensor instead of yielding",
}


def _converted_tree(fn, relative=False):
    """The FunctionDef of ``fn``, converted; None when its source is not available."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == fn.__name__]
    if len(defs) != 1:
        return None                      # a lambda, an async def, a def made by exec
    node = defs[0]
    first = fn.__code__.co_firstlineno
    if not relative:
        ast.increment_lineno(tree, first - 1)
    node.decorator_list = []
    args = node.args
    args.defaults = [ast.Constant(None) for _ in args.defaults]       # fn.__defaults__ are kept
    args.kw_defaults = [None if d is None else ast.Constant(None) for d in args.kw_defaults]
    node.returns = None
    return _Converter(fn, node).convert()


def _names_bound(stmts):
    """Names the statements bind in their own scope (not in nested functions or classes)."""
    found = []

    def add(name):
        if name not in found:
            found.append(name)

    def target(t):
        for n in ast.walk(t):
            if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
                add(n.id)

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node.name)
            for d in node.decorator_list:
                visit(d)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                             ast.GeneratorExp)):
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                add((a.asname or a.name).split(".")[0])
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            add(node.id)
            return
        if isinstance(node, ast.ExceptHandler) and node.name:
            add(node.name)
        for child in ast.iter_child_nodes(node):
            visit(child)
    for s in stmts:
        visit(s)
    return found


_MUTATORS = {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault",
             "add", "discard", "popitem", "sort", "reverse"}


def _containers_mutated(stmts):
    """What is changed in place: ``x.append(...)``, ``self.items[i] = ...``, ``del x[i]``: the
    expressions ``x``, ``self.items`` (a name or its attributes)."""
    found = {}
    for s in stmts:
        for n in ast.walk(s):
            base = None
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and \
                    n.func.attr in _MUTATORS:
                base = n.func.value
            elif isinstance(n, ast.Subscript) and isinstance(n.ctx, (ast.Store, ast.Del)):
                base = n.value
            root = base
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                found.setdefault(ast.unparse(base), base)
    return found


def _contains(stmts, kinds, into_loops=True):
    """True when a statement of ``kinds`` is in ``stmts`` (not in nested functions)."""
    for s in stmts:
        for n in _walk_scope(s, into_loops):
            if isinstance(n, kinds):
                return True
    return False


def _walk_scope(node, into_loops=True):
    yield node
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if not into_loops and isinstance(child, (ast.For, ast.While)):
            continue
        yield from _walk_scope(child, into_loops)


def _always_returns(stmts):
    """True when every path through ``stmts`` ends in a ``return`` (or a ``raise``)."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    return isinstance(last, ast.If) and _always_returns(last.body) and \
        _always_returns(last.orelse)


def _name(id_, store=False):
    return ast.Name(id_, ast.Store() if store else ast.Load())


def _assign(name, value):
    return ast.Assign([_name(name, True)], value)


def _not(expr):
    return ast.UnaryOp(ast.Not(), expr)


def _stops(flags):
    """``not (flag1 or flag2)``: the test that guards what follows a break/continue/return."""
    flags = list(flags)
    test = _name(flags[0]) if len(flags) == 1 else ast.BoolOp(ast.Or(), [_name(f) for f in flags])
    return _not(test)


# ============================================================== the conversion

class _Converter(ast.NodeTransformer):
    """Lowers break/continue/return to flags, then rewrites statements into ag__ calls."""

    def __init__(self, fn, node):
        self.fn, self.node = fn, node
        self.count = 0
        self.generated = set()      # names of the functions this conversion makes
        self.shared = set()         # names generated functions declare nonlocal
        self.construct = None       # 'a try statement' / 'a generator' while inside one
        params = node.args
        self.params = {a.arg for a in params.posonlyargs + params.args + params.kwonlyargs}
        self.params |= {a.arg for a in (params.vararg, params.kwarg) if a is not None}
        self.declared = {}          # name -> 'global' / 'nonlocal', as the function declares
        for n in _walk_scope(node):
            if isinstance(n, (ast.Global, ast.Nonlocal)):
                for name in n.names:
                    self.declared[name] = "global" if isinstance(n, ast.Global) else "nonlocal"

    def convert(self):
        node = self.node
        if _contains(node.body, (ast.Yield, ast.YieldFrom)):
            self.construct = "a generator"
            node.body = self._body(node.body)
            return ast.fix_missing_locations(node)
        body = self._lower_function(node.body)
        new = []
        for s in body:
            r = self.visit(s)
            new.extend(r if isinstance(r, list) else [r])
        uninitialised = sorted(self.shared - self.params - set(self.declared) - {
            _DO_RETURN, _RETVAL})        # the lowering gives those two a value first
        init = [_assign(n, ast.Call(ast.Attribute(_name("ag__"), "Undefined", ast.Load()),
                                    [ast.Constant(n)], [])) for n in uninitialised]
        doc = new[:1] if new and isinstance(new[0], ast.Expr) and \
            isinstance(new[0].value, ast.Constant) and isinstance(new[0].value.value, str) else []
        node.body = doc + init + new[len(doc):]
        return ast.fix_missing_locations(node)

    # ---------------------------------------------------------- lowering
    def _fresh(self, base):
        self.count += 1
        return f"{base}_{self.count}"

    def _lower_function(self, body):
        nested_return = _contains([s for s in body if not isinstance(s, ast.Return)], ast.Return)
        if not nested_return:
            return self._lower(body, loop=None, returns=False)[0]
        if not body or not isinstance(body[-1], ast.Return):
            body = body + [ast.copy_location(ast.Return(None), body[-1])]   # falling off the end
        lowered = self._lower(body, loop=None, returns=True)[0]
        return ([_assign(_DO_RETURN, ast.Constant(False)), _assign(_RETVAL, ast.Constant(None))]
                + lowered + [ast.Return(_name(_RETVAL))])

    def _lower(self, stmts, loop, returns):
        """(statements, flags they may set): break/continue/return become flag assignments
        and what follows a statement that may set one is guarded by ``if not flag``."""
        out, flags = [], set()
        for i, s in enumerate(stmts):
            rest = stmts[i + 1:]
            if isinstance(s, ast.Return) and returns:
                value = s.value if s.value is not None else ast.Constant(None)
                out += [ast.copy_location(_assign(_DO_RETURN, ast.Constant(True)), s),
                        ast.copy_location(_assign(_RETVAL, value), s)]
                return out, flags | {_DO_RETURN}
            if isinstance(s, (ast.Break, ast.Continue)) and loop is not None:
                flag = loop["break" if isinstance(s, ast.Break) else "continue"]
                out.append(ast.copy_location(_assign(flag, ast.Constant(True)), s))
                return out, flags | {flag}
            set_here = set()
            if isinstance(s, ast.If) and returns and rest and \
                    (_always_returns(s.body) or _always_returns(s.orelse)):
                # `if c: return a` then more: the more is the else (dead after two returns), so
                # a variable the more assigns is defined on every path that reaches it.
                if not _always_returns(s.body):
                    s.body = s.body + rest
                elif not _always_returns(s.orelse):
                    s.orelse = s.orelse + rest
                s.body, a = self._lower(s.body, loop, returns)
                s.orelse, b = self._lower(s.orelse, loop, returns)
                out.append(s)
                return out, flags | a | b
            if isinstance(s, ast.If):
                s.body, a = self._lower(s.body, loop, returns)
                s.orelse, b = self._lower(s.orelse, loop, returns)
                set_here = a | b
                out.append(s)
            elif isinstance(s, (ast.While, ast.For)):
                lowered, set_here = self._lower_loop(s, returns)
                out += lowered
            elif isinstance(s, (ast.With, ast.Try)):
                s.body, set_here = self._lower(s.body, loop, returns)
                if isinstance(s, ast.Try):
                    for h in s.handlers:
                        h.body, f = self._lower(h.body, loop, returns)
                        set_here |= f
                    s.orelse, f = self._lower(s.orelse, loop, returns)
                    s.finalbody, g = self._lower(s.finalbody, loop, returns)
                    set_here |= f | g
                out.append(s)
            else:
                out.append(s)
            flags |= set_here
            if set_here and rest:
                guarded, more = self._lower(rest, loop, returns)
                out.append(ast.copy_location(ast.If(_stops(sorted(set_here)), guarded, []),
                                             rest[0]))
                return out, flags | more
        return out, flags

    def _lower_loop(self, s, returns):
        uses_break = _contains(s.body, ast.Break, into_loops=False)
        uses_continue = _contains(s.body, ast.Continue, into_loops=False)
        loop = {"break": self._fresh("break") if uses_break else None,
                "continue": self._fresh("continue") if uses_continue else None}
        body, set_in_body = self._lower(s.body, loop, returns)
        if uses_continue:
            body = [_assign(loop["continue"], ast.Constant(False))] + body
        stops = sorted(f for f in set_in_body if f in (loop["break"], _DO_RETURN))
        before = [_assign(loop["break"], ast.Constant(False))] if uses_break else []
        s.body = body
        if isinstance(s, ast.While):
            if stops:
                s.test = ast.BoolOp(ast.And(), [_stops(stops), s.test])
        else:
            s.ag_extra_test = _stops(stops) if stops else None
        after = []
        if s.orelse:
            orelse, f = self._lower(s.orelse, None, returns)
            after = [ast.If(_stops([loop["break"]]), orelse, [])] if uses_break else orelse
            set_in_body |= f
            s.orelse = []
        outer_flags = {f for f in set_in_body if f == _DO_RETURN}
        return before + [s] + after, outer_flags

    # ---------------------------------------------------------- rewriting
    def _line(self, node):
        return getattr(node, "lineno", 0)

    def _body(self, stmts):
        out = []
        for s in stmts:
            r = self.visit(s)
            out.extend(r if isinstance(r, list) else [r])
        return out or [ast.Pass()]

    def _bound(self, stmts):
        return [n for n in _names_bound(stmts) if n not in self.generated]

    def _def(self, name, args, body, shared):
        self.generated.add(name)
        decl = self._declarations(shared)
        return ast.FunctionDef(
            name=name, args=ast.arguments(posonlyargs=[], args=[ast.arg(a) for a in args],
                                          kwonlyargs=[], kw_defaults=[], defaults=[]),
            body=decl + body, decorator_list=[], returns=None, type_comment=None)

    def _declarations(self, names):
        nonlocal_, global_ = [], []
        for n in names:
            (global_ if self.declared.get(n) == "global" else nonlocal_).append(n)
        self.shared.update(nonlocal_)
        return ([ast.Global(global_)] if global_ else []) + \
            ([ast.Nonlocal(nonlocal_)] if nonlocal_ else [])

    def _state_fns(self, tag, names):
        get = self._def(f"get_state_{tag}", [], [ast.Return(ast.Tuple(
            [_name(n) for n in names], ast.Load()))], [])
        target = ast.Tuple([_name(n, True) for n in names], ast.Store())
        set_ = self._def(f"set_state_{tag}", ["vars_"],
                         [ast.Assign([target], _name("vars_"))] if names else [ast.Pass()], names)
        return [get, set_]

    def _mutated(self, tag, stmts):
        """``(), ((text, lambda: container), ...)`` for what ``stmts`` change in place."""
        found = {t: e for t, e in _containers_mutated(stmts).items()
                 if t.split(".")[0] not in self.generated}
        if not found:
            return [], []
        pairs = [ast.Tuple([ast.Constant(t), _lambda(copy.deepcopy(e))], ast.Load())
                 for t, e in found.items()]
        for p in pairs:
            for n in ast.walk(p):
                if isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)):
                    n.ctx = ast.Load()
        return [], [ast.Tuple(pairs, ast.Load())]

    def _call(self, helper, args, keywords=()):
        return ast.Expr(ast.Call(ast.Attribute(_name("ag__"), helper, ast.Load()), args,
                                 list(keywords)))

    def _loop_options(self, node):
        """Take ``set_loop_options(...)`` out of the loop's body: ``[opts=lambda: {...}]``."""
        options = [s for s in node.body if isinstance(s, ast.Expr) and
                   isinstance(s.value, ast.Call) and _callee(s.value.func) == "set_loop_options"]
        if not options:
            return []
        node.body = [s for s in node.body if s not in options] or [ast.Pass()]
        kw = options[-1].value.keywords
        table = ast.Dict([ast.Constant(k.arg) for k in kw], [k.value for k in kw])
        return [ast.keyword("opts", _lambda(table))]

    def visit_If(self, node):
        if self.construct:
            node.test = self._guard(node.test, node)
            node.body, node.orelse = self._body(node.body), self._body(node.orelse) \
                if node.orelse else []
            return node
        test, body, orelse = node.test, node.body, node.orelse
        if _assigns(orelse, _RETVAL) and not _assigns(body, _RETVAL):
            body, orelse, test = orelse, body, _not(test)    # trace the returning branch first
        test = self.visit(test)
        tag = self._tag(node)
        names = self._bound(body + orelse)
        extra, margs = self._mutated(tag, body + orelse)
        fns = [self._def(f"if_body_{tag}", [], self._body(body), self._bound(body)),
               self._def(f"else_body_{tag}", [], self._body(orelse), self._bound(orelse))]
        fns += self._state_fns(tag, names)
        call = self._call("if_stmt", [test] + [_name(f.name) for f in fns] +
                          [_const_tuple(names), ast.Constant(self._line(node))] + margs)
        return _located(fns + extra + [call], node)

    def visit_While(self, node):
        if self.construct:
            node.test = self._guard(node.test, node)
            node.body = self._body(node.body)
            return node
        tag = self._tag(node)
        opts = self._loop_options(node)
        names = self._bound(node.body)
        extra, margs = self._mutated(tag, node.body)
        test = self._def(f"loop_test_{tag}", [], [ast.Return(self.visit(node.test))], [])
        body = self._def(f"loop_body_{tag}", [], self._body(node.body), names)
        fns = [test, body] + self._state_fns(tag, names)
        call = self._call("while_stmt", [_name(f.name) for f in fns] +
                          [_const_tuple(names), ast.Constant(self._line(node))] + margs, opts)
        return _located(fns + extra + [call], node)

    def visit_For(self, node):
        if self.construct:
            node.iter = ast.Call(ast.Attribute(_name("ag__"), "guard_iter", ast.Load()),
                                 [self.visit(node.iter), ast.Constant(self.construct),
                                  ast.Constant(self._line(node))], [])
            node.body = self._body(node.body)
            return node
        tag = self._tag(node)
        opts = self._loop_options(node)
        assign_target = ast.Assign([node.target], _name("itr"))
        names = self._bound([assign_target] + node.body)
        extra, margs = self._mutated(tag, node.body)
        fns = []
        extra_test = getattr(node, "ag_extra_test", None)
        if extra_test is not None:
            fns.append(self._def(f"extra_test_{tag}", [], [ast.Return(self.visit(extra_test))],
                                 []))
        body = self._def(f"loop_body_{tag}", ["itr"],
                         [assign_target] + self._body(node.body), names)
        fns += [body] + self._state_fns(tag, names)
        args = [self.visit(node.iter),
                _name(fns[0].name) if extra_test is not None else ast.Constant(None)]
        args += [_name(f.name) for f in fns[-3:]]
        call = self._call("for_stmt", args + [_const_tuple(names),
                                              ast.Constant(self._line(node))] + margs, opts)
        return _located(fns + extra + [call], node)

    def visit_Try(self, node):
        outer, self.construct = self.construct, "a try statement"
        try:
            node.body = self._body(node.body)
            for h in node.handlers:
                h.body = self._body(h.body)
            node.orelse = self._body(node.orelse) if node.orelse else []
            node.finalbody = self._body(node.finalbody) if node.finalbody else []
        finally:
            self.construct = outer
        return node

    def visit_BoolOp(self, node):
        values = [self.visit(v) for v in node.values]
        rest = [_lambda(v) for v in values[1:]]
        helper = "and_" if isinstance(node.op, ast.And) else "or_"
        return _located([ast.Call(ast.Attribute(_name("ag__"), helper, ast.Load()),
                                  [values[0]] + rest, [])], node)[0]

    def visit_IfExp(self, node):
        node = self.generic_visit(node)
        if self.construct:
            return node
        call = ast.Call(ast.Attribute(_name("ag__"), "if_exp", ast.Load()),
                        [node.test, _lambda(node.body), _lambda(node.orelse),
                         ast.Constant(self._line(node))], [])
        return _located([call], node)[0]

    def visit_UnaryOp(self, node):
        node = self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return _located([ast.Call(ast.Attribute(_name("ag__"), "not_", ast.Load()),
                                      [node.operand], [])], node)[0]
        return node

    def visit_Call(self, node):
        node = self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Name) and f.id == "super" and not node.args and self.node.args.args:
            node.args = [_name("__class__"), _name(self.node.args.args[0].arg)]
            return node
        if isinstance(f, ast.Name) and f.id in _FRAME_BUILTINS or \
                isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                f.value.id == "ag__":
            return node
        node.func = _located([ast.Call(ast.Attribute(_name("ag__"), "converted_call", ast.Load()),
                                       [f], [])], f)[0]
        return node

    def visit_Return(self, node):
        if node.value is not None and not self.construct:
            node.value = _located([ast.Call(ast.Attribute(_name("ag__"), "ld", ast.Load()),
                                            [self.visit(node.value)], [])], node)[0]
        return node

    def visit_FunctionDef(self, node):
        return node          # nested functions convert when they are called

    visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = visit_FunctionDef

    def _guard(self, test, node):
        return ast.Call(ast.Attribute(_name("ag__"), "guard", ast.Load()),
                        [self.visit(test), ast.Constant(self.construct),
                         ast.Constant(self._line(node))], [])

    def _tag(self, node):
        self.count += 1
        return str(self.count)


_FRAME_BUILTINS = {"super", "locals", "globals", "vars", "eval", "exec", "dir"}


def _located(stmts, node):
    """``stmts``, with the line of ``node`` on every generated part (user code keeps its own), so
    tracebacks point at the statement they came from."""
    line = getattr(node, "lineno", None)
    if line is None:                     # made by the lowering: fix_missing_locations fills it
        return stmts
    for s in stmts:
        for n in ast.walk(s):
            if "lineno" in n._attributes and getattr(n, "lineno", None) is None:
                n.lineno = n.end_lineno = line
                n.col_offset = n.end_col_offset = getattr(node, "col_offset", 0)
    return stmts


def _callee(func):
    """The name a call calls: ``f`` for ``f(...)`` and ``a.b.f(...)``."""
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def _lambda(expr):
    return ast.Lambda(ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                    defaults=[]), expr)


def _const_tuple(names):
    return ast.Constant(tuple(names))


def _assigns(stmts, name):
    return name in _names_bound(stmts)


# ============================================================== tf.autograph.experimental

def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """Options for the tensor loop this call is in (``tf.autograph.experimental.set_loop_options``).

    AutoGraph takes the call out of the loop's body and hands
    ``shape_invariants`` (``[(variable, shape with None where it may change)]``)
    and ``maximum_iterations`` to ``d2l.while_loop``; run as plain Python it
    does nothing.

    >>> @d2l.function
    ... def squares(n):
    ...     acc = d2l.zeros([0])
    ...     for i in d2l.range(n):
    ...         d2l.autograph.experimental.set_loop_options(
    ...             shape_invariants=[(acc, d2l.TensorShape([None]))])
    ...         acc = d2l.concat([acc, [d2l.cast(i * i, d2l.float32)]], 0)
    ...     return acc
    >>> squares(d2l.constant(4)).numpy()
    array([0., 1., 4., 9.], dtype=float32)
    """


experimental = types.SimpleNamespace(do_not_convert=do_not_convert,
                                     set_loop_options=set_loop_options)
