# expect: forbidden.*scipy\.special
# why: hands the work to scipy behind an alias
from scipy import special as sp


def softmax(x, axis=-1):
    return sp.softmax(x, axis=axis)
