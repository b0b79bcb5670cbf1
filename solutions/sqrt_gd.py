def sqrt_gd(a: float) -> float:
    """Return √a by gradient descent on f(x) = (x² − a)²."""
    if a < 0:
        raise ValueError(f"cannot take the square root of a negative number: {a}")
    if a == 0:
        return 0.0
    a = float(a)
    # Step size: the inverse curvature at the minimum, f''(√a) = 8a. A fixed rate cannot
    # work for every a (the curvature spans 0.08 … 800 over [0.01, 100]); with
    # η = 1/(8a) the error near √a is squared at every step instead of shrinking by a
    # constant factor.
    lr = 1.0 / (8.0 * a)
    # Start below the root: min(a, 1) <= √a. From there the iterates rise monotonically
    # to √a (from above, a start beyond √(3a) would overshoot to the negative side).
    x = min(a, 1.0)
    for _ in range(1000):  # ~40 steps suffice even for a = 1e±12
        step = lr * 4.0 * x * (x * x - a)  # η · f'(x)
        x -= step
        # Relative stopping rule: the step is about the current error, and the next
        # error is about its square, so x is now accurate to rounding.
        if abs(step) <= 1e-12 * x:
            break
    return x
