"""The writer's lock of an output directory (``safepath.exclusive``): one per output directory, a hidden
sibling lock file ``.<name>.lock``. Writers of different outputs in one parent run at the same time; two
writers of the same output exclude each other; what is at the lock's name and not the program's own is
never followed, changed or removed; the stale-staging clean-up touches only its own output's siblings."""

import fcntl
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW, ROOT
from minusma_corpus import safepath
from minusma_corpus.publish.checksums import verify

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
BUILD = ["build", "--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS),
         "--changelog", str(CHANGELOG)]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=600)


def _one_line_error(result: subprocess.CompletedProcess, phrase: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert phrase in result.stderr, result.stderr


class Holder:
    """Another process holding the lock of ``target`` until it is released (a real writer that is slow)."""

    def __init__(self, target: Path):
        code = textwrap.dedent(f"""
            import sys
            from pathlib import Path
            from minusma_corpus import safepath
            with safepath.exclusive(Path({str(target)!r})):
                print("locked", flush=True)
                sys.stdin.read()
        """)
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        assert self.process.stdout.readline() == "locked\n", self.process.stderr.read()

    def release(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0, self.process.stderr.read()


def test_two_builds_into_sibling_outputs_run_at_once_and_both_succeed(tmp_path):
    """Two real builds started together into a/ and b/ of one parent both succeed (before, the second failed
    with 'another build is writing into <parent>'); nothing of the lock is left behind."""
    outs = [tmp_path / "a", tmp_path / "b"]
    runs = [subprocess.Popen([*CLI, *BUILD, "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for out in outs]
    results = [(p.wait(timeout=600), p.stderr.read()) for p in runs]
    assert all(code == 0 and "Traceback" not in err for code, err in results), results
    assert all(verify(out) == [] for out in outs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


@pytest.mark.parametrize("command", ["build", "process"])
def test_a_writer_of_a_sibling_output_does_not_hold_up_a_build_or_process(tmp_path, command):
    """Deterministic overlap: while another process holds the lock of a/, writing b/ succeeds."""
    holder = Holder(tmp_path / "a")
    try:
        args = BUILD if command == "build" else ["process", str(ROOT / "corpus")]
        result = _run(*args[:1], *args[1:], "--out", str(tmp_path / "b"))
        assert result.returncode == 0, result.stderr
        assert verify(tmp_path / "b") == []
        assert (tmp_path / ".a.lock").is_file()  # the holder's lock is untouched
    finally:
        holder.release()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_two_writers_of_the_same_output_still_exclude_each_other(tmp_path):
    out = tmp_path / "release"
    holder = Holder(out)
    try:
        _one_line_error(_run(*BUILD, "--out", str(out)), f"another build is writing into {out} right now")
        _one_line_error(_run("process", str(ROOT / "corpus"), "--out", str(out)), "another build is writing")
        assert sorted(p.name for p in tmp_path.iterdir()) == [".release.lock"]  # nothing staged, nothing removed
    finally:
        holder.release()
    assert _run(*BUILD, "--out", str(out)).returncode == 0
    assert verify(out) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_in_one_process_the_same_output_is_refused_and_another_is_not(tmp_path):
    with safepath.exclusive(tmp_path / "a"):
        with safepath.exclusive(tmp_path / "b"):
            pass
        with pytest.raises(safepath.UnsafePathError, match="another build is writing"):
            with safepath.exclusive(tmp_path / "a"):
                pass
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("points_to", ["missing", "file"])
def test_a_symbolic_link_at_the_lock_path_is_refused_without_following_it(tmp_path, points_to):
    victim = tmp_path / "victim.txt"
    if points_to == "file":
        victim.write_text("someone's file\n", encoding="utf-8")
    link = tmp_path / ".release.lock"
    os.symlink(victim, link)
    result = _run(*BUILD, "--out", str(tmp_path / "release"))
    _one_line_error(result, "not made by this program")
    assert link.is_symlink() and os.readlink(link) == str(victim)
    if points_to == "file":
        assert victim.read_text(encoding="utf-8") == "someone's file\n"
    else:
        assert not victim.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".release.lock", *(["victim.txt"] * (points_to == "file"))])


@pytest.mark.parametrize("kind", ["foreign-file", "empty-file", "directory", "fifo"])
def test_what_is_at_the_lock_path_and_not_ours_is_refused_and_kept(tmp_path, kind):
    path = tmp_path / ".release.lock"
    if kind == "foreign-file":
        path.write_text("my notes\n", encoding="utf-8")
    elif kind == "empty-file":
        path.touch()
    elif kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)  # opening it would block: it must not be opened
    with pytest.raises(safepath.UnsafePathError, match="not made by this program"):
        with safepath.exclusive(tmp_path / "release"):
            pytest.fail("the lock was taken")
    assert path.exists() and sorted(p.name for p in tmp_path.iterdir()) == [".release.lock"]
    if kind == "foreign-file":
        assert path.read_text(encoding="utf-8") == "my notes\n"


def test_the_lock_file_of_a_killed_writer_is_reused_then_removed(tmp_path):
    out = tmp_path / "release"
    holder = Holder(out)
    holder.process.kill()
    holder.process.wait(timeout=60)
    assert (tmp_path / ".release.lock").read_text().startswith(safepath.LOCK_MARK)
    assert _run(*BUILD, "--out", str(out)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_the_lock_works_without_o_tmpfile(tmp_path, monkeypatch):
    """Where the system has no ``O_TMPFILE`` the lock file is created with ``O_EXCL`` and marked at once."""
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    with safepath.exclusive(tmp_path / "a"):
        assert (tmp_path / ".a.lock").read_text().startswith(safepath.LOCK_MARK)
        with pytest.raises(safepath.UnsafePathError, match="another build is writing"):
            with safepath.exclusive(tmp_path / "a"):
                pass
    assert list(tmp_path.iterdir()) == []


def test_a_lock_file_removed_by_its_holder_while_another_waits_is_not_trusted(tmp_path, monkeypatch):
    """A writer that opened the lock file just before its holder removed it must not take that unlinked file
    as its lock (a third writer would create a new one and both would write): it starts over."""
    path = tmp_path / ".a.lock"
    path.write_text(safepath.LOCK_MARK + "a (pid 1); left by a killed writer\n", encoding="utf-8")
    real_open = safepath._open_existing
    calls = []

    def open_then_holder_finishes(lock, target):
        fd = real_open(lock, target)
        calls.append(fd)
        os.unlink(lock)  # what its holder does as it ends, just after this writer opened the file
        return fd

    monkeypatch.setattr(safepath, "_open_existing", open_then_holder_finishes)
    with safepath.exclusive(tmp_path / "a"):
        assert len(calls) == 1 and path.read_text().startswith(safepath.LOCK_MARK)
        other = os.open(path, os.O_RDONLY)  # the file now at the lock's name is the one held
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
    assert list(tmp_path.iterdir()) == []


def test_stale_clean_up_touches_only_its_own_outputs_siblings(tmp_path):
    """Siblings of other outputs whose names begin like ours (``release-x``, ``release-old``,
    ``release-staging-x``), whose writers may be running now, are neither removed nor warned about."""
    others = [".release-x-staging-abc123", ".release-old-staging-abc123", ".release-staging-x-staging-abc123",
              ".release-old-x", ".release-older", ".release-x.lock"]
    for name in others[:-1]:
        (tmp_path / name).mkdir()
        (tmp_path / name / safepath.STAGING_MARK).touch()
    (tmp_path / others[-1]).write_text(safepath.LOCK_MARK + "x\n", encoding="utf-8")
    own = tmp_path / ".release-staging-k2j_9x0q"
    own.mkdir()
    (own / safepath.STAGING_MARK).touch()
    assert safepath.remove_stale(tmp_path / "release") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(others)


_names = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,20}", fullmatch=True).filter(lambda n: n not in {".", ".."})


@settings(max_examples=200, deadline=None)
@given(mine=_names, other=_names, suffix=st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=8))
def test_no_sibling_of_another_output_is_ever_taken_for_ours(tmp_path_factory, mine, other, suffix):
    """Invariant: for two different outputs in one parent, none of the other's staging, old or lock siblings
    is in the stale list of the first."""
    if mine == other:
        return
    parent = tmp_path_factory.mktemp("p")
    for name in (f".{other}-staging-{suffix}", f".{other}-old", f".{other}.lock"):
        (parent / name).mkdir()
    assert safepath._stale(parent / mine) == []
    assert safepath.lock_path(parent / mine).name not in {p.name for p in parent.iterdir()}
