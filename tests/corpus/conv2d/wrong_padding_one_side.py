# expect: padding is applied on one side only
# why: classic: zeros added at the top and left only, the output size taken from that padded array
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    p = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = p(stride), p(padding), p(dilation)
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channels")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, 0), (pw, 0)))
    n, c, h, w = xp.shape
    f, _, kh, kw = weight.shape
    ho = (h - dh * (kh - 1) - 1) // sh + 1
    wo = (w - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        raise ValueError("too small")
    out = np.zeros((n, f, ho, wo))
    for a in range(kh):
        for b in range(kw):
            sl = xp[:, :, a * dh:a * dh + sh * (ho - 1) + 1:sh, b * dw:b * dw + sw * (wo - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", sl, weight[:, :, a, b])
    return out if bias is None else out + bias[:, None, None]
