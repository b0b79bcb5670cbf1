import numpy as np

# Tolerance for "sums to 1": far above float rounding of a normalised vector (~1e-16 * C)
# and far below the 1e-3 the statement promises to reject.
_SUM_TOL = 1e-6


def kl_divergence(p: np.ndarray, q: np.ndarray, eps: float = 1e-10):
    """KL(p || q) over the last axis.

    p, q: float64 arrays of the same shape (..., C); each last-axis slice is a distribution.
    Terms with p_i == 0 add 0; q is clipped below at eps.
    Returns: a float for 1-D input, else an array of shape p.shape[:-1].
    Raises ValueError: different shapes, negative entries, or a distribution not summing to 1.
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError(f"p and q must have the same shape, got {p.shape} and {q.shape}")
    if p.ndim < 1:
        raise ValueError("p and q must have at least one dimension")
    for name, d in (("p", p), ("q", q)):
        if np.any(d < 0):
            raise ValueError(f"{name} has negative entries")
        # One sum per distribution (last axis), not one sum over the whole batch.
        if np.any(np.abs(d.sum(axis=-1) - 1.0) > _SUM_TOL):
            raise ValueError(f"every distribution in {name} must sum to 1")

    q = np.maximum(q, eps)  # new array; the caller's q is untouched
    positive = p > 0
    # 0 * log(0 / q) is 0 by convention; give log a harmless argument where p == 0 so
    # that numpy never evaluates 0 * -inf (= nan).
    safe_p = np.where(positive, p, 1.0)
    terms = np.where(positive, p * (np.log(safe_p) - np.log(q)), 0.0)
    kl = terms.sum(axis=-1)
    return float(kl) if p.ndim == 1 else kl
