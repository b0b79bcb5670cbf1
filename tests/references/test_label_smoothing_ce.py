"""The label_smoothing_ce reference against F.cross_entropy (value and gradient)."""
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("label_smoothing_ce")


def both(logits, target, **kw):
    a, b = logits.clone().requires_grad_(True), logits.clone().requires_grad_(True)
    mine = ref.label_smoothing_cross_entropy(a, target, kw.get("smoothing", 0.1), kw.get("ignore_index", -100),
                                             kw.get("reduction", "mean"))
    theirs = F.cross_entropy(b, target, ignore_index=kw.get("ignore_index", -100),
                             reduction=kw.get("reduction", "mean"), label_smoothing=kw.get("smoothing", 0.1))
    return mine, theirs, a, b


@pytest.mark.parametrize("dtype, tol", [(torch.float64, (1e-6, 1e-9)), (torch.float32, (1e-4, 1e-5))])
@pytest.mark.parametrize("ignore_index", [-100, 0])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_matches_cross_entropy(dtype, tol, ignore_index, reduction):
    gen = torch.Generator().manual_seed(1)
    for n, c in ((1, 2), (4, 5), (16, 10), (7, 3), (32, 50)):
        for smoothing in (0.0, 0.1, 0.3, 1.0):
            logits = (torch.randn(n, c, generator=gen, dtype=torch.float64) * 3).to(dtype)
            target = torch.randint(0, c, (n,), generator=gen)
            target[torch.rand(n, generator=gen) < 0.3] = ignore_index
            target[0] = c - 1
            mine, theirs, a, b = both(logits, target, smoothing=smoothing, ignore_index=ignore_index,
                                      reduction=reduction)
            assert mine.dtype == theirs.dtype == dtype and mine.shape == theirs.shape
            torch.testing.assert_close(mine, theirs, rtol=tol[0], atol=tol[1])
            weights = torch.randn(mine.shape, generator=gen, dtype=dtype)
            (mine * weights).sum().backward()
            (theirs * weights).sum().backward()
            torch.testing.assert_close(a.grad, b.grad, rtol=tol[0], atol=tol[1])


def test_huge_logits_are_exact():
    logits = torch.tensor([[1e3, -1e3, 0.0], [-1e3, 1e3, 1e3], [0.0, -1e3, 1e3]], dtype=torch.float64)
    target = torch.tensor([1, 0, 2])
    for smoothing in (0.0, 0.1, 1.0):
        mine, theirs, a, b = both(logits, target, smoothing=smoothing, reduction="none")
        assert torch.isfinite(mine).all()
        torch.testing.assert_close(mine, theirs, rtol=1e-6, atol=1e-9)
        mine.sum().backward()
        theirs.sum().backward()
        torch.testing.assert_close(a.grad, b.grad, rtol=1e-6, atol=1e-9)
    # closed form: target 2000 behind, no smoothing
    assert ref.label_smoothing_cross_entropy(logits[:1], target[:1], 0.0).item() == pytest.approx(2000.0, rel=1e-12)


@pytest.mark.parametrize("ignore_index", [-100, 2])
def test_every_target_ignored(ignore_index):
    logits = torch.randn(3, 4, dtype=torch.float64)
    target = torch.full((3,), ignore_index)
    assert torch.isnan(ref.label_smoothing_cross_entropy(logits, target, 0.1, ignore_index, "mean"))
    assert ref.label_smoothing_cross_entropy(logits, target, 0.1, ignore_index, "sum").item() == 0.0
    assert torch.equal(ref.label_smoothing_cross_entropy(logits, target, 0.1, ignore_index, "none"),
                       torch.zeros(3, dtype=torch.float64))
    assert torch.isnan(F.cross_entropy(logits, target, ignore_index=ignore_index, label_smoothing=0.1))


def test_defaults_and_inputs_unchanged():
    logits, target = torch.randn(5, 4, dtype=torch.float64), torch.tensor([0, 3, -100, 1, 2])
    saved = logits.clone(), target.clone()
    torch.testing.assert_close(ref.label_smoothing_cross_entropy(logits, target),
                               F.cross_entropy(logits, target, label_smoothing=0.1))
    assert torch.equal(saved[0], logits) and torch.equal(saved[1], target)


@pytest.mark.parametrize("kw", [{"smoothing": -0.1}, {"smoothing": 1.5}, {"smoothing": 1 + 1e-9},
                                {"reduction": "avg"}, {"reduction": "batchmean"}])
def test_errors(kw):
    with pytest.raises(ValueError):
        ref.label_smoothing_cross_entropy(torch.randn(2, 3), torch.tensor([0, 1]), **kw)
