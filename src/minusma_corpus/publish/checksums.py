"""The release's SHA256SUMS: writing it, ``verify`` (a release directory against its listing) and
``verify_file`` (one file, as the loaders check it)."""

from __future__ import annotations

import re
from pathlib import Path

from ..fileio import sha256_file
from ..safepath import CHECKSUMS, STAGING_MARK, UnsafePathError, inside

__all__ = ["CHECKSUMS", "checksums_text", "verify", "verify_file"]


def checksums_text(directory: Path) -> str:
    """``sha256  relative/path`` for every file of the release but the checksums file itself."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in (CHECKSUMS, STAGING_MARK))
    return "".join(f"{sha256_file(p)}  {p.relative_to(directory).as_posix()}\n" for p in files)


def verify_file(directory: Path, name: str) -> str | None:
    """The problem of one release file against its ``SHA256SUMS`` entry, or None when it matches."""
    listing = directory / CHECKSUMS
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        return f"{listing}: unreadable ({getattr(e, 'strerror', None) or e})"
    digests = [line.partition("  ")[0] for line in lines if line.partition("  ")[2] == name]
    if not digests:
        return f"{directory / name}: not listed in {listing}"
    path = directory / name
    if not path.is_file():
        return f"{path}: missing"
    if sha256_file(path) != digests[0]:
        return f"{path}: sha256 differs from {listing} (the file is corrupted or was changed)"
    return None


def verify(directory: Path) -> list[str]:
    """Problems of a release directory against its ``SHA256SUMS`` (an empty list means intact). A listed
    name that is not a relative path inside the directory is a problem, never followed."""
    listing = directory / CHECKSUMS
    if not listing.is_file():
        return [f"{listing}: missing"]
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        return [f"{listing}: unreadable ({e}); rebuild the release or restore the file"]
    expected, problems = {}, []
    for number, line in enumerate(lines, 1):
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest):
            problems.append(f"{listing}:{number}: not a 'sha256  path' line")
            continue
        try:
            expected[name] = (inside(directory, name, f"{CHECKSUMS} entry"), digest)
        except UnsafePathError as e:
            problems.append(f"{listing}:{number}: {e}")
    for name, (path, digest) in expected.items():
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from {CHECKSUMS}")
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() and p.name != CHECKSUMS}
    problems += [f"{name}: not listed in {CHECKSUMS}" for name in sorted(present - set(expected))]
    return problems
