# why: heads handled with einsum on a (B, T, H, hd) layout, mask filled with the dtype's lowest finite value, residual blocks in a loop
import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, num_heads: int):
        super().__init__()
        if d_model % num_heads != 0:
            raise ValueError(f"{num_heads} heads do not divide d_model={d_model}")
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        shape = (B, T, self.num_heads, self.head_dim)
        q = self.q_proj(x).reshape(shape)
        k = self.k_proj(x).reshape(shape)
        v = self.v_proj(x).reshape(shape)
        scores = torch.einsum("bqhd,bkhd->bhqk", q, k) * self.head_dim ** -0.5
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, torch.finfo(scores.dtype).min)
        weights = torch.softmax(scores, dim=-1)
        ctx = torch.einsum("bhqk,bkhd->bqhd", weights, v).reshape(B, T, D)
        return self.o_proj(ctx)


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.act = nn.ReLU()
        self.drop_ff = nn.Dropout(dropout)
        self.drop_res = nn.Dropout(dropout)

    def forward(self, x, attention_mask=None):
        blocks = (
            (self.norm1, lambda h: self.self_attn(h, attention_mask)),
            (self.norm2, lambda h: self.linear2(self.drop_ff(self.act(self.linear1(h))))),
        )
        for norm, sublayer in blocks:
            if self.norm_first:
                x = x + self.drop_res(sublayer(norm(x)))
            else:
                x = norm(x + self.drop_res(sublayer(x)))
        return x
