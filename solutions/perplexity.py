"""Reference: perplexity of a causal LM from its logits."""
import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    """exp(mean NLL) over every counted token of the batch.

    logits (B, T, V), labels (B, T). logits[:, t] predicts labels[:, t + 1], so the
    last logit and the first label take no part. Labels equal to ignore_index are
    skipped; the mean is over tokens, not over sequences.
    """
    if logits.dim() != 3 or labels.shape != logits.shape[:2]:
        raise ValueError(f"expected logits (B, T, V) and labels (B, T), got "
                         f"{tuple(logits.shape)} and {tuple(labels.shape)}")
    shift_logits = logits[:, :-1, :]                  # (B, T-1, V)
    shift_labels = labels[:, 1:]                      # (B, T-1)
    keep = shift_labels != ignore_index               # (B, T-1) bool
    count = int(keep.sum())
    if count == 0:
        raise ValueError("no token to score: every shifted label equals ignore_index")
    log_probs = F.log_softmax(shift_logits, dim=-1)   # stable for any logit scale
    # index with a safe label where the token is ignored (ignore_index may be -100)
    safe = torch.where(keep, shift_labels, torch.zeros_like(shift_labels))
    token_logp = log_probs.gather(-1, safe.unsqueeze(-1)).squeeze(-1)   # (B, T-1)
    nll = -(token_logp * keep).sum() / count
    return torch.exp(nll).item()
