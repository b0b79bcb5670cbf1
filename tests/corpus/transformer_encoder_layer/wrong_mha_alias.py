# expect: `torch.nn.MultiheadAttention`(, which)? is forbidden
# why: delegates the attention to torch's nn.MultiheadAttention, imported under another name and fed the contract's weights
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call
from torch.nn import MultiheadAttention as FastAttention


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        if d_model % num_heads:
            raise ValueError("num_heads must divide d_model")
        self.d_model, self.num_heads = d_model, num_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.o_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        B, T, _ = x.shape
        impl = FastAttention(self.d_model, self.num_heads, batch_first=True,
                             device=x.device, dtype=x.dtype)
        params = {
            "in_proj_weight": torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight]),
            "in_proj_bias": torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]),
            "out_proj.weight": self.o_proj.weight,
            "out_proj.bias": self.o_proj.bias,
        }
        blocked = None
        if attention_mask is not None:  # torch's bool masks mean "blocked"
            blocked = ~attention_mask.bool().expand(B, self.num_heads, T, T).reshape(B * self.num_heads, T, T)
        out, _ = functional_call(impl, params, (x, x, x), {"attn_mask": blocked, "need_weights": False})
        return out


class TransformerEncoderLayer(nn.Module):
    def __init__(self, d_model, num_heads, d_ff, dropout=0.1, norm_first=False):
        super().__init__()
        self.norm_first = norm_first
        self.self_attn = MultiHeadAttention(d_model, num_heads)
        self.linear1 = nn.Linear(d_model, d_ff)
        self.linear2 = nn.Linear(d_ff, d_model)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def ffn(self, x):
        return self.linear2(self.dropout(F.relu(self.linear1(x))))

    def forward(self, x, attention_mask=None):
        if self.norm_first:
            x = x + self.dropout(self.self_attn(self.norm1(x), attention_mask))
            x = x + self.dropout(self.ffn(self.norm2(x)))
        else:
            x = self.norm1(x + self.dropout(self.self_attn(x, attention_mask)))
            x = self.norm2(x + self.dropout(self.ffn(x)))
        return x
