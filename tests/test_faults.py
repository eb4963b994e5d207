"""Faults: `ls import` killed with SIGKILL at every step, two builds racing, a read-only output directory, a
full disk (a small tmpfs, mounted when the test may), a corrupted Parquet file and a tampered SHA256SUMS."""

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from minusma_corpus.pipeline.corpus import read_manifest
from minusma_corpus.publish.build import build
from minusma_corpus.publish.checksums import verify
from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
CORPUS = ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]
DOCS = [r.doc_id for r in read_manifest(MANIFEST)[:2]]


def _tree(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*"))}


def _visible(directory: Path) -> dict[str, bytes]:
    """The annotation files a reader sees (hidden staging directories left by a killed import aside)."""
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*.json"))
            if not any(part.startswith(".") for part in p.relative_to(directory).parts)}


# ---- ls import killed at every step ------------------------------------------------------------------------

_KILLER = """
import atexit, os, pathlib, shutil, signal, sys
out, kill_at, count = os.environ["OUT"], int(os.environ["KILL_AT"]), [0]
def step():
    count[0] += 1
    if count[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
def ours(path):
    return str(path).startswith(out)
def wrap(real, test):
    def f(*a, **k):
        if test(*a):
            step()
        result = real(*a, **k)
        return result
    return f
os.replace = wrap(os.replace, lambda src, dst: ours(dst))
os.link = wrap(os.link, lambda src, dst: ours(dst))
os.mkdir = wrap(os.mkdir, lambda path, *a: ours(path))
pathlib.Path.write_text = wrap(pathlib.Path.write_text, lambda self, *a: ours(self))
atexit.register(lambda: print(f"steps={count[0]}", file=sys.stderr))
from minusma_corpus.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def ls_export(tmp_path_factory):
    """An export of two gold sets; what a first import wrote (the new version) and an older version of one."""
    d = tmp_path_factory.mktemp("ls-export")
    subprocess.run([*CLI, "ls", "export", *DOCS, "--as", "annotations", "--out", str(d / "export.json"), *CORPUS],
                   check=True, capture_output=True)
    subprocess.run([*CLI, "ls", "import", str(d / "export.json"), "--out", str(d / "new"), *CORPUS], check=True,
                   capture_output=True)
    return d / "export.json", _visible(d / "new")


def _killed_import(export: Path, out: Path, kill_at: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _KILLER, "ls", "import", str(export), "--out", str(out), *CORPUS],
                          env={**os.environ, "OUT": str(out), "KILL_AT": str(kill_at)}, capture_output=True, text=True)


def _old_state(out: Path, new: dict[str, bytes]) -> dict[str, bytes]:
    """The first file exists in an older version (a different, valid file); the second does not exist yet."""
    shutil.rmtree(out, ignore_errors=True)
    first = sorted(new)[0]
    (out / first).parent.mkdir(parents=True)
    (out / first).write_bytes(new[first].replace(b"\n}", b"\n\n}"))
    return _visible(out)


def test_ls_import_killed_at_any_step_leaves_each_file_old_or_new_and_a_rerun_completes(tmp_path, ls_export):
    export, new = ls_export
    out = tmp_path / "out"
    old = _old_state(out, new)
    counted = _killed_import(export, out, 0)
    assert counted.returncode == 0, counted.stderr
    steps = int(counted.stderr.rsplit("steps=", 1)[1])
    assert steps >= 6  # staging writes, the backup link, the directory, the moves
    assert _visible(out) == new
    for kill_at in range(1, steps + 1):
        old = _old_state(out, new)
        killed = _killed_import(export, out, kill_at)
        assert killed.returncode == -9, (kill_at, killed.stderr)
        seen = _visible(out)
        assert set(old) <= set(seen) <= set(new), kill_at  # no file lost, none unexpected
        for name, data in seen.items():
            assert data in (old.get(name), new[name]), (kill_at, name)  # never half written
        rerun = subprocess.run([*CLI, "ls", "import", str(export), "--out", str(out), *CORPUS], capture_output=True,
                               text=True)
        assert rerun.returncode == 0, rerun.stderr
        assert _visible(out) == new
        # the rerun removed the killed import's staging directory; only one killed between creating it and
        # marking it (empty, so not provably ours) is kept, with a warning
        for left in out.glob(".ls-import-*"):
            assert not any(left.iterdir()) and "not removed" in rerun.stderr, (kill_at, sorted(left.rglob("*")))


# ---- what a killed ls import leaves: removed by the next import, and nothing else ---------------------------

_STOPPER = """
import os, pathlib, signal, sys
out, when, sig = os.environ["OUT"], os.environ["WHEN"], getattr(signal, os.environ["SIGNAL"])
fired = []
def fire():  # once
    if not fired:
        fired.append(1)
        os.kill(os.getpid(), sig)
def staged(path):  # a file written into the staging directory (not its mark)
    p = pathlib.Path(path)
    return p.parent.name.startswith(".ls-import-") or p.parent.parent.name.startswith(".ls-import-")
real_write, real_replace = pathlib.Path.write_text, os.replace
def write_text(self, *a, **k):
    if when == "stage-write" and str(self).startswith(out) and staged(self) and self.name != ".minusma-corpus-staging":
        fire()
    return real_write(self, *a, **k)
def replace(src, dst, *a, **k):
    if when == "first-move" and str(dst).startswith(out):
        fire()
    return real_replace(src, dst, *a, **k)
pathlib.Path.write_text, os.replace = write_text, replace
from minusma_corpus.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _import_stopping(export: Path, out: Path, when: str, signal_name: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _STOPPER, "ls", "import", str(export), "--out", str(out), *CORPUS],
                            env={**os.environ, "OUT": str(out), "WHEN": when, "SIGNAL": signal_name},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _import(export: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "ls", "import", str(export), "--out", str(out), *CORPUS], capture_output=True,
                          text=True)


@pytest.mark.parametrize("when", ["stage-write", "first-move"])
def test_the_staging_directory_of_a_killed_import_is_removed_by_the_next(tmp_path, ls_export, when):
    export, new = ls_export
    out = tmp_path / "out"
    old = _old_state(out, new)
    killed = _import_stopping(export, out, when, "SIGKILL")
    assert killed.wait(timeout=300) == -9, killed.stderr.read()
    [left] = out.glob(".ls-import-*")
    assert (left / ".minusma-corpus-staging").is_file() and any(left.rglob("*.json")) == (when == "first-move")
    assert _visible(out) == old  # nothing moved yet
    rerun = _import(export, out)
    assert rerun.returncode == 0 and "warning" not in rerun.stderr, rerun.stderr
    assert not list(out.glob(".ls-import-*")) and _visible(out) == new


def test_look_alikes_of_the_staging_directory_are_never_removed_nor_followed(tmp_path, ls_export):
    """Not made by the program: a ``.ls-import-x`` directory without the mark, a symbolic link named like one
    (to a directory that holds a mark), and a file. All kept, each with a warning; the import still runs."""
    export, new = ls_export
    out = tmp_path / "out"
    _old_state(out, new)
    foreign = out / ".ls-import-x"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "sub" / "notes.json").write_text("{}", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".minusma-corpus-staging").write_text("", encoding="utf-8")
    (elsewhere / "precious.txt").write_text("keep me", encoding="utf-8")
    (out / ".ls-import-link").symlink_to(elsewhere, target_is_directory=True)
    (out / ".ls-import-file").write_text("a file", encoding="utf-8")
    marked_link = out / ".ls-import-marklink"  # a mark that is a symbolic link, not a file we wrote
    marked_link.mkdir()
    (marked_link / ".minusma-corpus-staging").symlink_to(elsewhere / "precious.txt")
    before = _tree(tmp_path / "elsewhere"), _tree(foreign), _tree(marked_link)

    result = _import(export, out)

    assert result.returncode == 0, result.stderr
    assert _visible(out) == new
    assert (_tree(tmp_path / "elsewhere"), _tree(foreign), _tree(marked_link)) == before
    assert (out / ".ls-import-link").is_symlink() and (out / ".ls-import-file").read_text() == "a file"
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 4 and all("not removed" in w for w in warnings), result.stderr


def test_the_staging_directory_of_a_live_import_is_not_removed(tmp_path, ls_export):
    """An import stopped (SIGSTOP) with its files staged still holds its lock: a second import into the same
    directory leaves its staging directory alone; the first, continued, completes."""
    export, new = ls_export
    out = tmp_path / "out"
    _old_state(out, new)
    first = _import_stopping(export, out, "first-move", "SIGSTOP")
    try:
        deadline = time.monotonic() + 120
        while not (staged := list(out.glob(".ls-import-*/*/*.json"))):
            assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()
            time.sleep(0.05)
        [staging] = out.glob(".ls-import-*")
        while Path(f"/proc/{first.pid}/stat").read_text().split(") ", 1)[1][0] != "T":  # wait until stopped
            assert time.monotonic() < deadline
            time.sleep(0.05)
        contents = _tree(staging)

        second = _import(export, out)

        assert second.returncode == 0 and "warning" not in second.stderr, second.stderr
        assert _tree(staging) == contents and staged
    finally:
        os.kill(first.pid, signal.SIGCONT)
        try:
            first.wait(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
    assert first.returncode == 0, first.stderr.read()
    assert _visible(out) == new and not list(out.glob(".ls-import-*"))


# ---- two builds at once ---------------------------------------------------------------------------------

def test_two_builds_racing_into_one_directory_end_cleanly_and_the_release_verifies(tmp_path):
    out = tmp_path / "release"
    command = [*CLI, "build", *CORPUS, "--changelog", str(CHANGELOG), "--out", str(out)]
    for _round in range(3):
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        results = [(p.wait(timeout=300), p.stderr.read()) for p in (first, second)]
        assert any(code == 0 for code, _ in results), results
        for code, err in results:
            assert "Traceback" not in err
            if code != 0:
                assert code == 1 and "another build is writing" in err and len(err.strip().splitlines()) == 1, err
        assert verify(out) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


# ---- a read-only directory and a full disk (tmpfs) -------------------------------------------------------

def _can_mount() -> str | None:
    """Why a tmpfs cannot be mounted here (None when it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "mounting a tmpfs needs root (as root, chmod does not stop writes, so this fault needs a mount)"
    if shutil.which("mount") is None:
        return "no mount command"
    probe = tempfile.mkdtemp()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], capture_output=True)
        if done.returncode != 0:
            return f"mount is not allowed here: {done.stderr.decode().strip()}"
        subprocess.run(["umount", probe], check=True)
        return None
    finally:
        os.rmdir(probe)


MOUNT_REFUSED = _can_mount()
needs_mount = pytest.mark.skipif(MOUNT_REFUSED is not None, reason=str(MOUNT_REFUSED))


@contextlib.contextmanager
def tmpfs(path: Path, size: str, fill_from: Path | None = None, read_only: bool = False):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        if fill_from is not None:
            shutil.copytree(fill_from, path / fill_from.name)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("faults") / "release"
    build(RAW, MANIFEST, out, ANNOTATIONS, CHANGELOG)
    return out


def _one_line_error(result, *words):
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("minusma-corpus: error: ") and all(w in line for w in words), line


@needs_mount
def test_build_onto_a_read_only_file_system_refuses_in_one_line_and_changes_nothing(tmp_path, release):
    with tmpfs(tmp_path / "ro", "4m", fill_from=release, read_only=True) as mnt:
        before = _tree(mnt)
        result = subprocess.run([*CLI, "build", *CORPUS, "--changelog", str(CHANGELOG), "--out", str(mnt / "release")],
                                capture_output=True, text=True)
        _one_line_error(result, str(mnt), "Read-only file system", "writable")
        assert _tree(mnt) == before


@needs_mount
def test_ls_import_onto_a_read_only_file_system_refuses_in_one_line(tmp_path, ls_export):
    export, _new = ls_export
    with tmpfs(tmp_path / "ro", "1m", read_only=True) as mnt:
        result = subprocess.run([*CLI, "ls", "import", str(export), "--out", str(mnt / "gold"), *CORPUS],
                                capture_output=True, text=True)
        _one_line_error(result, str(mnt), "Read-only file system")
        assert list(mnt.iterdir()) == []


@needs_mount
def test_build_onto_a_full_disk_refuses_in_one_line_and_keeps_the_previous_release(tmp_path, release):
    size = sum(p.stat().st_size for p in release.rglob("*") if p.is_file())
    with tmpfs(tmp_path / "full", f"{size + 96 * 1024}", fill_from=release) as mnt:  # room for one release only
        before = _tree(mnt)
        result = subprocess.run([*CLI, "build", *CORPUS, "--changelog", str(CHANGELOG), "--out", str(mnt / "release")],
                                capture_output=True, text=True)
        _one_line_error(result, "No space left on device", "free some space")
        assert _tree(mnt) == before and verify(mnt / "release") == []


@needs_mount
def test_ls_import_onto_a_full_disk_writes_nothing(tmp_path, ls_export):
    export, _new = ls_export
    with tmpfs(tmp_path / "full", "8k") as mnt:
        (mnt / "ballast").write_bytes(b"x" * 4096)
        before = _tree(mnt)
        result = subprocess.run([*CLI, "ls", "import", str(export), "--out", str(mnt / "gold"), *CORPUS],
                                capture_output=True, text=True)
        _one_line_error(result, "No space left on device")
        assert _tree(mnt) == before


# ---- corrupted Parquet, tampered SHA256SUMS: verify and the loaders ---------------------------------------

def _load(release: Path, config: str) -> subprocess.CompletedProcess:
    code = f"import minusma_corpus as m\nm.load({config!r})\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "MINUSMA_CORPUS_RELEASE": str(release)})


@pytest.mark.parametrize("damage", ["flip-a-byte", "truncate", "tamper-listing", "drop-listing-line"])
def test_a_damaged_release_fails_verify_and_the_loaders_naming_the_file(tmp_path, release, damage):
    out = tmp_path / "release"
    shutil.copytree(release, out)
    parquet, listing = out / "claims.parquet", out / "SHA256SUMS"
    if damage == "flip-a-byte":
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 0x01
        parquet.write_bytes(bytes(data))
    elif damage == "truncate":
        parquet.write_bytes(parquet.read_bytes()[:-100])
    elif damage == "tamper-listing":
        listing.write_text("".join(("0" * 64 + line[64:] if line.endswith("  claims.parquet") else line) + "\n"
                                   for line in listing.read_text().splitlines()))
    else:
        listing.write_text("".join(line + "\n" for line in listing.read_text().splitlines()
                                   if not line.endswith("  claims.parquet")))
    before = _tree(out)
    result = subprocess.run([*CLI, "verify", str(out)], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert all(line.startswith("minusma-corpus: error: ") for line in result.stderr.strip().splitlines())
    assert "claims.parquet" in result.stderr
    loaded = _load(out, "claims")
    assert loaded.returncode != 0 and "claims.parquet" in loaded.stderr.strip().splitlines()[-1]
    assert "ReleaseIntegrityError" in loaded.stderr
    assert _load(out, "documents").returncode == 0  # an intact file still loads
    assert _tree(out) == before
