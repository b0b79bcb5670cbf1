import math

import torch


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0) -> torch.Tensor:
    """Scale all gradients in place so that their joint norm is at most ``max_norm``, as
    ``torch.nn.utils.clip_grad_norm_``; return the joint norm before clipping."""
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    # Materialise once: a generator can be iterated only a single time.
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    norm_type = float(norm_type)
    # The norm of the concatenation equals the norm of the vector of per-tensor norms
    # (for p-norms and for the max norm alike), so no tensor is ever copied into one vector.
    per_tensor = torch.stack([torch.linalg.vector_norm(g, norm_type) for g in grads])
    total = per_tensor.max() if math.isinf(norm_type) else torch.linalg.vector_norm(per_tensor, norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1:  # a total a hair under max_norm is still scaled, by the 1e-6
        for g in grads:
            g.mul_(coef)  # the caller's own .grad tensors, never rebound
    return total
