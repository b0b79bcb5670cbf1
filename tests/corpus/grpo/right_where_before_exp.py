# why: correct, written differently: the clip branch chosen by torch.where on the advantage's sign, and padded slots' log-ratios zeroed BEFORE the exp so that no inf reaches the loss or the gradient
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.reshape(-1, group_size)
    centred = g - g.mean(dim=-1, keepdim=True)
    std = (centred.pow(2).sum(-1, keepdim=True) / (group_size - 1)).sqrt()
    return (centred / (std + eps)).reshape(-1)


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    m = completion_mask.bool()
    A = advantages[:, None].expand_as(logps)
    safe = lambda x: torch.where(m, x, torch.zeros_like(x))
    ratio = safe(logps - old_logps).exp()
    use_clip = torch.where(A >= 0, ratio > 1 + epsilon, ratio < 1 - epsilon)
    bound = torch.where(A >= 0, torch.full_like(ratio, 1 + epsilon), torch.full_like(ratio, 1 - epsilon))
    surrogate = torch.where(use_clip, bound * A, ratio * A)
    log_r = safe(ref_logps - logps)
    per_token = beta * (log_r.exp() - log_r - 1) - surrogate
    return (safe(per_token).sum(-1) / m.sum(-1)).mean()
