# expect: sklearn.*forbidden
# why: hands the work to scikit-learn (forbidden), imported lazily inside the function under an alias
import numpy as np


def roc_auc(y_true, y_score):
    from sklearn.metrics import roc_auc_score as score

    return float(score(np.asarray(y_true), np.asarray(y_score)))
