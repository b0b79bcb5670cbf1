# expect: beta|KL
# why: the k3 KL with the log-ratio the wrong way round (estimates KL(ref || policy))
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.view(-1, group_size)
    return ((g - g.mean(1, keepdim=True)) / (g.std(1, keepdim=True) + eps)).flatten()


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    mask = completion_mask.to(logps.dtype)
    ratio = torch.exp(logps - old_logps)
    A = advantages.unsqueeze(1)
    surr = torch.min(ratio * A, torch.clamp(ratio, 1 - epsilon, 1 + epsilon) * A)
    d = logps - ref_logps
    kl = torch.exp(d) - d - 1
    loss = -surr + beta * kl
    return ((loss * mask).sum(1) / mask.sum(1)).mean()
