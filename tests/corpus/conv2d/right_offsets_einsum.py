# why: a loop over the kernel offsets only, each tap an einsum over channels (the rest vectorised)
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    as_pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    sh, sw = as_pair(stride)
    ph, pw = as_pair(padding)
    dh, dw = as_pair(dilation)
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    N, C, H, W = x.shape
    F, _, KH, KW = weight.shape
    Ho = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if Ho <= 0 or Wo <= 0:
        raise ValueError("empty output")
    padded = np.zeros((N, C, H + 2 * ph, W + 2 * pw))
    padded[:, :, ph:ph + H, pw:pw + W] = x
    out = np.zeros((N, F, Ho, Wo))
    for a in range(KH):
        for b in range(KW):
            rows = a * dh + sh * np.arange(Ho)
            cols = b * dw + sw * np.arange(Wo)
            window = padded[:, :, rows[:, None], cols[None, :]]
            out += np.einsum("nchw,fc->nfhw", window, weight[:, :, a, b])
    if bias is not None:
        out += bias.reshape(1, F, 1, 1)
    return out
