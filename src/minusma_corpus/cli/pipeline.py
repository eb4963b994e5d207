"""`minusma-corpus manifest` and `clean`: the raw corpus and the cleaner."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path



def _manifest(args: argparse.Namespace) -> int:
    from ..pipeline.corpus import propose_row

    for path in args.files:
        row = propose_row(path, args.language)
        print(row.to_json())
        if row.title is None:  # the row is still valid; say so rather than leave a silent null
            print(f"minusma-corpus: warning: {path}: no headline found on the page; the proposed title is null: "
                  "fill it in by hand before adding the row", file=sys.stderr)
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


def _process(args: argparse.Namespace) -> int:
    from ..engine import run

    report = run(args.input, args.out, args.engine, address=args.address, workers=args.workers,
                 batch_size=args.batch_size, preannotate_kb=args.preannotate)
    print(f"wrote {report.out_dir}: {report.documents:,} documents in {report.seconds:.1f} s "
          f"({report.documents / max(report.seconds, 1e-9):.0f}/s)")
    print("  rows: " + ", ".join(f"{name} {n:,}" for name, n in report.rows.items()))
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

    p = sub.add_parser("process", help="clean and segment many documents into Parquet shards (local or Ray Data)")
    p.add_argument("input", type=Path, help="a corpus directory (manifest.jsonl + raw/), or a Parquet/JSONL table "
                   "with doc_id and raw_text columns")
    p.add_argument("--out", type=Path, required=True, help="output directory (<config>/*.parquet and SHA256SUMS)")
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="local: this process; ray: Ray Data (pip install 'minusma-corpus[ray]')")
    p.add_argument("--address", default=None, help="a Ray cluster's address (default: start Ray on this machine)")
    p.add_argument("--workers", type=int, default=None, help="parallel Ray tasks (default: every core Ray sees)")
    p.add_argument("--batch-size", type=int, default=64, help="documents per batch")
    p.add_argument("--preannotate", type=Path, metavar="ENTITIES_JSON", default=None,
                   help="also propose entity mentions (the pre-annotator, with this knowledge base as gazetteer): "
                        "config `preannotations`, the release's `entities` schema, status predicted")
    p.set_defaults(func=_process)
