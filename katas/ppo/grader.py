import torch

from harness.engine import Case, Fail, Grader, close
from harness.engine import torchkit as tk
from harness.engine.compare import first_match, parts
from harness.engine.exact import assert_detached

grader = Grader(["gae", "ppo_clip_loss"], forbidden=["trl", "stable_baselines3"])
f64 = torch.float64
GAMMA_LAMBDA = ((0.99, 0.95), (0.9, 0.8), (0.97, 0.5))


# ------------------------------------------------------------------ gae
def _gae(r, v, d, gamma, lam, *, use_dones=True, reset=True, forward=False, shift=False, reward_to_go=None):
    """The contract's recursion with one knob per classic mistake (all defaults = correct)."""
    T = r.shape[0]
    d = d.to(f64) if use_dones else torch.zeros(T, dtype=f64)
    if shift:  # CleanRL's flag: "obs t + 1 starts an episode" read as "step t ended it"
        d = torch.cat([d[1:], d.new_zeros(1)])
    alive = 1 - d
    adv, running = torch.zeros(T, dtype=f64), torch.zeros((), dtype=f64)
    order = range(T) if forward else range(T - 1, -1, -1)
    for t in order:
        delta = r[t] + gamma * v[t + 1] * alive[t] - v[t]
        running = delta + gamma * lam * (alive[t] if reset else 1) * running
        adv[t] = running
    if reward_to_go is None:
        return adv, adv + v[:T]
    ret, g = torch.zeros(T, dtype=f64), v[T] if reward_to_go == "bootstrap" else torch.zeros((), dtype=f64)
    for t in range(T - 1, -1, -1):
        g = r[t] + gamma * alive[t] * g
        ret[t] = g
    return adv, ret


GAE_MISTAKES = {
    "the recursion is not reset at a done: A_t must not carry A_{t+1} across an episode end": dict(reset=False),
    "a done is ignored entirely: at a terminal step there is no bootstrap from values[t + 1] and the "
    "recursion restarts": dict(use_dones=False),
    "the recursion runs forwards; A_t depends on A_{t+1}, so go from t = T − 1 down to 0": dict(forward=True),
    "dones are read shifted by one (CleanRL's 'next obs starts an episode' flag); here dones[t] = 1 means "
    "the episode ended AT step t": dict(shift=True),
}


def gae_mistake(case, got):
    r, v, d = case.args[:3]
    gamma, lam = case.kwargs.get("gamma", 0.99), case.kwargs.get("lam", 0.95)
    if not (isinstance(got, tuple) and len(got) == 2):
        return None
    r, v = r.detach().to(f64), v.detach().to(f64)
    right_adv = _gae(r, v, d, gamma, lam)[0]
    if first_match(got[0], {"": right_adv}) is None:  # the advantages are wrong: name how
        return first_match(got[0], {msg: _gae(r, v, d, gamma, lam, **knobs)[0]
                                     for msg, knobs in GAE_MISTAKES.items()})
    return first_match(got[1], {
        "the returns are the discounted reward-to-go; the contract's returns are advantages + values[:T] "
        "(the λ-return)": _gae(r, v, d, gamma, lam, reward_to_go="none")[1],
        "the returns are the bootstrapped discounted reward-to-go; the contract's returns are advantages + "
        "values[:T] (the λ-return)": _gae(r, v, d, gamma, lam, reward_to_go="bootstrap")[1],
    })


gae_compare = parts({0: close(kind="tensor", what="advantages"), 1: close(kind="tensor", what="returns")},
                    {0: "advantages", 1: "returns"})
gae_check = dict(compare=gae_compare, entry="gae", explain=gae_mistake)


def rollout(gen, T, done_at=(), *, as_bool=False, p_done=None, gamma=0.99, lam=0.95):
    r = torch.randn(T, generator=gen, dtype=f64)
    v = torch.randn(T + 1, generator=gen, dtype=f64) * 2
    d = torch.zeros(T, dtype=f64)
    if p_done is not None:
        d = (torch.rand(T, generator=gen) < p_done).to(f64)
    for t in done_at:
        d[t] = 1.0
    return Case(r, v, d.bool() if as_bool else d, gamma=gamma, lam=lam)


@grader.cases("gae without episode ends: advantages and λ-returns (T 1-40, several γ and λ)", **gae_check)
def no_done(rng):
    gen = tk.generator(rng)
    for i, T in enumerate((1, 2, 3, 5, 8, 13, 21, 40)):
        gamma, lam = GAMMA_LAMBDA[i % 3]
        yield rollout(gen, T, gamma=gamma, lam=lam, as_bool=bool(i % 2))


@grader.cases("gae at an episode end: no bootstrap from the next value and the recursion restarts (dones in "
              "the middle, at t = 0, at T − 1, consecutive, random, all)", **gae_check)
def with_dones(rng):
    gen = tk.generator(rng)
    yield rollout(gen, 3, [1])
    yield rollout(gen, 1, [0])
    yield rollout(gen, 4, [0], gamma=0.9, lam=0.8).named("done at t = 0")
    yield rollout(gen, 5, [4], gamma=0.97, lam=0.5).named("done at T − 1")
    yield rollout(gen, 6, [2, 3], as_bool=True).named("consecutive dones")
    yield rollout(gen, 6, range(6), gamma=0.9, lam=0.8).named("every step ends an episode")
    for i, T in enumerate((8, 15, 25, 40)):
        gamma, lam = GAMMA_LAMBDA[i % 3]
        yield rollout(gen, T, p_done=0.2, gamma=gamma, lam=lam, as_bool=bool(i % 2)).named("random dones")


@grader.cases("gae's special cases: λ = 0 gives the TD errors, γ = λ = 1 the Monte-Carlo return minus the "
              "value, γ = 0 gives r − V", **gae_check)
def special(rng):
    gen = tk.generator(rng)
    for T, done_at in ((4, [1]), (10, [3, 7])):
        yield rollout(gen, T, done_at, gamma=0.9, lam=0.0).named("λ = 0")
        yield rollout(gen, T, done_at, gamma=1.0, lam=1.0, as_bool=True).named("γ = λ = 1")
        yield rollout(gen, T, done_at, gamma=0.0, lam=0.95).named("γ = 0")


@grader.property("gae's outputs are detached even when values requires grad")
def gae_detached(ctx):
    gen = tk.generator(ctx.rng)
    case = rollout(gen, 6, [2])
    r, v, d = case.args
    v = v.clone().requires_grad_(True)
    out = ctx.attempt.gae(r, v, d, **case.kwargs)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise Fail("gae should return a tuple (advantages, returns)")
    assert_detached({"advantages": out[0], "returns": out[1]},
                    case="gae(rewards (6,), values (7,) with requires_grad=True, dones (6,))",
                    why="advantages and returns are regression targets, not part of the value graph")


# ------------------------------------------------------------------ ppo_clip_loss
def loss_mistake(case, got):
    logp, old, adv = (t.detach() for t in case.args[:3])
    eps = case.kwargs.get("clip_eps", 0.2)
    mask = case.kwargs.get("mask")
    value = got.value if isinstance(got, tk.ValueAndGrads) else got
    keep = torch.ones_like(logp) if mask is None else mask.to(f64)

    def mean(x, over_all=False):
        return -(x * keep).sum() / (keep.numel() if over_all else keep.sum())

    ratio = torch.exp(logp - old)
    clipped = torch.clamp(ratio, 1 - eps, 1 + eps)
    return first_match(value, {
        "you took the max of the two terms; PPO takes the min (a pessimistic bound)":
            mean(torch.max(ratio * adv, clipped * adv)),
        "you clipped the advantage; clip the ratio to [1 − ε, 1 + ε]":
            mean(torch.min(ratio * adv, ratio * torch.clamp(adv, 1 - eps, 1 + eps))),
        "you clipped ratio · A; clip the ratio itself, then multiply by A":
            mean(torch.min(ratio * adv, torch.clamp(ratio * adv, 1 - eps, 1 + eps))),
        "the ratio is inverted; it is exp(logp − old_logp) (new over old)":
            mean(torch.min(adv / ratio, torch.clamp(1 / ratio, 1 - eps, 1 + eps) * adv)),
        "the masked mean is divided by all entries; divide by the number of kept entries":
            mean(torch.min(ratio * adv, clipped * adv), over_all=True) if mask is not None else None,
    })


loss_check = dict(call=tk.value_and_grads("ppo_clip_loss", wrt=[0]), compare=tk.close_with_grads({0: "`logp`"}),
                  entry="ppo_clip_loss", explain=loss_mistake)


def policy_case(gen, shape, *, far=False, eps=0.2, mask=None):
    logp = -torch.rand(shape, generator=gen, dtype=f64) * 3 - 0.05
    if far:  # log-ratios of ±(0.5 … 1.5): ratios far outside [1 − ε, 1 + ε], on both sides
        sign = torch.randint(0, 2, shape, generator=gen).to(f64) * 2 - 1
        shift = sign * (0.5 + torch.rand(shape, generator=gen, dtype=f64))
    else:    # |log-ratio| < 0.8·ε: inside the clip range, never within 1e-3 of its ends
        shift = (torch.rand(shape, generator=gen, dtype=f64) * 2 - 1) * 0.8 * eps
    adv = torch.randn(shape, generator=gen, dtype=f64)
    kwargs = {"clip_eps": eps}
    if mask is not None:
        kwargs["mask"] = mask
    return Case(logp, logp - shift, adv, **kwargs)


@grader.cases("ppo_clip_loss with ratios inside the clip range: value and gradient w.r.t. logp, shapes (N,) "
              "and (B, T)", **loss_check)
def inside(rng):
    gen = tk.generator(rng)
    for shape, eps in (((1,), 0.2), ((4,), 0.1), ((2, 3), 0.3), ((16,), 0.2), ((4, 8), 0.25)):
        yield policy_case(gen, shape, eps=eps)


@grader.cases("ppo_clip_loss with ratios far outside [1 − ε, 1 + ε] on both sides, advantages of both signs: "
              "the clipped term passes no gradient where it is the smaller", **loss_check)
def outside(rng):
    gen = tk.generator(rng)
    yield Case(torch.tensor([0.0, 0.0, -1.0, -1.0], dtype=f64), torch.tensor([-1.0, -1.0, 0.0, 0.0], dtype=f64),
               torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=f64)).named("ratios e and 1/e, A = ±1")
    for shape, eps in (((3,), 0.1), ((8,), 0.2), ((3, 4), 0.3), ((6, 8), 0.2)):
        yield policy_case(gen, shape, far=True, eps=eps)


def padding(gen, B, T, as_float):
    lengths = torch.randint(1, T + 1, (B,), generator=gen)
    mask = torch.arange(T)[None, :] < lengths[:, None]
    return mask.to(f64) if as_float else mask


@grader.cases("ppo_clip_loss with a mask: one mean over the kept entries (bool and 0/1 float masks); masked "
              "entries change neither the value nor the gradient", **loss_check)
def masked(rng):
    gen = tk.generator(rng)
    yield policy_case(gen, (3,), mask=torch.tensor([True, False, True]))
    yield policy_case(gen, (4,), far=True, mask=torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=f64))
    for B, T, as_float in ((2, 3, False), (3, 5, True), (4, 8, False), (6, 10, True)):
        yield policy_case(gen, (B, T), far=bool(B % 2), eps=0.1 + 0.05 * (B % 3), mask=padding(gen, B, T, as_float))
    yield policy_case(gen, (5,), far=True, mask=torch.ones(5, dtype=torch.bool)).named("every entry kept")


grader.speed(lambda rng: policy_case(tk.generator(rng), (64, 1024), far=True,
                                     mask=padding(tk.generator(rng), 64, 1024, False)),
             entry="ppo_clip_loss", label="ppo_clip_loss on (64, 1024) with a padding mask")
