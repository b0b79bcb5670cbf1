import numpy as np

from harness.engine import Case, Fail, Grader
from harness.engine.inplace import Held
from harness.engine.trajectory import compare_trajectories

grader = Grader("BatchNorm1d", forbidden=["torch"], pure=False)
RTOL, ATOL = 1e-6, 1e-9


# ------------------------------------------------------------------ scripts
# A script is what a training loop does to one BatchNorm1d: a list of operations
#   ("train", x) / ("train_default", x) / ("eval", x) / ("backward", dy) / ("assign", {attr: array}).
# Each operation but "assign" is one step of the trajectory compared with the reference.

def _run(make, script, check_inputs=False):
    bn = make()
    for op, arg in script:
        if op == "assign":
            for attr, value in arg.items():
                setattr(bn, attr, value.copy())
            continue
        arg = arg.copy()
        held = Held([arg], ["x" if op != "backward" else "dy"]) if check_inputs else None
        if op == "backward":
            dx = bn.backward(arg)
            state = {"dx": dx, "dgamma": getattr(bn, "dgamma", None), "dbeta": getattr(bn, "dbeta", None)}
        else:
            y = bn.forward(arg) if op == "train_default" else bn.forward(arg, training=op == "train")
            state = {"y": y, "running_mean": bn.running_mean, "running_var": bn.running_var}
        if held is not None:
            held.assert_unchanged(why=f"{'backward' if op == 'backward' else 'forward'} must not modify its input")
        yield state


class _Mistaken:
    """A BatchNorm1d with one classic mistake, to name it when an attempt's numbers match it."""

    def __init__(self, mistake, num_features, eps=1e-5, momentum=0.1):
        self.k, self.eps, self.m = mistake, eps, momentum
        self.gamma, self.beta = np.ones(num_features), np.zeros(num_features)
        self.running_mean, self.running_var = np.zeros(num_features), np.ones(num_features)
        self.dgamma = self.dbeta = 0.0

    def forward(self, x, training=True):
        k, m = self.k, self.m
        if not training and k != "batch stats in eval":
            return self.gamma * (x - self.running_mean) / np.sqrt(self.running_var + self.eps) + self.beta
        mu, var = x.mean(0), x.var(0, ddof=1 if k == "unbiased normalisation" else 0)
        std = np.sqrt(var) + self.eps if k == "eps outside the root" else np.sqrt(var + self.eps)
        self.x_hat, self.inv_std, self.g = (x - mu) / std, 1 / std, self.gamma.copy()
        if training:
            new_var = x.var(0) if k == "biased running variance" else x.var(0, ddof=1)
            w_old, w_new = (m, 1 - m) if k == "momentum inverted" else (1 - m, m)
            self.running_mean = w_old * self.running_mean + w_new * mu
            self.running_var = w_old * self.running_var + w_new * new_var
        return self.gamma * self.x_hat + self.beta

    def backward(self, dy):
        n, x_hat = dy.shape[0], self.x_hat
        dgamma = (dy * x_hat).sum(0)
        accumulate = self.k.startswith("dgamma")
        self.dgamma = self.dgamma + dgamma if accumulate else dgamma
        self.dbeta = self.dbeta + dy.sum(0) if self.k == "dgamma and dbeta accumulate" else dy.sum(0)
        if self.k == "dx without the mean terms":
            return dy * self.g * self.inv_std
        return self.g * self.inv_std / n * (n * dy - dy.sum(0) - x_hat * dgamma)


MISTAKES = {
    "unbiased normalisation": "the batch must be normalised with the biased variance (divide by N); yours uses N − 1",
    "biased running variance": "running_var must be updated with the unbiased batch variance (N − 1), as torch; "
                               "yours uses the biased one",
    "momentum inverted": "momentum weights the new batch: running ← (1 − momentum)·running + momentum·batch; "
                         "yours has the weights swapped",
    "batch stats in eval": "in eval mode (training=False) normalise with the running statistics, not the batch's",
    "eps outside the root": "eps belongs inside the square root: sqrt(var + eps), not sqrt(var) + eps",
    "dx without the mean terms": "dx must flow through the batch mean and variance too; yours treats them as "
                                 "constants (dy·gamma/std only)",
    "dgamma accumulates": "dgamma must be overwritten by each backward, not accumulated over calls",
    "dgamma and dbeta accumulate": "dgamma and dbeta must be overwritten by each backward, not accumulated over calls",
}


def _shown(value):
    """Small arrays in full (so the case can be replayed), larger ones by shape."""
    return np.array2string(value, precision=4, separator=", ").replace("\n", "") if value.size <= 12 \
        else f"<array of shape {value.shape}>"


def _render(init, script):
    args = ", ".join([str(init["num_features"])] + [f"{k}={v!r}" for k, v in init.items() if k != "num_features"])
    ops, i = [], 0
    for op, arg in script:
        if op == "assign":
            ops.append(", ".join(f"bn.{k} = {_shown(v)}" for k, v in arg.items()))
            continue
        i += 1
        text = {"train": "bn.forward({}, training=True)", "train_default": "bn.forward({})",
                "eval": "bn.forward({}, training=False)", "backward": "bn.backward({})"}[op]
        ops.append(f"[step {i}] " + text.format(_shown(arg)))
    return f"bn = BatchNorm1d({args}); " + "; ".join(ops)


def _compare(ctx, init, script):
    def suspect(k):
        return lambda: _run(lambda: _Mistaken(k, **init), script)

    with np.errstate(all="ignore"):
        compare_trajectories(_run(lambda: ctx.ref.BatchNorm1d(**init), script),
                             _run(lambda: ctx.attempt.BatchNorm1d(**init), script, check_inputs=True),
                             rtol=RTOL, atol=ATOL, case=_render(init, script), state_dtypes=True,
                             suspects={msg: suspect(k) for k, msg in MISTAKES.items()})


def scripts(name):
    """Declare a row: the decorated ``fn(rng)`` yields (init kwargs, script) pairs, small to large."""

    def register(fn):
        @grader.property(name)
        def run(ctx):
            for init, script in fn(ctx.rng):
                _compare(ctx, init, script)

        return fn

    return register


def _x(rng, n, c, scale=1.0):
    return rng.standard_normal((n, c)) * scale * rng.uniform(0.5, 3.0, c) + rng.uniform(-2.0, 2.0, c)


def _affine(rng, c):
    return {"gamma": rng.standard_normal(c), "beta": rng.standard_normal(c)}


# ------------------------------------------------------------------ checks
@grader.property("starts with gamma = 1, beta = 0, running_mean = 0, running_var = 1 (float64, (C,))")
def initial(ctx):
    bn = ctx.attempt.BatchNorm1d(3)
    for attr, value in (("gamma", 1.0), ("beta", 0.0), ("running_mean", 0.0), ("running_var", 1.0)):
        got = getattr(bn, attr, None)
        if not isinstance(got, np.ndarray) or got.shape != (3,) or got.dtype != np.float64 \
                or not np.array_equal(got, np.full(3, value)):
            raise Fail(f"`{attr}` should start as a float64 array of shape (3,) filled with {value:g}",
                       case="BatchNorm1d(3)", got=repr(got))


@scripts("training: y, running_mean and running_var after each of 5 steps, as nn.BatchNorm1d")
def training(rng):
    for n, c, momentum, eps in ((2, 3, 0.1, 1e-5), (5, 4, 0.5, 1e-3), (3, 1, 0.1, 1e-5), (16, 7, 1.0, 1e-5),
                                (8, 5, 0.0, 1e-5)):
        script = [("train", _x(rng, n, c)) for _ in range(5)]
        script.insert(2, ("assign", _affine(rng, c)))  # gamma and beta reassigned mid-way
        yield dict(num_features=c, eps=eps, momentum=momentum), script


@scripts("training by default (forward(x) without `training`), with the default eps and momentum")
def default_mode(rng):
    yield dict(num_features=3), [("train_default", _x(rng, 4, 3)) for _ in range(3)]


@scripts("a batch of std 1e-3, where eps matters")
def tiny_std(rng):
    for n, c, eps in ((4, 3, 1e-5), (8, 2, 1e-3)):
        yield dict(num_features=c, eps=eps), [("train", _x(rng, n, c, scale=1e-3)) for _ in range(3)]


@scripts("eval after training, N = 1, N and 7: the running statistics, left unchanged")
def eval_after_training(rng):
    for n, c, momentum in ((4, 3, 0.1), (6, 2, 0.5)):
        script = [("train", _x(rng, n, c)) for _ in range(3)] + [("assign", _affine(rng, c))]
        script += [("eval", _x(rng, size, c)) for size in (1, n, 7)] + [("train", _x(rng, n, c))]
        yield dict(num_features=c, momentum=momentum), script


@scripts("eval with running statistics the grader assigned")
def eval_assigned(rng):
    c = 4
    stats = {"running_mean": rng.standard_normal(c), "running_var": rng.uniform(0.1, 3.0, c), **_affine(rng, c)}
    yield dict(num_features=c), [("assign", stats), ("eval", _x(rng, 1, c)), ("eval", _x(rng, 5, c))]


@scripts("backward: dx, dgamma and dbeta, as autograd, for two forward/backward pairs in a row")
def backward(rng):
    for n, c in ((2, 1), (3, 2), (5, 4), (16, 7)):
        script = [("assign", _affine(rng, c)), ("train", _x(rng, n, c)), ("backward", rng.standard_normal((n, c))),
                  ("assign", _affine(rng, c)), ("train", _x(rng, n, c)), ("backward", rng.standard_normal((n, c)))]
        yield dict(num_features=c, eps=1e-3 if c == 2 else 1e-5), script


def _forward(impl, case):
    return impl.BatchNorm1d(3).forward(*case.args, **case.kwargs)


grader.raises("a training forward with N = 1 raises ValueError (as torch)", ValueError,
              [Case(np.ones((1, 3)), training=True).named("x of shape (1, 3)")], call=_forward,
              entry="BatchNorm1d(3).forward", why="one value per channel has no variance")

grader.raises("x not 2-D or with another number of features raises ValueError, in both modes", ValueError, [
    Case(np.ones(shape), training=training).named(f"x of shape {shape}")
    for training in (True, False) for shape in ((3,), (2, 3, 1), (4, 2), (4, 5))
], call=_forward, entry="BatchNorm1d(3).forward", why="BatchNorm1d(3) takes (N, 3) inputs")


def _speed_call(impl, case):
    bn = impl.BatchNorm1d(case.args[0].shape[1])
    for _ in range(5):
        bn.forward(case.args[0])
        bn.backward(case.args[1])


grader.speed(lambda rng: Case(rng.standard_normal((4096, 256)), rng.standard_normal((4096, 256))),
             call=_speed_call, label="5 forward/backward pairs on a (4096, 256) batch")
