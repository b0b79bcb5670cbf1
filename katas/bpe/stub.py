def train_bpe(text: str, vocab_size: int) -> list[tuple[int, int]]:
    """Learn byte-level BPE merges on ``text`` (UTF-8 bytes, no pre-split, no special tokens).

    Ids 0-255 are bytes; merge i (0-based) creates id 256 + i. Makes vocab_size - 256 merges,
    fewer only when the sequence has fewer than 2 ids left. vocab_size < 256 -> ValueError.
    Returns the merges in order, as (int, int) tuples.
    """
    raise NotImplementedError


def encode(text: str, merges) -> list[int]:
    """The ids of ``text`` under ``merges`` (a list of (int, int) tuples; not modified)."""
    raise NotImplementedError


def decode(ids, merges) -> str:
    """The text of ``ids`` (each in [0, 256 + len(merges))); invalid UTF-8 becomes U+FFFD."""
    raise NotImplementedError
