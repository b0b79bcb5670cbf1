"""Reference: summed completion log-probs and the DPO loss (Rafailov et al. 2023, TRL's sigmoid loss)."""
import torch
import torch.nn.functional as F


def sequence_log_probs(logits, labels, ignore_index=-100):
    """logits (B, T, V), labels (B, T) -> (B,): Σ_t log_softmax(logits[b, t])[labels[b, t + 1]]
    over the t whose target labels[b, t + 1] is not ignore_index (a sum, not a mean)."""
    logits = logits[:, :-1, :]                                # position t predicts token t + 1
    targets = labels[:, 1:]                                   # (B, T - 1)
    counted = targets != ignore_index
    # ignored targets may be -100: gather needs a valid index, so use a new tensor (never
    # write into labels, not even through a view)
    safe = torch.where(counted, targets, torch.zeros_like(targets))
    token_logps = torch.log_softmax(logits, dim=-1).gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    return torch.where(counted, token_logps, torch.zeros_like(token_logps)).sum(dim=-1)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta=0.1):
    """Four (B,) tensors -> (loss 0-dim, chosen_rewards (B,), rejected_rewards (B,))."""
    ref_chosen, ref_rejected = ref_chosen_logps.detach(), ref_rejected_logps.detach()  # frozen model
    chosen_ratio = policy_chosen_logps - ref_chosen
    rejected_ratio = policy_rejected_logps - ref_rejected
    h = beta * (chosen_ratio - rejected_ratio)
    # logsigmoid is exact for any h; log(sigmoid(h)) is -inf at h = -1e4
    loss = -F.logsigmoid(h).mean()
    return loss, (beta * chosen_ratio).detach(), (beta * rejected_ratio).detach()
