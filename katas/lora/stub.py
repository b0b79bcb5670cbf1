import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class LoRALinear(nn.Module):
    def __init__(self, in_features: int, out_features: int, rank: int = 8,
                 alpha: float = 16.0, dropout: float = 0.0):
        """A frozen nn.Linear plus a trainable low-rank update.

        base:   nn.Linear(in_features, out_features), weight and bias frozen
        lora_A: nn.Parameter (rank, in_features), Kaiming-uniform with a = sqrt(5)
        lora_B: nn.Parameter (out_features, rank), zeros
        scaling = alpha / rank; self.merged = False (a plain attribute)
        Raises ValueError if rank <= 0.
        """
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (..., in_features) -> (..., out_features).

        base(x) + dropout(x) @ lora_A.T @ lora_B.T * scaling (LoRA term skipped when merged).
        """
        raise NotImplementedError

    def merge(self) -> None:
        """Fold scaling * lora_B @ lora_A into base.weight; a second call changes nothing."""
        raise NotImplementedError

    def unmerge(self) -> None:
        """Undo merge(); does nothing when not merged."""
        raise NotImplementedError
