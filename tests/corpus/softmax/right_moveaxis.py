# why: moves the axis last and works on 2-D rows, then moves it back
import numpy as np


def softmax(x, axis=-1):
    moved = np.moveaxis(x, axis, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    shifted = flat - flat.max(axis=1)[:, None]
    e = np.exp(shifted)
    out = (e / e.sum(axis=1)[:, None]).reshape(moved.shape)
    return np.moveaxis(out, -1, axis)
