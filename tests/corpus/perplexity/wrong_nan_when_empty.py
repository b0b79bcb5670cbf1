# expect: ValueError
# why: divides 0 by 0 and returns nan instead of raising when no token is counted
import torch
import torch.nn.functional as F


def perplexity(logits, labels, ignore_index=-100) -> float:
    shift_logits = logits[:, :-1]
    shift_labels = labels[:, 1:]
    keep = shift_labels != ignore_index
    logp = F.log_softmax(shift_logits, -1)
    tok = logp.gather(-1, shift_labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    nll = -(tok * keep).sum() / keep.sum()
    return torch.exp(nll).item()
