import math


def cosine_with_warmup(step: int, base_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """Linear warmup from 0 to base_lr, then a half cosine from base_lr down to min_lr at
    total_steps, then min_lr for ever (Hugging Face's cosine-with-min-lr schedule, clamped)."""
    if step < 0 or warmup_steps < 0 or total_steps < warmup_steps:
        raise ValueError(f"invalid schedule: step={step}, warmup_steps={warmup_steps}, total_steps={total_steps}")
    # The clamp comes first: it wins even when warmup_steps == total_steps (or both are 0),
    # where the cosine's formula would give base_lr, or rise again past the end.
    if step >= total_steps:
        return float(min_lr)
    if step < warmup_steps:
        return base_lr * step / warmup_steps  # 0 at step 0; min_lr plays no part in the warmup
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 at the end of warmup, < 1 here
    return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * progress))
