# why: the complex-number formulation: pairs viewed as complex numbers and multiplied by torch.polar(1, pos * theta)
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, head_dim: int, base: float = 10000.0, interleaved: bool = True):
        super().__init__()
        if head_dim % 2 != 0:
            raise ValueError("head_dim must be even")
        self.d = head_dim
        self.base = base
        self.interleaved = interleaved

    def forward(self, x, position_ids=None):
        B, H, T, d = x.shape
        real = torch.float64 if x.dtype == torch.float64 else torch.float32
        if position_ids is None:
            position_ids = torch.arange(T, device=x.device).expand(B, T)
        freqs = 1.0 / (self.base ** (torch.arange(0, d, 2, device=x.device, dtype=real) / d))
        angles = position_ids.to(real)[:, None, :, None] * freqs        # (B, 1, T, d/2)
        rot = torch.polar(torch.ones_like(angles), angles)             # e^{i angle}
        xr = x.to(real)
        if self.interleaved:
            z = torch.view_as_complex(xr.reshape(B, H, T, d // 2, 2).contiguous())
            out = torch.view_as_real(z * rot).reshape(B, H, T, d)
        else:
            z = torch.complex(xr[..., : d // 2], xr[..., d // 2:])
            w = z * rot
            out = torch.cat((w.real, w.imag), dim=-1)
        return out.to(x.dtype)
