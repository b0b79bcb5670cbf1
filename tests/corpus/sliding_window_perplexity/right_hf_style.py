# why: the Hugging Face recipe (context labels set to -100) with summed, not averaged, window losses
import math

import torch
import torch.nn.functional as F


def sliding_window_perplexity(model, input_ids, max_length, stride):
    if stride < 1 or stride > max_length:
        raise ValueError(f"stride {stride} not in [1, {max_length}]")
    seq_len = input_ids.size(1)
    nll_sum = 0.0
    n_tokens = 0
    prev_end = 0
    for begin in range(0, seq_len, stride):
        end = min(begin + max_length, seq_len)
        trg_len = end - prev_end
        ids = input_ids[:, begin:end]
        labels = ids.clone()
        labels[:, : ids.size(1) - trg_len] = -100
        shift_labels = labels[:, 1:]
        n_valid = int((shift_labels != -100).sum())
        if n_valid:
            with torch.no_grad():
                logits = model(ids)
            nll_sum += F.cross_entropy(logits[0, :-1], shift_labels[0], ignore_index=-100,
                                       reduction="sum").item()
            n_tokens += n_valid
        prev_end = end
        if end == seq_len:
            break
    return math.exp(nll_sum / n_tokens)
