"""`minusma-corpus ls ...`: Label Studio round trips, a thin layer over ``labelstudio``.

File-based commands (no server): ``config``, ``export``, ``import``, ``adjudicate``. Server commands:
``push`` and ``pull`` (``--url``; the API key only from the ``LABEL_STUDIO_API_KEY`` environment variable).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .options import corpus_options, count

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_PROJECT = "minusma-corpus"


def _export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("doc_ids", nargs="*", help="documents to export (default: every document of the manifest)")
    p.add_argument("--from", dest="sources", type=Path, action="append", default=None,
                   help="annotation set directory or file to include; repeatable (default: annotations/gold)")
    p.add_argument("--no-annotations", action="store_true", help="texts only, for annotation from scratch")
    p.add_argument("--as", dest="mode", choices=["predictions", "annotations"], default="predictions",
                   help="predictions = pre-annotations to correct (default); annotations = for review")
    corpus_options(p, annotations=True)


def _import_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True,
                   help="output directory: <out>/<annotator>/<doc_id>.json, or <out>/<doc_id>.json with --flat")
    p.add_argument("--flat", action="store_true", help="one set per document, written as <out>/<doc_id>.json "
                                                        "(e.g. an adjudication into annotations/gold)")
    p.add_argument("--predictions", action="store_true", help="also import the tasks' predictions")
    p.add_argument("--status", choices=["gold", "pass", "predicted"], default=None,
                   help="force the provenance status (default: an annotator's set is a `pass`, an adjudication `gold`)")
    p.add_argument("--no-kb-check", action="store_true",
                   help="do not check entity and cluster ids against the KB (new entities still to be added)")
    p.add_argument("--skip-invalid", action="store_true",
                   help="write the valid annotation sets, list the others per document and exit with status 1")
    p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    corpus_options(p, annotations=True)


def _server_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--url", default=DEFAULT_URL, help=f"Label Studio server (default: {DEFAULT_URL}); the API key "
                                                      "is read from LABEL_STUDIO_API_KEY")
    p.add_argument("--project", default=DEFAULT_PROJECT, help=f"project title or id (default: {DEFAULT_PROJECT})")


def _documents(args):
    from ..pipeline.corpus import CorpusError
    from ..pipeline.process import process

    docs = {d.doc_id: d.document() for d in process(args.raw, args.manifest)}
    unknown = [d for d in getattr(args, "doc_ids", []) or [] if d not in docs]
    if unknown:
        raise CorpusError(f"unknown doc_id(s): {', '.join(unknown)}", file=args.manifest,
                          hint="name documents of the manifest (or add the articles to it first)")
    return docs


def _tasks(args) -> list[dict]:
    from ..annotations.layout import AnnotationLayout, read_sets
    from ..labelstudio.export import export_tasks

    docs = _documents(args)
    chosen = args.doc_ids or list(docs)
    sets: dict[str, list[dict]] = {}
    if not args.no_annotations:
        for source in args.sources or [AnnotationLayout(args.annotations).gold]:
            for doc_id, data in read_sets(source).items():
                if doc_id in chosen:
                    sets.setdefault(doc_id, []).append(data)
    return export_tasks([docs[d] for d in chosen], sets, args.mode)


def _kb(args) -> tuple[list[dict] | None, list[dict] | None]:
    """The KB and the claim clusters to check imports against (None, None with --no-kb-check)."""
    from ..annotations.layout import AnnotationLayout

    if args.no_kb_check:
        return None, None
    layout = AnnotationLayout(args.annotations)
    return layout.read_kb(), layout.read_clusters()


def _write_json(path: Path | None, value) -> None:
    from ..fileio import write_atomic

    text = json.dumps(value, ensure_ascii=False, indent=1) + "\n"
    if path is None:
        sys.stdout.write(text)
    else:
        write_atomic(path, text)


def _config(args) -> int:
    from ..fileio import write_atomic
    from ..labelstudio.config import label_config

    config = label_config(adjudication=args.adjudication) + "\n"
    if args.out:
        write_atomic(args.out, config)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(config)
    return 0


def _export(args) -> int:
    tasks = _tasks(args)
    _write_json(args.out, tasks)
    n = sum(len(t.get(args.mode, [])) for t in tasks)
    print(f"{count(len(tasks), 'task')}, {count(n, 'annotation set')} as {args.mode}" + (f": {args.out}" if args.out else ""),
          file=sys.stderr)
    return 0


_KB_MESSAGES = ("is not in the knowledge base", "differs from entity", "mentions are not linked to the knowledge base",
                "is not in claim_clusters.json", "is not an entity id")


def _how_to_proceed(problems, args) -> list[str]:
    """What a refused import says after its problems: how to fix them, or get past them."""
    lines = ["nothing was written. To proceed: correct the regions named above in Label Studio and pull again, "
             "or pull with --skip-invalid to write the valid sets and list the others per document"]
    if any(any(m in p.message for m in _KB_MESSAGES) for p in problems):
        lines.append(f"problems against the knowledge base: change the label or entity_id in Label Studio to the "
                     f"entity's, or add the new entity to {args.annotations / 'entities.json'} (id, label, name) "
                     f"and its cluster to {args.annotations / 'claim_clusters.json'}, or pull with --no-kb-check "
                     f"(then `minusma-corpus validate FILE...` before anything enters the gold)")
    return lines


def _next_steps(args, written: list[Path]) -> list[str]:
    """The commands that follow a pull (printed, so that the documented loop is the one to copy)."""
    if args.flat:
        return [f"minusma-corpus validate {args.out}/*.json --annotations {args.annotations}"]
    names = sorted({p.parent.name for p in written})
    gold = args.annotations / "gold"
    steps = [f"minusma-corpus agreement {gold} {args.out}   # the gold against each annotator"]
    if len(names) > 1:
        steps.append(f"minusma-corpus agreement {args.out}   # every pair of annotators")
    steps.append(f"minusma-corpus explore --out explore-{args.out.name} {args.out / names[0]}   # browse a pass"
                 if names else "")
    return [s for s in steps if s]


def _adjudication(tasks) -> bool:
    """Whether an export holds adjudication tasks (whose submissions are the gold, not passes)."""
    return any(isinstance(t, dict) and isinstance(t.get("data"), dict) and isinstance(t["data"].get("minusma"), dict)
               and t["data"]["minusma"].get("adjudication") for t in tasks) if isinstance(tasks, list) else False


def _import_and_write(tasks: list[dict], args) -> int:
    from ..labelstudio.importer import arrange, as_passes, import_tasks, remove_stale_staging, write_sets
    from ..labelstudio.spec import LabelStudioError

    docs = _documents(args)
    kb, clusters = _kb(args)
    try:
        report = import_tasks(tasks, {k: d.text for k, d in docs.items()}, predictions=args.predictions, kb=kb,
                              clusters=clusters, status=args.status, skip_invalid=args.skip_invalid)
    except LabelStudioError as e:
        raise LabelStudioError([*e.problems, *(LabelStudioError(line).problems[0]
                                               for line in _how_to_proceed(e.problems, args))]) from None
    if not args.flat and not args.status and not _adjudication(tasks):
        report = as_passes(report)
    files = arrange(report, "flat" if args.flat else "per-annotator")
    print(report.summary())
    if args.dry_run:
        for rel in files:
            print(f"  would write {args.out / rel}")
    else:
        for warning in remove_stale_staging(args.out):  # what an import killed before it finished left there
            print(f"minusma-corpus: warning: {warning}", file=sys.stderr)
        written = write_sets(files, args.out, validated=True)  # import_tasks validated each set once if files else []
        for path in written:
            print(f"  wrote {path}")
        if written:
            print("next:\n" + "\n".join(f"  {step}" for step in _next_steps(args, written)))
    if report.invalid:
        by_doc = report.invalid_by_document()
        print(f"{count(len(by_doc), 'document')} with invalid annotation sets, not written (fix them in Label Studio and "
              "pull again):", file=sys.stderr)
        for doc_id, lines in by_doc.items():
            print(f"  document {doc_id}:", file=sys.stderr)
            for line in lines:
                print(f"    {line}", file=sys.stderr)
        return 1
    return 0


def _read_tasks(path: Path) -> list:
    """A Label Studio JSON export or tasks file: a list of tasks, or an error naming the file."""
    from ..errors import read_json
    from ..labelstudio.spec import LabelStudioError

    tasks = read_json(path, "a Label Studio JSON export")
    if not isinstance(tasks, list):
        raise LabelStudioError(f"the top level is a JSON {'object' if isinstance(tasks, dict) else 'value'}, not "
                               "a list of tasks; export the project as JSON (not JSON-MIN or a single task)", path)
    return tasks


def _import(args) -> int:
    from ..labelstudio.spec import LabelStudioError

    tasks = _read_tasks(args.export)
    try:
        return _import_and_write(tasks, args)
    except LabelStudioError as e:
        raise e.in_file(args.export) from None


def _push(args) -> int:
    from ..labelstudio.client import connect, push
    from ..labelstudio.config import label_config

    tasks = _read_tasks(args.tasks) if args.tasks else _tasks(args)
    report = push(connect(args.url), args.project, tasks, label_config(adjudication=args.adjudication))
    print(f"project {report.project_id} ({'created' if report.created else 'updated'}) on {args.url}: "
          f"{report.uploaded} tasks uploaded in {report.seconds:.1f} s")
    for line in report.skipped:
        print(f"  skipped: {line}")
    return 0


def _pull(args) -> int:
    from ..labelstudio.client import connect, pull_export

    tasks = pull_export(connect(args.url), args.project)
    if args.save_export:
        _write_json(args.save_export, tasks)
        print(f"saved the export to {args.save_export}")
    return _import_and_write(tasks, args)


def _adjudicate(args) -> int:
    from ..labelstudio.adjudication import adjudication_tasks, agreement_report
    from ..labelstudio.importer import import_tasks

    from ..labelstudio.spec import LabelStudioError

    docs = _documents(args)
    tasks = _read_tasks(args.export)
    kb, clusters = _kb(args)
    try:
        report = import_tasks(tasks, {k: d.text for k, d in docs.items()}, kb=kb, clusters=clusters)
    except LabelStudioError as e:
        raise e.in_file(args.export) from None
    print(agreement_report(report))
    review = adjudication_tasks(report, docs)
    _write_json(args.out, review)
    print(f"\n{count(len(review), 'document')} with disagreements: {args.out} (push with `ls push --tasks {args.out} "
          "--adjudication --project NAME`, review, then `ls pull --project NAME --flat --out annotations/gold`)")
    return 0


def add_parsers(subparsers) -> argparse.ArgumentParser:
    """Register ``ls`` and its sub-commands on the ``minusma-corpus`` sub-parsers."""
    ls = subparsers.add_parser("ls", help="Label Studio: labeling config, export tasks, import exports, push/pull "
                                          "a server, adjudicate",
                               description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ls.add_subparsers(dest="ls_command", required=True)

    c = sub.add_parser("config", help="print the labeling config generated from the schema")
    c.add_argument("--adjudication", action="store_true", help="the config of an adjudication project")
    c.add_argument("--out", type=Path, default=None)
    c.set_defaults(func=_config)

    e = sub.add_parser("export", help="documents (and their annotation sets) as Label Studio tasks JSON")
    _export_options(e)
    e.add_argument("--out", type=Path, default=None, help="tasks file (default: standard output)")
    e.set_defaults(func=_export)

    i = sub.add_parser("import", help="a Label Studio JSON export -> annotation files (all or nothing)")
    i.add_argument("export", type=Path, help="JSON export (list of tasks, with full annotations)")
    _import_options(i)
    i.set_defaults(func=_import)

    pu = sub.add_parser("push", help="create or update a project on a server and upload the tasks it lacks")
    _export_options(pu)
    _server_options(pu)
    pu.add_argument("--tasks", type=Path, default=None, help="upload this tasks file instead of exporting documents")
    pu.add_argument("--adjudication", action="store_true", help="use the adjudication labeling config")
    pu.set_defaults(func=_push)

    pl = sub.add_parser("pull", help="export a project from a server and import it (all or nothing)")
    _server_options(pl)
    pl.add_argument("--save-export", type=Path, default=None, help="also keep the raw Label Studio export")
    _import_options(pl)
    pl.set_defaults(func=_pull)

    a = sub.add_parser("adjudicate", help="per-layer agreement of the annotators of an export, and review tasks "
                                          "for every document they disagree on")
    a.add_argument("export", type=Path, help="JSON export with two or more annotators per task")
    a.add_argument("--out", type=Path, required=True, help="adjudication tasks file")
    a.add_argument("--no-kb-check", action="store_true")
    corpus_options(a, annotations=True)
    a.set_defaults(func=_adjudicate)
    return ls
