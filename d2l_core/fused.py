"""Fused elementwise kernels: a few lines of arithmetic as one GPU launch.

On a GPU every NumPy-style operation is a kernel launch, and a launch costs
the host several microseconds whatever the array's size. An optimizer's
update (Adam: ten operations per variable) or a gradient rule (ReLU's:
compare, then multiply) pays that cost again and again for arrays that stay
small. PyTorch answers with hand-written fused kernels; here a kernel is a
few statements of arithmetic written once, in the subset of syntax that C
and Python share::

    adam = Elementwise("adam", "T g, T b1, T b2, T alpha, T eps", "T w, T m, T v", '''
        m = m + (g - m) * (1 - b1);
        v = v + (g * g - v) * (1 - b2);
        w = w - alpha * m / (sqrt(v) + eps)''')
    adam(g, 0.9, 0.999, 1e-3, 1e-7, w, m, v)      # w, m and v change in place

On a GPU the statements compile into one ``cupy.ElementwiseKernel``; on the
CPU (and on the test suite's CuPy stand-in) the same text runs as NumPy
expressions, so the CPU tests check the arithmetic of every GPU kernel.
``T`` is the dtype of the array arguments; scalars are cast to it, so
float32 math stays float32 on both sides. Outputs are updated in place (and
returned). The functions a body may call are ``sqrt``, ``exp``, ``log``,
``maximum``, ``minimum`` (NaN-propagating, as NumPy's) and ``where``.

The first launch of each kernel for each dtype on a real GPU is checked
against the NumPy-style statements run by CuPy (one kernel per operation);
if compiling fails or the results differ, a warning says so and that slower
path is used from then on: a fused kernel can make a step faster, never wrong.
"""
import re
import sys
import warnings

import numpy as np

from . import backend

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?)|([A-Za-z_]\w*)|(<=|>=|==|!=|[-+*/(),<>]))")
_STATEMENT = re.compile(r"^\s*(?:T\s+)?([A-Za-z_]\w*)\s*([-+*/]?=)\s*(.+?)\s*$", re.S)
_FUNCTIONS = ("sqrt", "exp", "log", "maximum", "minimum", "where")

# C definitions of the functions NumPy has and CUDA lacks (or spells otherwise). CuPy puts
# its ``typedef ... T;`` before the preamble, so the templates use other letters.
_PREAMBLE = """
template <typename V> __device__ V maximum(V a, V b) { return (a != a || a > b) ? a : b; }
template <typename V> __device__ V minimum(V a, V b) { return (a != a || a < b) ? a : b; }
template <typename V, typename W> __device__ V where(bool c, V a, W b) { return c ? a : (V)b; }
"""


KERNELS = []          # every Elementwise made: tests compile each one's CUDA source


def _params(spec):
    """'T g, float32 lr' -> [('T', 'g'), ('float32', 'lr')]."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        kind, _, name = part.rpartition(" ")
        out.append((kind.strip() or "T", name))
    return out


class Elementwise:
    """One fused elementwise kernel: ``inputs`` and ``outputs`` declared as CuPy declares them.

    ``kind`` says which dtypes ``T`` may be, 'float' or 'int' (the tests compile
    each kernel's CUDA for those).

    >>> axpy = Elementwise("axpy", "T x, T a", "T y", "y = y + a * x")
    >>> y = np.ones(3, np.float32)
    >>> axpy(np.arange(3, dtype=np.float32), 2.0, y)
    array([1., 3., 5.], dtype=float32)

    Given only the inputs, it makes the outputs (their broadcast shape), as CuPy does:

    >>> double = Elementwise("double", "T x", "T y", "y = x + x")
    >>> double(np.arange(3.0))
    array([0., 2., 4.])
    """

    def __init__(self, name, inputs, outputs, body, kind="float"):
        self.name, self.kind = name, kind     # kind of T: 'float' or 'int' (the CUDA tests)
        self.defined_in = sys._getframe(1).f_globals.get("__name__")   # for the CUDA tests
        self.inputs, self.outputs = _params(inputs), _params(outputs)
        for _, n in self.inputs + self.outputs:
            if n in ("i", "T") or n.startswith("_"):   # CuPy's loop index, type and internals
                raise ValueError(f"fused kernel {name}: {n!r} is reserved in CuPy kernels; "
                                 "choose another parameter name")
        self._in_spec, self._out_spec = inputs, outputs
        statements = [s for s in body.split(";") if s.strip()]
        self.statements = []
        known = {n for _, n in self.inputs + self.outputs} | set(_FUNCTIONS)
        for text in statements:
            m = _STATEMENT.match(text)
            if m is None:
                raise ValueError(f"fused kernel {name}: cannot read the statement {text.strip()!r}; "
                                 "write 'name = expression', 'name += expression' or "
                                 "'T name = expression'")
            target, assign, expr = m.groups()
            self._check(expr, known)
            known.add(target)
            self.statements.append((target, assign, compile(expr, f"<{name}>", "eval")))
        self.c_body = ";\n".join(s.strip() for s in statements) + ";"
        self._gpu = {}         # dtype -> compiled kernel, or None where it failed its check
        KERNELS.append(self)

    def _check(self, expr, known):
        tokens, pos = [], 0
        while pos < len(expr.rstrip()):
            m = _TOKEN.match(expr, pos)
            if m is None:
                raise ValueError(f"fused kernel {self.name}: {expr[pos:].strip()[:20]!r} is not "
                                 "arithmetic both C and Python read the same way (use numbers, "
                                 f"parameters, + - * / ( ), comparisons and {', '.join(_FUNCTIONS)})")
            if m.group(2) and m.group(2) not in known:
                raise ValueError(f"fused kernel {self.name}: unknown name {m.group(2)!r}; declare "
                                 "it as an input or output, or assign it first")
            tokens.append(m.group().strip())
            pos = m.end()
        # Text both languages parse but read differently: ** (power / dereference),
        # // (floor division / a comment) and the division of two integers (C truncates).
        for a, b, c in zip(tokens, tokens[1:] + [""], tokens[2:] + ["", ""]):
            if a == b and a in "*/":
                raise ValueError(f"fused kernel {self.name}: '{a}{a}' means different things in "
                                 f"Python and C; write x * x, or / ({expr.strip()!r})")
            if b == "/" and a.isdigit() and c.isdigit():
                raise ValueError(f"fused kernel {self.name}: C truncates {a} / {c} to an integer; "
                                 f"write {a}.0 / {c} ({expr.strip()!r})")

    def __call__(self, *args):
        n_in = len(self.inputs)
        if len(args) == n_in:            # outputs not given: new ones, as CuPy makes them
            args = args + self._new_outputs(args)
        if len(args) != n_in + len(self.outputs):
            raise TypeError(f"fused kernel {self.name}: takes {n_in + len(self.outputs)} "
                            f"arguments ({self._in_spec}; {self._out_spec}), got {len(args)}; "
                            f"or just the {n_in} inputs, to get new outputs")
        outs = args[n_in:]
        xp = backend.xp_of(outs[0])
        if xp is not np and hasattr(xp, "ElementwiseKernel"):
            kernel = self._compiled(xp, args)
            if kernel is not None:
                kernel(*args)
                return outs if len(outs) > 1 else outs[0]
        return self.run_statements(xp, args)

    def _t(self, args):
        """The dtype ``T`` stands for: that of the first array given for a ``T`` parameter."""
        for (kind, _), a in zip(self.inputs + self.outputs, args, strict=False):   # or inputs only
            if kind == "T" and hasattr(a, "dtype"):
                return a.dtype
        raise TypeError(f"fused kernel {self.name}: no array is given for a T parameter, so "
                        "its dtype is unknown")

    def _new_outputs(self, inputs):
        """Outputs of the inputs' broadcast shape: ``T`` or each one's declared dtype."""
        arrays = [a for a in inputs if hasattr(a, "shape")]
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
        xp, t = backend.xp_of(arrays[0]), self._t(inputs)
        return tuple(xp.empty(shape, t if kind == "T" else np.dtype(kind))
                     for kind, _ in self.outputs)

    def run_statements(self, xp, args):
        """Run the body as NumPy-style expressions with ``xp`` (NumPy, CuPy or the stand-in)."""
        outs = args[len(self.inputs):]
        t = self._t(args).type
        scope = {name: (t(v) if kind == "T" and not hasattr(v, "shape") else v)
                 for (kind, name), v in zip(self.inputs + self.outputs, args, strict=True)}
        scope.update(sqrt=xp.sqrt, exp=xp.exp, log=xp.log, maximum=xp.maximum,
                     minimum=xp.minimum, where=xp.where)
        out_names = {n for _, n in self.outputs}
        with np.errstate(all="ignore"):        # a GPU computes inf and nan without a word
            for target, assign, code in self.statements:
                value = eval(code, {"__builtins__": {}}, scope)  # noqa: S307  (checked arithmetic)
                if assign != "=":
                    value = {"+=": xp.add, "-=": xp.subtract, "*=": xp.multiply,
                             "/=": xp.divide}[assign](scope[target], value)
                if target in out_names:
                    scope[target][...] = value
                else:
                    scope[target] = value
        return outs if len(outs) > 1 else outs[0]

    def _compiled(self, cp, args):
        key = tuple(a.dtype if hasattr(a, "dtype") else type(a) for a in args)
        if key in self._gpu:
            return self._gpu[key]
        kernel = None
        try:
            # No fused multiply-add: each + and * rounds as NumPy's do, so the GPU's
            # results are the CPU's to the bit wherever the body uses + - * / and sqrt.
            kernel = cp.ElementwiseKernel(self._in_spec, self._out_spec, self.c_body,
                                          f"d2l_{self.name}", preamble=_PREAMBLE,
                                          options=("--fmad=false",))
            if not getattr(cp, "__fake__", False):
                self._verify(cp, kernel, args)
        except Exception as e:  # a compile error or a wrong result: use the unfused path
            warnings.warn(f"fused kernel {self.name} does not work on this GPU ({e}); using "
                          "one kernel per operation instead (correct, slower). Please report "
                          "it with your CuPy and CUDA versions.", RuntimeWarning, stacklevel=3)
            kernel = None
        self._gpu[key] = kernel
        return kernel

    def _verify(self, cp, kernel, args):
        n_in = len(self.inputs)
        fused = [a.copy() for a in args[n_in:]]
        plain = [a.copy() for a in args[n_in:]]
        kernel(*args[:n_in], *fused)
        self.run_statements(cp, (*args[:n_in], *plain))
        for a, b in zip(fused, plain, strict=True):
            tol = 1e-5 if a.dtype.itemsize <= 4 else 1e-12
            if not bool(cp.allclose(a, b, rtol=tol, atol=tol, equal_nan=True)):
                raise ValueError("its result differs from the unfused operations")
