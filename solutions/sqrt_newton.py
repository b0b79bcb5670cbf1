import math


def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    """Return √a by Newton's iteration on g(x) = x² − a."""
    if a < 0:
        raise ValueError(f"cannot take the square root of a negative number: {a}")
    if a == 0:
        return 0.0
    if math.isinf(a) or math.isnan(a):
        return float(a)  # inf → inf, nan → nan (the iteration below would never stop)
    a = float(a)
    # Start above the root: max(a, 1) >= √a for every a > 0. From above, Newton's
    # iterates x ← (x + a/x) / 2 decrease monotonically towards √a (far away they
    # roughly halve, close by the error is squared at every step).
    x = max(a, 1.0)
    while True:
        nxt = 0.5 * (x + a / x)
        if nxt >= x:
            # No more progress: rounding has reached the last bits of √a.
            return x
        if x - nxt <= tol * nxt:
            # Relative test: scale-free, unlike |x² − a| < eps. The step is about the
            # current error, and the next error is about its square, so nxt is exact
            # to rounding.
            return nxt
        x = nxt
