"""harness.engine.exact: exact sequence / int-array comparison with readable diffs, and the
detachment check."""
import numpy as np
import pytest
import torch

from harness.engine import Fail
from harness.engine.exact import (assert_detached, attached, bpe_merges, detached, exact_int_array, exact_sequence,
                                  exact_text, int_array_diff, sequence_diff, show_id, show_merge, token_bytes)


def fail_of(compare, expected, got) -> Fail:
    with pytest.raises(Fail) as info:
        compare(expected, got)
    return info.value


# ------------------------------------------------------------------ sequences
def test_sequence_diff_none_when_equal():
    assert sequence_diff([1, 2, 3], [1, 2, 3]) is None
    assert sequence_diff([], []) is None


def test_sequence_diff_points_at_the_first_difference_with_context():
    diff = sequence_diff(list(range(10)), [0, 1, 2, 3, 4, 99, 6, 7, 8, 9], "ids")
    assert "first difference at ids index 5 (of 10)" in diff
    assert "> [5] 5" in diff and "> [5] 99" in diff
    assert "[3] 3" in diff and "[7] 7" in diff      # two items of context on each side
    assert "[2]" not in diff and "[8]" not in diff


def test_sequence_diff_names_extra_and_missing_items():
    extra = sequence_diff([1, 2], [1, 2, 3, 4], "merges")
    assert extra.startswith("expected 2 merges, got 4: the first 2 agree") and "extra" in extra
    assert "[2] 3" in extra and "[3] 4" in extra
    missing = sequence_diff([1, 2, 3], [1], "merges")
    assert "expected 3 merges, got 1" in missing and "missing" in missing and "[1] 2" in missing


def test_sequence_diff_with_different_lengths_and_a_difference_reports_both():
    diff = sequence_diff([1, 2, 3], [1, 5], "ids")
    assert "index 1" in diff and "lengths: expected 3, got 2" in diff


def test_exact_sequence_checks_type_items_and_values():
    compare = exact_sequence("ids")
    compare([1, 2], [1, np.int64(2)])                          # numpy integers are ints
    assert "expected a list of ids" in fail_of(compare, [1, 2], (1, 2)).message
    assert "item 1 is 2.0" in fail_of(compare, [1, 2], [1, 2.0]).message
    assert "True" in fail_of(compare, [1, 1], [1, True]).message  # bool is not an int here
    f = fail_of(compare, [1, 2, 3], [1, 2, 4])
    assert f.message == "wrong ids" and "index 2" in f.diff
    assert fail_of(compare, [1, 2, 3], [1, 2]).message == "wrong number of ids"


def test_exact_sequence_pairs_must_be_tuples_of_two_ints():
    compare = exact_sequence("merges", item="pair")
    compare([(1, 2)], [(1, 2)])
    assert "a tuple of two ints" in fail_of(compare, [(1, 2)], [[1, 2]]).message
    assert "a tuple of two ints" in fail_of(compare, [(1, 2)], [(1, 2, 3)]).message


# ------------------------------------------------------------------ BPE rendering
def test_token_bytes_and_show_merge():
    merges = [(101, 32), (256, 116)]
    table = token_bytes(merges)
    assert len(table) == 258 and table[256] == b"e " and table[257] == b"e t"
    assert show_merge(0, (101, 32), merges) == "(101, 32) = b'e ' -> id 256"
    assert show_merge(1, (256, 116), merges) == "(256, 116) = b'e t' -> id 257"
    assert show_merge(0, (300, 1), [(300, 1)]) == "(300, 1) = b'?\\x01' -> id 256"  # id 300 does not exist yet


def test_bpe_merges_shows_the_first_differing_merge_as_bytes():
    f = fail_of(bpe_merges(), [(97, 97), (256, 97)], [(97, 97), (97, 256)])
    assert "(256, 97) = b'aaa' -> id 257" in f.diff and "(97, 256) = b'aaa' -> id 257" in f.diff
    assert "index 1" in f.diff


def test_show_id_renders_ids_as_bytes():
    render = show_id([(104, 105)])
    assert render(0, 256, [256]) == "256 = b'hi'"
    assert render(0, 65, [65]) == "65 = b'A'"
    assert "no such id" in render(0, 300, [300])


def test_exact_text_shows_characters_with_code_points():
    exact_text()("héllo", "héllo")
    f = fail_of(exact_text("decoded text"), "€", "\ufffd\ufffd")
    assert f.message == "wrong decoded text" and "U+20AC" in f.diff and "U+FFFD" in f.diff
    assert "expected a str" in fail_of(exact_text(), "a", b"a").message


# ------------------------------------------------------------------ integer arrays
def test_int_array_diff_counts_and_locates_differences():
    e = np.arange(12, dtype=np.int8).reshape(3, 4)
    g = e.copy()
    g[1, 2], g[2, 3] = 0, -5
    diff = int_array_diff(e, g, "entries of q")
    assert diff.startswith("2 of 12 entries of q differ")
    assert "at [1, 2]: expected 6, got 0" in diff and "at [2, 3]: expected 11, got -5" in diff
    assert int_array_diff(e, e.copy()) is None


def test_int_array_diff_allows_plus_minus_one_where_told():
    e = np.array([1, 2, 3], dtype=np.int8)
    g = np.array([2, 2, 5], dtype=np.int8)
    allow = np.array([True, True, True])
    assert "1 of 3" in int_array_diff(e, g, allow=allow)        # 3 -> 5 is off by 2
    assert int_array_diff(e, np.array([2, 1, 3], dtype=np.int8), allow=allow) is None
    assert int_array_diff(e, np.array([2, 2, 3], dtype=np.int8), allow=np.array([False, True, True]))


def test_exact_int_array_checks_type_shape_and_dtype():
    compare = exact_int_array("q")
    e = np.array([[1, -127]], dtype=np.int8)
    compare(e, e.copy())
    assert "expected a numpy array of q" in fail_of(compare, e, [[1, -127]]).message
    assert "wrong shape of q" in fail_of(compare, e, e.reshape(2, 1)).message
    assert "wrong dtype of q: expected int8, got int64" in fail_of(compare, e, e.astype(np.int64)).message
    assert "1 of 2 q differ" in fail_of(compare, e, np.array([[1, -128]], dtype=np.int8)).diff


# ------------------------------------------------------------------ detachment
def test_attached_and_assert_detached_name_the_attached_outputs():
    x = torch.ones(2, requires_grad=True)
    outputs = {"loss": x.sum(), "chosen_rewards": x * 2, "rejected_rewards": (x * 3).detach()}
    assert attached(outputs) == ["loss", "chosen_rewards"]
    with pytest.raises(Fail, match=r"`chosen_rewards` still requires grad"):
        assert_detached({"chosen_rewards": x * 2, "rejected_rewards": x.detach(), "n": 3})
    with pytest.raises(Fail, match=r"`a` and `b` still require grad"):
        assert_detached({"a": x * 1, "b": x * 2})
    assert_detached({"a": x.detach(), "b": 1.0, "c": np.zeros(2)})


def test_detached_comparator_checks_parts_then_values():
    x = torch.ones(2, requires_grad=True)
    seen = []
    compare = detached({1: "advantages"}, then=lambda e, g: seen.append(g))
    with pytest.raises(Fail, match="`advantages` still requires grad"):
        compare(None, (x.sum(), x * 2))
    assert not seen
    compare(None, (x.sum(), (x * 2).detach()))
    assert len(seen) == 1
