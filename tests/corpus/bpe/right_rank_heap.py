# why: ties resolved with an explicit first-position table; encode picks the lowest-ranked present pair each round (sorted), decode expands ids recursively
def train_bpe(text: str, vocab_size: int) -> list[tuple[int, int]]:
    if vocab_size < 256:
        raise ValueError(f"vocab_size={vocab_size} < 256")
    tokens = list(text.encode())
    merges = []
    while len(merges) < vocab_size - 256 and len(tokens) >= 2:
        count, first = {}, {}
        for pos in range(len(tokens) - 1):
            p = (tokens[pos], tokens[pos + 1])
            count[p] = count.get(p, 0) + 1
            first.setdefault(p, pos)
        top = max(count.values())
        pair = min((p for p in count if count[p] == top), key=first.__getitem__)
        new_id = 256 + len(merges)
        merged, pos = [], 0
        while pos < len(tokens):
            if tokens[pos:pos + 2] == [pair[0], pair[1]]:
                merged.append(new_id)
                pos += 2
            else:
                merged.append(tokens[pos])
                pos += 1
        tokens = merged
        merges.append(pair)
    return merges


def encode(text: str, merges) -> list[int]:
    ranks = {}
    for r, (a, b) in enumerate(merges):
        if (a, b) not in ranks:
            ranks[(a, b)] = r
    tokens = list(text.encode())
    while True:
        present = sorted({ranks[p] for p in zip(tokens, tokens[1:]) if p in ranks})
        if not present:
            return tokens
        r = present[0]
        a, b = merges[r]
        merged, pos = [], 0
        while pos < len(tokens):
            if pos + 1 < len(tokens) and tokens[pos] == a and tokens[pos + 1] == b:
                merged.append(256 + r)
                pos += 2
            else:
                merged.append(tokens[pos])
                pos += 1
        tokens = merged


def _expand(i, merges):
    if i < 256:
        return bytes([i])
    a, b = merges[i - 256]
    return _expand(a, merges) + _expand(b, merges)


def decode(ids, merges) -> str:
    return b"".join(_expand(i, merges) for i in ids).decode("utf-8", "replace")
