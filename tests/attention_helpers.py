"""Shared by the attention reference tests: torch's own attention with our mask convention,
and every mask form the graders may pass."""
import torch


def torch_attention(twin: torch.nn.MultiheadAttention, x, context, mask):
    """``twin(x, context, context)`` where ``mask`` (broadcastable to (B, H, Tq, Tk)) is ours:
    True/1 = may attend. Torch's bool attn_mask means the opposite, and wants (B·H, Tq, Tk)."""
    B, Tq, _ = x.shape
    Tk, H = context.shape[1], twin.num_heads
    attn_mask = None if mask is None else ~mask.bool().expand(B, H, Tq, Tk).reshape(B * H, Tq, Tk)
    return twin(x, context, context, attn_mask=attn_mask, need_weights=False)[0]


def self_attention_masks(B, H, T, gen):
    """Causal, key padding and random masks, bool and integer; no row masks every key."""
    causal = torch.ones(T, T).tril().bool()
    lengths = torch.randint(1, T + 1, (B,), generator=gen)
    padding = (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :]  # (B, 1, 1, T)
    full = torch.rand(B, H, T, T, generator=gen) < 0.5
    full[..., 0] = True
    return {
        "none": None,
        "causal_bool": causal,
        "causal_int": causal.long(),
        "padding_bool": padding,
        "padding_int": padding.int(),
        "causal_and_padding": causal & padding,
        "full_bool": full,
        "full_int": full.to(torch.uint8),
    }
