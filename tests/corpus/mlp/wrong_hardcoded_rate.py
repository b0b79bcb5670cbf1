# expect: ignores the constructor's dropout=0.25 \(a hard-coded rate\)
# why: the rate is fixed at the default 0.1 whatever dropout= says
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
        h = F.dropout(F.relu(self.linear1(x)), 0.1, self.training)
        return self.linear2(h)
