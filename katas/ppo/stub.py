import torch


def gae(rewards, values, dones, gamma=0.99, lam=0.95):
    """Generalized advantage estimation over one rollout.

    rewards: (T,); values: (T + 1,), values[T] is the value of the state after the last step;
    dones: (T,) bool or 0/1 float, dones[t] = 1 means the episode ended at step t.
    Returns (advantages, returns): (T,) each in values' dtype, both detached;
    returns = advantages + values[:T].
    """
    raise NotImplementedError


def ppo_clip_loss(logp, old_logp, advantages, clip_eps=0.2, mask=None):
    """PPO's clipped surrogate loss.

    logp, old_logp, advantages (and mask, bool or 0/1 float) share one shape.
    Returns a 0-dim tensor: minus the mean of the clipped surrogate over the kept entries,
    differentiable w.r.t. logp.
    """
    raise NotImplementedError
