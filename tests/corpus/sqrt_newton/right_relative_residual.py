# why: stops on a relative residual |x² − a| ≤ tol · a (scale-free), starting at a or 1
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0.0:
        raise ValueError("a must be non-negative")
    if a == 0.0:
        return 0.0
    x = a if a > 1.0 else 1.0
    for _ in range(500):
        if abs(x * x - a) <= tol * a:
            break
        x = (x + a / x) / 2.0
    return float(x)
