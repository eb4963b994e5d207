"""`minusma-corpus validate`: every annotation file against the schema, the text and the KB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .annotations import AnnotationError, Problem, check, check_kb, read_annotation_file, read_json_list
from .cluster_values import relation_problems
from .schema import SchemaVersionError, load_schema


@dataclass(frozen=True)
class AnnotationLayout:
    root: Path

    @property
    def kb(self) -> Path:
        return self.root / "entities.json"

    @property
    def clusters(self) -> Path:
        return self.root / "claim_clusters.json"

    @property
    def gold(self) -> Path:
        return self.root / "gold"

    def gold_file(self, doc_id: str) -> Path:
        return self.gold / f"{doc_id}.json"


def validate_files(files: list[Path], texts: dict[str, str], layout: AnnotationLayout) -> list[Problem]:
    """All problems of ``files`` (an empty list means valid)."""
    kb = read_json_list(layout.kb)
    clusters = read_json_list(layout.clusters)
    problems = check_kb(kb, clusters, str(layout.kb), str(layout.clusters))
    checked: dict[str, tuple[Path, dict]] = {}
    for path in files:
        try:
            data = read_annotation_file(path)
        except AnnotationError as e:
            problems.extend(e.problems)
            continue
        except SchemaVersionError as e:
            problems.append(Problem(str(path), None, None, str(e)))
            continue
        if path.stem != data["doc_id"]:
            problems.append(Problem(str(path), data["doc_id"], None, "file name differs from doc_id"))
        if data["doc_id"] not in texts:
            problems.append(Problem(str(path), data["doc_id"], None, "unknown doc_id (not in the manifest)"))
            continue
        problems.extend(check(data, texts[data["doc_id"]], kb, clusters, str(path)))
        checked[data["doc_id"]] = (path, data)
    schema = load_schema()
    if schema.has_cluster_values:  # relations are derived across all the files given
        docs = {doc_id: data for doc_id, (_path, data) in checked.items()}
        problems.extend(Problem(str(checked[doc_id][0]), doc_id, claim_id, message)
                        for doc_id, claim_id, message in relation_problems(docs, clusters, schema))
    return problems
