# expect: scaled_dot_product_attention.{0,12}forbidden
# why: delegates the attention to PyTorch's fused kernel through a module alias
import torch
import torch.nn.functional as nnf
from torch import nn


class CrossAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("d_model must be divisible by num_heads")
        self.h, self.dk = num_heads, d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)
        self.attend = nnf.scaled_dot_product_attention

    def _split(self, t):
        return t.view(t.shape[0], -1, self.h, self.dk).transpose(1, 2)

    def forward(self, x, context, attention_mask=None):
        B, Tq, D = x.shape
        q = self._split(self.q_proj(x))
        k = self._split(self.k_proj(context))
        v = self._split(self.v_proj(context))
        mask = None if attention_mask is None else attention_mask.bool()
        out = self.attend(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(B, Tq, D))
