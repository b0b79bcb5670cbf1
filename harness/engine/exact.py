"""Exact comparison (integers, sequences of ids or merges, int arrays) and detachment checks.

Where a result must match exactly (token ids, BPE merges, quantized int8 weights), "wrong
result" plus two long lists is useless: the candidate needs the first place they part, with
a little context, in the terms of the problem (a merge as the bytes it produces, an int8 entry
as its index, the expected and the got value). Lengths that differ are named as such.
Torch is never imported here: numpy and plain-Python katas use this module too.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from .errors import Fail
from .show import is_array, is_tensor, short, type_name

Comparator = Callable[[Any, Any], None]
CONTEXT = 2  # items shown on each side of the first difference


# --------------------------------------------------------------------------- sequences
def sequence_diff(expected: Sequence, got: Sequence, what: str = "items",
                  show: Callable[[int, Any, Sequence], str] | None = None, context: int = CONTEXT) -> str | None:
    """None when equal, else where the sequences first part.

    ``show(i, item, seq)`` renders item ``i`` of ``seq`` (default ``repr``); it gets the whole
    sequence so that an item can be explained by the ones before it (a merge by its bytes)."""
    render = show or (lambda i, item, seq: repr(item))
    n = min(len(expected), len(got))
    first = next((i for i in range(n) if expected[i] != got[i]), None)
    if first is None:
        if len(expected) == len(got):
            return None
        longer, word = (got, "extra") if len(got) > len(expected) else (expected, "missing")
        extra = [f"[{i}] {render(i, longer[i], longer)}" for i in range(n, min(len(longer), n + 2 * context + 1))]
        more = len(longer) - n - len(extra)
        head = (f"expected {len(expected)} {what}, got {len(got)}: the first {n} agree, then "
                + ("yours has these extra ones" if word == "extra" else "yours stops; the missing ones are"))
        return head + ":\n  " + "\n  ".join(extra) + (f"\n  … and {more} more" if more > 0 else "")
    lo, hi = max(0, first - context), first + context + 1

    def window(seq) -> str:
        rows = []
        for i in range(lo, min(hi, len(seq))):
            mark = ">" if i == first else " "
            rows.append(f"{mark} [{i}] {render(i, seq[i], seq)}")
        return "\n  ".join(rows)

    length = (f" (lengths: expected {len(expected)}, got {len(got)})" if len(expected) != len(got) else
              f" (of {len(expected)})")
    return (f"first difference at {what} index {first}{length}\n"
            f"expected:\n  {window(expected)}\n"
            f"got:\n  {window(got)}")


def _is_int(x) -> bool:
    if isinstance(x, bool):
        return False
    if isinstance(x, int):
        return True
    np = __import__("sys").modules.get("numpy")
    return np is not None and isinstance(x, np.integer)


def exact_sequence(what: str = "ids", *, item: str = "int",
                   show: Callable[[int, Any, Sequence], str] | None = None) -> Comparator:
    """Compare a list exactly: a list, of the right kind of item, then element by element.

    ``item``: "int" (each item an int; numpy integers accepted) or "pair" (each a tuple of two
    ints, as BPE merges)."""

    def compare(expected, got) -> None:
        if not isinstance(got, list):
            raise Fail(f"expected a list of {what}, got {type_name(got)}", expected=short(expected),
                       got=short(got))
        for i, x in enumerate(got):
            bad = (not _is_int(x)) if item == "int" else not (
                isinstance(x, tuple) and len(x) == 2 and all(_is_int(v) for v in x))
            if bad:
                kind = "an int" if item == "int" else "a tuple of two ints"
                raise Fail(f"each of the {what} should be {kind}; item {i} is {short(x, 80)} ({type_name(x)})",
                           expected=short(expected), got=short(got))
        diff = sequence_diff(expected, got, what, show)
        if diff:
            head = "wrong number of" if len(expected) != len(got) and diff.startswith("expected") else "wrong"
            raise Fail(f"{head} {what}", expected=short(expected), got=short(got), diff=diff)

    return compare


# --------------------------------------------------------------------------- BPE merges
def token_bytes(merges: Sequence[tuple[int, int]], upto: int | None = None) -> list[bytes]:
    """The bytes of every id 0 … 255 + len(merges): byte i for i < 256, then merge i's two
    parts concatenated. Ids a malformed merge refers to before they exist render as ``b'?'``."""
    table = [bytes([i]) for i in range(256)]
    for a, b in list(merges)[: upto if upto is not None else len(merges)]:
        part = [table[v] if 0 <= v < len(table) else b"?" for v in (int(a), int(b))]
        table.append(part[0] + part[1])
    return table


def show_merge(i: int, merge, merges: Sequence) -> str:
    """``(101, 32) = b'e '`` for merge ``i``, with the ids it creates (256 + i)."""
    try:
        a, b = int(merge[0]), int(merge[1])
    except (TypeError, ValueError, IndexError):
        return repr(merge)
    table = token_bytes(merges, upto=i)
    parts = [table[v] if 0 <= v < len(table) else b"?" for v in (a, b)]
    return f"({a}, {b}) = {parts[0] + parts[1]!r} -> id {256 + i}"


def bpe_merges() -> Comparator:
    """Exact comparison of BPE merge lists; the first differing merge is shown as bytes."""
    return exact_sequence("merges", item="pair", show=show_merge)


def show_id(merges: Sequence) -> Callable[[int, Any, Sequence], str]:
    """Render a token id as ``id = bytes`` under ``merges`` (for encode's output)."""
    table = token_bytes(merges)

    def render(i, item, seq) -> str:
        try:
            v = int(item)
        except (TypeError, ValueError):
            return repr(item)
        return f"{v} = {table[v]!r}" if 0 <= v < len(table) else f"{v} (no such id)"

    return render


# --------------------------------------------------------------------------- integer arrays
def int_array_diff(expected, got, what: str = "entries", allow=None, limit: int = 4) -> str | None:
    """None when two integer arrays are equal, else how many entries differ and the first few
    (index, expected, got). ``allow``: a bool mask where a difference of ±1 is accepted."""
    import numpy as np

    e = np.asarray(expected).astype(np.int64)
    g = np.asarray(got).astype(np.int64)
    bad = e != g
    if allow is not None:
        bad &= ~(np.asarray(allow, dtype=bool) & (np.abs(e - g) <= 1))
    if not bad.any():
        return None
    positions = np.argwhere(bad)[:limit]
    rows = [f"at [{', '.join(str(int(i)) for i in p)}]: expected {int(e[tuple(p)])}, got {int(g[tuple(p)])}"
            for p in positions]
    n = int(bad.sum())
    return f"{n} of {e.size} {what} differ; first:\n  " + "\n  ".join(rows)


def exact_int_array(what: str = "entries", dtype: str | None = None, allow: Callable | None = None) -> Comparator:
    """Compare integer numpy arrays exactly: type, shape, dtype (``dtype`` or the expected's),
    then every entry. ``allow(expected, got) -> bool mask`` may accept ±1 at some entries."""

    def compare(expected, got) -> None:
        if not is_array(got):
            raise Fail(f"expected a numpy array of {what}, got {type_name(got)}", expected=short(expected),
                       got=short(got))
        if got.shape != expected.shape:
            raise Fail(f"wrong shape of {what}: expected {expected.shape}, got {got.shape}",
                       expected=short(expected), got=short(got))
        want = dtype or str(expected.dtype)
        if str(got.dtype) != want:
            raise Fail(f"wrong dtype of {what}: expected {want}, got {got.dtype}", expected=short(expected),
                       got=short(got))
        diff = int_array_diff(expected, got, what, allow(expected, got) if allow else None)
        if diff:
            raise Fail(f"wrong {what}", expected=short(expected), got=short(got), diff=diff)

    return compare


# --------------------------------------------------------------------------- detachment
def attached(outputs: dict[str, Any]) -> list[str]:
    """Names of the outputs (tensors) that still require grad."""
    return [name for name, value in outputs.items() if is_tensor(value) and value.requires_grad]


def assert_detached(outputs: dict[str, Any], *, case: str | None = None, why: str = "") -> None:
    """Fail naming each output that still requires grad although the contract says detached."""
    names = attached(outputs)
    if names:
        listed = " and ".join(f"`{n}`" for n in names)
        verb = "requires" if len(names) == 1 else "require"
        raise Fail(f"{listed} still {verb} grad: the contract says detached (call .detach() on "
                   f"{'it' if len(names) == 1 else 'them'}){f'; {why}' if why else ''}", case=case)


def detached(names: dict[int | str, str], then: Comparator | None = None) -> Comparator:
    """A comparator for tuple/dict results: the parts ``names`` lists (key -> name) must not
    require grad; then ``then`` compares the values."""

    def compare(expected, got) -> None:
        try:
            parts = {label: got[key] for key, label in names.items()}
        except (TypeError, KeyError, IndexError):
            parts = {}
        assert_detached(parts)
        if then is not None:
            then(expected, got)

    return compare


def exact_text(what: str = "text") -> Comparator:
    """Compare strings exactly; the first differing character is shown with its neighbours."""

    def compare(expected, got) -> None:
        if not isinstance(got, str):
            raise Fail(f"expected a str, got {type_name(got)}", expected=short(expected), got=short(got))
        diff = sequence_diff(expected, got, "characters", lambda i, ch, s: f"{ch!r} (U+{ord(ch):04X})")
        if diff:
            raise Fail(f"wrong {what}", expected=short(expected), got=short(got), diff=diff)

    return compare
