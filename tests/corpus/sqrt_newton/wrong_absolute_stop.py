# expect: relative error <= 1e-10
# why: seed trap — starts at a/2 and stops when |x² − a| < 1e-6, an absolute test: for a = 1e-12 it stops at once with x = 5e-13
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError("negative input")
    x = a / 2
    for _ in range(10000):
        err = x * x - a
        if abs(err) < 1e-6:
            break
        x = x - err / (2 * x)
    return x
