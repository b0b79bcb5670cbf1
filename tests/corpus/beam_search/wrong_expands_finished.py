# expect: finished prefix
# why: beams that emitted eos stay in the beam and keep being expanded
import numpy as np


def beam_search(step_fn, bos, eos, beam_width, max_len, length_penalty=0.0):
    if beam_width < 1 or max_len < 1:
        raise ValueError
    beams = [([bos], 0.0)]
    for _ in range(max_len):
        L = step_fn([p for p, _ in beams])
        scores = np.array([s for _, s in beams])[:, None] + L
        order = np.argsort(-scores, axis=None, kind="stable")[:beam_width]
        V = L.shape[1]
        beams = [(beams[i // V][0] + [i % V], float(scores.flat[i])) for i in order]
    hyps = [(p[1:], s / len(p[1:]) ** length_penalty) for p, s in beams]
    return sorted(hyps, key=lambda h: (-h[1], h[0]))
