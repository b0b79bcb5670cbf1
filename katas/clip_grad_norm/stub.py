import torch


def clip_grad_norm(parameters, max_norm: float, norm_type: float = 2.0) -> torch.Tensor:
    """Scale the gradients of ``parameters`` in place so that their joint norm is at most
    ``max_norm``, as ``torch.nn.utils.clip_grad_norm_`` (error_if_nonfinite=False).

    ``parameters``: one tensor or an iterable of tensors (a one-shot generator included);
    tensors whose ``.grad`` is None are skipped. ``norm_type``: a float >= 1 or ``inf``.
    Returns the total norm before clipping, a 0-d tensor of the grads' dtype (0 when there
    is no gradient at all).
    """
    raise NotImplementedError
