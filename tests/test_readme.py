"""The README's quick start and CI stay in step."""
import re

from tests.helpers import REPO


def quick_start_commands():
    text = (REPO / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_is_two_commands_and_ci_runs_the_test_command():
    setup_and_run, setup_and_test = quick_start_commands()
    assert setup_and_run.endswith("kata start softmax")
    test_command = setup_and_test.split("&&")[-1].strip()
    ci = (REPO / ".ci" / "run").read_text()
    assert test_command in ci, f"CI must run the README's test command: {test_command}"
    # CI installs the pinned CPU torch before anything that depends on torch.
    assert ci.index("torch==2.13.0") < ci.index('-e ".[test]"')
    assert "torch==2.13.0" in setup_and_run and "torch==2.13.0" in setup_and_test


# --------------------------------------------------------------------------- the README against the CLI
import json  # noqa: E402

import click  # noqa: E402
import typer.main  # noqa: E402
from typer.testing import CliRunner  # noqa: E402


def section(title: str) -> str:
    text = (REPO / "README.md").read_text()
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_rows(text: str, header: str) -> list[list[str]]:
    """The rows of the table that starts with ``header`` (a blank line or text ends a table)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))])
    return rows


def test_the_commands_table_is_one_table_naming_real_commands_and_options():
    text = section("Commands")
    rows = table_rows(text, "| command |")
    after = text.split("| command |", 1)[1]
    documented = [span for row in rows for span in re.findall(r"`(kata [^`]*)`", row[0])]
    # Every row of the table parses: none stranded after a blank line.
    assert len(re.findall(r"^\| `kata ", after, re.M)) == len(rows)
    root = typer.main.get_command(__import__("harness.cli", fromlist=["app"]).app)
    seen = set()
    for span in documented:
        words = span.split()[1:]
        command, ctx_options = root, {o for p in root.params for o in p.opts}
        for word in words:
            if isinstance(command, click.Group) and word in command.commands:
                command = command.commands[word]
                seen.add(command.name)
        assert command is not root, span
        options = {o for p in command.params for o in p.opts} | ctx_options
        for option in re.findall(r"--[a-z-]+", span):
            assert option in options, f"{span}: {option} is not an option of `{command.name}`"
    # ... and every command the CLI has is in the table.
    assert set(root.commands) <= seen, set(root.commands) - seen


def test_the_readme_sends_nobody_to_a_folder_a_clone_does_not_have():
    text = (REPO / "README.md").read_text()
    assert "shared folder" not in text and "KATAS.md" not in text
    assert "kata show KATA" in text


def test_the_quick_start_says_what_command_two_is_for_and_how_long_it_takes():
    text = section("Quick start")
    comment = text.split("# 2.", 1)[1].split("python3 -m venv", 1)[0]
    assert "optional" in comment and "test suite" in comment and "minutes" in comment
    assert "about a second" not in (REPO / "README.md").read_text()


def test_the_check_json_schema_is_the_one_documented(tmp_path, monkeypatch):
    monkeypatch.setenv("KATA_HOME", str(tmp_path / "ws"))
    from harness.cli import app

    attempt = tmp_path / "w.py"
    attempt.write_text("import numpy as np\ndef softmax(x, axis=-1):\n    e = np.exp(x - np.max(x))\n"
                       "    return e / e.sum(axis=axis, keepdims=True)\n")
    data = json.loads(CliRunner().invoke(app, ["check", "softmax", "--file", str(attempt), "--json"]).output)
    rows = {row[0].strip("`"): row[1] for row in table_rows(section("Commands"), "| key |")}
    assert set(rows) == set(data)
    check_keys = set(re.findall(r"`([a-z_]+)`", rows["checks"]))
    for check in data["checks"]:
        assert set(check) <= check_keys, set(check) - check_keys
        assert check["status"] in check_keys
    failing = set(re.findall(r"`([a-z_]+)`", rows["failing_case"]))
    assert set(data["failing_case"]) <= failing, set(data["failing_case"]) - failing
    assert data["status"] in set(re.findall(r"`([a-z_]+)`", rows["status"]))
