"""The command line's one error handler: one line per failure, --debug for the traceback, a closed pipe
ends quietly with a non-zero code, an unforeseen exception is reported as a bug; atomic writes keep modes."""

import errno
import shutil
import stat
import subprocess
import sys

import pytest

from minusma_corpus.cli import main
from minusma_corpus.cli import pipeline as pipeline_commands
from minusma_corpus.cli.main import error_lines
from minusma_corpus.errors import MinusmaError
from minusma_corpus.publish.build import build
from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW, ROOT

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
RAW_FILE = sorted(RAW.iterdir())[0]


def test_an_error_is_one_line_with_file_document_annotation_line_reason_and_advice():
    e = MinusmaError("span outside the text", file="a.json", doc="d1", annotation="m001", line=3, hint="fix it")
    assert e.lines() == ["a.json: document d1: annotation m001: line 3: span outside the text; fix it"]
    assert str(e) == "a.json: document d1: annotation m001: line 3: span outside the text"
    assert MinusmaError("x.json: already says what to do; do this").lines() == ["x.json: already says what to do; do this"]


@pytest.mark.parametrize("code, advice", [(errno.ENOSPC, "free some space"), (errno.EROFS, "read-only"),
                                          (errno.EACCES, "permissions"), (errno.EISDIR, "not a directory")])
def test_environment_faults_name_the_file_and_say_what_to_do(code, advice):
    (line,) = error_lines(OSError(code, "system words", "/out/file.parquet"))
    assert line.startswith("/out/file.parquet: system words; ") and advice in line


def test_clean_into_a_closed_pipe_ends_quietly_with_a_non_zero_code():
    p = subprocess.Popen([*CLI, "clean", "--json", str(RAW_FILE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()  # like `| head` that has stopped reading
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) != 0
    assert "Traceback" not in err and "BrokenPipe" not in err and err == ""


def test_debug_shows_the_traceback_and_without_it_one_line(tmp_path, capsys):
    assert main(["clean", str(tmp_path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    with pytest.raises(IsADirectoryError):
        main(["--debug", "clean", str(tmp_path)])
    result = subprocess.run([*CLI, "--debug", "clean", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_an_unforeseen_exception_is_reported_as_a_bug_in_one_line(monkeypatch, capsys):
    def broken(args):
        raise TypeError("'int' object is not iterable")

    monkeypatch.setattr(pipeline_commands, "_clean", broken)
    assert main(["clean", str(RAW_FILE)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "TypeError" in line and "this is a bug" in line and "--debug" in line


def test_stats_write_keeps_the_mode_of_the_file_it_updates(tmp_path):
    release = tmp_path / "release"
    build(RAW, MANIFEST, release, ANNOTATIONS, CHANGELOG)
    card = tmp_path / "DATACARD.md"
    shutil.copy(ROOT / "DATACARD.md", card)
    card.chmod(0o644)
    assert main(["stats", "--release", str(release), "--write", str(card)]) == 0
    assert stat.S_IMODE(card.stat().st_mode) == 0o644
    assert card.read_text(encoding="utf-8") == (ROOT / "DATACARD.md").read_text(encoding="utf-8")
