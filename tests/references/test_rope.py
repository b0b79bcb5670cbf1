"""The RoPE reference against an independent complex-number formulation (numpy) and
an explicit block-rotation matrix, plus its defining properties."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("rope")


def numpy_complex_rope(x: np.ndarray, pos: np.ndarray, base: float, interleaved: bool) -> np.ndarray:
    """x (B, H, T, d) float64, pos (B, T) ints. Pair i is the complex number z_i; RoPE is z_i * e^{i pos theta_i}."""
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2) / d)                            # (d/2,)
    rot = np.exp(1j * pos[:, None, :, None] * theta)                     # (B, 1, T, d/2)
    if interleaved:
        z = x[..., 0::2] + 1j * x[..., 1::2]
    else:
        z = x[..., : d // 2] + 1j * x[..., d // 2 :]
    z = z * rot
    out = np.empty_like(x)
    if interleaved:
        out[..., 0::2], out[..., 1::2] = z.real, z.imag
    else:
        out[..., : d // 2], out[..., d // 2 :] = z.real, z.imag
    return out


def rotation_matrix(pos: int, d: int, base: float, interleaved: bool) -> np.ndarray:
    """The (d, d) orthogonal matrix R(pos) with out = R @ x, built pair by pair."""
    R = np.zeros((d, d))
    for i in range(d // 2):
        a = pos * base ** (-2 * i / d)
        j, k = (2 * i, 2 * i + 1) if interleaved else (i, i + d // 2)
        R[j, j], R[j, k], R[k, j], R[k, k] = np.cos(a), -np.sin(a), np.sin(a), np.cos(a)
    return R


def rand(*shape, seed=0, dtype=torch.float64):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


@pytest.mark.parametrize("interleaved", [True, False])
@pytest.mark.parametrize("B,H,T,d,base", [(1, 1, 1, 2, 10000.0), (2, 3, 7, 8, 10000.0),
                                           (3, 2, 33, 64, 10000.0), (1, 4, 16, 32, 500000.0)])
def test_matches_complex_formulation_default_positions(interleaved, B, H, T, d, base):
    x = rand(B, H, T, d, seed=T * d)
    out = ref.RotaryEmbedding(d, base=base, interleaved=interleaved)(x.clone())
    pos = np.broadcast_to(np.arange(T), (B, T))
    np.testing.assert_allclose(out.numpy(), numpy_complex_rope(x.numpy(), pos, base, interleaved),
                               rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("interleaved", [True, False])
def test_matches_rotation_matrix(interleaved):
    d, T = 8, 5
    x = rand(1, 1, T, d, seed=3)
    pos = torch.tensor([[0, 1, 7, 1000, 4095]])
    out = ref.RotaryEmbedding(d, interleaved=interleaved)(x, pos)
    for t in range(T):
        expected = rotation_matrix(int(pos[0, t]), d, 10000.0, interleaved) @ x[0, 0, t].numpy()
        np.testing.assert_allclose(out[0, 0, t].numpy(), expected, rtol=1e-9, atol=1e-12)


def test_layouts_differ_and_are_a_permutation_of_each_other():
    d = 8
    x = rand(2, 2, 5, d, seed=4)
    inter = ref.RotaryEmbedding(d, interleaved=True)
    halves = ref.RotaryEmbedding(d, interleaved=False)
    assert not torch.allclose(inter(x), halves(x))
    # de-interleave: (x0, x1, x2, x3, ...) -> (x0, x2, ..., x1, x3, ...)
    perm = torch.cat((torch.arange(0, d, 2), torch.arange(1, d, 2)))
    torch.testing.assert_close(halves(x[..., perm]), inter(x)[..., perm])


@pytest.mark.parametrize("interleaved", [True, False])
def test_per_batch_position_ids_and_offsets(interleaved):
    B, H, T, d = 3, 2, 6, 16
    x = rand(B, H, T, d, seed=5)
    pos = torch.stack([torch.arange(T), torch.arange(1000, 1000 + T), torch.tensor([0, 3, 3, 9, 50, 2])])
    out = ref.RotaryEmbedding(d, interleaved=interleaved)(x, pos)
    np.testing.assert_allclose(out.numpy(), numpy_complex_rope(x.numpy(), pos.numpy(), 10000.0, interleaved),
                               rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("interleaved", [True, False])
def test_float32_input_and_large_positions(interleaved):
    B, H, T, d = 2, 2, 8, 64
    x = rand(B, H, T, d, seed=6, dtype=torch.float32)
    pos = torch.arange(4000, 4000 + T).expand(B, T)
    out = ref.RotaryEmbedding(d, interleaved=interleaved)(x, pos)
    assert out.dtype == torch.float32
    expected = numpy_complex_rope(x.double().numpy(), pos.numpy(), 10000.0, interleaved)
    np.testing.assert_allclose(out.double().numpy(), expected, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("interleaved", [True, False])
def test_longer_sequence_after_shorter_one(interleaved):
    rope = ref.RotaryEmbedding(16, interleaved=interleaved)
    for T in (4, 32, 3, 100):
        x = rand(1, 2, T, 16, seed=T)
        pos = np.arange(T)[None]
        np.testing.assert_allclose(rope(x).numpy(), numpy_complex_rope(x.numpy(), pos, 10000.0, interleaved),
                                   rtol=1e-9, atol=1e-11)


def test_default_positions_equal_explicit_arange():
    rope = ref.RotaryEmbedding(8)
    x = rand(2, 3, 9, 8, seed=7)
    torch.testing.assert_close(rope(x), rope(x, torch.arange(9).expand(2, 9)), rtol=0, atol=0)


@pytest.mark.parametrize("interleaved", [True, False])
def test_norms_preserved(interleaved):
    x = rand(2, 3, 20, 32, seed=8)
    pos = torch.randint(0, 5000, (2, 20), generator=torch.Generator().manual_seed(1))
    out = ref.RotaryEmbedding(32, interleaved=interleaved)(x, pos)
    torch.testing.assert_close(out.norm(dim=-1), x.norm(dim=-1), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("interleaved", [True, False])
def test_dot_product_depends_only_on_position_difference(interleaved):
    d = 32
    rope = ref.RotaryEmbedding(d, interleaved=interleaved)
    q = rand(1, 1, 1, d, seed=9)
    k = rand(1, 1, 1, d, seed=10)
    scores = []
    for m, n in [(5, 2), (103, 100), (1003, 1000), (3, 0)]:
        rq = rope(q, torch.tensor([[m]]))
        rk = rope(k, torch.tensor([[n]]))
        scores.append(float((rq * rk).sum()))
    np.testing.assert_allclose(scores, scores[0], rtol=1e-9)
    # and it does depend on the difference
    assert abs(float((rope(q, torch.tensor([[7]])) * rope(k, torch.tensor([[2]]))).sum()) - scores[0]) > 1e-6


def test_position_zero_is_identity():
    x = rand(2, 2, 1, 8, seed=11)
    torch.testing.assert_close(ref.RotaryEmbedding(8)(x), x, rtol=0, atol=0)


def test_nothing_in_state_dict_and_no_parameters():
    rope = ref.RotaryEmbedding(64)
    rope(rand(1, 1, 10, 64))
    assert rope.state_dict() == {} or len(rope.state_dict()) == 0
    assert list(rope.parameters()) == []


def test_module_casts_and_input_dtype_kept():
    rope = ref.RotaryEmbedding(8).double()
    out = rope(rand(1, 1, 4, 8, dtype=torch.float32))
    assert out.dtype == torch.float32
    rope = ref.RotaryEmbedding(8).float()
    assert rope(rand(1, 1, 4, 8)).dtype == torch.float64


@pytest.mark.parametrize("d", [1, 3, 63])
def test_odd_head_dim_raises(d):
    with pytest.raises(ValueError):
        ref.RotaryEmbedding(d)


def test_gradient_is_the_transposed_rotation():
    d = 8
    x = rand(1, 1, 3, d, seed=12).requires_grad_(True)
    pos = torch.tensor([[0, 5, 1000]])
    g = rand(1, 1, 3, d, seed=13)
    (ref.RotaryEmbedding(d)(x, pos) * g).sum().backward()
    for t in range(3):
        R = rotation_matrix(int(pos[0, t]), d, 10000.0, True)
        np.testing.assert_allclose(x.grad[0, 0, t].numpy(), R.T @ g[0, 0, t].numpy(), rtol=1e-9, atol=1e-12)
