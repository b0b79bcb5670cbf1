# expect: scaled_dot_product_attention.{0,12}forbidden
# why: reaches PyTorch's fused attention kernel through getattr so that the name never appears as a call
import torch
from torch import nn
from torch.nn import functional

_KERNEL = "scaled_dot_product" + "_attention"


class MultiQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("d_model must be divisible by num_heads")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, self.head_dim)
        self.v_proj = nn.Linear(d_model, self.head_dim)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        H = self.num_heads
        q = self.q_proj(x).view(B, T, H, self.head_dim).transpose(1, 2)
        k = self.k_proj(x)[:, None].expand(B, H, T, self.head_dim)
        v = self.v_proj(x)[:, None].expand(B, H, T, self.head_dim)
        mask = None if attention_mask is None else attention_mask.bool()
        out = getattr(functional, _KERNEL)(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))
