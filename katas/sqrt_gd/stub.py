def sqrt_gd(a: float) -> float:
    """Return √a by gradient descent on f(x) = (x² − a)².

    Choose your own step size and stopping rule; the answer must satisfy
    |x − √a| ≤ 1e-6 · max(1, √a).
    Raises ValueError if a < 0; returns exactly 0.0 for a == 0.
    Do not use math.sqrt, numpy.sqrt, cmath, math.isqrt, math.pow, numpy.power, or a
    power with exponent 0.5.
    """
    raise NotImplementedError
