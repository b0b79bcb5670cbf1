# expect: expected ValueError \(a < 0\)
# why: never checks a < 0: for a = -1 the first step lands on x = 0 and the next one raises ZeroDivisionError instead of ValueError
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a == 0:
        return 0.0
    x = max(abs(a), 1.0)
    for _ in range(200):
        nxt = 0.5 * (x + a / x)
        if abs(nxt - x) <= tol * abs(nxt):
            return nxt
        x = nxt
    return x
