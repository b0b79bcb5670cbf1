"""In-place identity checks: the very objects the caller passed were (or were not) updated.

"In place" in the contract means the caller's own arrays / tensors (parameters, ``.grad``
tensors) hold the new values afterwards. A grader keeps its own references to them in a
:class:`Held` *before* the attempt runs and reads those references afterwards, so an attempt
that rebinds a name, a list slot or ``p.grad`` cannot pass. Where nothing may change,
"unchanged" means bit-identical (same bytes: ``-0.0`` vs ``0.0`` and a rescale by exactly 1.0
are changes only if the bytes differ).

Works for numpy arrays and torch tensors; torch is never imported here (numpy katas).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from .compare import array_diff
from .errors import Fail
from .show import is_array, is_tensor, short


def _values(obj: Any):
    """A float64-comparable numpy copy of an array or tensor's current values (None stays None:
    a missing ``.grad``)."""
    import numpy as np

    if obj is None:
        return None
    if is_tensor(obj):
        t = obj.detach().cpu()
        if t.is_floating_point() and str(t.dtype) not in ("torch.float64", "torch.float32"):
            t = t.float()
        return np.array(t.numpy(), copy=True)
    return np.array(obj, copy=True)


def _bytes(obj: Any) -> bytes | None:
    if obj is None:
        return None
    if is_tensor(obj):
        return obj.detach().cpu().contiguous().numpy().tobytes()
    return obj.tobytes()


def _address(obj: Any) -> int | None:
    """Where the object's data lives (its buffer), so that ``p.data = new`` is seen too."""
    if is_tensor(obj):
        return obj.data_ptr()
    if is_array(obj):
        return obj.__array_interface__["data"][0]
    return None


def first_byte_change(before_bytes: bytes, before, after) -> str | None:
    """None when bit-identical, else where the first element changed."""
    import numpy as np

    if _bytes(after) == before_bytes:
        return None
    if before_bytes is None or after is None:
        return f"it was {short(before, 80)}, now {short(after, 80)}"
    b, a = np.asarray(before), _values(after)
    if b.shape != a.shape:
        return f"its shape changed from {b.shape} to {a.shape}"
    neq = np.frombuffer(before_bytes, dtype=np.uint8) != np.frombuffer(_bytes(after), dtype=np.uint8)
    flat = int(np.argmax(neq)) // max(1, b.dtype.itemsize)
    pos = np.unravel_index(flat, b.shape) if b.ndim else ()
    where = f"element {[int(i) for i in pos]}" if b.ndim else "its value"
    return f"{where} was {float(b[pos])!r}, now {float(a[pos])!r}"


class Held:
    """The caller's own objects, kept by reference, with their identity, buffer and values
    at the time they were handed over.

    ``names`` label them in messages ("parameter 2 (shape (3, 4))", "`.grad` of tensor 1").
    """

    def __init__(self, objects: Iterable[Any], names: Sequence[str] | None = None):
        self.objects = list(objects)
        self.names = list(names) if names is not None else [f"argument {i + 1}" for i in range(len(self.objects))]
        self.refresh()

    def refresh(self) -> None:
        """Take the current values as the new "before" (e.g. after a graded step)."""
        self.addresses = [_address(o) for o in self.objects]
        self.before = [_values(o) for o in self.objects]
        self.before_bytes = [_bytes(o) for o in self.objects]

    def __iter__(self):
        return iter(self.objects)

    def __len__(self) -> int:
        return len(self.objects)

    # ------------------------------------------------------------------ checks
    def assert_unchanged(self, *, why: str, case: str | None = None) -> None:
        """Every held object is bit-identical to its "before"; ``why`` says why it must be."""
        for name, obj, raw, before in zip(self.names, self.objects, self.before_bytes, self.before):
            change = first_byte_change(raw, before, obj)
            if change:
                raise Fail(f"{name} changed ({change}); {why}", case=case)

    def assert_updated(self, expected: Sequence[Any], *, case: str | None = None, rebound_hint: str = "") -> None:
        """Each held object was written in place where ``expected[i]`` says it should have
        changed: same buffer, and no longer its old values. Values themselves are not judged
        (a wrong update made in place passes here; :meth:`assert_values` judges it)."""
        import numpy as np

        for name, obj, addr, raw, before, exp in zip(self.names, self.objects, self.addresses,
                                                    self.before_bytes, self.before, expected):
            exp_values = _values(exp)
            if obj is None or exp_values is None:
                continue  # nothing held (a missing `.grad`): identity checks cover it
            moved = _address(obj) != addr
            stale = _bytes(obj) == raw and not np.array_equal(before, exp_values, equal_nan=True)
            if moved or stale:
                how = "its data was replaced by a new buffer" if moved else "it still holds its old values"
                raise Fail(f"{name} was not updated in place: {how}" + (f"; {rebound_hint}" if rebound_hint else ""),
                           case=case, expected=short(exp_values), got=short(_values(obj)))

    def assert_values(self, expected: Sequence[Any], *, rtol: float, atol: float, what: str,
                      case: str | None = None, rebound_hint: str = "", stale_is_rebound: bool = True) -> None:
        """Each held object now holds ``expected[i]`` (within tolerance), written in place.

        When an object still holds its old values where new ones were due, the attempt
        updated something else (a rebound name or slot): the message says so, with
        ``rebound_hint`` (e.g. "use p -= … or p[...] = …"). Where rebinding is ruled out
        otherwise (``.grad`` identity checked by :func:`assert_same_objects`), pass
        ``stale_is_rebound=False``: old values are then simply wrong values.
        """
        if stale_is_rebound:
            self.assert_updated(expected, case=case, rebound_hint=rebound_hint)
        for name, obj, exp in zip(self.names, self.objects, expected):
            exp_values, got_values = _values(exp), _values(obj)
            if exp_values is None or got_values is None:
                continue
            diff = array_diff(exp_values, got_values, rtol, atol)
            if diff:
                raise Fail(f"{name}: wrong {what}", case=case, expected=short(exp_values),
                           got=short(got_values), diff=diff)


def assert_same_objects(held: Held, current: Sequence[Any], *, what: str, hint: str = "",
                        case: str | None = None) -> None:
    """``current[i] is held.objects[i]``: the caller's slots still point at the very objects
    handed over (e.g. ``p.grad`` after clipping), not at new ones."""
    for name, obj, now in zip(held.names, held.objects, current):
        if now is not obj:
            raise Fail(f"{name}: {what} is a new object, not the one the caller passed"
                       + (f"; {hint}" if hint else ""), case=case, got=short(now, 160))


def grads_of(params: Iterable[Any]) -> list[Any]:
    """The ``.grad`` of each tensor (None where there is none), for :func:`assert_same_objects`."""
    return [getattr(p, "grad", None) for p in params]


def watch(objects: Iterable[Any], name: Callable[[int, Any], str]) -> Held:
    """A :class:`Held` with names built by ``name(index, obj)``."""
    objects = list(objects)
    return Held(objects, [name(i, o) for i, o in enumerate(objects)])
