"""Reference: symmetric absmax int8 quantization (per tensor or per channel) and an int8 matmul."""
import numpy as np


def quantize_int8(w, axis=None):
    """w float32/float64, ndim >= 1 -> (q int8 of w's shape, scale).

    axis=None: one scale (a float). axis an int: the channel axis that is KEPT; one scale per
    index along it, max over every other axis, float64 array with size 1 on the other axes.
    """
    w = np.asarray(w, dtype=np.float64)                    # arithmetic in float64 (a copy for float32)
    if axis is None:
        amax = float(np.max(np.abs(w)))
        scale = amax / 127 if amax > 0 else 1.0            # an all-zero tensor: scale 1, q 0
    else:
        axis = axis % w.ndim
        others = tuple(i for i in range(w.ndim) if i != axis)
        amax = np.max(np.abs(w), axis=others, keepdims=True)
        scale = np.where(amax > 0, amax / 127, 1.0)        # zero channels: scale 1, never 0/0
    # np.rint rounds half to even; the range is symmetric [-127, 127] (no -128)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def dequantize_int8(q, scale):
    return q.astype(np.float64) * scale


def int8_matmul(xq, x_scale, wq, w_scale):
    """xq (M, K) int8, x_scale (M, 1), wq (N, K) int8, w_scale (N, 1) -> (M, N) float64."""
    # int8 products summed over K = 4096 reach ~6.6e7: accumulate in int64 (int8/int16 wrap,
    # float32 rounds above 2**24).
    acc = xq.astype(np.int64) @ wq.astype(np.int64).T     # (M, N), exact
    return acc.astype(np.float64) * x_scale * w_scale.T    # (M, 1) and (1, N) broadcast
