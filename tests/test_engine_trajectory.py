"""harness.engine.trajectory: lockstep comparison of stateful runs, with named mistakes."""
import numpy as np
import pytest

from harness.engine import Fail
from harness.engine.trajectory import compare_trajectories


def counter(rate, steps, start=0.0, shape=(3,), log=None):
    """x ← x + rate·step, yielding a view of the same array each time (as an in-place object)."""
    x = np.full(shape, start)
    for t in range(1, steps + 1):
        if log is not None:
            log.append(t)
        x += rate * t
        yield {"x": x, "t": float(t)}


def test_equal_trajectories_return_the_step_count():
    assert compare_trajectories(counter(1.0, 20), counter(1.0 + 1e-9, 20)) == 20


def test_first_divergence_names_step_quantity_and_stops_the_attempt():
    def parted():
        for state in counter(1.0, 50):
            if state["t"] == 7:
                state["x"][1] += 1e-3
            yield state

    log = []

    def logged():
        for state, _ in zip(parted(), counter(1.0, 50, log=log)):
            yield state

    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 50), logged(), case="demo", what="Counter(1.0)")
    fail = info.value
    assert "Counter(1.0): step 7: `x` parts from the reference (steps 1–6 agreed)" in fail.message
    assert fail.case == "demo" and "at [1]" in fail.diff
    assert max(log) == 7, "the attempt is not run beyond the first divergence"


def test_snapshots_are_taken_per_step_so_later_in_place_updates_do_not_hide_a_difference():
    # both yield the same object every step; a lazy comparison would compare final values only
    assert compare_trajectories(counter(2.0, 5), counter(2.0, 5)) == 5
    with pytest.raises(Fail, match="step 1"):
        compare_trajectories(counter(2.0, 5), counter(2.0, 5, start=1e-3))


def test_shape_and_missing_quantities():
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 3), counter(1.0, 3, shape=(4,)))
    assert "wrong shape: expected (3,), got (4,)" in info.value.diff

    def without_x():
        for state in counter(1.0, 3):
            yield {"t": state["t"]}

    with pytest.raises(Fail, match="step 1: `x` parts"):
        compare_trajectories(counter(1.0, 3), without_x())


def test_the_closest_matching_suspect_names_the_mistake():
    suspects = {
        "rate doubled": lambda: counter(2.0, 10),
        "rate slightly high": lambda: counter(1.0 + 1e-4, 10),
        "rate nearly exactly right": lambda: counter(1.0 + 1.2e-4, 10),
        "crashes": lambda: (_ for _ in ()).throw(RuntimeError("boom")),
    }
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 10), counter(1.0 + 1.2e-4, 10), rtol=1e-5, atol=0, suspects=suspects)
    assert info.value.message.startswith("rate nearly exactly right (step 1: `x`")
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 10), counter(3.0, 10), suspects=suspects)
    assert info.value.message.startswith("step 1"), "no suspect matches: no name"


def test_nan_states_match_a_suspect_that_is_nan_in_the_same_places():
    def nan_at(t_bad):
        for state in counter(1.0, 5):
            if state["t"] >= t_bad:
                state["x"][:] = np.nan
            yield state

    with pytest.raises(Fail, match=r"^division by zero \(step 3"):
        compare_trajectories(counter(1.0, 5), nan_at(3), suspects={"division by zero": lambda: nan_at(3)})


def test_dtype_of_state_can_be_required():
    def as32():
        for state in counter(1.0, 2):
            yield {"x": state["x"].astype(np.float32), "t": state["t"]}

    with pytest.raises(Fail, match="dtype float32, expected float64"):
        compare_trajectories(counter(1.0, 2), as32(), state_dtypes=True)


def test_steps_can_be_numbered_from_zero():
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 5), counter(1.0 + 1e-3, 5, start=0.0), rtol=1e-6, atol=0, start=0)
    assert "step 0: `x` parts" in info.value.message

    def late():
        for state in counter(1.0, 5):
            if state["t"] == 4:
                state["x"][0] += 1
            yield state

    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 5), late(), start=0)
    assert "step 3: `x` parts from the reference (steps 0–2 agreed)" in info.value.message


def test_lookahead_breaks_a_tie_between_suspects():
    def parted_at(t_bad, late):
        for state in counter(1.0, 8):
            if state["t"] >= t_bad:
                state["x"][:] += 100.0 if state["t"] == t_bad or late else 0.0
            yield state

    suspects = {"a one-off jump": lambda: parted_at(3, False), "a lasting jump": lambda: parted_at(3, True)}
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 8), parted_at(3, True), suspects=suspects, lookahead=5)
    assert info.value.message.startswith("a lasting jump")
    with pytest.raises(Fail) as info:
        compare_trajectories(counter(1.0, 8), parted_at(3, True), suspects=suspects)
    assert info.value.message.startswith("a one-off jump"), "without lookahead the tie goes to the first"
