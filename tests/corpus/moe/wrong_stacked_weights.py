# expect: never called as a module
# why: the experts' weights are stacked and applied with einsum, so the expert modules are never called
import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)
        self.w2 = nn.Linear(d_ff, d_model)


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
        probs = self.router(h).softmax(-1)
        top_p, top_i = probs.topk(self.top_k, -1)
        w = top_p / top_p.sum(-1, keepdim=True)
        W1 = torch.stack([e.w1.weight for e in self.experts])[top_i]  # (N, k, d_ff, d)
        b1 = torch.stack([e.w1.bias for e in self.experts])[top_i]
        W2 = torch.stack([e.w2.weight for e in self.experts])[top_i]
        b2 = torch.stack([e.w2.bias for e in self.experts])[top_i]
        mid = F.silu(torch.einsum("nkfd,nd->nkf", W1, h) + b1)
        out = torch.einsum("nkdf,nkf->nkd", W2, mid) + b2
        y = (w.unsqueeze(-1) * out).sum(1)
        E = probs.shape[-1]
        f = F.one_hot(top_i, E).sum((0, 1)).to(x.dtype) / (h.shape[0] * self.top_k)
        return y.view_as(x), E * (f * probs.mean(0)).sum()
