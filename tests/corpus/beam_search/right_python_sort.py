# why: plain Python: candidates as tuples sorted by (-score, beam, token)
def beam_search(step_fn, bos, eos, beam_width, max_len, length_penalty=0.0):
    if beam_width < 1 or max_len < 1:
        raise ValueError("beam_width and max_len must be positive")
    beams = [([bos], 0.0)]
    done = []
    for _ in range(max_len):
        room = beam_width - len(done)
        rows = step_fn([seq for seq, _ in beams])
        cands = []
        for b, (seq, score) in enumerate(beams):
            for tok, lp in enumerate(rows[b]):
                cands.append((-(score + float(lp)), b, tok))
        cands.sort()
        nxt = []
        for neg, b, tok in cands[:room]:
            item = (beams[b][0] + [tok], -neg)
            if tok == eos:
                done.append(item)
            else:
                nxt.append(item)
        beams = nxt
        if not beams:
            break
    out = []
    for seq, score in done + beams:
        gen = seq[1:]
        out.append((gen, score / (len(gen) ** length_penalty)))
    out.sort(key=lambda x: (-x[1], x[0]))
    return out
