"""The reference Newton square root against math.sqrt and exact integer roots."""
import ast
import inspect
import math
import random
from fractions import Fraction

import numpy as np
import pytest

from tests.helpers import load_solution

ref = load_solution("sqrt_newton")


def _rel_err(x, a):
    return abs(x - math.sqrt(a)) / math.sqrt(a)


def test_log_sweep_1e_minus12_to_1e12():
    for a in np.logspace(-12, 12, 2401):
        x = ref.sqrt_newton(float(a))
        assert type(x) is float
        assert _rel_err(x, a) <= 4e-16, a  # a few ulps, far inside the graded 1e-10


def test_random_values():
    rng = random.Random(0)
    for _ in range(2000):
        a = rng.uniform(1e-12, 1e12) if rng.random() < 0.5 else 10 ** rng.uniform(-12, 12)
        assert _rel_err(ref.sqrt_newton(a), a) <= 4e-16


@pytest.mark.parametrize("root", [1, 2, 3, 10, 12345, 999_999, 10**6])
def test_perfect_squares_are_exact(root):
    assert ref.sqrt_newton(float(root * root)) == float(root)


def test_exact_rational_check():
    # Independent of math.sqrt: x is the correctly rounded root or a neighbour iff
    # (x - ulp)^2 < a < (x + ulp)^2, checked in exact rational arithmetic.
    for a in [2.0, 3.0, 0.5, 1e-12, 7e-7, 1e12, 123456.789]:
        x = ref.sqrt_newton(a)
        u = math.ulp(x)
        lo, hi = Fraction(x) - 2 * Fraction(u), Fraction(x) + 2 * Fraction(u)
        assert lo * lo < Fraction(a) < hi * hi


def test_zero_is_exact():
    out = ref.sqrt_newton(0.0)
    assert out == 0.0 and type(out) is float and math.copysign(1.0, out) == 1.0


@pytest.mark.parametrize("a", [-1.0, -1e-12, -4.0])
def test_negative_raises(a):
    with pytest.raises(ValueError):
        ref.sqrt_newton(a)


def test_looser_tol_still_close():
    assert _rel_err(ref.sqrt_newton(10.0, tol=1e-6), 10.0) < 1e-10


def test_forbidden_calls_absent():
    tree = ast.parse(inspect.getsource(ref))
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"sqrt", "isqrt", "pow", "power", "cmath"}
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            pytest.fail("the reference uses **")
