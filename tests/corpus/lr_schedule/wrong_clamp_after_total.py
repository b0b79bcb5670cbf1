# expect: step = total_steps already gives min_lr
# why: clamps only for step > total_steps
import math


def cosine_with_warmup(step, base_lr, warmup_steps, total_steps, min_lr=0.0):
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps:
        raise ValueError("bad arguments")
    if step > total_steps:
        return min_lr
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    t = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return min_lr + 0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * t))
