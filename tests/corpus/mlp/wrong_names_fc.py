# expect: linear1|state_dict|missing|unexpected
# why: submodules named fc1/fc2 instead of linear1/linear2: the grader's weights cannot be loaded
import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self, d_model, d_ff, dropout=0.1):
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.fc2(self.dropout(torch.relu(self.fc1(x))))
