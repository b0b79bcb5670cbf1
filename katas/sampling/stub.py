import torch


def filter_logits(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0,
                  top_p: float = 1.0) -> torch.Tensor:
    """logits (B, V) float32/float64 -> (B, V), same dtype and device.

    Kept entries are logits / temperature, removed ones -inf. Temperature first, then top-k
    (0 disables; ties with the k-th value are kept), then top-p on the renormalised survivors
    (1.0 disables; the token that crosses top_p is kept). ValueError for temperature <= 0,
    top_k < 0 or top_p outside (0, 1].
    """
    raise NotImplementedError


def sample(logits: torch.Tensor, temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0,
           generator: torch.Generator | None = None) -> torch.Tensor:
    """One draw per row from softmax(filter_logits(...)): int64 (B,) on logits' device.

    Draws only from `generator` when given (torch's global RNG when None).
    """
    raise NotImplementedError
