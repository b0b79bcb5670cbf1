import random

from harness.engine import Case, Grader, close
from harness.engine.gen import log_sweep
from harness.engine.forbidden import SQRT_FORBIDDEN

grader = Grader("sqrt_gd", forbidden=SQRT_FORBIDDEN, forbid_half_power=True)


def accurate(expected, got):
    """The contract's |x − √a| <= 1e-6 · max(1, √a), with √a from the (ulp-accurate) reference."""
    close(rtol=0.0, atol=1e-6 * max(1.0, float(expected)), kind="float")(expected, got)



def _sweep(lo_exp, hi_exp):
    return [Case(a) for a in log_sweep(lo_exp, hi_exp, per_decade=10)]


grader.cases("a = 0 returns exactly 0.0", [Case(0.0)], compare=close(rtol=0.0, atol=0.0, kind="float"))
grader.raises("a < 0 raises ValueError", ValueError, [Case(-1.0), Case(-0.01), Case(-100.0)], why="a < 0")
grader.cases("|x − √a| <= 1e-6 for a near 1 (0.25 to 4)", [Case(x) for x in (1.0, 2.0, 4.0, 0.5, 0.25, 3.0)],
             compare=accurate)
grader.cases("|x − √a| <= 1e-6 for small a (down to 0.01)", _sweep(-2, 0), compare=accurate)
grader.cases("|x − √a| <= 1e-6 · √a for large a (up to 100)", _sweep(0, 2), compare=accurate)


@grader.cases("accurate on random a in [0.01, 100]", compare=accurate)
def random_values(rng):
    gen = random.Random(int(rng.integers(2**31)))
    for _ in range(100):
        yield Case(gen.uniform(0.01, 100.0))
    for _ in range(100):
        yield Case(10.0 ** gen.uniform(-2.0, 2.0))

grader.speed(lambda rng: Case(100.0), label="a = 100")
