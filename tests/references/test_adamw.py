"""The reference AdamW against torch.optim.AdamW / torch.optim.Adam, step by step."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("adamw")


def _run_both(shapes, hp, steps, scale, seed, torch_cls=torch.optim.AdamW, quadratic=False):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s) for s in shapes]
    originals = list(params)
    tparams = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    opt = ref.AdamW(params, **hp)
    topt = torch_cls(tparams, **hp)
    curv = [rng.uniform(0.5, 2.0, s) for s in shapes]
    for _ in range(steps):
        if quadratic:  # gradients of Σ c·p²/2 at each side's own current parameters
            grads = [c * p for c, p in zip(curv, params)]
            tgrads = [torch.tensor(c) * p.detach() for c, p in zip(curv, tparams)]
        else:
            grads = [scale * rng.standard_normal(s) for s in shapes]
            tgrads = [torch.tensor(g) for g in grads]
        kept = [g.copy() for g in grads]
        assert opt.step(grads) is None
        assert all(np.array_equal(a, b) for a, b in zip(grads, kept)), "grads must not change"
        for p, g in zip(tparams, tgrads):
            p.grad = g
        topt.step()
        for p, q in zip(params, tparams):
            np.testing.assert_allclose(p, q.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert all(a is b for a, b in zip(params, originals)) and opt.params[0] is originals[0]


@pytest.mark.parametrize("hp", [
    {}, dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.5), dict(lr=1e-2, betas=(0.0, 0.99), eps=1e-3),
    dict(lr=0.05, betas=(0.8, 0.95), weight_decay=0.0), dict(lr=0.0, weight_decay=0.1),
    dict(lr=0.01, eps=0.0, betas=(0.0, 0.0), weight_decay=0.0),
])
@pytest.mark.parametrize("scale", [1e-8, 1e-6, 1.0, 100.0])
def test_matches_torch_adamw(hp, scale):
    _run_both([(), (5,), (3, 4), (2, 3, 2)], hp, 60, scale, seed=int(scale * 1e8) % 1000)


def test_weight_decay_zero_is_adam():
    _run_both([(5,), (3, 4)], dict(lr=0.01, weight_decay=0.0), 80, 1.0, 3, torch_cls=torch.optim.Adam)


def test_quadratic_loss_trajectory():
    _run_both([(), (4, 2)], dict(lr=0.05, weight_decay=0.1), 100, 1.0, 5, quadratic=True)


def test_zero_d_parameter_updated_in_place():
    p = np.array(2.0)
    ref.AdamW([p], lr=0.1).step([np.array(1.0)])
    assert p.ndim == 0 and p != 2.0


@pytest.mark.parametrize("kwargs", [dict(lr=-1e-3), dict(eps=-1e-8), dict(betas=(1.0, 0.999)),
                                    dict(betas=(0.9, 1.0)), dict(betas=(-0.1, 0.9)), dict(weight_decay=-0.1)])
def test_invalid_hyper_parameters_raise_like_torch(kwargs):
    with pytest.raises(ValueError):
        ref.AdamW([np.zeros(2)], **kwargs)
    with pytest.raises(ValueError):
        torch.optim.AdamW([torch.zeros(2, requires_grad=True)], **kwargs)


@pytest.mark.parametrize("grads", [[np.ones(2)], [np.ones(2), np.ones(3), np.ones(1)], [np.ones(2), np.ones(4)]])
def test_mismatched_grads_raise(grads):
    with pytest.raises(ValueError):
        ref.AdamW([np.zeros(2), np.zeros(3)]).step(grads)
