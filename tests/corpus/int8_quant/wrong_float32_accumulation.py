# expect: float32
# why: accumulates in float32, which rounds sums above 2**24
import numpy as np


def quantize_int8(w, axis=None):
    x = w.astype(np.float64)
    if axis is None:
        reduce_over = None
    else:
        keep = axis % x.ndim
        reduce_over = tuple(d for d in range(x.ndim) if d != keep)
    amax = np.abs(x).max(axis=reduce_over, keepdims=axis is not None)
    scale = np.where(amax == 0, 1.0, amax / 127)
    q = np.rint(x / scale)
    q = np.minimum(np.maximum(q, -127), 127).astype(np.int8)
    return q, (np.asarray(scale, dtype=np.float64) if axis is None else scale)


def dequantize_int8(q, scale):
    return q.astype(np.float64) * np.asarray(scale, dtype=np.float64)


def int8_matmul(xq, x_scale, wq, w_scale):
    acc = np.matmul(xq.astype(np.float32), wq.T.astype(np.float32))
    return acc * x_scale * w_scale.reshape(1, -1)
