# why: a start within a factor 2 of √a from the binary exponent (math.frexp / ldexp), then a fixed 8 Newton steps
import math


def sqrt_newton(a: float, tol: float = 1e-12) -> float:
    if a < 0:
        raise ValueError(f"sqrt of negative number {a}")
    if a == 0:
        return 0.0
    _, e = math.frexp(a)  # a = m * 2**e with 0.5 <= m < 1
    x = math.ldexp(1.0, e // 2)
    for _ in range(8):  # start within 41 %; the relative error is ~squared each step: 6 steps reach 1e-16
        x = x - (x * x - a) / (2.0 * x)
    return x
