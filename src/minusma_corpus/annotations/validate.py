"""`minusma-corpus validate`: every annotation file against the schema, the text and the KB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cluster_values import relation_problems
from .fileformat import AnnotationError, Problem, check, check_kb, read_annotation_file
from .layout import AnnotationLayout
from .schema import SchemaVersionError, load_schema


@dataclass(frozen=True)
class Validation:
    """What was validated: the problems found and, by doc_id, the annotation sets that were read."""

    problems: list[Problem]
    sets: dict[str, dict]
    kb: list[dict]
    clusters: list[dict]


def validate_files(files: list[Path], texts: dict[str, str], layout: AnnotationLayout) -> Validation:
    """Validate ``files`` (no problems means valid); each file is read once."""
    kb = layout.read_kb()
    clusters = layout.read_clusters()
    problems = check_kb(kb, clusters, str(layout.kb), str(layout.clusters))
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
    if schema.has_cluster_values and not unread:  # relations are derived across all the files given, so only
        # once every one was read (else a cluster's unread members would make good files look wrong)
        problems.extend(Problem(str(paths[doc_id]), doc_id, claim_id, message)
                        for doc_id, claim_id, message in relation_problems(sets, clusters, schema))
    return Validation(problems, sets, kb, clusters)
