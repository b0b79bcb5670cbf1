import numpy as np


def conv2d(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """2-D convolution as F.conv2d (groups = 1): a cross-correlation, no kernel flip.

    x (N, C, H, W), weight (F, C, kh, kw), bias (F,) or None, all float64.
    stride, padding, dilation: an int or an (h, w) tuple.
    Returns (N, F, Ho, Wo) float64. Raises ValueError for a channel mismatch or Ho < 1 or Wo < 1.
    """
    raise NotImplementedError
