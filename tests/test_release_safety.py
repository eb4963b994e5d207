"""Building never replaces what it did not write, survives a crash at any point, and keeps concurrent
builds apart; checksum listings and ids from input never lead outside their directory."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW
from minusma_corpus import safepath
from minusma_corpus.publish.build import build
from minusma_corpus.publish.checksums import verify

CLI = [sys.executable, "-m", "minusma_corpus.cli"]


def _tree(directory: Path) -> dict[str, str]:
    """Every path under ``directory`` with the sha256 of its content (directories as '<dir>')."""
    return {p.relative_to(directory).as_posix(): "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*"))}


def _build_cli(out: Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "build", "--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations",
                           str(ANNOTATIONS), "--changelog", str(CHANGELOG), "--out", str(out)],
                          capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("built") / "release"
    build(RAW, MANIFEST, out, ANNOTATIONS, CHANGELOG)
    return out


@pytest.mark.parametrize("kind", ["user-files", "dot", "file", "symlink"])
def test_build_refuses_to_replace_what_it_did_not_write(tmp_path, kind):
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.md").write_text("three years of work\n", encoding="utf-8")
    (work / ".git").mkdir()
    (work / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    out, cwd = {"user-files": (work, None), "dot": (Path("."), work), "file": (work / "thesis.md", None),
                "symlink": (tmp_path / "link", None)}[kind]
    if kind == "symlink":
        os.symlink(work, tmp_path / "link")
    before = _tree(tmp_path)
    result = _build_cli(out, cwd)
    assert result.returncode != 0
    assert "nothing was changed" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _tree(tmp_path) == before


def test_build_into_an_empty_directory_and_over_its_own_release(tmp_path, release):
    out = tmp_path / "out"
    out.mkdir()
    assert _build_cli(out).returncode == 0
    assert verify(out) == []
    first = _tree(out)
    assert _build_cli(out).returncode == 0  # replaces its own release
    assert _tree(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging or old directory left


def test_a_release_with_a_file_added_by_a_person_is_not_replaced(tmp_path, release):
    out = tmp_path / "release"
    shutil.copytree(release, out)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = _build_cli(out)
    assert result.returncode != 0 and "did not write" in result.stderr
    assert (out / "notes.txt").exists()


def test_a_crash_between_the_fallback_renames_is_repaired_by_the_next_build(tmp_path, release):
    out = tmp_path / "release"
    shutil.copytree(release, tmp_path / ".release-old")  # the state after `rename(out, old)`, killed before the 2nd
    stale = tmp_path / ".release-staging-abc123"
    stale.mkdir()
    (stale / safepath.STAGING_MARK).touch()
    (stale / "documents.parquet").write_bytes(b"half written")
    assert safepath.remove_stale(out) == []
    assert verify(out) == [] and not (tmp_path / ".release-old").exists() and not stale.exists()


def test_left_overs_that_are_not_ours_are_kept_with_a_warning(tmp_path):
    foreign = tmp_path / ".release-staging-mine"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not the program's\n", encoding="utf-8")
    [warning] = safepath.remove_stale(tmp_path / "release")
    assert "not removed" in warning and (foreign / "keep.txt").exists()


def test_the_swap_is_one_atomic_exchange(tmp_path, release, monkeypatch):
    """At no moment is the release missing: the exchange swaps both directories in one system call, and
    a crash after it leaves only a stale directory that the next build removes."""
    out = tmp_path / "release"
    shutil.copytree(release, out)
    staging = safepath.staging_dir(out)
    shutil.copytree(release, staging, dirs_exist_ok=True)
    seen = []
    real = safepath._exchange

    def exchange_then_die(a, b):
        assert real(a, b)
        seen.append(verify(b))
        raise KeyboardInterrupt  # killed right after the exchange, before the old directory is removed

    monkeypatch.setattr(safepath, "_exchange", exchange_then_die)
    with pytest.raises(KeyboardInterrupt):
        safepath.install_dir(staging, out)
    assert seen == [[]] and verify(out) == []
    monkeypatch.undo()
    safepath.remove_stale(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


@pytest.mark.parametrize("point", ["after-staging", "before-checksums", "before-swap"])
def test_kill_during_build_leaves_a_verifiable_release_and_the_next_build_cleans_up(tmp_path, release, point):
    """A build killed with SIGKILL at a chosen point (injected through the environment) leaves the previous
    release intact; the next build removes what the killed one left."""
    out = tmp_path / "release"
    shutil.copytree(release, out)
    before = _tree(out)
    code = (
        "import os, signal, sys\n"
        "from minusma_corpus.publish import build as b\nfrom minusma_corpus import safepath as s\n"
        f"point = {point!r}\n"
        "die = lambda: os.kill(os.getpid(), signal.SIGKILL)\n"
        "real_staging, real_write, real_install = s.staging_dir, b._write_release, b.install_dir\n"
        "def staging_dir(t):\n    d = real_staging(t)\n    point == 'after-staging' and die()\n    return d\n"
        "def write(st, *a):\n    point == 'before-checksums' and (st / 'documents.parquet').write_bytes(b'x') and die()\n"
        "    return real_write(st, *a)\n"
        "def install(st, t):\n    point == 'before-swap' and die()\n    return real_install(st, t)\n"
        "b.staging_dir, b._write_release, b.install_dir = staging_dir, write, install\n"
        "from minusma_corpus.cli import main\n"
        f"sys.exit(main(['build', '--raw', {str(RAW)!r}, '--manifest', {str(MANIFEST)!r}, '--annotations', "
        f"{str(ANNOTATIONS)!r}, '--changelog', {str(CHANGELOG)!r}, '--out', {str(out)!r}]))\n")
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr
    assert _tree(out) == before and verify(out) == []
    assert any(p.name.startswith(".release-staging-") for p in tmp_path.iterdir())
    assert _build_cli(out).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release"]


def test_a_second_build_while_one_holds_the_lock_says_so(tmp_path):
    out = tmp_path / "release"
    with safepath.exclusive(out):
        result = _build_cli(out)
    assert result.returncode != 0 and "another build is writing" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("entry", ["../../annotations/entities.json", "/etc/passwd", "figures/../../x"])
def test_verify_never_follows_a_listing_outside_the_release(tmp_path, release, entry):
    out = tmp_path / "release"
    shutil.copytree(release, out)
    outside = tmp_path / "x"
    outside.write_text("outside\n", encoding="utf-8")
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    with (out / "SHA256SUMS").open("a", encoding="utf-8") as f:
        f.write(f"{digest}  {entry}\n")
    problems = verify(out)
    assert any("SHA256SUMS" in p and entry in p for p in problems), problems
    result = subprocess.run([*CLI, "verify", str(out)], capture_output=True, text=True)
    assert result.returncode == 1 and "FAILED" in result.stdout


@pytest.mark.parametrize("value", ["ok-1.json", "a_b.c"])
def test_safe_names_pass(value):
    assert safepath.file_name(value, "id") == value


@pytest.mark.parametrize("value", ["..", ".", "", "a/b", "a\\b", "../x", "/abs", ".hidden", "-rf", "x" * 201, None, 3])
def test_unsafe_names_are_refused(value):
    with pytest.raises(safepath.UnsafePathError):
        safepath.file_name(value, "id")


def test_loaders_refuse_a_corrupted_release_file_naming_it(tmp_path, release, monkeypatch):
    """A single flipped bit in a Parquet file that still decodes is caught by the checksum."""
    import minusma_corpus
    from minusma_corpus import api

    out = tmp_path / "release"
    shutil.copytree(release, out)
    monkeypatch.setenv(api.RELEASE_ENV, str(out))
    assert len(minusma_corpus.load("documents")) == 5
    data = bytearray((out / "sentences.parquet").read_bytes())
    data[len(data) // 2] ^= 0x01
    (out / "sentences.parquet").write_bytes(bytes(data))
    for loader in (minusma_corpus.load, minusma_corpus.load_dataset):
        with pytest.raises(api.ReleaseIntegrityError, match=r"sentences\.parquet: sha256 differs"):
            loader("sentences")
    (out / "README.md").write_text("tampered card\n", encoding="utf-8")
    with pytest.raises(api.ReleaseIntegrityError, match=r"README\.md"):
        minusma_corpus.load_dataset("documents")
