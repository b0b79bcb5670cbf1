# expect: scipy.signal.*forbidden
# why: scipy.signal.correlate behind an alias does the sliding sums
import numpy as np
from scipy import signal as sg


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if isinstance(stride, int):
        stride = (stride, stride)
    if isinstance(padding, int):
        padding = (padding, padding)
    if isinstance(dilation, int):
        dilation = (dilation, dilation)
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channels")
    k = np.zeros(weight.shape[:2] + ((weight.shape[2] - 1) * dilation[0] + 1, (weight.shape[3] - 1) * dilation[1] + 1))
    k[:, :, ::dilation[0], ::dilation[1]] = weight
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    if xp.shape[2] < k.shape[2] or xp.shape[3] < k.shape[3]:
        raise ValueError("kernel too large")
    out = np.stack([np.stack([sg.correlate(xp[n], k[f], mode="valid")[0] for f in range(k.shape[0])])
                    for n in range(x.shape[0])])
    out = out[:, :, ::stride[0], ::stride[1]]
    return out if bias is None else out + bias[:, None, None]
