# expect: a = 0 returns exactly 0\.0.*ZeroDivisionError
# why: starts at a/2 and divides by x, so a = 0 raises ZeroDivisionError instead of returning 0.0
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError("negative input")
    x = a / 2
    while True:
        nxt = x - (x * x - a) / (2 * x)
        if abs(nxt - x) <= tol * abs(nxt):
            return nxt
        x = nxt
