import numpy as np


def quantize_int8(w, axis=None):
    """Symmetric absmax int8 quantization; arithmetic in float64.

    w: float32 or float64 array, ndim >= 1 (not modified).
    axis=None: one scale for the whole tensor, returned as a float.
    axis=int (negative allowed): the channel axis that is KEPT: one scale per index along it,
        a float64 array of w's ndim with size 1 on every other axis.
    Returns (q, scale): q int8 of w's shape in [-127, 127]; an all-zero tensor/slice gets scale 1.0.
    """
    raise NotImplementedError


def dequantize_int8(q, scale):
    """q * scale (broadcast), float64."""
    raise NotImplementedError


def int8_matmul(xq, x_scale, wq, w_scale):
    """xq (M, K) int8, x_scale (M, 1), wq (N, K) int8, w_scale (N, 1) -> (M, N) float64.

    out[i, j] = (sum_k xq[i, k] * wq[j, k]) * x_scale[i, 0] * w_scale[j, 0], sums exact.
    """
    raise NotImplementedError
