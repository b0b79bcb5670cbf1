# expect: padded positions holding any finite values
# why: multiplies the per-token loss by the mask: a padded slot whose ratio overflows (old_logps = -1e4) gives inf * 0 = nan
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.view(-1, group_size)
    return ((g - g.mean(1, keepdim=True)) / (g.std(1, keepdim=True) + eps)).reshape(-1)


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    m = completion_mask.to(logps.dtype)
    a = advantages[:, None]
    ratio = torch.exp(logps - old_logps)
    surr = torch.min(ratio * a, ratio.clamp(1 - epsilon, 1 + epsilon) * a)
    d = ref_logps - logps
    per_token = -surr + beta * (torch.exp(d) - d - 1)
    return ((per_token * m).sum(1) / m.sum(1)).mean()
