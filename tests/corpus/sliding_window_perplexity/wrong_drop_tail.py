# expect: last window|tail|reaches N
# why: only full windows: the tokens after the last full window are never scored
import math

import torch


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    if not 1 <= stride <= max_length:
        raise ValueError("stride must be in [1, max_length]")
    n = input_ids.shape[1]
    total, count, prev_end = 0.0, 0, 0
    for begin in range(0, max(n - max_length, 0) + 1, stride):
        end = min(begin + max_length, n)
        ids = input_ids[:, begin:end]
        logp = torch.log_softmax(model(ids)[0], dim=-1)
        for p in range(max(prev_end, begin + 1), end):
            total -= logp[p - begin - 1, input_ids[0, p]].item()
            count += 1
        prev_end = end
    return math.exp(total / count)
