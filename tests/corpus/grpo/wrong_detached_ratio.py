# expect: gradient
# why: the ratio is computed from detached log-probs: right value, but the surrogate has no gradient
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.view(-1, group_size)
    return ((g - g.mean(1, keepdim=True)) / (g.std(1, keepdim=True) + eps)).flatten()


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    mask = completion_mask.to(logps.dtype)
    ratio = torch.exp(logps.detach() - old_logps)
    A = advantages.unsqueeze(1)
    surr = torch.min(ratio * A, torch.clamp(ratio, 1 - epsilon, 1 + epsilon) * A)
    kl = torch.exp(ref_logps - logps) - (ref_logps - logps) - 1
    loss = -surr + beta * kl
    return ((loss * mask).sum(1) / mask.sum(1)).mean()
