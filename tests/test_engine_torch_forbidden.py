"""The forbidden-call scan and guard: the candidate's own names are never "forbidden", and a
private alias of a forbidden function (a method bound to a hidden instance) is still caught."""
import ast
import random

import pytest

from harness.engine.errors import ForbiddenCall
from harness.engine.forbidden import RuntimeGuard, scan_source
from harness.engine.torchkit import ATTENTION_FORBIDDEN, NORM_FORBIDDEN

PATTERNS = ATTENTION_FORBIDDEN + NORM_FORBIDDEN


def names(src: str) -> list[str]:
    return [v.name for v in scan_source(ast.parse(src), PATTERNS)]


@pytest.mark.parametrize("method", ["scaled_dot_product_attention", "_scaled_dot_product", "layer_norm",
                                    "rms_norm", "_scaled_dot_product_attention"])
def test_the_candidates_own_method_is_not_forbidden(method):
    src = (f"class M:\n    def {method}(self, x):\n        return x\n\n"
           f"    def forward(self, x):\n        return self.{method}(x) + getattr(self, '{method}')(x)\n")
    assert names(src) == []


@pytest.mark.parametrize("src, name", [
    ("import torch.nn.functional as F\ndef layer_norm(x):\n    return F.layer_norm(x, (4,))",
     "torch.nn.functional.layer_norm"),
    ("import torch\nclass M:\n    def f(self, q):\n        return torch._scaled_dot_product_flash_attention(q)",
     "torch._scaled_dot_product_flash_attention"),
    ("def f(ops, q):\n    return ops.aten._scaled_dot_product_efficient_attention(q)",
     "ops.aten._scaled_dot_product_efficient_attention"),
    ("class M:\n    def f(self):\n        import torch.nn.functional as F\n        self.attn = F.scaled_dot_product_attention",
     "torch.nn.functional.scaled_dot_product_attention"),
])
def test_torchs_kernels_are_still_found_under_any_name(src, name):
    assert name in names(src)


def _run_attempt(tmp_path, body: str, patterns):
    attempt = tmp_path / "a.py"
    attempt.write_text(body)
    ns: dict = {}
    exec(compile(body, str(attempt), "exec"), ns)
    guard = RuntimeGuard(patterns, str(attempt))
    guard.install()
    try:
        return ns["f"]()
    finally:
        guard.uninstall()


@pytest.mark.parametrize("body", [
    "import random\ndef f():\n    return random._inst.shuffle([1, 2, 3])\n",
    "import random\ndef f():\n    return random.Random(0).shuffle([1, 2, 3])\n",
    "import random\ndef f():\n    s = random.sample\n    return s([1, 2], 2)\n",
])
def test_a_private_instance_of_a_forbidden_method_is_guarded_at_its_class(tmp_path, body):
    original = random.Random.shuffle
    with pytest.raises(ForbiddenCall):
        _run_attempt(tmp_path, body, ["random.shuffle", "random.sample"])
    assert random.Random.shuffle is original and "shuffle" in vars(random.Random)
    assert random.shuffle.__self__ is random._inst  # restored to the bound method


def test_allowed_methods_of_the_same_instance_still_work(tmp_path):
    body = "import random\ndef f():\n    random.seed(3)\n    return random._inst.randrange(10)\n"
    assert 0 <= _run_attempt(tmp_path, body, ["random.shuffle", "random.sample"]) < 10
