# expect: logits offset by hundreds
# why: a softmax by hand, exp(logits) / sum, then log: exact for small logits, but exp overflows for float32 logits above 88.7 (and float64 above 709), giving nan

def perplexity(logits, labels, ignore_index=-100):
    logits, labels = logits[:, :-1], labels[:, 1:]
    keep = labels != ignore_index
    if not keep.any():
        raise ValueError("no counted token")
    e = logits.exp()
    probs = e / e.sum(-1, keepdim=True)
    picked = probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    nll = -(picked.log() * keep).sum() / keep.sum()
    return float(nll.exp())
