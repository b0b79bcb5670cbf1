# expect: must be renormalised
# why: Switch/GShard style: the raw top-k probabilities weight the experts
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
        if top_k < 1 or top_k > num_experts:
            raise ValueError("top_k out of range")
        self.E, self.k = num_experts, top_k
        self.router = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList([Expert(d_model, d_ff) for _ in range(num_experts)])

    def forward(self, x):
        B, T, D = x.shape
        h = x.reshape(-1, D)
        N = h.shape[0]
        probs = torch.softmax(self.router(h), dim=-1)
        top_p, top_i = torch.topk(probs, self.k, dim=-1)
        w = top_p
        y = torch.zeros_like(h)
        for e in range(self.E):
            rows, slot = torch.where(top_i == e)
            if len(rows):
                y = y.index_add(0, rows, w[rows, slot].unsqueeze(-1) * self.experts[e](h[rows]))
        counts = F.one_hot(top_i, self.E).sum(dim=(0, 1)).to(x.dtype)
        f = counts / (N * self.k)
        P = probs.mean(0)
        aux = self.E * torch.sum(f * P)
        return y.view(B, T, D), aux
