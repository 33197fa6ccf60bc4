"""``einsum``: sums of products named by subscripts, ``'ij,jk->ik'`` (``tf.einsum``).

Each input gets one letter per axis; letters shared between inputs are multiplied
together, letters missing from the output (after ``->``) are summed over. ``...``
stands for leading axes that broadcast. A letter repeated in one input takes a
diagonal (``'ii->i'``, ``'bxby->bxy'``). Without ``->`` the output is every letter
used once, in alphabetical order.

The gradient for input i is itself an einsum: the output's gradient times the other
inputs, with input i's subscripts as the output. Letters that input alone had (summed
away) come back as a ones vector, repeated letters as an identity matrix.

>>> import d2l_core as d2l
>>> a = d2l.reshape(d2l.range(6.0), (2, 3))
>>> d2l.einsum('ij->ji', a).shape
TensorShape([3, 2])
"""
import re
import string

import numpy as np

from ..errors import DTypeMismatchError, InvalidArgumentError
from ..tensor import array_of
from ._op import arrays, as_tensor, numbers_only, record, tapes, wrap, xp_of
from .broadcast import sum_to
from .registry import Sample, Test, broadcastable_shapes, gradient, op, random_shape, uniform

_TERM = re.compile(r"^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$")


def _fail(message):
    raise InvalidArgumentError(f"einsum: {message}", op="einsum")


def _split(term, shape):
    """``shape`` split into the sizes of ``term``'s letters and the axes its ``...`` stands for."""
    if "..." not in term:
        return tuple(shape), ()
    before, after = term.split("...")
    cut = len(shape) - len(after)
    return tuple(shape[:len(before)]) + tuple(shape[cut:]), tuple(shape[len(before):cut])


def _parse(equation, shapes):
    """``(input terms, output term, {letter: size}, [axes of each input's '...'])`` for
    ``equation``, checked against the inputs' ``shapes``.

    Terms keep ``...``; it is dropped from a term where it stands for no axes.
    """
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        _fail(f"equation {equation!r} has {len(terms)} input(s), got {len(shapes)} tensor(s)")
    if not all(_TERM.match(t) for t in terms + [out]) or "->" in out:
        _fail(f"subscripts have an incorrect format: {equation!r}; use letters, commas, one "
              "'->' and '...' at most once per term")
    sizes, ell_shapes = {}, []
    for n, (term, shape) in enumerate(zip(terms, shapes)):
        named, ell = _split(term, shape)
        letters = term.replace("...", "")
        if len(letters) > len(shape) or ("..." not in term and len(letters) != len(shape)):
            _fail(f"input {n} has subscripts {term!r} ({len(letters)} axes) but shape "
                  f"{tuple(shape)} (rank {len(shape)})")
        ell_shapes.append(ell)
        for letter, size in zip(letters, named):
            if sizes.setdefault(letter, size) != size:
                _fail(f"letter {letter!r} stands for axes of different lengths, {sizes[letter]} "
                      f"and {size} (input {n}, shape {tuple(shape)}); einsum does not broadcast "
                      "letters, only '...'")
    try:
        ellipsis = np.broadcast_shapes(*ell_shapes)
    except ValueError:
        _fail(f"the axes that '...' stands for, {ell_shapes}, cannot be broadcast together")
    if not arrow:           # implicit output: letters used once, alphabetically
        counts = [c for c in lhs if c.isalpha()]
        out = ("..." if ellipsis else "") + "".join(
            sorted(c for c in set(counts) if counts.count(c) == 1))
    for letter in out.replace("...", ""):
        if out.count(letter) > 1:
            _fail(f"output subscripts name {letter!r} more than once in {equation!r}")
        if letter not in sizes:
            _fail(f"output subscripts name {letter!r}, which no input has, in {equation!r}")
    if ellipsis and "..." not in out:
        _fail(f"the inputs' '...' stands for axes {ellipsis}, but the output has no '...' to "
              f"put them in: write it, e.g. '...{out}'")
    terms = [t if e or "..." not in t else t.replace("...", "") for t, e in zip(terms, ell_shapes)]
    return terms, (out if ellipsis else out.replace("...", "")), sizes, ell_shapes


def _samples(rng):
    """Products, transposes, reductions, diagonals, three inputs and broadcasting '...'."""
    u = uniform()
    n, m, k, b = (int(d) for d in rng.integers(1, 4, size=4))
    batch_a, batch_b = broadcastable_shapes(rng, max_dims=2)
    cases = [("ij,jk->ik", (n, m), (m, k)), ("ij->ji", (n, m)), ("ij->", (n, m)),
             ("ii->i", (n, n)), ("ii", (n, n)), ("bxby->bxy", (b, n, b, m)),
             ("s,us,vs -> uv", (k,), (n, k), (m, k)), ("ij,ij->ij", (n, m), (n, m)),
             ("i,j", (n,), (m,)), ("...ij,...jk->...ik", batch_a + (n, m), batch_b + (m, k)),
             ("i...j->j...i", (n,) + random_shape(rng, max_dims=2, max_side=2) + (m,)),
             ("ij,jk", (n, m), (m, k))]
    chosen = [cases[i] for i in rng.permutation(len(cases))[:4]]
    out = []
    for eq, *shapes in chosen:
        out.append(Sample(lambda *x, eq=eq: einsum(eq, *x), tuple(u(rng, s) for s in shapes),
                          lambda *x, eq=eq: np.einsum(eq.replace(" ", ""), *x)))
    out.append(Sample(lambda x, y: einsum("ij,jk->ik", x, y),
                      (np.arange(6).reshape(2, 3), np.arange(3).reshape(3, 1)),
                      lambda x, y: x @ y))
    return out


@op("Einsum", exports=("", "linalg"), test=Test(samples=_samples))
def einsum(equation, *inputs, **kwargs):
    """A sum of products of ``inputs`` described by ``equation`` (``tf.einsum``).

    ``'ij,jk->ik'`` is a matrix product, ``'ij->ji'`` a transpose, ``'ii'`` a trace,
    ``'...ij,...jk->...ik'`` a batched product; see the module's docstring.
    All inputs need one dtype (floats or integers).

    >>> a = d2l.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> d2l.einsum('ij,jk->ik', a, a).numpy()
    array([[ 7., 10.],
           [15., 22.]], dtype=float32)
    >>> d2l.einsum('ii', a).numpy()
    np.float32(5.0)
    """
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)            # TensorFlow's contraction-order hint: NumPy picks one
    if kwargs:
        raise TypeError(f"einsum: unexpected keyword argument(s) {sorted(kwargs)}")
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the equation must be a string like 'ij,jk->ik', got "
                        f"{equation!r:.40}")
    xs = [as_tensor(x) for x in inputs]
    for n, x in enumerate(xs):
        numbers_only("einsum", x)
        if x._dtype is not xs[0]._dtype:
            raise DTypeMismatchError(
                f"einsum: all inputs need one dtype, got {xs[0]._dtype.name} (input 0) and "
                f"{x._dtype.name} (input {n}); cast one first, e.g. d2l.cast(x, "
                f"d2l.{xs[0]._dtype.name})", op="einsum")
    values = arrays("einsum", *xs)
    terms, out, sizes, _ = _parse(equation, [v.shape for v in values])
    spec = ",".join(terms) + "->" + out
    y = wrap(xp_of(values[0]).einsum(spec, *values, optimize=len(values) > 2))
    if tapes:
        record("einsum", tuple(xs), y, {"terms": terms, "out": out, "sizes": sizes})
    return y


@gradient("einsum")
def _einsum_grad(dy, inputs, y, attrs):
    terms, out, sizes = attrs["terms"], attrs["out"], attrs["sizes"]
    xp = xp_of(array_of(dy))
    used = set("".join(terms) + out)
    fresh = iter(c for c in string.ascii_letters if c not in used)
    grads = []
    for i, (x, term) in enumerate(zip(inputs, terms)):
        others = [t for j, t in enumerate(terms) if j != i]
        seen = set(out.replace("...", "")).union(*others)
        letters = term.replace("...", "")
        # The letters of input i that the output or another input also has, each once.
        kept = "".join(dict.fromkeys(c for c in letters if c in seen))
        lead = "..." if "..." in out else ""
        g = einsum(",".join([out] + others) + "->" + lead + kept, dy,
                   *(inputs[j] for j in range(len(inputs)) if j != i))
        ell = _split(term, array_of(x).shape)[1]
        g = sum_to(g, ell + tuple(sizes[c] for c in kept))     # axes '...' broadcast over
        # Back to input i's subscripts: summed-away letters from a ones vector, repeats of a
        # letter from an identity matrix (the gradient lives on the diagonal).
        target, extra, operands, first = "", [], [], set()
        for c in term.replace("...", "."):
            if c == ".":
                target += "..."
            elif c in first:
                again = next(fresh)
                target += again
                extra.append(c + again)
                operands.append(wrap(xp.eye(sizes[c], dtype=array_of(dy).dtype)))
            else:
                first.add(c)
                target += c
                if c not in seen:
                    extra.append(c)
                    operands.append(wrap(xp.ones(sizes[c], dtype=array_of(dy).dtype)))
        source = ("..." if "..." in term else "") + kept
        if source != target:
            g = einsum(",".join([source] + extra) + "->" + target, g, *operands)
        grads.append(g)
    return tuple(grads)
