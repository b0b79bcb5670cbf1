"""Reference: perplexity of a long text under a model with a bounded context."""
import math

import torch
import torch.nn.functional as F


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    """Token-weighted perplexity of input_ids (1, N) scored window by window.

    Windows are [b, min(b + max_length, N)) for b = 0, stride, 2*stride, ... until the
    first window that reaches N. Each window scores only the tokens that no earlier
    window scored (never its own first token, which has no context in the window).
    """
    if not 1 <= stride <= max_length:
        raise ValueError(f"stride must lie in [1, max_length={max_length}], got {stride}")
    n = input_ids.shape[1]
    total_nll = 0.0
    scored = 0
    prev_end = 0                       # tokens [0, prev_end) are already scored (or token 0)
    begin = 0
    while True:
        end = min(begin + max_length, n)
        first = max(prev_end, begin + 1)          # first position this window scores
        if first < end:
            window = input_ids[:, begin:end]      # (1, L), L <= max_length
            with torch.no_grad():
                logits = model(window)            # (1, L, V)
            log_probs = F.log_softmax(logits[0].double(), dim=-1)   # (L, V)
            pos = torch.arange(first, end) - begin            # positions inside the window
            targets = window[0, pos]                          # tokens being predicted
            # logits at position p - 1 predict the token at position p
            total_nll -= log_probs[pos - 1, targets].sum().item()
            scored += end - first
        prev_end = end
        if end == n:
            break
        begin += stride
    return math.exp(total_nll / scored)
