# expect: exp\(x\) overflowed or underflowed
# why: subtracts the row maximum only when float64 exp would overflow (|max| > 700), but float32 exp overflows above 88.7 and underflows below -103: float32 logits of a few hundred give inf / inf or 0 / 0
import numpy as np


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.abs(m) > 700, m, 0).astype(x.dtype)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)
