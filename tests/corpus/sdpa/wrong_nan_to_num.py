# expect: backward gives NaN
# why: an additive -inf mask and nan_to_num on the output: the forward is right, the gradients are NaN
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or window < 1):
        raise ValueError("bad window")
    tq, tk = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    bias = torch.zeros(tq, tk, dtype=q.dtype, device=q.device)
    if attn_mask is not None:
        bias = bias.masked_fill(attn_mask == 0, float("-inf"))
    if is_causal:
        i = torch.arange(tq, device=q.device)[:, None] + tk - tq
        j = torch.arange(tk, device=q.device)
        hidden = j > i
        if window is not None:
            hidden = hidden | (j <= i - window)
        bias = bias.masked_fill(hidden, float("-inf"))
    out = torch.softmax(q @ k.transpose(-2, -1) * scale + bias, dim=-1) @ v
    return torch.nan_to_num(out, nan=0.0)
