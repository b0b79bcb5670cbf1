import torch


def label_smoothing_cross_entropy(logits: torch.Tensor, target: torch.Tensor, smoothing: float = 0.1, ignore_index: int = -100, reduction: str = "mean") -> torch.Tensor:
    """Cross-entropy with label smoothing, as F.cross_entropy(..., label_smoothing=smoothing).

    logits (N, C) float64 or float32; target (N,) int64 in [0, C) or equal to ignore_index.
    reduction: "none" -> (N,), "sum", "mean" (over the non-ignored targets).
    Raises ValueError for smoothing outside [0, 1] or an unknown reduction.
    """
    raise NotImplementedError
