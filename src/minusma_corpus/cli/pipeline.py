"""`minusma-corpus manifest` and `clean`: the raw corpus and the cleaner."""

from __future__ import annotations

import argparse
from pathlib import Path



def _manifest(args: argparse.Namespace) -> int:
    from ..pipeline.corpus import propose_row

    for path in args.files:
        print(propose_row(path, args.language).to_json())
    return 0


def _clean(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from ..pipeline.corpus import decode_raw
    from ..pipeline.clean import clean

    doc = clean(decode_raw(args.file.read_bytes(), args.file))
    if args.json:
        print(json.dumps({"text": doc.text, "metadata": asdict(doc.metadata), "blocks": [asdict(b) for b in doc.blocks],
                          "furniture": [asdict(f) for f in doc.furniture]}, ensure_ascii=False, indent=1))
    else:
        print(doc.text)
    return 0


def add_parsers(sub) -> None:
    """Register the commands of this group on the ``minusma-corpus`` sub-parsers."""
    m = sub.add_parser("manifest", help="propose manifest rows (JSON lines) for new raw files")
    m.add_argument("files", type=Path, nargs="+")
    m.add_argument("--language", default=None, help="BCP 47 language tag, if known")
    m.set_defaults(func=_manifest)

    c = sub.add_parser("clean", help="clean one raw article and print its text (or --json)")
    c.add_argument("file", type=Path)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_clean)
