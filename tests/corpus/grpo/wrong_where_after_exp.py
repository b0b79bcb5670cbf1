# expect: padded positions holding any finite values
# why: masks with torch.where after the exp: the loss is right, but the gradient of a padded slot with old_logps = -1e4 is 0 * inf = nan (where passes zero gradient into an inf derivative)
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    g = rewards.reshape(-1, group_size)
    centred = g - g.mean(dim=-1, keepdim=True)
    std = (centred.pow(2).sum(-1, keepdim=True) / (group_size - 1)).sqrt()
    return (centred / (std + eps)).reshape(-1)


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    A = advantages[:, None].expand_as(logps)
    ratio = (logps - old_logps).exp()
    # the clamp is active (constant term) only where it lowers the objective
    use_clip = torch.where(A >= 0, ratio > 1 + epsilon, ratio < 1 - epsilon)
    bound = torch.where(A >= 0, torch.full_like(ratio, 1 + epsilon), torch.full_like(ratio, 1 - epsilon))
    surrogate = torch.where(use_clip, bound * A, ratio * A)
    log_r = ref_logps - logps
    kl = log_r.exp() - log_r - 1
    per_token = beta * kl - surrogate
    m = completion_mask.bool()
    per_seq = torch.where(m, per_token, torch.zeros_like(per_token)).sum(-1) / m.sum(-1)
    return per_seq.mean()
