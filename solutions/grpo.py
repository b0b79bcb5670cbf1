"""Reference: GRPO group-relative advantages and the clipped, KL-regularised loss."""
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    """rewards (B,) with B = num_groups * group_size, groups consecutive -> (B,).

    A_i = (r_i - mean(group)) / (std(group) + eps), std with Bessel's correction.
    """
    grouped = rewards.view(-1, group_size)                 # (G, group_size)
    mean = grouped.mean(dim=1, keepdim=True)               # (G, 1)
    std = grouped.std(dim=1, keepdim=True)                 # unbiased, (G, 1)
    return ((grouped - mean) / (std + eps)).reshape(-1)    # (B,)


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask,
              epsilon=0.2, beta=0.04):
    """Per-token clipped surrogate plus k3 KL penalty, averaged per sequence then over B.

    logps, old_logps, ref_logps, completion_mask: (B, T); advantages: (B,).
    """
    keep = completion_mask.bool()                                # (B, T)
    mask = keep.to(logps.dtype)                                  # (B, T), 0/1
    adv = advantages.unsqueeze(1)                                # (B, 1)
    # Padded positions may hold any finite values: exp of their differences can overflow
    # (old_logps = -1e4 there), and inf * 0 is nan, in the loss and in the gradient. So the
    # log-ratios of padded positions are replaced by 0 BEFORE exponentiating; torch.where
    # sends those positions no gradient.
    zero = torch.zeros_like(logps)
    ratio = torch.exp(torch.where(keep, logps - old_logps, zero))   # (B, T)
    unclipped = ratio * adv
    clipped = torch.clamp(ratio, 1 - epsilon, 1 + epsilon) * adv
    surrogate = torch.min(unclipped, clipped)                    # pessimistic bound
    log_r = torch.where(keep, ref_logps - logps, zero)
    kl = torch.exp(log_r) - log_r - 1                            # k3 estimator, >= 0
    per_token = -surrogate + beta * kl                           # (B, T)
    per_seq = (per_token * mask).sum(dim=1) / mask.sum(dim=1)    # (B,)
    return per_seq.mean()
