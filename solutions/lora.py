"""Reference: a LoRA adapter around a frozen nn.Linear (Hu et al., 2021)."""
import math

import torch
from torch import nn


class LoRALinear(nn.Module):
    """y = base(x) + scaling * dropout(x) @ A^T @ B^T, with base frozen.

    base:   nn.Linear(in_features, out_features), weight and bias frozen
    lora_A: (rank, in_features), Kaiming-uniform (a = sqrt(5)), like nn.Linear
    lora_B: (out_features, rank), zeros, so the adapter starts as a no-op
    """

    def __init__(self, in_features: int, out_features: int, rank: int = 8,
                 alpha: float = 16.0, dropout: float = 0.0):
        super().__init__()
        if rank <= 0:
            raise ValueError(f"rank must be positive, got {rank}")
        self.in_features = in_features
        self.out_features = out_features
        self.rank = rank
        self.alpha = alpha
        self.scaling = alpha / rank

        self.base = nn.Linear(in_features, out_features)
        self.base.weight.requires_grad_(False)
        self.base.bias.requires_grad_(False)

        self.lora_A = nn.Parameter(torch.empty(rank, in_features))
        self.lora_B = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))

        # Dropout acts on the adapter's input only; the frozen path is untouched.
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        # A plain attribute: it must not show up in the state_dict.
        self.merged = False

    def _delta_weight(self) -> torch.Tensor:
        """The low-rank update, (out_features, in_features)."""
        return (self.lora_B @ self.lora_A) * self.scaling

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.base(x)                                        # (..., out)
        if self.merged:                                           # already inside base.weight
            return out
        # Two thin matmuls, (..., in) -> (..., rank) -> (..., out): never build B @ A.
        return out + (self.dropout(x) @ self.lora_A.T @ self.lora_B.T) * self.scaling

    @torch.no_grad()
    def merge(self) -> None:
        """Fold the update into base.weight (for inference); idempotent."""
        if not self.merged:
            self.base.weight += self._delta_weight().to(self.base.weight.dtype)
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        """Undo merge(); does nothing when not merged."""
        if self.merged:
            self.base.weight -= self._delta_weight().to(self.base.weight.dtype)
            self.merged = False
