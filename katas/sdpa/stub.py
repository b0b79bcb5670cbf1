import math

import torch


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 attn_mask: torch.Tensor | None = None, is_causal: bool = False,
                                 window: int | None = None, scale: float | None = None) -> torch.Tensor:
    """q (..., Tq, d), k (..., Tk, d), v (..., Tk, dv) -> (..., Tq, dv), same dtype and device.

    attn_mask: bool or 0/1 integer, broadcastable to (..., Tq, Tk); True/1 = may attend.
    is_causal: key j allowed for query i iff j <= i + (Tk - Tq) (bottom-right alignment).
    window: with is_causal, also j > i + (Tk - Tq) - window; else ValueError (and for window < 1).
    scale: multiplies q @ k^T; None means 1 / sqrt(d).
    A query with no allowed key outputs zeros (no NaN, forward or backward).
    """
    raise NotImplementedError
