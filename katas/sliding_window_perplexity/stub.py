import math

import torch
import torch.nn.functional as F


def sliding_window_perplexity(model, input_ids, max_length, stride) -> float:
    """Token-weighted perplexity of a long text under a model with a bounded context.

    model: callable, model(ids (1, L)) -> logits (1, L, V) for 1 <= L <= max_length;
        it raises ValueError for longer inputs.
    input_ids: (1, N) integer tensor, N >= 2.
    max_length: the model's context size (>= 2).  stride: step between window starts.
    Returns: exp(total NLL / number of scored tokens) as a float.
    Raises ValueError: stride outside [1, max_length].
    """
    raise NotImplementedError
