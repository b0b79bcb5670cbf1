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
