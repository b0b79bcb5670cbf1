# why: a loop over output pixels, each a tensordot over (C, kh, kw) for every sample and filter at once
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    def hw(v):
        return (v, v) if isinstance(v, int) else v

    stride, padding, dilation = hw(stride), hw(padding), hw(dilation)
    n, c, h, w = x.shape
    f, c2, kh, kw = weight.shape
    if c != c2:
        raise ValueError("x and weight disagree on the number of channels")
    out_h = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    out_w = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    if out_h < 1 or out_w < 1:
        raise ValueError("output would be empty")
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    y = np.empty((n, f, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, s = i * stride[0], j * stride[1]
            patch = xp[:, :, r:r + dilation[0] * (kh - 1) + 1:dilation[0], s:s + dilation[1] * (kw - 1) + 1:dilation[1]]
            y[:, :, i, j] = np.tensordot(patch, weight, axes=([1, 2, 3], [1, 2, 3]))
    if bias is not None:
        y += bias[:, None, None]
    return y
