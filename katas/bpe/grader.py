from harness.engine import Case, Grader
from harness.engine.exact import bpe_merges, exact_sequence, exact_text, show_id

grader = Grader(["train_bpe", "encode", "decode"],
                forbidden=["tiktoken", "tokenizers", "sentencepiece", "transformers", "minbpe"])
merges_equal = bpe_merges()
text_equal = exact_text("decoded text")

# Scripts of the random texts: 1-byte (ASCII), 2-byte (accents, Greek, Cyrillic), 3-byte (CJK)
# and 4-byte (emoji) UTF-8 characters.
SCRIPTS = {
    "ascii": "abcdefghijklmnopqrstuvwxyz",
    "accents": "aeiouéèêàçñüöß",
    "greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюя",
    "cjk": "的一是不了人我在有他这为之大来以个中上们",
    "emoji": "😀🎉🚀👍🔥🌍💡",
}


# ------------------------------------------------------------------ known mistakes, to name them
def _replace(ids, pair, new_id, right_to_left=False):
    if right_to_left:
        return _replace(ids[::-1], pair[::-1], new_id)[::-1]
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _counts(ids, overlapping=True):
    counts = {}
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    if not overlapping:  # a pair (x, x) counted as its non-overlapping occurrences (bytes.count)
        counts = {p: (len(ids) - len(_replace(ids, p, -1)) if p[0] == p[1] else c) for p, c in counts.items()}
    return counts


def _train(text, vocab_size, *, overlapping=True, ties="first", right_to_left=False, min_count=1, extra=0):
    """The contract's trainer with one knob per classic mistake (all knobs off = correct)."""
    ids, merges = list(text.encode("utf-8")), []
    for i in range(max(0, vocab_size - 256 + extra)):
        counts = _counts(ids, overlapping)
        if not counts:
            break
        pick = {"first": lambda: max(counts, key=counts.get),
                "largest": lambda: max(counts, key=lambda p: (counts[p], p)),
                "smallest": lambda: max(counts, key=lambda p: (counts[p], -p[0], -p[1]))}[ties]
        pair = pick()
        if counts[pair] < min_count:
            break
        ids = _replace(ids, pair, 256 + i, right_to_left)
        merges.append(pair)
    return merges


TRAIN_MISTAKES = {
    "you counted pairs without overlap; `aaaa` holds the pair (a, a) three times": dict(overlapping=False),
    "on a tie you took the largest pair; ties go to the pair that occurs first (leftmost) in the current "
    "sequence": dict(ties="largest"),
    "on a tie you took the smallest pair; ties go to the pair that occurs first (leftmost) in the current "
    "sequence": dict(ties="smallest"),
    "you replaced occurrences from right to left; `aaa` must become [X, a] (left to right, no overlap)":
        dict(right_to_left=True),
    "you stopped when the best pair occurs only once; it is merged too (stop only when fewer than 2 ids "
    "remain)": dict(min_count=2),
    "one merge too many: vocab_size counts the 256 byte ids, so make vocab_size - 256 merges": dict(extra=1),
    "one merge too few: make vocab_size - 256 merges": dict(extra=-1),
}


def train_mistake(case, got):
    text, vocab_size = case.args
    for message, knobs in TRAIN_MISTAKES.items():
        if got == _train(text, vocab_size, **knobs) != _train(text, vocab_size):
            return message
    return None


def _encode_by_frequency(text, merges):
    rank = {}
    for i, pair in enumerate(merges):
        rank.setdefault(tuple(pair), i)
    ids = list(text.encode("utf-8"))
    while True:
        counts = {p: c for p, c in _counts(ids).items() if p in rank}
        if not counts:
            return ids
        pair = max(counts, key=counts.get)
        ids = _replace(ids, pair, 256 + rank[pair])


def _encode_longest_match(text, merges):
    vocab = [bytes([i]) for i in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    best = {}
    for i, token in enumerate(vocab):
        best.setdefault(token, i)
    data, ids, pos = text.encode("utf-8"), [], 0
    while pos < len(data):
        n = max(n for n in range(1, len(data) - pos + 1) if data[pos:pos + n] in best)
        ids.append(best[data[pos:pos + n]])
        pos += n
    return ids


def _encode_right_to_left(text, merges):
    ids = list(text.encode("utf-8"))
    for i, pair in enumerate(merges):
        ids = _replace(ids, tuple(pair), 256 + i, right_to_left=True)
    return ids


def encode_mistake(case, got):
    text, merges = case.args
    ids = got[0] if isinstance(got, tuple) else got
    for message, wrong in {
        "you merged the most frequent pair first; encode applies the pair with the lowest merge index "
        "(merge order), whatever its count": _encode_by_frequency,
        "you matched the longest known token greedily; encode applies the merges in their order, which can "
        "split differently": _encode_longest_match,
        "you replaced occurrences from right to left; replace left to right, without overlap":
            _encode_right_to_left,
    }.items():
        try:
            if ids == wrong(text, merges):
                return message
        except Exception:
            continue
    return None


def decode_mistake(case, got):
    ids, merges = case.args
    vocab = [bytes([i]) for i in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    if got == "".join(vocab[i].decode("utf-8", errors="replace") for i in ids):
        return ("you decoded token by token; a character can be split across tokens: join all the bytes, "
                "then decode once")
    return None


# ------------------------------------------------------------------ inputs
def random_text(rng, n_chars, scripts):
    """Zipf-like words drawn from a few scripts, joined by spaces: repeated pairs, like prose."""
    alphabet = "".join(SCRIPTS[s] for s in scripts)
    words = ["".join(rng.choice(list(alphabet), size=int(rng.integers(1, 7)))) for _ in range(40)]
    weights = 1.0 / (1.0 + rng.permutation(40))
    weights /= weights.sum()
    out = []
    while sum(len(w) + 1 for w in out) < n_chars:
        out.append(str(rng.choice(words, p=weights)))
    return " ".join(out)[:n_chars]


def script_mix(rng, i):
    names = list(SCRIPTS)
    return [names[i % len(names)]] + ([str(rng.choice(names))] if i % 2 else [])


def random_merges(rng, n, alphabet=b"abcd"):
    """A hand-made merge list (not from training): merge i joins two random ids < 256 + i."""
    pool, merges = list(alphabet), []
    for i in range(n):
        merges.append((int(rng.choice(pool)), int(rng.choice(pool))))
        pool.append(256 + i)
    return merges


# ------------------------------------------------------------------ train_bpe
grader.raises("train_bpe rejects a vocab_size below 256", ValueError,
              [Case("hello", 255), Case("hello", 0)], entry="train_bpe", why="vocab_size < 256")

grader.cases("train_bpe counts overlapping pairs (`aaaa` holds (a, a) three times)", [
    Case("aaaa", 257), Case("aaaaabcbcbc", 257), Case("xaaaaayzyzyz", 258),
], compare=merges_equal, entry="train_bpe", explain=train_mistake)

grader.cases("train_bpe breaks ties by the pair that occurs first in the current sequence", [
    Case("cdabcdab", 257), Case("aaabcbc", 257), Case("cdabcdab", 260), Case("zyxwzyxw", 259),
    Case("ba ab ba ab", 258),
], compare=merges_equal, entry="train_bpe", explain=train_mistake)

grader.cases("train_bpe replaces a pair left to right without overlap (`aaa` becomes [X, a])", [
    Case("aaa", 258), Case("aaaaa", 259), Case("aaaaaaa", 260), Case("abababa", 259),
], compare=merges_equal, entry="train_bpe", explain=train_mistake)

grader.cases("train_bpe makes exactly vocab_size - 256 merges, fewer only when fewer than 2 ids remain", [
    Case("hello", 256), Case("", 300), Case("a", 300), Case("ab", 300), Case("abc", 300), Case("é", 300),
    Case("hello world", 257), Case("hello world", 259), Case("abcdefgh", 262),
], compare=merges_equal, entry="train_bpe", explain=train_mistake)


@grader.cases("train_bpe: exact merges on random texts (ASCII, accents, Greek, Cyrillic, CJK, emoji; "
              "50 to 2500 characters, vocab_size up to 600)", compare=merges_equal, entry="train_bpe",
              explain=train_mistake)
def random_training(rng):
    for i, (n_chars, vocab_size) in enumerate([(50, 270), (80, 290), (120, 300), (200, 330), (300, 360),
                                               (400, 600), (2500, 280)]):
        yield Case(random_text(rng, n_chars, script_mix(rng, i)), vocab_size)


# ------------------------------------------------------------------ encode
def _ids_with_merges(impl, case):
    return impl.encode(*case.args), case.args[1]


def ids_equal(expected, got):
    exact_sequence("ids", show=show_id(expected[1]))(expected[0], got[0])


encoded = dict(call=_ids_with_merges, compare=ids_equal, entry="encode", explain=encode_mistake)

grader.cases("encode applies merges by their order, not by the current pair frequency or longest match", [
    Case("baba", [(97, 98), (98, 97), (257, 98)]),
    Case("abababc", [(98, 99), (97, 98)]),
    Case("aabab", [(97, 98), (97, 97), (97, 256)]),
    Case("hello", [(108, 108), (101, 108), (104, 101), (257, 108), (258, 256), (260, 111)]),
    Case("ello", [(108, 108), (101, 108), (104, 101), (257, 108), (258, 256), (260, 111)]),
    Case("aaabb", [(97, 97), (98, 98), (97, 97)]).named("a pair listed twice: its first index counts"),
    Case("cab", [(1, 1)] * 10000 + [(97, 98)]).named("10001 merges: the last one, index 10000, applies"),
], **encoded)


@grader.cases("encode with hand-made merge lists where merge order and pair frequency disagree", **encoded)
def hand_made_merges(rng):
    for n_merges, n_chars in ((3, 6), (5, 10), (8, 20), (12, 40), (20, 80)):
        text = "".join(rng.choice(list("abcd"), size=n_chars))
        yield Case(text, random_merges(rng, n_merges))


@grader.cases("encode gives the training text's own ids, and handles unseen text with unseen bytes",
              **encoded)
def encode_texts(rng):
    for i, (n_chars, vocab_size) in enumerate([(40, 270), (100, 300), (300, 350), (500, 380)]):
        scripts = script_mix(rng, i)
        text = random_text(rng, n_chars, scripts)
        merges = _train(text, vocab_size)
        yield Case(text, merges).named("the training text")
        unseen = random_text(rng, n_chars // 2, [scripts[0], "emoji" if scripts[0] != "emoji" else "greek"])
        yield Case(unseen, merges).named("unseen text")


# ------------------------------------------------------------------ decode
decoded = dict(compare=text_equal, entry="decode", explain=decode_mistake)

grader.cases("decode joins the bytes before decoding (a character split across tokens; invalid bytes "
             "become one U+FFFD)", [
    Case([0xE2, 256], [(0x82, 0xAC)]).named("€ split as [b'\\xe2', b'\\x82\\xac']"),
    Case([0xE2, 0x82], []).named("a truncated character: one U+FFFD"),
    Case([104, 0xC3, 0xA9, 0xF0, 0x9F, 256], [(0x98, 0x80)]).named("hé😀 with é and 😀 split across ids"),
    Case([0xFF, 97, 256], [(0xE4, 0xBD)]),
], **decoded)


@grader.cases("decode of random id lists under trained merges", **decoded)
def random_ids(rng):
    for n_chars, vocab_size, n_ids in ((30, 270, 5), (80, 300, 12), (200, 350, 30), (500, 420, 80)):
        merges = _train(random_text(rng, n_chars, ["cjk", "accents"]), vocab_size)
        ids = [int(i) for i in rng.integers(0, 256 + len(merges), size=n_ids)]
        yield Case(ids, merges)


def _roundtrip(impl, case):
    text, merges = case.args
    return impl.decode(impl.encode(text, merges), merges)


@grader.cases("decode(encode(s)) gives s back (every script)", call=_roundtrip, compare=text_equal,
              entry="decode")
def roundtrip(rng):
    for i, n_chars in enumerate((20, 60, 150, 400)):
        scripts = script_mix(rng, i + 1)
        merges = _train(random_text(rng, n_chars * 2, scripts), 256 + n_chars // 2)
        yield Case(random_text(rng, n_chars, scripts), merges)


grader.speed(lambda rng: Case(random_text(rng, 2000, ["ascii", "cjk"]), 400), entry="train_bpe",
             label="train_bpe on 2000 characters, vocab_size 400")
