import numpy as np


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True) -> tuple[np.ndarray, float]:
    """Least squares with an optional ridge penalty on w (never on b).

    Minimises ||X w + b - y||^2 + l2 * ||w||^2. With l2 = 0 and several minimisers, returns
    the w of smallest norm (numerical rank as np.linalg.lstsq's default).
    """
    if l2 < 0:
        raise ValueError(f"l2 must be >= 0, got {l2}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    d = X.shape[1]
    if fit_intercept:
        # For any w the best b is mean(y) - mean(X) @ w; substituting it leaves a problem in w
        # alone on the centred data, so b is never penalised and never part of the norm.
        x_mean, y_mean = X.mean(axis=0), y.mean()
        Xc, yc = X - x_mean, y - y_mean
    else:
        Xc, yc = X, y
    if l2 > 0:
        # Ridge = ordinary least squares on X stacked on sqrt(l2) I (and y on zeros): solved by
        # lstsq, never through X^T X, so the conditioning of X is not squared.
        Xc = np.vstack([Xc, np.sqrt(l2) * np.eye(d)])
        yc = np.concatenate([yc, np.zeros(d)])
    w = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    b = float(y_mean - x_mean @ w) if fit_intercept else 0.0
    return w, b
