#!/usr/bin/env python3
"""Publish the release directory as a Hugging Face dataset repository.

    python scripts/push_to_hub.py ORG/NAME [--release corpus/release] [--dry-run]

The token comes from the environment (HF_TOKEN) only. The release is checked against its SHA256SUMS
first; `--dry-run` prints exactly the files that would be uploaded, with their sizes, and uploads
nothing (no token needed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo_id", help="the dataset repository, ORG/NAME")
    ap.add_argument("--release", type=Path, default=ROOT / "corpus" / "release")
    ap.add_argument("--dry-run", action="store_true", help="list the files and their sizes; upload nothing")
    ap.add_argument("--private", action="store_true", help="create the repository as private")
    args = ap.parse_args(argv)

    from minusma_corpus import __version__
    from minusma_corpus.publish.checksums import verify

    problems = verify(args.release)
    if problems:
        print("\n".join(f"{args.release}: {p}" for p in problems), file=sys.stderr)
        return 1
    files = sorted(p for p in args.release.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print(f"{'would upload' if args.dry_run else 'uploading'} {len(files)} files ({total:,} bytes) "
          f"to datasets/{args.repo_id}, release {__version__}:")
    for p in files:
        print(f"  {p.relative_to(args.release).as_posix():32} {p.stat().st_size:>10,}")
    if args.dry_run:
        return 0
    token = os.environ.get("HF_TOKEN")
    if not token:
        print("HF_TOKEN is not set", file=sys.stderr)
        return 1
    from huggingface_hub import HfApi

    api = HfApi(token=token)
    api.create_repo(args.repo_id, repo_type="dataset", private=args.private, exist_ok=True)
    commit = api.upload_folder(repo_id=args.repo_id, repo_type="dataset", folder_path=str(args.release),
                               commit_message=f"minusma-corpus release {__version__}")
    api.create_tag(args.repo_id, repo_type="dataset", tag=f"v{__version__}", exist_ok=True)
    print(f"published: {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
