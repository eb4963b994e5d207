"""Small file helpers shared by every layer: atomic writes and SHA-256 digests."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename: readers never see half a file.

    A file that is replaced keeps its permission bits; a new file gets the usual ``0o666 & ~umask``.
    """
    write_atomic_bytes(path, content.encode("utf-8"))


def write_atomic_bytes(path: Path, content: bytes) -> None:
    """:func:`write_atomic` for bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes (annotation files pin their cleaned text with it)."""
    return sha256_bytes(text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def replace_between(text: str, begin: str, end: str, inner: str) -> str:
    """``text`` with what stands between the markers ``begin`` and ``end`` replaced by ``inner``
    (how generated sections of hand-written Markdown files are refreshed)."""
    if begin not in text or end not in text.split(begin, 1)[1]:
        raise ValueError(f"markers {begin!r} … {end!r} not found")
    head, rest = text.split(begin, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{begin}{inner}{end}{tail}"
