# expect: expected a float, got int
# why: returns the int 0 for a = 0; the contract promises exactly 0.0, a float
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError("a < 0")
    if a == 0:
        return 0
    x = a if a >= 1 else 1.0
    while True:
        nxt = 0.5 * (x + a / x)
        if abs(nxt - x) <= tol * nxt:
            return nxt
        x = nxt
