# expect: twice|overlap
# why: scores every token of every window, so the overlap is counted again (with less context)
import math

import torch


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    if not 1 <= stride <= max_length:
        raise ValueError("stride must be in [1, max_length]")
    n = input_ids.shape[1]
    total, count = 0.0, 0
    begin = 0
    while True:
        end = min(begin + max_length, n)
        ids = input_ids[:, begin:end]
        logp = torch.log_softmax(model(ids)[0], dim=-1)
        for p in range(1, end - begin):
            total -= logp[p - 1, ids[0, p]].item()
            count += 1
        if end == n:
            break
        begin += stride
    return math.exp(total / count)
