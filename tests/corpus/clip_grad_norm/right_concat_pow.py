# why: concatenates every grad into one vector and writes the p-norm out by hand
import torch


def clip_grad_norm(parameters, max_norm, norm_type=2.0):
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    grads = [p.grad for p in parameters if p.grad is not None]
    if len(grads) == 0:
        return torch.tensor(0.0)
    flat = torch.cat([g.reshape(-1) for g in grads])
    if norm_type == float("inf"):
        total = flat.abs().max()
    else:
        total = flat.abs().pow(norm_type).sum().pow(1.0 / norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for g in grads:
            g.mul_(coef)
    return total
