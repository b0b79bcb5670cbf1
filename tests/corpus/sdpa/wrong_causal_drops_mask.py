# expect: is_causal=True your function ignores attn_mask
# why: is_causal replaces the mask instead of combining with it
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or window < 1):
        raise ValueError("bad window")
    tq, tk = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    keep = None
    if is_causal:
        i = torch.arange(tq, device=q.device)[:, None] + tk - tq
        j = torch.arange(tk, device=q.device)
        keep = j <= i
        if window is not None:
            keep = keep & (j > i - window)
    elif attn_mask is not None:
        keep = attn_mask.bool()
    if keep is None:
        return scores.softmax(-1) @ v
    scores = scores.masked_fill(~keep, float("-inf"))
    scores = scores.masked_fill(~keep.any(-1, keepdim=True), 0.0)
    return scores.softmax(-1).masked_fill(~keep, 0.0) @ v
