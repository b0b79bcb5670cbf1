# why: one fixed rate per call, scaled to a (η = 0.1 / (a + 1), stable up to a ≈ 100 and more), many cheap steps, relative stop
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("a must be >= 0")
    if a == 0:
        return 0.0
    lr = 0.1 / (a + 1.0)
    x = 1.0
    for _ in range(200000):
        step = lr * 4.0 * x * (x * x - a)
        x -= step
        if abs(step) < 1e-13 * x:
            break
    return float(x)
