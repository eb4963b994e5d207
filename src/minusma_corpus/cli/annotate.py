"""Commands on annotation files: `validate`, `migrate`, `draft`, `agreement`, `preannotate`, `reanchor`, `schema`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .options import corpus_options, corpus_texts, count
from ..progress import progress
from ..pipeline.corpus import CorpusError


def _validate(args: argparse.Namespace) -> int:
    from ..annotations.fileformat import AnnotationError
    from ..annotations.layout import AnnotationLayout
    from ..annotations.validate import validate_files

    layout = AnnotationLayout(args.annotations)
    files, kb, clusters, context = _validation_input(args.files, layout)
    problems = validate_files(files, corpus_texts(args), layout, kb_file=kb, clusters_file=clusters,
                              context=context).problems
    print(f"{count(len(files), 'annotation file')}, {count(len(problems), 'problem')}")
    if problems:  # one error line per problem, through the CLI's handler
        raise AnnotationError(problems)
    return 0


def _validation_input(paths: list[Path], layout) -> tuple[list[Path], Path | None, Path | None, list[Path]]:
    """What ``validate PATH...`` checks: (annotation files, knowledge base, clusters, context). A directory
    gives its annotation files, and its own entities.json / claim_clusters.json when it has them (like a pass
    of ``agreement``); files of those two names among the paths are the knowledge base and clusters, not
    annotation sets. Files given one by one are checked against the rest of the gold (cluster relations are
    derived across documents); a directory is a whole set."""
    from ..annotations.layout import CLUSTERS_FILE, KB_FILE, annotation_files
    from ..errors import InputFileError

    if not paths:
        return layout.gold_files(), None, None, []
    files, own = [], {}
    for path in paths:
        if path.is_dir():
            if not (found := annotation_files(path)):
                raise InputFileError("holds no annotation file", file=path,
                                     hint="give a directory of annotation files (like annotations/gold), or the files")
            files += found
            own.update({name: path / name for name in (KB_FILE, CLUSTERS_FILE) if (path / name).is_file()})
        elif path.name in (KB_FILE, CLUSTERS_FILE):
            own[path.name] = path
        else:
            files.append(path)
    whole_sets = any(path.is_dir() for path in paths) or bool(own)
    return files, own.get(KB_FILE), own.get(CLUSTERS_FILE), [] if whole_sets else layout.gold_files()


def _migrate(args: argparse.Namespace) -> int:
    from ..annotations.fileformat import AnnotationError, dumps_annotation, migrate, read_annotation_json, schema_problems
    from ..annotations.schema import load_schema
    from ..fileio import write_atomic

    current = load_schema().version
    migrated = {}
    for path in args.files:  # all or nothing: every file is migrated and checked before any is written
        data = read_annotation_json(path)
        if data.get("schema_version") == current:
            print(f"{path}: already at schema {current}")
            continue
        new = migrate(data, str(path), explicit=True)
        problems = schema_problems(new, str(path))
        if problems:
            raise AnnotationError(problems)
        migrated[path] = (data.get("schema_version"), new)
    for path, (old, new) in migrated.items():
        write_atomic(path, dumps_annotation(new))
        pending = sum(1 for c in new["claims"] if c.get("legacy_relation") is not None)
        print(f"{path}: {old} -> {current}" + (f"; {pending} cluster members need a value and scope "
                                                 "(`minusma-corpus validate` names them)" if pending else ""))
    return 0


def _draft(args: argparse.Namespace) -> int:
    from ..annotations.fileformat import write_annotation_file
    from ..annotations.authoring import DRAFT_SHAPE, DraftError, from_draft
    from ..errors import check_shape, read_json

    draft = read_json(args.draft, "an authoring draft")
    if not isinstance(draft, dict):
        raise DraftError("the top level is not a JSON object (see the docstring of annotations/authoring.py)",
                         file=args.draft)
    check_shape(draft, DRAFT_SHAPE, args.draft, "an authoring draft")
    texts = corpus_texts(args)
    if draft["doc_id"] not in texts:
        raise CorpusError(f"unknown doc_id {draft['doc_id']!r} (not in {args.manifest})", file=args.draft,
                          hint="add the article to the manifest first (`minusma-corpus manifest`), or fix the doc_id")
    try:
        data = from_draft(draft, texts[draft["doc_id"]], args.annotator, args.method, args.status, args.created)
    except DraftError as e:
        raise DraftError(e.reason, file=args.draft) from None
    out = args.out / f"{draft['doc_id']}.json"
    write_annotation_file(out, data)
    print(f"wrote {out}: {count(len(data['mentions']), 'mention')}, {count(len(data['claims']), 'claim')}, "
          f"{count(len(data['stances']), 'stance')}")
    return 0


def _agreement_pairs(a: Path, b: Path | None) -> list[tuple[str, Path, str, Path]]:
    """(name, path) pairs to compare: A against B, where either may be a directory of annotator
    directories (``ls pull --out DIR``): then every annotator of it; with B omitted, every pair of A's."""
    from itertools import combinations

    from ..annotations.layout import annotator_dirs

    sets_a = annotator_dirs(a)
    if b is None:
        if len(sets_a) < 2:
            raise CorpusError("holds one annotation set", file=a,
                              hint="give a second one to compare with (`agreement A B`), or a directory of annotator "
                                   "directories (what `ls pull --out DIR` writes)")
        return [(x, sets_a[x], y, sets_a[y]) for x, y in combinations(sets_a, 2)]
    sets_b = annotator_dirs(b)
    return [(x, px, y, py) for x, px in sets_a.items() for y, py in sets_b.items() if px.resolve() != py.resolve()]


def _agreement(args: argparse.Namespace) -> int:
    import json

    from ..annotations.agreement import agreement, disagreements
    from ..annotations.layout import read_pass

    pairs = _agreement_pairs(args.a, args.b)
    results, printed = [], []
    for name_a, path_a, name_b, path_b in pairs:
        pass_a, pass_b = read_pass(path_a), read_pass(path_b)  # a pass may have its own inventory
        sets_a, sets_b = pass_a.sets, pass_b.sets
        result = agreement(sets_a, sets_b, align_entities=pass_a.kb is not None or pass_b.kb is not None)
        named = len(pairs) > 1 or (name_a, name_b) != (str(path_a), str(path_b))  # annotators of a pull directory
        heading = f"## {name_a} (A) vs {name_b} (B)" if named else None
        if not result.documents:
            if len(pairs) == 1:
                raise CorpusError(f"{path_a} and {path_b} share no document",
                                  hint="compare sets of the same documents (`ls pull --out DIR` writes one directory "
                                       "per annotator: DIR/<annotator>)")
            printed.append(f"{heading}\n(no shared document)")
            continue
        results.append({"a": str(path_a), "b": str(path_b), "documents": result.documents, **dict(result.rows())})
        lines = [heading] if heading else []
        if not args.json:
            lines.append(result.report())
        if args.diff:
            for doc in result.documents:
                lines.append(f"\n## {doc}")
                lines.append("\n".join(disagreements(sets_a[doc], sets_b[doc])) or "(no differences)")
        printed.append("\n".join(lines))
    if not results:
        raise CorpusError(f"no pair of annotation sets of {args.a}" + (f" and {args.b}" if args.b else "")
                          + " shares a document", hint="compare sets of the same documents")
    if args.json:
        value = results[0] if len(pairs) == 1 else results
        if len(pairs) == 1:
            value = {k: v for k, v in value.items() if k not in ("a", "b")}
        print(json.dumps(value, ensure_ascii=False, indent=1))
    if not args.json or args.diff:
        print("\n\n".join(p for p in printed if p))
    return 0


def _preannotate(args: argparse.Namespace) -> int:
    from ..annotations.fileformat import write_annotation_file
    from ..annotations.layout import AnnotationLayout, read_sets
    from ..annotations.preannotate import evaluate_leave_one_out, evaluation_table, gazetteer_from_kb, preannotate
    from ..pipeline.process import process

    nlp = None
    if args.spacy:
        import spacy

        nlp = spacy.load(args.spacy)  # an installed pipeline package or a path; never downloaded
    docs = {d.row.doc_id: d for d in process(args.raw, args.manifest)}
    if args.evaluate:
        gold = read_sets(AnnotationLayout(args.annotations).gold)
        counts = evaluate_leave_one_out({k: d.clean.text for k, d in docs.items()}, gold,
                                        {k: d.row.date for k, d in docs.items()}, nlp=nlp)
        print(evaluation_table(counts))
        return 0
    if not args.doc_ids:
        raise CorpusError("no document named", hint="name the documents to pre-annotate (doc ids of the manifest), "
                          "or use --evaluate")
    gazetteer = gazetteer_from_kb(AnnotationLayout(args.annotations).read_kb())
    for doc_id in progress(args.doc_ids, "pre-annotating", unit="document"):
        if doc_id not in docs:
            raise CorpusError(f"unknown doc_id {doc_id!r}", file=args.manifest,
                              hint="add the article to the manifest first (`minusma-corpus manifest`)")
        d = docs[doc_id]
        data = preannotate(doc_id, d.clean.text, gazetteer, d.row.date, nlp=nlp)
        out = args.out / f"{doc_id}.json"
        write_annotation_file(out, data)
        print(f"wrote {out}: {len(data['mentions'])} predicted mentions")
        if args.kb_proposals:
            import json

            from ..annotations.preannotate import entity_proposals, propose
            from ..fileio import write_atomic

            proposals = entity_proposals(d.clean.text, propose(d.clean.text, gazetteer, d.row.date, nlp=nlp),
                                         {e for _l, e in gazetteer.values()})
            path = args.out / f"{doc_id}.kb-proposals.json"
            write_atomic(path, json.dumps(proposals, ensure_ascii=False, indent=2) + "\n")
            print(f"wrote {path}: {len(proposals)} unlinked names proposed for annotations/entities.json")
    return 0


def _reanchor(args: argparse.Namespace) -> int:
    from ..annotations.anchor import AnchorError, reanchor
    from ..annotations.fileformat import read_annotation_file, write_annotation_file
    from ..annotations.layout import AnnotationLayout
    from ..fileio import text_sha256

    texts = corpus_texts(args)
    files = args.files or AnnotationLayout(args.annotations).gold_files()
    moved = {}
    for path in files:  # all or nothing: every file is re-anchored before any is written
        data = read_annotation_file(path)
        if data["doc_id"] not in texts:
            raise CorpusError(f"document {data['doc_id']} is not in {args.manifest}", file=path,
                              hint="add the article to the manifest, or give --raw/--manifest of its corpus")
        text = texts[data["doc_id"]]
        if data["text_sha256"] != text_sha256(text):
            try:
                moved[path] = reanchor(data, text)
            except AnchorError as e:
                raise e.in_file(path) from None
    for path, data in moved.items():
        write_annotation_file(path, data)
        print(f"re-anchored {path}")
    print(f"{count(len(files), 'file')}, {len(moved)} re-anchored")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from ..fileio import write_atomic
    from ..annotations.schema import generated_files, json_schema_text, label_tables

    if args.write:
        for path, content in generated_files(args.dir).items():
            write_atomic(path, content)
            print(f"wrote {path}")
    elif args.tables:
        print(label_tables())
    else:
        print(json_schema_text(), end="")
    return 0


def add_parsers(sub) -> None:
    """Register the commands of this group on the ``minusma-corpus`` sub-parsers."""
    v = sub.add_parser("validate", help="check annotation files: JSON Schema, spans against the text, ids against the KB")
    v.add_argument("files", type=Path, nargs="*", help="annotation files or directories (a directory's own entities.json and "
                   "claim_clusters.json are its knowledge base and clusters; default: annotations/gold/*.json)")
    corpus_options(v, annotations=True)
    v.set_defaults(func=_validate)

    mg = sub.add_parser("migrate", help="migrate annotation files to the current schema version, in place")
    mg.add_argument("files", type=Path, nargs="+")
    mg.set_defaults(func=_migrate)

    d = sub.add_parser("draft", help="turn a quote-based authoring draft into an annotation file")
    d.add_argument("draft", type=Path)
    d.add_argument("--out", type=Path, default=Path("annotations/gold"), help="output directory (default: annotations/gold)")
    d.add_argument("--annotator", required=True, help="who made the annotations (provenance)")
    d.add_argument("--method", required=True, help="how they were made (provenance)")
    d.add_argument("--status", choices=["gold", "pass", "predicted"], default="gold")
    d.add_argument("--created", default=None, help="ISO date (default: today)")
    corpus_options(d)
    d.set_defaults(func=_draft)

    ag = sub.add_parser("agreement", help="per-layer agreement between two annotation sets (files or directories; "
                                          "a directory of annotator directories, as `ls pull` writes, compares each; "
                                          "a directory may hold its own entities.json and claim_clusters.json)")
    ag.add_argument("a", type=Path, help="annotation set (file or directory), or a directory of annotator directories")
    ag.add_argument("b", type=Path, nargs="?", default=None,
                    help="the set to compare with (default: every pair of annotators of A)")
    ag.add_argument("--json", action="store_true")
    ag.add_argument("--diff", action="store_true", help="also list every disagreement, for adjudication")
    ag.set_defaults(func=_agreement)

    pa_ = sub.add_parser("preannotate", help="propose entity mentions (gazetteer + rules [+ spaCy]) for articles without gold")
    pa_.add_argument("doc_ids", nargs="*", help="documents of the manifest to pre-annotate")
    pa_.add_argument("--out", type=Path, default=Path("annotations/predicted"), help="default: annotations/predicted")
    pa_.add_argument("--spacy", default=None, help="an installed spaCy pipeline (name or path) to add its entities")
    pa_.add_argument("--evaluate", action="store_true", help="leave-one-document-out precision/recall against the gold")
    pa_.add_argument("--kb-proposals", action="store_true",
                     help="also write <doc_id>.kb-proposals.json: knowledge-base entries (with ISO 3166 / GeoNames ids) "
                          "for the names no entity is linked to")
    corpus_options(pa_, annotations=True)
    pa_.set_defaults(func=_preannotate)

    ra = sub.add_parser("reanchor", help="move annotations onto a changed cleaned text by their quotes (all or nothing)")
    ra.add_argument("files", type=Path, nargs="*", help="annotation files (default: annotations/gold/*.json)")
    corpus_options(ra, annotations=True)
    ra.set_defaults(func=_reanchor)

    sc = sub.add_parser("schema", help="print the JSON Schema of annotation files (or --tables), or --write the generated files")
    sc.add_argument("--tables", action="store_true", help="print the label tables of the guidelines (Markdown)")
    sc.add_argument("--write", action="store_true", help="regenerate schema/annotation.schema.json and the guidelines' tables")
    sc.add_argument("--dir", type=Path, default=Path("schema"), help="schema directory (default: schema)")
    sc.set_defaults(func=_schema)
