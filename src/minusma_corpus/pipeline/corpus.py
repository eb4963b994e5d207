"""The raw corpus: the manifest (one row per article) and reading raw files. I/O lives here."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ..errors import MinusmaError, check_shape, loads, read_text
from ..fileio import sha256_bytes
from .clean import CleaningError, clean

DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OUTLET_ACRONYM = re.compile(r"\(([A-Z]{2,10})\)$")  # "Agence France-Presse (AFP)" -> AFP

TEXT_RIGHTS = (
    "Third-party news text, copyright {holder}. Included (raw and cleaned) for non-commercial research and "
    "text-and-data mining, with attribution to the outlet; minusma-corpus grants no licence to the text."
)


def text_rights(outlet: str | None) -> str:
    """The ``rights`` statement of a manifest row (and of the release's LICENSE) for one outlet."""
    return TEXT_RIGHTS.format(holder=outlet or "its original publisher (the page does not name it)")


def outlet_acronym(outlet: str | None) -> str | None:
    """The acronym an outlet name ends with in brackets, if any."""
    m = OUTLET_ACRONYM.search(outlet or "")
    return m.group(1) if m else None


class CorpusError(MinusmaError):
    """Bad input: names the file (and document) and the reason."""

    hint = "fix the raw file or corpus/manifest.jsonl and run the command again"


_STRING_OR_NULL = {"type": ["string", "null"]}
MANIFEST_ROW = {  # the JSON shape of one line of corpus/manifest.jsonl (the fields are checked before)
    "type": "object",
    "properties": {"doc_id": {"type": "string"}, "source_file": {"type": "string"},
                   "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "outlet": _STRING_OR_NULL,
                   "title": _STRING_OR_NULL, "authors": {"type": "array", "items": {"type": "string"}},
                   "date": _STRING_OR_NULL, "language": _STRING_OR_NULL, "url": _STRING_OR_NULL,
                   "rights": {"type": "string"}},
}


@dataclass(frozen=True)
class ManifestRow:
    doc_id: str
    source_file: str
    sha256: str
    outlet: str | None
    title: str | None
    authors: tuple[str, ...]
    date: str | None  # ISO 8601
    language: str | None  # BCP 47
    url: str | None  # never invented: null unless the raw text states it
    rights: str  # who holds the text's copyright and on what terms the corpus includes it

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "authors": list(self.authors)}, ensure_ascii=False)


def read_manifest(path: Path) -> list[ManifestRow]:
    """Read and validate ``corpus/manifest.jsonl``."""
    rows: list[ManifestRow] = []
    names = {f.name for f in fields(ManifestRow)}
    for n, line in enumerate(read_text(path, "a manifest (JSON lines)").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {n}"
        record = loads(line, path, line=n)
        if not isinstance(record, dict):
            raise CorpusError(f"{where}: a manifest row is a JSON object, one per line")
        if set(record) != names:
            raise CorpusError(f"{where}: fields must be {sorted(names)}, got {sorted(record)}")
        check_shape(record, MANIFEST_ROW, path, "a manifest row", line=n)
        row = ManifestRow(**{**record, "authors": tuple(record["authors"])})
        if not DOC_ID.match(row.doc_id):
            raise CorpusError(f"{where}: doc_id {row.doc_id!r} is not lower-case words joined by '-'")
        if row.date is not None and not ISO_DATE.match(row.date):
            raise CorpusError(f"{where}: document {row.doc_id}: date {row.date!r} is not ISO 8601 (YYYY-MM-DD)")
        rows.append(row)
    for key in ("doc_id", "source_file"):
        dupes = sorted(v for v, n in Counter(getattr(r, key) for r in rows).items() if n > 1)
        if dupes:
            raise CorpusError(f"{path}: duplicate {key}: {', '.join(dupes)}")
    return rows


def decode_raw(data: bytes, path: Path) -> str:
    """Strict UTF-8 (a byte-order mark is dropped); anything else is an error naming the file."""
    if not data.strip():
        raise CorpusError(f"{path}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(f"{path}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def check_raw_dir(raw_dir: Path, rows: list[ManifestRow]) -> None:
    """Every raw file is in the manifest and every manifest row has its raw file."""
    on_disk = {p.name for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(".")}
    listed = {r.source_file for r in rows}
    if missing := sorted(listed - on_disk):
        raise CorpusError(f"{raw_dir}: files listed in the manifest are missing: {', '.join(missing)}")
    if unlisted := sorted(on_disk - listed):
        raise CorpusError(f"{raw_dir}: files not in the manifest (add them with `minusma-corpus manifest`): {', '.join(unlisted)}")


def slug(text: str, words: int = 5) -> str:
    stop = {"a", "an", "the", "of", "and", "in", "on", "to", "for", "s"}
    tokens = [t for t in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'s", "")) if t not in stop]
    return "-".join(tokens[:words]) or "article"


# "© 2023 Sahel Wire", "Copyright (c) 2021-2023 Sahel Wire Ltd. All rights reserved.", "© Sahel Wire 2023"
_COPYRIGHT_LINE = re.compile(
    r"^[^\w(©]*(?:copyright\b\s*)?(?:©|\(c\))?\s*(?:copyright\b\s*)?(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?"
    r"(?P<holder>[^\s\d.,;|©][^.,;|©]*?)\s*(?:,?\s*\d{4}(?:\s*[-–]\s*\d{2,4})?)?\s*(?:[.,;|]|all rights reserved|$)",
    re.I)
_MARK = re.compile(r"©|\(c\)|^\W*copyright\b", re.I)
_NOT_A_HOLDER = re.compile(r"^(?:all rights reserved|the authors?|its authors?|the copyright holders?|copyright|"
                           r"unless otherwise (?:noted|stated)|by)\b", re.I)


def copyright_holder(line: str) -> str | None:
    """The holder a copyright line names ("© 2023 Sahel Wire" -> "Sahel Wire"), or None: the line must
    carry a copyright mark, and the holder must be a short capitalised name (not "All rights reserved")."""
    line = line.strip()
    if not _MARK.search(line) or len(line) > 200:
        return None
    m = _COPYRIGHT_LINE.match(line)
    if not m:
        return None
    holder = m.group("holder").strip()
    words = holder.split()
    if not words or len(words) > 6 or not holder[0].isupper() or _NOT_A_HOLDER.match(holder):
        return None
    return holder


def copyright_outlet(raw: str) -> str | None:
    """The holder of the last copyright line of a raw page (the footer's), if it names one."""
    for line in reversed(raw.splitlines()):
        if holder := copyright_holder(line):
            return holder
    return None


def propose_row(path: Path, language: str | None = None) -> ManifestRow:
    """A manifest row for a new raw file, from what the cleaned text states (review before committing);
    the outlet, when the cleaner finds none, from the page's copyright line."""
    data = path.read_bytes()
    raw = decode_raw(data, path)
    try:
        meta = clean(raw).metadata
    except CleaningError as e:
        raise CorpusError(f"{path}: {e}") from None
    if not meta.outlet and (holder := copyright_outlet(raw)):
        from dataclasses import replace

        meta = replace(meta, outlet=holder)
    outlet = slug(re.sub(r"\(([A-Z]+)\)$", "", meta.outlet or ""), 1) if meta.outlet else "unknown"
    acronym = outlet_acronym(meta.outlet)
    if acronym:
        outlet = acronym.lower()
    doc_id = f"{outlet}-{meta.date or 'undated'}-{slug(meta.title or clean(raw).text[:120], 4)}"
    return ManifestRow(doc_id, path.name, sha256_bytes(data), meta.outlet, meta.title, meta.authors, meta.date,
                       language, None, text_rights(meta.outlet))
