# expect: sklearn
# why: scikit-learn's PCA is forbidden
import numpy as np
from sklearn.decomposition import PCA


def pca(X, k):
    model = PCA(n_components=k).fit(X)
    return model.components_, model.explained_variance_, model.transform(X)
