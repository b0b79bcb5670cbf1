# why: tokens sorted by expert and split into contiguous groups (bincount), weights as a softmax over the top-k logits
import torch
from torch import nn
from torch.nn import functional as F


class FFN(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)
        self.w2 = nn.Linear(d_ff, d_model)

    def forward(self, h):
        return self.w2(F.silu(self.w1(h)))


class MoE(nn.Module):
    def __init__(self, d_model, d_ff, num_experts, top_k):
        super().__init__()
        if top_k not in range(1, num_experts + 1):
            raise ValueError(f"need 1 <= top_k <= {num_experts}")
        self.num_experts, self.top_k = num_experts, top_k
        self.router = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList([FFN(d_model, d_ff) for _ in range(num_experts)])

    def forward(self, x):
        shape = x.shape
        h = x.reshape(-1, shape[-1])
        logits = self.router(h)
        top_logits, top_idx = logits.topk(self.top_k, dim=-1)
        weights = top_logits.softmax(-1)  # equals the renormalised top-k probabilities
        flat_expert = top_idx.reshape(-1)
        flat_token = torch.arange(h.shape[0], device=x.device).repeat_interleave(self.top_k)
        flat_weight = weights.reshape(-1)
        order = flat_expert.argsort(stable=True)
        sizes = torch.bincount(flat_expert, minlength=self.num_experts).tolist()
        y = torch.zeros_like(h)
        start = 0
        for e, size in enumerate(sizes):
            idx = order[start:start + size]
            start += size
            if size:
                tokens = flat_token[idx]
                y = y.index_add(0, tokens, flat_weight[idx, None] * self.experts[e](h[tokens]))
        f = torch.tensor(sizes, dtype=x.dtype, device=x.device) / flat_expert.numel()
        P = logits.softmax(-1).mean(0)
        return y.reshape(shape), self.num_experts * torch.dot(f, P)
