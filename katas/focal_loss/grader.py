import torch

from harness.engine import Case, Grader
from harness.engine import torchkit as tk

grader = Grader("FocalLoss")
f64 = torch.float64




def batch(gen, N, C, scale=2.0):
    """logits (N, C) and targets (N,) covering every class (the last one included) when N >= C."""
    logits = torch.randn(N, C, generator=gen, dtype=f64) * scale
    targets = torch.randint(0, C, (N,), generator=gen)
    targets[: min(N, C)] = torch.arange(C - 1, C - 1 - min(N, C), -1)
    return Case(logits, targets)


def parity(name):
    """Decorator: value in float64 and float32, gradient w.r.t. the logits in float64; no state to load."""
    def register(configs):
        tk.module_parity(grader, name, "FocalLoss", configs, randomize_weights=False, grad_inputs=(0,))
        return configs
    return register


@parity("alpha=None (weight 1, targets of every class) and gamma = 0 equal F.cross_entropy, each reduction")
def cross_entropy(rng):
    gen = tk.generator(rng)
    for reduction in ("none", "sum", "mean"):
        yield {"alpha": None, "gamma": 0.0, "reduction": reduction}, [batch(gen, 3, 2), batch(gen, 8, 5)]


@parity("alpha=None with gamma 0.5, 1, 2 and 3: -(1 - p_t)^gamma · log p_t")
def focusing(rng):
    gen = tk.generator(rng)
    for gamma in (2.0, 0.5, 1.0, 3.0):
        for reduction in ("none", "sum"):
            yield {"alpha": None, "gamma": gamma, "reduction": reduction}, [batch(gen, 6, 4), batch(gen, 16, 10)]


@parity("a float alpha weights every class alike; a list of C floats is indexed by the target")
def alphas(rng):
    gen = tk.generator(rng)
    for alpha in (0.25, 3.0, [0.1, 0.2, 0.3, 0.4], (2.0, 0.5, 1.0, 0.25)):
        for reduction in ("none", "sum"):
            yield {"alpha": alpha, "gamma": 2.0, "reduction": reduction}, [batch(gen, 4, 4), batch(gen, 12, 4)]


@parity("reduction='mean' is the plain mean over the N samples (not divided by the alpha weights)")
def mean_reduction(rng):
    gen = tk.generator(rng)
    for alpha, gamma in ((None, 2.0), (0.25, 2.0), ([0.1, 0.2, 0.3, 0.4], 2.0), ([1.0, 2.0, 3.0, 4.0], 1.0)):
        yield {"alpha": alpha, "gamma": gamma}, [batch(gen, 4, 4), batch(gen, 10, 4)]


def huge(rng):
    # row 0: the target loses by 2000 -> -log p_t = 2000; row 1: the target wins by 2000 -> 0
    logits = torch.tensor([[1000.0, -1000.0, -1000.0], [-1000.0, 1000.0, -1000.0],
                           [0.0, 1000.0, -1000.0], [3.0, -1.0, 0.5]], dtype=f64)
    targets = torch.tensor([2, 1, 0, 0])
    for alpha in (None, [1.0, 1.0, 0.5]):
        for gamma in (0.0, 2.0):
            yield {"alpha": alpha, "gamma": gamma, "reduction": "none"}, [Case(logits, targets)]
    yield {"alpha": 0.25, "gamma": 2.0, "reduction": "sum"}, [Case(logits, targets)]


parity("logits of ±1e3 are exact: a sure miss costs alpha · 2000, a sure hit 0 (log_softmax, no clamp "
       "on p_t)")(huge)

grader.raises("an unknown reduction raises ValueError (at construction or on the first call)", ValueError, [
    Case(reduction="avg"), Case(alpha=0.25, reduction="batchmean"), Case(reduction=None),
], call=lambda impl, case: impl.FocalLoss(**case.kwargs)(torch.randn(3, 4, dtype=f64), torch.tensor([0, 3, 1])),
    why="reduction must be 'none', 'mean' or 'sum'")


tk.module_promises(grader, "FocalLoss", {"alpha": [0.2, 0.3, 0.5], "gamma": 2.0, "reduction": "none"},
                   lambda gen, n: batch(gen, n + 2, 3), load_state=False, what_varies="another batch size")
