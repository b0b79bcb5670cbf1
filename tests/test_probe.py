"""The mutation probe (tools/probe.py): its operators produce the classic mistakes, its ids are
stable, and a grader that holds kills the mutants of its reference."""
import sys

import pytest

from harness import catalog
from tests.helpers import REPO

sys.path.insert(0, str(REPO / "tools"))
import probe  # noqa: E402

SOURCE = '''
import numpy as np
import torch


def f(x, mask, k):
    """docstring is never mutated"""
    scores = x.transpose(-2, -1).sum(dim=-1, keepdim=True)
    scores = scores.masked_fill(~mask, float("-inf"))
    kv = k.repeat_interleave(2, dim=1)
    with torch.no_grad():
        y = self.dropout(scores)
    if k.shape[0] < 3:
        raise ValueError("message strings are never mutated")
    return y[: k.shape[1]] - x.T
'''


def ops_of(source):
    return {(m.op, m.before, m.after) for m in probe.mutants_of(source)}


def test_operators_produce_the_classic_mistakes():
    found = ops_of(SOURCE)
    expected = {
        ("drop call", "x.transpose(-2, -1)", "x"),
        ("keepdims", "True", "False"),
        ("axis", "-1", "-2"),
        ("finite inf", "float('-inf')", "-10000.0"),
        ("swap function", "k.repeat_interleave", "k.repeat"),
        ("drop no_grad", "torch.no_grad()", "__import__('contextlib').nullcontext()"),
        ("drop call", "self.dropout(scores)", "scores"),
        ("comparison", "k.shape[0] < 3", "k.shape[0] <= 3"),
        ("slice bound", "y[:k.shape[1]]", "y[:k.shape[1] + 1]"),
        ("drop transpose", "x.T", "x"),
        ("swap operands", "y[:k.shape[1]] - x.T", "x.T - y[:k.shape[1]]"),
    }
    assert expected <= found, expected - found
    assert not any("message strings" in before or "docstring" in before for _, before, _ in found)


def test_every_mutant_compiles_differs_and_has_a_stable_unique_id():
    first, second = probe.mutants_of(SOURCE), probe.mutants_of(SOURCE)
    assert [m.id for m in first] == [m.id for m in second]
    assert len({m.id for m in first}) == len(first)
    baseline = probe.ast.unparse(probe.ast.parse(SOURCE))
    for mutant in first:
        compile(mutant.source, "<mutant>", "exec")
        assert mutant.source != baseline, mutant.label


def test_listed_equivalents_are_read_from_the_kata_folder(tmp_path):
    (tmp_path / "mutants.toml").write_text('[[equivalent]]\nid = "abcd1234"\nwhy = "x is 2-D"\n')

    class Fake:
        folder = tmp_path

    assert probe.equivalents(Fake) == {"abcd1234": "x is 2-D"}


def test_the_softmax_grader_kills_a_sample_of_its_mutants():
    report = probe.probe(catalog.find("softmax"), sample=4, seed=0, jobs=1, timeout=30)
    assert report.generated == 4
    assert report.killed == 4, [m.label for m in report.survivors]
    assert report.score == 1.0


def test_a_grader_that_checks_nothing_lets_mutants_survive(tmp_path, monkeypatch):
    """The probe can fail: with every verdict a pass, every mutant survives."""
    monkeypatch.setattr(probe, "grade_mutant", lambda *a, **k: False)
    report = probe.probe(catalog.find("softmax"), sample=3, seed=0, jobs=1, timeout=30)
    assert report.killed == 0 and len(report.survivors) == 3 and report.score == 0.0


KATAS = [k.name for k in catalog.all_katas()]


@pytest.mark.slow
@pytest.mark.parametrize("name", KATAS)
def test_a_sample_of_mutants_is_killed_or_listed(name):
    """Three mutants per kata (a fixed draw): each is rejected by the grader, or listed in
    katas/<name>/mutants.toml as an equivalent or as a known survivor. A new survivor means a
    grader lost a check (or a new mutant needs a look): `python tools/probe.py NAME --survivors`."""
    kata = catalog.find(name)
    report = probe.probe(kata, sample=3, seed=0, jobs=1, timeout=max(kata.timeout, 30))
    listed = probe.known_survivors(kata)
    unexplained = [m.label + f" (id {m.id})" for m in report.survivors if m.id not in listed]
    assert not unexplained, unexplained
