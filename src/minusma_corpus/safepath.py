"""Paths taken from input, and directories the program replaces: never outside their place, never what
the program did not make.

* ``file_name`` and ``inside`` check a name or relative path taken from an input file (an annotation id,
  a document id, a checksum listing) before it becomes a path.
* ``install_dir`` puts a freshly written directory in the place of an older one with one atomic
  exchange (``renameat2(RENAME_EXCHANGE)`` on Linux), so that a reader or a crash at any moment sees
  either the old or the new directory, never none. It refuses to replace anything that is not a
  directory this program wrote (``is_ours``).
* ``staging_dir`` makes the temporary sibling a writer fills; ``remove_stale`` clears what a killed
  writer left behind; ``exclusive`` is the lock that keeps two writers of one directory apart
  (a hidden sibling lock file ``.<name>.lock``; writers of other directories in the parent are not held up).
* ``locked_staging`` makes a hidden staging directory inside a directory that is written file by file
  (``ls import``), marked as ours and locked for as long as its writer lives; ``remove_abandoned`` removes
  the ones whose writer was killed (marked, and no longer locked), and nothing else.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .errors import MinusmaError

CHECKSUMS = "SHA256SUMS"
STAGING_MARK = ".minusma-corpus-staging"  # present in a staging directory until it is complete
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class UnsafePathError(MinusmaError):
    """A name or path from input that would leave its directory, or a directory that is not ours."""

    hint = "correct the name in the input, or choose another output directory"


def file_name(value: object, what: str) -> str:
    """``value`` if it is safe as one path component (letters, digits, ``.``, ``_``, ``-``; no
    separator, not ``.``/``..``, not hidden), else :class:`UnsafePathError` naming ``what``."""
    if not isinstance(value, str) or not _NAME.fullmatch(value) or value in {".", ".."}:
        raise UnsafePathError(f"{what} {value!r} cannot be used in a file name (allowed: letters, digits, '.', '_', "
                              "'-', not starting with '.' or '-'); correct it in the input")
    return value


def inside(base: Path, relative: str | Path, what: str) -> Path:
    """``base / relative`` if ``relative`` is a relative path that stays inside ``base`` (no ``..``, no
    absolute path, no symlink out), else :class:`UnsafePathError` naming ``what``."""
    rel = PurePosixPath(str(relative).replace("\\", "/"))
    if rel.is_absolute() or not rel.parts or any(p in {"..", ""} for p in rel.parts) or ":" in rel.parts[0]:
        raise UnsafePathError(f"{what} {str(relative)!r} is not a relative path inside {base}")
    path = base / Path(*rel.parts)
    root = base.resolve()
    if not path.resolve().is_relative_to(root):
        raise UnsafePathError(f"{what} {str(relative)!r} leads outside {base} (through a symbolic link)")
    return path


# --------------------------------------------------------------------------------------------
# Replacing a directory
# --------------------------------------------------------------------------------------------


def listed_files(directory: Path) -> set[str] | None:
    """The relative paths a directory's ``SHA256SUMS`` lists (``None`` when it has none or it is unreadable)."""
    try:
        text = (directory / CHECKSUMS).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return {line.partition("  ")[2] for line in text.splitlines() if line.strip()}


def is_ours(directory: Path) -> bool:
    """Whether ``directory`` holds only what this program writes: it is empty, or it is a staging
    directory (``STAGING_MARK``), or a release whose every file is listed in its ``SHA256SUMS``."""
    if not directory.is_dir() or directory.is_symlink():
        return False
    if not any(directory.iterdir()) or (directory / STAGING_MARK).is_file():
        return True
    listed = listed_files(directory)
    if listed is None:
        return False
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if not p.is_dir()}
    return present <= listed | {CHECKSUMS}


def check_replaceable(target: Path) -> None:
    """Refuse, before any work is done, to write a directory over something that is not ours."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UnsafePathError(f"{target} exists and is not a directory; choose another --out (nothing was changed)")
    if target.exists() and not is_ours(target):
        raise UnsafePathError(f"{target} holds files this program did not write (it is not empty and not a release "
                              "listed in its SHA256SUMS); it will not be replaced: choose an empty or new --out "
                              "directory (nothing was changed)")


def staging_dir(target: Path) -> Path:
    """A new sibling of ``target`` to fill, marked as a staging directory until :func:`install_dir`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-staging-", dir=target.parent))
    (staging / STAGING_MARK).touch()
    return staging


def discard_staging(staging: Path, target: Path) -> None:
    """Remove a :func:`staging_dir` of ``target`` after a failed write (only a directory of that name)."""
    if staging.exists() and staging.name.startswith(f".{target.name}-staging-"):
        shutil.rmtree(staging, ignore_errors=True)


def _stale(target: Path) -> list[Path]:
    """The staging and old siblings of ``target`` itself. The names are matched whole: ``staging_dir`` adds
    letters, digits and ``_`` after ``-staging-``, so those of another directory in the same parent (say
    ``release-staging-x`` or ``release-old``, whose writers may be running now) never match."""
    parent = target.parent
    if not parent.is_dir():
        return []
    own = re.compile(re.escape(f".{target.name}-") + r"(?:staging-[A-Za-z0-9_]+|old)")
    return [p for p in sorted(parent.iterdir()) if own.fullmatch(p.name) and p.is_dir() and not p.is_symlink()]


def remove_stale(target: Path) -> list[str]:
    """Remove the staging and old directories that an interrupted writer of ``target`` left beside it,
    and put the previous directory back if a crash left ``target`` missing. Returns warnings about
    left-overs that are not ours (they are kept)."""
    warnings = []
    for path in _stale(target):
        if not is_ours(path):
            warnings.append(f"{path}: left beside {target.name} but not written by this program; not removed")
        elif not target.exists() and path.name == f".{target.name}-old":
            path.rename(target)  # a crash between the two renames of the fallback swap
        else:
            _rmtree(path)
    return warnings


def install_dir(staging: Path, target: Path) -> list[str]:
    """Put ``staging`` in ``target``'s place atomically and remove the previous ``target``.
    Returns warnings (a previous directory that could not be removed); raises if nothing changed."""
    check_replaceable(target)
    (staging / STAGING_MARK).unlink(missing_ok=True)
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return []
    if _exchange(staging, target):
        old = staging  # after the exchange, the staging path holds the previous directory
    else:  # no atomic exchange on this system: two renames; remove_stale() repairs a crash between them
        old = target.with_name(f".{target.name}-old")
        target.rename(old)
        staging.rename(target)
    try:
        _rmtree(old)
    except OSError as e:
        return [f"the new {target.name} is in place, but the previous one could not be removed from {old} "
                f"({e.strerror or e}); remove it by hand"]
    return []


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _rmtree(path: Path) -> None:
    def writable_then_retry(func, p, _exc):
        parent = os.path.dirname(p)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        func(p)

    path.chmod(path.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=writable_then_retry)
    else:
        shutil.rmtree(path, onerror=writable_then_retry)


# --------------------------------------------------------------------------------------------
# Staging directories inside a directory written file by file
# --------------------------------------------------------------------------------------------


def _open_dir(path: Path) -> int:
    """A descriptor of the directory ``path`` itself (never of what a symbolic link points to)."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))


@contextlib.contextmanager
def locked_staging(parent: Path, prefix: str) -> Iterator[Path]:
    """A new hidden directory ``<parent>/<prefix>XXXX`` for a writer to fill, removed when the writer is done.

    While the writer runs it holds an advisory lock on the directory, taken before ``STAGING_MARK`` is
    written into it: a marked directory is ours, and one whose lock is free was left by a writer that was
    killed (the system drops the lock of a dead process), which :func:`remove_abandoned` removes."""
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    fd = _open_dir(staging)
    try:
        with contextlib.suppress(ImportError):
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        (staging / STAGING_MARK).write_text(f"a staging directory of minusma-corpus (pid {os.getpid()}); removed by "
                                            "the next run once its writer has ended\n", encoding="utf-8")
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        os.close(fd)


def remove_abandoned(parent: Path, prefix: str) -> list[str]:
    """Remove the staging directories of :func:`locked_staging` that killed writers left in ``parent``.

    Removed is only a directory (not a symbolic link) named ``<prefix>...`` that holds ``STAGING_MARK`` as
    a regular file and whose lock no live writer holds. Returns warnings about the other ``<prefix>``
    entries (kept). Without advisory locks (not POSIX) nothing is removed: a live writer could not be told
    from a dead one."""
    try:
        import fcntl
    except ImportError:
        return []
    try:
        entries = sorted(p for p in parent.iterdir() if p.name.startswith(prefix))
    except FileNotFoundError:
        return []
    warnings = []
    for path in entries:
        keep = f"{path}: named like a staging directory of this program but not one it made; not removed"
        try:
            fd = _open_dir(path)
        except FileNotFoundError:  # removed meanwhile by another run
            continue
        except OSError:  # a symbolic link (ELOOP) or not a directory (ENOTDIR)
            warnings.append(keep)
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # its writer is alive
                continue
            try:
                if not os.path.samestat(os.fstat(fd), os.lstat(path)):
                    continue  # replaced meanwhile: not the directory looked at
            except FileNotFoundError:
                continue
            try:
                marked = stat.S_ISREG(os.lstat(path / STAGING_MARK).st_mode)
            except FileNotFoundError:
                marked = False
            if not marked:
                warnings.append(keep + ("; it is empty (an import killed as it began leaves one): remove it by hand"
                                        if not any(path.iterdir()) else ""))
                continue
            try:
                shutil.rmtree(path)  # never follows a symbolic link inside it
            except FileNotFoundError:
                pass
            except OSError as e:
                warnings.append(f"{path}: a staging directory left by an interrupted run could not be removed "
                                f"({e.strerror or e}); remove it by hand")
        finally:
            os.close(fd)
    return warnings


LOCK_MARK = "lock of minusma-corpus: "  # how a lock file this program made begins
_LOCK_TRIES = 50


class BusyError(UnsafePathError):
    """Another writer holds the lock of the output directory."""

    hint = "wait until the other run has finished, then run this again"


def lock_path(target: Path) -> Path:
    """The lock file of ``target``: the hidden sibling ``.<name>.lock``, the program's own like the staging
    siblings (present only while a writer of ``target`` runs, or after one was killed)."""
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """Hold the writer's lock of ``target`` (an advisory lock on its sibling lock file :func:`lock_path`), or
    fail at once naming the directory when another writer of ``target`` holds it.

    The lock is per output directory: writers of other directories in the same parent run at the same time.
    The lock file is created (with its mark, ``LOCK_MARK``, and already locked where the system allows) and
    removed by its holder; one left by a killed writer is reused and then removed. A symbolic link, a
    non-regular file or a file without the mark at that name is refused and never followed, changed or
    removed."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(target)
    fd = _acquire(path, target, fcntl)
    try:
        yield
    finally:
        try:
            if os.path.samestat(os.fstat(fd), os.lstat(path)):
                os.unlink(path)  # while it is still locked: a waiting writer sees its file gone and retries
        except FileNotFoundError:
            pass
        finally:
            os.close(fd)


def _acquire(path: Path, target: Path, fcntl) -> int:
    """A descriptor of ``path``, locked, that is the file at ``path`` now and marked as ours."""
    for _ in range(_LOCK_TRIES):
        fd = _create_locked(path, target, fcntl)
        if fd is not None:
            return fd
        fd = _open_existing(path, target)
        if fd is None:  # removed meanwhile by its holder
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BusyError(f"another build is writing into {target} right now; wait until it has finished, then "
                            "run this again (nothing was changed)") from None
        try:
            current = os.path.samestat(os.fstat(fd), os.lstat(path))
        except FileNotFoundError:
            current = False
        if not current:  # its holder removed it after we opened it: not the lock any more
            os.close(fd)
            continue
        if os.pread(fd, len(LOCK_MARK), 0) != LOCK_MARK.encode():
            os.close(fd)
            raise _not_ours(path, target)
        return fd
    raise BusyError(f"could not take the lock of {target} ({path} kept changing); another build is writing "
                    "into it: wait until it has finished, then run this again (nothing was changed)")


def _mark(target: Path) -> bytes:
    return (f"{LOCK_MARK}{target.name} (pid {os.getpid()}); removed when that run ends, or reused by the next "
            "run if it was killed\n").encode()


def _create_locked(path: Path, target: Path, fcntl) -> int | None:
    """Create ``path`` marked and locked; ``None`` when something already has that name. On Linux the file
    is written and locked before it gets its name (``O_TMPFILE``), so no other process sees it unmarked."""
    tmpfile = getattr(os, "O_TMPFILE", 0)
    if tmpfile and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(path.parent, tmpfile | os.O_RDWR, 0o644)
        except OSError:  # not supported by this file system: the fallback below
            fd = None
        if fd is not None:
            try:
                os.write(fd, _mark(target))
                fcntl.flock(fd, fcntl.LOCK_EX)
                os.link(f"/proc/self/fd/{fd}", path)  # fails if the name exists, whatever it is
                return fd
            except FileExistsError:
                os.close(fd)
                return None
            except OSError:
                os.close(fd)  # no linking of an open file here: the fallback below
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return None
    fcntl.flock(fd, fcntl.LOCK_EX)  # our new file: nobody else holds it
    os.write(fd, _mark(target))
    return fd


def _open_existing(path: Path, target: Path) -> int | None:
    """A descriptor of the regular file at ``path`` (never of what a symbolic link points to; a FIFO or device
    is never opened); ``None`` when nothing has that name any more."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise _not_ours(path, target)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as e:
        if e.errno == errno.ELOOP:  # replaced by a symbolic link since the lstat
            raise _not_ours(path, target) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _not_ours(path, target)
    return fd


def _not_ours(path: Path, target: Path) -> UnsafePathError:
    return UnsafePathError(f"{path} is the name of the lock file of {target.name}, but what is there was not "
                           "made by this program (a symbolic link, not a regular file, or a file without its mark); "
                           "it is left alone: remove or rename it, or choose another --out (nothing was changed)")
