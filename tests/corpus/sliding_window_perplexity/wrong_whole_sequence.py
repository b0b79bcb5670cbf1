# expect: max_length|refus
# why: feeds the whole text to the model at once, ignoring its context limit
import torch
import torch.nn.functional as F


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    if not 1 <= stride <= max_length:
        raise ValueError("stride must be in [1, max_length]")
    logits = model(input_ids)
    nll = F.cross_entropy(logits[0, :-1], input_ids[0, 1:])
    return torch.exp(nll).item()
