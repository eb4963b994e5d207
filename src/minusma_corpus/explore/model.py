"""What the explorer shows: an annotation set with its name, display constants, and its error."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MinusmaError




MARKER = "explore.json"


GENERATOR = "minusma-corpus explore"


LABEL_COLOURS = {
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561", "NORP": "#c887fb",
    "EVENT": "#ffeb80", "LAW": "#ff8197", "MISSION": "#9fd8cb", "ARMED_GROUP": "#f2a7a7", "DATE": "#bfe1d9",
    "MONEY": "#e4e7d2", "QUANTITY": "#d8c7f0",
}


OTHER_COLOUR = "#dddddd"


FURNITURE_DESTINATION = {
    "byline": "metadata.authors", "date": "metadata.date", "caption": "metadata.captions",
    "credit": "metadata.credits", "correction": "metadata.corrections", "author_bio": "metadata.author_bios",
}


RANK = {"block": 0, "evidence": 1, "claim": 2, "cue": 3, "mention": 4}


SIDE_NAMES = {"a": "A", "b": "B"}


STATUS_TEXT = {"match": "match", "changed": "changed", "only-a": "only in A", "only-b": "only in B"}


class ExploreError(MinusmaError):
    """The explorer cannot write its site (names the directory or file and the reason)."""

    hint = "choose another --out directory (new, empty, or an earlier explorer site)"


@dataclass(frozen=True)
class AnnotationSet:
    """Annotation files of some documents, and where they came from (shown in every page)."""

    name: str
    docs: dict[str, dict] = field(hash=False)  # doc_id -> annotation file (as read by read_annotation_file)
