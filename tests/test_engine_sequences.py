"""harness.engine.sequences: plans, chunked runs against the full one, gradients through the state."""
import numpy as np
import pytest
import torch

from harness.engine import Fail
from harness.engine import sequences as sq


def prefix_sum(chunk, state):
    """A stateful toy: the state is every token seen so far; the output the running sum."""
    seen = chunk if state is None else torch.cat([state, chunk], 1)
    return seen.cumsum(1)[:, -chunk.shape[1]:], seen


def forgetful(chunk, state):
    """Wrong: ignores the state, so only a full forward is right."""
    return chunk.cumsum(1), chunk if state is None else torch.cat([state, chunk], 1)


def compare(want, got, what):
    if want.shape != got.shape or not torch.allclose(want, got):
        raise Fail(f"wrong {what}")


def prefix(state, n):
    return state[:, :n]


def test_plans_cover_the_sequence_and_start_with_the_full_forward():
    rng = np.random.default_rng(0)
    for total in (1, 2, 7, 12):
        plans = sq.plans(total, rng, max_chunk=3, count=5)
        assert plans[0] == [total]
        assert all(sum(p) == total for p in plans)
        assert len({tuple(p) for p in plans}) == len(plans)
        assert all(n <= 3 for p in plans[1:] for n in p[1:])  # after the prefill: chunks of 1 to 3
        assert all(p[0] <= max(3, total // 2) for p in plans[1:])
    assert [1, 1, 1, 1] in sq.plans(4, rng) and [2, 1, 1] in sq.plans(4, rng)


def test_describe_plan_and_step():
    assert sq.describe_plan([5]) == "one full forward of 5 tokens"
    assert sq.describe_plan([3, 1, 1]) == "a prefill of 3 tokens, then 2 one-token decode steps"
    assert sq.describe_plan([2, 3]) == "chunks of 2, 3 tokens"
    assert sq.describe_step(sq.Step(1, 3, 4, None, None)) == "call 2 (token 3, with 3 already cached)"
    assert sq.describe_step(sq.Step(0, 0, 3, None, None)) == "call 1 (tokens 0…2, no cache yet)"


def test_a_correct_stateful_step_matches_every_plan():
    x = torch.arange(12.0).reshape(2, 6)
    full_out, full_state = prefix_sum(x, None)
    for plan in ([6], [1] * 6, [2, 1, 3], [5, 1]):
        steps = sq.run_plan(prefix_sum, x, plan)
        assert [(s.start, s.stop) for s in steps][-1][1] == 6
        sq.assert_plan_matches(steps, full_out, full_state, state_prefix=prefix, compare=compare, plan=plan)


def test_the_first_diverging_step_is_named():
    x = torch.arange(1.0, 13.0).reshape(2, 6)
    full_out, full_state = prefix_sum(x, None)
    steps = sq.run_plan(forgetful, x, [3, 1, 2])
    with pytest.raises(Fail) as info:
        sq.assert_plan_matches(steps, full_out, full_state, state_prefix=prefix, compare=compare, plan=[3, 1, 2],
                               context="toy: ")
    assert info.value.message == "call 2 (token 3, with 3 already cached): wrong output"
    assert info.value.case == "toy: chunks of 3, 1, 2 tokens"
    assert info.value.step.index == 1


def test_a_step_that_modifies_its_state_or_returns_no_pair_fails():
    def in_place(chunk, state):
        if state is not None:
            state.mul_(2)
        return prefix_sum(chunk, state)

    x = torch.ones(1, 3)
    with pytest.raises(Fail, match="modified the cache it was given"):
        sq.run_plan(in_place, x, [1, 2])
    with pytest.raises(Fail, match="should return a tuple"):
        sq.run_plan(lambda chunk, state: chunk, x, [3])


def test_gradients_flow_through_the_state_unless_it_is_detached():
    w = torch.tensor([2.0, -1.0, 0.5])
    params = {"w": w.clone().requires_grad_(True)}

    def step(chunk, state, detach=False):
        out, seen = prefix_sum(chunk * params["w"][: chunk.shape[1]] if state is None else chunk, state)
        return out, seen.detach() if detach else seen

    def loss(steps):
        return sum((s.output ** 2).sum() for s in steps) + (steps[-1].state ** 2).sum()

    x = torch.tensor([[1.0, 2.0, 3.0]])
    full = sq.plan_grads(step, x, [3], params, loss)
    # the first chunk carries the weights; later chunks reach them only through the state
    chunked = sq.plan_grads(lambda c, s: step(c, s) if s is not None else
                            prefix_sum(c * params["w"][:1], s), x, [1, 2], params, loss)
    detached = sq.plan_grads(lambda c, s: (lambda o, st: (o, st.detach()))(*prefix_sum(c * params["w"][:1], s))
                             if s is None else step(c, s), x, [1, 2], params, loss)
    assert full["x"] is not None and chunked["w"] is not None
    assert not torch.allclose(chunked["x"], detached["x"])
    sq.assert_same_grads({"x": chunked["x"]}, chunked, tol=(1e-6, 1e-9), label="same", case="")
    with pytest.raises(Fail, match="the gradient w.r.t. x differs"):
        sq.assert_same_grads({"x": chunked["x"]}, detached, tol=(1e-6, 1e-9), label="detached", case="toy")
    with pytest.raises(Fail, match="no gradient reaches `w`"):
        sq.assert_same_grads({"w": chunked["w"]}, {"w": None}, tol=(1e-6, 1e-9), label="none", case="toy")
