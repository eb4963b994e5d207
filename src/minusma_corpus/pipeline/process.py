"""The one entry point to cleaned, segmented documents: raw article + manifest row -> ``ProcessedDocument``.

``process_article`` handles one document (pure: no I/O), so that a distributed engine can map it over
documents; ``process`` reads a raw directory and its manifest and applies it to every row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterator

from .clean import CleaningError, clean
from .corpus import CorpusError, ManifestRow, check_corpus, decode_raw, iter_manifest
from .records import CleanDocument, Sentence, Token
from .segment import segment
from ..fileio import sha256_bytes
from ..progress import progress


@dataclass(frozen=True)
class ProcessedDocument:
    """Everything the pipeline knows about one article."""

    row: ManifestRow
    raw: str
    clean: CleanDocument
    sentences: list[Sentence]
    tokens: list[Token]
    position: int = 0  # the article's place in the manifest (or the input table), 0-based: its fold

    @property
    def doc_id(self) -> str:
        return self.row.doc_id

    @property
    def text(self) -> str:
        return self.clean.text

    def document(self) -> Document:
        """This document as plain data, for the explorer and Label Studio."""
        row, meta = self.row, self.clean.metadata
        return Document(row.doc_id, self.clean.text, row.outlet, row.date, row.title, self.raw,
                        tuple(asdict(b) for b in self.clean.blocks), tuple(asdict(f) for f in self.clean.furniture),
                        asdict(meta), row.url, row.language)


@dataclass(frozen=True)
class Document:
    """One processed article as plain data (what the explorer shows and Label Studio tasks carry)."""

    doc_id: str
    text: str  # the cleaned text, which annotation offsets point into
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    raw: str = ""  # the decoded raw article
    blocks: tuple[dict, ...] = ()  # {type, start, end, raw_start, raw_end}
    furniture: tuple[dict, ...] = ()  # {kind, raw_start, raw_end, text}
    metadata: dict = field(default_factory=dict, hash=False)  # DocumentMetadata as a dict
    url: str | None = None
    language: str | None = None

    @property
    def meta(self) -> dict:
        """The manifest metadata a Label Studio task shows."""
        return {"title": self.title, "outlet": self.outlet, "date": self.date, "url": self.url, "language": self.language}

    @property
    def display_title(self) -> str:
        first_line = shorten(self.text.strip().split("\n", 1)[0], 90)
        return self.title or self.metadata.get("title") or first_line or self.doc_id


def shorten(text: str, width: int) -> str:
    """``text`` if it has at most ``width`` characters, else cut at the last word boundary before
    ``width`` (or at ``width``) and ended with "…"."""
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if " " in cut.strip():
        cut = cut[:cut.rstrip().rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def process_article(raw_text: str, row: ManifestRow, position: int = 0) -> ProcessedDocument:
    """Clean and segment one raw article (already decoded; ``position``: its place in the manifest or
    input, 0-based); a cleaning failure names the document."""
    try:
        clean_doc = clean(raw_text)
    except CleaningError as e:
        raise CorpusError(e.reason, file=row.source_file, doc=row.doc_id, hint=CleaningError.hint) from None
    sentences, tokens = segment(clean_doc.text, clean_doc.paragraphs())
    return ProcessedDocument(row, raw_text, clean_doc, sentences, tokens, position)


def read_article(raw_dir: Path, row: ManifestRow) -> str:
    """The decoded raw text of ``row``, checked against the manifest's sha256."""
    path = raw_dir / row.source_file
    data = path.read_bytes()
    if sha256_bytes(data) != row.sha256:
        raise CorpusError(f"{path}: document {row.doc_id}: sha256 differs from the manifest; raw files are never edited "
                          "(restore the file, or update its manifest row with `minusma-corpus manifest`)")
    return decode_raw(data, path)


def process_stream(raw_dir: Path, manifest: Path) -> Iterator[ProcessedDocument]:
    """Read, check, clean and segment every article of the manifest, one at a time (in manifest order).
    The manifest and the raw directory are checked before the first document is yielded.
    The manifest is read twice, line by line (to check it, then to process its rows), and never held
    whole: memory does not grow with the number of documents."""
    total = check_corpus(raw_dir, manifest)
    rows = progress(iter_manifest(manifest), "processing articles", total=total, unit="article")
    return (process_article(read_article(raw_dir, row), row, i) for i, row in enumerate(rows))


def process(raw_dir: Path, manifest: Path) -> list[ProcessedDocument]:
    """Read, check, clean and segment every article of the manifest (in manifest order)."""
    return list(process_stream(raw_dir, manifest))


def texts(docs: list[ProcessedDocument]) -> dict[str, str]:
    """doc_id -> cleaned text."""
    return {d.doc_id: d.text for d in docs}
