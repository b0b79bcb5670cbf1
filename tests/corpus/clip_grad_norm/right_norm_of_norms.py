# why: norm of the per-tensor norms with torch.norm, one clamped coefficient applied with in-place mul
import math
import torch


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0) -> torch.Tensor:
    params = [parameters] if torch.is_tensor(parameters) else list(parameters)
    with_grad = [p for p in params if p.grad is not None]
    if not with_grad:
        return torch.zeros(())
    if math.isinf(norm_type):
        norms = torch.stack([p.grad.detach().abs().max() for p in with_grad])
        total = norms.max()
    else:
        norms = torch.stack([torch.norm(p.grad.detach(), norm_type) for p in with_grad])
        total = torch.norm(norms, norm_type)
    clip = max_norm / (total + 1e-6)
    if clip < 1.0:
        for p in with_grad:
            p.grad.detach().mul_(clip)
    return total
