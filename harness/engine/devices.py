"""Device and dtype promises of torch modules, checked without a GPU.

"Keeps the input's device" is checked two ways. :func:`assert_follows_device` (cheap, what
graders use) traces tensor creation while ``forward`` runs on the CPU: the input, parameters
and buffers "follow the device"; a tensor made by a factory (``torch.zeros``, ``full``,
``arange``, ``rand``, ``tensor``…) without ``device=`` is "made on the CPU"; when one of those
(not a 0-dim scalar, which CUDA accepts) meets a following tensor in one operation, the
attempt would fail on a GPU. :func:`assert_keeps_device` runs on a real device instead: the
``meta`` device (whose first elementwise operation imports torch's compiler, seconds of a
check, so graders run it only where a GPU run is not possible and latency allows) or CUDA.

On ``meta``: module and inputs moved there,
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
import sys
import traceback
from typing import Sequence

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._pytree import tree_leaves

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


# --------------------------------------------------------------------------- device tracing
_TAG = "_kata_device"  # "follow", or the text of where a tensor was made on the CPU
_INDEXING = ("__getitem__", "__setitem__")  # CPU indices into a GPU tensor are allowed
_MOVES = ("to", "cuda", "type_as", "new_tensor")


class MadeOnCpu(Exception):
    """A tensor made on the CPU met the input's tensors inside ``forward``."""

    def __init__(self, origin: str, op: str, line: int | None):
        super().__init__(origin)
        self.origin, self.op, self.line = origin, op, line


def _caller_line() -> int | None:
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if not name.startswith(_ENGINE_DIRS) and not name.startswith("<"):
            return frame.f_lineno
        frame = frame.f_back
    return None


def _tag(value, tag) -> None:
    for t in tree_leaves(value):
        if isinstance(t, torch.Tensor):
            try:
                setattr(t, _TAG, tag)
            except (AttributeError, RuntimeError):
                pass


class _DeviceTrace(TorchFunctionMode):
    """Tags every tensor an operation returns: it follows the device when any input did (or
    when it was made with ``device=``, or moved with ``.to(device)``); it is "made on the CPU"
    when a factory made it without ``device=``, or when it comes only from such tensors."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        tensors = [t for t in tree_leaves((args, kwargs)) if isinstance(t, torch.Tensor)]
        tags = [getattr(t, _TAG, None) for t in tensors]
        follows = "follow" in tags
        pinned = [tag for t, tag in zip(tensors, tags) if tag not in (None, "follow") and t.dim() > 0]
        if name in _INDEXING:  # a GPU tensor takes CPU indices; a CPU tensor refuses GPU ones
            indexed = tags[0] if tensors and tensors[0] is args[0] else None
            if indexed not in (None, "follow") and args[0].dim() > 0 and "follow" in tags[1:]:
                raise MadeOnCpu(indexed, name, _caller_line())
        elif follows and pinned:
            raise MadeOnCpu(pinned[0], name, _caller_line())
        out = func(*args, **kwargs)
        moved = name in _MOVES and (len(tensors) > 1 or "device" in kwargs or any(
            isinstance(a, (str, torch.device)) for a in args[1:]))
        if follows or moved or "device" in kwargs:
            _tag(out, "follow")
        elif pinned or (not tensors and isinstance(out, torch.Tensor)):
            line = _caller_line()
            _tag(out, pinned[0] if pinned else f"torch.{name}(...)" + (f" on line {line}" if line else ""))
        return out


def assert_follows_device(module: torch.nn.Module, args: Sequence, kwargs: dict | None = None, *,
                          train: bool = False, case: str = "", seed: int = 0) -> None:
    """Fail when ``forward`` makes a tensor on the CPU (no ``device=``) that meets the input,
    a parameter or a buffer, or returns one: on a GPU that forward would raise."""
    module = copy.deepcopy(module).train(train)
    args = [a.detach().clone() if isinstance(a, torch.Tensor) else a for a in args]
    kwargs = {k: v.detach().clone() if isinstance(v, torch.Tensor) else v for k, v in (kwargs or {}).items()}
    _tag((args, kwargs), "follow")
    _tag(list(module.parameters()) + list(module.buffers()), "follow")
    mode = "train()" if train else "eval()"
    where = f"{case}, {mode}" if case else mode
    torch.manual_seed(seed)
    try:
        with _DeviceTrace():
            out = module(*args, **kwargs)
    except MadeOnCpu as made:
        raise Fail(f"your forward does not keep the input's device: {made.origin} is made on the CPU "
                   f"whatever the input's device, and meets the input's tensors in `{made.op}`"
                   f"{_where(made.line)}; on a GPU this raises. Create it with device=x.device (and "
                   "dtype=x.dtype), use torch.*_like / x.new_*, or register a table as a buffer",
                   case=where) from None
    except BaseException as exc:
        exc.kata_case = getattr(exc, "kata_case", None) or where
        raise
    for t in tree_leaves(out):
        tag = getattr(t, _TAG, None) if isinstance(t, torch.Tensor) else None
        if tag not in (None, "follow"):
            raise Fail(f"your forward returns a tensor made on the CPU ({tag}), whatever the input's device: "
                       "create it with device=x.device, or build the output from the input's tensors",
                       case=where)
