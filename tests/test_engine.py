"""Engine primitives against independent implementations (scipy) and hand-made cases."""
import ast
import math

import numpy as np
import pytest
import scipy.stats

from harness.engine import Fail, close
from harness.engine.compare import array_diff
from harness.engine.forbidden import RuntimeGuard, matches, scan_source
from harness.engine.gen import schedule
from harness.engine.stats import assert_uniform, chi2_sf, chi_square


@pytest.mark.parametrize("df", [1, 2, 3, 5, 6, 9, 23, 119])
@pytest.mark.parametrize("x", [0.01, 0.7, 3.0, 11.5, 40.0, 160.0])
def test_chi2_sf_matches_scipy(df, x):
    expected = scipy.stats.chi2.sf(x, df)
    assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_chi_square_matches_scipy():
    observed = {"a": 30, "b": 50, "c": 20}
    stat, p = chi_square(observed, {"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    ref = scipy.stats.chisquare([30, 50, 20])
    assert stat == pytest.approx(ref.statistic) and p == pytest.approx(ref.pvalue)


def test_assert_uniform_rejects_a_biased_source_and_accepts_a_fair_one():
    rng = np.random.default_rng(0)
    fair = rng.integers(0, 6, size=60000).tolist()
    assert_uniform(fair, list(range(6)), what="faces", trials_word="rolls")
    biased = rng.choice(6, size=60000, p=[4 / 27, 5 / 27, 5 / 27, 5 / 27, 4 / 27, 4 / 27]).tolist()
    with pytest.raises(Fail, match="not equally likely"):
        assert_uniform(biased, list(range(6)), what="faces", trials_word="rolls")


def scan(src, patterns, half=False):
    return [(v.name, v.line) for v in scan_source(ast.parse(src), patterns, half)]


@pytest.mark.parametrize("src, name", [
    ("import math\nmath.sqrt(2)", "math.sqrt"),
    ("from math import sqrt as s\ns(2)", "math.sqrt"),
    ("import numpy as np\nnp.sqrt(2)", "numpy.sqrt"),
    ("import numpy\nnumpy.random.shuffle([1])", "numpy.random.shuffle"),
    ("from numpy import random as r\nr.permutation(3)", "numpy.random.permutation"),
    ("import cmath", "cmath"),
    ("from scipy import special\nspecial.softmax([1])", "scipy.special.softmax"),
    ("import torch.nn.functional as F\nF.scaled_dot_product_attention(q, k, v)",
     "torch.nn.functional.scaled_dot_product_attention"),
    ("x = torch._C._nn.scaled_dot_product_attention", "torch._C._nn.scaled_dot_product_attention"),
])
def test_source_scan_resolves_aliases(src, name):
    patterns = ["math.sqrt", "numpy.sqrt", "numpy.random.*", "cmath", "scipy.special.*",
                "*.scaled_dot_product_attention"]
    found = scan(src, patterns)
    assert found and found[0][0] == name, found


@pytest.mark.parametrize("src", ["y = x ** 0.5", "y = x ** (1/2)", "y = x ** .5", "y = pow(x, 0.5)",
                                 "import math\ny = math.pow(x, 1 / 2)"])
def test_half_power_is_flagged(src):
    assert scan(src, [], half=True)


@pytest.mark.parametrize("src", ["y = x ** 2", "y = x * 0.5", "z = sqrtish(x)", "import numpy as np\nnp.exp(1)"])
def test_innocent_code_is_not_flagged(src):
    assert not scan(src, ["math.sqrt", "numpy.sqrt", "numpy.random.*", "cmath"], half=True)


def test_pattern_matching():
    assert matches("numpy.random.rand", "numpy.random.*") and not matches("numpy.random", "numpy.random.*")
    assert matches("torch.nn", "torch") and not matches("torchvision", "torch")
    assert matches("x.y._scaled_dot_product_flash", "*._scaled_dot_product*")


def test_runtime_guard_blocks_only_calls_from_the_attempt(tmp_path):
    import math as m

    attempt = tmp_path / "a.py"
    attempt.write_text("def f(x):\n    return getattr(__import__('ma' + 'th'), 'sqrt')(x)\n")
    code = compile(attempt.read_text(), str(attempt), "exec")
    guard = RuntimeGuard(["math.sqrt"], str(attempt))
    guard.install()
    try:
        ns = {}
        exec(code, ns)
        assert m.sqrt(4.0) == 2.0  # our own call passes through
        from harness.engine.errors import ForbiddenCall

        with pytest.raises(ForbiddenCall) as info:
            ns["f"](4.0)
        assert info.value.name == "math.sqrt" and info.value.line == 2
    finally:
        guard.uninstall()
    assert m.sqrt is math.sqrt and type(m.sqrt).__name__ == "builtin_function_or_method"


def test_array_diff_reports_count_errors_and_positions():
    e = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = e.copy()
    g[1, 0] = 3.5
    text = array_diff(e, g, 1e-6, 1e-9)
    assert "1 of 4 values differ" in text and "at [1, 0]: expected 3, got 3.5" in text
    assert array_diff(e, e + 1e-12, 1e-6, 1e-9) is None
    g[0, 1] = np.nan
    assert "nan" in array_diff(e, g, 1e-6, 1e-9)


def test_close_checks_type_shape_and_dtype():
    cmp = close(kind="array")
    with pytest.raises(Fail, match="expected a numpy array, got list"):
        cmp(np.zeros(2), [0.0, 0.0])
    with pytest.raises(Fail, match=r"wrong shape: expected \(2,\), got \(2, 1\)"):
        cmp(np.zeros(2), np.zeros((2, 1)))
    with pytest.raises(Fail, match="wrong dtype: expected float32, got float64"):
        cmp(np.zeros(2, np.float32), np.zeros(2))
    close(kind="array")(np.ones(2, np.float32), np.ones(2, np.float32) * (1 + 5e-6))  # float32 tolerance
    with pytest.raises(Fail, match="expected a float"):
        close(kind="float")(1.0, np.array([1.0]))
    close(kind="float")(1.0, np.float64(1.0))


def test_schedule_grows_small_to_large():
    sizes = schedule(20, 50)
    assert sizes[0] == 1 and sizes[-1] == 50 and sizes == sorted(sizes)


def test_a_scalar_difference_names_no_position_and_a_full_one_says_all():
    import numpy as np

    from harness.engine.compare import close
    from harness.engine.errors import Fail

    def shown(expected, got):
        with pytest.raises(Fail) as info:
            close(kind="array")(expected, got)
        return " ".join(str(v) for v in info.value.to_dict().values())

    assert "at []" not in shown(np.array(1.0), np.array(2.0))
    assert "expected 1, got 2" in shown(np.array(1.0), np.array(2.0))
    assert "all 3 values differ" in shown(np.zeros(3), np.ones(3))
