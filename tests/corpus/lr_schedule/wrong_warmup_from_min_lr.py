# expect: min_lr plays no part
# why: the warmup ramps from min_lr to base_lr
import math


def cosine_with_warmup(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps:
        raise ValueError("bad arguments")
    if step >= total_steps:
        return min_lr
    if step < warmup_steps:
        return min_lr + (base_lr - min_lr) * step / warmup_steps
    t = (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * t))
