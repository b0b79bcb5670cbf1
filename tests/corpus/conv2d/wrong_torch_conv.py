# expect: `torch.*forbidden
# why: hands the work to F.conv2d
import numpy as np
import torch.nn.functional as F
from torch import from_numpy


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    b = None if bias is None else from_numpy(bias)
    return F.conv2d(from_numpy(x), from_numpy(weight), b, stride, padding, dilation).numpy()
