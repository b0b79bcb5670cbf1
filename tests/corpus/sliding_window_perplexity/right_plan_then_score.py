# why: first plans which window scores which token, then scores token by token; returns a tensor
import torch


def sliding_window_perplexity(model, input_ids, max_length, stride):
    if not (1 <= stride <= max_length):
        raise ValueError("stride out of range")
    n = input_ids.shape[-1]
    plan = []                       # (begin, end, [positions])
    done = set()
    b = 0
    while True:
        e = min(b + max_length, n)
        todo = [p for p in range(b + 1, e) if p not in done]
        done.update(todo)
        if todo:
            plan.append((b, e, todo))
        if e == n:
            break
        b += stride
    total = torch.zeros((), dtype=torch.float64)
    count = 0
    for b, e, todo in plan:
        logits = model(input_ids[:, b:e])[0].to(torch.float64)
        for p in todo:
            row = logits[p - b - 1]
            total += torch.logsumexp(row, 0) - row[input_ids[0, p]]
            count += 1
    return torch.exp(total / count)
