"""The reference schedule against Hugging Face's cosine-with-min-lr lambda (transcribed, run
through torch's LambdaLR on a real optimiser), torch's CosineAnnealingLR and closed forms."""
import math

import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("lr_schedule")

SCHEDULES = [(1e-3, 0, 10, 0.0), (0.1, 1, 2, 0.0), (3e-4, 5, 100, 3e-5), (1.0, 10, 11, 0.1), (6e-4, 100, 1000, 6e-5),
             (0.5, 7, 7, 0.05), (0.5, 0, 0, 0.0), (2e-3, 3, 50, 0.0), (1e-2, 0, 1, 1e-3), (1.0, 1, 1, 0.2),
             (5e-4, 2000, 2500, 0.0)]


def hf_lambda(step, *, num_warmup_steps, num_training_steps, num_cycles=0.5, min_lr_rate=0.0):
    """transformers.optimization._get_cosine_schedule_with_warmup_lr_lambda (with min_lr_rate)."""
    if step < num_warmup_steps:
        return float(step) / float(max(1, num_warmup_steps))
    progress = float(step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    factor = 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress))
    factor = factor * (1 - min_lr_rate) + min_lr_rate
    return max(0, factor)


def close(got, want, base):
    return abs(got - want) <= 1e-12 * abs(want) + 1e-14 * base


@pytest.mark.parametrize("base, warm, total, min_lr", SCHEDULES)
def test_matches_hf_through_lambda_lr_then_clamps(base, warm, total, min_lr):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: hf_lambda(
        s, num_warmup_steps=warm, num_training_steps=total, min_lr_rate=min_lr / base))
    for step in range(total + 21):
        hf = opt.param_groups[0]["lr"]
        got = ref.cosine_with_warmup(step, base, warm, total, min_lr)
        assert isinstance(got, float)
        want = min_lr if step >= total else hf  # the contract's clamp wins after the end
        assert close(got, want, base), (step, got, want)
        opt.step()
        sched.step()


@pytest.mark.parametrize("base, total, min_lr", [(1e-3, 10, 0.0), (0.3, 37, 0.01), (1.0, 5, 0.5)])
def test_no_warmup_is_cosine_annealing(base, total, min_lr):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total, eta_min=min_lr)
    for step in range(total + 1):
        assert abs(ref.cosine_with_warmup(step, base, 0, total, min_lr) - opt.param_groups[0]["lr"]) < 1e-12 * base
        opt.step()
        sched.step()


def test_landmarks():
    assert ref.cosine_with_warmup(0, 1.0, 10, 110, 0.1) == 0.0
    assert ref.cosine_with_warmup(5, 1.0, 10, 110, 0.1) == 0.5
    assert ref.cosine_with_warmup(10, 1.0, 10, 110, 0.1) == 1.0
    assert close(ref.cosine_with_warmup(60, 1.0, 10, 110, 0.1), 0.55, 1.0)
    assert ref.cosine_with_warmup(110, 1.0, 10, 110, 0.1) == 0.1
    assert ref.cosine_with_warmup(7, 0.5, 7, 7, 0.05) == 0.05  # the clamp wins at warmup = total
    assert ref.cosine_with_warmup(0, 0.5, 0, 0, 0.0) == 0.0
    assert ref.cosine_with_warmup(3, 1.0, 0, 10) == pytest.approx(0.5 * (1 + math.cos(0.3 * math.pi)))


@pytest.mark.parametrize("args", [(-1, 1e-3, 10, 100), (0, 1e-3, -1, 100), (5, 1e-3, 10, 9), (0, 1e-3, 1, 0)])
def test_errors(args):
    with pytest.raises(ValueError):
        ref.cosine_with_warmup(*args)
