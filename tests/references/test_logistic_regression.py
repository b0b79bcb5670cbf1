"""The logistic_regression reference against the contract's loop with torch autograd gradients
(binary_cross_entropy_with_logits + (l2/2)·‖w‖²) and torch.sigmoid at extreme logits."""
import numpy as np
import pytest
import torch

from tests.helpers import load_solution

ref = load_solution("logistic_regression")


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny tensors: extra threads only contend (10x slower on a busy machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def autograd_fit(X, y, lr, epochs, l2):
    Xt, yt = torch.from_numpy(X), torch.as_tensor(y, dtype=torch.float64)
    w = torch.zeros(X.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    for _ in range(epochs):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(Xt @ w + b, yt) + 0.5 * l2 * (w @ w)
        gw, gb = torch.autograd.grad(loss, (w, b))
        with torch.no_grad():
            w -= lr * gw
            b -= lr * gb
    return w.detach().numpy(), b.item()


def data(seed, n, d, scale=1.0, ints=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(scale=scale, size=(n, d)) + rng.normal(scale=scale / 2, size=d)
    y = (rng.random(n) < 0.5).astype(np.int64 if ints else np.float64)
    return X, y


@pytest.mark.parametrize("epochs", [0, 1, 2, 10, 100])
@pytest.mark.parametrize("l2", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("d,lr,ints", [(1, 0.01, False), (3, 0.3, True), (5, 1.0, False)])
def test_training_matches_autograd(epochs, l2, d, lr, ints):
    X, y = data(epochs + d, 30, d, ints=ints)
    X0, y0 = X.copy(), y.copy()
    w, b = ref.fit_logistic_regression(X, y, lr, epochs, l2)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert w.dtype == np.float64 and w.shape == (d,) and type(b) is float
    want_w, want_b = autograd_fit(X, y, lr, epochs, l2)
    np.testing.assert_allclose(w, want_w, rtol=1e-6, atol=1e-9)
    assert b == pytest.approx(want_b, rel=1e-6, abs=1e-9)
    if epochs == 0:
        assert np.array_equal(w, np.zeros(d)) and b == 0.0


@pytest.mark.parametrize("epochs", [2, 10, 100])
def test_large_features_lr_1_matches_autograd(epochs):
    X, y = data(7, 20, 3, scale=100.0)
    w, b = ref.fit_logistic_regression(X, y, 1.0, epochs, 0.0)
    assert np.abs(X @ w + b).max() > 1e3 and np.isfinite(w).all()
    want_w, want_b = autograd_fit(X, y, 1.0, epochs, 0.0)
    np.testing.assert_allclose(w, want_w, rtol=1e-6, atol=1e-9)
    assert b == pytest.approx(want_b, rel=1e-6, abs=1e-9)


def test_predict_proba_at_extreme_logits():
    z = np.array([1e4, -1e4, 1e3, -1e3, 30.0, -30.0, 0.0, 709.5, -745.0, 1e-3])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no overflow in the reference either
        p = ref.predict_proba(z[:, None], np.array([1.0]), 0.0)
    assert p.dtype == np.float64 and p.shape == z.shape
    np.testing.assert_allclose(p, torch.sigmoid(torch.from_numpy(z)).numpy(), rtol=1e-12, atol=1e-300)
    assert p[-4] == 0.5 and p[0] == 1.0 and p[1] == 0.0


def test_predict_proba_random():
    rng = np.random.default_rng(3)
    X, w = rng.normal(size=(50, 4)), rng.normal(scale=5.0, size=4)
    want = torch.sigmoid(torch.from_numpy(X @ w - 2.0)).numpy()
    np.testing.assert_allclose(ref.predict_proba(X, w, -2.0), want, rtol=1e-12, atol=0)
