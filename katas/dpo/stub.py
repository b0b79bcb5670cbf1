import torch
import torch.nn.functional as F


def sequence_log_probs(logits, labels, ignore_index=-100):
    """Summed log-probability of each row's labels under the logits.

    logits: (B, T, V) float; labels: (B, T) int64, ids in [0, V) or ignore_index.
    Position t of the logits scores the NEXT label, labels[:, t + 1].
    Returns (B,) in the logits' dtype, differentiable w.r.t. logits (a row with no counted
    token gives 0). Do not modify labels.
    """
    raise NotImplementedError


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta=0.1):
    """DPO (sigmoid) loss from four (B,) tensors of summed log-probs.

    Returns (loss, chosen_rewards, rejected_rewards): loss a 0-dim tensor (mean over the
    batch), the rewards (B,) and detached. The reference log-probs are constants.
    """
    raise NotImplementedError
