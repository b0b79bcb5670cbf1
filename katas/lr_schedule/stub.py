def cosine_with_warmup(step: int, base_lr: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0) -> float:
    """The learning rate at 0-based ``step``: linear warmup from 0 to ``base_lr`` over
    ``warmup_steps``, then cosine decay to ``min_lr`` at ``total_steps``, then ``min_lr``.

    Raises ValueError for step < 0, warmup_steps < 0 or total_steps < warmup_steps.
    """
    raise NotImplementedError
