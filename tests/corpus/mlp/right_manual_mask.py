# why: inverted dropout written by hand with a Bernoulli mask, only when self.training
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.p = float(dropout)

    def forward(self, x):
        h = self.linear1(x).clamp_min(0)
        if self.training and self.p > 0:
            mask = torch.bernoulli(torch.full_like(h, 1.0 - self.p))
            h = h * mask / (1.0 - self.p)
        return self.linear2(h)
