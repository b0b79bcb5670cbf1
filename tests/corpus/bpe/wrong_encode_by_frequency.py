# expect: most frequent pair first
# why: encode merges the most frequent known pair of the input instead of the lowest-ranked one
from collections import Counter


def _replace(seq, pair, new):
    out = []
    i = 0
    n = len(seq)
    while i < n:
        if i < n - 1 and seq[i] == pair[0] and seq[i + 1] == pair[1]:
            out.append(new)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return out


def train_bpe(text, vocab_size):
    if vocab_size < 256:
        raise ValueError("vocab too small")
    seq = list(text.encode("utf-8"))
    result = []
    for new in range(256, vocab_size):
        if len(seq) < 2:
            break
        (best, _), = Counter(zip(seq, seq[1:])).most_common(1)
        seq = _replace(seq, best, new)
        result.append(best)
    return result


def encode(text, merges):
    rank = {}
    for idx, pair in enumerate(merges):
        rank.setdefault(tuple(pair), idx)
    seq = list(text.encode("utf-8"))
    while True:
        known = Counter(p for p in zip(seq, seq[1:]) if p in rank)
        if not known:
            return seq
        (pair, _), = known.most_common(1)
        seq = _replace(seq, pair, 256 + rank[pair])


def decode(ids, merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for idx, (a, b) in enumerate(merges):
        vocab[256 + idx] = vocab[a] + vocab[b]
    raw = bytearray()
    for i in ids:
        raw += vocab[i]
    return bytes(raw).decode("utf-8", errors="replace")
