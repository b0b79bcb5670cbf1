# why: gradient descent with an Armijo backtracking line search (no knowledge of the curvature), relative stopping rule
def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("a must be >= 0")
    if a == 0:
        return 0.0

    def f(x):
        r = x * x - a
        return r * r

    x = max(a, 1.0)
    for _ in range(10000):
        g = 4 * x * (x * x - a)
        if g == 0:
            break
        eta = 1.0
        fx = f(x)
        while f(x - eta * g) > fx - 0.5 * eta * g * g:
            eta *= 0.5
            if eta < 1e-300:
                return x
        step = eta * g
        x -= step
        if abs(step) <= 1e-13 * abs(x):
            break
    return x
