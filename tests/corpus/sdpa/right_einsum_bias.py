# why: einsum scores, an additive bias of -inf, and a where() that gives empty rows a safe softmax
import math

import torch


def _allowed(tq, tk, device, attn_mask, is_causal, window):
    allowed = torch.ones(tq, tk, dtype=torch.bool, device=device)
    if attn_mask is not None:
        allowed = allowed & attn_mask.to(torch.bool)
    if is_causal:
        offset = tk - tq
        rows = torch.arange(tq, device=device).unsqueeze(-1)
        cols = torch.arange(tk, device=device).unsqueeze(0)
        diff = rows + offset - cols  # how far key j lies behind query i
        allowed = allowed & (diff >= 0)
        if window is not None:
            allowed = allowed & (diff < window)
    return allowed


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None:
        if not is_causal:
            raise ValueError("a sliding window is causal")
        if window < 1:
            raise ValueError("window must be positive")
    if scale is None:
        scale = q.size(-1) ** -0.5
    logits = torch.einsum("...id,...jd->...ij", q, k) * scale
    if attn_mask is None and not is_causal:
        return torch.einsum("...ij,...jd->...id", logits.softmax(-1), v)
    allowed = _allowed(q.size(-2), k.size(-2), q.device, attn_mask, is_causal, window)
    any_key = allowed.any(dim=-1, keepdim=True)
    bias = torch.zeros(allowed.shape, dtype=q.dtype, device=q.device).masked_fill(~allowed, -math.inf)
    safe = torch.where(any_key, logits + bias, torch.zeros_like(logits))
    p = torch.where(allowed, safe.softmax(-1), torch.zeros_like(safe))
    return torch.einsum("...ij,...jd->...id", p, v)
