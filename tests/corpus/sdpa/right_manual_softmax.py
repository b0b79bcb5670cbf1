# why: a hand-written stable softmax: max over allowed keys, exp, zeroed where hidden, divided by a clamped sum
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and not (is_causal and window >= 1):
        raise ValueError(f"invalid window {window} (is_causal={is_causal})")
    tq, tk = q.shape[-2], k.shape[-2]
    factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = torch.matmul(q, k.transpose(-1, -2)) * factor
    keep = torch.ones_like(scores, dtype=torch.bool)
    if attn_mask is not None:
        keep = keep & attn_mask.eq(1) if attn_mask.dtype != torch.bool else keep & attn_mask
    if is_causal:
        j = torch.arange(tk, device=q.device)
        last = torch.arange(tq, device=q.device).unsqueeze(1) + (tk - tq)
        band = j <= last
        if window is not None:
            band = band & (last - window < j)
        keep = keep & band
    neg = torch.finfo(scores.dtype).min
    top = scores.masked_fill(~keep, neg).amax(-1, keepdim=True).detach()
    e = torch.exp(torch.where(keep, scores - top, torch.zeros_like(scores))) * keep
    total = e.sum(-1, keepdim=True)
    return (e / total.clamp_min(torch.finfo(scores.dtype).tiny)) @ v
