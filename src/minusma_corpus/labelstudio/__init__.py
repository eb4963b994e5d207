"""Label Studio round trips (see ``spec`` for the mapping): the labeling config, export of documents as
tasks, import of Label Studio exports, adjudication, and a server client. Builds on ``annotations``."""

from ..pipeline.process import Document
from .adjudication import adjudication_tasks, agreement_report, by_annotator
from .client import PushReport, connect, find_project, project_doc_ids, pull_export, push, server_errors
from .config import label_config
from .export import content_sha256, export_tasks, source_name, to_result
from .importer import (ImportedSet, ImportReport, arrange, as_passes, import_tasks, parse_result,
                       remove_stale_staging, slugify, write_sets)
from .spec import ALL_FIELDS, FORMAT, LabelStudioError, LSProblem, all_fields

__all__ = [
    "ALL_FIELDS", "FORMAT", "Document", "ImportReport", "ImportedSet", "LSProblem", "LabelStudioError", "PushReport",
    "adjudication_tasks", "agreement_report", "all_fields", "arrange", "as_passes", "by_annotator", "connect", "content_sha256", "export_tasks",
    "find_project", "import_tasks", "label_config", "parse_result", "project_doc_ids", "pull_export", "push",
    "remove_stale_staging", "server_errors", "slugify", "source_name", "to_result", "write_sets",
]
