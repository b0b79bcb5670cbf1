# why: token log-probs from F.cross_entropy(reduction="none", ignore_index=...), the loss as softplus(-h)
import torch
import torch.nn.functional as F


def sequence_log_probs(logits, labels, ignore_index=-100):
    B, T, V = logits.shape
    nll = F.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1),
                          ignore_index=ignore_index, reduction="none")
    return -nll.view(B, T - 1).sum(dim=1)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta=0.1):
    with torch.no_grad():
        ref_margin = ref_chosen_logps - ref_rejected_logps
        chosen_rewards = beta * (policy_chosen_logps - ref_chosen_logps)
        rejected_rewards = beta * (policy_rejected_logps - ref_rejected_logps)
    h = beta * (policy_chosen_logps - policy_rejected_logps - ref_margin)
    return F.softplus(-h).mean(), chosen_rewards, rejected_rewards
