import numpy as np


def roc_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Area under the ROC curve; a tied (positive, negative) pair counts one half.

    y_true: (n,) 0/1 labels (1 = positive).  y_score: (n,) float scores.
    Returns: AUC as a float, computed in O(n log n).
    Raises ValueError: different lengths, or only one class present.
    """
    raise NotImplementedError
