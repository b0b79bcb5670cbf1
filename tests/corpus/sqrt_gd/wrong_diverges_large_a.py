# expect: for large a \(up to 100\)
# why: a fixed lr = 0.01 tuned for small a: near √a the error is multiplied by 1 − 0.01 · 8a, which is below −1 for a > 25, so the iterates oscillate, jump to the negative root or overflow to inf
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    x, lr = 1.0, 0.01
    for _ in range(200000):
        step = lr * 4 * x * (x * x - a)
        x -= step
        if abs(step) <= 1e-13 * abs(x):
            break
    return x
