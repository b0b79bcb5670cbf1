import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    """Perplexity of a causal LM on a batch: exp(mean NLL over the counted tokens).

    logits: (B, T, V) float tensor; logits[:, t] predicts labels[:, t + 1].
    labels: (B, T) integer tensor; entries equal to ignore_index are not counted.
    Returns: a Python float (a 0-dim tensor is accepted), token-weighted over the batch.
    Raises ValueError: no token is counted.
    """
    raise NotImplementedError
