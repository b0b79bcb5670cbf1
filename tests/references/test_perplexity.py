"""The perplexity reference against an explicit per-token numpy loop and F.cross_entropy."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.special import logsumexp

from tests.helpers import load_solution

ref = load_solution("perplexity")


def loop_ppl(logits, labels, ignore_index):
    """Independent: a plain loop over (sequence, position) with scipy's logsumexp."""
    lg = logits.detach().numpy()
    lb = labels.numpy()
    total, count = 0.0, 0
    for b in range(lg.shape[0]):
        for t in range(1, lg.shape[1]):
            y = lb[b, t]
            if y == ignore_index:
                continue
            row = lg[b, t - 1]
            total += logsumexp(row) - row[y]
            count += 1
    return math.exp(total / count)


def padded_batch(rng, lengths, T, V, pad, scale=3.0):
    B = len(lengths)
    logits = torch.from_numpy(rng.normal(size=(B, T, V)) * scale)
    labels = torch.from_numpy(rng.integers(0, V, size=(B, T)))
    if pad != 0:
        labels = labels.clamp(min=0)
    for b, n in enumerate(lengths):
        labels[b, n:] = pad
    return logits, labels


@pytest.mark.parametrize("seed", range(6))
def test_random_vs_loop_and_cross_entropy(seed):
    rng = np.random.default_rng(seed)
    B, T, V = rng.integers(1, 5), rng.integers(2, 12), rng.integers(2, 30)
    logits = torch.from_numpy(rng.normal(size=(B, T, V)) * 2)
    labels = torch.from_numpy(rng.integers(0, V, size=(B, T)))
    got = ref.perplexity(logits, labels)
    assert isinstance(got, float)
    assert got == pytest.approx(loop_ppl(logits, labels, -100), rel=1e-12)
    ce = F.cross_entropy(logits[:, :-1].reshape(-1, V), labels[:, 1:].reshape(-1))
    assert got == pytest.approx(math.exp(ce.item()), rel=1e-12)


@pytest.mark.parametrize("pad", [-100, 0, -1, 7])
def test_padding_and_different_lengths_token_weighted(pad):
    rng = np.random.default_rng(1)
    logits, labels = padded_batch(rng, [9, 3, 6, 2], T=9, V=11, pad=pad)
    # pad is also a real vocab id for 0 and 7: real tokens with that id must be counted,
    # so make sure no real label collides with pad in that case
    if 0 <= pad < 11:
        real = torch.arange(9)[None, :] < torch.tensor([9, 3, 6, 2])[:, None]
        labels[real & (labels == pad)] = (pad + 1) % 11
    got = ref.perplexity(logits, labels, ignore_index=pad)
    assert got == pytest.approx(loop_ppl(logits, labels, pad), rel=1e-12)
    # token-weighted, which differs from the mean of per-sequence perplexities
    per_seq = [loop_ppl(logits[b:b + 1], labels[b:b + 1], pad) for b in range(4)]
    assert abs(got - float(np.mean(per_seq))) > 1e-3


def test_ignore_index_inside_sequence():
    rng = np.random.default_rng(2)
    logits, labels = padded_batch(rng, [8, 8], T=8, V=5, pad=-100)
    labels[0, 3] = -100
    labels[1, 0] = -100        # position 0 is never a target anyway
    assert ref.perplexity(logits, labels) == pytest.approx(loop_ppl(logits, labels, -100), rel=1e-12)


@pytest.mark.parametrize("V", [2, 7, 50257])
def test_uniform_logits_give_vocab_size(V):
    logits = torch.full((2, 4, V), 3.25, dtype=torch.float64)
    labels = torch.randint(0, V, (2, 4))
    assert ref.perplexity(logits, labels) == pytest.approx(V, rel=1e-12)


def test_large_logits_are_stable():
    rng = np.random.default_rng(3)
    logits = torch.from_numpy(rng.choice([-1000.0, 1000.0], size=(2, 5, 4)))
    labels = torch.from_numpy(rng.integers(0, 4, size=(2, 5)))
    # make every target a winner so NLL is ~0 and PPL finite
    for b in range(2):
        for t in range(1, 5):
            logits[b, t - 1] = -1000.0
            logits[b, t - 1, labels[b, t]] = 1000.0
    assert ref.perplexity(logits, labels) == pytest.approx(1.0, rel=1e-12)
    logits[0, 0, labels[0, 1]] = -1000.0      # one sure miss: NLL 2000 + log(#tied winners)
    got = ref.perplexity(logits, labels)
    assert math.isfinite(got) or got == math.inf
    want = loop_ppl(logits, labels, -100)
    assert got == pytest.approx(want, rel=1e-9)


def test_no_counted_token_raises():
    logits = torch.randn(2, 4, 3, dtype=torch.float64)
    labels = torch.full((2, 4), -100)
    labels[:, 0] = 1                       # only position 0 kept: never a target
    with pytest.raises(ValueError):
        ref.perplexity(logits, labels)
    with pytest.raises(ValueError):
        ref.perplexity(torch.randn(3, 1, 5, dtype=torch.float64), torch.ones(3, 1, dtype=torch.long))


def test_inputs_not_modified_and_tensor_labels_other_int_dtype():
    logits = torch.randn(2, 5, 6, dtype=torch.float64)
    labels = torch.randint(0, 6, (2, 5), dtype=torch.int32).long()
    l0, y0 = logits.clone(), labels.clone()
    ref.perplexity(logits, labels)
    assert torch.equal(logits, l0) and torch.equal(labels, y0)
