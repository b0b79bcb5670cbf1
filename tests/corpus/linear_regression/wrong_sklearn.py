# expect: sklearn
# why: delegates to scikit-learn's Ridge, which the kata forbids
import numpy as np
from sklearn.linear_model import Ridge


def fit_linear_regression(X, y, l2=0.0, fit_intercept=True):
    model = Ridge(alpha=l2, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    return np.asarray(model.coef_, dtype=np.float64), float(model.intercept_)
