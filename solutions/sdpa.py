"""Reference: scaled dot-product attention with masks, bottom-right causal alignment and a
sliding window; a query with no allowed key outputs zeros (no NaN forward or backward)."""
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None:
        if not is_causal:
            raise ValueError("window needs is_causal=True")
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise ValueError(f"window must be an int >= 1, got {window!r}")
    tq, tk = q.shape[-2], k.shape[-2]
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale  # (..., Tq, Tk)

    allowed = None if attn_mask is None else attn_mask.bool()  # .bool(): 0/1 integer masks too
    if is_causal:
        # Bottom-right alignment: the last query sits on the last key (offset Tk - Tq).
        i = torch.arange(tq, device=q.device)[:, None] + (tk - tq)
        j = torch.arange(tk, device=q.device)[None, :]
        rule = j <= i
        if window is not None:
            rule = rule & (j > i - window)  # its own position and the window - 1 before it
        allowed = rule if allowed is None else allowed & rule
    if allowed is None:
        return scores.softmax(dim=-1) @ v

    scores = scores.masked_fill(~allowed, float("-inf"))
    # A row with no allowed key would be softmax([-inf, ...]) = NaN: give it finite scores,
    # then zero its weights, so its output and its gradients are exactly 0.
    has_key = allowed.any(dim=-1, keepdim=True)
    scores = scores.masked_fill(~has_key, 0.0)
    weights = scores.softmax(dim=-1).masked_fill(~allowed, 0.0)
    return weights @ v
