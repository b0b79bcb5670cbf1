# expect: does not keep the input's device: torch\.rand
# why: the dropout mask is drawn on the CPU whatever the input's device: on a GPU the product raises
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.p = dropout

    def forward(self, x):
        h = F.relu(self.linear1(x))
        if self.training:
            h = h * (torch.rand(h.shape) >= self.p) / (1 - self.p)
        return self.linear2(h)
