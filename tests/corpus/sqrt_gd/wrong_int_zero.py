# expect: expected a float, got int
# why: returns the int 0 for a = 0; the contract promises exactly 0.0, a float
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("a < 0")
    if a == 0:
        return 0
    x = max(a, 1.0)
    for _ in range(100000):
        grad = 4 * x * (x * x - a)
        step = grad / (12 * x * x - 4 * a)  # Newton-scaled step keeps the descent stable
        x -= step
        if abs(step) <= 1e-15 * x:
            break
    return x
