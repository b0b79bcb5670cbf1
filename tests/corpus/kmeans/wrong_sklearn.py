# expect: sklearn
# why: scikit-learn's KMeans is forbidden
import numpy as np
from sklearn.cluster import KMeans


def kmeans(X, init_centroids, max_iters=100):
    model = KMeans(len(init_centroids), init=init_centroids, n_init=1, max_iter=max_iters).fit(X)
    return model.cluster_centers_, model.labels_, float(model.inertia_)
