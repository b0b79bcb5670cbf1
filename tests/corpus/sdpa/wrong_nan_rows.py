# expect: no allowed key.*nan or inf
# why: a row with no allowed key is softmax of all -inf: NaN
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or window < 1):
        raise ValueError("bad window")
    tq, tk = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    keep = torch.ones(tq, tk, dtype=torch.bool, device=q.device)
    if attn_mask is not None:
        keep = keep & attn_mask.bool()
    if is_causal:
        i = torch.arange(tq, device=q.device)[:, None] + tk - tq
        j = torch.arange(tk, device=q.device)
        keep = keep & (j <= i)
        if window is not None:
            keep = keep & (j > i - window)
    return scores.masked_fill(~keep, float("-inf")).softmax(-1) @ v
