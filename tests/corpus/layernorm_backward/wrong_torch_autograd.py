# expect: torch.*forbidden
# why: lets torch autograd do the backward
import numpy as np
import torch


def layernorm_forward(x, gamma, beta, eps=1e-5):
    xt = torch.tensor(x, requires_grad=True)
    gt = torch.tensor(gamma, requires_grad=True)
    bt = torch.tensor(beta, requires_grad=True)
    y = torch.nn.functional.layer_norm(xt, (x.shape[-1],), gt, bt, eps)
    return y.detach().numpy(), (xt, gt, bt, y)


def layernorm_backward(dy, cache):
    xt, gt, bt, y = cache
    dx, dg, db = torch.autograd.grad(y, (xt, gt, bt), torch.tensor(dy), retain_graph=True)
    return dx.numpy(), dg.numpy(), db.numpy()
