import math

import torch

from harness.engine import Case, Fail, Grader, close
from harness.engine.compare import first_match
from harness.engine.tiny_lm import TinyCausalLM

grader = Grader("sliding_window_perplexity")  # purity: input_ids is compared, the model (a module) is not
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


def classic_mistakes(case, got):
    """What the classic mistakes return on this text."""
    model, ids, max_length, stride = case.args
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
    suspects = {
        "exp of the mean of the per-window mean NLLs; windows score different numbers of tokens, "
        "so keep one total NLL and one token count for the whole text":
            math.exp(mean([float(w.mean()) for w in scored])),
        "the mean of the per-window perplexities; keep one total NLL and one token count for the "
        "whole text": mean([math.exp(float(w.mean())) for w in scored]),
        "a perplexity where every token of every window is scored, so tokens in the overlap of two "
        "windows count twice; a window scores only the tokens no earlier window scored":
            math.exp(float(torch.cat(every).mean())),
    }
    if full:
        suspects["a perplexity where the tail after the last full window is never scored; keep sliding "
                 "until a window reaches N (the last window may be shorter)"] = math.exp(float(torch.cat(full).mean()))
    why = first_match(got, suspects, rtol=1e-9, atol=0.0)
    return why and f"your result equals {why}"


def one_call(impl, case):
    """The value, the number of model calls, N and max_length."""
    model, ids, max_length, _ = case.args
    before = model.calls
    value = impl.sliding_window_perplexity(*case.args)
    return value, model.calls - before, ids.shape[1], max_length


def called_once(expected, got):
    as_float(expected[0], got[0])
    _, calls, n, max_length = got
    if calls != 1:
        raise Fail(f"the whole text (N = {n} <= max_length = {max_length}) fits in one window: "
                   f"call the model exactly once, on all of it; you called it {calls} times")


grader.cases("N <= max_length: one model call on the whole text", [
    text(2, 2, 1), text(5, 8, 2), text(8, 8, 8), text(8, 8, 3), text(12, 16, 5),
], call=one_call, compare=called_once)

grader.cases("stride = max_length, windows tiling the text: each window's first token goes unscored", [
    text(8, 4, 4), text(16, 4, 4), text(24, 8, 8), text(32, 8, 8),
], compare=as_float, explain=classic_mistakes)

grader.cases("stride = max_length with a short last window (a few tokens, or one): token-weighted "
             "over the whole text", [
    text(10, 4, 4), text(9, 4, 4), text(21, 8, 8), text(33, 8, 8), text(37, 8, 8),
], compare=as_float, explain=classic_mistakes)

grader.cases("overlapping windows (stride < max_length, stride = 1 included): every token after the "
             "first is scored once, with the most context", [
    text(6, 4, 2), text(10, 4, 1), text(10, 4, 3), text(37, 8, 1), text(37, 8, 3), text(40, 8, 5),
    text(25, 16, 7), text(20, 8, 7),
], compare=as_float, explain=classic_mistakes)

grader.raises("stride outside [1, max_length] raises ValueError", ValueError, [
    text(20, 8, 9), text(20, 8, 0), text(20, 8, -1),
], why="stride must lie in [1, max_length]")

grader.speed(lambda rng: text(2000, 64, 32), label="2000 tokens, max_length 64, stride 32")
