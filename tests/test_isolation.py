"""What an attempt does to its libraries cannot change the reference's answer or break the
engine: settings it changes are undone for the reference, functions it replaces fail it by
name, and kata itself cannot be imported."""
import textwrap

import pytest

from harness import catalog
from harness.runner import grade_kata
from tests.helpers import SOLUTIONS

SOFTMAX = (SOLUTIONS / "softmax.py").read_text()


def grade(tmp_path, kata, text):
    path = tmp_path / f"{kata}.py"
    path.write_text(textwrap.dedent(text))
    return grade_kata(catalog.find(kata), path, speed=False)


def shown(result):
    rows = [f"{c.name}: {c.message}" for c in result.checks if not c.passed]
    return "\n".join(rows + [str((result.error or {}).get("message", ""))])


@pytest.mark.parametrize("prelude", [
    "import numpy as np\nnp.seterr(all='raise')\n",
    "import numpy as np\nnp.set_printoptions(precision=1, threshold=3)\n",
    "import sys\nsys.setrecursionlimit(60)\n",
])
def test_settings_changed_at_import_do_not_break_the_reference(tmp_path, prelude):
    result = grade(tmp_path, "softmax", prelude + SOFTMAX)
    assert result.passed, shown(result)


def test_settings_changed_inside_the_function_do_not_reach_the_reference(tmp_path):
    body = SOFTMAX.replace("def softmax(", "def _softmax(") + textwrap.dedent("""
        def softmax(x, axis=-1):
            import numpy
            numpy.seterr(all="raise")
            return _softmax(x, axis)
    """)
    result = grade(tmp_path, "softmax", body)
    assert result.status != "error", shown(result)
    assert "reference" not in shown(result) and "return type" not in shown(result)


def test_replacing_a_numpy_function_fails_by_name(tmp_path):
    result = grade(tmp_path, "softmax", """
        import numpy as np

        _sum = np.sum
        np.sum = lambda a, *args, **kwargs: 2 * _sum(a, *args, **kwargs)

        def softmax(x, axis=-1):
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            return 2 * e / np.sum(e, axis=axis, keepdims=True)
    """)
    assert not result.passed
    assert "replaced `numpy.sum`" in shown(result)


def test_replacing_a_tensor_operator_fails_by_name(tmp_path):
    result = grade(tmp_path, "rmsnorm", (SOLUTIONS / "rmsnorm.py").read_text() + textwrap.dedent("""
        import torch
        torch.Tensor.__mul__ = lambda a, b: torch.mul(a, b)
    """))
    assert not result.passed
    assert "torch.Tensor.__mul__" in shown(result)


def test_a_default_dtype_changed_at_import_is_undone_for_the_reference(tmp_path):
    result = grade(tmp_path, "rmsnorm", "import torch\ntorch.set_default_dtype(torch.float64)\n"
                   + (SOLUTIONS / "rmsnorm.py").read_text())
    assert result.passed, shown(result)


@pytest.mark.parametrize("line", ["import harness.engine", "from solutions import softmax as ref",
                                  "import kata_reference"])
def test_importing_kata_itself_is_forbidden(tmp_path, line):
    result = grade(tmp_path, "softmax", line + "\n" + SOFTMAX)
    assert not result.passed
    assert "forbidden" in shown(result)


@pytest.mark.parametrize("encoding, header", [("utf-8-sig", ""), ("latin-1", "# -*- coding: latin-1 -*-\n")])
def test_files_python_accepts_are_accepted(tmp_path, encoding, header):
    """A UTF-8 BOM (Windows editors write one) or a PEP 263 coding line."""
    path = tmp_path / "softmax.py"
    path.write_bytes((header + "# café\n" + SOFTMAX).encode(encoding))
    result = grade_kata(catalog.find("softmax"), path, speed=False)
    assert result.passed, shown(result)


def test_the_input_is_shown_when_the_attempt_raises(tmp_path):
    result = grade(tmp_path, "softmax", """
        import numpy as np

        def softmax(x, axis=-1):
            e = np.exp(x - x.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
    """)
    failing = result.failing_case
    assert failing and "raised" in failing["message"] and failing.get("case"), failing
