"""The sampling reference against a sort-free brute force of the kept set (itertools over every
token, scipy's softmax), HF's warper formulation, and exact statistics of its draws."""
import math

import numpy as np
import pytest
import torch
from scipy.special import softmax
from scipy.stats import chisquare

from tests.helpers import load_solution

ref = load_solution("sampling")


def brute_kept(row, temperature, top_k, top_p):
    """Token i kept iff (top-k) fewer than k values exceed it and (top-p) the scipy-softmax mass
    of the more probable survivors is < top_p."""
    s = np.asarray(row, dtype=np.float64) / temperature
    V = len(s)
    keep = [True] * V
    if 0 < top_k < V:
        keep = [sum(1 for j in range(V) if s[j] > s[i]) < top_k for i in range(V)]
    if top_p < 1.0:
        p = softmax(np.where(keep, s, -np.inf))
        keep = [keep[i] and sum(p[j] for j in range(V) if p[j] > p[i]) < top_p for i in range(V)]
    return keep


def hf_kept(row, temperature, top_k, top_p):
    """HF's TopK then TopP warpers (ascending sort, remove where cumsum <= 1 - top_p)."""
    scores = torch.tensor([row], dtype=torch.float64) / temperature
    if top_k:
        kth = torch.topk(scores, min(top_k, scores.shape[-1]))[0][..., -1, None]
        scores = scores.masked_fill(scores < kth, -math.inf)
    if top_p < 1:
        sorted_logits, idx = torch.sort(scores)
        remove = sorted_logits.softmax(-1).cumsum(-1) <= 1 - top_p
        remove[..., -1:] = False
        scores = scores.masked_fill(remove.scatter(1, idx, remove), -math.inf)
    return torch.isfinite(scores)[0].tolist()


def random_rows(count, seed):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        V = int(rng.integers(2, 40))
        row = rng.normal(rng.uniform(-20, 20), 10 ** rng.uniform(-1, 1), V)
        t, k, p = float(rng.choice([0.5, 1.0, 2.0])), int(rng.choice([0, 1, 2, V // 2, V + 1])), \
            float(rng.choice([0.1, 0.5, 0.9, 1.0]))
        s = row / t
        if 0 < k < V:
            v = np.sort(s)[::-1]
            s = np.where(s >= v[k - 1], s, -np.inf)
        if p < 1:
            probs = softmax(s)
            before = np.array([probs[probs > q].sum() for q in probs])
            alive = probs > 0
            if (np.abs(before - p)[alive] < 1e-4).any() or (np.abs(before + probs - p)[alive] < 1e-4).any():
                continue
        out.append((row.tolist(), t, k, p))
    return out


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_kept_set_matches_brute_force_and_hf(dtype):
    for row, t, k, p in random_rows(150, seed=0 if dtype == torch.float64 else 1):
        logits = torch.tensor([row], dtype=dtype)
        out = ref.filter_logits(logits, temperature=t, top_k=k, top_p=p)
        kept = torch.isfinite(out)[0].tolist()
        assert kept == brute_kept(logits[0].double().tolist(), t, k, p) == hf_kept(logits[0].double().tolist(), t, k, p)
        assert out.dtype == dtype and out.shape == logits.shape
        torch.testing.assert_close(out[torch.isfinite(out)], (logits / t)[torch.isfinite(out)])


def test_edge_cases():
    f = ref.filter_logits
    assert torch.isfinite(f(torch.tensor([[1.0, 3.0, 3.0, 2.0]]), top_k=2)).tolist() == [[False, True, True, False]]
    assert torch.isfinite(f(torch.tensor([[0.0, -1000.0, -2000.0]]))).all()  # top_p = 1 keeps underflows
    p = torch.tensor([[0.5, 0.3, 0.2]]).log()
    assert torch.isfinite(f(p, top_p=0.7)).tolist() == [[True, True, False]]  # the crossing token stays
    assert torch.isfinite(f(p, top_p=1e-6)).tolist() == [[True, False, False]]
    assert torch.isfinite(f(p, top_k=5)).all() and torch.isfinite(f(p, top_k=0)).all()
    logits = torch.randn(3, 7)
    before = logits.clone()
    ref.sample(logits, temperature=0.5, top_k=3, top_p=0.8)
    assert torch.equal(logits, before)
    for kwargs in ({"temperature": 0.0}, {"temperature": -1.0}, {"top_k": -1}, {"top_p": 0.0}, {"top_p": 1.2}):
        for fn in (ref.filter_logits, ref.sample):
            with pytest.raises(ValueError):
                fn(logits, **kwargs)


def test_draws_follow_the_filtered_softmax_and_the_generator():
    row = torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0, -3.0], dtype=torch.float64)
    kw = dict(temperature=0.7, top_k=4, top_p=0.9)
    probs = softmax((ref.filter_logits(row[None], **kw)[0]).numpy())
    draws = ref.sample(row.expand(100_000, -1), generator=torch.Generator().manual_seed(0), **kw)
    assert draws.dtype == torch.int64 and draws.shape == (100_000,)
    counts = np.bincount(draws.numpy(), minlength=6)
    assert (counts[probs == 0] == 0).all()
    alive = probs > 0
    assert chisquare(counts[alive], probs[alive] * 100_000).pvalue > 1e-6
    torch.manual_seed(1)
    a = ref.sample(row.expand(500, -1), generator=torch.Generator().manual_seed(5))
    torch.manual_seed(2)
    b = ref.sample(row.expand(500, -1), generator=torch.Generator().manual_seed(5))
    assert torch.equal(a, b)


def test_grader_inputs_are_well_posed():
    """Every fixed case of the grader keeps the contract's margins (else sort orders could differ)."""
    from tests.helpers import load_path, KATAS

    grader = load_path(KATAS / "sampling" / "grader.py", "_sampling_grader_for_test")
    for row, t, k, p in grader.SAMPLE_SETTINGS:
        assert grader.well_posed(torch.tensor([row]), t, k, p)
