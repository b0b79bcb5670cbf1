# why: F.dropout with training=self.training instead of an nn.Dropout submodule
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, d_model: int, d_ff: int, dropout: float = 0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.p = dropout

    def forward(self, x):
        h = F.relu(self.linear1(x))
        h = F.dropout(h, p=self.p, training=self.training)
        return self.linear2(h)
