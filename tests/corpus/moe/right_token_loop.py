# why: a Python loop over tokens and their chosen experts (one expert call per token and choice)
import torch
import torch.nn as nn


class Expert(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)
        self.w2 = nn.Linear(d_ff, d_model)

    def forward(self, h):
        a = self.w1(h)
        return self.w2(a * torch.sigmoid(a))


class MoE(nn.Module):
    def __init__(self, d_model, d_ff, num_experts, top_k):
        super().__init__()
        if top_k < 1:
            raise ValueError("top_k must be at least 1")
        if top_k > num_experts:
            raise ValueError("top_k cannot exceed num_experts")
        self.k = top_k
        self.router = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(num_experts))

    def forward(self, x):
        B, T, D = x.shape
        E = len(self.experts)
        tokens = x.reshape(B * T, D)
        probs = self.router(tokens).softmax(-1)
        rows = []
        chosen_count = [0] * E
        for n in range(tokens.shape[0]):
            p, idx = probs[n].topk(self.k)
            total = p.sum()
            out = torch.zeros(D, dtype=x.dtype, device=x.device)
            for j in range(self.k):
                e = int(idx[j])
                chosen_count[e] += 1
                out = out + (p[j] / total) * self.experts[e](tokens[n:n + 1])[0]
            rows.append(out)
        y = torch.stack(rows).reshape(B, T, D)
        f = torch.tensor(chosen_count, dtype=x.dtype, device=x.device) / (tokens.shape[0] * self.k)
        aux = E * (f * probs.mean(dim=0)).sum()
        return y, aux
