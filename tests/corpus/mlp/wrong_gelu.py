# expect: relu|gelu|activation
# why: GELU instead of the ReLU of the contract (the original Transformer block)
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.act = nn.GELU()
        self.dropout = nn.Dropout(dropout)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.linear2(self.dropout(self.act(self.linear1(x))))
