# expect: window means|short last window
# why: seed trap: exp of the mean of per-window mean NLLs weighs a short last window like a full one
import torch
import torch.nn.functional as F


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    if stride < 1 or stride > max_length:
        raise ValueError("bad stride")
    n = input_ids.size(1)
    nlls = []
    prev_end = 0
    for begin in range(0, n, stride):
        end = min(begin + max_length, n)
        trg_len = end - prev_end
        ids = input_ids[:, begin:end]
        targets = ids.clone()
        targets[:, :-trg_len] = -100
        with torch.no_grad():
            logits = model(ids)
        nlls.append(F.cross_entropy(logits[0, :-1], targets[0, 1:], ignore_index=-100))
        prev_end = end
        if end == n:
            break
    return torch.exp(torch.stack(nlls).mean()).item()
