# expect: <= 1e-6 for small a
# why: seed trap — a fixed lr = 0.001 with the absolute stop |x² − a| < 1e-6 and 10 000 steps: for a = 0.01 it returns 0.134
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    lr, eps = 0.001, 1e-6
    x = 1.0
    for _ in range(10000):
        grad = 4 * x * (x * x - a)
        x -= lr * grad
        if abs(x * x - a) < eps:
            break
    return x
