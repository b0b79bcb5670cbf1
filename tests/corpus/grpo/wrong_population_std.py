# expect: unbiased|torch\.std
# why: population std (divides by G) instead of torch.std's unbiased estimate (G - 1)
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.view(-1, group_size)
    std = g.std(1, keepdim=True, unbiased=False)
    return ((g - g.mean(1, keepdim=True)) / (std + eps)).flatten()


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    mask = completion_mask.to(logps.dtype)
    ratio = torch.exp(logps - old_logps)
    A = advantages.unsqueeze(1)
    surr = torch.min(ratio * A, torch.clamp(ratio, 1 - epsilon, 1 + epsilon) * A)
    kl = torch.exp(ref_logps - logps) - (ref_logps - logps) - 1
    loss = -surr + beta * kl
    return ((loss * mask).sum(1) / mask.sum(1)).mean()
