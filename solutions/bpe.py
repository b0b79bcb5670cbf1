"""Reference: byte-level BPE as minbpe's BasicTokenizer (train, encode, decode)."""


def _merge(ids, pair, new_id):
    """Replace every occurrence of ``pair`` in ``ids``, scanning left to right without overlap."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _pair_counts(ids):
    """Adjacent pairs with their (overlapping) counts; the dict keeps first-occurrence order."""
    counts = {}
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def train_bpe(text: str, vocab_size: int) -> list[tuple[int, int]]:
    if vocab_size < 256:
        raise ValueError(f"vocab_size must be at least 256 (the byte alphabet), got {vocab_size}")
    ids = list(text.encode("utf-8"))
    merges = []
    for i in range(vocab_size - 256):
        if len(ids) < 2:
            break  # nothing left to merge
        counts = _pair_counts(ids)
        # max() returns the first maximal key in iteration order: ties go to the pair that
        # occurs first (leftmost) in the current sequence.
        pair = max(counts, key=counts.get)
        ids = _merge(ids, pair, 256 + i)
        merges.append((int(pair[0]), int(pair[1])))
    return merges


def encode(text: str, merges) -> list[int]:
    rank = {}
    for i, pair in enumerate(merges):
        rank.setdefault(tuple(pair), i)  # the lowest index of a pair wins
    ids = list(text.encode("utf-8"))
    while len(ids) >= 2:
        # the pair with the lowest merge index, not the most frequent one
        pair = min(zip(ids, ids[1:]), key=lambda p: rank.get(p, float("inf")))
        if pair not in rank:
            break
        ids = _merge(ids, pair, 256 + rank[pair])
    return ids


def decode(ids, merges) -> str:
    vocab = [bytes([i]) for i in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    # join the bytes first: a character may be split across tokens
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
