"""The corpus of attempts: every wrong one is rejected with a message that points at the
mistake (its ``# expect:`` regex, matched against what the report shows of the failure), every right one
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


def failure_text(result) -> str:
    """What the candidate is shown about the failure: the names of the failing checks, the
    first failure in full (message, input, expected, got, diff) and any load error. Passing
    rows are left out, so an ``# expect:`` cannot match the name of a check that passed."""
    parts = [f"✗ {c.name}" for c in result.checks if c.status not in ("passed", "skipped")]
    first = result.first_failure
    if first is not None:
        parts.append(first.message)
        labels = {"case": "input: ", "expected": "expected: ", "got": "got: ", "diff": "", "source_line": ""}
        parts += [labels[k] + str(first.details[k]) for k in labels if first.details.get(k)]
    if result.error:
        parts += [str(result.error.get(k)) for k in ("message", "source_line") if result.error.get(k)]
    return "\n".join(parts)


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
        shown = failure_text(result)
        assert re.search(meta["expect"], shown, re.IGNORECASE | re.DOTALL), (
            f"the failure does not match {meta['expect']!r}:\n{report}")
        assert "Traceback" not in report
    else:
        assert path.stem.startswith("right_"), "corpus files are wrong_*.py or right_*.py"
        assert result.passed, f"rejected a correct attempt:\n{report}"
