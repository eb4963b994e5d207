"""Command-line interface: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import CorpusError


def _build(args: argparse.Namespace) -> int:
    from .build import build

    report = build(args.raw, args.manifest, args.out, args.annotations, args.changelog)
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


def _schema(args: argparse.Namespace) -> int:
    from .annotations import write_atomic
    from .schema import generated_files, json_schema_text, label_tables

    if args.write:
        for path, content in generated_files(args.dir).items():
            write_atomic(path, content)
            print(f"wrote {path}")
    elif args.tables:
        print(label_tables())
    else:
        print(json_schema_text(), end="")
    return 0


def _texts(args: argparse.Namespace) -> dict[str, str]:
    from .build import process

    return {d.row.doc_id: d.clean.text for d in process(args.raw, args.manifest)}


def _validate(args: argparse.Namespace) -> int:
    from .validate import AnnotationLayout, validate_files

    layout = AnnotationLayout(args.annotations)
    files = args.files or sorted(layout.gold.glob("*.json"))
    problems = validate_files(files, _texts(args), layout)
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(files)} annotation files, {len(problems)} problems")
    return 1 if problems else 0


def _migrate(args: argparse.Namespace) -> int:
    import json

    from .annotations import dumps_annotation, migrate, schema_problems, write_atomic
    from .schema import load_schema

    current = load_schema().version
    migrated = {}
    for path in args.files:  # all or nothing: every file is migrated and checked before any is written
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not valid JSON: {e}") from None
        if data.get("schema_version") == current:
            print(f"{path}: already at schema {current}")
            continue
        new = migrate(data, str(path), explicit=True)
        problems = schema_problems(new, str(path))
        if problems:
            raise ValueError("\n".join(map(str, problems)))
        migrated[path] = (data.get("schema_version"), new)
    for path, (old, new) in migrated.items():
        write_atomic(path, dumps_annotation(new))
        pending = sum(1 for c in new["claims"] if c.get("legacy_relation") is not None)
        print(f"{path}: {old} -> {current}" + (f"; {pending} cluster members need a value and scope "
                                                 "(`minusma-corpus validate` names them)" if pending else ""))
    return 0


def _draft(args: argparse.Namespace) -> int:
    import json

    from .annotations import write_annotation_file
    from .authoring import from_draft

    draft = json.loads(args.draft.read_text(encoding="utf-8"))
    texts = _texts(args)
    if draft.get("doc_id") not in texts:
        raise CorpusError(f"{args.draft}: unknown doc_id {draft.get('doc_id')!r}")
    data = from_draft(draft, texts[draft["doc_id"]], args.annotator, args.method, args.status, args.created)
    out = args.out / f"{draft['doc_id']}.json"
    write_annotation_file(out, data)
    print(f"wrote {out}: {len(data['mentions'])} mentions, {len(data['claims'])} claims, {len(data['stances'])} stances")
    return 0


def _annotation_sets(path: Path) -> dict[str, dict]:
    from .annotations import read_annotation_file

    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    return {d["doc_id"]: d for d in map(read_annotation_file, files)}


def _agreement(args: argparse.Namespace) -> int:
    import json

    from .agreement import agreement

    sets_a, sets_b = _annotation_sets(args.a), _annotation_sets(args.b)
    result = agreement(sets_a, sets_b)
    if not result.documents:
        raise CorpusError(f"{args.a} and {args.b} share no document")
    if args.json:
        print(json.dumps({"documents": result.documents, **{k: v for k, v in result.rows()}}, ensure_ascii=False, indent=1))
    else:
        print(result.report())
    if args.diff:
        from .agreement import disagreements

        for doc in result.documents:
            print(f"\n## {doc}")
            print("\n".join(disagreements(sets_a[doc], sets_b[doc])) or "(no differences)")
    return 0


def _explore(args: argparse.Namespace) -> int:
    from .explore import explore

    if args.diff and args.files:
        raise CorpusError("give annotation files to show, or --diff A B, not both")
    written = explore(args.out, raw_dir=args.raw, manifest=args.manifest, annotations=args.annotations,
                      files=args.files, diff=args.diff, png=args.png)
    print(f"wrote {len(written)} files; open {args.out / 'index.html'} in a browser")
    return 0


def _preannotate(args: argparse.Namespace) -> int:
    from .annotations import read_json_list, write_annotation_file
    from .build import process
    from .preannotate import evaluate_leave_one_out, evaluation_table, gazetteer_from_kb, preannotate

    nlp = None
    if args.spacy:
        import spacy

        nlp = spacy.load(args.spacy)  # an installed pipeline package or a path; never downloaded
    docs = {d.row.doc_id: d for d in process(args.raw, args.manifest)}
    if args.evaluate:
        gold = _annotation_sets(args.annotations / "gold")
        counts = evaluate_leave_one_out({k: d.clean.text for k, d in docs.items()}, gold,
                                        {k: d.row.date for k, d in docs.items()}, nlp=nlp)
        print(evaluation_table(counts))
        return 0
    if not args.doc_ids:
        raise CorpusError("name the documents to pre-annotate (doc ids of the manifest), or use --evaluate")
    gazetteer = gazetteer_from_kb(read_json_list(args.annotations / "entities.json"))
    for doc_id in args.doc_ids:
        if doc_id not in docs:
            raise CorpusError(f"unknown doc_id {doc_id!r} (add the article to corpus/manifest.jsonl first)")
        d = docs[doc_id]
        data = preannotate(doc_id, d.clean.text, gazetteer, d.row.date, nlp=nlp)
        out = args.out / f"{doc_id}.json"
        write_annotation_file(out, data)
        print(f"wrote {out}: {len(data['mentions'])} predicted mentions")
    return 0


def _stats(args: argparse.Namespace) -> int:
    from .annotations import write_atomic
    from .stats import replace_block, stats_markdown

    block = stats_markdown(args.release)
    if args.write:
        write_atomic(args.write, replace_block(args.write.read_text(encoding="utf-8"), block))
        print(f"updated {args.write}")
    else:
        print(block, end="")
    return 0


def _reanchor(args: argparse.Namespace) -> int:
    from .anchor import reanchor
    from .annotations import read_annotation_file, text_sha256, write_annotation_file

    texts = _texts(args)
    files = args.files or sorted((args.annotations / "gold").glob("*.json"))
    moved = {}
    for path in files:  # all or nothing: every file is re-anchored before any is written
        data = read_annotation_file(path)
        text = texts[data["doc_id"]]
        if data["text_sha256"] != text_sha256(text):
            moved[path] = reanchor(data, text)
    for path, data in moved.items():
        write_annotation_file(path, data)
        print(f"re-anchored {path}")
    print(f"{len(files)} files, {len(moved)} re-anchored")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from .api import release_dir
    from .card import verify

    directory = args.release or release_dir()
    problems = verify(directory)
    for p in problems:
        print(f"{directory}: {p}", file=sys.stderr)
    print(f"{directory}: {'FAILED' if problems else 'OK'} ({len(problems)} problems)")
    return 1 if problems else 0


def _corpus_options(p: argparse.ArgumentParser, annotations: bool = False) -> None:
    p.add_argument("--raw", type=Path, default=Path("corpus/raw"), help="raw article directory (default: corpus/raw)")
    p.add_argument("--manifest", type=Path, default=Path("corpus/manifest.jsonl"), help="default: corpus/manifest.jsonl")
    if annotations:
        p.add_argument("--annotations", type=Path, default=Path("annotations"), help="default: annotations")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="minusma-corpus", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the release (Parquet + dataset card) from the raw corpus, offline")
    _corpus_options(b, annotations=True)
    b.add_argument("--out", type=Path, default=Path("corpus/release"), help="release directory (default: corpus/release)")
    b.add_argument("--changelog", type=Path, default=Path("CHANGELOG.md"), help="dates the release (default: CHANGELOG.md)")
    b.set_defaults(func=_build)

    m = sub.add_parser("manifest", help="propose manifest rows (JSON lines) for new raw files")
    m.add_argument("files", type=Path, nargs="+")
    m.add_argument("--language", default=None, help="BCP 47 language tag, if known")
    m.set_defaults(func=_manifest)

    c = sub.add_parser("clean", help="clean one raw article and print its text (or --json)")
    c.add_argument("file", type=Path)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=_clean)
    v = sub.add_parser("validate", help="check annotation files: JSON Schema, spans against the text, ids against the KB")
    v.add_argument("files", type=Path, nargs="*", help="annotation files (default: annotations/gold/*.json)")
    _corpus_options(v, annotations=True)
    v.set_defaults(func=_validate)

    mg = sub.add_parser("migrate", help="migrate annotation files to the current schema version, in place")
    mg.add_argument("files", type=Path, nargs="+")
    mg.set_defaults(func=_migrate)

    d = sub.add_parser("draft", help="turn a quote-based authoring draft into an annotation file")
    d.add_argument("draft", type=Path)
    d.add_argument("--out", type=Path, default=Path("annotations/gold"), help="output directory (default: annotations/gold)")
    d.add_argument("--annotator", required=True, help="who made the annotations (provenance)")
    d.add_argument("--method", required=True, help="how they were made (provenance)")
    d.add_argument("--status", choices=["gold", "predicted"], default="gold")
    d.add_argument("--created", default=None, help="ISO date (default: today)")
    _corpus_options(d)
    d.set_defaults(func=_draft)

    ag = sub.add_parser("agreement", help="per-layer agreement between two annotation sets (files or directories)")
    ag.add_argument("a", type=Path)
    ag.add_argument("b", type=Path)
    ag.add_argument("--json", action="store_true")
    ag.add_argument("--diff", action="store_true", help="also list every disagreement, for adjudication")
    ag.set_defaults(func=_agreement)

    xp = sub.add_parser("explore", help="static HTML site of an annotation set, or of the diff of two, to open from disk")
    xp.add_argument("files", type=Path, nargs="*", help="annotation files or directories to show (default: annotations/gold)")
    xp.add_argument("--out", type=Path, required=True, help="site directory (new, empty, or an earlier explorer site)")
    xp.add_argument("--diff", type=Path, nargs=2, metavar=("A", "B"), help="show two annotation sets and their differences")
    xp.add_argument("--png", type=Path, default=None, help="also write a PNG of the claims page (needs Chromium)")
    _corpus_options(xp, annotations=True)
    xp.set_defaults(func=_explore)

    pa_ = sub.add_parser("preannotate", help="propose entity mentions (gazetteer + rules [+ spaCy]) for articles without gold")
    pa_.add_argument("doc_ids", nargs="*", help="documents of the manifest to pre-annotate")
    pa_.add_argument("--out", type=Path, default=Path("annotations/predicted"), help="default: annotations/predicted")
    pa_.add_argument("--spacy", default=None, help="an installed spaCy pipeline (name or path) to add its entities")
    pa_.add_argument("--evaluate", action="store_true", help="leave-one-document-out precision/recall against the gold")
    _corpus_options(pa_, annotations=True)
    pa_.set_defaults(func=_preannotate)

    ra = sub.add_parser("reanchor", help="move annotations onto a changed cleaned text by their quotes (all or nothing)")
    ra.add_argument("files", type=Path, nargs="*", help="annotation files (default: annotations/gold/*.json)")
    _corpus_options(ra, annotations=True)
    ra.set_defaults(func=_reanchor)

    st = sub.add_parser("stats", help="corpus figures (Markdown) of a release, as in DATACARD.md")
    st.add_argument("--release", type=Path, default=Path("corpus/release"), help="default: corpus/release")
    st.add_argument("--write", type=Path, default=None, help="replace the stats block of this file (e.g. DATACARD.md)")
    st.set_defaults(func=_stats)

    ve = sub.add_parser("verify", help="check a release directory (default: the installed one) against its SHA256SUMS")
    ve.add_argument("release", type=Path, nargs="?", default=None)
    ve.set_defaults(func=_verify)

    sc = sub.add_parser("schema", help="print the JSON Schema of annotation files (or --tables), or --write the generated files")
    sc.add_argument("--tables", action="store_true", help="print the label tables of the guidelines (Markdown)")
    sc.add_argument("--write", action="store_true", help="regenerate schema/annotation.schema.json and the guidelines' tables")
    sc.add_argument("--dir", type=Path, default=Path("schema"), help="schema directory (default: schema)")
    sc.set_defaults(func=_schema)

    from .cli_labelstudio import add_parser as add_labelstudio_parser

    add_labelstudio_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (CorpusError, FileNotFoundError, ValueError) as e:
        print(f"minusma-corpus: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
