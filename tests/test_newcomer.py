"""What a newcomer trips over (issue 14): global options, recording, stats, reset, failure
reports and wording. Each test drives the CLI as a user would (the test runner's output is
not a terminal, as in a pipe)."""
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness import catalog, cli, mock as mocklib
from harness.catalog import find
from tests.helpers import SOLUTIONS

runner = CliRunner()
SOFTMAX_OK = (SOLUTIONS / "softmax.py").read_text()
GLOBAL_MAX = ("import numpy as np\n\ndef softmax(x, axis=-1):\n    e = np.exp(x - np.max(x))\n"
              "    return e / e.sum(axis=axis, keepdims=True)\n")
T0 = 1_800_000_000.0


@pytest.fixture(autouse=True)
def no_warm_grader(monkeypatch):
    """The interactive mock and watch start a warm grader that outlives the command by 15 idle
    minutes: tests grade cold and leave no process behind."""
    monkeypatch.setattr(cli, "_warm_up", lambda ws: None)


def kata(*args, input=None):
    return runner.invoke(cli.app, list(args), input=input)


def events(home, kinds=None):
    db = sqlite3.connect(home / ".kata" / "progress.db")
    rows = db.execute("SELECT kata, kind, data FROM events").fetchall()
    return [(k, kind, json.loads(d)) for k, kind, d in rows if kinds is None or kind in kinds]


@pytest.fixture
def clock(monkeypatch):
    now = [T0]
    monkeypatch.setattr(cli, "clock", lambda: now[0])
    return now


# --------------------------------------------------------------------------- global options
def test_workspace_is_accepted_before_the_command(tmp_path, monkeypatch):
    monkeypatch.delenv("KATA_HOME", raising=False)
    ws = tmp_path / "global-ws"
    started = kata("--workspace", str(ws), "start", "softmax")
    assert started.exit_code == 0, started.output
    assert (ws / "softmax.py").exists()
    rows = {r["name"]: r for r in json.loads(kata("-w", str(ws), "list", "--json").output)}
    assert rows["softmax"]["status"] == "started"
    # The command's own --workspace wins over the global one.
    other = tmp_path / "own-ws"
    assert kata("-w", str(ws), "start", "mse", "--workspace", str(other)).exit_code == 0
    assert (other / "mse.py").exists() and not (ws / "mse.py").exists()
    # ... and the mock's subcommands see it too.
    assert kata("--workspace", str(ws), "mock", "start", "--count", "1", "--seed", "1").exit_code == 0
    assert (ws / "mocks").is_dir()


# --------------------------------------------------------------------------- aliases, list
def test_show_and_list_name_the_aliases(kata_home):
    shown = kata("show", "binary_cross_entropy")
    assert shown.exit_code == 0 and "aliases: bce" in shown.output
    listing = kata("list")
    line = next(l for l in listing.output.splitlines() if l.strip().startswith("shuffle"))
    assert "fisher_yates" in line


def test_an_unknown_tag_is_refused_like_an_unknown_difficulty(kata_home):
    tag = kata("list", "--tag", "nosuchtag")
    level = kata("list", "--difficulty", "expert")
    assert tag.exit_code == level.exit_code == 2
    assert "nosuchtag" in tag.output and "torch" in tag.output and "Traceback" not in tag.output
    assert kata("mock", "start", "--tag", "nosuchtag").exit_code == 2
    assert not (kata_home / "mocks").exists()


def test_the_list_title_counts_in_words(kata_home):
    katas = catalog.all_katas()
    tag, level = next((t, k.difficulty) for k in katas for t in k.tags
                      if sum(1 for o in katas if t in o.tags and o.difficulty == k.difficulty) == 1)
    one = kata("list", "--tag", tag, "--difficulty", level)
    assert one.exit_code == 0 and "1 kata\n" in one.output and "1 katas" not in one.output
    assert f"{len(katas)} katas" in kata("list").output


def test_a_piped_list_keeps_every_title_whole(kata_home):
    out = kata("list").output
    for k in catalog.all_katas():
        assert k.title in out, k.title
    assert "…" not in out


# --------------------------------------------------------------------------- recording
def test_a_file_other_than_the_attempt_is_graded_but_not_recorded(kata_home, tmp_path):
    ok = tmp_path / "mine.py"
    ok.write_text(SOFTMAX_OK)
    shown = kata("check", "softmax", "--file", str(ok))
    assert shown.exit_code == 0 and "softmax passed" in shown.output
    assert "Not recorded" in shown.output and "--record" in shown.output
    assert json.loads(kata("check", "softmax", "--file", str(ok), "--json").output)["recorded"] is False
    assert events(kata_home, ["check", "pass"]) == []
    rows = {r["name"]: r for r in json.loads(kata("list", "--json").output)}
    assert rows["softmax"]["status"] == "new"
    assert json.loads(kata("stats", "--json").output)["katas"] == []


def test_record_counts_another_file_with_its_absolute_path_and_no_made_up_time(kata_home, tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mine.py").write_text(SOFTMAX_OK)
    monkeypatch.chdir(tmp_path)
    result = kata("check", "softmax", "--file", "sub/mine.py", "--record", "--json")
    assert result.exit_code == 0 and json.loads(result.output)["recorded"] is True
    recorded = events(kata_home, ["check", "pass"])
    assert [kind for _, kind, _ in recorded] == ["check", "pass"]
    assert all(data["file"] == str(tmp_path / "sub" / "mine.py") for _, _, data in recorded)
    # Never started: the solve time is unknown, in the JSON and in the table alike.
    row = json.loads(kata("stats", "--json").output)["katas"][0]
    assert row["passes"] == 1 and row["best_seconds"] is None
    table = kata("stats").output
    assert "0s" not in table and "—" in table


def test_the_attempt_named_by_file_is_recorded_with_its_absolute_path(kata_home, monkeypatch):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text(SOFTMAX_OK)
    monkeypatch.chdir(kata_home)
    result = kata("check", "softmax", "--file", "softmax.py")
    assert result.exit_code == 0 and "Not recorded" not in result.output
    assert [d["file"] for _, _, d in events(kata_home, ["check"])] == [str(kata_home / "softmax.py")]


def test_stats_keep_practice_and_mock_apart(kata_home, clock):
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "1", "--seed", "3", "--json").output)
    name = info["katas"][0]
    Path(info["files"][name]).write_text((SOLUTIONS / f"{name}.py").read_text())
    clock[0] += 60
    assert kata("check", name).exit_code == 0  # a 60 s mock pass
    assert kata("mock", "finish").exit_code == 0
    kata("start", name)
    (kata_home / f"{name}.py").write_text((SOLUTIONS / f"{name}.py").read_text())
    clock[0] += 900
    assert kata("check", name).exit_code == 0  # a 900 s practice pass
    data = json.loads(kata("stats", "--json").output)
    assert [(r["kata"], r["attempts"], r["best_seconds"]) for r in data["katas"]] == [(name, 1, 900)]
    assert [(r["kata"], r["attempts"], r["best_seconds"]) for r in data["mock"]] == [(name, 1, 60)]
    table = kata("stats").output
    assert "practice" in table and "mock interviews" in table and "15m00s" in table and "1m00s" in table


def test_reset_of_a_kata_never_started_changes_nothing(kata_home):
    result = kata("reset", "mse")
    assert result.exit_code == 2 and "not started" in result.output and "kata start mse" in result.output
    assert not (kata_home / "mse.py").exists()
    assert events(kata_home) == []


def test_reset_and_fresh_back_up_only_real_work(kata_home):
    backups = kata_home / ".kata" / "backups"
    kata("start", "mse")
    first = kata("reset", "mse")
    assert first.exit_code == 0 and "still the stub" in first.output
    assert kata("start", "mse", "--fresh").exit_code == 0
    assert not backups.exists() or list(backups.iterdir()) == []
    (kata_home / "mse.py").write_text("# my work\n")
    assert "kept at" in kata("reset", "mse").output
    assert [p.read_text() for p in backups.iterdir()] == ["# my work\n"]
    kinds = [kind for _, kind, _ in events(kata_home)]
    assert kinds == ["start", "reset", "fresh", "reset"]  # each still starts a new go


def test_mock_options_given_while_a_mock_runs_are_reported(kata_home, clock):
    assert kata("mock", "start", "--tag", "numpy", "--count", "1", "--seed", "1").exit_code == 0
    resumed = kata("mock", "--minutes", "10", "--count", "1", input="quit\n")
    assert resumed.exit_code == 0 and "Resuming mock interview #1" in resumed.output
    assert "--minutes, --count were ignored" in resumed.output
    plain = kata("mock", input="quit\n")
    assert "ignored" not in plain.output
    status = kata("mock", "--seed", "4", "status")
    assert "--seed was ignored" in status.output


def test_mock_options_before_start_are_used(kata_home, clock):
    info = json.loads(kata("mock", "--count", "2", "--minutes", "12", "start", "--json").output)
    assert len(info["katas"]) == 2 and info["seconds_left"] == 12 * 60


# --------------------------------------------------------------------------- failure reports
def test_a_timeout_lists_the_checks_that_never_ran(kata_home, tmp_path):
    ok = tmp_path / "ok.py"
    ok.write_text(SOFTMAX_OK)
    every = [c["name"] for c in json.loads(kata("check", "softmax", "--file", str(ok), "--json").output)["checks"]]
    loop = tmp_path / "loop.py"
    loop.write_text("def softmax(x, axis=-1):\n    while True:\n        pass\n")
    data = json.loads(kata("check", "softmax", "--file", str(loop), "--timeout", "2", "--json").output)
    # (on a loaded machine the time may run out before the first check: "runs to completion")
    assert [c["name"] for c in data["checks"] if c["name"] != "runs to completion"] == every
    statuses = [c["status"] for c in data["checks"]]
    assert statuses.count("timeout") == 1 and statuses[-1] == "not_run"
    text = kata("check", "softmax", "--file", str(loop), "--timeout", "2").output
    ran = [l for l in text.splitlines() if l.startswith(" ✓ ") or l.startswith(" ✗ ")]
    n_not_run = text.count("(not run)")
    assert n_not_run >= 3 and len(ran) + n_not_run in (len(every), len(every) + 1)
    assert f"1 of {len(ran) + n_not_run} checks failed, {n_not_run} not run" in text


def test_a_raised_exception_is_shown_with_the_case_the_engine_names(kata_home, tmp_path):
    # The module-parity checks name the case on which the attempt raised: the report carries it.
    attempt = tmp_path / "rms.py"
    attempt.write_text((SOLUTIONS / "rmsnorm.py").read_text().replace(
        "        input_dtype = x.dtype\n", "        input_dtype = x.dtype\n        if x.dim() == 3:\n"
        "            raise ValueError('three dims')\n"))
    # (a generous limit: a cold torch import takes long on a loaded machine)
    data = json.loads(kata("check", "rmsnorm", "--file", str(attempt), "--json", "--timeout", "600").output)
    raised = [c for c in data["checks"] if "ValueError" in c["message"]]
    assert raised and any("RMSNorm(" in c.get("case", "") for c in raised), raised
    assert all(c["line"] for c in raised)


def test_a_wrong_value_is_shown_with_input_expected_got_aligned(kata_home, tmp_path):
    attempt = tmp_path / "sm.py"
    attempt.write_text(GLOBAL_MAX)
    result = kata("check", "softmax", "--file", str(attempt))
    lines = result.output.splitlines()
    for label in ("input:", "expected:", "got:"):
        at = next(i for i, l in enumerate(lines) if l.strip().startswith(label))
        first, second = lines[at], lines[at + 1]
        # the second row of the 2-d array sits under the first row's inner bracket
        assert second.index("[") == first.index("[[") + 1, (first, second)
    data = json.loads(kata("check", "softmax", "--file", str(attempt), "--json").output)
    failed = [c for c in data["checks"] if c["status"] == "failed"]
    assert failed and all({"case", "expected", "got"} <= set(c) for c in failed)
    assert {"case", "expected", "got"} <= set(data["failing_case"])


def test_continuation_rows_of_each_array_are_aligned():
    from harness.render import aligned_lines

    text = "f(a=array([[1, 2],\n [3, 4]]), b=tensor([[5],\n [6]]))"
    assert aligned_lines(text) == ["f(a=array([[1, 2],", "           [3, 4]]), b=tensor([[5],",
                                   " " * 31 + "[6]]))"]


def test_watch_says_save_not_run_after_a_syntax_error(kata_home, tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("def softmax(x, axis=-1)\n    return x\n")
    ws, progress = cli._open(None)
    cli._watch_grade(find("softmax"), bad, ws, progress)
    out = " ".join(capsys.readouterr().out.split())
    assert "syntax error" in out and "save the file to check it again" in out and "run the check" not in out


def test_hint_after_the_last_says_there_are_no_more(kata_home):
    hints = find("mse").hints
    for _ in hints:
        kata("hint", "mse")
    again = kata("hint", "mse")
    assert "no more hints for mse" in again.output and f"all {len(hints)}" in again.output
    assert len(events(kata_home, ["hint"])) == len(hints)


# --------------------------------------------------------------------------- mock wording
def _row(name, passed=False, status="not_implemented", hints=0, reveals=0, seconds=None, par=10, attempted=None):
    row = {"kata": name, "passed": passed, "status": status, "hints": hints, "reveals": reveals,
           "first_pass_seconds": seconds, "par_minutes": par}
    return row if attempted is None else {**row, "attempted": attempted}


def test_the_verdict_names_its_real_causes():
    untouched = mocklib.verdict(50, [_row("auc", True, "passed", seconds=60), _row("mse")])
    assert untouched == "Lean no hire: not attempted: mse."
    low = mocklib.verdict(0, [_row("mse"), _row("auc", status="failed")])
    assert low == "No hire yet: not attempted: mse; failed: auc." and "below" not in low
    slow = mocklib.verdict(70, [_row("auc", True, "passed", hints=1, seconds=1200)])
    assert slow == "Hire: hints taken: auc; passed over par: auc."
    assert mocklib.verdict(100, [_row("auc", True, "passed", seconds=60)]) == "Strong hire: fast, clean and correct."
    # A stub that timed out (a busy machine) was still never attempted; an edit that fails is a failure.
    assert mocklib.verdict(0, [_row("mha", status="timeout", attempted=False),
                               _row("auc", status="not_implemented", attempted=True)]) == \
        "No hire yet: not attempted: mha; failed: auc."


def test_a_mock_left_untouched_says_so(kata_home, clock):
    kata("mock", "start", "--tag", "numpy", "--count", "2", "--seed", "2")
    card = json.loads(kata("mock", "finish", "--json").output)
    names = ", ".join(r["kata"] for r in card["katas"])
    assert card["verdict"] == f"No hire yet: not attempted: {names}."
    assert all(r["attempted"] is False for r in card["katas"])
    assert "not attempted" in kata("history", "1").output


def test_check_of_an_unknown_kata_at_the_mock_prompt_lists_the_mock(kata_home, clock):
    result = kata("mock", "--tag", "numpy", "--count", "2", "--seed", "2", input="check xyz\ncheck mse_nope\nquit\n")
    card_katas = json.loads(kata("mock", "status", "--json").output)["katas"]
    assert f"`xyz` is not a kata of this mock: its katas are {', '.join(card_katas)}." in result.output
    assert "kata list" not in result.output


# --------------------------------------------------------------------------- pipes
def test_piped_output_keeps_paths_commands_and_statements_whole(tmp_path, monkeypatch):
    home = tmp_path / ("a-rather-long-folder-name-" * 3) / "and-a-workspace-inside-it"
    monkeypatch.setenv("KATA_HOME", str(home))
    out = kata("start", "shuffle").output
    assert str(home / "shuffle.py") in out.splitlines()[-2]
    assert "kata check shuffle" in out and "kata hint shuffle" in out
    statement = find("shuffle").statement_path.read_text()
    lines = out.splitlines()
    for line in statement.splitlines():
        if line.strip():
            assert line in lines, line  # no statement line cut at 80 columns


@pytest.mark.parametrize("width", [80, 120, 160])
def test_a_terminal_list_keeps_every_column_and_cuts_long_titles_with_an_ellipsis(kata_home, monkeypatch, width):
    import io

    from rich.console import Console

    screen = Console(force_terminal=True, width=width, color_system=None, file=io.StringIO())
    monkeypatch.setattr(cli, "console", screen)
    assert kata("list").exit_code == 0
    lines = screen.file.getvalue().splitlines()
    header = next(line for line in lines if line.split()[:2] == ["name", "level"])
    assert header.split()[:5] == ["name", "level", "status", "best", "title"]
    for k in catalog.all_katas():
        row = next(line for line in lines if line.split() and line.split()[0] == k.name)
        assert len(row) <= width and k.difficulty in row.split() and "new" in row.split()
        shown = row[header.index("title"):].split("  ")[0].strip()
        assert shown == k.title or (shown.endswith("…") and k.title.startswith(shown[:-1])), (shown, k.title)


def test_file_naming_the_mock_copy_counts_for_the_mock(kata_home, clock):
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "1", "--seed", "3", "--json").output)
    name, copy = next(iter(info["files"].items()))
    Path(copy).write_text((SOLUTIONS / f"{name}.py").read_text())
    clock[0] += 30
    result = kata("check", name, "--file", copy)
    assert result.exit_code == 0 and "Not recorded" not in result.output
    checks = events(kata_home, ["check", "pass"])
    assert [(kind, data["mock"], data["file"]) for _, kind, data in checks] == [("check", 1, copy), ("pass", 1, copy)]
    assert checks[1][2]["seconds"] == 30


def test_piped_mock_status_scorecard_and_history_keep_paths_and_names_whole(tmp_path, monkeypatch, clock):
    home = tmp_path / ("a-rather-long-folder-name-" * 3) / "and-a-workspace-inside-it"
    monkeypatch.setenv("KATA_HOME", str(home))
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "2", "--seed", "1", "--json").output)
    status = kata("mock", "status").output
    for path in info["files"].values():
        assert path in status
    finished = kata("mock", "finish").output
    listing = kata("history").output
    for name in info["katas"]:
        assert name in finished
    assert ", ".join(info["katas"]) in listing and "No hire yet" in listing
