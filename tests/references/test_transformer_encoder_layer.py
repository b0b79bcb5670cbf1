"""The encoder-layer reference equals torch's nn.TransformerEncoderLayer with mapped weights."""
import pytest
import torch
from torch import nn

from tests.helpers import load_solution

ref = load_solution("transformer_encoder_layer")

SHAPES = [  # (B, T, d_model, num_heads, d_ff)
    (2, 5, 8, 2, 16),
    (1, 1, 4, 1, 8),   # B = 1, T = 1, one head
    (3, 7, 12, 3, 20),
]


def make_pair(d_model, num_heads, d_ff, norm_first, dtype=torch.float64, seed=0):
    """Our layer with random weights (LayerNorm affine too) and torch's layer with the same."""
    torch.manual_seed(seed)
    ours = ref.TransformerEncoderLayer(d_model, num_heads, d_ff, dropout=0.1, norm_first=norm_first)
    with torch.no_grad():
        for p in ours.parameters():
            p.copy_(torch.randn_like(p) * 0.5)
    ours = ours.to(dtype).eval()
    theirs = nn.TransformerEncoderLayer(d_model, num_heads, dim_feedforward=d_ff, dropout=0.1,
                                        activation="relu", batch_first=True,
                                        norm_first=norm_first).to(dtype).eval()
    a = ours.self_attn
    with torch.no_grad():
        theirs.self_attn.in_proj_weight.copy_(torch.cat([a.q_proj.weight, a.k_proj.weight, a.v_proj.weight]))
        theirs.self_attn.in_proj_bias.copy_(torch.cat([a.q_proj.bias, a.k_proj.bias, a.v_proj.bias]))
        theirs.self_attn.out_proj.weight.copy_(a.o_proj.weight)
        theirs.self_attn.out_proj.bias.copy_(a.o_proj.bias)
        for name in ("linear1", "linear2", "norm1", "norm2"):
            getattr(theirs, name).load_state_dict(getattr(ours, name).state_dict())
    return ours, theirs


def torch_mask(mask, B, H, Tq, Tk):
    """Our mask (True/1 = may attend, broadcastable to (B, H, Tq, Tk)) -> torch's 3-D bool
    attn_mask, where True means NOT allowed."""
    return ~mask.bool().expand(B, H, Tq, Tk).reshape(B * H, Tq, Tk)


def masks(B, H, T, gen):
    """Every mask form the grader may pass; no row masks every key."""
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    lengths = torch.randint(1, T + 1, (B,), generator=gen)
    pad = (torch.arange(T)[None, :] < lengths[:, None])[:, None, None, :]  # (B, 1, 1, T)
    rand = torch.rand(B, H, T, T, generator=gen) < 0.5
    rand |= torch.eye(T, dtype=torch.bool)  # keep the diagonal: no empty row
    return {
        "none": None,
        "causal_bool_2d": causal,
        "causal_int_4d": causal.long()[None, None],
        "padding_bool": pad,
        "padding_int": pad.int(),
        "full_bool": rand,
        "per_batch_int": rand[:, :1].to(torch.int64),  # (B, 1, T, T)
    }


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_matches_torch_every_mask(norm_first, shape):
    B, T, d, H, ff = shape
    ours, theirs = make_pair(d, H, ff, norm_first)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(B, T, d, dtype=torch.float64, generator=gen)
    for name, m in masks(B, H, T, gen).items():
        got = ours(x, m)
        want = theirs(x, src_mask=None if m is None else torch_mask(m, B, H, T, T))
        torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-10, msg=name)


@pytest.mark.parametrize("norm_first", [False, True])
def test_key_padding_matches_torch_padding_argument(norm_first):
    B, T, d, H, ff = 3, 6, 8, 2, 12
    ours, theirs = make_pair(d, H, ff, norm_first, seed=3)
    x = torch.randn(B, T, d, dtype=torch.float64)
    keep = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=torch.bool)
    got = ours(x, keep[:, None, None, :])
    want = theirs(x, src_key_padding_mask=~keep)
    torch.testing.assert_close(got, want, rtol=1e-10, atol=1e-10)
    # padded keys really are ignored: changing them only changes their own rows
    x2 = x.clone()
    x2[1, 3:] += 10.0
    got2 = ours(x2, keep[:, None, None, :])
    torch.testing.assert_close(got2[1, :3], got[1, :3], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
def test_gradients_match_torch(norm_first):
    B, T, d, H, ff = 2, 5, 8, 2, 16
    ours, theirs = make_pair(d, H, ff, norm_first, seed=5)
    x1 = torch.randn(B, T, d, dtype=torch.float64, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
    w = torch.randn(B, T, d, dtype=torch.float64)
    (ours(x1, causal) * w).sum().backward()
    (theirs(x2, src_mask=~causal) * w).sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, rtol=1e-9, atol=1e-10)
    a, t = ours.self_attn, theirs.self_attn
    torch.testing.assert_close(torch.cat([a.q_proj.weight.grad, a.k_proj.weight.grad, a.v_proj.weight.grad]),
                               t.in_proj_weight.grad, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(torch.cat([a.q_proj.bias.grad, a.k_proj.bias.grad, a.v_proj.bias.grad]),
                               t.in_proj_bias.grad, rtol=1e-9, atol=1e-10)
    torch.testing.assert_close(a.o_proj.weight.grad, t.out_proj.weight.grad, rtol=1e-9, atol=1e-10)
    for name in ("linear1", "linear2", "norm1", "norm2"):
        for (pn, p), q in zip(getattr(ours, name).named_parameters(), getattr(theirs, name).parameters()):
            torch.testing.assert_close(p.grad, q.grad, rtol=1e-9, atol=1e-10, msg=f"{name}.{pn}")
    for n, p in ours.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, n


@pytest.mark.parametrize("norm_first", [False, True])
def test_float32_keeps_dtype_and_matches(norm_first):
    ours, theirs = make_pair(8, 2, 16, norm_first, dtype=torch.float32, seed=7)
    x = torch.randn(4, 9, 8)
    out = ours(x, torch.tril(torch.ones(9, 9, dtype=torch.bool)))
    assert out.dtype == torch.float32 and out.shape == x.shape and out.device == x.device
    want = theirs(x, src_mask=~torch.tril(torch.ones(9, 9, dtype=torch.bool)))
    torch.testing.assert_close(out, want, rtol=1e-4, atol=1e-5)


def test_state_dict_names_and_shapes():
    layer = ref.TransformerEncoderLayer(8, 2, 32)
    shapes = {k: tuple(v.shape) for k, v in layer.state_dict().items()}
    want = {}
    for p in ("q_proj", "k_proj", "v_proj", "o_proj"):
        want[f"self_attn.{p}.weight"] = (8, 8)
        want[f"self_attn.{p}.bias"] = (8,)
    want.update({"linear1.weight": (32, 8), "linear1.bias": (32,), "linear2.weight": (8, 32),
                 "linear2.bias": (8,)})
    for n in ("norm1", "norm2"):
        want[f"{n}.weight"] = (8,)
        want[f"{n}.bias"] = (8,)
    assert shapes == want


@pytest.mark.parametrize("d_model,num_heads", [(10, 3), (8, 3), (6, 4)])
def test_indivisible_heads_raise_at_construction(d_model, num_heads):
    with pytest.raises(ValueError):
        ref.TransformerEncoderLayer(d_model, num_heads, 16)


def test_dropout_only_in_train_mode():
    layer = ref.TransformerEncoderLayer(8, 2, 16, dropout=0.5).double()
    x = torch.randn(2, 5, 8, dtype=torch.float64)
    layer.eval()
    torch.testing.assert_close(layer(x), layer(x), rtol=0, atol=0)
    layer.train()
    torch.manual_seed(0)
    a = layer(x)
    b = layer(x)
    assert not torch.allclose(a, b)
    no_drop = ref.TransformerEncoderLayer(8, 2, 16, dropout=0.0).double()
    no_drop.load_state_dict(layer.state_dict())
    torch.testing.assert_close(no_drop.train()(x), no_drop.eval()(x), rtol=0, atol=0)


def test_statement_example():
    """The worked example of statement.md: all Linear weights and biases zero."""
    for norm_first, want in ((False, [[-1.3416341, -0.4472114, 0.4472114, 1.3416341]]),
                             (True, [[1.0, 2.0, 3.0, 4.0]])):
        layer = ref.TransformerEncoderLayer(4, 2, 8, norm_first=norm_first).eval()
        with torch.no_grad():
            for m in layer.modules():
                if isinstance(m, nn.Linear):
                    m.weight.zero_()
                    m.bias.zero_()
        out = layer(torch.tensor([[[1.0, 2.0, 3.0, 4.0]]]))
        torch.testing.assert_close(out, torch.tensor([want]), rtol=0, atol=1e-6)
