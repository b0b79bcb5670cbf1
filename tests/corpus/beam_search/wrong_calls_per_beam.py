# expect: called .* times|once per step
# why: asks step_fn for one prefix at a time
import numpy as np


def beam_search(step_fn, bos, eos, beam_width, max_len, length_penalty=0.0):
    if beam_width < 1 or max_len < 1:
        raise ValueError("bad beam_width or max_len")
    live, finished = [([bos], 0.0)], []
    for _ in range(max_len):
        k = beam_width - len(finished)
        L = np.concatenate([np.asarray(step_fn([p])) for p, _ in live])
        scores = np.array([s for _, s in live])[:, None] + L
        V = L.shape[1]
        order = np.argsort(-scores, axis=None, kind="stable")[:k]
        new = []
        for i in order:
            b, w = divmod(int(i), V)
            hyp = (live[b][0] + [w], float(scores[b, w]))
            if w == eos:
                finished.append(hyp)
            else:
                new.append(hyp)
        live = new
        if not live:
            break
    hyps = []
    for p, s in finished + live:
        n = len(p) - 1
        hyps.append((p[1:], s / n ** length_penalty))
    hyps.sort(key=lambda h: (-h[1], h[0]))
    return hyps
