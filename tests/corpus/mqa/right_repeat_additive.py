# why: copies the shared head to every query head with repeat and masks with an additive bias
import math

import torch
from torch import nn


class MultiQueryAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if num_heads < 1 or d_model % num_heads:
            raise ValueError(f"cannot split d_model={d_model} into {num_heads} heads")
        self.H = num_heads
        self.d = d_model // num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, self.d)
        self.v_proj = nn.Linear(d_model, self.d)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, _ = x.shape
        q = self.q_proj(x).reshape(B, T, self.H, self.d).permute(0, 2, 1, 3)
        k = self.k_proj(x).unsqueeze(1).repeat(1, self.H, 1, 1)
        v = self.v_proj(x).unsqueeze(1).repeat(1, self.H, 1, 1)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.d)
        if attention_mask is not None:
            allowed = attention_mask.to(torch.bool)
            scores = scores + torch.where(allowed, 0.0, float("-inf")).to(scores.dtype)
        weights = torch.softmax(scores, dim=3)
        out = torch.matmul(weights, v).permute(0, 2, 1, 3).reshape(B, T, self.H * self.d)
        return self.o_proj(out)
