"""`minusma-corpus build`, `stats`, `verify` and `export`: the release and its exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import corpus_options, count


def _build(args: argparse.Namespace) -> int:
    from ..publish.build import build

    report = build(args.raw, args.manifest, args.out, args.annotations, args.changelog)
    for warning in report.warnings:
        print(f"minusma-corpus: warning: {warning}", file=sys.stderr)
    print(f"wrote {report.out_dir}")
    width = max(map(len, report.files), default=0)
    for name, size in report.files.items():
        print(f"  {name:{width}} {size:>9,} bytes")
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in report.rows.items()))
    missing = _without_gold(args)
    if missing:
        print(f"note: {len(missing)} document(s) have no gold annotations, so they are only in documents, sentences "
              f"and tokens (annotate them: `minusma-corpus preannotate DOC_ID`, then Label Studio, or `draft`): "
              + ", ".join(missing))
    return 0


def _without_gold(args: argparse.Namespace) -> list[str]:
    """doc_ids of the manifest that have no gold annotation file."""
    from ..annotations.layout import AnnotationLayout, read_sets
    from ..pipeline.corpus import read_manifest

    gold = read_sets(AnnotationLayout(args.annotations).gold)
    return [row.doc_id for row in read_manifest(args.manifest) if row.doc_id not in gold]


def _stats(args: argparse.Namespace) -> int:
    from ..errors import MinusmaError, read_text
    from ..fileio import write_atomic
    from ..publish.stats import replace_block, stats_markdown

    if args.release is None:  # the checkout's release when run in one, else the installed one
        from ..api import release_dir

        args.release = Path("corpus/release") if Path("corpus/release/SHA256SUMS").is_file() else release_dir()
    if not (args.release / "SHA256SUMS").is_file():
        raise MinusmaError("not a release directory (no SHA256SUMS)", file=args.release,
                           hint="give --release a directory written by `minusma-corpus build`")
    _check_release(args.release)
    block = stats_markdown(args.release)
    if args.write:
        try:
            updated = replace_block(read_text(args.write, "a Markdown file"), block)
        except ValueError as e:
            if isinstance(e, MinusmaError):
                raise
            raise MinusmaError(f"no stats block to replace ({e})", file=args.write,
                               hint="give a file with the stats markers, like DATACARD.md") from None
        write_atomic(args.write, updated)
        print(f"updated {args.write}")
    else:
        print(block, end="")
    return 0


def _check_release(directory: Path) -> None:
    """Refuse a release whose files differ from its SHA256SUMS (a truncated Parquet file, say), naming them."""
    from ..api import ReleaseIntegrityError
    from ..publish.checksums import verify

    problems = verify(directory)
    if problems:
        raise ReleaseIntegrityError("\n".join(problems), file=directory,
                                    hint="rebuild the release (`minusma-corpus build`) or restore it")


def _verify(args: argparse.Namespace) -> int:
    from ..api import ReleaseIntegrityError, release_dir
    from ..publish.checksums import verify

    directory = args.release or release_dir()
    if not Path(directory).is_dir():
        raise ReleaseIntegrityError("not a directory", file=directory, hint="give a release directory")
    problems = verify(directory)
    print(f"{directory}: {'FAILED' if problems else 'OK'} ({count(len(problems), 'problem')})")
    if problems:  # one error line per problem, through the CLI's handler
        raise ReleaseIntegrityError("\n".join(problems), file=directory,
                                    hint="rebuild the release (`minusma-corpus build`) or restore it")
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..annotations.fileformat import AnnotationError
    from ..annotations.layout import AnnotationLayout
    from ..annotations.validate import validate_files
    from ..pipeline.process import process, texts
    from ..publish.exports import export_documents, export_files, write_export
    from ..publish.folds import folds

    docs = process(args.raw, args.manifest)
    layout = AnnotationLayout(args.annotations)
    valid = validate_files(layout.gold_files(), texts(docs), layout)
    if valid.problems:  # one error line per problem, through the CLI's handler
        raise AnnotationError(valid.problems, hint="nothing was exported: fix the annotation file (`minusma-corpus "
                              "validate` checks them all) and export again")
    chosen = export_documents(docs, valid.sets, folds([d.doc_id for d in docs]))
    written = write_export(args.format, export_files(args.format, chosen), args.out)
    unannotated = [d.doc_id for d in docs if d.doc_id not in valid.sets]
    if unannotated:
        print(f"minusma-corpus: not exported (no annotation file in {layout.gold}): {', '.join(unannotated)}",
              file=sys.stderr)
    print(f"wrote {count(len(written), 'file')} ({args.format}, {count(len(chosen), 'document')}) to {args.out}")
    return 0


def add_parsers(sub) -> None:
    """Register the commands of this group on the ``minusma-corpus`` sub-parsers."""
    b = sub.add_parser("build", help="build the release (Parquet + dataset card) from the raw corpus, offline")
    corpus_options(b, annotations=True)
    b.add_argument("--out", type=Path, default=Path("corpus/release"), help="release directory (default: corpus/release)")
    b.add_argument("--changelog", type=Path, default=None,
                   help="date the release by this CHANGELOG.md's entry for the version (default: the release date "
                        "the package carries, which a test keeps equal to CHANGELOG.md's)")
    b.set_defaults(func=_build)

    st = sub.add_parser("stats", help="corpus figures (Markdown) of a release, as in DATACARD.md")
    st.add_argument("--release", type=Path, default=None,
                    help="default: corpus/release in a checkout, else the installed release")
    st.add_argument("--write", type=Path, default=None, help="replace the stats block of this file (e.g. DATACARD.md)")
    st.set_defaults(func=_stats)

    ve = sub.add_parser("verify", help="check a release directory (default: the installed one) against its SHA256SUMS")
    ve.add_argument("release", type=Path, nargs="?", default=None)
    ve.set_defaults(func=_verify)

    from ..publish.exports import FORMATS

    ex = sub.add_parser("export", help="write the annotated documents as CoNLL-2003, spaCy DocBin, brat standoff or JSONL")
    ex.add_argument("--format", required=True, choices=FORMATS)
    ex.add_argument("--out", type=Path, required=True, help="output directory (files an earlier export did not write are never replaced)")
    corpus_options(ex, annotations=True)
    ex.set_defaults(func=_export)
