"""The README's commands and examples are the ones that work (conllu's test_readme pattern)."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
CI = Path(__file__).resolve().parents[1] / ".ci" / "run"


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks
    for code in blocks:
        exec(compile(code, str(README), "exec"), {})


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```bash\n(.*?)\n```", README.read_text(), re.S)
    assert len(commands) == 2, "the README has exactly two set-up commands"
    test_command = commands[1]
    assert "pytest" in test_command
    ci_lines = [ln for ln in CI.read_text().splitlines() if ln.strip() and not ln.startswith(("#", "set ", "cd "))]
    assert ci_lines == [test_command]
