"""The sliding-window perplexity reference against brute-force enumeration.

The independent implementation enumerates the windows, decides for every token which
window scores it with explicit sets, and adds up -log p token by token with scipy's
logsumexp on the logits of that window.
"""
import math

import numpy as np
import pytest
import torch
from scipy.special import logsumexp

from harness.engine.tiny_lm import TinyCausalLM
from tests.helpers import load_solution

ref = load_solution("sliding_window_perplexity")
V = 48


def brute_force(model, ids, max_length, stride):
    n = ids.shape[1]
    windows = []
    b = 0
    while True:
        windows.append((b, min(b + max_length, n)))
        if windows[-1][1] == n:
            break
        b += stride
    seen = set()
    total, count = 0.0, 0
    for begin, end in windows:
        # the contract, literally: tokens of the window that no earlier window scored,
        # except the window's own first token
        todo = [j for j in range(begin + 1, end) if j not in seen]
        if not todo:
            continue
        logits = model(ids[:, begin:end])[0].detach().numpy()
        for j in todo:
            row = logits[j - begin - 1]
            total += logsumexp(row) - row[ids[0, j].item()]
            count += 1
            seen.add(j)
    return math.exp(total / count), count


def make(n, max_length, seed=0):
    model = TinyCausalLM(V, max_length, seed)
    return model, model.generate(n, seed=100 + seed)


@pytest.mark.parametrize("n,max_length,stride", [
    (37, 8, 8),    # stride = max_length, short last window (37 = 4*8 + 5)
    (33, 8, 8),    # last window of a single token: it scores nothing
    (32, 8, 8),    # windows tile exactly
    (37, 8, 1),    # stride 1: every window scores one new token
    (37, 8, 3),    # overlapping windows, short last window
    (40, 8, 5),
    (25, 16, 7),
    (8, 8, 3),     # N = max_length: one window
    (5, 8, 2),     # N < max_length
    (2, 2, 1),     # smallest case
])
def test_against_brute_force(n, max_length, stride):
    model, ids = make(n, max_length, seed=n + stride)
    want, count = brute_force(model, ids, max_length, stride)
    model.reset_calls()
    got = ref.sliding_window_perplexity(model, ids, max_length, stride)
    assert isinstance(got, float)
    assert got == pytest.approx(want, rel=1e-12)
    assert max(model.lengths) <= max_length
    if stride < max_length:
        assert count == n - 1
    else:
        assert count == n - math.ceil(n / max_length)


def test_one_window_is_one_call_and_plain_perplexity():
    ppl = load_solution("perplexity")
    model, ids = make(12, 16)
    model.reset_calls()
    got = ref.sliding_window_perplexity(model, ids, 16, 4)
    assert model.calls == 1
    assert got == pytest.approx(ppl.perplexity(model(ids), ids), rel=1e-12)


def test_stride_equal_max_length_is_not_the_mean_of_window_means():
    model, ids = make(21, 8)       # windows of 8, 8, 5 tokens: 7, 7, 4 scored
    got = ref.sliding_window_perplexity(model, ids, 8, 8)
    means = []
    for b in (0, 8, 16):
        w = ids[:, b:b + 8]
        logp = torch.log_softmax(model(w)[0], -1)
        means.append(-logp[torch.arange(w.shape[1] - 1), w[0, 1:]].mean().item())
    assert abs(got - math.exp(np.mean(means))) > 1e-6


def test_context_matters_in_the_tiny_model():
    # the same text scored with stride 1 (long contexts) and stride = max_length
    # (short contexts) gives different perplexities
    model, ids = make(30, 8)
    assert abs(ref.sliding_window_perplexity(model, ids, 8, 1)
               - ref.sliding_window_perplexity(model, ids, 8, 8)) > 1e-3


@pytest.mark.parametrize("stride", [0, -1, 9, 100])
def test_bad_stride_raises(stride):
    model, ids = make(20, 8)
    with pytest.raises(ValueError):
        ref.sliding_window_perplexity(model, ids, 8, stride)


def test_tiny_lm_contract():
    m1, ids = make(10, 8)
    m2 = TinyCausalLM(V, 8, 0)
    assert sum(p.numel() for p in m1.parameters()) < 10_000
    x = ids[:, :8]
    out = m1(x)
    assert out.shape == (1, 8, V) and out.dtype == torch.float64
    assert torch.equal(out, m2(x))                         # deterministic from the seed
    assert not torch.equal(out, TinyCausalLM(V, 8, 1)(x))  # the seed matters
    assert m1.calls == 1 and m1.lengths == [8]
    y = x.clone()
    y[0, 5] = (y[0, 5] + 1) % V
    out2 = m1(y)
    assert torch.equal(out[:, :5], out2[:, :5])            # causal
    assert not torch.equal(out[:, 5:], out2[:, 5:])
    with pytest.raises(ValueError, match="max_length"):
        m1(ids)                                            # 10 > 8
    assert m1.calls == 2                                   # refused calls are not counted
    m1.reset_calls()
    assert m1.calls == 0
    text = m1.generate(30, seed=5)
    assert m1.calls == 0 and text.shape == (1, 30) and text.dtype == torch.int64
    assert torch.equal(text, m2.generate(30, seed=5))
    # a text sampled from the model is far more likely than chance under it
    assert ref.sliding_window_perplexity(m1, text, 8, 1) < V / 2
