# why: numpy maths, returns a numpy float64 scalar; the phases written as interpolations
import numpy as np


def cosine_with_warmup(step: int, base_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0):
    if min(step, warmup_steps) < 0 or total_steps < warmup_steps:
        raise ValueError("invalid schedule arguments")
    if step >= total_steps:
        return np.float64(min_lr)
    if step < warmup_steps:
        return np.float64(base_lr) * (step / warmup_steps)
    frac = (step - warmup_steps) / (total_steps - warmup_steps)
    weight = (np.cos(np.pi * frac) + 1.0) / 2.0
    return weight * base_lr + (1.0 - weight) * min_lr
