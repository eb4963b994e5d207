"""Command-line interface: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys

from ..pipeline.corpus import CorpusError
from . import annotate, explore, labelstudio, pipeline, publish


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minusma-corpus", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    for group in (publish, pipeline, annotate, explore, labelstudio):
        group.add_parsers(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CorpusError, FileNotFoundError, ValueError) as e:
        print(f"minusma-corpus: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # permissions, a full disk, a read-only directory: one line, no traceback
        where = f"{e.filename}: " if e.filename else ""
        print(f"minusma-corpus: error: {where}{e.strerror or e}; check the path and its permissions/free space",
              file=sys.stderr)
        return 1
