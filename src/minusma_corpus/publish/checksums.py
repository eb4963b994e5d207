"""The release's SHA256SUMS: writing it, and ``verify`` (a release directory against its listing)."""

from __future__ import annotations

from pathlib import Path

from ..fileio import sha256_file

CHECKSUMS = "SHA256SUMS"


def checksums_text(directory: Path) -> str:
    """``sha256  relative/path`` for every file of the release but the checksums file itself."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    return "".join(f"{sha256_file(p)}  {p.relative_to(directory).as_posix()}\n" for p in files)


def verify(directory: Path) -> list[str]:
    """Problems of a release directory against its ``SHA256SUMS`` (an empty list means intact)."""
    listing = directory / CHECKSUMS
    if not listing.is_file():
        return [f"{listing}: missing"]
    expected = {}
    for line in listing.read_text().splitlines():
        digest, _, name = line.partition("  ")
        expected[name] = digest
    problems = []
    for name, digest in expected.items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from {CHECKSUMS}")
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() and p.name != CHECKSUMS}
    problems += [f"{name}: not listed in {CHECKSUMS}" for name in sorted(present - set(expected))]
    return problems
