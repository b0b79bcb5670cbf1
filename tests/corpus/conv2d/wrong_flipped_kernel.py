# expect: flipped the kernel
# why: classic: the textbook convolution (kernel flipped); F.conv2d is a cross-correlation
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    p = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = p(stride), p(padding), p(dilation)
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channels")
    n, c, h, w = x.shape
    f, _, kh, kw = weight.shape
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        raise ValueError("too small")
    k = weight[:, :, ::-1, ::-1]
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = np.zeros((n, f, ho, wo))
    for a in range(kh):
        for b in range(kw):
            sl = xp[:, :, a * dh:a * dh + sh * (ho - 1) + 1:sh, b * dw:b * dw + sw * (wo - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", sl, k[:, :, a, b])
    return out if bias is None else out + bias[:, None, None]
