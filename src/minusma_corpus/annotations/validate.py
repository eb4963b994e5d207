"""`minusma-corpus validate`: every annotation file against the schema, the text and the KB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cluster_values import relation_problems
from .fileformat import AnnotationError, Problem, check, check_kb, read_annotation_file, read_json_list
from .layout import AnnotationLayout
from .schema import SchemaVersionError, load_schema


@dataclass(frozen=True)
class Validation:
    """What was validated: the problems found and, by doc_id, the annotation sets that were read."""

    problems: list[Problem]
    sets: dict[str, dict]
    kb: list[dict]
    clusters: list[dict]


def validate_files(files: list[Path], texts: dict[str, str], layout: AnnotationLayout, *,
                   kb_file: Path | None = None, clusters_file: Path | None = None,
                   context: list[Path] = ()) -> Validation:
    """Validate ``files`` (no problems means valid); each file is read once. The knowledge base and clusters
    are the layout's unless ``kb_file`` / ``clusters_file`` are given. Cluster relations are derived across
    ``files`` and the other annotation sets of ``context`` (e.g. the gold, when one file of it is checked),
    and only when every one of them could be read: on partial input they would blame good files."""
    kb_file, clusters_file = kb_file or layout.kb, clusters_file or layout.clusters
    kb = read_json_list(kb_file)
    clusters = read_json_list(clusters_file)
    problems = check_kb(kb, clusters, str(kb_file), str(clusters_file))
    sets: dict[str, dict] = {}
    paths: dict[str, Path] = {}
    unread = 0  # files whose annotations could not be read: cross-file checks would see part of the input
    for path in files:
        try:
            data = read_annotation_file(path)
        except AnnotationError as e:
            problems.extend(e.problems)
            unread += 1
            continue
        except SchemaVersionError as e:
            problems.append(Problem(str(path), None, None, e.reason))
            unread += 1
            continue
        if path.stem != data["doc_id"]:
            problems.append(Problem(str(path), data["doc_id"], None, "file name differs from doc_id"))
        if data["doc_id"] not in texts:
            problems.append(Problem(str(path), data["doc_id"], None, "unknown doc_id (not in the manifest)"))
            unread += 1
            continue
        problems.extend(check(data, texts[data["doc_id"]], kb, clusters, str(path)))
        sets[data["doc_id"]] = data
        paths[data["doc_id"]] = path
    schema = load_schema()
    given = {Path(p).resolve() for p in files}
    others = _read_context([p for p in context if Path(p).resolve() not in given], texts)
    if schema.has_cluster_values and not unread and others is not None:
        derived_over = {**{k: v for k, v in others.items() if k not in sets}, **sets}
        problems.extend(Problem(str(paths[doc_id]), doc_id, claim_id, message)
                        for doc_id, claim_id, message in relation_problems(derived_over, clusters, schema)
                        if doc_id in sets)
    return Validation(problems, sets, kb, clusters)


def _read_context(files: list[Path], texts: dict[str, str]) -> dict[str, dict] | None:
    """The annotation sets of ``files`` by doc_id (those of the manifest), or None when one cannot be read."""
    out = {}
    for path in files:
        try:
            data = read_annotation_file(path)
        except (AnnotationError, SchemaVersionError):
            return None
        if data["doc_id"] in texts:
            out[data["doc_id"]] = data
    return out
