# expect: every expert on every token
# why: a dense gate: every expert runs on every token and the unchosen ones are weighted by 0
import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)
        self.w2 = nn.Linear(d_ff, d_model)

    def forward(self, h):
        return self.w2(F.silu(self.w1(h)))


class MoE(nn.Module):
    def __init__(self, d_model, d_ff, num_experts, top_k):
        super().__init__()
        if not 1 <= top_k <= num_experts:
            raise ValueError("top_k out of range")
        self.top_k = top_k
        self.router = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(num_experts))

    def forward(self, x):
        h = x.flatten(0, 1)
        logits = self.router(h)
        probs = logits.softmax(-1)
        top_val, top_idx = logits.topk(self.top_k, -1)
        gate = torch.zeros_like(probs).scatter(-1, top_idx, top_val.softmax(-1))
        outs = torch.stack([expert(h) for expert in self.experts], dim=1)  # (N, E, d)
        y = (gate.unsqueeze(-1) * outs).sum(1)
        E = probs.shape[-1]
        f = F.one_hot(top_idx, E).to(x.dtype).mean((0, 1))
        return y.view_as(x), E * (f * probs.mean(0)).sum()
