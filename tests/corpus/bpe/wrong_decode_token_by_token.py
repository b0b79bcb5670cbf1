# expect: token by token|split across
# why: decodes every token's bytes separately, so a character split across tokens becomes U+FFFD
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
    seq = list(text.encode("utf-8"))
    for idx, pair in enumerate(merges):
        seq = _replace(seq, pair, 256 + idx)
    return seq


def decode(ids, merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for idx, (a, b) in enumerate(merges):
        vocab[256 + idx] = vocab[a] + vocab[b]
    return "".join(vocab[i].decode("utf-8", errors="replace") for i in ids)
