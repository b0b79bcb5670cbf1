import random

from harness.engine import Case, Grader, close
from harness.engine.gen import log_sweep
from harness.engine.forbidden import SQRT_FORBIDDEN

grader = Grader("sqrt_newton", forbidden=SQRT_FORBIDDEN, forbid_half_power=True)

# The reference is accurate to a few ulps, so comparing to it at rtol 1e-10 is the contract's
# "relative error <= 1e-10 against the true square root".
relative = close(rtol=1e-10, atol=0.0, kind="float", what="relative error")



def _sweep(lo_exp, hi_exp):
    return [Case(a) for a in log_sweep(lo_exp, hi_exp, per_decade=4)]


grader.cases("a = 0 returns exactly 0.0", [Case(0.0)], compare=close(rtol=0.0, atol=0.0, kind="float"))
grader.raises("a < 0 raises ValueError", ValueError, [Case(-1.0), Case(-1e-12), Case(-4.0)], why="a < 0")
grader.cases("relative error <= 1e-10 for ordinary a (0.01 to 100)",
             [Case(x) for x in (1.0, 2.0, 4.0, 0.5, 10.0, 0.01, 99.0, 100.0)] + _sweep(-2, 2), compare=relative)
grader.cases("relative error <= 1e-10 for tiny a (down to 1e-12)", _sweep(-12, -2), compare=relative)
grader.cases("relative error <= 1e-10 for huge a (up to 1e12)", _sweep(2, 12), compare=relative)


@grader.cases("relative error <= 1e-10 on perfect squares and random values", compare=relative)
def random_values(rng):
    for root in (3, 12, 1000, 123_456, 999_999):
        yield Case(float(root * root))
    gen = random.Random(int(rng.integers(2**31)))
    for _ in range(200):
        yield Case(10.0 ** gen.uniform(-12.0, 12.0))

grader.speed(lambda rng: Case(1e12), label="a = 1e12")
