import numpy as np


def beam_search(step_fn, bos: int, eos: int, beam_width: int, max_len: int,
                length_penalty: float = 0.0) -> list[tuple[list[int], float]]:
    """Beam search with a shrinking beam.

    step_fn(prefixes: list[list[int]]) -> float64 array (len(prefixes), V): next-token
    log-probabilities for each prefix (each prefix starts with bos). Use them as given.

    Returns every hypothesis as (generated tokens: bos excluded, eos included if it ended
    with eos; sum of its log-probabilities / n ** length_penalty, n = len(tokens)), sorted by
    that score descending, ties by the token list ascending.
    beam_width < 1 or max_len < 1 -> ValueError.
    """
    raise NotImplementedError
