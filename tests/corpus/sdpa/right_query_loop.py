# why: one query at a time over flattened leading dims, allowed keys selected by index
import math

import torch


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or not isinstance(window, int) or window < 1):
        raise ValueError("window needs is_causal and window >= 1")
    *lead, tq, d = q.shape
    tk, dv = k.shape[-2], v.shape[-1]
    s = 1.0 / math.sqrt(d) if scale is None else scale
    allowed = torch.ones(*lead, tq, tk, dtype=torch.bool, device=q.device)
    if attn_mask is not None:
        allowed = allowed & (attn_mask != 0)
    q2, k2, v2 = q.reshape(-1, tq, d), k.reshape(-1, tk, d), v.reshape(-1, tk, dv)
    a2 = allowed.reshape(-1, tq, tk)
    rows = []
    for b in range(q2.shape[0]):
        outs = []
        for i in range(tq):
            pos = i + tk - tq
            ok = a2[b, i].clone()
            if is_causal:
                lo = pos - window + 1 if window is not None else 0
                idx = torch.arange(tk, device=q.device)
                ok = ok & (idx <= pos) & (idx >= lo)
            if not bool(ok.any()):
                outs.append(q2.new_zeros(dv) + 0 * v2[b].sum(0))
                continue
            keys = ok.nonzero().flatten()
            logits = (k2[b, keys] @ q2[b, i]) * s
            outs.append(torch.softmax(logits, dim=0) @ v2[b, keys])
        rows.append(torch.stack(outs))
    return torch.stack(rows).reshape(*lead, tq, dv)
