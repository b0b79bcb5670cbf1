# expect: <= 1e-6 for small a
# why: stops on an absolute gradient test |f'(x)| < 1e-6; near the root f' ≈ 8a·(x − √a) is small for small a, so it stops early, and lr = 1/(4a + 4) is slow there
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    lr = 1.0 / (4 * a + 4)
    x = 1.0
    for _ in range(100000):
        grad = 4 * x * (x * x - a)
        if abs(grad) < 1e-6:
            break
        x -= lr * grad
    return x
