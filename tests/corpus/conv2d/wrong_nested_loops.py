# expect: too slow: 151 M multiply-adds in Python loops took more than 10 s
# why: classic: seven nested Python loops down to single multiply-adds (right values, far too slow)
import numpy as np


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    N, C, H, W = x.shape
    F, C2, KH, KW = weight.shape
    if C != C2:
        raise ValueError("channel mismatch")
    Ho = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1
    Wo = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1
    if Ho < 1 or Wo < 1:
        raise ValueError("output too small")
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))).tolist()
    wl = weight.tolist()
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    acc = 0.0 if bias is None else float(bias[f])
                    for c in range(C):
                        for a in range(KH):
                            for b in range(KW):
                                acc += wl[f][c][a][b] * xp[n][c][i * sh + a * dh][j * sw + b * dw]
                    out[n, f, i, j] = acc
    return out
