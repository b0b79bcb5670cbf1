"""`kata run` (the statement's example or your own input, never graded), `kata edit` and `kata config`."""
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from harness import catalog, config
from harness.cli import app
from harness.practice_cli import example_spec, run_example
from harness.run_child import KINDS, InputError, bind_inputs, parse_literal
from tests.helpers import REPO, SOLUTIONS

runner = CliRunner()
KATAS = catalog.all_katas()


def kata(*args, input=None, env=None):
    return runner.invoke(app, list(args), input=input, env=env)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


# --------------------------------------------------------------------------- example.toml
@pytest.mark.parametrize("k", KATAS, ids=lambda k: k.name)
def test_every_kata_declares_a_runnable_example(k):
    spec = example_spec(k)
    assert k.files.get("example") == "example.toml", f"{k.name}: declare example.toml in kata.toml [files]"
    assert spec, f"{k.name}: example.toml is missing or empty (docs/AUTHORING.md)"
    assert set(spec) <= {"setup", "call", "inputs"}, set(spec)
    calls = spec["call"] if isinstance(spec["call"], list) else [spec["call"]]
    assert calls and all(isinstance(c, str) and c.strip() for c in calls)
    for call in calls:
        compile(call, "<call>", "eval")
    compile(spec.get("setup", ""), "<setup>", "exec")
    inputs = spec.get("inputs", {})
    assert inputs, f"{k.name}: example.toml's inputs name what --input replaces"
    allowed = {"value"} if k.framework == "python" else set(KINDS)
    assert set(inputs.values()) <= allowed, inputs
    # what --input replaces is what the first call reads
    assert all(name in spec.get("setup", "") for name in inputs), inputs


@pytest.mark.parametrize("k", KATAS, ids=lambda k: k.name)
def test_run_prints_what_the_reference_returns_on_the_example(k):
    code, out = run_example(k, k.solution_path, timeout=60)
    assert code == 0, out
    spec = example_spec(k)
    calls = spec["call"] if isinstance(spec["call"], list) else [spec["call"]]
    for call in calls:
        assert f">>> {call}" in out
    assert "raised" not in out and "not implemented" not in out and "stopped" not in out, out


def test_run_shows_the_examples_numbers(kata_home):
    result = kata("run", "softmax", "--file", str(SOLUTIONS / "softmax.py"))
    assert result.exit_code == 0, result.output
    assert "0.09003057, 0.24472847, 0.66524096" in result.output and "not graded" in result.output


def test_run_the_stub_says_not_implemented(kata_home):
    assert kata("start", "softmax").exit_code == 0
    result = kata("run", "softmax")
    assert result.exit_code == 1
    assert "not implemented yet" in result.output


def test_run_records_nothing(kata_home):
    from harness.progress import Progress
    from harness.workspace import Workspace

    assert kata("start", "softmax").exit_code == 0
    db = Workspace(kata_home).db_path
    before = len(Progress(db).events())
    (kata_home / "softmax.py").write_text((SOLUTIONS / "softmax.py").read_text())
    assert kata("run", "softmax").exit_code == 0
    assert len(Progress(db).events()) == before
    status = {r["name"]: r["status"] for r in json.loads(kata("list", "--json").output)}
    assert status["softmax"] == "started"


# --------------------------------------------------------------------------- --input
def test_input_replaces_the_example_value(kata_home):
    result = kata("run", "softmax", "--file", str(SOLUTIONS / "softmax.py"), "--input", "[0.0, 0.0, -inf]")
    assert result.exit_code == 0, result.output
    assert "array([0.5, 0.5, 0. ])" in result.output
    assert "x = array([  0.,   0., -inf])" in result.output  # the converted input is shown


def test_input_tuple_binds_several_values(kata_home):
    result = kata("run", "kl_divergence", "--file", str(SOLUTIONS / "kl_divergence.py"),
                  "--input", "([0.5, 0.5], [0.5, 0.5])")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-2] == ">>> kl_divergence(p, q)" and float(lines[-1]) == 0.0
    assert "kl_divergence(q, p)" not in result.output  # --input runs the first call only


def test_input_builds_torch_tensors(kata_home):
    result = kata("run", "gqa", "--file", str(SOLUTIONS / "gqa.py"), "--input", "[[[1, 0, 0, 0]]]")
    assert result.exit_code == 0, result.output
    assert "x = tensor([[[1., 0., 0., 0.]]])" in result.output  # ints became the default float dtype
    # one token: both heads read the one kv pair (1, 0), so each head returns v = (1, 0)
    assert "tensor([[[1., 0., 1., 0.]]]" in result.output.split(">>> m(x)")[1]


def test_input_errors_are_usage_errors_with_the_expected_shape(kata_home):
    path = str(SOLUTIONS / "kl_divergence.py")
    arity = kata("run", "kl_divergence", "--file", path, "--input", "[0.5, 0.5]")
    assert arity.exit_code == 2
    assert "tuple of 2 values" in arity.output and "(p, q)" in arity.output
    code = kata("run", "softmax", "--file", path, "--input", "np.zeros(3)")
    assert code.exit_code == 2 and "not a Python literal" in code.output
    ragged = kata("run", "softmax", "--file", str(SOLUTIONS / "softmax.py"), "--input", "[[1.0], [1.0, 2.0]]")
    assert ragged.exit_code == 2 and "cannot be turned into" in ragged.output


def test_parse_literal_and_bind():
    assert parse_literal("[1, -inf, (2, 'a')]") == [1, float("-inf"), (2, "a")]
    assert parse_literal("nan") != parse_literal("nan")
    for bad in ("__import__('os')", "x + 1", "[1, 2"):
        with pytest.raises(InputError):
            parse_literal(bad)
    assert bind_inputs(["x"], (1, 2)) == {"x": (1, 2)}
    assert bind_inputs(["a", "b"], (1, 2)) == {"a": 1, "b": 2}
    with pytest.raises(InputError):
        bind_inputs(["a", "b"], (1, 2, 3))


# --------------------------------------------------------------------------- failures of the attempt
def test_an_exception_shows_the_attempts_line(kata_home, tmp_path):
    attempt = write(tmp_path / "softmax.py", """\
        import numpy as np

        def softmax(x, axis=-1):
            return x / undefined_name
        """)
    result = kata("run", "softmax", "--file", str(attempt))
    assert result.exit_code == 1
    assert "your code raised NameError" in result.output and "line 4, in softmax" in result.output
    assert "run_child" not in result.output and "Traceback" not in result.output


def test_an_infinite_loop_is_stopped(kata_home, tmp_path):
    attempt = write(tmp_path / "softmax.py", """\
        def softmax(x, axis=-1):
            while True:
                pass
        """)
    result = kata("run", "softmax", "--file", str(attempt), "--timeout", "1")
    assert result.exit_code == 1
    assert "stopped after 1 s" in result.output


def test_prints_of_the_attempt_are_shown_in_order(kata_home, tmp_path):
    attempt = write(tmp_path / "softmax.py", """\
        import numpy as np

        def softmax(x, axis=-1):
            print("shape", x.shape)
            return x
        """)
    result = kata("run", "softmax", "--file", str(attempt))
    assert result.exit_code == 0, result.output
    assert result.output.index(">>> softmax(x)") < result.output.index("shape (2, 3)") < result.output.index(
        "array(")


def test_run_without_an_attempt_says_how_to_start(kata_home):
    result = kata("run", "softmax")
    assert result.exit_code == 2 and "kata start softmax" in result.output


def test_run_keeps_numpy_and_torch_out_of_the_command_line(tmp_path):
    code = textwrap.dedent(f"""\
        import sys
        from typer.testing import CliRunner
        from harness.cli import app
        r = CliRunner().invoke(app, ["run", "softmax", "--file", {str(SOLUTIONS / 'softmax.py')!r},
                                     "-w", {str(tmp_path)!r}])
        assert r.exit_code == 0, r.output
        assert "numpy" not in sys.modules and "torch" not in sys.modules, "heavy import"
        """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- kata edit
@pytest.fixture
def fake_editor(tmp_path):
    """An editor that records its arguments and appends a line to the file it opens."""
    log = tmp_path / "editor.log"
    script = write(tmp_path / "bin" / "fake-editor", f"""\
        #!{sys.executable}
        import sys
        open({str(log)!r}, "a").write(" ".join(sys.argv[1:]) + "\\n")
        open(sys.argv[-1], "a").write("# edited\\n")
        """)
    script.chmod(0o755)
    return script, log


def test_edit_starts_the_kata_and_opens_the_attempt(kata_home, fake_editor):
    script, log = fake_editor
    result = kata("edit", "softmax", env={"VISUAL": f"{script} --wait", "EDITOR": ""})
    assert result.exit_code == 0, result.output
    attempt = kata_home / "softmax.py"
    assert log.read_text().split() == ["--wait", str(attempt)]
    assert attempt.read_text().startswith(catalog.find("softmax").stub_path.read_text())
    assert attempt.read_text().endswith("# edited\n")
    assert "Started" in result.output
    status = {r["name"]: r["status"] for r in json.loads(kata("list", "--json").output)}
    assert status["softmax"] == "started"


def test_edit_keeps_an_existing_attempt(kata_home, fake_editor):
    script, log = fake_editor
    write(kata_home / "softmax.py", "# mine\n")
    result = kata("edit", "softmax", env={"VISUAL": "", "EDITOR": str(script)})
    assert result.exit_code == 0, result.output
    assert (kata_home / "softmax.py").read_text() == "# mine\n# edited\n"
    assert "Started" not in result.output


def test_edit_without_an_editor_is_a_usage_error(kata_home):
    result = kata("edit", "softmax", env={"VISUAL": "/nonexistent/editor", "EDITOR": ""})
    assert result.exit_code == 2 and "$EDITOR" in result.output


# --------------------------------------------------------------------------- kata config
def test_config_defaults_set_and_environment(kata_home):
    shown = kata("config", env={"KATA_TEACHING": ""})
    assert shown.exit_code == 0 and "teaching = on" in shown.output and "default" in shown.output
    assert kata("config", "teaching", "off", env={"KATA_TEACHING": ""}).exit_code == 0
    assert "teaching = off" in kata("config", "teaching", env={"KATA_TEACHING": ""}).output
    assert config.path(kata_home / ".kata").read_text().count('teaching = "off"') == 1
    assert not config.teaching(kata_home / ".kata") or os.environ.get("KATA_TEACHING")
    overridden = kata("config", "teaching", env={"KATA_TEACHING": "on"})
    assert "teaching = on" in overridden.output and "$KATA_TEACHING" in overridden.output


def test_config_rejects_unknown_keys_and_values(kata_home):
    bad_key = kata("config", "colour", "red")
    assert bad_key.exit_code == 2 and "teaching" in bad_key.output
    bad_value = kata("config", "teaching", "sometimes")
    assert bad_value.exit_code == 2 and "on or off" in bad_value.output
    assert not config.path(kata_home / ".kata").exists()


def test_teaching_reads_env_over_file(tmp_path, monkeypatch):
    state = tmp_path / ".kata"
    monkeypatch.delenv("KATA_TEACHING", raising=False)
    assert config.teaching(state) is True
    config.set_value(state, "teaching", "false")
    assert config.teaching(state) is False
    monkeypatch.setenv("KATA_TEACHING", "1")
    assert config.teaching(state) is True


# --------------------------------------------------------------------------- statement / walkthrough split
def _section(text, title):
    body = text.split(f"\n## {title}", 1)[1]
    return body.split("\n## ", 1)[0]


def _fenced_blocks(text):
    parts = text.split("```")
    return [parts[i].strip() for i in range(1, len(parts), 2) if not parts[i].startswith("python")]


@pytest.mark.parametrize("k", KATAS, ids=lambda k: k.name)
def test_walkthrough_is_declared_and_not_repeated_in_the_statement(k):
    from harness.practice_cli import walkthrough_path

    path = walkthrough_path(k)
    on_disk = k.folder / "walkthrough.md"
    assert (path is not None) == on_disk.exists(), "declare walkthrough.md in kata.toml [files]"
    if path is None:
        return
    text = path.read_text()
    assert text.startswith(f"# {k.title}: walkthrough\n")
    statement = k.statement_path.read_text()
    for block in _fenced_blocks(text):
        assert block not in statement, f"{k.name}: the statement still shows the walkthrough's table"
    assert "Shapes:" not in statement


@pytest.mark.parametrize("k", KATAS, ids=lambda k: k.name)
def test_follow_ups_are_questions(k):
    """Answers live in notes.md (shown by `kata reveal`); the statement only asks."""
    section = _section(k.statement_path.read_text(), "Follow-up")
    body = section.split("\n", 1)[1]  # after the heading's own line
    questions = re.split(r"\n(?=\d+\. )", body.strip())
    assert len(questions) >= 2, questions
    for q in questions:
        assert re.match(r"\d+\. ", q) and "?" in q, f"{k.name}: not a question: {q}"


def test_show_walkthrough_only_on_request(kata_home):
    plain = kata("show", "gqa")
    assert plain.exit_code == 0 and "repeat kv" not in plain.output
    walk = kata("show", "gqa", "--walkthrough")
    assert walk.exit_code == 0 and "repeat kv" in walk.output and "Signature" not in walk.output


def test_show_walkthrough_without_one_points_at_hints(kata_home, tmp_path, monkeypatch):
    monkeypatch.setattr(catalog.Kata, "files", property(lambda self: {}), raising=False)
    result = kata("show", "softmax", "--walkthrough")
    assert result.exit_code == 0 and "kata hint softmax" in result.output


def test_a_mock_never_shows_the_walkthrough(kata_home):
    started = kata("mock", "start", "--kata", "gqa", "--kata", "softmax", "--json")
    assert started.exit_code == 0, started.output
    assert "gqa" in json.loads(started.output)["katas"]
    refused = kata("show", "gqa", "--walkthrough")
    assert refused.exit_code == 2 and "mock" in refused.output and "repeat kv" not in refused.output
    statement = kata("show", "gqa")
    assert statement.exit_code == 0 and "repeat kv" not in statement.output


# --------------------------------------------------------------------------- shell completion
def _complete(words):
    env = {"_KATA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = runner.invoke(app, [], env=env, prog_name="kata")
    return result.output.split()


def test_kata_names_and_aliases_complete_in_every_command():
    assert _complete("kata show so") == ["softmax", "softmax_cross_entropy", "softmax_ce"]
    for command in ("run", "edit", "check", "start", "hint", "reveal", "reset", "watch"):
        assert _complete(f"kata {command} gq") == ["gqa"], command
    assert "check" in _complete("kata ch")


def test_install_completion_is_offered():
    result = runner.invoke(app, ["--help"], prog_name="kata")
    assert "--install-completion" in result.output


# --------------------------------------------------------------------------- kata mock --kata
def test_mock_start_takes_an_explicit_list_in_order(kata_home):
    result = kata("mock", "start", "--kata", "softmax", "--kata", "grouped_query_attention", "--kata", "softmax",
                  "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["katas"] == ["softmax", "gqa"]  # aliases resolved, repeats dropped, order kept
    assert sorted(p.rsplit("/", 1)[1] for p in data["files"].values()) == ["gqa.py", "softmax.py"]
    status = json.loads(kata("mock", "status", "--json").output)
    assert status["katas"] == ["softmax", "gqa"] and status["current"] == "softmax"


def test_mock_with_an_unknown_kata_starts_nothing(kata_home):
    result = kata("mock", "start", "--kata", "sofmax")
    assert result.exit_code == 2 and "softmax" in result.output
    assert json.loads(kata("mock", "status", "--json").output) == {"active": False}


def test_mock_kata_option_completes_names():
    assert _complete("kata mock start --kata gq") == ["gqa"]
    assert _complete("kata mock --kata gq") == ["gqa"]


# --------------------------------------------------------------------------- list summary, --status, next
DAY = 86400.0


@pytest.fixture
def some_history(kata_home):
    import time

    from harness import cli

    now = time.time()
    _, progress = cli._open(None)
    for name, ago in (("softmax", 10 * DAY), ("mse", 0.5 * DAY)):
        progress.record(name, "start", {"new_attempt": True}, ts=now - ago - 100)
        progress.record(name, "pass", {"seconds": 100}, ts=now - ago)  # clean pass: due again after 1 day
    progress.record("auc", "start", {"new_attempt": True}, ts=now)
    return progress


def test_list_ends_with_a_summary_line(some_history):
    result = kata("list")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"2 of {len(KATAS)} passed · 1 due for review (`kata next`)"


def test_list_filters_by_status(some_history):
    def names(status):
        result = kata("list", "--status", status, "--json")
        assert result.exit_code == 0, result.output
        return sorted(r["name"] for r in json.loads(result.output))

    assert names("due") == ["softmax"]
    assert names("passed") == ["mse", "softmax"]
    assert names("started") == ["auc"]
    assert len(names("new")) == len(KATAS) - 3
    bad = kata("list", "--status", "done")
    assert bad.exit_code == 2 and "passed" in bad.output


def test_next_lists_the_upcoming_reviews(some_history):
    result = kata("next")
    assert result.exit_code == 0, result.output
    upcoming = result.output.split("Upcoming reviews", 1)[1]
    assert "mse" in upcoming and "tomorrow" in upcoming and "clean pass" in upcoming
    assert "softmax" not in upcoming  # due now: it is a suggestion, not an upcoming review


def test_run_and_edit_use_the_mocks_copy_during_a_mock(kata_home, fake_editor):
    script, log = fake_editor
    data = json.loads(kata("mock", "start", "--kata", "softmax", "--json").output)
    copy = data["files"]["softmax"]
    edited = kata("edit", "softmax", env={"VISUAL": str(script), "EDITOR": ""})
    assert edited.exit_code == 0, edited.output
    assert log.read_text().split() == [copy] and not (kata_home / "softmax.py").exists()
    with open(copy, "w") as fh:
        fh.write((SOLUTIONS / "softmax.py").read_text())
    ran = kata("run", "softmax")
    assert ran.exit_code == 0, ran.output
    assert copy in ran.output.replace("\n", "") and "0.66524096" in ran.output
