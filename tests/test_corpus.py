"""The corpus of attempts: every wrong one is rejected with a message that points at the
mistake (its ``# expect:`` regex, matched against the plain-text report), every right one
is accepted."""
import re
from pathlib import Path

import pytest

from harness import catalog
from harness.render import plain_text
from harness.runner import grade_kata
from tests.helpers import CORPUS

FILES = sorted(CORPUS.glob("*/*.py"))


def directives(path: Path) -> dict:
    found = {}
    for line in path.read_text().splitlines():
        m = re.match(r"#\s*(expect|why):\s*(.*)", line)
        if m:
            found[m.group(1)] = m.group(2).strip()
        elif line.strip() and not line.startswith("#"):
            break
    return found


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_kata_has_a_corpus():
    missing, thin = [], []
    for kata in catalog.all_katas():
        folder = CORPUS / kata.name
        wrong = list(folder.glob("wrong_*.py"))
        right = list(folder.glob("right_*.py"))
        if not folder.is_dir():
            missing.append(kata.name)
        elif len(wrong) < 3 or len(right) < 2:
            thin.append(f"{kata.name} ({len(wrong)} wrong, {len(right)} right)")
    assert not missing and not thin, (missing, thin)


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_corpus_attempt(path):
    kata = catalog.find(path.parent.name)
    meta = directives(path)
    result = grade_kata(kata, path, speed=False, timeout=120)
    report = plain_text(result)
    if path.stem.startswith("wrong_"):
        assert "expect" in meta, f"{path} has no '# expect:' line"
        assert not result.passed, f"accepted a wrong attempt ({meta.get('why')})"
        assert result.status in ("failed", "error", "timeout", "crashed"), result.status
        assert re.search(meta["expect"], report, re.IGNORECASE | re.DOTALL), (
            f"the report does not match {meta['expect']!r}:\n{report}")
        assert "Traceback" not in report
    else:
        assert path.stem.startswith("right_"), "corpus files are wrong_*.py or right_*.py"
        assert result.passed, f"rejected a correct attempt:\n{report}"
