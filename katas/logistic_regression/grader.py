import numpy as np

from harness.engine import Case, Grader, close
from harness.engine.compare import first_match, parts
from harness.engine.conditioning import float_like

grader = Grader(["fit_logistic_regression", "predict_proba"], forbidden=["torch", "sklearn"])
probabilities = close(kind="array", what="probabilities")
same_fit = parts({0: close(kind="array"), 1: float_like()}, {0: "w", 1: "b"})
OVERFLOW = "σ(z) overflowed: exp(z) / (1 + exp(z)) is inf / inf = nan once z > 709"


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def descend(X, y, lr, epochs, l2, *, w_mean=True, b_mean=True, l2_bias=False, l2_times=1.0, sequential=False):
    """The contract's loop with one named mistake switched on."""
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(epochs):
        r = sigmoid(X @ w + b) - y
        w_new = w - lr * ((X.T @ r) / (n if w_mean else 1) + l2_times * l2 * w)
        if sequential:  # b's gradient taken after w moved
            r = sigmoid(X @ w_new + b) - y
        b = b - lr * (r.sum() / (n if b_mean else 1) + (l2 * b if l2_bias else 0.0))
        w = w_new
    return np.concatenate([w, [b]])


def training_mistake(case, got):
    X, y = case.args[0], np.asarray(case.args[1], dtype=np.float64)
    kw = case.kwargs
    try:
        flat = np.concatenate([np.ravel(got[0]), np.ravel(got[1])]).astype(np.float64)
    except Exception:
        return None
    if not np.isfinite(flat).all():
        return OVERFLOW
    lr, epochs, l2 = kw["lr"], kw["epochs"], kw["l2"]
    run = lambda **mistake: descend(X, y, lr, epochs, l2, **mistake)  # noqa: E731
    suspects = {
        "one step too few: make exactly `epochs` updates": descend(X, y, lr, epochs - 1, l2) if epochs else None,
        "one step too many: make exactly `epochs` updates": descend(X, y, lr, epochs + 1, l2),
        "the gradient of w is not divided by n (the loss is a mean over the samples)": run(w_mean=False),
        "the gradients are not divided by n (the loss is a mean over the samples)": run(w_mean=False, b_mean=False),
        "the bias gradient is summed over the samples instead of averaged": run(b_mean=False),
        "w was updated before b's gradient was computed: take both gradients from the same p": run(sequential=True),
    }
    if l2:
        suspects.update({
            "the bias is penalised too: l2 only applies to w": run(l2_bias=True),
            "the penalty gradient is 2·l2·w; the penalty is (l2/2)·‖w‖², whose gradient is l2·w": run(l2_times=2.0),
        })
    return first_match(flat, {k: v for k, v in suspects.items() if v is not None})


def probability_mistake(case, got):
    X, w, b = case.args
    got = np.asarray(got, dtype=np.float64)
    if got.shape != (len(X),):
        return None
    if np.isnan(got).any():
        return OVERFLOW
    expected = sigmoid(X @ w + b)
    low = float(got[np.argmin(expected)])
    if 0 < low < 0.5 and np.allclose(got, np.clip(expected, low, 1 - low), rtol=1e-6, atol=1e-9):
        return f"the probabilities are clipped to [{low:.3g}, 1 − {low:.3g}]; return σ(z) itself, unclipped"
    return None


def training(rng, n, d, *, lr, epochs, l2, scale=1.0, int_labels=False):
    X = rng.normal(scale=scale, size=(n, d)) + rng.normal(scale=0.5 * scale, size=d)
    w_true = rng.normal(scale=2.0 / scale, size=d)
    y = (rng.random(n) < sigmoid(X @ w_true + rng.normal())).astype(np.int64 if int_labels else np.float64)
    y[0], y[-1] = 0, 1  # both classes
    return Case(X, y, lr=lr, epochs=epochs, l2=l2)


@grader.cases("predict_proba: σ(Xw + b) for random X, w, b", compare=probabilities, entry="predict_proba",
              explain=probability_mistake)
def random_probabilities(rng):
    for n, d in ((1, 1), (3, 2), (10, 4), (100, 5)):
        yield Case(rng.normal(size=(n, d)), rng.normal(size=d), float(rng.normal()))


def at_z(values):
    """X, w, b with X @ w + b equal to `values` exactly."""
    return Case(np.asarray(values, dtype=np.float64)[:, None], np.array([1.0]), 0.0)


grader.cases("predict_proba is exact and finite for |z| up to 1e4 (no nan, no clipping)", [
    at_z([0.0, 30.0, -30.0]),
    at_z([1e3, -1e3]),
    at_z([709.5, -745.0]),
    at_z([1e4, -1e4, 0.0]),
    at_z(np.linspace(-60.0, 60.0, 25)),
    Case(np.array([[1e3, 2.0], [-3.0, -1e3]]), np.array([2.0, 5.0]), -1.0).named("large z from X @ w + b"),
], compare=probabilities, entry="predict_proba", explain=probability_mistake)


@grader.cases("epochs = 0 returns w = zeros(d) and b = 0.0", compare=same_fit, explain=training_mistake)
def no_steps(rng):
    for d in (1, 3):
        yield training(rng, 4, d, lr=0.1, epochs=0, l2=0.0)
    yield training(rng, 5, 2, lr=0.5, epochs=0, l2=1.0)


@grader.cases("one and two gradient steps from zero (mean gradient, bias not penalised)", compare=same_fit,
              explain=training_mistake)
def few_steps(rng):
    for epochs in (1, 2):
        for d, l2 in ((1, 0.0), (2, 0.1), (3, 1.0)):
            yield training(rng, 6, d, lr=0.5, epochs=epochs, l2=l2)


@grader.cases("10 and 100 steps: lr 0.01–1, l2 0, 0.1, 1, d 1–5, int and float labels", compare=same_fit,
              explain=training_mistake)
def many_steps(rng):
    for epochs in (10, 100):
        for d, lr, l2, ints in ((1, 0.01, 0.0, False), (2, 0.3, 0.1, True), (3, 1.0, 1.0, False),
                                (5, 0.1, 0.1, False), (4, 0.5, 0.0, True)):
            yield training(rng, int(rng.integers(10, 40)), d, lr=lr, epochs=epochs, l2=l2, int_labels=ints)


@grader.cases("training with features of scale 100 and lr 1 (|z| passes 1e3) stays exact and finite",
              compare=same_fit, explain=training_mistake)
def large_logits(rng):
    for epochs, l2 in ((2, 0.0), (10, 0.0), (10, 0.1), (100, 0.0)):
        yield training(rng, 20, 3, lr=1.0, epochs=epochs, l2=l2, scale=100.0)


grader.speed(lambda rng: training(rng, 5000, 20, lr=0.5, epochs=200, l2=0.1),
             label="200 epochs on 5000 × 20", entry="fit_logistic_regression")
