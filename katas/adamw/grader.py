import math

import numpy as np

from harness.engine import Case, Fail, Grader
from harness.engine.inplace import Held
from harness.engine.trajectory import compare_trajectories

grader = Grader("AdamW", forbidden=["torch"], pure=False)
RTOL, ATOL = 1e-6, 1e-9
IN_PLACE = "write into the arrays you were given (p -= …, p[...] = …); rebinding a name or a list slot is not in place"


class _Mistaken:
    """The reference's update with one classic mistake, to name it when an attempt matches it."""

    def __init__(self, params, mistake, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        self.p, self.mistake = params, mistake
        self.lr, (self.b1, self.b2), self.eps, self.wd = lr, betas, eps, weight_decay
        self.m = [np.zeros_like(p) for p in self.p]
        self.v = [np.zeros_like(p) for p in self.p]
        self.t = 0

    def step(self, grads):
        k, lr, b1, b2, eps = self.mistake, self.lr, self.b1, self.b2, self.eps
        self.t += k != "counter starts at 0"
        for i, (p, g) in enumerate(zip(self.p, grads)):
            t = self.t + i if k == "counter per array" else self.t
            if k == "decay in the gradient":
                g = g + self.wd * p
            elif k == "decay without lr":
                p *= 1 - self.wd
            elif k != "decay after the update":
                p *= 1 - lr * self.wd
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * g * g
            c1, c2 = (1.0, 1.0) if k == "no bias correction" else (1 - np.float64(b1) ** t, 1 - np.float64(b2) ** t)
            if k == "eps inside the root":
                denom = np.sqrt(self.v[i] / c2 + eps)
            elif k == "eps before the bias correction":
                denom = (np.sqrt(self.v[i]) + eps) / math.sqrt(c2)
            else:
                denom = np.sqrt(self.v[i]) / math.sqrt(c2) + eps
            p -= lr / c1 * self.m[i] / denom
            if k == "decay after the update":
                p *= 1 - lr * self.wd
        self.t += k == "counter starts at 0"
        if k == "counter per array":
            self.t += len(self.p) - 1


MISTAKES = {
    "no bias correction": "the update is missing the bias correction (divide m by 1 − β1^t and v by 1 − β2^t)",
    "counter starts at 0": "the first step must use t = 1: your step counter starts at 0",
    "counter per array": "the step counter t must be one per optimiser step, not advanced once per parameter array",
    "eps inside the root": "eps belongs outside the square root: sqrt(v̂) + eps, not sqrt(v̂ + eps)",
    "eps before the bias correction": "eps must be added after the bias correction of sqrt(v) "
                                      "(torch's order), not before it (the Adam paper's ε̂ form)",
    "decay in the gradient": "weight decay was added to the gradient (Adam + L2); AdamW decays the parameter itself",
    "decay after the update": "the decoupled decay must shrink the parameter before the Adam update, not after it",
    "decay without lr": "the decoupled decay is p·(1 − lr·weight_decay): yours leaves out lr",
}


def _random_grads(rng, shapes, steps, scale):
    seq = [[scale * rng.standard_normal(s) for s in shapes] for _ in range(steps)]
    return lambda t, params: [g.copy() for g in seq[t]]


def _quadratic_grads(rng, shapes, scale):
    """Gradients of Σ c·(p − target)²/2 at the optimiser's current parameters."""
    curv = [scale * rng.uniform(0.5, 2.0, s) for s in shapes]
    target = [rng.standard_normal(s) for s in shapes]
    return lambda t, params: [c * (np.asarray(p) - z) for c, p, z in zip(curv, params, target)]


def _drive(make, params0, grads_for, steps, check_grads=False):
    """Run an optimiser built by ``make(params)`` and yield the caller's arrays after each step."""
    params = [p.copy() for p in params0]
    opt = make(params)
    for t in range(steps):
        grads = grads_for(t, params)
        held = Held(grads, [f"gradient {i}" for i in range(len(grads))]) if check_grads else None
        opt.step(grads)
        if held is not None:
            held.assert_unchanged(why="step must not modify the gradients it is given")
        yield {f"params[{i}]": p for i, p in enumerate(params)}


def _render(shapes, hp, steps, grads_word):
    args = ", ".join(f"{k}={v!r}" for k, v in hp.items())
    arrays = ", ".join(f"array of shape {s}" for s in shapes)
    return f"AdamW([{arrays}]{', ' + args if args else ''}); {steps} steps, {grads_word}"


def _trajectory(ctx, shapes, hp, steps, grads_word, grads_for):
    rng = ctx.rng
    params0 = [rng.standard_normal(s) for s in shapes]
    ref = _drive(lambda ps: ctx.ref.AdamW(ps, **hp), params0, grads_for, steps)
    got = _drive(lambda ps: ctx.attempt.AdamW(ps, **hp), params0, grads_for, steps, check_grads=True)
    suspects = {msg: (lambda k=k: _drive(lambda ps: _Mistaken(ps, k, **hp), params0, grads_for, steps))
                for k, msg in MISTAKES.items()}
    with np.errstate(all="ignore"):
        compare_trajectories(ref, got, rtol=RTOL, atol=ATOL, case=_render(shapes, hp, steps, grads_word),
                             suspects=suspects)


def _configs(name, configs):
    """One row: each (shapes, hyper-parameters, steps, gradient scale, quadratic?) a trajectory."""

    @grader.property(name)
    def run(ctx):
        for shapes, hp, steps, scale, quadratic in configs:
            if quadratic:
                grads_for, word = _quadratic_grads(ctx.rng, shapes, scale), "gradients of a quadratic loss of the current parameters"
            else:
                grads_for, word = _random_grads(ctx.rng, shapes, steps, scale), f"random gradients of scale {scale:g}"
            _trajectory(ctx, shapes, hp, steps, word, grads_for)


@grader.property("updates the caller's arrays in place (a 0-d one included) and returns None")
def in_place(ctx):
    shapes = [(), (5,), (3, 4)]
    params = [ctx.rng.standard_normal(s) for s in shapes]
    grads = [ctx.rng.standard_normal(s) for s in shapes]
    expected = [p.copy() for p in params]
    ctx.ref.AdamW(expected, lr=0.1).step([g.copy() for g in grads])
    held = Held(params, [f"params[{i}] (shape {s})" for i, s in enumerate(shapes)])
    out = ctx.attempt.AdamW(params, lr=0.1).step([g.copy() for g in grads])
    case = "opt = AdamW([arrays of shapes (), (5,), (3, 4)], lr=0.1); opt.step(grads)"
    held.assert_updated(expected, case=case, rebound_hint=IN_PLACE)  # values: the trajectory checks
    if out is not None:
        raise Fail(f"step must return None (it updates the parameters in place); yours returned {out!r}",
                   case=case)


_configs("with the constructor's defaults, every parameter matches torch.optim.AdamW after every step", [
             ([(5,)], {}, 50, 1.0, False),
             ([(), (3, 4)], {}, 60, 1.0, True),
         ])

_configs("follows torch.optim.AdamW over 50–100 steps: shapes (), (5,), (3, 4), (2, 3, 2), several arrays", [
    ([()], dict(lr=0.01, weight_decay=0.1), 50, 1.0, False),
    ([(5,)], dict(lr=0.05, betas=(0.5, 0.9), weight_decay=0.5), 60, 1.0, False),
    ([(3, 4), (5,)], dict(lr=0.1, betas=(0.0, 0.99), weight_decay=0.01), 70, 1.0, False),
    ([(2, 3, 2), (), (3, 4)], dict(lr=1e-3, betas=(0.8, 0.95), eps=1e-3, weight_decay=0.2), 100, 1.0, False),
])

_configs("weight_decay = 0 behaves as torch.optim.Adam", [
    ([(5,), ()], dict(lr=0.01, weight_decay=0.0), 50, 1.0, False),
    ([(3, 4)], dict(lr=0.1, betas=(0.5, 0.9), weight_decay=0.0), 80, 1.0, True),
])

_configs("tiny gradients (scale 1e-8 and 1e-6), where eps matters", [
    ([(5,), (3, 4)], dict(lr=0.01, weight_decay=0.05), 60, 1e-8, False),
    ([(), (2, 3, 2)], dict(lr=0.01, eps=1e-3, weight_decay=0.0), 60, 1e-6, False),
    ([(3, 4)], dict(lr=0.1, betas=(0.8, 0.95), weight_decay=0.1), 60, 1e-6, False),
])

_configs("large gradients (scale 100) and gradients of a quadratic loss of the current parameters", [
    ([(5,), (2, 3, 2)], dict(lr=0.05, betas=(0.0, 0.99), weight_decay=0.3), 60, 100.0, False),
    ([(), (3, 4), (5,)], dict(lr=0.02, weight_decay=0.1), 100, 1.0, True),
    ([(2, 3, 2)], dict(lr=0.1, betas=(0.8, 0.95), eps=1e-3, weight_decay=0.5), 80, 100.0, True),
])


_configs("boundary settings torch accepts: lr = 0, eps = 0, betas (0, 0), weight_decay = 0", [
    ([(5,), ()], dict(lr=0.0, weight_decay=0.1), 50, 1.0, False),
    ([(3, 4)], dict(lr=0.01, eps=0.0, betas=(0.0, 0.0), weight_decay=0.0), 50, 1.0, False),
])


def _construct(impl, case):
    return impl.AdamW(*case.args, **case.kwargs)


def _params():
    return [np.zeros(3), np.zeros((2, 2))]


grader.raises("invalid hyper-parameters raise ValueError at construction", ValueError, [
    Case(_params(), lr=-1e-3).named("lr < 0"),
    Case(_params(), eps=-1e-8).named("eps < 0"),
    Case(_params(), betas=(1.0, 0.999)).named("beta1 = 1"),
    Case(_params(), betas=(0.9, 1.0)).named("beta2 = 1"),
    Case(_params(), betas=(-0.1, 0.999)).named("beta1 < 0"),
    Case(_params(), betas=(0.9, -0.5)).named("beta2 < 0"),
    Case(_params(), weight_decay=-0.01).named("weight_decay < 0"),
], call=_construct, why="as torch.optim.AdamW")


def _bad_step(impl, case):
    impl.AdamW(_params()).step(*case.args)


grader.raises("step raises ValueError for gradients that do not match the parameters", ValueError, [
    Case([np.ones(3)]).named("one gradient for two parameters"),
    Case([np.ones(3), np.ones((2, 2)), np.ones(1)]).named("three gradients for two parameters"),
    Case([np.ones(3), np.ones((4,))]).named("gradient 1 of shape (4,) for a (2, 2) parameter"),
], call=_bad_step, why="the grads list must match the parameters")


def _speed_case(rng):
    case = Case([rng.standard_normal((256, 256)), rng.standard_normal(4096)])
    case.grads = [rng.standard_normal((256, 256)), rng.standard_normal(4096)]
    return case


def _speed_call(impl, case):
    opt = impl.AdamW(case.args[0], lr=0.01)
    for _ in range(20):
        opt.step([g.copy() for g in case.grads])


grader.speed(_speed_case, call=_speed_call, label="20 steps on a (256, 256) and a (4096,) parameter")
