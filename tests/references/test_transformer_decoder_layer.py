"""The decoder-layer reference equals torch's nn.TransformerDecoderLayer with mapped weights."""
import pytest
import torch
from torch import nn

from tests.helpers import load_solution

ref = load_solution("transformer_decoder_layer")

SHAPES = [  # (B, T, S, d_model, num_heads, d_ff)   T = target length, S = memory length
    (2, 5, 7, 8, 2, 16),
    (1, 1, 1, 4, 1, 8),   # B = 1, T = S = 1, one head
    (3, 6, 3, 12, 3, 20),  # T > S
]


def _copy_attn(theirs, ours):
    with torch.no_grad():
        theirs.in_proj_weight.copy_(torch.cat([ours.q_proj.weight, ours.k_proj.weight, ours.v_proj.weight]))
        theirs.in_proj_bias.copy_(torch.cat([ours.q_proj.bias, ours.k_proj.bias, ours.v_proj.bias]))
        theirs.out_proj.weight.copy_(ours.o_proj.weight)
        theirs.out_proj.bias.copy_(ours.o_proj.bias)


def make_pair(d_model, num_heads, d_ff, norm_first, dtype=torch.float64, seed=0):
    torch.manual_seed(seed)
    ours = ref.TransformerDecoderLayer(d_model, num_heads, d_ff, dropout=0.1, norm_first=norm_first)
    with torch.no_grad():
        for p in ours.parameters():
            p.copy_(torch.randn_like(p) * 0.5)
    ours = ours.to(dtype).eval()
    theirs = nn.TransformerDecoderLayer(d_model, num_heads, dim_feedforward=d_ff, dropout=0.1,
                                        activation="relu", batch_first=True,
                                        norm_first=norm_first).to(dtype).eval()
    _copy_attn(theirs.self_attn, ours.self_attn)
    _copy_attn(theirs.multihead_attn, ours.cross_attn)
    for name in ("linear1", "linear2", "norm1", "norm2", "norm3"):
        getattr(theirs, name).load_state_dict(getattr(ours, name).state_dict())
    return ours, theirs


def torch_mask(mask, B, H, Tq, Tk):
    """Our mask (True/1 = may attend) -> torch's 3-D bool mask (True = NOT allowed)."""
    if mask is None:
        return None
    return ~mask.bool().expand(B, H, Tq, Tk).reshape(B * H, Tq, Tk)


def mask_cases(B, H, T, S, gen):
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    lengths = torch.randint(1, S + 1, (B,), generator=gen)
    mem_pad = (torch.arange(S)[None, :] < lengths[:, None])[:, None, None, :]   # (B, 1, 1, S)
    rand_mem = torch.rand(B, H, T, S, generator=gen) < 0.5
    rand_mem[..., 0] = True                                                   # no empty row
    return [
        ("none", None, None),
        ("causal", causal, None),
        ("causal_int+padding", causal.int()[None, None], mem_pad),
        ("causal+padding_int", causal, mem_pad.long()),
        ("causal+full_memory_mask", causal[None, None].expand(B, 1, T, T), rand_mem),
        ("memory_only", None, rand_mem[:, :1].int()),                            # (B, 1, T, S)
    ]


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_torch_every_mask(norm_first, shape):
    B, T, S, d, H, ff = shape
    ours, theirs = make_pair(d, H, ff, norm_first)
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(B, T, d, dtype=torch.float64, generator=gen)
    mem = torch.randn(B, S, d, dtype=torch.float64, generator=gen)
    for name, tgt, mm in mask_cases(B, H, T, S, gen):
        got = ours(x, mem, tgt, mm)
        want = theirs(x, mem, tgt_mask=torch_mask(tgt, B, H, T, T),
                      memory_mask=torch_mask(mm, B, H, T, S))
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-10, msg=name)


@pytest.mark.parametrize("norm_first", [False, True])
def test_memory_padding_matches_torch_padding_argument(norm_first):
    B, T, S, d, H, ff = 3, 4, 6, 8, 2, 12
    ours, theirs = make_pair(d, H, ff, norm_first, seed=3)
    x = torch.randn(B, T, d, dtype=torch.float64)
    mem = torch.randn(B, S, d, dtype=torch.float64)
    keep = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=torch.bool)
    got = ours(x, mem, None, keep[:, None, None, :])
    want = theirs(x, mem, memory_key_padding_mask=~keep)
    torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-10)
    # padded memory positions do not influence anything
    mem2 = mem.clone()
    mem2[1, 3:] = torch.randn(3, d, dtype=torch.float64) * 10
    mem2[2, 1:] = 0.0
    torch.testing.assert_close(ours(x, mem2, None, keep[:, None, None, :]), got, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
def test_causal_property(norm_first):
    """With a causal tgt_mask, output t depends on x[:, :t+1] only (and on all of memory)."""
    B, T, S, d, H, ff = 2, 6, 5, 8, 2, 16
    ours, _ = make_pair(d, H, ff, norm_first, seed=4)
    x = torch.randn(B, T, d, dtype=torch.float64)
    mem = torch.randn(B, S, d, dtype=torch.float64)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    base = ours(x, mem, causal)
    for t in range(T - 1):
        x2 = x.clone()
        x2[:, t + 1:] = torch.randn(B, T - t - 1, d, dtype=torch.float64)
        out = ours(x2, mem, causal)
        torch.testing.assert_close(out[:, :t + 1], base[:, :t + 1], rtol=1e-12, atol=1e-12)
        assert not torch.allclose(out[:, t + 1:], base[:, t + 1:])
    # a prefix alone gives the same outputs as the prefix of the full sequence
    torch.testing.assert_close(ours(x[:, :3], mem, causal[:3, :3]), base[:, :3], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
def test_gradients_match_torch(norm_first):
    B, T, S, d, H, ff = 2, 5, 4, 8, 2, 16
    ours, theirs = make_pair(d, H, ff, norm_first, seed=5)
    x1 = torch.randn(B, T, d, dtype=torch.float64, requires_grad=True)
    m1 = torch.randn(B, S, d, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    m2 = m1.detach().clone().requires_grad_(True)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    w = torch.randn(B, T, d, dtype=torch.float64)
    (ours(x1, m1, causal) * w).sum().backward()
    (theirs(x2, m2, tgt_mask=~causal) * w).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(m1.grad, m2.grad, rtol=1e-9, atol=1e-10)
    for a, t in ((ours.self_attn, theirs.self_attn), (ours.cross_attn, theirs.multihead_attn)):
        torch.testing.assert_close(
            torch.cat([a.q_proj.weight.grad, a.k_proj.weight.grad, a.v_proj.weight.grad]),
            t.in_proj_weight.grad, rtol=1e-9, atol=1e-10)
        torch.testing.assert_close(
            torch.cat([a.q_proj.bias.grad, a.k_proj.bias.grad, a.v_proj.bias.grad]),
            t.in_proj_bias.grad, rtol=1e-9, atol=1e-10)
        torch.testing.assert_close(a.o_proj.weight.grad, t.out_proj.weight.grad, rtol=1e-9, atol=1e-10)
    for name in ("linear1", "linear2", "norm1", "norm2", "norm3"):
        for p, q in zip(getattr(ours, name).parameters(), getattr(theirs, name).parameters()):
            torch.testing.assert_close(p.grad, q.grad, rtol=1e-9, atol=1e-10, msg=name)
    for n, p in ours.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, n


@pytest.mark.parametrize("norm_first", [False, True])
def test_float32_keeps_dtype_and_matches(norm_first):
    ours, theirs = make_pair(8, 2, 16, norm_first, dtype=torch.float32, seed=7)
    x, mem = torch.randn(4, 9, 8), torch.randn(4, 3, 8)
    causal = torch.tril(torch.ones(9, 9, dtype=torch.bool))
    out = ours(x, mem, causal)
    assert out.dtype == torch.float32 and out.shape == x.shape and out.device == x.device
    torch.testing.assert_close(out, theirs(x, mem, tgt_mask=~causal), rtol=1e-4, atol=1e-5)


def test_state_dict_names_and_shapes():
    layer = ref.TransformerDecoderLayer(8, 2, 32)
    shapes = {k: tuple(v.shape) for k, v in layer.state_dict().items()}
    want = {}
    for a in ("self_attn", "cross_attn"):
        for p in ("q_proj", "k_proj", "v_proj", "o_proj"):
            want[f"{a}.{p}.weight"] = (8, 8)
            want[f"{a}.{p}.bias"] = (8,)
    want.update({"linear1.weight": (32, 8), "linear1.bias": (32,), "linear2.weight": (8, 32),
                 "linear2.bias": (8,)})
    for n in ("norm1", "norm2", "norm3"):
        want[f"{n}.weight"] = (8,)
        want[f"{n}.bias"] = (8,)
    assert shapes == want


@pytest.mark.parametrize("d_model,num_heads", [(10, 3), (8, 3), (6, 4)])
def test_indivisible_heads_raise_at_construction(d_model, num_heads):
    with pytest.raises(ValueError):
        ref.TransformerDecoderLayer(d_model, num_heads, 16)


def test_dropout_only_in_train_mode():
    layer = ref.TransformerDecoderLayer(8, 2, 16, dropout=0.5).double()
    x, mem = torch.randn(2, 5, 8, dtype=torch.float64), torch.randn(2, 3, 8, dtype=torch.float64)
    layer.eval()
    torch.testing.assert_close(layer(x, mem), layer(x, mem), rtol=0, atol=0)
    layer.train()
    torch.manual_seed(0)
    assert not torch.allclose(layer(x, mem), layer(x, mem))


def test_statement_example():
    """statement.md: with every Linear zeroed, post-norm gives LN applied three times,
    pre-norm gives x back unchanged."""
    for norm_first, want in ((False, [[-1.3416341, -0.4472114, 0.4472114, 1.3416341]]),
                             (True, [[1.0, 2.0, 3.0, 4.0]])):
        layer = ref.TransformerDecoderLayer(4, 2, 8, norm_first=norm_first).eval()
        with torch.no_grad():
            for m in layer.modules():
                if isinstance(m, nn.Linear):
                    m.weight.zero_()
                    m.bias.zero_()
        out = layer(torch.tensor([[[1.0, 2.0, 3.0, 4.0]]]), torch.randn(1, 3, 4))
        torch.testing.assert_close(out, torch.tensor([want]), rtol=0, atol=1e-6)
