"""Matrix inverses, determinants, solvers and decompositions (``tf.linalg``), batched over
leading axes: ``inv``, ``det``, ``slogdet``, ``logdet``, ``solve``, ``lstsq``, ``cholesky``,
``qr``, ``svd``, ``eigh`` and ``eigvalsh``.

Kernels are NumPy's or CuPy's ``linalg`` (float16 is computed in float32: LAPACK has no
half precision). Gradients are TensorFlow's (``tensorflow/python/ops/linalg_grad.py``),
written with d2l ops so that second derivatives work. Those of ``svd`` and ``eigh`` exist
where the decomposition is smooth: distinct singular values or eigenvalues.

>>> import d2l_core as d2l
>>> A = d2l.constant([[2.0, 1.0], [1.0, 3.0]])
>>> d2l.linalg.det(A).numpy()
np.float32(5.0)
"""
import numpy as np

from ..errors import InvalidArgumentError, UnimplementedError
from ..tensor import array_of
from ._op import arrays, as_tensor, check_dtype, pair, record, record_many, tapes, wrap, xp_of
from .array import concat, expand_dims, zeros_like
from .broadcast import broadcast_to, reduce_sum
from .linalg import adjoint, band_part, diag, diag_part, matmul
from .math import cast, log, reciprocal, sign, square
from .registry import COMPOSITE, Sample, Test, distinct, gradient, op, random_shape, uniform

# ================================================================ checks and kernels


def _matrices(op, x, square=True):
    """``x`` as a float (or complex) tensor of rank >= 2, square unless ``square=False``."""
    x = as_tensor(x)
    check_dtype(op, x, lambda d: d.is_floating or d.is_complex, "a floating-point")
    shape = x._value.shape
    if len(shape) < 2:
        raise InvalidArgumentError(
            f"{op}: expected a matrix or a batch of matrices (rank >= 2), got shape {shape}; "
            "make a vector a matrix with d2l.reshape(v, (1, -1))", op=op)
    if square and shape[-1] != shape[-2]:
        raise InvalidArgumentError(f"{op}: Input matrix must be square, got shape {shape} "
                                   f"({shape[-2]} x {shape[-1]} matrices)", op=op)
    return x


def _lapack(fn, *values):
    """``fn(*values)``, in float32 for float16 inputs; every result in the inputs' dtype (so
    singular values and eigenvalues of complex matrices are complex, as in TensorFlow)."""
    dtype = values[0].dtype
    if dtype == np.float16:
        values = [v.astype(np.float32) for v in values]
    out = fn(*values)
    if isinstance(out, tuple):
        return tuple(o.astype(dtype, copy=False) for o in out)
    return out.astype(dtype, copy=False)


def _invertible(op, problem, fn, *values):
    """``_lapack(fn, *values)``, raising TensorFlow's error when a matrix is singular."""
    try:
        out = _lapack(fn, *values)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(f"{op}: {problem}", op=op) from None
    xp = xp_of(values[0])
    # CuPy does not raise for a singular matrix; it returns inf or nan (one check: one sync).
    if xp is not np and not bool(xp.isfinite(out).all()) and bool(xp.isfinite(values[0]).all()):
        raise InvalidArgumentError(f"{op}: {problem}", op=op)
    return out


def _transposed(v, conjugate=True):
    v = v.swapaxes(-1, -2)
    return v.conj() if conjugate and v.dtype.kind == "c" else v


def _times_eye(x, scale, n):
    """``scale`` times the identity matrix, on ``x``'s device and in its dtype."""
    return wrap(xp_of(array_of(x)).eye(n, dtype=array_of(x).dtype) * scale)


def _safe_reciprocal(x, epsilon=1e-20):
    # TensorFlow's guard: 0 (not inf) where x is 0, e.g. on the diagonal of e_j - e_i.
    return x * reciprocal(x * x + epsilon)


def _gaps_reciprocal(e):
    """``f[i, j] = 1 / (e[j] - e[i])``, 0 on the diagonal (TensorFlow's ``f`` in the eigh and
    svd gradients). The diagonal is masked, not just 0: there the slope of the guarded
    reciprocal is 1/epsilon, which would swamp second derivatives."""
    n = array_of(e).shape[-1]
    off = _times_eye(e, -1.0, n) + 1.0
    return _safe_reciprocal(expand_dims(e, -2) - expand_dims(e, -1)) * off


def _expand2(t):
    return expand_dims(expand_dims(t, -1), -1)


def _real_only(op, x):
    if x.dtype.is_complex:
        raise UnimplementedError(f"{op}: gradients of complex matrices are not implemented in "
                                 "d2l_core", op=op)


# ================================================================ test data (see ops/registry.py)
# Matrices where each op and its derivatives are smooth: well conditioned, symmetric positive
# definite, or with distinct eigen- and singular values. Decompositions are unique only up to
# signs, so samples compare functions that do not depend on them.

def _well_conditioned(rng, shape):
    """Diagonally dominant: far from singular."""
    n = shape[-1]
    return uniform(-0.5, 0.5)(rng, shape) + n * np.eye(*shape[-2:])


def _orthogonal(rng, batch, n):
    q, r = np.linalg.qr(rng.normal(size=batch + (n, n)))
    return q * np.sign(np.diagonal(r, 0, -2, -1))[..., None, :]


def _with_values(rng, batch, m, n, values):
    """``U diag(values) Vᵀ`` for random orthogonal U and V: a matrix with those singular values
    (or, when m == n and U is V, a symmetric one with those eigenvalues)."""
    u, v = _orthogonal(rng, batch, m), _orthogonal(rng, batch, n)
    p = min(m, n)
    return (u[..., :, :p] * values[..., None, :]) @ np.swapaxes(v[..., :, :p], -1, -2)


def _symmetric(x):
    return 0.5 * (x + adjoint(x))


def _np_symmetric(x):
    return 0.5 * (x + np.swapaxes(x, -1, -2))


def _square_samples(fn, reference, rng):
    n = int(rng.integers(1, 4))
    x = _well_conditioned(rng, random_shape(rng, max_dims=2, max_side=3) + (n, n))
    return [Sample(fn, (x,), reference)]


def _inv_samples(rng):
    return (_square_samples(inv, np.linalg.inv, rng)
            + _square_samples(lambda x: inv(x, adjoint=True),
                              lambda x: np.linalg.inv(np.swapaxes(x, -1, -2)), rng))


def _slogdet_samples(rng):
    n = int(rng.integers(1, 4))
    x = _well_conditioned(rng, random_shape(rng, max_dims=2, max_side=3) + (n, n))
    x = x * rng.choice([-1.0, 1.0], size=x.shape[:-1] + (1,))      # negative determinants too
    return [Sample(slogdet, (x,), lambda x: tuple(np.linalg.slogdet(x)))]


def _logdet_samples(rng):
    return _square_samples(lambda x: logdet(_symmetric(x)),
                           lambda x: np.linalg.slogdet(_np_symmetric(x))[1], rng)


def _solve_samples(rng):
    n, k = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    batch = random_shape(rng, max_dims=2, max_side=2)
    a = _well_conditioned(rng, batch + (n, n))
    b = uniform()(rng, batch + (n, k))
    t = bool(rng.integers(2))
    return [Sample(lambda a, b: solve(a, b, adjoint=t), (a, b),
                   lambda a, b: np.linalg.solve(np.swapaxes(a, -1, -2) if t else a, b))]


def _lstsq_samples(rng):
    m, n, k = (int(d) for d in rng.integers(1, 4, size=3))
    batch = random_shape(rng, max_dims=1, max_side=2)
    a = uniform(-0.5, 0.5)(rng, batch + (m, n)) + 2 * np.eye(m, n)      # full rank
    b = uniform()(rng, batch + (m, k))
    lam = float(rng.choice([0.0, 0.5]))

    def reference(a, b):
        at = np.swapaxes(a, -1, -2)
        if m >= n:
            return np.linalg.solve(at @ a + lam * np.eye(n), at @ b)
        return at @ np.linalg.solve(a @ at + lam * np.eye(m), b)
    return [Sample(lambda a, b: lstsq(a, b, l2_regularizer=lam), (a, b), reference)]


def _cholesky_samples(rng):
    # The input is symmetrized inside: cholesky reads one triangle, its gradient (as
    # TensorFlow's) is the symmetric one, so only symmetric perturbations are compared.
    return _square_samples(lambda x: cholesky(_symmetric(x)),
                           lambda x: np.linalg.cholesky(_np_symmetric(x)), rng)


def _qr_samples(rng):
    m, n = (int(d) for d in rng.integers(1, 5, size=2))
    x = uniform()(rng, random_shape(rng, max_dims=1, max_side=2) + (m, n)) + 3 * np.eye(m, n)
    full = m <= n and bool(rng.integers(2))      # complete Q with m > n has no gradient in TF

    def unique(q, r, d):                         # R with a positive diagonal: one answer
        return q * d[..., None, :], r * d[..., :, None]

    def fn(x):
        q, r = qr(x, full_matrices=full)
        return unique(q, r, sign(diag_part(r)))

    def reference(x):
        q, r = np.linalg.qr(x, mode="complete" if full else "reduced")
        return unique(q, r, np.sign(np.diagonal(r, 0, -2, -1)))
    return [Sample(fn, (x,), reference)]


def _svd_samples(rng):
    m, n = (int(d) for d in rng.integers(1, 5, size=2))
    batch = random_shape(rng, max_dims=1, max_side=2)
    p = min(m, n)
    d = distinct(0.4)(rng, batch + (p,))
    s = np.sort(d - d.min() + 0.5, axis=-1)[..., ::-1]              # >= 0.5, 0.4 apart
    x = _with_values(rng, batch, m, n, s)
    w = np.arange(1.0, max(m, n) + 1)            # weights: u diag(w) vᵀ hides the signs

    def fn(x):
        s, u, v = svd(x)
        return s, matmul(u * w[:p], v, adjoint_b=True)

    def reference(x):
        u, s, vt = np.linalg.svd(x, full_matrices=False)
        return s, (u * w[:p]) @ vt
    samples = [Sample(fn, (x,), reference),
               Sample(lambda x: svd(x, compute_uv=False), (x,),
                      lambda x: np.linalg.svd(x, compute_uv=False))]
    if abs(m - n) <= 1:                          # full matrices: TensorFlow's gradient's domain
        def full(x):
            s, u, v = svd(x, full_matrices=True)
            return s, matmul(u * w[:m], u, adjoint_b=True), matmul(v * w[:n], v, adjoint_b=True)

        def full_reference(x):
            u, s, vt = np.linalg.svd(x, full_matrices=True)
            v = np.swapaxes(vt, -1, -2)
            return s, (u * w[:m]) @ np.swapaxes(u, -1, -2), (v * w[:n]) @ vt
        samples.append(Sample(full, (x,), full_reference))
    return samples


def _eigh_samples(rng):
    n = int(rng.integers(1, 5))
    batch = random_shape(rng, max_dims=1, max_side=2)
    e = distinct(0.4)(rng, batch + (n,))
    q = _orthogonal(rng, batch, n)
    # Symmetric with distinct eigenvalues, plus noise above the diagonal, which eigh never reads.
    x = (q * e[..., None, :]) @ np.swapaxes(q, -1, -2) + np.triu(uniform()(rng, (n, n)), 1)
    w = np.arange(1.0, n + 1)

    def fn(x):
        e, v = eigh(x)
        return e, matmul(v * w, v, adjoint_b=True)

    def reference(x):
        e, v = np.linalg.eigh(x)
        return e, (v * w) @ np.swapaxes(v, -1, -2)
    return [Sample(fn, (x,), reference),
            Sample(eigvalsh, (x,), lambda x: np.linalg.eigvalsh(x))]


# ================================================================ inverse and determinants

@op("MatrixInverse", exports=("linalg",), test=Test(samples=_inv_samples))
def inv(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of each square matrix (``tf.linalg.inv``); of its adjoint with
    ``adjoint=True``.

    A singular matrix is an ``InvalidArgumentError``, as in TensorFlow. With Y = A⁻¹,
    dL/dA = -Yᵀ · dL/dY · Yᵀ.

    >>> d2l.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).numpy()
    array([[0.5 , 0.  ],
           [0.  , 0.25]], dtype=float32)
    """
    x = _matrices("inv", input)
    (v,) = arrays("inv", x)
    y = wrap(_invertible("inv", f"Input is not invertible: a matrix of shape {v.shape} is "
                         "singular (its rows are linearly dependent); to fit a least-squares "
                         "solution use d2l.linalg.lstsq", xp_of(v).linalg.inv,
                         _transposed(v) if adjoint else v))
    if tapes:
        record("inv", (x,), y, {"adjoint": adjoint})
    return y


@gradient("inv")
def _inv_grad(dy, inputs, y, attrs):
    adj = attrs["adjoint"]
    return (-matmul(y, matmul(dy, y, adjoint_a=adj, adjoint_b=not adj), adjoint_a=not adj),)


@op("MatrixDeterminant", exports=("linalg",),
    test=Test(samples=lambda rng: _square_samples(det, np.linalg.det, rng)))
def det(input, name=None):  # noqa: A002
    """The determinant of each square matrix (``tf.linalg.det``); 0 for a singular one.

    dL/dA = dL/dy · det(A) · A⁻ᵀ, so its gradient needs an invertible A.

    >>> d2l.linalg.det([[1.0, 2.0], [3.0, 4.0]]).numpy()
    np.float32(-2.0)
    """
    x = _matrices("det", input)
    (v,) = arrays("det", x)
    y = wrap(_lapack(xp_of(v).linalg.det, v))
    if tapes:
        record("det", (x,), y)
    return y


@gradient("det")
def _det_grad(dy, inputs, y, attrs):
    return (_expand2(dy * y) * inv(inputs[0], adjoint=True),)


@op("LogMatrixDeterminant", exports=("linalg",), test=Test(samples=_slogdet_samples))
def slogdet(input, name=None):  # noqa: A002
    """The sign and the log of the absolute determinant of each square matrix
    (``tf.linalg.slogdet``): no overflow where the determinant itself would.

    >>> sign, logabs = d2l.linalg.slogdet([[0.0, 2.0], [2.0, 0.0]])
    >>> float(sign), round(float(logabs), 4)
    (-1.0, 1.3863)
    """
    x = _matrices("slogdet", input)
    (v,) = arrays("slogdet", x)
    sgn, logabs = (wrap(o) for o in _lapack(xp_of(v).linalg.slogdet, v))
    if tapes:
        record_many("slogdet", (x,), (sgn, logabs))
    return sgn, logabs


@gradient("slogdet")
def _slogdet_grad(dys, inputs, outputs, attrs):
    dlog = dys[1]          # the sign is piecewise constant: no gradient
    return (None if dlog is None else _expand2(dlog) * inv(inputs[0], adjoint=True),)


@op("Logdet", exports=("linalg",), grad=COMPOSITE, test=Test(samples=_logdet_samples))
def logdet(matrix, name=None):
    """The log of the determinant of each symmetric positive definite matrix
    (``tf.linalg.logdet``): 2·Σ log diag(cholesky(A)), computed without overflow.

    >>> round(float(d2l.linalg.logdet([[2.0, 0.0], [0.0, 2.0]])), 4)
    1.3863
    """
    return 2.0 * reduce_sum(log(diag_part(cholesky(matrix))), axis=-1)


# ================================================================ solving linear systems

@op("MatrixSolve", exports=("linalg",), test=Test(samples=_solve_samples))
def solve(matrix, rhs, adjoint=False, name=None):
    """X with A·X = B for each square A and matrix B of the batch (``tf.linalg.solve``);
    Aᴴ·X = B with ``adjoint=True``.

    Faster and more accurate than ``inv(A) @ B``. ``rhs`` has A's rank and batch axes
    (no broadcasting); for a vector b, solve for ``b[:, None]``. A singular A is an
    ``InvalidArgumentError``, as in TensorFlow. dL/dB = A⁻ᵀ·dL/dX, dL/dA = -dL/dB·Xᵀ.

    >>> d2l.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [2.0]]).numpy()
    array([[1. ],
           [0.5]], dtype=float32)
    """
    a, b = pair(matrix, rhs, "solve")
    a = _matrices("solve", a)
    sa, sb = a._value.shape, b._value.shape
    if len(sb) != len(sa):
        raise InvalidArgumentError(
            f"solve: All input tensors must have the same rank: matrix {sa}, rhs {sb}; for a "
            "vector b pass d2l.expand_dims(b, -1) (one column)", op="solve")
    if sb[:-2] != sa[:-2] or sb[-2] != sa[-1]:
        raise InvalidArgumentError(
            f"solve: Input matrix and rhs are incompatible: matrix {sa}, rhs {sb}; rhs needs "
            f"the matrix's batch axes {sa[:-2]} and {sa[-1]} rows", op="solve")
    va, vb = arrays("solve", a, b)
    y = wrap(_invertible("solve", f"Input matrix is not invertible: a matrix of shape {sa} is "
                         "singular; for a least-squares solution use d2l.linalg.lstsq",
                         xp_of(va).linalg.solve, _transposed(va) if adjoint else va, vb))
    if tapes:
        record("solve", (a, b), y, {"adjoint": adjoint})
    return y


@gradient("solve")
def _solve_grad(dy, inputs, y, attrs):
    a, adj = inputs[0], attrs["adjoint"]
    db = solve(a, dy, adjoint=not adj)
    da = -matmul(y, db, adjoint_b=True) if adj else -matmul(db, y, adjoint_b=True)
    return da, db


@op("MatrixSolveLs", exports=("linalg",), grad=COMPOSITE, test=Test(samples=_lstsq_samples))
def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """The least-squares solution X of A·X ≈ B, with an optional ridge penalty λ‖X‖²
    (``tf.linalg.lstsq``).

    As TensorFlow's default ``fast=True``: the normal equations, X = (AᵀA + λI)⁻¹AᵀB
    (or Aᵀ(AAᵀ + λI)⁻¹B for a wide A), so A needs full rank when λ is 0. Batch axes
    broadcast. Built from ``solve`` and ``matmul``, so its gradient is theirs.

    >>> d2l.linalg.lstsq([[1.0], [1.0]], [[1.0], [3.0]]).numpy()
    array([[2.]], dtype=float32)
    """
    a, b = pair(matrix, rhs, "lstsq")
    a = _matrices("lstsq", a, square=False)
    sa, sb = a._value.shape, b._value.shape
    if len(sb) < 2 or sb[-2] != sa[-2]:
        raise InvalidArgumentError(
            f"lstsq: rhs must be a matrix with the rows of matrix: matrix {sa}, rhs {sb}; for a "
            "vector b pass d2l.expand_dims(b, -1) (one column)", op="lstsq")
    if not fast:
        raise UnimplementedError("lstsq: fast=False (a complete orthogonal decomposition) is "
                                 "not implemented in d2l_core; fast=True is exact for full-rank "
                                 "matrices", op="lstsq")
    m, n = sa[-2:]
    batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    lam = l2_regularizer if isinstance(l2_regularizer, (int, float)) else cast(
        l2_regularizer, a.dtype)

    def gram(g, size):       # AᵀA or AAᵀ (plus λI), with the batch axes of the result
        if not isinstance(lam, (int, float)) or lam != 0:
            g = g + _times_eye(g, 1.0, size) * lam
        return broadcast_to(g, batch + (size, size))
    if m >= n:
        rhs_n = matmul(a, b, adjoint_a=True)
        return solve(gram(matmul(a, a, adjoint_a=True), n),
                     broadcast_to(rhs_n, batch + array_of(rhs_n).shape[-2:]))
    return matmul(a, solve(gram(matmul(a, a, adjoint_b=True), m),
                           broadcast_to(b, batch + tuple(sb[-2:]))), adjoint_a=True)


# ================================================================ decompositions

@op("Cholesky", exports=("linalg",), test=Test(samples=_cholesky_samples))
def cholesky(input, name=None):  # noqa: A002
    """The lower-triangular L with L·Lᴴ = A, for each symmetric positive definite A
    (``tf.linalg.cholesky``). Only A's lower triangle is read.

    A matrix that is not positive definite is an ``InvalidArgumentError`` (TensorFlow
    2.21 on a CPU returns NaNs instead). The gradient is TensorFlow's (Murray 2016),
    symmetric in A.

    >>> d2l.linalg.cholesky([[4.0, 2.0], [2.0, 2.0]]).numpy()
    array([[2., 0.],
           [1., 1.]], dtype=float32)
    """
    x = _matrices("cholesky", input)
    (v,) = arrays("cholesky", x)
    y = wrap(_invertible(
        "cholesky", f"Cholesky decomposition was not successful: a matrix of shape {v.shape} "
        "is not symmetric positive definite. Make one with A @ transpose(A) + eps * I",
        xp_of(v).linalg.cholesky, v))
    if tapes:
        record("cholesky", (x,), y)
    return y


@gradient("cholesky")
def _cholesky_grad(dy, inputs, l, attrs):       # noqa: E741  (L, as in the papers)
    l_inv = inv(l)
    middle = matmul(l, dy, adjoint_a=True)
    middle = band_part(middle, -1, 0) - 0.5 * diag(diag_part(middle))   # halve the diagonal
    da = matmul(matmul(l_inv, middle, adjoint_a=True), l_inv)
    return ((da + adjoint(da)) * 0.5,)


@op("Qr", exports=("linalg",), test=Test(samples=_qr_samples))
def qr(input, full_matrices=False, name=None):  # noqa: A002
    """Q with orthonormal columns and upper-triangular R with Q·R = A, for each matrix
    (``tf.linalg.qr``). Returns ``(q, r)``.

    For an M x N matrix and P = min(M, N), q is M x P and r is P x N; with
    ``full_matrices=True`` q is M x M and r is M x N. Signs are LAPACK's (a column of q
    and the row of r may both be negated). The gradient is TensorFlow's; as there, it
    does not exist for ``full_matrices=True`` with M > N.

    >>> q, r = d2l.linalg.qr([[3.0, 1.0], [4.0, 2.0]])
    >>> d2l.matmul(q, r).numpy().round(4)
    array([[3., 1.],
           [4., 2.]], dtype=float32)
    """
    x = _matrices("qr", input, square=False)
    (v,) = arrays("qr", x)
    mode = "complete" if full_matrices else "reduced"
    q, r = (wrap(o) for o in _lapack(lambda a: xp_of(a).linalg.qr(a, mode=mode), v))
    if tapes:
        record_many("qr", (x,), (q, r), {"full_matrices": full_matrices})
    return q, r


def _right_solve(x, r):
    """x · R⁻ᴴ for an upper-triangular R."""
    return adjoint(solve(r, adjoint(x)))


def _qr_grad_deep(q, r, dq, dr):
    """The gradient of Q, R for M >= N (arXiv:2009.10071, as TensorFlow's ``_QrGrad``)."""
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    tril = band_part(qdq - adjoint(qdq) + rdr - adjoint(rdr), -1, 0)
    return matmul(q, dr + _right_solve(tril, r)) + _right_solve(dq - matmul(q, qdq), r)


@gradient("qr")
def _qr_grad(dys, inputs, outputs, attrs):
    (a,), (q, r) = inputs, outputs
    _real_only("qr", a)
    dq, dr = (zeros_like(t) if d is None else d for d, t in zip(dys, outputs))
    m, n = array_of(a).shape[-2:]
    if attrs["full_matrices"] and m > n:
        raise UnimplementedError("qr: the gradient is not implemented when rows > columns and "
                                 "full_matrices=True (as in TensorFlow); use "
                                 "full_matrices=False", op="qr")
    if m >= n:
        return (_qr_grad_deep(q, r, dq, dr),)
    # A wide A = [X, Y], R = [U, V]: the square case for X, and dY = Q·dV.
    y, u, du, dv = a[..., :, m:], r[..., :, :m], dr[..., :, :m], dr[..., :, m:]
    dx = _qr_grad_deep(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return (concat([dx, matmul(q, dv)], axis=-1),)


@op("Svd", exports=("linalg",), test=Test(samples=_svd_samples))
def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular value decomposition A = U·diag(s)·Vᴴ of each matrix (``tf.linalg.svd``).

    Returns ``(s, u, v)`` in TensorFlow's order, with **v itself, not Vᴴ** (NumPy's
    ``svd`` returns u, s, vh); only s with ``compute_uv=False``. s is in decreasing
    order. For an M x N matrix and P = min(M, N): s is P long, u is M x P and v is
    N x P (M x M and N x N with ``full_matrices=True``). The gradient is TensorFlow's:
    it needs distinct, nonzero singular values (and |M - N| <= 1 with full matrices).

    >>> s, u, v = d2l.linalg.svd([[3.0, 0.0], [0.0, -2.0]])
    >>> s.numpy()
    array([3., 2.], dtype=float32)
    >>> d2l.matmul(u * s, v, adjoint_b=True).numpy().round(4)
    array([[ 3.,  0.],
           [ 0., -2.]], dtype=float32)
    """
    x = _matrices("svd", tensor, square=False)
    (v,) = arrays("svd", x)
    attrs = {"full_matrices": full_matrices, "compute_uv": compute_uv}
    if not compute_uv:
        s = wrap(_lapack(lambda a: xp_of(a).linalg.svd(a, compute_uv=False), v))
        if tapes:
            record("svd", (x,), s, attrs)
        return s
    u, s, vh = _lapack(lambda a: xp_of(a).linalg.svd(a, full_matrices=full_matrices), v)
    s, u, vv = wrap(s), wrap(u), wrap(_transposed(vh))
    if tapes:
        record_many("svd", (x,), (s, u, vv), attrs)
    return s, u, vv


@gradient("svd")
def _svd_grad(dys, inputs, outputs, attrs):
    (a,) = inputs
    _real_only("svd", a)
    if not attrs["compute_uv"]:
        _, u, v = svd(a)                        # recorded: second derivatives go through it
        return (matmul(u * expand_dims(dys, -2), v, adjoint_b=True),)
    ds, du, dv = (zeros_like(t) if d is None else d for d, t in zip(dys, outputs))
    s, u, v = outputs
    m, n = array_of(a).shape[-2:]
    full = attrs["full_matrices"]
    tall = m > n                 # then work on Aᴴ = V·S·Uᴴ and transpose the answer
    if tall:
        m, n, u, v, du, dv = n, m, v, u, dv, du
    if full and n - m > 1:
        raise UnimplementedError(
            "svd: the gradient is not implemented for full_matrices=True when the numbers "
            f"of rows and columns differ by more than 1 (got {a.shape}), as in TensorFlow; "
            "use full_matrices=False", op="svd")
    s_mat, s2 = diag(s), square(s)
    f = _gaps_reciprocal(s2)
    v1, dv1 = v[..., :, :m], dv[..., :, :m]
    f_u = f * matmul(u, du, adjoint_a=True)
    f_v = f * matmul(v1, dv1, adjoint_a=True)
    middle = diag(ds) + matmul(f_u + adjoint(f_u), s_mat) + matmul(s_mat, f_v + adjoint(f_v))
    da = matmul(u, matmul(middle, v1, adjoint_b=True))
    if m != n:
        dv1t = adjoint(dv1)
        rest = dv1t - matmul(matmul(dv1t, v1), v1, adjoint_b=True)
        if full:
            v2, dv2 = v[..., :, m:n], dv[..., :, m:n]
            rest = rest - matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True)
        da = da + matmul(matmul(u, diag(_safe_reciprocal(s))), rest)
    return (adjoint(da) if tall else da,)


@op("SelfAdjointEigV2", exports=("linalg",), test=Test(samples=_eigh_samples))
def eigh(tensor, name=None):
    """Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix
    (``tf.linalg.eigh``). Returns ``(e, v)`` with A = V·diag(e)·Vᴴ. Only A's lower
    triangle is read.

    Each eigenvector's sign is LAPACK's. The gradient is TensorFlow's: it needs distinct
    eigenvalues, and goes to the lower triangle (the part that was read).

    >>> e, v = d2l.linalg.eigh([[2.0, 1.0], [1.0, 2.0]])
    >>> e.numpy()
    array([1., 3.], dtype=float32)
    """
    x = _matrices("eigh", tensor)
    (v,) = arrays("eigh", x)
    e, vecs = (wrap(o) for o in _lapack(xp_of(v).linalg.eigh, v))
    if tapes:
        record_many("eigh", (x,), (e, vecs))
    return e, vecs


@gradient("eigh")
def _eigh_grad(dys, inputs, outputs, attrs):
    (de, dv), (e, v) = dys, outputs
    inner = diag(zeros_like(e) if de is None else de)
    if dv is not None:
        inner = inner + _gaps_reciprocal(e) * matmul(v, dv, adjoint_a=True)
    da = matmul(v, matmul(inner, v, adjoint_b=True))
    da = band_part(da + adjoint(da), -1, 0)
    return (da - 0.5 * diag(diag_part(da)),)     # the diagonal was counted twice


@op("SelfAdjointEigV2", exports=("linalg",), grad=COMPOSITE, name="eigvalsh",
    test=Test(samples=lambda rng: _eigh_samples(rng)[1:]))
def eigvalsh(tensor, name=None):
    """The eigenvalues of each symmetric matrix, ascending (``tf.linalg.eigvalsh``).

    >>> d2l.linalg.eigvalsh([[2.0, 1.0], [1.0, 2.0]]).numpy()
    array([1., 3.], dtype=float32)
    """
    return eigh(tensor)[0]
