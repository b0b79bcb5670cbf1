# expect: mean|1 ?/ ?\(1 ?- ?p\)|inverted
# why: hand-made dropout mask without the 1/(1-p) rescaling: train-mode outputs shrink on average
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.p = dropout

    def forward(self, x):
        h = torch.relu(self.linear1(x))
        if self.training and self.p > 0:
            keep = (torch.rand_like(h) >= self.p).to(h.dtype)
            h = h * keep
        return self.linear2(h)
