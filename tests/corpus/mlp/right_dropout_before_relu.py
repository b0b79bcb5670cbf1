# why: relu(dropout(z)) equals dropout(relu(z)) for inverted dropout (non-negative scale), so this order is fine
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.drop = nn.Dropout(p=dropout)
        self.act = nn.ReLU()
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.linear2(self.act(self.drop(self.linear1(x))))
