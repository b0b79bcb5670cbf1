import math

import torch

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """F.gelu: x·Φ(x) exactly ("none"), or Hendrycks & Gimpel's tanh approximation ("tanh")."""
    if approximate == "none":
        # Φ(x) = (1 + erf(x/√2))/2; erf saturates to ±1, so ±1e4 give x and -0.0 (no overflow anywhere)
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if approximate == "tanh":
        # torch.tanh saturates cleanly; x³ stays finite for |x| <= 1e4 even in float32
        return 0.5 * x * (1.0 + torch.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))
    raise ValueError(f"approximate must be 'none' or 'tanh', got {approximate!r}")
