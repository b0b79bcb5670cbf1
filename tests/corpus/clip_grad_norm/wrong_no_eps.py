# expect: leaves out the 1e-6
# why: coef = max_norm / total
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
    coef = max_norm / total
    if coef < 1:
        for g in grads:
            g.mul_(coef)
    return total
