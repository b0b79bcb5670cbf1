# expect: scores are not scaled at all
# why: forgets the 1/√d factor on the query-context scores
import torch
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

    def forward(self, x, context, attention_mask=None):
        B, Tq, D = x.shape
        Tk = context.shape[1]
        q = self.q_proj(x).view(B, Tq, self.h, self.dk).transpose(1, 2)
        k = self.k_proj(context).view(B, Tk, self.h, self.dk).transpose(1, 2)
        v = self.v_proj(context).view(B, Tk, self.h, self.dk).transpose(1, 2)
        scores = q @ k.transpose(-2, -1)
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(B, Tq, D))
