# expect: modified its input
# why: zeroes the bootstrap value in place when the last step is terminal
import torch


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    """rewards (T,), values (T+1,) (values[T] bootstraps the last step), dones (T,) bool or 0/1.

    dones[t] = 1: the episode ended at step t (terminated): no bootstrap from values[t + 1]
    and the recursion restarts. Returns (advantages, returns), (T,) each in values' dtype,
    both detached (targets, not part of the value graph).
    """
    values[-1] = values[-1] * (1 - dones[-1].to(values.dtype))
    values = values.detach()
    rewards = rewards.detach().to(values.dtype)
    alive = 1.0 - dones.detach().to(values.dtype)           # 0 where the episode ended at t
    T = rewards.shape[0]
    advantages = torch.zeros(T, dtype=values.dtype, device=values.device)
    running = torch.zeros((), dtype=values.dtype, device=values.device)   # A_T = 0
    for t in range(T - 1, -1, -1):                          # backwards: A_t needs A_{t+1}
        delta = rewards[t] + gamma * values[t + 1] * alive[t] - values[t]
        running = delta + gamma * lam * alive[t] * running
        advantages[t] = running
    return advantages, advantages + values[:T]              # returns: the λ-return


def ppo_clip_loss(logp, old_logp, advantages, clip_eps=0.2, mask=None):
    """Clipped surrogate, one mean over the kept entries; a 0-dim tensor differentiable w.r.t. logp."""
    ratio = torch.exp(logp - old_logp)
    surrogate = torch.min(ratio * advantages,
                          torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages)   # pessimistic bound
    if mask is None:
        return -surrogate.mean()
    keep = mask.bool()
    # where, not multiply: masked entries then contribute exactly nothing, value or gradient
    return -torch.where(keep, surrogate, torch.zeros_like(surrogate)).sum() / keep.sum()
