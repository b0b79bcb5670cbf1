# expect: vary|train
# why: the dropout argument is stored but never applied, so train mode is deterministic
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.dropout = dropout

    def forward(self, x):
        return self.linear2(torch.relu(self.linear1(x)))
