# expect: dropout is applied to the input x, not after the ReLU
# why: drops input features instead of hidden units; the mean is off too, but scaling is not the cause
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
        x = F.dropout(x, self.p, self.training)
        return self.linear2(F.relu(self.linear1(x)))
