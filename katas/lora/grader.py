import math

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

grader = Grader("LoRALinear", forbidden=tk.ATTENTION_FORBIDDEN)


def render(init):
    return "LoRALinear(" + ", ".join(f"{k}={v!r}" for k, v in init.items()) + ")"


def build(ctx, impl, init):
    ctx.seed_everything()
    return impl.LoRALinear(**init)


grader.raises("rank <= 0 raises ValueError", ValueError,
              [Case(4, 4, rank=0), Case(8, 3, rank=-2)],
              call=tk.construct("LoRALinear"))


@grader.property("names and shapes: base = nn.Linear(in, out), lora_A (rank, in), lora_B (out, rank), "
                 "scaling = alpha / rank, nothing else in the state_dict")
def structure(ctx):
    for init in ({"in_features": 10, "out_features": 6}, {"in_features": 7, "out_features": 13, "rank": 4, "alpha": 32.0}):
        ref, got = build(ctx, ctx.ref, init), build(ctx, ctx.attempt, init)
        where = render(init)
        extra = [k for k in got.state_dict() if k not in ref.state_dict()]
        if extra and extra[0] in dict(got.named_buffers()):
            raise Fail(f"your state_dict has an extra buffer `{extra[0]}`: keep state such as the merged flag in a "
                       "plain attribute (self.merged = False); a strict load of a LoRA checkpoint must work",
                       case=where)
        try:
            tk.assert_same_structure(ref, got)
        except Fail as fail:
            fail.case = where
            raise
        if not isinstance(getattr(got, "base", None), torch.nn.Linear):
            raise Fail("`base` should be the nn.Linear(in_features, out_features) being adapted", case=where)
        want = init.get("alpha", 16.0) / init.get("rank", 8)
        scaling = getattr(got, "scaling", None)
        if not isinstance(scaling, (int, float)) or isinstance(scaling, bool) or abs(scaling - want) > 1e-12:
            raise Fail(f"`scaling` should be alpha / rank = {want!r}, got {scaling!r}", case=where)


@grader.property("only lora_A and lora_B require gradients (base.weight and base.bias are frozen)")
def frozen_base(ctx):
    init = {"in_features": 10, "out_features": 6, "rank": 2}
    got = build(ctx, ctx.attempt, init)
    trainable = sorted(n for n, p in got.named_parameters() if p.requires_grad)
    for name in ("base.weight", "base.bias"):
        if name in trainable:
            raise Fail(f"`{name}` still requires grad: freeze the whole base layer "
                       "(self.base.requires_grad_(False), or requires_grad = False on weight and bias)",
                       case=render(init), got="trainable: " + ", ".join(trainable))
    if trainable != ["lora_A", "lora_B"]:
        raise Fail("exactly lora_A and lora_B should be trainable", case=render(init),
                   got="trainable: " + (", ".join(trainable) or "nothing"))


@grader.property("as built, lora_B is zero and the output equals base(x)")
def starts_as_base(ctx):
    for init in ({"in_features": 12, "out_features": 5, "rank": 3}, {"in_features": 16, "out_features": 16}):
        got = build(ctx, ctx.attempt, init).double()
        B = got.lora_B.detach()
        if bool((B != 0).any()):
            raise Fail(f"lora_B should start at zero (so that the adapted layer is exactly the pretrained one at "
                       f"step 0); yours has values up to {float(B.abs().max()):.4g}", case=render(init))
        x = torch.randn(4, 7, init["in_features"], dtype=torch.float64, generator=torch.Generator().manual_seed(1))
        try:
            out = got(x)
        except Exception as exc:
            exc.kata_case = f"{render(init)}, forward(x of shape {tuple(x.shape)})"
            raise
        try:
            tk.compare_tensor(got.base(x), out, "output", (0.0, 1e-12))
        except Fail as fail:
            fail.message = "the output of a freshly built layer should equal base(x) exactly"
            fail.case = render(init)
            raise


@grader.property("as built, lora_A is Kaiming-uniform with a = √5: U(−1/√in, 1/√in)")
def kaiming_init(ctx):
    in_features, rank = 256, 16
    init = {"in_features": in_features, "out_features": 4, "rank": rank}
    A = build(ctx, ctx.attempt, init).lora_A.detach().double().flatten()
    bound = 1.0 / math.sqrt(in_features)  # gain √(2/(1+5)) · √(3/fan_in)
    n = A.numel()
    law = f"nn.init.kaiming_uniform_(lora_A, a=math.sqrt(5)) draws from U(−{bound:.4g}, {bound:.4g}) for in_features = {in_features}"
    if bool((A == 0).all()):
        raise Fail("lora_A is all zeros: with lora_B also zero, neither ever gets a gradient; " + law,
                   case=render(init))
    top = float(A.abs().max())
    var = float((A ** 2).mean())
    # 4096 draws: the variance estimate has a relative sd of about 1.4 %, so ±10 % is a 7-sigma band,
    # and max |A| falls below 0.9 · bound with probability 0.9^4096.
    if top > bound * (1 + 1e-6) or top < 0.9 * bound or abs(var / (bound ** 2 / 3) - 1) > 0.1 \
            or abs(float(A.mean())) > 6 * bound / math.sqrt(3 * n):
        raise Fail(law + f"; yours has max |value| {top:.4g} and mean square {var:.4g} "
                   f"(expected {bound ** 2 / 3:.4g})", case=render(init))


def parity_configs(rng):
    gen = tk.generator(rng)

    def x(*shape):
        return torch.randn(*shape, generator=gen, dtype=torch.float64)

    yield {"in_features": 10, "out_features": 6, "rank": 2, "alpha": 16.0}, [Case(x(4, 10))]
    yield {"in_features": 7, "out_features": 13, "rank": 7, "alpha": 1.0}, [Case(x(2, 3, 7))]
    yield {"in_features": 32, "out_features": 32}, [Case(x(1, 32)), Case(x(3, 5, 32))]
    yield {"in_features": 5, "out_features": 1, "rank": 1, "alpha": 3.0}, [Case(x(6, 5))]
    yield {"in_features": 16, "out_features": 8, "rank": 4, "dropout": 0.3}, [Case(x(2, 4, 16)).named("eval(): no dropout")]


tk.module_parity(grader, "with non-zero lora_B: output and gradients (x, lora_A, lora_B) in float64 and float32",
                 "LoRALinear", parity_configs)


@grader.property("in train() mode dropout acts on the LoRA branch's input only, never on base(x)")
def dropout_branch_only(ctx):
    d, p = 16, 0.5
    init = {"in_features": d, "out_features": d, "rank": d, "alpha": float(d), "dropout": p}  # scaling 1
    got = build(ctx, ctx.attempt, init).double().train()
    x = torch.randn(200, d, dtype=torch.float64, generator=torch.Generator().manual_seed(ctx.seed))
    with torch.no_grad():
        got.lora_B.zero_()
        out = got(x)
        if not torch.allclose(out, got.base(x), rtol=0, atol=1e-12):
            raise Fail("with lora_B = 0 the train-mode output should still equal base(x): dropout belongs on the "
                       "input of the LoRA branch, not on the frozen path or the whole output",
                       case=render(init) + ".train()")
        got.lora_A.copy_(torch.eye(d))
        got.lora_B.copy_(torch.eye(d))
        ctx.seed_everything()
        delta = got(x) - got.base(x)
    kept = delta.abs() > 1e-12
    wrong = ~kept | (delta - x / (1 - p)).abs().le(1e-9)
    frac = float(kept.double().mean())
    if not bool(wrong.all()) or not 0.4 < frac < 0.6:
        raise Fail("with lora_A = lora_B = I and scaling 1, the branch is dropout(x): each entry should be 0 or "
                   f"x / (1 − p) with p = {p}, about half of them kept; "
                   f"yours keeps {frac:.0%} and has {int((~wrong).sum())} other values",
                   case=render(init) + ".train()")


def expect_close(expected, got, what, why, tol=(1e-9, 1e-12)):
    try:
        tk.compare_tensor(expected, got, what, tol)
    except Fail as fail:
        fail.message = f"{what} is wrong: {why}"
        raise


@grader.property("merge() keeps the output and is idempotent; unmerge() restores base.weight")
def merge_unmerge(ctx):
    init = {"in_features": 11, "out_features": 7, "rank": 3, "alpha": 8.0}
    ref, got = tk.build_pair(ctx, "LoRALinear", init)  # random weights, lora_B non-zero
    got = got.double().eval()
    x = torch.randn(6, 11, dtype=torch.float64, generator=torch.Generator().manual_seed(ctx.seed))
    try:
        with torch.no_grad():
            W0 = got.base.weight.detach().clone()
            delta = init["alpha"] / init["rank"] * got.lora_B @ got.lora_A
            y0 = got(x)
            got.merge()
            expect_close(W0 + delta, got.base.weight.detach(), "base.weight after merge()",
                         "it should be W + scaling · lora_B @ lora_A")
            expect_close(y0, got(x), "the output after merge()",
                         "it should not change; the LoRA term is inside base.weight now, so forward must not add "
                         "it again")
            got.merge()
            expect_close(W0 + delta, got.base.weight.detach(), "base.weight after a second merge()",
                         "merging twice must change nothing (check a merged flag before adding the update)")
            got.unmerge()
            expect_close(W0, got.base.weight.detach(), "base.weight after merge(), merge(), unmerge()",
                         "unmerge() should restore the original W")
            expect_close(y0, got(x), "the output after unmerge()", "it should equal the output before merge()")
            got.unmerge()
            expect_close(W0, got.base.weight.detach(), "base.weight after unmerge() on a layer that is not merged",
                         "unmerge() should do nothing when the layer is not merged")
    except Fail as fail:
        fail.case = render(init)
        raise


@grader.property("merge() and unmerge() called with autograd on leave base.weight a frozen leaf parameter; a "
                 "merged layer adds the update once, in train() as in eval()")
def merge_in_training_script(ctx):
    init = {"in_features": 9, "out_features": 5, "rank": 3, "alpha": 6.0}
    ref, got = tk.build_pair(ctx, "LoRALinear", init)
    got = got.double()
    x = torch.randn(4, 9, dtype=torch.float64, generator=torch.Generator().manual_seed(ctx.seed))
    where = render(init) + ", merge() called with autograd on (no torch.no_grad() around it)"
    with torch.no_grad():
        before = got.eval()(x)
    for step, call in (("merge()", got.merge), ("unmerge()", got.unmerge)):
        tk.guarded(where, call)
        weight = got.base.weight
        if not isinstance(weight, torch.nn.Parameter) or weight.requires_grad or not weight.is_leaf:
            state = ("a plain tensor" if not isinstance(weight, torch.nn.Parameter) else
                     "a parameter that requires grad" if weight.is_leaf else
                     "no longer a leaf: it holds the autograd graph of lora_B @ lora_A")
            raise Fail(f"after {step} base.weight is {state}; the update must be folded in without autograd "
                       "(inside torch.no_grad(), or on .data) so that base.weight stays a frozen leaf parameter",
                       case=where)
        if step == "merge()":
            with torch.no_grad():
                trained = got.train()(x)  # dropout 0: train() must match eval()
            tk.compare_tensor(before, trained, "output", (1e-9, 1e-12), case=render(init) + " merged, train()",
                              message="in train() mode a merged layer's output differs from the unmerged one: "
                                      "the LoRA update is inside base.weight already, so forward must not add "
                                      "the branch again, in train() as in eval()")


tk.module_promises(grader, "LoRALinear", {"in_features": 6, "out_features": 4, "rank": 2, "alpha": 4.0},
                   lambda gen, n: Case(tk.randn(gen, 2, n, 6)), feature_dim=6)
