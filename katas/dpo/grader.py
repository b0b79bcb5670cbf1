import torch
import torch.nn.functional as F

from harness.engine import Case, Fail, Grader, close
from harness.engine import torchkit as tk
from harness.engine.compare import array_diff, first_match
from harness.engine.exact import assert_detached
from harness.engine.show import type_name

grader = Grader(["sequence_log_probs", "dpo_loss"], forbidden=["trl"])
f64 = torch.float64
POLICY = ("policy_chosen_logps", "policy_rejected_logps")
REFERENCE = ("ref_chosen_logps", "ref_rejected_logps")


# ------------------------------------------------------------------ sequence_log_probs
def batch(gen, rows, T, V, ignore=-100, dtype=f64, mid=0):
    """Logits (B, T, V) and labels (B, T); row b = (prompt, n): labels[b, :prompt] (the prompt)
    and labels[b, n:] (padding) are ignore; ``mid`` more ignored labels inside each row.
    Real labels avoid the ignore id, so ignore_index=0 doubles as a pad id."""
    logits = (torch.randn(len(rows), T, V, generator=gen, dtype=f64) * 2).to(dtype)
    labels = torch.randint(0, V, (len(rows), T), generator=gen)
    if 0 <= ignore < V:
        labels[labels == ignore] = (ignore + 1) % V
    for b, (prompt, n) in enumerate(rows):
        labels[b, :prompt] = ignore
        labels[b, n:] = ignore
        for t in torch.randint(prompt, max(prompt + 1, n), (mid,), generator=gen).tolist():
            labels[b, t] = ignore
    return logits, labels


def logps_mistake(case, got):
    logits, labels = case.args[0].detach(), case.args[1]
    ignore = case.kwargs.get("ignore_index", -100)
    value = got.value if isinstance(got, tk.ValueAndGrads) else got
    logp = torch.log_softmax(logits, -1)

    def summed(lp, targets, mean=False):
        counted = targets != ignore
        tok = lp.gather(-1, torch.where(counted, targets, 0).unsqueeze(-1)).squeeze(-1) * counted
        return tok.sum(-1) / counted.sum(-1).clamp(min=1) if mean else tok.sum(-1)

    return first_match(value, {
        "no causal shift: logits[:, t] predicts the NEXT token labels[:, t + 1]": summed(logp, labels),
        "you averaged the token log-probs; DPO needs their sum over the completion":
            summed(logp[:, :-1], labels[:, 1:], mean=True),
    })


logps_with_grad = dict(call=tk.value_and_grads("sequence_log_probs", wrt=[0]),
                       compare=tk.close_with_grads({0: "`logits`"}), entry="sequence_log_probs",
                       explain=logps_mistake)


@grader.cases("sequence_log_probs: logits[:, t] scores labels[:, t + 1], summed over the tokens of each row "
              "(value and gradient w.r.t. logits)", **logps_with_grad)
def logps_plain(rng):
    gen = tk.generator(rng)
    for B, T, V in ((1, 2, 2), (1, 3, 4), (2, 5, 3), (3, 8, 10), (4, 12, 50)):
        yield Case(*batch(gen, [(0, T)] * B, T, V))


@grader.cases("sequence_log_probs skips ignore_index labels: the prompt at the start, padding at the end, "
              "labels ignored mid-row; ignore_index -100, -1 and 0 (a pad id)", **logps_with_grad)
def logps_masked(rng):
    gen = tk.generator(rng)
    yield Case(*batch(gen, [(1, 4), (2, 3)], 4, 5))
    yield Case(*batch(gen, [(2, 6), (1, 4), (3, 5)], 6, 8, ignore=-1), ignore_index=-1)
    yield Case(*batch(gen, [(3, 9), (2, 5), (1, 9), (4, 7)], 9, 20, ignore=0), ignore_index=0)
    yield Case(*batch(gen, [(2, 12), (1, 8), (3, 10)], 12, 50, mid=2)).named("ignored labels mid-row")
    yield Case(*batch(gen, [(1, 10), (2, 7)], 10, 30, ignore=0, mid=2), ignore_index=0)


grader.cases("sequence_log_probs gives 0 for a row with no counted token", [
    Case(*batch(torch.Generator().manual_seed(0), [(4, 4), (1, 4)], 4, 6)).named("row 0 fully ignored"),
    Case(*batch(torch.Generator().manual_seed(1), [(1, 5), (5, 5), (2, 4)], 5, 7, ignore=0), ignore_index=0),
    Case(torch.zeros(2, 3, 4, dtype=f64), torch.tensor([[2, -100, -100], [1, 3, 0]])).named("only label 0 kept"),
], **logps_with_grad)


@grader.cases("sequence_log_probs keeps float32 in float32", compare=close(kind="tensor"),
              entry="sequence_log_probs", explain=logps_mistake)
def logps_float32(rng):
    gen = tk.generator(rng)
    for rows, T, V in (([(1, 3)], 3, 4), ([(2, 6), (1, 4)], 6, 10), ([(1, 12), (3, 9), (2, 12)], 12, 50)):
        yield Case(*batch(gen, rows, T, V, dtype=torch.float32))


# ------------------------------------------------------------------ dpo_loss
class DPORun:
    """dpo_loss's result and the gradients of its loss w.r.t. the four inputs (None: no graph)."""

    def __init__(self, out, grads):
        self.out, self.grads = out, grads


def run_dpo(impl, case):
    leaves = [t.detach().clone().requires_grad_(True) for t in case.args[:4]]
    out = impl.dpo_loss(*leaves, *case.args[4:], **case.kwargs)
    loss = out[0] if isinstance(out, tuple) and out else None
    grads = None
    if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.dim() == 0:
        grads = torch.autograd.grad(loss, leaves, allow_unused=True)
    return DPORun(out, grads)


def same_dpo(expected: DPORun, got: DPORun, grads: bool = True) -> None:
    out = got.out
    if not (isinstance(out, tuple) and len(out) == 3):
        raise Fail(f"dpo_loss should return a tuple (loss, chosen_rewards, rejected_rewards), got {type_name(out)}")
    loss_exp = expected.out[0]
    tol = close().tolerance(loss_exp.dtype)
    if not isinstance(out[0], torch.Tensor):
        raise Fail(f"the loss should be a 0-dim tensor that carries the gradient, got {type_name(out[0])}")
    close(kind="tensor", what="loss")(loss_exp, out[0])
    assert_detached({"chosen_rewards": out[1], "rejected_rewards": out[2]})
    close(kind="tensor", what="chosen_rewards")(expected.out[1], out[1])
    close(kind="tensor", what="rejected_rewards")(expected.out[2], out[2])
    if not grads:
        return
    if got.grads is None:
        raise Fail("the loss does not require grad: it must be differentiable w.r.t. the policy log-probs "
                   "(a .detach(), .item() or torch.no_grad() in the way?)")
    for i, name in enumerate(POLICY):
        if got.grads[i] is None:
            raise Fail(f"no gradient reaches `{name}`")
        diff = array_diff(expected.grads[i].double().numpy(), got.grads[i].detach().double().numpy(), *tol)
        if diff:
            raise Fail(f"the loss is right but its gradient w.r.t. `{name}` is wrong", diff=diff)
    for i, name in zip((2, 3), REFERENCE):
        g = got.grads[i]
        if g is not None and bool((g != 0).any()):
            raise Fail(f"`{name}` receives a gradient; the reference model is frozen: its log-probs are "
                       "constants (detach them)")


def dpo_mistake(case, got):
    pc, pr, rc, rr = (t.detach() for t in case.args[:4])
    beta = case.kwargs.get("beta", 0.1)
    out = got.out if isinstance(got, DPORun) else None
    if not (isinstance(out, tuple) and len(out) == 3 and isinstance(out[0], torch.Tensor)):
        return None
    loss = out[0].detach()
    if not bool(torch.isfinite(loss).all()):
        return ("the loss overflows: log(sigmoid(h)) is log(0) = -inf at h = -1e4; use F.logsigmoid(h), "
                "exact for any h")
    h = beta * ((pc - rc) - (pr - rr))
    right_value = first_match(loss, {"": -F.logsigmoid(h).mean()}) is not None
    message = None if right_value else first_match(loss, {
        "the reference log-probs are left out: h = β·((π_c − ref_c) − (π_r − ref_r))":
            -F.logsigmoid(beta * (pc - pr)).mean(),
        "β is outside the logsigmoid: the loss is −logsigmoid(β·(…)), not −β·logsigmoid(…)":
            -(beta * F.logsigmoid(h / beta)).mean(),
        "the loss is summed over the batch; the contract takes the mean": -F.logsigmoid(h).sum(),
        "the sign is flipped: the chosen completion must win (−logsigmoid(h), h = β·(chosen − rejected margin))":
            -F.logsigmoid(-h).mean(),
    })
    if message:
        return message
    if got.grads is not None and bool((h == 0).any()):
        g = got.grads[0]
        if g is not None and bool((g[h == 0] == 0).all()):
            return ("at h = 0 the gradient is −β/(2B), but yours is 0: autograd of relu(−h) or |h| is 0 at 0; "
                    "use F.logsigmoid")
    return None


dpo = dict(call=run_dpo, compare=same_dpo, entry="dpo_loss", explain=dpo_mistake)


def logps(gen, B, dtype=f64, scale=20.0):
    """(B,) summed log-probs of a completion: negative, spread over tens of nats."""
    return (-torch.rand(B, generator=gen, dtype=f64) * scale - 1).to(dtype)


def pair_case(gen, B, beta, dtype=f64, spread=3.0):
    pc, pr = logps(gen, B, dtype), logps(gen, B, dtype)
    rc = pc + (torch.randn(B, generator=gen, dtype=f64) * spread).to(dtype)
    rr = pr + (torch.randn(B, generator=gen, dtype=f64) * spread).to(dtype)
    return Case(pc, pr, rc, rr, beta=beta)


@grader.cases("dpo_loss: loss, chosen and rejected rewards, and the loss's gradient w.r.t. the policy "
              "log-probs (B 1-4, β 0.1-0.5)", **dpo)
def dpo_random(rng):
    gen = tk.generator(rng)
    for B, beta in ((1, 0.1), (2, 0.1), (3, 0.25), (4, 0.5), (4, 0.1)):
        yield pair_case(gen, B, beta)


@grader.cases("dpo_loss keeps float32 in float32 (values)", call=run_dpo, entry="dpo_loss", explain=dpo_mistake,
              compare=lambda expected, got: same_dpo(expected, got, grads=False))
def dpo_float32(rng):
    gen = tk.generator(rng)
    for B, beta in ((1, 0.1), (3, 0.3), (4, 0.5)):
        yield pair_case(gen, B, beta, dtype=torch.float32)


@grader.cases("dpo_loss with policy = reference: loss ln 2 and gradient ∓β/(2B)", **dpo)
def equal_policy(rng):
    gen = tk.generator(rng)
    for B, beta in ((1, 0.1), (2, 0.5), (4, 0.2)):
        pc, pr = logps(gen, B), logps(gen, B)
        yield Case(pc, pr, pc.clone(), pr.clone(), beta=beta)


def far_case(hs, beta):
    """Margins h exactly as given (policy chosen = reference chosen − h/β or so), log-probs negative."""
    h = torch.tensor(hs, dtype=f64)
    pc = torch.full_like(h, -3.0)
    pr = torch.full_like(h, -4.0)
    rc = torch.where(h > 0, pc - h / beta, pc)
    rr = torch.where(h > 0, pr, pr + h / beta)   # h < 0: rejected's margin is −h/β
    return Case(pc, pr, rc, rr, beta=beta)


grader.cases("dpo_loss is exact for |h| = 1e4 (h = −1e4 costs 1e4) and its gradient stays finite", [
    far_case([-1e4], 0.1), far_case([1e4], 0.1), far_case([-1e4, 1e4, 0.5], 0.2),
    far_case([-1e4, -50.0, 800.0, 1e4], 0.5),
], **dpo)


@grader.property("rewards are detached and the reference log-probs get no gradient, with every input "
                 "requiring grad")
def constants(ctx):
    gen = tk.generator(ctx.rng)
    case = pair_case(gen, 3, 0.2)
    leaves = [t.clone().requires_grad_(True) for t in case.args]
    out = ctx.attempt.dpo_loss(*leaves, beta=0.2)
    if not (isinstance(out, tuple) and len(out) == 3 and isinstance(out[0], torch.Tensor)):
        raise Fail("dpo_loss should return a tuple (loss tensor, chosen_rewards, rejected_rewards)")
    assert_detached({"chosen_rewards": out[1], "rejected_rewards": out[2]},
                    case="dpo_loss(four (3,) tensors with requires_grad=True, beta=0.2)")
    if out[0].requires_grad:
        out[0].backward()
    for name, leaf in zip(REFERENCE, leaves[2:]):
        if leaf.grad is not None and bool((leaf.grad != 0).any()):
            raise Fail(f"`{name}` received a gradient after loss.backward(); the reference model is frozen: "
                       "its log-probs are constants (detach them)")


# ------------------------------------------------------------------ end to end
def end_to_end(impl, case):
    (pol_c, pol_r, ref_c, ref_r, labels_c, labels_r), kw = case.args, case.kwargs
    pol_c, pol_r = pol_c.detach().clone().requires_grad_(True), pol_r.detach().clone().requires_grad_(True)
    seq = impl.sequence_log_probs
    with torch.no_grad():
        refs = seq(ref_c, labels_c, **kw), seq(ref_r, labels_r, **kw)
    out = impl.dpo_loss(seq(pol_c, labels_c, **kw), seq(pol_r, labels_r, **kw), *refs, beta=0.2)
    loss = out[0] if isinstance(out, tuple) and out else out
    if not (isinstance(loss, torch.Tensor) and loss.requires_grad):
        raise Fail("the loss computed from policy logits does not require grad")
    grads = torch.autograd.grad(loss, [pol_c, pol_r], allow_unused=True)
    return tk.ValueAndGrads(loss, {0: grads[0], 1: grads[1]})


@grader.cases("end to end: policy and reference logits → summed log-probs → DPO loss, gradient w.r.t. the "
              "policy logits", call=end_to_end, entry="dpo_loss",
              compare=tk.close_with_grads({0: "the chosen policy logits", 1: "the rejected policy logits"}))
def from_logits(rng):
    gen = tk.generator(rng)
    for B, T, V, ignore in ((1, 4, 5, -100), (2, 6, 8, 0), (3, 10, 20, -1)):
        rows = [(int(torch.randint(1, 3, (1,), generator=gen)), T - b) for b in range(B)]
        pol_c, labels_c = batch(gen, rows, T, V, ignore=ignore)
        pol_r, labels_r = batch(gen, rows, T, V, ignore=ignore)
        ref_c = pol_c + torch.randn(pol_c.shape, generator=gen, dtype=f64) * 0.3
        ref_r = pol_r + torch.randn(pol_r.shape, generator=gen, dtype=f64) * 0.3
        yield Case(pol_c, pol_r, ref_c, ref_r, labels_c, labels_r, ignore_index=ignore)


grader.speed(lambda rng: Case(*batch(tk.generator(rng), [(32, 256)] * 4, 256, 1000)), entry="sequence_log_probs",
             label="sequence_log_probs of logits (4, 256, 1000)")
