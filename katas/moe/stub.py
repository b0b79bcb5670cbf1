import torch
import torch.nn.functional as F
from torch import nn


class MoE(nn.Module):
    """Top-k mixture of experts.

    router: nn.Linear(d_model, num_experts, bias=False)
    experts: nn.ModuleList of num_experts modules, each with w1 = nn.Linear(d_model, d_ff) and
             w2 = nn.Linear(d_ff, d_model); expert(h) = w2(silu(w1(h))).
    Raises ValueError unless 1 <= top_k <= num_experts.
    """

    def __init__(self, d_model: int, d_ff: int, num_experts: int, top_k: int):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, d_model) -> (y (B, T, d_model), aux_loss (0-dim)).

        Each token goes to its top_k experts (router softmax), weighted by their probabilities
        renormalised over the top_k; aux_loss = num_experts * sum_e f_e * P_e.
        """
        raise NotImplementedError
