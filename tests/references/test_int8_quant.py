"""The int8 reference against torch's quantizers (quantize_per_tensor / quantize_per_channel with
zero point 0, which round half to even), explicit loops over channels and Python-int matmuls."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("int8_quant")
# torch's quantized tensors are deprecated but still the independent implementation at hand
pytestmark = pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor:UserWarning")


def near_half(r):
    off = np.abs(np.abs(r) - np.floor(np.abs(r)) - 0.5)
    return off < 1e-4  # torch quantizes in float32: its w / scale is off by up to ~1e-5


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_per_tensor_matches_torch(seed, dtype):
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal(rng.integers(1, 6, size=1 + seed % 3)) * 3).astype(dtype)
    q, scale = ref.quantize_int8(w)
    assert isinstance(scale, float) and scale == pytest.approx(np.abs(w.astype(np.float64)).max() / 127, rel=1e-12)
    assert q.dtype == np.int8 and q.shape == w.shape
    t = torch.quantize_per_tensor(torch.from_numpy(w.astype(np.float64)).float(), scale, 0, torch.qint8)
    diff = q.astype(int) - t.int_repr().numpy().astype(int)
    # torch computes in float32: only entries on a rounding boundary may differ, by one
    ok = (diff == 0) | ((np.abs(diff) == 1) & near_half(w.astype(np.float64) / scale))
    assert ok.all()


@pytest.mark.parametrize("seed", range(10))
def test_per_channel_matches_loops_and_torch(seed):
    rng = np.random.default_rng(100 + seed)
    ndim = 1 + seed % 3
    w = rng.standard_normal(tuple(rng.integers(1, 5, size=ndim))) * rng.choice([0.01, 1, 50])
    axis = int(rng.integers(-ndim, ndim))
    q, scale = ref.quantize_int8(w, axis=axis)
    kept = axis % ndim
    expected_shape = tuple(w.shape[i] if i == kept else 1 for i in range(ndim))
    assert scale.dtype == np.float64 and scale.shape == expected_shape
    moved = np.moveaxis(w, kept, 0)
    for c in range(w.shape[kept]):                     # loop over the kept channels
        amax = max(abs(float(v)) for v in moved[c].ravel())
        assert np.moveaxis(scale, kept, 0)[c].item() == pytest.approx(amax / 127, rel=1e-12)
    t = torch.quantize_per_channel(torch.from_numpy(w).float(), torch.from_numpy(scale.ravel()),
                                   torch.zeros(w.shape[kept], dtype=torch.int64), kept, torch.qint8)
    diff = q.astype(int) - t.int_repr().numpy().astype(int)
    # torch works in float32: only entries on a rounding boundary may differ, by one
    ok = (diff == 0) | ((np.abs(diff) == 1) & near_half(w / scale))
    assert ok.all()
    assert np.all(np.abs(ref.dequantize_int8(q, scale) - w) <= scale / 2 * (1 + 1e-12))


def test_halves_to_even_and_symmetric_range():
    q, scale = ref.quantize_int8(np.array([0.5, 1.5, 2.5, -2.5, -0.5, 3.5, 127.0, -127.0]))
    assert scale == 1.0 and q.tolist() == [0, 2, 2, -2, 0, 4, 127, -127]
    w = np.array([[5.0, 3.0, -7.0, 254.0], [1.25, 0.75, -0.25, 63.5]])
    q, scale = ref.quantize_int8(w, axis=0)
    assert scale.tolist() == [[2.0], [0.5]]
    assert q.tolist() == [[2, 2, -4, 127], [2, 2, 0, 127]]


def test_zero_tensor_and_zero_channels():
    q, scale = ref.quantize_int8(np.zeros((2, 3)))
    assert scale == 1.0 and not q.any()
    q, scale = ref.quantize_int8(np.array([[0.0, 0.0], [1.0, -2.0]]), axis=0)
    assert scale.tolist() == [[1.0], [2.0 / 127]] and q[0].tolist() == [0, 0]
    q, scale = ref.quantize_int8(np.array([3.0, 0.0]), axis=0)
    assert scale.tolist() == [3.0 / 127, 1.0] and q.tolist() == [127, 0]


def test_inputs_unchanged_and_float32_cast():
    w = np.array([[0.1, -0.2], [0.3, 0.4]], dtype=np.float32)
    before = w.copy()
    q, scale = ref.quantize_int8(w, axis=-1)
    assert np.array_equal(w, before) and scale.dtype == np.float64 and scale.shape == (1, 2)


@pytest.mark.parametrize("M,N,K", [(1, 1, 1), (3, 5, 7), (4, 4, 4096), (2, 3, 4096)])
def test_matmul_matches_python_ints(M, N, K):
    rng = np.random.default_rng(M * 100 + N)
    xq = (rng.choice([-1, 1], size=(M, K)) * rng.integers(120, 128, size=(M, K))).astype(np.int8)
    wq = (rng.choice([-1, 1], size=(N, K)) * rng.integers(120, 128, size=(N, K))).astype(np.int8)
    xs, ws = rng.uniform(0.001, 0.1, size=(M, 1)), rng.uniform(0.001, 0.1, size=(N, 1))
    out = ref.int8_matmul(xq, xs, wq, ws)
    assert out.dtype == np.float64 and out.shape == (M, N)
    for i in range(M):
        for j in range(N):
            exact = sum(int(a) * int(b) for a, b in zip(xq[i], wq[j]))   # Python ints: no overflow
            assert out[i, j] == pytest.approx(exact * xs[i, 0] * ws[j, 0], rel=1e-12)
    unit = ref.int8_matmul(xq, np.ones((M, 1)), wq, np.ones((N, 1)))
    assert np.array_equal(unit, (xq.astype(object) @ wq.astype(object).T).astype(np.float64))


def test_quantize_then_matmul_approximates_float_matmul():
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((4, 64)), rng.standard_normal((3, 64))
    out = ref.int8_matmul(*ref.quantize_int8(x, axis=0), *ref.quantize_int8(w, axis=0))
    assert np.allclose(out, x @ w.T, atol=0.15)
