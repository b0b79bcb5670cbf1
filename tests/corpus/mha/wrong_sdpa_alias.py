# expect: scaled_dot_product_attention.{0,12}forbidden
# why: hands the attention itself to PyTorch's fused kernel under another name
import torch
from torch import nn
from torch.nn.functional import scaled_dot_product_attention as attend


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("d_model must be divisible by num_heads")
        self.h, self.dk = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = (p(x).view(B, T, self.h, self.dk).transpose(1, 2)
                   for p in (self.q_proj, self.k_proj, self.v_proj))
        mask = None if attention_mask is None else attention_mask.bool()
        out = attend(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(B, T, D))
