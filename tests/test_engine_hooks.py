"""harness.engine.hooks: rows and calls reaching named submodules."""
import torch
from torch import nn

from harness.engine import hooks


class Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 3)
        self.b = nn.Linear(3, 3)
        self.unused = nn.Linear(3, 3)

    def forward(self, x):
        first = self.a(x[:2])
        second = self.a(input=x[2:])  # a keyword call counts too
        return torch.cat([first, second]) + nn.functional.linear(x, self.b.weight, self.b.bias)


def test_calls_and_rows_per_submodule():
    m = Two()
    x = torch.randn(5, 3)
    out, seen = hooks.record_calls(m, ["a", "b", "unused", "missing"], lambda: m(x), keep_inputs=True)
    assert out.shape == (5, 3)
    assert (seen["a"].calls, seen["a"].rows) == (2, 5)
    assert torch.equal(torch.cat(seen["a"].inputs), x)
    assert (seen["b"].calls, seen["b"].rows) == (0, 0)  # used through its weights, never called
    assert (seen["unused"].calls, seen["missing"].calls) == (0, 0)
    assert seen["b"].inputs == []


def test_rows_count_leading_dimensions_and_hooks_are_removed():
    m = Two()
    _, seen = hooks.record_calls(m, ["a"], lambda: m.a(torch.randn(2, 4, 3)))
    assert seen["a"].rows == 8
    assert hooks.rows_of(torch.tensor(1.0)) == 0
    try:
        hooks.record_calls(m, ["a"], lambda: (m.a(torch.randn(1, 3)), 1 / 0))
    except ZeroDivisionError:
        pass
    assert not m.a._forward_pre_hooks
