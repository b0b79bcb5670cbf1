import torch


def gelu(x: torch.Tensor, approximate: str = "none") -> torch.Tensor:
    """GELU as F.gelu: "none" -> 0.5·x·(1 + erf(x/√2)); "tanh" -> the tanh approximation.

    Any shape (0-d included); keeps x's dtype and device; differentiable by autograd.
    Raises ValueError for any other value of approximate.
    """
    raise NotImplementedError
