# expect: a = 0 returns exactly 0\.0.*ZeroDivisionError
# why: the curvature-scaled step 1/(8a) is computed before handling a = 0, which raises ZeroDivisionError instead of returning 0.0
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("negative input")
    lr = 1 / (8 * a)
    x = min(a, 1.0)
    for _ in range(1000):
        step = lr * 4 * x * (x * x - a)
        x -= step
        if abs(step) <= 1e-12 * x:
            break
    return x
