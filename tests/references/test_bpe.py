"""The BPE reference against a transcription of the rules written differently (list.count,
an explicit first-occurrence tie-break), hand-worked texts
and the equivalence of encode's two readings (lowest rank first / every merge once in order)."""
import random

import pytest

from tests.helpers import load_solution

ref = load_solution("bpe")


def rules_train(text, vocab_size):
    """Train with list.count for the counts; the tie-break spelled out as a left-to-right search."""
    seq = list(text.encode("utf-8"))
    merges = []
    for new_id in range(256, vocab_size):
        if len(seq) < 2:
            break
        pairs = [(seq[k], seq[k + 1]) for k in range(len(seq) - 1)]
        best = max(pairs.count(p) for p in set(pairs))
        pair = next(p for p in pairs if pairs.count(p) == best)  # first occurrence from the left
        out, k = [], 0
        while k < len(seq):
            if k < len(seq) - 1 and (seq[k], seq[k + 1]) == pair:
                out.append(new_id)
                k += 2
            else:
                out.append(seq[k])
                k += 1
        seq = out
        merges.append(pair)
    return merges


def rules_encode_in_order(text, merges):
    """The second reading of the contract: apply merges 0, 1, 2, … once each, in order."""
    seq = list(text.encode("utf-8"))
    for i, pair in enumerate(merges):
        out, k = [], 0
        while k < len(seq):
            if k < len(seq) - 1 and (seq[k], seq[k + 1]) == tuple(pair):
                out.append(256 + i)
                k += 2
            else:
                out.append(seq[k])
                k += 1
        seq = out
    return seq


def token_bytes(merges):
    table = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        table[256 + i] = table[a] + table[b]
    return table


def random_text(rng, n):
    alphabet = "ab cdé αβ абв 的一是 😀🎉" + "the quick brown fox "
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(25)]
    return " ".join(rng.choice(words[: rng.randint(3, 25)]) for _ in range(n))[: 4 * n]


@pytest.mark.parametrize("text,vocab_size,merges", [
    ("aaabdaaabac", 259, [(97, 97), (256, 97), (257, 98)]),  # Wikipedia's example
    ("aaaa", 257, [(97, 97)]),
    ("aaa", 258, [(97, 97), (256, 97)]),                      # left to right: [X, a]
    ("aaaaa", 259, [(97, 97), (256, 256), (257, 97)]),
    ("aaabcbc", 257, [(97, 97)]),                             # 2 vs 2 overlapping: the first wins
    ("aaaaabcbcbc", 257, [(97, 97)]),                         # (a, a) 4 times overlapping, (b, c) 3
    ("cdabcdab", 257, [(99, 100)]),                           # three pairs twice: the leftmost
    ("ab", 300, [(97, 98)]),                                  # one id left: stop
    ("", 300, []),
    ("a", 300, []),
    ("hello", 256, []),
    ("é", 300, [(195, 169)]),
])
def test_train_on_hand_worked_texts(text, vocab_size, merges):
    assert ref.train_bpe(text, vocab_size) == merges
    assert rules_train(text, vocab_size) == merges


@pytest.mark.parametrize("vocab_size", [255, 0, -3])
def test_train_rejects_small_vocab(vocab_size):
    with pytest.raises(ValueError):
        ref.train_bpe("hello", vocab_size)


@pytest.mark.parametrize("seed", range(12))
def test_train_matches_the_rules_on_random_texts(seed):
    rng = random.Random(seed)
    text = random_text(rng, rng.randint(5, 120))
    vocab_size = rng.randint(256, 340)
    merges = ref.train_bpe(text, vocab_size)
    assert merges == rules_train(text, vocab_size)
    assert all(type(m) is tuple and len(m) == 2 and all(type(v) is int for v in m) for m in merges)
    # training replays: the training text under its merges is the final training sequence,
    # and every merge was used on it at least once in order
    assert ref.encode(text, merges) == rules_encode_in_order(text, merges)
    assert ref.decode(ref.encode(text, merges), merges) == text


@pytest.mark.parametrize("seed", range(20))
def test_encode_lowest_rank_first_equals_every_merge_in_order(seed):
    rng = random.Random(seed)
    pool, merges = [97, 98, 99], []
    for i in range(rng.randint(1, 15)):
        merges.append((rng.choice(pool), rng.choice(pool)))
        pool.append(256 + i)
    text = "".join(rng.choice("abc") for _ in range(rng.randint(0, 60)))
    before = list(merges)
    ids = ref.encode(text, merges)
    assert ids == rules_encode_in_order(text, merges)
    assert merges == before
    table = token_bytes(merges)
    assert b"".join(table[i] for i in ids) == text.encode()


def test_encode_rank_not_frequency_nor_longest_match():
    assert ref.encode("abababc", [(98, 99), (97, 98)]) == [257, 257, 97, 256]  # frequency: [257] * 3 + [99]
    merges = [(108, 108), (101, 108), (104, 101), (257, 108), (258, 256), (260, 111)]
    assert ref.encode("ello", merges) == [101, 256, 111]         # longest match would give [259, 111]
    assert ref.encode("hello", merges) == [261]
    assert ref.encode("aaabb", [(97, 97), (98, 98), (97, 97)]) == [256, 97, 257]


def test_encode_unseen_bytes_stay_bytes():
    merges = ref.train_bpe("hello hello", 260)
    assert ref.encode("😀", merges) == list("😀".encode())


@pytest.mark.parametrize("ids,merges,text", [
    ([0xE2, 256], [(0x82, 0xAC)], "€"),
    ([0xE2, 0x82], [], "\ufffd"),
    ([104, 0xC3, 0xA9, 0xF0, 0x9F, 256], [(0x98, 0x80)], "hé😀"),
    ([0xFF, 97], [], "\ufffda"),
    ([], [], ""),
])
def test_decode_joins_bytes_first(ids, merges, text):
    assert ref.decode(ids, merges) == text


@pytest.mark.parametrize("seed", range(10))
def test_decode_random_ids_matches_the_byte_table(seed):
    rng = random.Random(seed)
    merges = ref.train_bpe(random_text(rng, 60), 300)
    ids = [rng.randrange(256 + len(merges)) for _ in range(rng.randint(0, 40))]
    table = token_bytes(merges)
    assert ref.decode(ids, merges) == b"".join(table[i] for i in ids).decode("utf-8", errors="replace")
