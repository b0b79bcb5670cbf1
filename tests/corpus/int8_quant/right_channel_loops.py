# why: loops over the kept channels with moveaxis, multiplies by 127 / amax instead of dividing by the scale, np.round, float64 matmul (exact here) via einsum
import numpy as np


def quantize_int8(w, axis=None):
    w = np.array(w, dtype=np.float64)
    if axis is None:
        m = np.abs(w).max()
        if m == 0:
            return np.zeros(w.shape, dtype=np.int8), 1.0
        q = np.round(w * (127.0 / m))
        return np.clip(q, -127, 127).astype(np.int8), m / 127.0
    ax = axis if axis >= 0 else axis + w.ndim
    moved = np.moveaxis(w, ax, 0)
    scales = np.ones(moved.shape[0])
    q = np.zeros(moved.shape, dtype=np.int8)
    for c in range(moved.shape[0]):
        m = np.abs(moved[c]).max()
        if m > 0:
            scales[c] = m / 127.0
            q[c] = np.clip(np.round(moved[c] * (127.0 / m)), -127, 127).astype(np.int8)
    shape = [1] * w.ndim
    shape[ax] = w.shape[ax]
    return np.moveaxis(q, 0, ax), scales.reshape(shape)


def dequantize_int8(q, scale):
    return np.multiply(q, scale, dtype=np.float64)


def int8_matmul(xq, x_scale, wq, w_scale):
    acc = np.einsum("mk,nk->mn", xq.astype(np.float64), wq.astype(np.float64))
    return acc * (x_scale @ w_scale.T)
