import numpy as np


def _pair(value):
    """An int or an (h, w) tuple, as a (h, w) tuple."""
    return (value, value) if isinstance(value, int) else (int(value[0]), int(value[1]))


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    """F.conv2d (groups = 1) in numpy: cross-correlation, x (N, C, H, W), weight (F, C, kh, kw)."""
    n, c, h, w = x.shape
    f, cw, kh, kw = weight.shape
    if c != cw:
        raise ValueError(f"x has {c} channels but weight expects {cw}")
    (sh, sw), (ph, pw), (dh, dw) = _pair(stride), _pair(padding), _pair(dilation)
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if ho < 1 or wo < 1:
        raise ValueError(f"the output would be {ho} x {wo}: the dilated kernel does not fit in the padded input")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    # im2col: cols[n, c, a, b, i, j] = xp[n, c, i*sh + a*dh, j*sw + b*dw], one strided slice per kernel offset
    cols = np.empty((n, c, kh, kw, ho, wo), dtype=np.result_type(x, weight))
    for a in range(kh):
        for b in range(kw):
            top, left = a * dh, b * dw
            cols[:, :, a, b] = xp[:, :, top:top + sh * (ho - 1) + 1:sh, left:left + sw * (wo - 1) + 1:sw]
    out = np.tensordot(cols, weight, axes=([1, 2, 3], [1, 2, 3]))  # (n, ho, wo, f): one matrix product
    out = out.transpose(0, 3, 1, 2)
    if bias is not None:
        out = out + bias[:, None, None]
    return np.ascontiguousarray(out)
