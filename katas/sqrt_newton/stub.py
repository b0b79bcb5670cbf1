def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    """Return √a computed with Newton's iteration.

    tol is the relative tolerance of the stopping test.
    Raises ValueError if a < 0; returns exactly 0.0 for a == 0.
    Do not use math.sqrt, numpy.sqrt, cmath, math.isqrt, math.pow, numpy.power, or a
    power with exponent 0.5.
    """
    raise NotImplementedError
