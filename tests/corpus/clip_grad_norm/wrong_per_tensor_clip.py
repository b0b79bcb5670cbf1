# expect: clipped by its own norm
# why: clips each tensor by its own norm
import torch


def clip_grad_norm(parameters, max_norm, norm_type=2.0):
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    if norm_type == float("inf"):
        total = torch.stack([g.abs().max() for g in grads]).max()
    else:
        total = torch.stack([g.norm(norm_type) for g in grads]).norm(norm_type)
    for g in grads:
        n = g.abs().max() if norm_type == float("inf") else g.norm(norm_type)
        c = max_norm / (n + 1e-6)
        if c < 1:
            g.mul_(c)
    return total
