# expect: expected ValueError.*returned normally
# why: classic: an empty (N, F, 0, Wo) array instead of ValueError when the kernel does not fit
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    p = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = p(stride), p(padding), p(dilation)
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channels")
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    ho = max((h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, 0)
    wo = max((w + 2 * pw - dw * (kw - 1) - 1) // sw + 1, 0)
    out = np.zeros((n, f, ho, wo))
    if ho == 0 or wo == 0:
        return out
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    for a in range(kh):
        for b in range(kw):
            sl = xp[:, :, a * dh:a * dh + sh * (ho - 1) + 1:sh, b * dw:b * dw + sw * (wo - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", sl, weight[:, :, a, b])
    return out if bias is None else out + bias[:, None, None]
