"""Progress bars: drawn on a terminal, nothing at all on a pipe or a file (logs, CI, tests)."""

import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios

from minusma_corpus.progress import bar, progress, shown
from support.paths import ANNOTATIONS, MANIFEST, RAW, ROOT

CORPUS = ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_bars_only_on_a_terminal():
    tty, pipe = Terminal(), io.StringIO()
    assert list(progress(range(3), "counting", stream=tty)) == [0, 1, 2]
    assert "counting:   0%" in tty.getvalue()
    assert list(progress(range(3), "counting", stream=pipe)) == [0, 1, 2]
    with bar(10, "uploading", stream=pipe) as b:
        b.update(10)
    assert pipe.getvalue() == ""
    assert not shown(pipe) and shown(tty)


def _run(args, stderr):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "minusma_corpus.cli", *args], stdout=subprocess.PIPE, stderr=stderr,
                          env=env, cwd=ROOT, timeout=600)


def test_long_commands_print_no_progress_to_a_pipe_and_a_bar_to_a_terminal(tmp_path):
    tasks = tmp_path / "tasks.json"
    done = _run(["ls", "export", "--out", str(tasks), *CORPUS], subprocess.PIPE)
    assert done.returncode == 0
    assert done.stderr.decode() == f"5 tasks, 5 annotation sets as predictions: {tasks}\n"  # only the report line
    explore = _run(["explore", "--out", str(tmp_path / "site"), *CORPUS], subprocess.PIPE)
    assert explore.returncode == 0 and b"\r" not in explore.stderr and b"pages" not in explore.stderr
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a 100-column terminal
    try:
        done = _run(["ls", "export", "--out", str(tasks), *CORPUS], secondary)
        os.close(secondary)
        seen = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert done.returncode == 0
    assert b"processing articles:   0%" in seen and b"/5 [" in seen
