"""harness.engine.inplace: the caller's own objects, read back after the attempt ran."""
import numpy as np
import pytest
import torch

from harness.engine import Fail
from harness.engine.inplace import Held, assert_same_objects, grads_of, watch


def test_in_place_update_passes_and_values_are_judged():
    p = np.array([1.0, 2.0])
    held = Held([p], ["param"])
    p -= 0.5
    held.assert_values([np.array([0.5, 1.5])], rtol=1e-6, atol=1e-9, what="values")
    with pytest.raises(Fail, match="param: wrong values"):
        held.assert_values([np.array([0.5, 1.0])], rtol=1e-6, atol=1e-9, what="values")


def test_rebinding_a_list_slot_leaves_the_held_array_stale():
    params = [np.array([1.0, 2.0]), np.array(3.0)]
    held = watch(params, lambda i, p: f"params[{i}]")
    params[1] = params[1] - 1.0  # a new object in the slot: the caller's array is untouched
    params[0] -= 1.0
    with pytest.raises(Fail, match=r"params\[1\] was not updated in place: it still holds its old values; hint"):
        held.assert_updated([np.array([0.0, 1.0]), np.array(2.0)], rebound_hint="hint")


def test_wrong_values_written_in_place_pass_assert_updated():
    p = np.zeros(3)
    held = Held([p])
    p += 7.0
    held.assert_updated([np.ones(3)])  # written in place; values are assert_values' job


def test_nothing_due_to_change_is_not_called_stale():
    p = np.ones(2)
    Held([p]).assert_updated([np.ones(2)])


def test_replaced_tensor_data_is_seen_as_a_new_buffer():
    t = torch.ones(3)
    held = Held([t], ["weight"])
    t.data = torch.zeros(3)
    with pytest.raises(Fail, match="new buffer"):
        held.assert_updated([torch.zeros(3)])


def test_bit_identity_sees_negative_zero_and_tiny_changes():
    a = np.array([0.0, 1.0, 2.0])
    held = Held([a], ["x"])
    held.assert_unchanged(why="must not change")
    a[0] = -0.0
    with pytest.raises(Fail, match=r"x changed \(element \[0\] was 0.0, now -0.0\); must not change"):
        held.assert_unchanged(why="must not change")
    held.refresh()
    held.assert_unchanged(why="-")
    a[2] = np.nextafter(2.0, 3.0)
    with pytest.raises(Fail, match=r"element \[2\]"):
        held.assert_unchanged(why="-")


def test_tensor_grads_identity():
    ps = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True), torch.ones(1, requires_grad=True)]
    ps[0].grad, ps[1].grad = torch.ones(2), torch.full((3,), 2.0)
    held = watch(grads_of(ps), lambda i, g: f"`.grad` of tensor {i}")
    ps[0].grad.mul_(0.5)  # in place: same object
    assert_same_objects(held, grads_of(ps), what="`.grad`")
    held.assert_values([torch.full((2,), 0.5), torch.full((3,), 2.0), None], rtol=0, atol=0, what="grad")
    ps[1].grad = ps[1].grad * 0.5
    with pytest.raises(Fail, match=r"`.grad` of tensor 1: `.grad` is a new object"):
        assert_same_objects(held, grads_of(ps), what="`.grad`")


def test_float32_tensor_and_0d_array():
    t = torch.tensor([1.5, 2.5], dtype=torch.float32)
    z = np.array(4.0)
    held = Held([t, z])
    t.mul_(2)
    z *= 2
    held.assert_values([torch.tensor([3.0, 5.0]), np.array(8.0)], rtol=1e-6, atol=0, what="v")
