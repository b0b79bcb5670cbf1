# expect: stride
# why: rejects stride < 1 but accepts stride > max_length, which skips tokens
import math

import torch


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    if stride < 1:
        raise ValueError("stride must be positive")
    n = input_ids.shape[1]
    total, count, prev_end, begin = 0.0, 0, 0, 0
    while True:
        end = min(begin + max_length, n)
        first = max(prev_end, begin + 1)
        if first < end:
            ids = input_ids[:, begin:end]
            logp = torch.log_softmax(model(ids)[0], dim=-1)
            for p in range(first, end):
                total -= logp[p - begin - 1, input_ids[0, p]].item()
                count += 1
        prev_end = end
        if end >= n:
            break
        begin += stride
    return math.exp(total / count)
