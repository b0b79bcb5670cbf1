import torch
import torch.nn.functional as F

from harness.engine import Case, Fail, Grader
from harness.engine import devices as dv
from harness.engine import hooks
from harness.engine import sequences as sq
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

CLS = "MoE"
grader = Grader(CLS, forbidden=tk.ATTENTION_FORBIDDEN)
TOLS = {torch.float64: tk.FLOAT64_TOL, torch.float32: tk.FLOAT32_TOL}
# (d_model, d_ff, num_experts, top_k), (B, T): top_k = 1, 2, 3 and = num_experts; B 1 to 3, T 1 to 16
CONFIGS = [((4, 6, 2, 1), (1, 1)), ((6, 8, 4, 2), (2, 3)), ((8, 12, 3, 3), (1, 5)), ((8, 16, 6, 2), (3, 7)),
           ((12, 10, 8, 3), (2, 16)), ((6, 8, 5, 1), (3, 16))]
AUX_WEIGHT = 0.7


def shown(init):
    return f"{CLS}(" + ", ".join(f"{k}={v}" for k, v in init.items()) + ")"


def init_of(values):
    return dict(zip(("d_model", "d_ff", "num_experts", "top_k"), values))


# ------------------------------------------------------------------ a dense ground truth, and the named mistakes
def dense(ref, x, *, renormalise=True, f_from="count", first_weight=False):
    """Every expert on every token, a (N, E) gate matrix from torch.topk of the softmax.
    The mistakes: no renormalisation; f_e from the soft probabilities, from count / N, from the
    first choice only; every slot weighted by the first expert's weight."""
    E, k = ref.num_experts, ref.top_k
    h = x.reshape(-1, x.shape[-1])
    probs = ref.router(h).softmax(-1)
    top_p, top_i = probs.topk(k, -1)
    w = top_p / top_p.sum(-1, keepdim=True) if renormalise else top_p
    if first_weight:
        w = w[:, :1].expand_as(w)
    gate = torch.zeros_like(probs).scatter(-1, top_i, w)
    y = sum(gate[:, e:e + 1] * ref.experts[e](h) for e in range(E))
    chosen = F.one_hot(top_i, E).to(h.dtype)
    f = {"count": chosen.sum((0, 1)) / (h.shape[0] * k), "soft": probs.mean(0).detach(),
         "count_n": chosen.sum((0, 1)) / h.shape[0], "first": chosen[:, 0].sum(0) / h.shape[0]}[f_from]
    return y.reshape(x.shape), E * (f * probs.mean(0)).sum()


Y_MISTAKES = {
    "the top-k weights must be renormalised to sum to 1 (their probs / the sum of the chosen probs), not the raw "
    "softmax probabilities (Switch/GShard style)": dict(renormalise=False),
    "each chosen expert must be weighted by its own renormalised probability, not the first expert's":
        dict(first_weight=True),
}
AUX_MISTAKES = {
    "f_e must be the fraction of routing slots that chose e (a count / (N · top_k)), not the mean soft "
    "probability": dict(f_from="soft"),
    "f_e must be count / (N · top_k): count / N (HF Mixtral's scale) makes aux_loss top_k times too large":
        dict(f_from="count_n"),
    "f_e must count every one of the top_k choices of a token, not only its first choice": dict(f_from="first"),
}


def explain(fail, ref, x, part):
    mistakes = Y_MISTAKES if part == 0 else AUX_MISTAKES
    got = getattr(fail, "got_part", None)
    if got is None:
        return
    with torch.no_grad():
        right = dense(ref, x)[part]
        suspects = {m: dense(ref, x, **kw)[part] for m, kw in mistakes.items()}
    found = first_match(got, {m: s for m, s in suspects.items() if not torch.allclose(s, right)}, 1e-4, 1e-5)
    if found:
        fail.message = f"{found} ({fail.message})"


# ------------------------------------------------------------------ inputs without a near-tie at the top-k boundary
def clear_input(ref, gen, B, T, d_model):
    """x whose tokens all have a relative gap > 1e-4 between their k-th and (k+1)-th router
    probability (the contract's promise; else two right answers may route differently)."""
    for _ in range(50):
        x = tk.randn(gen, B, T, d_model)
        if ref.top_k == ref.num_experts:
            return x
        with torch.no_grad():
            h = x.reshape(-1, d_model).to(ref.router.weight.dtype)
            p = ref.router(h).softmax(-1).sort(-1, descending=True).values
        a, b = p[:, ref.top_k - 1], p[:, ref.top_k]
        if bool(((a - b) > 1e-4 * a).all()):
            return x
    raise AssertionError("no input without a near-tie found")  # never with these sizes


def pair(ctx, init, dtype):
    ref, got = tk.build_pair(ctx, CLS, init, structure_hint="(router, experts.{e}.w1, experts.{e}.w2)")
    if dtype == torch.float64:
        ref, got = ref.double(), got.double()
    return ref.eval(), got.eval()


def both(out):
    if not (isinstance(out, tuple) and len(out) == 2 and all(isinstance(t, torch.Tensor) for t in out)):
        raise Fail(f"forward should return a tuple (y, aux_loss) of two tensors, got {type(out).__name__}")
    if out[1].dim() != 0:
        raise Fail(f"aux_loss should be a 0-dim tensor, got shape {tuple(out[1].shape)}")
    return out


# ------------------------------------------------------------------ checks
grader.raises("raises ValueError unless 1 <= top_k <= num_experts", ValueError,
              [Case(8, 16, 4, 0), Case(8, 16, 4, 5), Case(4, 8, 1, 2)], call=tk.construct(CLS),
              why="top_k must be between 1 and num_experts")


@grader.property("has router (nn.Linear(d_model, num_experts, bias=False)) and experts[e].w1, experts[e].w2 "
                 "(nn.Linear with bias), nothing else")
def structure(ctx):
    tk.assert_same_structure(ctx.ref.MoE(8, 12, 3, 2), ctx.attempt.MoE(8, 12, 3, 2))


@grader.property("y and aux_loss agree with the reference, float64 and float32 (a fresh module), top_k = 1, 2, 3 "
                 "and = num_experts, B = 1 to 3, T = 1 to 16, two calls in a row")
def values(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for values_, (B, T) in CONFIGS:
        init = init_of(values_)
        for dtype in (torch.float64, torch.float32):
            ref, got = pair(ctx, init, dtype)
            x = clear_input(ref, gen, B, T, init["d_model"]).to(dtype)
            with torch.no_grad():
                want = ref(x.clone())
                for call in (1, 2):
                    have = both(got(x.clone()))
                    for part, what in ((0, "y"), (1, "aux_loss")):
                        try:
                            tk.compare_tensor(want[part], have[part], what, TOLS[dtype])
                        except Fail as fail:
                            fail.case = (f"{shown(init)} in {str(dtype)[6:]}, x of shape {tuple(x.shape)}"
                                         + (", second call on the same module" if call == 2 else ""))
                            fail.got_part = have[part].double()
                            explain(fail, pair(ctx, init, torch.float64)[0], x.double(), part)
                            raise


def float64_runs(ctx):
    """(init, reference, attempt, x, generator) in float64 for every config but the smallest."""
    gen = torch.Generator().manual_seed(ctx.seed)
    for values_, (B, T) in CONFIGS[1:]:
        init = init_of(values_)
        ref, got = pair(ctx, init, torch.float64)
        yield init, ref, got, clear_input(ref, gen, B, T, init["d_model"]), gen


def gradients_of(module, x, loss):
    leaf = x.clone().requires_grad_(True)
    out = both(module(leaf))
    value = loss(*out)
    params = dict(module.named_parameters())
    if not value.requires_grad:
        return {name: None for name in ["x", *params]}
    grads = torch.autograd.grad(value, [leaf, *params.values()], allow_unused=True)
    return dict(zip(["x", *params], grads))


@grader.property("each expert runs only on the tokens that chose it (rows reaching experts[e].w1, summed over "
                 "calls, in one forward)")
def expert_rows(ctx):
    for init, ref, got, x, _ in float64_runs(ctx):
        with torch.no_grad():
            chosen = ref.router(x.reshape(-1, init["d_model"])).topk(init["top_k"], -1).indices
        names = [f"experts.{e}.w1" for e in range(init["num_experts"])]
        _, seen = hooks.record_calls(got, names, lambda: got(x.clone()))
        for e, name in enumerate(names):
            want, rows = int((chosen == e).sum()), seen[name].rows
            if rows == want:
                continue
            case = f"{shown(init)}, x of shape {tuple(x.shape)} ({x.shape[0] * x.shape[1]} tokens)"
            if seen[name].calls == 0 and want:
                raise Fail(f"experts[{e}].w1 was never called as a module although {want} tokens chose expert {e}: "
                           "call each expert through its module (expert(h)), not through its stacked weights",
                           case=case)
            more = " (every expert on every token?)" if rows == x.shape[0] * x.shape[1] else ""
            raise Fail(f"{rows} rows reached experts[{e}].w1 in one forward, but {want} tokens chose expert {e}"
                       f"{more}: run each expert only on the tokens routed to it", case=case,
                       expected=f"{want} rows", got=f"{rows} rows in {seen[name].calls} calls")


@grader.property(f"gradients of x, the router and every expert parameter for (y·g).sum() + {AUX_WEIGHT}·aux_loss, "
                 "and of the router for aux_loss alone (P_e keeps its gradient)")
def gradients(ctx):
    for init, ref, got, x, gen in float64_runs(ctx):
        g = tk.randn(gen, *x.shape)
        case = f"{shown(init)}, x of shape {tuple(x.shape)}"
        for label, loss in (("for aux_loss alone", lambda y, a: a),
                            (f"for (y·g).sum() + {AUX_WEIGHT}·aux_loss", lambda y, a: (y * g).sum() + AUX_WEIGHT * a)):
            want = gradients_of(ref, x, loss)
            have = gradients_of(got, x, loss)
            if label.endswith("alone") and have.get("router.weight") is None or (
                    label.endswith("alone") and bool((have["router.weight"] == 0).all())):
                raise Fail("aux_loss gives the router no gradient: P_e (the mean router probability) must stay "
                           "differentiable; only the counts f_e carry none", case=case)
            sq.assert_same_grads(want, have, tol=tk.FLOAT64_TOL, label=label, case=case)


@grader.property("keeps the input's device: on `meta`, forward and backward (when the routing can run there)")
def meta_device(ctx):
    module = ctx.attempt.MoE(8, 12, 4, 2).eval()
    try:
        dv.assert_keeps_device(module, [torch.randn(2, 3, 8)], case=f"{shown(init_of((8, 12, 4, 2)))}, x (2, 3, 8)")
    except NotImplementedError as exc:  # an operator with no meta kernel (bincount): no verdict, not a stub
        if "meta" not in str(exc).lower():
            raise
