# expect: bitwise not
# why: `~attn_mask` on a 0/1 integer mask is a bitwise not: ~1 = -2 and ~0 = -1, so every key is hidden
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or window < 1):
        raise ValueError("bad window")
    tq, tk = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    hidden = torch.zeros(tq, tk, dtype=torch.bool, device=q.device)
    if attn_mask is not None:
        hidden = hidden | (~attn_mask).bool()
    if is_causal:
        i = torch.arange(tq, device=q.device)[:, None] + tk - tq
        j = torch.arange(tk, device=q.device)
        hidden = hidden | (j > i)
        if window is not None:
            hidden = hidden | (j <= i - window)
    scores = scores.masked_fill(hidden, float("-inf"))
    scores = scores.masked_fill(hidden.all(-1, keepdim=True), 0.0)
    return scores.softmax(-1).masked_fill(hidden, 0.0) @ v
