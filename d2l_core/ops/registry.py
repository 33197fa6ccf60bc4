"""The op registry: everything d2l_core knows about an op, in one entry beside its kernel.

Each public op is registered where it is defined::

    @op("Softplus", exports=("math", "nn"), kind=UNARY,
        test=Test(lambda a: np.logaddexp(0, a), domain=(-4.0, 4.0)))
    def softplus(x, name=None): ...

    @gradient("softplus")
    def _softplus_grad(dy, inputs, y, attrs): ...

and everything else is generated from the entries: the namespaces
(``d2l.X``, ``d2l.math.X``, ``d2l.nn.X``, ...), graph mode's op types, the
activation lookup, and the property, gradient, GPU-parity and graph-mode
test tables. Adding an op is one change in one file.

**The gradient contract** (one for every op, as in TensorFlow's
``RegisterGradient``): ``grad(dy, inputs, output, attrs)`` gets the gradient
of the op's output (for an op with several outputs, a list with one gradient
or None per output), the op's input tensors, its output (or tuple of
outputs) and the ``attrs`` the forward pass recorded (a dict, or None), and
returns a tuple with one gradient (or None) per input. Gradients are written
with d2l_core ops, so an outer tape records them and higher orders are free.

>>> from d2l_core.ops import registry
>>> softplus = registry.OPS["softplus"]
>>> softplus.type, softplus.exports, softplus.differentiable
('Softplus', ('math', 'nn'), True)
"""
from dataclasses import dataclass, field

import numpy as np

# Shape kinds: how outputs relate to inputs. The test generators draw inputs by kind;
# VALUE means the output's shape depends on input values (graph mode cannot know it).
UNARY = "unary"            # elementwise, one input: same shape
BINARY = "binary"          # elementwise, two inputs broadcast together
REDUCE = "reduce"          # input, axis, keepdims
OTHER = "other"            # its own rule: the entry's samples say how to call it
VALUE = "value"            # output shape depends on input values (boolean_mask, where(c), ...)

FLOATS = ("float32", "float64")
INTS = ("int32", "int64")
NUMBERS = FLOATS + INTS
BOOLS = ("bool",)
STRINGS = ("string",)

NOT_DIFFERENTIABLE = "not differentiable"
COMPOSITE = "composite"     # differentiable through the recorded ops it is made of


@dataclass(frozen=True)
class Test:
    """An op's test data.

    ``reference``: the NumPy computation of the same result (same arguments,
    on arrays; for REDUCE ops, ``reference(a, axis=tuple, keepdims=bool)``),
    or None when the op is checked only through its samples.
    ``domain``: where inputs are drawn: ``(low, high)``, or a function
    ``(rng, shape) -> array`` (e.g. ``away_from_zero`` for ops with a kink at 0).
    ``samples``: for OTHER/VALUE ops (or extra cases), a function
    ``rng -> [Sample, ...]``.
    """
    reference: object = None
    domain: object = (-2.0, 2.0)      # values where the op and its derivatives are smooth
    dtypes: tuple = FLOATS
    rtol: float = 1e-5
    atol: float = 1e-6
    samples: object = None
    deterministic: bool = True      # False for random ops: only shapes and dtypes compare
    grad_eps: float = 1e-5          # the finite-difference step of its gradient checks
    grad_rtol: float = 1e-4         # their tolerance
    smooth: bool = True             # False: inputs drawn by kind may sit on a kink (ties), so
                                    # gradient checks use the listed samples only


@dataclass(frozen=True)
class Sample:
    """One call of an op for the generated tests: ``fn(*tensors_of(arrays))``.

    ``fn`` takes one tensor per array (positional); non-tensor arguments are
    bound inside it. ``reference`` computes the expected value from the arrays,
    when it is known. ``differentiable`` lists which arrays get gradient checks
    (default: every float array).
    """
    fn: object
    arrays: tuple
    reference: object = None
    differentiable: object = None


@dataclass
class OpDef:
    """One op: its public function, TF op type, exports, gradient and test data."""
    name: str
    fn: object
    type: str
    exports: tuple = ("",)
    kind: str = OTHER
    differentiable: bool = True
    grad: object = None
    test: Test = field(default_factory=Test)
    activation: bool = False
    tested_by: str = None        # internal ops checked through another op's tests
    composite: bool = False      # differentiable through the ops it calls, no rule of its own
    kernel: object = None        # the computation alone, on arrays (see ``op``)
    gpu_kernel: bool = True      # False: the kernel works on NumPy arrays only (see ``op``)


OPS = {}             # name -> OpDef, in registration order
_BY_FN = {}          # id(function) -> OpDef


def op(type, exports=("",), kind=OTHER, grad=None, test=None, name=None, activation=False,
       tested_by=None, kernel=None, gpu_kernel=True):
    """Register the decorated function as op ``name`` (default: its own name).

    ``exports`` lists the namespaces it appears in: "" for ``d2l.X``, "math"
    for ``d2l.math.X``, "nn", "linalg", "random", "strings", "io"; "ns.alias" exports it
    under another name too (".truediv" is ``d2l.truediv``). ``grad`` is the gradient
    function, ``NOT_DIFFERENTIABLE``, or ``COMPOSITE`` (the op is made of
    other recorded ops); a gradient function may also come later with
    ``@gradient(name)``. ``kernel`` is the op's computation alone: called with
    the op's arguments, NumPy/CuPy arrays in place of tensors, it returns the
    output's array, with no checks, conversions or recording. ``d2l.function``
    calls it where shapes and dtypes were checked while tracing (after checking
    once that it gives the op's result), on CuPy arrays too when a GPU is the default
    device, unless ``gpu_kernel=False`` says it uses NumPy-only code or reads values on
    the host (a sync per call). The function itself is returned
    unchanged, so calling an op costs nothing extra.

    >>> from d2l_core.ops.registry import op, OPS, NOT_DIFFERENTIABLE
    >>> @op("Twice", exports=(), grad=NOT_DIFFERENTIABLE)
    ... def twice(x): return x * 2
    >>> OPS.pop("twice").type
    'Twice'
    """
    def register(fn):
        key = name or fn.__name__
        if key in OPS:
            raise ValueError(f"op {key!r} is registered twice")
        entry = OpDef(key, fn, type, tuple(exports), kind, grad is not NOT_DIFFERENTIABLE,
                      grad if callable(grad) else None, test or Test(), activation, tested_by,
                      grad is COMPOSITE, kernel, gpu_kernel)
        OPS[key] = entry
        _BY_FN[id(fn)] = entry
        return fn
    return register


def gradient(name):
    """Register the decorated function as op ``name``'s gradient (see the contract above).

    >>> from d2l_core.ops.registry import OPS
    >>> OPS["exp"].grad.__name__
    '_exp_grad'
    """
    def register(grad):
        entry = OPS[name]
        if not entry.differentiable or entry.grad is not None:
            raise ValueError(f"op {name!r} already has a gradient or is marked not differentiable")
        entry.grad = grad
        return grad
    return register


def lookup(fn):
    """The OpDef of public function ``fn``, or None when ``fn`` is not a registered op.

    >>> import d2l_core as d2l
    >>> from d2l_core.ops.registry import lookup
    >>> lookup(d2l.matmul).type
    'MatMul'
    """
    return _BY_FN.get(id(fn))


def exported(namespace):
    """``{public name: function}`` of the ops exported to ``namespace`` ("" is ``d2l`` itself).

    >>> from d2l_core.ops.registry import exported
    >>> sorted(exported("linalg"))[:4]
    ['adjoint', 'band_part', 'cholesky', 'det']
    """
    out = {}
    for e in OPS.values():
        for export in e.exports:
            ns, _, alias = export.partition(".")
            if ns == namespace:
                out[alias or e.name] = e.fn
    return out


def activations():
    """``{name: function}`` of the ops Keras accepts as ``activation='name'``."""
    return {e.name: e.fn for e in OPS.values() if e.activation}


def check_complete():
    """Every differentiable op has a gradient: raise at import otherwise, naming the op."""
    missing = [e.name for e in OPS.values()
               if e.differentiable and e.grad is None and not e.composite]
    if missing:
        raise RuntimeError(f"ops registered as differentiable without a @gradient: {missing}; "
                           "add one, or register them with grad=NOT_DIFFERENTIABLE")


# ============================================================== value makers for Test.domain
# Each returns ``(rng, shape) -> float64 array``: where an op's reference and
# its finite differences are valid (kinks and domain edges kept away).

def uniform(lo=-2.0, hi=2.0):
    """Values in [lo, hi].

    >>> uniform(0, 1)(__import__("numpy").random.default_rng(0), (2,)).shape
    (2,)
    """
    return lambda rng, shape: rng.uniform(lo, hi, size=shape)


def away_from_zero(lo=0.3, hi=2.0):
    """Magnitudes in [lo, hi] with random signs: no kink at 0 (abs, relu, sign) nearby.

    >>> import numpy as np
    >>> bool((np.abs(away_from_zero()(np.random.default_rng(0), (50,))) >= 0.3).all())
    True
    """
    return lambda rng, shape: rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def distinct(spacing=0.3):
    """All values at least ``spacing`` apart: no ties for max, min or sorting.

    >>> import numpy as np
    >>> len(set(distinct()(np.random.default_rng(0), (3, 4)).ravel()))
    12
    """
    def make(rng, shape):
        n = int(np.prod(shape, dtype=int))
        return (rng.permutation(n) * spacing - n * spacing / 2 + rng.uniform(0, 0.05)).reshape(shape)
    return make


def text(words=("Gray", "wolf", "Quick", "brown", "fox", "Lazy", "dog", "héllo", "🥳", "1.5",
                "-20", "", " "), max_words=3):
    """Strings of a few ``words`` joined by spaces (unicode, digits, empty ones included), as an
    object array of UTF-8 ``bytes``: the inputs of ops on ``string`` tensors.

    >>> import numpy as np
    >>> text()(np.random.default_rng(0), (2,)).dtype
    dtype('O')
    """
    def make(rng, shape):
        n = int(np.prod(shape, dtype=int))
        out = [" ".join(rng.choice(words, size=int(rng.integers(0, max_words + 1)))).encode()
               for _ in range(n)]
        return np.array(out, dtype=object).reshape(shape)
    return make


def values(domain, rng, shape):
    """Draw an array of ``shape`` from ``domain`` (a (low, high) pair or a value maker).

    Value makers give floats (float64), or text (``text()``: an object array of bytes).

    >>> import numpy as np
    >>> values((1.0, 2.0), np.random.default_rng(0), ()).shape
    ()
    """
    if callable(domain):
        out = np.asarray(domain(rng, shape))
        return out if out.dtype == object else np.asarray(out, dtype=np.float64)
    return rng.uniform(domain[0], domain[1], size=shape)


# ============================================================== drawing the calls of Test.samples
# Samples draw their shapes, axes and flags from the ``rng`` they are given, so
# every seed the tests draw calls the op differently (scalars and size-1 axes included).

def random_shape(rng, min_dims=0, max_dims=3, min_side=1, max_side=4):
    """A shape of ``min_dims``..``max_dims`` sides, each ``min_side``..``max_side`` long.

    >>> import numpy as np
    >>> random_shape(np.random.default_rng(0), min_dims=2, max_dims=2, max_side=1)
    (1, 1)
    """
    ndim = int(rng.integers(min_dims, max_dims + 1))
    return tuple(int(n) for n in rng.integers(min_side, max_side + 1, size=ndim))


def random_axis(rng, ndim, none=False):
    """An axis of an ``ndim``-dimensional array, negative half the time (``-ndim``..``ndim-1``);
    with ``none=True``, sometimes None (every axis; always for a scalar). Pass ``ndim + 1``
    for the place of a new axis (``expand_dims``, ``stack``).

    >>> import numpy as np
    >>> sorted({random_axis(np.random.default_rng(s), 2) for s in range(20)})
    [-2, -1, 0, 1]
    """
    if none and (ndim == 0 or rng.random() < 0.3):
        return None
    return int(rng.integers(-ndim, ndim))


def broadcastable_shapes(rng, n=2, min_dims=0, max_dims=3, max_side=3):
    """``n`` shapes that broadcast together: sides of 1 and missing leading axes included.

    >>> import numpy as np
    >>> a, b = broadcastable_shapes(np.random.default_rng(1))
    >>> np.broadcast_shapes(a, b) == np.broadcast_shapes(b, a)
    True
    """
    full = random_shape(rng, min_dims, max_dims, 1, max_side)
    shapes = []
    for _ in range(n):
        shape = tuple(1 if rng.random() < 0.3 else d for d in full)
        shapes.append(shape[int(rng.integers(0, len(shape) - min_dims + 1)):])
    return shapes


def random_index(rng, shape):
    """A NumPy basic index into ``shape``: ints, slices (steps negative too, bounds past the
    ends), an Ellipsis and new axes (None), each at random.

    >>> import numpy as np
    >>> key = random_index(np.random.default_rng(3), (4, 5))
    >>> np.zeros((4, 5))[key].ndim >= 0
    True
    """
    key = []
    for n in shape[:int(rng.integers(len(shape) + 1))]:
        kind = rng.integers(3)
        if kind == 0:
            key.append(int(rng.integers(-n, n)))
        elif kind == 1:
            start, stop = (None if rng.random() < 0.3 else int(rng.integers(-n - 1, n + 2))
                           for _ in "ab")
            key.append(slice(start, stop, [None, 1, 2, -1, -3][int(rng.integers(5))]))
        else:
            key.append(slice(None))
    if rng.random() < 0.4:
        key.insert(int(rng.integers(len(key) + 1)), Ellipsis)
    for _ in range(int(rng.integers(3))):
        key.insert(int(rng.integers(len(key) + 1)), None)
    return tuple(key)
