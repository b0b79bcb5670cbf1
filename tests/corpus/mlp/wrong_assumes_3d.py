# expect: ✗ accepts any number of leading dimensions[\s\S]*\(5,\)|not enough values to unpack
# why: unpacks x as (B, T, d): a single vector or a (N, d) batch (promised: (..., d_model)) fails
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
        B, T, d = x.shape
        h = F.dropout(F.relu(self.linear1(x.reshape(B * T, d))), self.p, self.training)
        return self.linear2(h).reshape(B, T, d)
