import torch

from harness.engine import Case, Grader, close
from harness.engine import torchkit as tk

grader = Grader(["group_advantages", "grpo_loss"])
f64 = torch.float64
advantages_close = close(kind="tensor")
loss_and_grad = dict(call=tk.value_and_grads("grpo_loss", wrt=[0]),
                     compare=tk.close_with_grads({0: "`logps`"}), entry="grpo_loss")




# ------------------------------------------------------------------ group_advantages
@grader.cases("group_advantages: (r - group mean) / (group std + eps) per consecutive group, std unbiased "
              "like torch.std", compare=advantages_close, entry="group_advantages")
def advantages(rng):
    gen = tk.generator(rng)
    yield Case(torch.tensor([1.0, 0.0], dtype=f64), 2)
    yield Case(torch.tensor([1.0, 0.0, 0.0, 3.0, 1.0, 2.0], dtype=f64), 3)
    for groups, size in ((1, 4), (3, 2), (2, 5), (4, 8)):
        yield Case(torch.randn(groups * size, generator=gen, dtype=f64) * 2 + 1, size)
        yield Case(torch.randint(0, 2, (groups * size,), generator=gen).to(f64), size).named("0/1 rewards")
    yield Case(torch.randn(12, generator=gen, dtype=f64), 4, eps=0.5).named("eps = 0.5")


grader.cases("group_advantages: a group whose rewards are all equal gets advantages 0 (finite)", [
    Case(torch.tensor([1.0, 1.0], dtype=f64), 2),
    Case(torch.tensor([0.5, 0.5, 0.5, 1.0, 0.0, 1.0], dtype=f64), 3),
    Case(torch.tensor([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0], dtype=f64), 4),
], compare=advantages_close, entry="group_advantages")


# ------------------------------------------------------------------ grpo_loss
def loss_case(gen, B, T, *, far=False, beta=0.04, epsilon=0.2, lengths=None, float_mask=False):
    logps = -torch.rand(B, T, generator=gen, dtype=f64) * 3 - 0.05
    if far:   # ratios e^±(1..2): far outside [1 - eps, 1 + eps] on both sides
        sign = torch.randint(0, 2, (B, T), generator=gen).to(f64) * 2 - 1
        shift = sign * (1 + torch.rand(B, T, generator=gen, dtype=f64))
    else:     # ratios within e^±0.08, inside the clip range
        shift = (torch.rand(B, T, generator=gen, dtype=f64) - 0.5) * 0.16
    old = logps - shift
    ref = logps + torch.randn(B, T, generator=gen, dtype=f64) * 0.3
    adv = torch.randn(B, generator=gen, dtype=f64)
    lengths = [T] * B if lengths is None else lengths
    mask = torch.arange(T)[None, :] < torch.tensor(lengths)[:, None]
    if float_mask:
        mask = mask.to(f64)
    return Case(logps, old, ref, adv, mask, epsilon=epsilon, beta=beta)


@grader.cases("grpo_loss, beta = 0, ratios inside the clip range: value and gradient of -min(ratio·A, "
              "clip(ratio)·A)", **loss_and_grad)
def surrogate(rng):
    gen = tk.generator(rng)
    for B, T in ((1, 1), (2, 3), (4, 5), (6, 8)):
        yield loss_case(gen, B, T, beta=0.0)


@grader.cases("grpo_loss, beta > 0: plus beta · KL with KL = exp(ref - logps) - (ref - logps) - 1 (k3)",
              **loss_and_grad)
def with_kl(rng):
    gen = tk.generator(rng)
    for B, T, beta in ((1, 2, 0.04), (2, 3, 0.04), (4, 6, 0.1), (6, 8, 0.5)):
        yield loss_case(gen, B, T, beta=beta)


@grader.cases("grpo_loss, ratios far outside [1 - ε, 1 + ε]: the min keeps the clipped term (zero gradient) "
              "only where it is the smaller one", **loss_and_grad)
def far_ratios(rng):
    gen = tk.generator(rng)
    for B, T, eps, beta in ((1, 4, 0.2, 0.0), (2, 4, 0.2, 0.04), (4, 6, 0.1, 0.04), (6, 8, 0.3, 0.0)):
        yield loss_case(gen, B, T, far=True, epsilon=eps, beta=beta)


@grader.cases("grpo_loss, padded rows of different lengths: masked mean per sequence, then mean over "
              "sequences (bool and 0/1 float masks)", **loss_and_grad)
def padded(rng):
    gen = tk.generator(rng)
    yield loss_case(gen, 2, 3, lengths=[3, 1])
    yield loss_case(gen, 2, 4, lengths=[2, 4], float_mask=True)
    yield loss_case(gen, 4, 6, lengths=[6, 1, 3, 5], far=True)
    yield loss_case(gen, 6, 8, lengths=[8, 2, 7, 1, 4, 8], far=True, float_mask=True, beta=0.1)

def padding_leak(case, got):
    """A nan from a padded slot: exp overflowed there, and the mask multiplied (or where) came too late."""
    value, grads = got.value, got.grads.get(0)
    nan_value = isinstance(value, torch.Tensor) and bool(torch.isnan(value).any())
    nan_grad = isinstance(grads, torch.Tensor) and bool(torch.isnan(grads).any())
    if nan_value or nan_grad:
        return (f"the {'loss' if nan_value else 'gradient w.r.t. `logps`'} is nan: a padded slot's exp "
                "overflowed (inf · 0 = nan); drop padded slots' log-ratios (torch.where) before exponentiating")
    return None


@grader.cases("grpo_loss, padded positions holding any finite values (old_logps = -1e4, ref_logps = 3e4, "
              "logps = 1e4): neither the loss nor its gradient changes", **loss_and_grad, explain=padding_leak)
def wild_padding(rng):
    # exp(logps - old_logps) of a padded slot overflows to inf, and inf * 0 is nan: padded slots
    # must be left out before exponentiating (the value) and before any exp on the gradient's path.
    gen = tk.generator(rng)
    fills = ((-1e4, None, None), (None, None, 3e4), (1e4, 1e4, None), (-1e4, -1e4, 3e4))
    shapes = ((2, 3, [3, 1], False), (3, 5, [5, 2, 4], True), (4, 6, [6, 1, 3, 5], False), (2, 4, [2, 4], True))
    for (old_fill, lp_fill, ref_fill), (B, T, lengths, float_mask) in zip(fills, shapes):
        case = loss_case(gen, B, T, far=True, lengths=lengths, float_mask=float_mask)
        logps, old, ref, adv, mask = case.args
        pad = ~mask.bool()
        for tensor, fill in ((old, old_fill), (logps, lp_fill), (ref, ref_fill)):
            if fill is not None:
                tensor[pad] = fill
        yield case


grader.speed(lambda rng: loss_case(tk.generator(rng), 64, 512, far=True), entry="grpo_loss",
             label="a (64, 512) batch of completions")
