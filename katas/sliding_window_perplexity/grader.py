import math
from dataclasses import dataclass

import torch

from harness.engine import Case, Fail, Grader, close
from harness.engine.tiny_lm import TinyCausalLM

# pure=False: the model argument counts its calls; input_ids is checked by `run` below
grader = Grader("sliding_window_perplexity", pure=False)
V = 48
as_float = close(kind="float", allow_0d_tensor=True)


def text(n, max_length, stride, seed=0):
    """The grader's tiny causal LM and a text of n tokens sampled from it."""
    model = TinyCausalLM(V, max_length, seed=n + stride + seed)
    return Case(model, model.generate(n, seed=1000 * n + 10 * max_length + seed), max_length, stride)


def windows(n, max_length, stride):
    out, begin = [], 0
    while True:
        out.append((begin, min(begin + max_length, n)))
        if out[-1][1] == n:
            return out
        begin += stride


def suspects(model, ids, max_length, stride) -> dict:
    """What the classic mistakes return on this text."""
    n = ids.shape[1]
    scored, every, full, prev = [], [], [], 0
    for begin, end in windows(n, max_length, stride):
        with torch.no_grad():
            logp = torch.log_softmax(model(ids[:, begin:end])[0].double(), -1)
        pos = torch.arange(begin + 1, end)
        nll = -logp[pos - begin - 1, ids[0, pos]]          # tokens begin+1 .. end-1
        new = nll[max(prev, begin + 1) - begin - 1:]       # the ones no earlier window scored
        every.append(nll)
        if len(new):
            scored.append(new)
            if end - begin == max_length or n <= max_length:
                full.append(new)
        prev = end
    mean = lambda xs: sum(xs) / len(xs)
    return {
        "exp of the mean of the per-window mean NLLs; windows score different numbers of tokens, "
        "so keep one total NLL and one token count for the whole text":
            math.exp(mean([float(w.mean()) for w in scored])),
        "the mean of the per-window perplexities; keep one total NLL and one token count for the "
        "whole text": mean([math.exp(float(w.mean())) for w in scored]),
        "a perplexity where every token of every window is scored, so tokens in the overlap of two "
        "windows count twice; a window scores only the tokens no earlier window scored":
            math.exp(float(torch.cat(every).mean())),
        "a perplexity where the tail after the last full window is never scored; keep sliding until "
        "a window reaches N (the last window may be shorter)":
            math.exp(float(torch.cat(full).mean())) if full else float("nan"),
    }


@dataclass
class Outcome:
    value: object
    calls: int
    modified: bool
    args: tuple     # (model, input_ids, max_length, stride) as given, for the diagnosis


def run(impl, case):
    model, ids, max_length, stride = case.args
    before = ids.clone()
    value = impl.sliding_window_perplexity(model, ids, max_length, stride)
    return Outcome(value, model.calls, not torch.equal(ids, before), (model, before, max_length, stride))


def compare(expected: Outcome, got: Outcome) -> None:
    if got.modified:
        raise Fail("your function modified input_ids; work on a copy")
    try:
        as_float(expected.value, got.value)
    except Fail as fail:
        try:
            value = float(got.value)
        except (TypeError, ValueError, RuntimeError):
            raise fail from None
        for what, suspect in suspects(*expected.args).items():
            if math.isclose(value, suspect, rel_tol=1e-9):
                fail.message = f"wrong value: your result equals {what}"
                break
        raise fail
    _, ids, max_length, _ = expected.args
    if ids.shape[1] <= max_length and got.calls != 1:
        raise Fail(f"the whole text (N = {ids.shape[1]} <= max_length = {max_length}) fits in one window: "
                   f"call the model exactly once, on all of it; you called it {got.calls} times")


grader.cases("N <= max_length: one model call on the whole text", [
    text(2, 2, 1), text(5, 8, 2), text(8, 8, 8), text(8, 8, 3), text(12, 16, 5),
], call=run, compare=compare)

grader.cases("stride = max_length, windows tiling the text: each window's first token goes unscored", [
    text(8, 4, 4), text(16, 4, 4), text(24, 8, 8), text(32, 8, 8),
], call=run, compare=compare)

grader.cases("stride = max_length with a short last window (a few tokens, or one): token-weighted "
             "over the whole text", [
    text(10, 4, 4), text(9, 4, 4), text(21, 8, 8), text(33, 8, 8), text(37, 8, 8),
], call=run, compare=compare)

grader.cases("overlapping windows (stride < max_length, stride = 1 included): every token after the "
             "first is scored once, with the most context", [
    text(6, 4, 2), text(10, 4, 1), text(10, 4, 3), text(37, 8, 1), text(37, 8, 3), text(40, 8, 5),
    text(25, 16, 7), text(20, 8, 7),
], call=run, compare=compare)

grader.raises("stride outside [1, max_length] raises ValueError", ValueError, [
    text(20, 8, 9), text(20, 8, 0), text(20, 8, -1),
], why="stride must lie in [1, max_length]")
