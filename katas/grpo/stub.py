import torch


def group_advantages(rewards, group_size, eps=1e-4):
    """Group-relative advantages.

    rewards: (B,) float tensor, B = num_groups * group_size; each group is a run of
        group_size consecutive completions of the same prompt.
    Returns: (B,) tensor, (r - group mean) / (group std + eps), std unbiased (torch.std).
    """
    raise NotImplementedError


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask,
              epsilon=0.2, beta=0.04):
    """GRPO loss: clipped surrogate plus k3 KL penalty, masked mean per sequence.

    logps, old_logps, ref_logps: (B, T) per-token log-probabilities (logps has grad).
    advantages: (B,).  completion_mask: (B, T) bool or 0/1 float, >= 1 token per row.
    Returns: scalar tensor, differentiable w.r.t. logps.
    """
    raise NotImplementedError
