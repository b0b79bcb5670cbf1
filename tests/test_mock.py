"""Mock interviews, history, spaced repetition, stats, watch and reset. Time is injected:
no test sleeps."""
import io
import json
import multiprocessing
import re
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from harness import cli, history, mock as mocklib, schedule
from harness.catalog import find
from harness.progress import Event, Progress
from harness.views import sparkline, stats_view
from harness.watch import watch_loop
from tests.helpers import SOLUTIONS

runner = CliRunner()
T0 = 1_800_000_000.0  # a fixed "now"
DAY = 86400.0


class FakeClock:
    def __init__(self, now=T0, step=0.0):
        self.now = now
        self.step = step

    def __call__(self):
        value = self.now
        self.now += self.step
        return value


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(cli, "clock", fake)
    return fake


@pytest.fixture(autouse=True)
def no_warm_grader(monkeypatch):
    """The interactive mock and watch start a warm grader that outlives the command by 15 idle
    minutes: tests grade cold and leave no process behind."""
    monkeypatch.setattr(cli, "_warm_up", lambda ws: None)


def kata(*args, input=None):
    return runner.invoke(cli.app, list(args), input=input)


# --------------------------------------------------------------------------- scheduler
def ev(kata, kind, ts, **data):
    return Event(0, ts, kata, kind, data)


def test_quality_grades_clean_slow_hinted_revealed():
    assert schedule.quality(True, 0, False, 300, 10)[0] == 5
    assert schedule.quality(True, 0, False, 900, 10)[0] == 4
    assert schedule.quality(True, 2, False, 300, 10)[0] == 3
    assert schedule.quality(False, 0, True, None, 10)[0] == 1


def test_sm2_intervals_grow_after_clean_passes_and_reset_after_a_reveal():
    card = schedule.replay("softmax", [schedule.Review(T0, 5, "clean"), schedule.Review(T0 + DAY, 5, "clean"),
                                       schedule.Review(T0 + 7 * DAY, 5, "clean")])
    assert card.repetitions == 3 and card.interval_days == pytest.approx(6 * 2.8, abs=0.1)
    assert card.due == pytest.approx(T0 + 7 * DAY + card.interval_days * DAY)
    card = schedule.review(card, schedule.Review(T0 + 30 * DAY, 1, "revealed"))
    assert card.repetitions == 0 and card.interval_days == 1.0 and card.easiness < 2.8


def test_cycles_and_reviews_from_a_made_up_history():
    events = [ev("mse", "start", T0, new_attempt=True), ev("mse", "check", T0 + 60), ev("mse", "hint", T0 + 90),
              ev("mse", "check", T0 + 200), ev("mse", "pass", T0 + 200, seconds=200),
              ev("mse", "fresh", T0 + DAY), ev("mse", "check", T0 + DAY + 100), ev("mse", "pass", T0 + DAY + 100,
                                                                                   seconds=100)]
    cycles = history.cycles(events)
    assert [(c.checks, c.hints, c.passed) for c in cycles] == [(2, 1, True), (1, 0, True)]
    reviews = history.reviews(cycles, par_minutes=10)
    assert [r.quality for r in reviews] == [3, 5]
    st = history.stats("mse", cycles)
    assert (st.attempts, st.passes, st.best_seconds, st.last_seconds, st.hints) == (2, 2, 100, 100, 1)
    assert st.solve_times == [200, 100]


def test_plan_puts_overdue_first_then_new_easiest_first():
    overdue = schedule.replay("auc", [schedule.Review(T0 - 10 * DAY, 2, "failed in a mock interview")])
    fresh = schedule.replay("mse", [schedule.Review(T0 - 0.5 * DAY, 5, "clean pass")])
    cards = {"auc": overdue, "mse": fresh, "mha": schedule.CardState("mha"), "softmax": schedule.CardState("softmax")}
    plan = schedule.plan(cards, {"auc": "medium", "mse": "easy", "mha": "medium", "softmax": "easy"}, T0, limit=3)
    assert [s.kata for s in plan] == ["auc", "softmax", "mha"]
    assert "9 day(s) ago" in plan[0].reason and "failed in a mock" in plan[0].reason
    assert plan[1].reason.startswith("new")


def test_next_command_explains_its_choice(kata_home, clock):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())
    kata("hint", "softmax")
    assert kata("check", "softmax").exit_code == 0
    clock.now += 2 * DAY
    data = json.loads(kata("next", "--json").output)
    assert data[0]["kata"] == "softmax" and "hint" in data[0]["reason"]
    text = kata("next").output
    assert "softmax" in text and "due" in text


# --------------------------------------------------------------------------- mock: picking and scoring
def test_mock_favours_never_passed_and_due_katas(kata_home, clock):
    ws, progress = cli._open(None)
    progress.record("softmax", "start", {"new_attempt": True}, ts=T0 - 30 * DAY)
    progress.record("softmax", "pass", {"seconds": 100}, ts=T0 - 30 * DAY)  # passed, long overdue? (1 day gap)
    progress.record("mse", "start", {"new_attempt": True}, ts=T0 - 1)
    progress.record("mse", "pass", {"seconds": 100}, ts=T0)  # passed just now: not due
    order = mocklib.due_order(progress, [find("softmax"), find("mse"), find("auc")], T0)
    assert order == {"auc": 0, "softmax": 1, "mse": 2}
    chosen = mocklib.pick(progress, 2, "numpy", None, seed=3, now=T0)
    assert "mse" not in [k.name for k in chosen]


def test_points_and_verdict():
    assert mocklib.points(True, False, 0, 300, 10) == 100
    assert mocklib.points(True, False, 0, 1200, 10) == 80
    assert mocklib.points(True, False, 2, 300, 10) == 80
    assert mocklib.points(True, True, 0, 300, 10) == 0 and mocklib.points(False, False, 0, None, 10) == 0
    assert mocklib.verdict(90).startswith("Strong hire") and mocklib.verdict(10).startswith("No hire")


# --------------------------------------------------------------------------- mock: non-interactive
def test_mock_start_status_check_finish_history(kata_home, clock):
    kata("start", "softmax")
    practice = kata_home / "softmax.py"
    practice.write_text("# my practice attempt\n")
    started = kata("mock", "start", "--tag", "numpy", "--count", "2", "--minutes", "30", "--seed", "5", "--json")
    assert started.exit_code == 0, started.output
    info = json.loads(started.output)
    assert len(info["katas"]) == 2 and info["seconds_left"] == 1800
    assert kata("mock", "start").exit_code == 2  # one at a time
    first = info["katas"][0]
    mock_file = Path(info["files"][first])
    assert mock_file.parent != kata_home and mock_file.exists()

    clock.now += 600
    status = json.loads(kata("mock", "status", "--json").output)
    assert status["active"] and status["seconds_left"] == 1200 and status["current"] == first

    mock_file.write_text((SOLUTIONS / f"{first}.py").read_text())
    checked = kata("check", first)
    assert checked.exit_code == 0, checked.output
    assert "Mock interview #1" in checked.output
    assert practice.read_text() == "# my practice attempt\n"  # practice attempt untouched

    hint = kata("hint", info["katas"][1])
    assert "Hint 1/" in hint.output and "costs 10 points" in hint.output

    clock.now += 300
    finished = kata("mock", "finish", "--json")
    card = json.loads(finished.output)
    rows = {r["kata"]: r for r in card["katas"]}
    assert rows[first]["passed"] and rows[first]["first_pass_seconds"] == 600 and rows[first]["checks"] == 1
    assert not rows[info["katas"][1]]["passed"] and rows[info["katas"][1]]["hints"] == 1
    expected_points = mocklib.points(True, False, 0, 600, find(first).par_minutes)
    assert rows[first]["points"] == expected_points and rows[info["katas"][1]]["points"] == 0
    assert card["score"] == expected_points / 2 and card["reason"] == "finished early"
    assert json.loads(kata("mock", "status", "--json").output) == {"active": False}

    clock.now += 7 * DAY  # a week later the scorecard is still there
    again = kata("history", "1", "--json")
    assert json.loads(again.output) == card
    listing = kata("history")
    assert "1/2" in listing.output and f"{card['score']:g}" in listing.output
    shown = kata("history", "1")
    assert "Scorecard" in shown.output and first in shown.output


def test_expired_mock_is_finished_by_the_next_command(kata_home, clock):
    assert kata("mock", "start", "--tag", "numpy", "--count", "1", "--minutes", "5", "--seed", "1").exit_code == 0
    clock.now += 6 * 60
    out = kata("mock", "status")
    assert "ran out of time" in out.output and "Scorecard" in out.output
    card = json.loads(kata("history", "1", "--json").output)
    assert card["reason"] == "time ran out" and card["ended_at"] == T0 + 300


# --------------------------------------------------------------------------- mock: the interactive loop
def test_interactive_session_driven_by_scripted_input(kata_home, clock):
    result = kata("mock", "--tag", "numpy", "--count", "2", "--minutes", "45", "--seed", "2",
                  input="status\nhint\nshow\nbogus\nnext\ncheck\nfinish\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "45:00 left" in out and "Hint 1/" in out and "Unknown command `bogus`" in out
    assert "Now on" in out and "not implemented yet" in out.lower() and "Scorecard" in out
    card = json.loads(kata("history", "1", "--json").output)
    assert card["reason"] == "finished early" and sum(r["hints"] for r in card["katas"]) == 1


def test_time_running_out_during_the_session(kata_home, clock):
    clock.step = 60.0  # every look at the clock costs a minute
    result = kata("mock", "--tag", "numpy", "--count", "1", "--minutes", "5", "--seed", "4",
                  input="status\nstatus\nstatus\nstatus\nstatus\nstatus\nstatus\n")
    assert result.exit_code == 0, result.output
    assert "Time is up" in result.output and "Scorecard" in result.output
    assert json.loads(kata("history", "1", "--json").output)["reason"] == "time ran out"


def test_interrupted_mock_resumes_with_the_right_time(kata_home, clock, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(cli, "interactive", interrupted)
        result = kata("mock", "--tag", "numpy", "--count", "1", "--minutes", "20", "--seed", "9")
    assert result.exit_code == 130 and "keeps running" in result.output
    clock.now += 7 * 60
    resumed = kata("mock", input="quit\n")
    assert resumed.exit_code == 0
    assert "Resuming mock interview #1" in resumed.output and "13:00 left" in resumed.output
    assert json.loads(kata("mock", "status", "--json").output)["seconds_left"] == 13 * 60


# --------------------------------------------------------------------------- stats, watch, reset
def test_stats_with_and_without_colour(kata_home, clock):
    kata("start", "softmax")
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())
    clock.now += 300
    kata("check", "softmax")
    data = json.loads(kata("stats", "--json").output)
    row = data["katas"][0]
    assert row["kata"] == "softmax" and row["passes"] == 1 and row["best_seconds"] == 300
    assert data["coverage"]["numpy"]["passed"] == 1
    _, progress = cli._open(None)
    rows = [history.stats("softmax", history.cycles(progress.events("softmax")))]
    view = stats_view(rows, {"numpy": (1, 4)})
    coloured = Console(force_terminal=True, color_system="truecolor", width=100, record=True, file=io.StringIO())
    coloured.print(view)
    piped = Console(width=100, record=True, force_terminal=False, file=io.StringIO())  # as in a pipe
    piped.print(view)
    no_color = Console(width=100, record=True, force_terminal=True, no_color=True, file=io.StringIO())
    no_color.print(view)
    colour_code = re.compile(r"\x1b\[[0-9;]*?(?:3[0-7]|38;|9[0-7])[0-9;]*m")
    assert colour_code.search(coloured.file.getvalue())
    assert not colour_code.search(no_color.file.getvalue())
    plain_text = piped.file.getvalue()
    assert "\x1b[" not in plain_text and "softmax" in plain_text and "█████" in plain_text and "1/4" in plain_text


def test_sparkline_tracks_solve_times():
    assert sparkline([600, 300, 150]) == "█▃▁"  # levels 7, round(2.33), 0
    assert sparkline([]) == ""


def test_watch_rechecks_on_every_save(tmp_path):
    f = tmp_path / "a.py"
    f.write_text("x = 1\n")
    calls = []

    def fake_sleep(_):
        if len(calls) == 1 and not getattr(fake_sleep, "saved", False):
            f.write_text("x = 22\n")  # a save (size changes, so no mtime granularity issue)
            fake_sleep.saved = True

    watch_loop(f, lambda: calls.append(f.read_text()), interval=0.0, sleep=fake_sleep, rounds=5)
    assert calls == ["x = 1\n", "x = 22\n"]


def test_reset_keeps_the_old_attempt(kata_home):
    kata("start", "mse")
    attempt = kata_home / "mse.py"
    attempt.write_text("# old\n")
    out = kata("reset", "mean_squared_error")
    assert out.exit_code == 0 and "kept at" in out.output
    assert attempt.read_text() == find("mse").stub_path.read_text()
    assert [p.read_text() for p in (kata_home / ".kata" / "backups").glob("mse-*.py")] == ["# old\n"]


# --------------------------------------------------------------------------- reliability
def _writer(db, n):
    progress = Progress(Path(db))
    for i in range(n):
        progress.record("softmax", "check", {"i": i})
    progress.close()


def test_two_processes_writing_at_once_do_not_corrupt(tmp_path):
    db = tmp_path / "progress.db"
    Progress(db).close()
    procs = [multiprocessing.get_context("spawn").Process(target=_writer, args=(str(db), 150)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 300


def test_an_interrupted_write_leaves_nothing_half_done(tmp_path):
    progress = Progress(tmp_path / "p.db")
    with pytest.raises(KeyboardInterrupt):
        with progress.transaction(progress.conn) as conn:
            conn.execute("INSERT INTO events (ts, kata, kind) VALUES (1, 'a', 'check')")
            raise KeyboardInterrupt
    assert progress.events() == []
    progress.record("a", "check")
    assert len(progress.events()) == 1


def test_watch_inside_a_mock_grades_and_records_the_mock_copy(kata_home, clock):
    info = json.loads(kata("mock", "start", "--tag", "numpy", "--count", "1", "--seed", "3", "--json").output)
    name = info["katas"][0]
    Path(info["files"][name]).write_text((SOLUTIONS / f"{name}.py").read_text())
    clock.now += 120
    ws, progress = cli._open(None)
    cli._watch_grade(find(name), None, ws, progress)
    checks = progress.events(name, ["check", "pass"])
    assert [e.kind for e in checks] == ["check", "pass"]
    assert all(e.data.get("mock") == 1 and e.data.get("watch") for e in checks)
    assert checks[1].data["seconds"] == 120  # the mock's clock, not a practice start
