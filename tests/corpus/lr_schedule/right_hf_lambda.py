# why: Hugging Face's multiplicative lambda (min_lr as a rate of base_lr) times base_lr, plus the clamp
import math


def _factor(step, warmup, total, min_rate):
    if step < warmup:
        return step / max(1, warmup)
    progress = (step - warmup) / max(1, total - warmup)
    cosine = 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress))
    return max(0.0, cosine * (1 - min_rate) + min_rate)


def cosine_with_warmup(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0:
        raise ValueError("negative step")
    if warmup_steps < 0 or total_steps < warmup_steps:
        raise ValueError("need 0 <= warmup_steps <= total_steps")
    if step >= total_steps:
        return min_lr * 1.0
    return base_lr * _factor(step, warmup_steps, total_steps, min_lr / base_lr)
