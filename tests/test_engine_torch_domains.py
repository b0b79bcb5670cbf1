"""The promised input domain (harness.engine.domains) and the device/dtype runs
(harness.engine.devices): what graders build their new cases from."""
import pytest
import torch

from harness.engine import devices, domains
from harness.engine.errors import Fail


def test_every_mask_shape_broadcasts_and_keeps_a_key_in_every_row():
    gen = torch.Generator().manual_seed(0)
    B, H, Tq, Tk = 3, 2, 4, 5
    masks = domains.attention_masks(gen, B, H, Tq, Tk, every_dtype=True)
    shapes = {tuple(m.shape) for _, m in masks}
    assert shapes == {(Tk,), (1, Tk), (Tq, Tk), (H, Tq, Tk), (1, H, 1, Tk), (B, 1, Tq, Tk), (B, 1, 1, Tk),
                      (B, H, Tq, Tk)}
    assert {m.dtype for _, m in masks} == set(domains.MASK_DTYPES)
    for label, m in masks:
        full = domains.broadcast(m, B, H, Tq, Tk)
        assert full.any(-1).all(), label
        if m.dtype != torch.bool:
            assert set(m.unique().tolist()) <= {0, 1}, label


def test_default_masks_rotate_dtypes_over_the_shapes():
    gen = torch.Generator().manual_seed(1)
    masks = domains.attention_masks(gen, 2, 3, 4, 4, with_causal=False)
    assert len(masks) == len(domains.MASK_SHAPES)
    assert {m.dtype for _, m in masks} == set(domains.MASK_DTYPES)
    causal = dict(domains.attention_masks(gen, 2, 3, 3, 5))["causal (Tq, Tk) bool"]
    assert causal.tolist() == [[True, True, True, False, False], [True] * 4 + [False], [True] * 5]


def test_random_masks_vary_along_every_axis():
    """Else reading a 3-D mask as a batch, or a 2-D one as key padding, could not be seen."""
    gen = torch.Generator().manual_seed(2)
    m = domains.random_mask(gen, (3, 4, 6))
    for axis in range(3):
        assert not (m == m.select(axis, 0).unsqueeze(axis)).all()


def test_keep_a_key_restores_exactly_the_empty_rows():
    m = torch.tensor([[False, False, False], [True, False, False]])
    fixed = domains.keep_a_key(m)
    assert fixed.any(-1).all() and fixed[1].tolist() == [True, False, False] and fixed[0].sum() == 1


def test_any_rank_inputs_go_from_a_vector_to_rank_four():
    gen = torch.Generator().manual_seed(0)
    shapes = [tuple(x.shape) for _, x in domains.any_rank_inputs(gen, 5)]
    assert shapes == [(5,), (3, 5), (2, 3, 5), (2, 1, 3, 5)]


class _Good(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = torch.nn.Linear(4, 4)

    def forward(self, x):
        T = x.shape[-2]
        keep = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        return (self.lin(x) @ x.transpose(-1, -2)).masked_fill(~keep, 0.0)


class _BuildsOnCpu(_Good):
    def forward(self, x):
        T = x.shape[-2]
        keep = torch.ones(T, T, dtype=torch.bool).tril()  # CPU, whatever x's device
        return (self.lin(x) @ x.transpose(-1, -2)).masked_fill(~keep, 0.0)


class _DropoutMaskOnCpu(_Good):
    def forward(self, x):
        h = self.lin(x)
        return h * (torch.rand(h.shape) > 0.5) * 2 if self.training else h


class _NeedsData(_Good):
    def forward(self, x):
        if bool((x == 0).all()):  # needs values: meta cannot say
            raise ValueError("zero input")
        return self.lin(x)


class _ReturnsCpu(_Good):
    def forward(self, x):
        return torch.zeros(self.lin(x).shape)  # a new CPU tensor, whatever x's device


def test_meta_accepts_a_module_that_follows_the_device_and_runs_backward():
    x = torch.randn(2, 3, 4)
    devices.assert_keeps_device(_Good(), (x,))
    out = devices.run_on(_Good(), (x,), device="meta")
    assert out[0].device.type == "meta"


@pytest.mark.parametrize("module, train", [(_BuildsOnCpu(), False), (_DropoutMaskOnCpu(), True)])
def test_meta_rejects_tensors_built_on_the_cpu_inside_forward(module, train):
    with pytest.raises(Fail, match="does not keep the input's device") as info:
        devices.assert_keeps_device(module, (torch.randn(2, 3, 4),), train=train, case="M()")
    assert "line" in info.value.message and "'meta'" in info.value.case


def test_meta_is_inconclusive_when_the_attempt_needs_data():
    devices.assert_keeps_device(_NeedsData(), (torch.randn(2, 3, 4),))  # no verdict, no failure
    with pytest.raises(devices.Inconclusive):
        devices.run_on(_NeedsData(), (torch.randn(2, 3, 4),), device="meta")


def test_meta_rejects_an_output_moved_off_the_device():
    with pytest.raises(Fail, match="is on 'cpu'"):
        devices.assert_keeps_device(_ReturnsCpu(), (torch.randn(2, 3, 4),), backward=False)


def test_an_error_of_the_attempt_keeps_its_case():
    class Broken(_Good):
        def forward(self, x):
            raise KeyError("oops")

    with pytest.raises(KeyError) as info:
        devices.assert_keeps_device(Broken(), (torch.randn(2, 4),), case="Broken()")
    assert "Broken()" in info.value.kata_case


def test_fresh_float32_names_the_float64_parameter():
    class FromNumpy(torch.nn.Module):
        def __init__(self):
            super().__init__()
            import numpy as np
            self.weight = torch.nn.Parameter(torch.from_numpy(np.ones(4)))

        def forward(self, x):
            return x * self.weight

    m = FromNumpy()
    with pytest.raises(Fail, match="`weight` is float64"):
        devices.assert_fresh_float32(m, m(torch.ones(4)))
    good = torch.nn.Linear(4, 4)
    devices.assert_fresh_float32(good, good(torch.ones(4)))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_run_agrees_with_the_cpu():
    m = _Good().double()
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    devices.assert_keeps_device(m, (x,), device="cuda", reference=[m(x)])
    with pytest.raises(Fail):
        devices.assert_keeps_device(_BuildsOnCpu().double(), (x,), device="cuda")
