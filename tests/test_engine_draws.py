"""harness.engine.draws: chi-square of categorical draws, and where a sampler's randomness comes from."""
import pytest
import torch

from harness.engine import Fail
from harness.engine import draws as dr

PROBS = torch.tensor([0.5, 0.3, 0.15, 0.05, 0.0], dtype=torch.float64)


def draws(probs, n, seed):
    return torch.multinomial(probs.expand(n, -1), 1, generator=torch.Generator().manual_seed(seed)).squeeze(-1)


def test_correct_draws_pass_for_many_seeds():
    for seed in range(20):
        dr.assert_draws_follow(draws(PROBS, 20_000, seed), PROBS)


def test_a_biased_sampler_fails_with_the_worst_tokens_named():
    biased = torch.tensor([0.45, 0.35, 0.15, 0.05, 0.0], dtype=torch.float64)
    with pytest.raises(Fail) as info:
        dr.assert_draws_follow(draws(biased, 20_000, 0), PROBS, what="the draws", case="toy")
    assert info.value.message == "the draws do not follow the expected distribution"
    assert "token 0 50%" in info.value.expected and "token 0" in info.value.got
    assert "p = " in info.value.diff and info.value.case == "toy"


def test_a_zero_probability_token_drawn_fails_even_once():
    sample = torch.cat([draws(PROBS, 1000, 1), torch.tensor([4])])
    with pytest.raises(Fail, match="token 4 has probability 0 .* drawn 1 times"):
        dr.assert_draws_follow(sample, PROBS)
    with pytest.raises(Fail, match="not a token id"):
        dr.assert_draws_follow(torch.tensor([0, 7]), PROBS)


def test_rare_categories_are_pooled():
    probs = torch.tensor([0.999, 0.0005, 0.0005], dtype=torch.float64)
    dr.assert_draws_follow(draws(probs, 2000, 3), probs)  # expected counts 1: pooled, no false alarm
    assert dr.counts_of(torch.tensor([0, 2, 2]), 3) == [1, 0, 2]


def test_generator_discipline():
    logits = torch.linspace(0, 3, 30).expand(500, -1)

    def good(gen):
        return torch.multinomial(logits.softmax(-1), 1, generator=gen).squeeze(-1)

    dr.assert_generator_discipline(good, seed=3)
    with pytest.raises(Fail, match="global seed changed"):
        dr.assert_generator_discipline(lambda gen: torch.multinomial(logits.softmax(-1), 1).squeeze(-1), seed=3)
    with pytest.raises(Fail, match="two calls with the same generator"):
        dr.assert_generator_discipline(lambda gen: good(torch.Generator().manual_seed(gen.initial_seed())), seed=3)

    def peeks_global(gen):
        torch.rand(1)
        return good(gen)

    with pytest.raises(Fail, match="consumed torch's global random state"):
        dr.assert_generator_discipline(peeks_global, seed=3)
