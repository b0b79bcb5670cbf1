# why: explicit loops over rows and tokens with logsumexp, loss as logaddexp(0, -h)
import torch


def sequence_log_probs(logits, labels, ignore_index=-100):
    rows = []
    for b in range(logits.shape[0]):
        total = logits.new_zeros(())
        for t in range(logits.shape[1] - 1):
            target = int(labels[b, t + 1])
            if target == ignore_index:
                continue
            total = total + logits[b, t, target] - torch.logsumexp(logits[b, t], dim=0)
        rows.append(total)
    return torch.stack(rows)


def dpo_loss(policy_chosen_logps, policy_rejected_logps, ref_chosen_logps, ref_rejected_logps, beta=0.1):
    chosen = policy_chosen_logps - ref_chosen_logps.detach()
    rejected = policy_rejected_logps - ref_rejected_logps.detach()
    h = beta * (chosen - rejected)
    loss = torch.logaddexp(torch.zeros_like(h), -h).sum() / h.numel()
    return loss, beta * chosen.detach(), beta * rejected.detach()
