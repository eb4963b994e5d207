"""Command-line interface: a thin layer over the library."""

from __future__ import annotations

import argparse
import errno
import os
import sys

from ..errors import MinusmaError
from . import annotate, explore, labelstudio, pipeline, publish

PROG = "minusma-corpus"
MAX_LINES = 20  # problems printed for one error that carries several (the rest are counted)

# What to do about an environment fault, by errno (the reason is the system's own words).
_ADVICE = {
    errno.ENOENT: "check the path",
    errno.EACCES: "check the permissions of the path (or choose another one)",
    errno.EPERM: "check the permissions of the path (or choose another one)",
    errno.EROFS: "the file system is read-only: choose a writable output directory",
    errno.ENOSPC: "free some space (or choose another output directory) and run the command again",
    errno.EDQUOT: "free some space (or choose another output directory) and run the command again",
    errno.EISDIR: "give the path of a file, not a directory",
    errno.ENOTDIR: "a part of the path is a file, not a directory: check the path",
    errno.EEXIST: "move the existing file away or choose another path",
    errno.ENAMETOOLONG: "choose a shorter path",
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description=__doc__)
    p.add_argument("--debug", action="store_true",
                   help="on an error, show the Python traceback instead of the one-line message")
    sub = p.add_subparsers(dest="command", required=True)
    for group in (publish, pipeline, annotate, explore, labelstudio):
        group.add_parsers(sub)
    return p


def error_lines(e: BaseException) -> list[str]:
    """The one-line message(s) of an error: ``<file>[: document <id>][: annotation <id>][: line N]: <reason>;
    <what to do>``; an error the package did not foresee is reported as a bug."""
    if isinstance(e, MinusmaError):
        lines = e.lines()
        if len(lines) > MAX_LINES:
            lines = lines[:MAX_LINES] + [f"… and {len(lines) - MAX_LINES} more problems"]
        return lines
    if isinstance(e, OSError):
        where = f"{e.filename}: " if e.filename else ""
        advice = _ADVICE.get(e.errno, "check the path, its permissions and the free space")
        if e.strerror:
            return [f"{where}{e.strerror}; {advice}"]
        return [f"{e}" if "; " in str(e) else f"{e}; {advice}"]  # the package's own FileNotFoundError("path: ...")
    if isinstance(e, RecursionError):
        return ["input nested too deeply to process; simplify it (this may be a bug: re-run with --debug and "
                "report it)"]
    if isinstance(e, MemoryError):
        return ["out of memory; process fewer or smaller files, or use a machine with more memory"]
    return [f"unexpected {type(e).__name__}: {e} — this is a bug in {PROG}; re-run with --debug and report "
            "the traceback"]


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (``clean FILE | head``): stop quietly, with SIGPIPE's exit code."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's final flush of stdout must not fail again
    except (OSError, ValueError):
        pass
    return 128 + 13


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler
        return code
    except KeyboardInterrupt:
        if args.debug:
            raise
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if args.debug:
            raise
        return _quiet_broken_pipe()
    except Exception as e:  # noqa: BLE001 — the one handler: every failure ends in one line, unless --debug
        if args.debug:
            raise
        for line in error_lines(e):
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return 1
