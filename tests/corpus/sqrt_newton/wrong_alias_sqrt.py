# expect: math\.sqrt
# why: forbidden call behind an alias — "Newton" seeded with the exact answer from math.sqrt
from math import sqrt as _root


def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    x = _root(a)
    return 0.5 * (x + a / x)
