# expect: math\.sqrt
# why: forbidden call behind an alias — "initialises" the descent at the exact answer
import math as m


def sqrt_gd(a: float) -> float:
    if a < 0:
        raise ValueError("negative input")
    if a == 0:
        return 0.0
    x = m.sqrt(a)
    for _ in range(10):
        x -= 0.001 * 4 * x * (x * x - a)
    return x
