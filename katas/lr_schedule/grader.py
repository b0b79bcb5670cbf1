import math

from harness.engine import Case, Fail, Grader
from harness.engine.trajectory import compare_trajectories

grader = Grader("cosine_with_warmup", forbidden=["torch", "transformers"], pure=False)

# (base_lr, warmup_steps, total_steps, min_lr): the row's schedules, small first.
SCHEDULES = [
    (0.5, 0, 0, 0.0), (1.0, 1, 1, 0.2), (0.1, 1, 2, 0.0), (1e-2, 0, 1, 1e-3), (0.5, 7, 7, 0.05), (1e-3, 0, 10, 0.0),
    (1.0, 10, 11, 0.1), (2e-3, 3, 50, 0.0), (3e-4, 5, 100, 3e-5), (6e-4, 100, 1000, 6e-5), (5e-4, 2000, 2500, 0.0),
]
EXTRA = 20  # steps graded past total_steps


# Known wrong schedules, to name the mistake behind a divergence.
def _hf_unclamped(s, b, w, t, m):
    if s < w:
        return b * s / w
    return m + (b - m) * 0.5 * (1 + math.cos(math.pi * (s - w) / max(1, t - w)))


def _mistake(kind):
    def lr(s, b, w, t, m):
        if kind == "no clamp":
            return _hf_unclamped(s, b, w, t, m)
        if kind == "clamp after total only":
            return m if s > t else _hf_unclamped(s, b, w, t, m)
        if s >= t:
            return m
        if s < w:
            return {"warmup off by one": b * (s + 1) / w, "warmup from min_lr": m + (b - m) * s / w}.get(kind, b * s / w)
        if kind == "decay over total":
            return m + (b - m) * 0.5 * (1 + math.cos(math.pi * (s - w) / t))
        if kind == "min_lr as a floor":
            return max(m, b * 0.5 * (1 + math.cos(math.pi * (s - w) / (t - w))))
        return m + (b - m) * 0.5 * (1 + math.cos(math.pi * (s - w) / (t - w)))

    return lr


MISTAKES = {
    "warmup off by one": "off by one in the warmup: step 0 must give 0 and step = warmup_steps gives base_lr "
                         "(base_lr·step/warmup_steps, not (step + 1)/warmup_steps)",
    "decay over total": "the cosine runs over total_steps − warmup_steps steps after the warmup, not over total_steps",
    "no clamp": "after total_steps the learning rate stays at min_lr; the cosine formula must not rise again",
    "clamp after total only": "step = total_steps already gives min_lr, also when warmup_steps = total_steps "
                              "(your schedule gives base_lr there)",
    "warmup from min_lr": "the warmup ramps from 0 to base_lr; min_lr plays no part in it",
    "min_lr as a floor": "the cosine decays from base_lr to min_lr (min_lr + (base_lr − min_lr)·…); "
                         "clipping a cosine that decays to 0 at min_lr is a different curve",
}


def _schedule(fn, sched, default_min_lr=False):
    base, warm, total, min_lr = sched
    for step in range(total + EXTRA + 1):
        lr = fn(step, base, warm, total) if default_min_lr else fn(step, base, warm, total, min_lr)
        yield {"lr": lr}


def _is_float(value) -> bool:
    """A Python float or a numpy floating scalar (numpy is not imported for a plain-Python kata)."""
    return isinstance(value, float) or any(c.__name__ == "floating" and c.__module__ == "numpy"
                                           for c in type(value).__mro__)


def _typed(states, sched):
    """The attempt's values, with the promised return type checked."""
    for step, state in enumerate(states):
        if not _is_float(state["lr"]):
            raise Fail(f"must return a float; at step {step} yours returned {type(state['lr']).__name__} "
                       f"{state['lr']!r}", case=_render(sched))
        yield state


def _render(sched, default_min_lr=False):
    base, warm, total, min_lr = sched
    extra = "" if default_min_lr else f", min_lr={min_lr!r}"
    return (f"cosine_with_warmup(step, base_lr={base!r}, warmup_steps={warm}, total_steps={total}{extra}) "
            f"for step = 0 … {total + EXTRA}")


def _compare(ctx, sched, default_min_lr=False):
    suspects = {msg: (lambda k=k: _schedule(_mistake(k), sched, default_min_lr)) for k, msg in MISTAKES.items()}
    compare_trajectories(_schedule(ctx.ref.cosine_with_warmup, sched, default_min_lr),
                         _typed(_schedule(ctx.attempt.cosine_with_warmup, sched, default_min_lr), sched),
                         rtol=1e-12, atol=1e-14 * sched[0], case=_render(sched, default_min_lr), start=0,
                         lookahead=EXTRA,
                         suspects=suspects)


@grader.property("every step from 0 to total_steps + 20 of schedules with and without warmup, min_lr 0 and > 0")
def schedules(ctx):
    for sched in SCHEDULES:
        if sched[1] != sched[2]:
            _compare(ctx, sched)


@grader.property("warmup_steps = total_steps (7 and 7, 1 and 1, 0 and 0): min_lr from total_steps on")
def warmup_equals_total(ctx):
    for sched in SCHEDULES:
        if sched[1] == sched[2]:
            _compare(ctx, sched)


@grader.property("the default min_lr is 0")
def default_min_lr(ctx):
    for sched in ((1.0, 2, 8, 0.0), (3e-4, 5, 30, 0.0)):
        _compare(ctx, sched, default_min_lr=True)


grader.raises("step < 0, warmup_steps < 0 or total_steps < warmup_steps raise ValueError", ValueError, [
    Case(-1, 1e-3, 10, 100).named("step < 0"),
    Case(0, 1e-3, -1, 100).named("warmup_steps < 0"),
    Case(5, 1e-3, 10, 9).named("total_steps < warmup_steps"),
    Case(0, 1e-3, 1, 0).named("total_steps = 0 < warmup_steps = 1"),
], why="the schedule is undefined")


def _speed_call(impl, case):
    for step in range(0, 50_000):
        impl.cosine_with_warmup(step, 3e-4, 2000, 100_000, 3e-5)


grader.speed(lambda rng: Case(), call=_speed_call, label="50 000 calls (warmup 2000, total 100 000)")
