"""``tf.debugging.check_numerics``: the one debugging op (the asserts live in d2l_core.debugging).

>>> import d2l_core as d2l
>>> d2l.debugging.check_numerics(d2l.constant([1.0, 2.0]), 'x').numpy()
array([1., 2.], dtype=float32)
"""
from ..errors import InvalidArgumentError
from ._op import arrays, as_tensor, record, tapes, wrap, xp_of
from .registry import Sample, Test, gradient, op, random_shape, uniform


def _samples(rng):
    t = uniform()(rng, random_shape(rng))
    return [Sample(lambda x: check_numerics(x, "checked"), (t,), lambda a: a)]


@op("CheckNumerics", exports=("debugging",), test=Test(samples=_samples))
def check_numerics(tensor, message, name=None):
    """``tensor`` itself, or InvalidArgumentError when it holds NaN or Inf (``tf.debugging.check_numerics``).

    >>> try:
    ...     d2l.debugging.check_numerics(d2l.constant([1.0, float('nan')]), 'after log')
    ... except d2l.errors.InvalidArgumentError as e:
    ...     print(e)
    after log : Tensor had NaN values
    """
    x = as_tensor(tensor)
    if not x.dtype.is_floating:
        raise InvalidArgumentError(
            f"check_numerics: the tensor has dtype {x.dtype.name}, but only floating-point "
            "tensors (float16, float32, float64) can hold NaN or Inf; cast it first, e.g. "
            "d2l.cast(x, d2l.float32)", op="check_numerics")
    (a,) = arrays("check_numerics", x)
    xp = xp_of(a)
    inf, nan = bool(xp.isinf(a).any()), bool(xp.isnan(a).any())
    if inf or nan:
        kind = "Inf and NaN" if inf and nan else "Inf" if inf else "NaN"
        raise InvalidArgumentError(f"{message} : Tensor had {kind} values", op="check_numerics")
    y = wrap(a)
    if tapes:
        record("check_numerics", (x,), y, {"message": message})
    return y


@gradient("check_numerics")
def _check_numerics_grad(dy, inputs, y, attrs):
    # TensorFlow checks the gradient on its way back too.
    return (check_numerics(dy, "Not a number (NaN) or infinity (Inf) values detected in "
                               "gradient. " + str(attrs["message"])),)
