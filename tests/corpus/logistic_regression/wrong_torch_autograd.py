# expect: torch.*forbidden|forbidden.*torch
# why: lets torch autograd compute the gradient; the kata is numpy only
import numpy as np
import torch as T


def predict_proba(X, w, b):
    z = T.from_numpy(np.asarray(X, dtype=np.float64) @ w + b)
    return T.sigmoid(z).numpy()


def fit_logistic_regression(X, y, lr=0.1, epochs=100, l2=0.0):
    Xt = T.tensor(X, dtype=T.float64)
    yt = T.tensor(y, dtype=T.float64)
    w = T.zeros(Xt.shape[1], dtype=T.float64, requires_grad=True)
    b = T.zeros((), dtype=T.float64, requires_grad=True)
    for _ in range(epochs):
        loss = T.nn.functional.binary_cross_entropy_with_logits(Xt @ w + b, yt) + 0.5 * l2 * (w * w).sum()
        gw, gb = T.autograd.grad(loss, (w, b))
        with T.no_grad():
            w -= lr * gw
            b -= lr * gb
    return w.detach().numpy(), float(b)
