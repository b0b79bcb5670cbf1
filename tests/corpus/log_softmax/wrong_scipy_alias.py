# expect: scipy\.special.* is forbidden
# why: calls the forbidden scipy.special.log_softmax behind an alias
from scipy import special as sp


def log_softmax(x, axis=-1):
    return sp.log_softmax(x, axis=axis)
