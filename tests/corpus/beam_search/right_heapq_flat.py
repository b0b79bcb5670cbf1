# why: heapq.nsmallest over flat indices of a numpy score matrix, a dataclass per hypothesis
import heapq
from dataclasses import dataclass

import numpy as np


@dataclass
class Hyp:
    tokens: list
    logp: float


def beam_search(step_fn, bos, eos, beam_width, max_len, length_penalty=0.0):
    if min(beam_width, max_len) < 1:
        raise ValueError("need beam_width >= 1 and max_len >= 1")
    alive, ended = [Hyp([bos], 0.0)], []
    steps = 0
    while alive and steps < max_len:
        steps += 1
        table = np.asarray(step_fn([h.tokens[:] for h in alive]), dtype=float)
        total = np.array([h.logp for h in alive]).reshape(-1, 1) + table
        flat = total.ravel()
        best = heapq.nsmallest(beam_width - len(ended), range(flat.size), key=lambda i: (-flat[i], i))
        V = table.shape[1]
        alive_next = []
        for i in best:
            h = Hyp(alive[i // V].tokens + [i % V], float(flat[i]))
            (ended if i % V == eos else alive_next).append(h)
        alive = alive_next
    result = [(h.tokens[1:], h.logp / len(h.tokens[1:]) ** length_penalty) for h in ended + alive]
    return sorted(result, key=lambda r: (-r[1], r[0]))
