"""`minusma-corpus explore`: the static HTML explorer."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import corpus_options, count
from ..pipeline.corpus import CorpusError


def _explore(args: argparse.Namespace) -> int:
    from ..explore import explore

    if args.diff and args.files:
        raise CorpusError("annotation files and --diff given together", hint="give annotation files to show, or "
                          "--diff A B, not both")
    written = explore(args.out, raw_dir=args.raw, manifest=args.manifest, annotations=args.annotations,
                      files=args.files, diff=args.diff, png=args.png)
    print(f"wrote {count(len(written), 'file')}; open {args.out / 'index.html'} in a browser")
    return 0


def add_parsers(sub) -> None:
    """Register the commands of this group on the ``minusma-corpus`` sub-parsers."""
    xp = sub.add_parser("explore", help="static HTML site of an annotation set, or of the diff of two, to open from disk")
    xp.add_argument("files", type=Path, nargs="*", help="annotation files or directories to show (default: annotations/gold)")
    xp.add_argument("--out", type=Path, required=True, help="site directory (new, empty, or an earlier explorer site)")
    xp.add_argument("--diff", type=Path, nargs=2, metavar=("A", "B"), help="show two annotation sets and their differences")
    xp.add_argument("--png", type=Path, default=None, help="also write a PNG of the claims page (needs Chromium)")
    corpus_options(xp, annotations=True)
    xp.set_defaults(func=_explore)
