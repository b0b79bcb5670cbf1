# expect: its own best tokens
# why: after the first step each beam extends with its own best token (k parallel greedy searches)
import numpy as np


def beam_search(step_fn, bos, eos, beam_width, max_len, length_penalty=0.0):
    if beam_width < 1 or max_len < 1:
        raise ValueError
    live, finished = [([bos], 0.0)], []
    for step in range(max_len):
        k = beam_width - len(finished)
        L = step_fn([p for p, _ in live])
        new = []
        if step == 0:
            order = np.argsort(-L[0], kind="stable")[:k]
            picks = [(0, int(w)) for w in order]
        else:
            picks = [(b, int(np.argmax(L[b]))) for b in range(len(live))]
        for b, w in picks:
            hyp = (live[b][0] + [w], live[b][1] + float(L[b, w]))
            (finished if w == eos else new).append(hyp)
        live = new
        if not live:
            break
    hyps = [(p[1:], s / len(p[1:]) ** length_penalty) for p, s in finished + live]
    return sorted(hyps, key=lambda h: (-h[1], h[0]))
