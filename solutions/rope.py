"""Reference: rotary position embedding (RoPE, Su et al. 2021)."""
import torch
from torch import nn


class RotaryEmbedding(nn.Module):
    """Rotates each 2-D pair of features of q or k by an angle pos * theta_i.

    theta_i = base^(-2i / head_dim), i = 0 .. head_dim/2 - 1.
    interleaved=True  pairs (x[2i], x[2i+1])       (RoFormer, GPT-J, Meta's Llama)
    interleaved=False pairs (x[i],  x[i + d/2])    (GPT-NeoX, Llama in Hugging Face)
    """

    def __init__(self, head_dim: int, base: float = 10000.0, interleaved: bool = True):
        super().__init__()
        if head_dim <= 0 or head_dim % 2 != 0:
            raise ValueError(f"head_dim must be a positive even number, got {head_dim}")
        self.head_dim = head_dim
        self.base = float(base)
        self.interleaved = interleaved
        # No cached table at all: the frequencies and angles are recomputed from
        # the positions actually asked for, on x's device, in x's precision.
        # That is O(B*T*d) work, negligible next to attention, and it makes any
        # length, any offset (decoding at position 1000), and any device or
        # dtype correct by construction; nothing lands in the state_dict.

    def forward(self, x: torch.Tensor, position_ids: torch.Tensor | None = None) -> torch.Tensor:
        if x.dim() != 4 or x.size(-1) != self.head_dim:
            raise ValueError(f"expected x of shape (B, H, T, {self.head_dim}), got {tuple(x.shape)}")
        T = x.size(2)
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device).unsqueeze(0)         # (1, T)
        position_ids = position_ids.to(x.device)
        if position_ids.dim() == 1:                                              # (T,) -> (1, T)
            position_ids = position_ids.unsqueeze(0)

        # Angles in float32 at least (half precision cannot represent pos*theta
        # for large pos), in float64 when the input is float64.
        angle_dtype = torch.promote_types(x.dtype, torch.float32)
        two_i = torch.arange(0, self.head_dim, 2, device=x.device, dtype=angle_dtype)
        inv_freq = self.base ** (-two_i / self.head_dim)                        # (d/2,) theta_i
        angles = position_ids.to(angle_dtype)[..., None] * inv_freq               # (B, T, d/2)
        cos = angles.cos().to(x.dtype).unsqueeze(1)                              # (B, 1, T, d/2)
        sin = angles.sin().to(x.dtype).unsqueeze(1)

        if self.interleaved:
            x1, x2 = x[..., 0::2], x[..., 1::2]                                  # (B, H, T, d/2)
            out = torch.stack((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
            return out.flatten(-2)                                               # back to (B, H, T, d)
        half = self.head_dim // 2
        x1, x2 = x[..., :half], x[..., half:]
        return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)
