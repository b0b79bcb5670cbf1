"""The TwoLayerNet reference against torch autograd (forward, loss, gradients, training)."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.helpers import load_solution

ref = load_solution("two_layer_net")

NAMES = ("W1", "b1", "W2", "b2")


def _weights(rng, n_in, h, out, scale=0.8):
    return {"W1": rng.normal(scale=scale, size=(n_in, h)), "b1": rng.normal(scale=0.3, size=(1, h)),
            "W2": rng.normal(scale=scale, size=(h, out)), "b2": rng.normal(scale=0.3, size=(1, out))}


def _net(weights):
    n_in, h = weights["W1"].shape
    out = weights["W2"].shape[1]
    net = ref.TwoLayerNet(n_in, h, out, seed=123)
    for k in NAMES:
        setattr(net, k, weights[k].copy())
    return net


def _torch_all(weights, X, y):
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in weights.items()}
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    z2 = torch.sigmoid(Xt @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]
    a2 = torch.sigmoid(z2)
    loss = F.binary_cross_entropy(a2, yt)  # mean over every entry
    loss.backward()
    return a2.detach().numpy(), loss.item(), {k: t[k].grad.numpy() for k in NAMES}


def test_init_shapes_and_seed():
    net = ref.TwoLayerNet(3, 5, 2, seed=7)
    shapes = {"W1": (3, 5), "b1": (1, 5), "W2": (5, 2), "b2": (1, 2)}
    for k, s in shapes.items():
        a = getattr(net, k)
        assert a.shape == s and a.dtype == np.float64
    assert np.any(net.W1 != 0) and np.any(net.W2 != 0)
    np.testing.assert_array_equal(net.b1, 0)
    np.testing.assert_array_equal(net.b2, 0)
    np.testing.assert_array_equal(ref.TwoLayerNet(3, 5, 2, seed=7).W1, net.W1)
    assert not np.array_equal(ref.TwoLayerNet(3, 5, 2, seed=8).W1, net.W1)


@pytest.mark.parametrize("m,n_in,h,out", [(1, 2, 3, 1), (4, 2, 2, 1), (16, 3, 5, 2), (32, 6, 4, 7), (10, 1, 8, 3)])
def test_forward_loss_gradients_against_autograd(m, n_in, h, out):
    rng = np.random.default_rng(m * 1000 + n_in * 100 + h * 10 + out)
    w = _weights(rng, n_in, h, out)
    X = rng.normal(size=(m, n_in))
    y = (rng.random((m, out)) < 0.5).astype(np.float64)
    X0, y0 = X.copy(), y.copy()
    net = _net(w)
    a2, loss, grads = _torch_all(w, X, y)
    np.testing.assert_allclose(net.forward(X), a2, rtol=1e-12, atol=1e-14)
    assert isinstance(net.loss(X, y), float)
    np.testing.assert_allclose(net.loss(X, y), loss, rtol=1e-12, atol=1e-14)
    g = net.gradients(X, y)
    assert set(g) == set(NAMES)
    for k in NAMES:
        assert g[k].shape == w[k].shape
        np.testing.assert_allclose(g[k], grads[k], rtol=1e-10, atol=1e-14)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)


def test_soft_targets_against_autograd():
    rng = np.random.default_rng(42)
    w = _weights(rng, 4, 3, 2)
    X = rng.normal(size=(9, 4))
    y = rng.random((9, 2))
    a2, loss, grads = _torch_all(w, X, y)
    net = _net(w)
    np.testing.assert_allclose(net.loss(X, y), loss, rtol=1e-12)
    g = net.gradients(X, y)
    for k in NAMES:
        np.testing.assert_allclose(g[k], grads[k], rtol=1e-10, atol=1e-14)


def test_train_matches_torch_sgd():
    rng = np.random.default_rng(3)
    w = _weights(rng, 3, 5, 2)
    X = rng.normal(size=(12, 3))
    y = (rng.random((12, 2)) < 0.5).astype(np.float64)
    net = _net(w)
    hist = net.train(X, y, epochs=25, lr=0.7)
    assert len(hist) == 25 and all(isinstance(v, float) for v in hist)

    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in w.items()}
    opt = torch.optim.SGD(list(t.values()), lr=0.7)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    t_hist = []
    for _ in range(25):
        opt.zero_grad()
        loss = F.binary_cross_entropy(torch.sigmoid(torch.sigmoid(Xt @ t["W1"] + t["b1"]) @ t["W2"] + t["b2"]), yt)
        t_hist.append(loss.item())
        loss.backward()
        opt.step()
    np.testing.assert_allclose(hist, t_hist, rtol=1e-10)
    for k in NAMES:
        np.testing.assert_allclose(getattr(net, k), t[k].detach().numpy(), rtol=1e-10, atol=1e-13)


def test_xor_learned_from_statement_init():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    w = {"W1": np.array([[1.0, -1.0], [1.0, -1.0]]), "b1": np.array([[-0.5, 1.5]]),
         "W2": np.array([[1.0], [1.0]]), "b2": np.array([[-1.5]])}
    net = _net(w)
    np.testing.assert_allclose(net.forward(X).ravel(), [0.4244, 0.4366, 0.4366, 0.4244], atol=5e-5)
    _, loss, grads = _torch_all(w, X, y)
    assert round(net.loss(X, y), 6) == round(loss, 6) == 0.690539
    np.testing.assert_allclose(net.gradients(X, y)["b2"], [[-0.0695]], atol=5e-5)
    hist = net.train(X, y, epochs=3000, lr=2.0)
    assert len(hist) == 3000
    np.testing.assert_allclose(hist[:2], [0.690539, 0.677646], atol=5e-7)
    assert hist[-1] < 0.01
    np.testing.assert_array_equal(np.round(net.forward(X)).ravel(), [0, 1, 1, 0])


def test_gradient_check_finite_differences():
    rng = np.random.default_rng(0)
    w = _weights(rng, 3, 4, 3)
    X = rng.normal(size=(5, 3))
    y = (rng.random((5, 3)) < 0.5).astype(np.float64)
    net = _net(w)
    g = net.gradients(X, y)
    h = 1e-6
    for k in NAMES:
        arr = getattr(net, k)
        for idx in np.ndindex(*arr.shape):
            old = arr[idx]
            arr[idx] = old + h
            lp = net.loss(X, y)
            arr[idx] = old - h
            lm = net.loss(X, y)
            arr[idx] = old
            assert abs((lp - lm) / (2 * h) - g[k][idx]) < 1e-8
