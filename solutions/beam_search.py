import numpy as np


def beam_search(step_fn, bos: int, eos: int, beam_width: int, max_len: int,
                length_penalty: float = 0.0) -> list[tuple[list[int], float]]:
    """Shrinking-beam search: each hypothesis that ends with eos leaves the beam for good,
    and the beam narrows by one for it (Jurafsky & Martin), instead of being refilled.

    step_fn(prefixes) -> float64 array (len(prefixes), V) of next-token log-probabilities.
    Returns [(generated tokens, score / n ** length_penalty)], best first, ties by tokens.
    """
    if beam_width < 1 or max_len < 1:
        raise ValueError(f"beam_width and max_len must be >= 1, got {beam_width} and {max_len}")
    live: list[tuple[list[int], float]] = [([bos], 0.0)]
    finished: list[tuple[list[int], float]] = []
    for _ in range(max_len):
        k = beam_width - len(finished)
        logp = np.asarray(step_fn([list(prefix) for prefix, _ in live]), dtype=np.float64)
        scores = np.array([score for _, score in live])[:, None] + logp
        vocab = scores.shape[1]
        # Stable sort of the negated scores: descending score, ties by beam index then token id.
        ranked = np.argsort(-scores, axis=None, kind="stable")[:k]
        survivors = []
        for flat in ranked:
            b, w = divmod(int(flat), vocab)
            hyp = (live[b][0] + [w], float(scores[b, w]))
            (finished if w == eos else survivors).append(hyp)
        live = survivors
        if not live:
            break
    hypotheses = []
    for prefix, score in finished + live:
        tokens = prefix[1:]  # bos is not generated; eos is, when the hypothesis ended with it
        hypotheses.append((tokens, score / len(tokens) ** length_penalty))
    hypotheses.sort(key=lambda h: (-h[1], h[0]))
    return hypotheses
