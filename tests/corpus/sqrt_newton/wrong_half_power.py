# expect: square root by power
# why: a power with exponent 1/2 is forbidden: it is the built-in square root, not Newton's method
def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    x = a ** (1 / 2)
    return x
