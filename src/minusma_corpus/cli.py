"""Command-line interface: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import CorpusError


def _build(args: argparse.Namespace) -> int:
    from .build import build

    report = build(args.raw, args.manifest, args.out)
    print(f"wrote {report.out_dir}")
    for name, size in report.files.items():
        print(f"  {name:20} {size:>9,} bytes")
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in report.rows.items()))
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from .corpus import propose_row

    for path in args.files:
        print(propose_row(path, args.language).to_json())
    return 0


def _clean(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from .corpus import decode_raw
    from .clean import clean

    doc = clean(decode_raw(args.file.read_bytes(), args.file))
    if args.json:
        print(json.dumps({"text": doc.text, "metadata": asdict(doc.metadata), "blocks": [asdict(b) for b in doc.blocks],
                          "furniture": [asdict(f) for f in doc.furniture]}, ensure_ascii=False, indent=1))
    else:
        print(doc.text)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minusma-corpus", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the release (Parquet + dataset card) from the raw corpus, offline")
    b.add_argument("--raw", type=Path, default=Path("corpus/raw"), help="raw article directory (default: corpus/raw)")
    b.add_argument("--manifest", type=Path, default=Path("corpus/manifest.jsonl"), help="default: corpus/manifest.jsonl")
    b.add_argument("--out", type=Path, default=Path("corpus/release"), help="release directory (default: corpus/release)")
    b.set_defaults(func=_build)

    m = sub.add_parser("manifest", help="propose manifest rows (JSON lines) for new raw files")
    m.add_argument("files", type=Path, nargs="+")
    m.add_argument("--language", default=None, help="BCP 47 language tag, if known")
    m.set_defaults(func=_manifest)

    c = sub.add_parser("clean", help="clean one raw article and print its text (or --json)")
    c.add_argument("file", type=Path)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_clean)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CorpusError, FileNotFoundError) as e:
        print(f"minusma-corpus: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
