# expect: torch.*forbidden
# why: lets torch autograd do the work (torch is forbidden), imported under aliases
import numpy as np
import torch.nn.functional as tf
from torch import tensor as T


def softmax_cross_entropy(logits, labels):
    z = T(logits, requires_grad=True)
    loss = tf.cross_entropy(z, T(np.asarray(labels)).long())
    loss.backward()
    return loss.item(), z.grad.numpy()
