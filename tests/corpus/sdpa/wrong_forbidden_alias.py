# expect: forbidden
# why: delegates to torch's kernel through an alias of torch.nn.functional
import torch
from torch.nn import functional as nnf

kernel = getattr(nnf, "scaled_dot_product_attention")


def scaled_dot_product_attention(q, k, v, attn_mask=None, is_causal=False, window=None, scale=None):
    if window is not None and (not is_causal or window < 1):
        raise ValueError("bad window")
    tq, tk = q.shape[-2], k.shape[-2]
    keep = torch.ones(tq, tk, dtype=torch.bool, device=q.device)
    if attn_mask is not None:
        keep = keep & attn_mask.bool()
    if is_causal:
        i = torch.arange(tq, device=q.device)[:, None] + tk - tq
        j = torch.arange(tk, device=q.device)
        keep = keep & (j <= i)
        if window is not None:
            keep = keep & (j > i - window)
    empty = ~keep.any(-1, keepdim=True)
    return kernel(q, k, v, attn_mask=keep | empty, scale=scale) * (~empty)
