# why: explicit loops over groups and over rows with boolean selection of the real tokens
import torch


def group_advantages(rewards, group_size, eps=1e-4):
    out = torch.empty_like(rewards)
    for start in range(0, rewards.numel(), group_size):
        chunk = rewards[start:start + group_size]
        out[start:start + group_size] = (chunk - chunk.mean()) / (torch.std(chunk) + eps)
    return out


def grpo_loss(logps, old_logps, ref_logps, advantages, completion_mask, epsilon=0.2, beta=0.04):
    rows = []
    for i in range(logps.shape[0]):
        keep = completion_mask[i] != 0
        lp, old, ref = logps[i][keep], old_logps[i][keep], ref_logps[i][keep]
        a = advantages[i]
        ratio = torch.exp(lp - old)
        surr = torch.minimum(ratio * a, ratio.clamp(1 - epsilon, 1 + epsilon) * a)
        kl = torch.exp(ref - lp) - (ref - lp) - 1
        rows.append((beta * kl - surr).mean())
    return torch.stack(rows).mean()
