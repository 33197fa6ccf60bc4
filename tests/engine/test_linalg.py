"""Linear algebra as TensorFlow does it (issue 13): what the registry's generated tests cannot
say. Values and gradients of every op are checked from its registry entry
(tests/properties/test_op_registry.py); here: TensorFlow's conventions and errors, and the
linear algebra of TensorFlow's own guides (core/matrix_core, advanced_autodiff)."""
import numpy as np
import pytest

import d2l_core as d2l
import d2l_core.compat.v1 as tf1
from d2l_core.errors import DTypeMismatchError, InvalidArgumentError, UnimplementedError

A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]], np.float32)
B = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)


# ============================================================ TensorFlow's conventions

def test_svd_returns_s_u_v_with_v_not_transposed():
    s, u, v = d2l.linalg.svd(B)
    assert (s.shape, u.shape, v.shape) == ((2,), (3, 2), (2, 2))
    np.testing.assert_allclose(d2l.matmul(u * s, v, transpose_b=True).numpy(), B, atol=1e-5)
    s, u, v = d2l.linalg.svd(B, full_matrices=True)
    assert (u.shape, v.shape) == ((3, 3), (2, 2))
    assert d2l.linalg.svd(B, compute_uv=False).shape == (2,)


def test_decompositions_are_batched_over_leading_axes():
    x = np.stack([A, 2 * A, A.T @ A])
    assert d2l.linalg.det(x).shape == (3,)
    np.testing.assert_allclose(d2l.linalg.inv(x).numpy(), np.linalg.inv(x), rtol=1e-5)
    e, v = d2l.linalg.eigh(x)
    assert (e.shape, v.shape) == ((3, 3), (3, 3, 3))
    q, r = d2l.linalg.qr(np.ones((4, 3, 2), np.float32))
    assert (q.shape, r.shape) == ((4, 3, 2), (4, 2, 2))


def test_eigh_and_cholesky_read_only_the_lower_triangle():
    upper_noise = A + np.triu(np.full((3, 3), 7.0, np.float32), 1)
    np.testing.assert_allclose(d2l.linalg.eigvalsh(upper_noise).numpy(), np.linalg.eigvalsh(A),
                               rtol=1e-5)
    np.testing.assert_allclose(d2l.linalg.cholesky(upper_noise).numpy(), np.linalg.cholesky(A),
                               rtol=1e-5)


def test_float16_is_computed_and_returned_in_float16():
    y = d2l.linalg.inv(A.astype(np.float16))
    assert y.dtype == d2l.float16
    np.testing.assert_allclose(y.numpy(), np.linalg.inv(A), rtol=1e-2)


def test_singular_matrices_have_no_inverse_but_a_zero_determinant():
    singular = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    assert float(d2l.linalg.det(singular)) == 0.0
    sign, logabs = d2l.linalg.slogdet(singular)
    assert float(sign) == 0.0 and float(logabs) == -np.inf
    with pytest.raises(InvalidArgumentError, match="inv: Input is not invertible"):
        d2l.linalg.inv(singular)
    with pytest.raises(InvalidArgumentError, match="solve: Input matrix is not invertible"):
        d2l.linalg.solve(singular, np.ones((2, 1), np.float32))
    with pytest.raises(InvalidArgumentError, match="cholesky: .*not symmetric positive definite"):
        d2l.linalg.cholesky(-A)


@pytest.mark.parametrize("call, match", [
    (lambda: d2l.linalg.inv(np.eye(2, dtype=np.int32)), "inv: expected a floating-point"),
    (lambda: d2l.linalg.svd(np.eye(2, dtype=np.int32)), "svd: expected a floating-point"),
    (lambda: d2l.linalg.solve(d2l.constant(A), d2l.constant(B, d2l.float64)),
     "solve: the inputs have different"),
    (lambda: d2l.einsum("ij->ji", A > 0), "einsum: bool tensors"),
    (lambda: d2l.einsum("ij,jk->ik", A, d2l.eye(3, dtype=d2l.int32)), "einsum: all inputs need one"),
])
def test_integer_and_mixed_dtypes_are_errors_as_in_tensorflow(call, match):
    with pytest.raises(DTypeMismatchError, match=match) as e:
        call()
    assert isinstance(e.value, InvalidArgumentError) and isinstance(e.value, TypeError)


@pytest.mark.parametrize("call, match", [
    (lambda: d2l.linalg.inv(B), r"inv: Input matrix must be square, got shape \(3, 2\)"),
    (lambda: d2l.linalg.det(np.ones(3, np.float32)), "det: expected a matrix"),
    (lambda: d2l.linalg.solve(A, np.ones(3, np.float32)), "solve: All input tensors must have "
                                                         "the same rank.*expand_dims"),
    (lambda: d2l.linalg.solve(A, B.T), "solve: Input matrix and rhs are incompatible"),
    (lambda: d2l.linalg.trace(np.ones(3)), "diag_part: input must be at least 2-dim"),
    (lambda: d2l.linalg.diag(1.0), "diag: diagonal must be at least 1-dim"),
    (lambda: d2l.linalg.diag([1.0, 2.0], num_rows=5, num_cols=5), "does not fit a 5 x 5"),
    (lambda: d2l.linalg.diag([1.0], k=(0, 1)), "band of diagonals"),
    (lambda: d2l.linalg.diag_part(B, k=2), "diag_part: diagonal k=2 is outside a 3 x 2"),
    (lambda: d2l.linalg.band_part(B, 5, 0), "num_lower=5 is more than the number of rows"),
    (lambda: d2l.linalg.matrix_transpose(np.ones(3)), "matrix_transpose: expected"),
    (lambda: d2l.einsum("ij,jk->ik", A, A[:2]), "letter 'j' stands for axes of different"),
    (lambda: d2l.einsum("ijk->i", A), r"input 0 has subscripts 'ijk' \(3 axes\) but shape"),
    (lambda: d2l.einsum("ij,jk->ik", A), "has 2 input"),
    (lambda: d2l.einsum("i->ii", A[0]), "more than once"),
    (lambda: d2l.einsum("ij->k", A), "which no input has"),
    (lambda: d2l.einsum("i1->i", A), "incorrect format"),
    (lambda: d2l.einsum("...i->i", B), r"no '\.\.\.' to put them in"),
    (lambda: d2l.einsum("ij,ij->ij", B[:1], B), "does not broadcast letters"),
])
def test_bad_shapes_are_invalid_argument_errors_naming_the_op(call, match):
    with pytest.raises(InvalidArgumentError, match=match) as e:
        call()
    assert isinstance(e.value, ValueError)


def test_gradients_tensorflow_does_not_define_are_unimplemented_errors():
    x = d2l.constant(np.eye(4, 2) + 0.1)
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(x)
        q, r = d2l.linalg.qr(x, full_matrices=True)
        s, u, v = d2l.linalg.svd(d2l.concat([x, x], axis=0), full_matrices=True)
    with pytest.raises(UnimplementedError, match="qr: the gradient is not implemented"):
        tape.gradient(q, x)
    with pytest.raises(NotImplementedError, match="svd: the gradient is not implemented"):
        tape.gradient(u, x)


# ============================================================ gradients by their formulas

def test_gradients_match_the_textbook_formulas():
    a = d2l.constant(A.astype(np.float64))
    with d2l.GradientTape(persistent=True) as tape:
        tape.watch(a)
        det = d2l.linalg.det(a)
        logabs = d2l.linalg.slogdet(a)[1]
        tr = d2l.einsum("ii", a)
        inv_sum = d2l.reduce_sum(d2l.linalg.inv(a))
    a_inv_t = np.linalg.inv(A.astype(np.float64)).T
    np.testing.assert_allclose(tape.gradient(det, a).numpy(), det.numpy() * a_inv_t, rtol=1e-10)
    np.testing.assert_allclose(tape.gradient(logabs, a).numpy(), a_inv_t, rtol=1e-10)
    np.testing.assert_allclose(tape.gradient(tr, a).numpy(), np.eye(3))
    ones = np.ones((3, 3))
    np.testing.assert_allclose(tape.gradient(inv_sum, a).numpy(), -a_inv_t @ ones @ a_inv_t,
                               rtol=1e-10)


# ============================================================ TensorFlow's guides

def test_matrix_core_guide_reconstructs_and_approximates_with_svd_and_einsum():
    d2l.random.set_seed(0)
    a = d2l.random.uniform(shape=[40, 30])
    s, U, V = d2l.linalg.svd(a)
    S = d2l.linalg.diag(s)
    np.testing.assert_allclose((U @ S @ d2l.transpose(V)).numpy(), a.numpy(), atol=1e-5)
    np.testing.assert_allclose(d2l.einsum('s,us,vs -> uv', s, U, V).numpy(), a.numpy(), atol=1e-5)
    r = 10
    s_r, U_r, V_r = s[..., :r], U[..., :, :r], V[..., :, :r]
    a_r = d2l.einsum('...s,...us,...vs->...uv', s_r, U_r, V_r)
    squared_norm = d2l.norm(a - a_r) ** 2
    np.testing.assert_allclose(float(squared_norm), float(d2l.reduce_sum(s[10:] ** 2)),
                               rtol=1e-3)
    images = d2l.random.uniform([3, 16, 12])          # an RGB image, channels first
    s, U, V = d2l.linalg.svd(images)
    assert d2l.einsum('...s,...us,...vs->...uv', s, U, V).shape == (3, 16, 12)


def test_advanced_autodiff_guide_selects_jacobian_diagonals_and_takes_a_newton_step():
    x = d2l.random.normal([7, 5])
    w = d2l.random.normal([5, 8])
    with d2l.GradientTape() as tape:
        tape.watch(x)
        y = d2l.tanh(x @ w)
    j = tape.jacobian(y, x)                            # (7, 8, 7, 5): batch axes twice
    j_select = d2l.einsum('bxby->bxy', j)
    assert j_select.shape == (7, 8, 5)
    np.testing.assert_allclose(j_select[2].numpy(), j[2, :, 2].numpy())
    h = d2l.constant([[2.0, 0.5], [0.5, 1.0]])
    g = d2l.constant([[1.0], [1.0]])
    update = d2l.linalg.solve(h + d2l.eye(2) * 1e-3, g)
    np.testing.assert_allclose((h @ update).numpy(), g.numpy(), atol=1e-2)


# ============================================================ graph mode and function

def test_graph_mode_and_function_infer_shapes_of_solvers():
    with tf1.Graph().as_default():
        a = tf1.placeholder(tf1.float32, [None, 3, 3])
        y = tf1.linalg.inv(a)
        c = tf1.linalg.cholesky(a)
        assert y.shape.as_list() == [None, 3, 3] and c.shape.as_list() == [None, 3, 3]
        with tf1.Session() as sess:
            out = sess.run(y, feed_dict={a: np.stack([A, A])})
    np.testing.assert_allclose(out[1], np.linalg.inv(A), rtol=1e-5)

    @d2l.function
    def newton_step(h, g):
        return d2l.linalg.solve(h, g)
    np.testing.assert_allclose(newton_step(A, B).numpy(), np.linalg.solve(A, B), rtol=1e-5)
