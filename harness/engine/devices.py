"""Device and dtype promises of torch modules, checked without a GPU.

"Keeps the input's device" is checked on the ``meta`` device: module and inputs moved there,
forward (and backward) run on shapes alone, so any tensor the attempt builds on the CPU inside
``forward`` (``torch.zeros(shape)``, ``torch.full(..., -inf)``, ``arange(T)``, a dropout mask,
a table kept as a plain attribute) meets a meta tensor and torch refuses to mix them. An
attempt that needs the data (``.item()``, ``.tolist()``, ``nonzero``) cannot run on ``meta``;
that is no device mistake, so such a run is inconclusive, never a failure. When CUDA is
present the same run happens there too, and its values are compared with the CPU's.

"A fresh module gives float32 for float32 input" is checked on modules built and never cast:
a parameter created from numpy or a Python float list is float64 and shows up here.
"""
from __future__ import annotations

import copy
import os
import traceback
from typing import Sequence

import torch

from .errors import Fail

# Torch's words when an operation meets tensors on two devices.
_MIXED = ("is not on the expected device", "expected all tensors to be on the same device",
          "found at least two devices")
# Torch's words when an operation needs data a meta tensor does not have.
_NEEDS_DATA = ("cannot be called on meta tensors", "cannot copy out of meta tensor", "register_meta",
               "meta device type tensor to numpy", "no data", "data-dependent")

_ENGINE_DIRS = (os.path.dirname(torch.__file__), os.path.dirname(os.path.dirname(__file__)))


class Inconclusive(Exception):
    """The attempt needs tensor data on a device that has none (``meta``): no verdict."""


def cuda_available() -> bool:
    return torch.cuda.is_available()


def devices_to_try() -> list[str]:
    """``meta`` always, ``cuda`` when present."""
    return ["meta"] + (["cuda"] if cuda_available() else [])


def moved(value, device: str):
    """``value`` (a tensor, or a list/tuple/dict of them) on ``device``."""
    if isinstance(value, torch.Tensor):
        return value.detach().to(device)
    if isinstance(value, (list, tuple)):
        return type(value)(moved(v, device) for v in value)
    if isinstance(value, dict):
        return {k: moved(v, device) for k, v in value.items()}
    return value


def _attempt_line(exc: BaseException) -> int | None:
    """The deepest line of the traceback outside torch and the engine (the attempt's)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if not frame.filename.startswith(_ENGINE_DIRS) and not frame.filename.startswith("<"):
            line = frame.lineno
    return line


def _outputs(value) -> list:
    return list(value) if isinstance(value, (tuple, list)) else [value]


def run_on(module: torch.nn.Module, args: Sequence, kwargs: dict | None = None, *, device: str,
           train: bool = False, backward: bool = True, seed: int = 0) -> list:
    """Run a copy of ``module`` on ``device`` with ``args``/``kwargs`` moved there; forward, then
    (``backward``) the gradient of the sum of the float outputs. Returns the outputs.

    Raises :class:`Inconclusive` when the attempt needs data ``meta`` has not, and the
    attempt's own exception (with ``device_line`` set) otherwise."""
    copy_ = copy.deepcopy(module).to(device)
    copy_.train(train)
    args = [moved(a, device) for a in args]
    kwargs = {k: moved(v, device) for k, v in (kwargs or {}).items()}
    if backward:
        args = [a.requires_grad_(True) if isinstance(a, torch.Tensor) and a.is_floating_point() else a
                for a in args]
    torch.manual_seed(seed)
    try:
        outputs = _outputs(copy_(*args, **kwargs))
        floats = [o for o in outputs if isinstance(o, torch.Tensor) and o.is_floating_point() and o.requires_grad]
        if backward and floats:
            sum(o.sum() for o in floats).backward()
    except Exception as exc:  # noqa: BLE001 - sorted below into verdicts
        text = str(exc).lower()
        if device == "meta" and any(s in text for s in _NEEDS_DATA) and not any(s in text for s in _MIXED):
            raise Inconclusive(str(exc).splitlines()[0]) from exc
        exc.device_line = _attempt_line(exc)
        raise
    return outputs


def _where(line: int | None) -> str:
    return f" (line {line} of your file)" if line else ""


def assert_keeps_device(module: torch.nn.Module, args: Sequence, kwargs: dict | None = None, *,
                        device: str = "meta", train: bool = False, backward: bool = True,
                        case: str = "", reference: Sequence | None = None, seed: int = 0) -> None:
    """Fail when ``module`` mixes devices on ``device`` or returns a tensor elsewhere.

    ``reference``: CPU outputs to compare with (CUDA runs, float64 tolerance)."""
    mode = "train()" if train else "eval()"
    where = f"{case}, module and inputs on '{device}', {mode}" if case else f"on '{device}', {mode}"
    try:
        outputs = run_on(module, args, kwargs, device=device, train=train, backward=backward, seed=seed)
    except Inconclusive:
        return
    except Exception as exc:  # noqa: BLE001
        text = str(exc)
        if any(s in text.lower() for s in _MIXED):
            raise Fail(f"your module does not keep the input's device: with the module and the input on "
                       f"'{device}', torch refused to mix devices{_where(getattr(exc, 'device_line', None))}. "
                       "A tensor built inside forward (torch.zeros/ones/full/arange/tril/rand, a dropout mask) "
                       "or a table kept as a plain attribute stays on the CPU: create it with "
                       "device=x.device (and dtype=x.dtype), or register it as a buffer",
                       case=where, got=text.strip().splitlines()[0]) from None
        exc.kata_case = where
        raise
    for i, out in enumerate(outputs):
        if isinstance(out, torch.Tensor) and out.device.type != torch.device(device).type:
            raise Fail(f"your output{'' if len(outputs) == 1 else f' {i + 1}'} is on '{out.device}', not on "
                       f"the input's device '{device}': build it from the input's tensors (no .cpu(), no "
                       "torch.tensor(...) of a Python list)", case=where)
    if reference is not None:
        from .compare import array_diff
        for out, ref in zip(outputs, reference):
            if isinstance(out, torch.Tensor) and isinstance(ref, torch.Tensor):
                diff = array_diff(ref.detach().double().cpu().numpy(), out.detach().double().cpu().numpy(),
                                  1e-6, 1e-9)
                if diff:
                    raise Fail(f"on '{device}' your output differs from the reference's (the CPU run agrees)",
                               case=where, diff=diff)


def float_dtypes_of(module: torch.nn.Module) -> dict[str, torch.dtype]:
    """``{name: dtype}`` of every floating parameter and buffer."""
    named = list(module.named_parameters()) + list(module.named_buffers())
    return {name: t.dtype for name, t in named if t.is_floating_point()}


def assert_fresh_float32(got: torch.nn.Module, output, *, case: str = "") -> None:
    """A module never cast, given float32 input: every float output is float32; when one is
    not, name the parameter or buffer that is not float32 (the usual cause)."""
    for i, out in enumerate(_outputs(output)):
        if isinstance(out, torch.Tensor) and out.is_floating_point() and out.dtype != torch.float32:
            odd = {n: d for n, d in float_dtypes_of(got).items() if d != torch.float32}
            cause = ""
            if odd:
                name, dtype = next(iter(odd.items()))
                cause = (f": `{name}` is {str(dtype).replace('torch.', '')} in a freshly built module (a tensor "
                         "made from numpy or from Python floats with dtype=float64?); create parameters "
                         "and tables in torch's default dtype, or follow x.dtype")
            else:
                cause = ": a tensor built inside forward has another dtype; follow x.dtype"
            raise Fail(f"a freshly built module (not cast) given float32 input returned "
                       f"{str(out.dtype).replace('torch.', '')}{cause}", case=case,
                       expected="float32", got=str(out.dtype).replace("torch.", ""))
