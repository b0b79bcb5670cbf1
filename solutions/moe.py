"""Reference: a top-k mixture-of-experts layer with the Switch / DeepSeekMoE load-balancing loss."""
import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    def __init__(self, d_model: int, d_ff: int):
        super().__init__()
        self.w1 = nn.Linear(d_model, d_ff)
        self.w2 = nn.Linear(d_ff, d_model)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(h)))


class MoE(nn.Module):
    def __init__(self, d_model: int, d_ff: int, num_experts: int, top_k: int):
        super().__init__()
        if not 1 <= top_k <= num_experts:
            raise ValueError(f"top_k must be in [1, num_experts = {num_experts}], got {top_k}")
        self.num_experts = num_experts
        self.top_k = top_k
        self.router = nn.Linear(d_model, num_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(num_experts))

    def forward(self, x: torch.Tensor):
        B, T, D = x.shape
        h = x.reshape(B * T, D)  # N tokens, routed independently
        probs = self.router(h).softmax(dim=-1)  # (N, E)
        top_probs, top_idx = probs.topk(self.top_k, dim=-1)  # (N, k)
        weights = top_probs / top_probs.sum(dim=-1, keepdim=True)  # renormalised over the chosen k

        y = torch.zeros_like(h)
        for e, expert in enumerate(self.experts):
            token, slot = (top_idx == e).nonzero(as_tuple=True)  # the tokens that chose e
            if token.numel() == 0:
                continue
            y = y.index_add(0, token, weights[token, slot, None] * expert(h[token]))

        # Load balancing: f_e = share of the N * k routing slots that went to e (a count, no
        # gradient), P_e = mean router probability of e (differentiable). 1 at perfect balance.
        n = h.shape[0]
        counts = F.one_hot(top_idx, self.num_experts).sum(dim=(0, 1)).to(x.dtype)
        f = counts / (n * self.top_k)
        aux_loss = self.num_experts * (f * probs.mean(dim=0)).sum()
        return y.reshape(B, T, D), aux_loss
