# expect: ✗ raises ValueError when num_heads does not divide d_model.*AssertionError
# why: checks the head count with assert: AssertionError instead of the promised ValueError
import math

import torch
from torch import nn


class MultiQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = d_model // num_heads
        assert d_model % num_heads == 0, "d_model must be divisible by num_heads"
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, self.head_dim)
        self.v_proj = nn.Linear(d_model, self.head_dim)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q = self.q_proj(x).view(B, T, self.num_heads, self.head_dim).permute(0, 2, 1, 3)
        k = self.k_proj(x).unsqueeze(1).expand(-1, self.num_heads, -1, -1)
        v = self.v_proj(x).unsqueeze(1).expand(-1, self.num_heads, -1, -1)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim)
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask == 0, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return self.o_proj(out.permute(0, 2, 1, 3).reshape(B, T, D))
