"""Exports of the annotated corpus to the formats taggers and annotation tools read.

* ``conll2003``: one ``<doc_id>.conll`` per document, CoNLL-2003 layout (``-DOCSTART- -X- O O``, then one
  token a line ``word _ _ IOB2-tag``, a blank line after each sentence): read by ``spacy convert``,
  Hugging Face's conll2003 readers, seqeval.
* ``spacy``: one ``<doc_id>.spacy`` per document, written with spaCy's ``DocBin`` (``spacy train`` reads a
  file or a directory of them): the document's text exactly (white space between tokens kept, paragraph
  breaks as space tokens), sentence starts, entities in ``doc.ents`` (``kb_id_`` = corpus entity id), and
  span groups ``claims`` (label: claim type), ``claim_cues`` and ``stance_evidence`` (label
  ``target/polarity``); ``doc.user_data`` holds ``doc_id`` and ``fold``.
* ``brat``: ``<doc_id>.txt`` + ``<doc_id>.ann`` (brat standoff) and ``annotation.conf``: entities (with a
  ``Reference`` normalisation to the corpus entity), claims as ``Claim`` spans with attributes
  (``ClaimType``, ``Checkworthy``, ``ClusterRelation``, ``ClaimerKind``) and ``Cue``/``Claimer`` relations,
  stances as ``Stance`` spans (one fragment per evidence span) with ``Target``, ``Polarity`` and
  ``HolderKind`` attributes and a ``Holder`` relation. A claimer or holder that is a corpus entity is linked
  to the mention of that entity nearest to the claim or stance; its id (and ``claimer_text``) is also in the
  annotation's ``AnnotatorNotes``. brat has no document-level annotation: the article's stance is in
  ``jsonl`` only.
* ``jsonl``: ``documents.jsonl``, one document a line with its text, sentences, tokens (with white space)
  and its annotations as standoff records (the annotation file's ``mentions``, ``claims``, ``stances``,
  ``document_stance``).

Only documents with an annotation file are exported (the others would read as "no entity anywhere").
Every span is exported exactly or the export stops (:class:`ExportError`, naming document and annotation).
The functions here are pure (documents in, ``{relative path: bytes}`` out); ``write_export`` is the edge.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import loads
from ..fileio import sha256_bytes
from ..pipeline.corpus import CorpusError
from ..pipeline.segment import strip_span
from ..safepath import inside

FORMATS = ("conll2003", "spacy", "brat", "jsonl")
DOCSTART = "-DOCSTART- -X- O O"
RECORD = ".minusma-export-{format}.json"  # the files an export wrote, and their digests


class ExportError(CorpusError):
    """A span the format cannot hold exactly, or an output file this program did not write."""

    hint = "nothing was written; fix what the message names and export again"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    sentence: int


@dataclass(frozen=True)
class ExportDocument:
    doc_id: str
    fold: int
    text: str
    sentences: tuple[tuple[int, int], ...]
    tokens: tuple[Token, ...]
    annotation: dict  # the annotation file (mentions, claims, stances, document_stance, provenance)


def export_documents(docs: Iterable, gold: dict[str, dict], folds: dict[str, int]) -> list[ExportDocument]:
    """The processed documents that have an annotation file, ready to export (manifest order)."""
    return [
        ExportDocument(d.doc_id, folds[d.doc_id], d.text, tuple((s.start, s.end) for s in d.sentences),
                       tuple(Token(t.start, t.end, t.sentence) for t in d.tokens), gold[d.doc_id])
        for d in docs if d.doc_id in gold
    ]


def _whitespace(doc: ExportDocument) -> list[str]:
    starts = [t.start for t in doc.tokens[1:]] + [len(doc.text)]
    return [doc.text[t.end:s] for t, s in zip(doc.tokens, starts)]


def _token_range(doc: ExportDocument, start: int, end: int, what: str) -> tuple[int, int]:
    """Indices ``(first, last + 1)`` of the tokens that make up ``[start, end)`` exactly."""
    first = next((i for i, t in enumerate(doc.tokens) if t.start == start), None)
    last = next((i for i, t in enumerate(doc.tokens) if t.end == end), None)
    if first is None or last is None or last < first:
        raise ExportError(f"{doc.doc_id}: {what} [{start}:{end}] {doc.text[start:end]!r} does not start and end at "
                          "token boundaries; move it to whole tokens (minusma-corpus validate shows the file)")
    return first, last + 1


# --------------------------------------------------------------------------------------------
# CoNLL-2003
# --------------------------------------------------------------------------------------------


def iob_tags(doc: ExportDocument) -> list[str]:
    """IOB2 tag of each token; every mention is whole tokens, so each has exactly one B- tag."""
    tags = ["O"] * len(doc.tokens)
    for m in sorted(doc.annotation["mentions"], key=lambda m: (m["start"], -m["end"])):
        first, stop = _token_range(doc, m["start"], m["end"], f"mention {m['id']}")
        if any(t != "O" for t in tags[first:stop]):
            raise ExportError(f"{doc.doc_id}: mention {m['id']} overlaps another mention; IOB tags hold no nesting")
        tags[first:stop] = [f"B-{m['label']}"] + [f"I-{m['label']}"] * (stop - first - 1)
    return tags


def conll2003(doc: ExportDocument) -> str:
    lines = [DOCSTART, ""]
    tags = iob_tags(doc)
    for i, (t, tag) in enumerate(zip(doc.tokens, tags)):
        if i and t.sentence != doc.tokens[i - 1].sentence:
            lines.append("")
        lines.append(f"{doc.text[t.start:t.end]} _ _ {tag}")
    return "\n".join(lines) + "\n\n"


# --------------------------------------------------------------------------------------------
# spaCy DocBin
# --------------------------------------------------------------------------------------------


def spacy_doc(doc: ExportDocument, vocab):
    """A spaCy ``Doc`` of the document: its text exactly, sentence starts, entities and span groups."""
    from spacy.tokens import Doc, Span
    from spacy.util import get_words_and_spaces

    words = [doc.text[t.start:t.end] for t in doc.tokens]
    offset = doc.tokens[0].start if doc.tokens else 0
    text = doc.text[offset:]
    spaced_words, spaces = get_words_and_spaces(words, text)
    sentence_starts = {t.start for i, t in enumerate(doc.tokens) if i == 0 or t.sentence != doc.tokens[i - 1].sentence}
    sdoc = Doc(vocab, words=spaced_words, spaces=spaces)
    for token in sdoc:
        token.is_sent_start = (token.idx + offset) in sentence_starts or token.i == 0
    sdoc.user_data.update({"doc_id": doc.doc_id, "fold": doc.fold, "offset": offset})

    def span(start: int, end: int, label: str, what: str, kb_id: str = "") -> Span:
        _token_range(doc, start, end, what)  # a clear message before spaCy's None
        s = sdoc.char_span(start - offset, end - offset, label=label, kb_id=kb_id or "", alignment_mode="strict")
        if s is None:
            raise ExportError(f"{doc.doc_id}: {what} [{start}:{end}] does not align with the spaCy tokens")
        return s

    a = doc.annotation
    sdoc.ents = [span(m["start"], m["end"], m["label"], f"mention {m['id']}", m["entity_id"] or "")
                 for m in sorted(a["mentions"], key=lambda m: m["start"])]
    sdoc.spans["claims"] = [span(c["start"], c["end"], c["claim_type"], f"claim {c['id']}") for c in a["claims"]]
    sdoc.spans["claim_cues"] = [span(c["cue"]["start"], c["cue"]["end"], "cue", f"cue of claim {c['id']}")
                                for c in a["claims"] if c["cue"]]
    sdoc.spans["stance_evidence"] = [span(e["start"], e["end"], f"{s['target']}/{s['polarity']}", f"evidence of {s['id']}")
                                     for s in a["stances"] for e in s["evidence"]]
    return sdoc


def spacy_docbin(doc: ExportDocument) -> bytes:
    try:
        import spacy
        from spacy.tokens import DocBin
    except ImportError:
        raise ExportError("--format spacy needs spaCy, which is not installed",
                          hint="`pip install spacy` (or this package with its `spacy` extra: `pip install '.[spacy]'`), "
                               "then export again") from None

    db = DocBin(store_user_data=True)
    db.add(spacy_doc(doc, spacy.blank("en").vocab))
    return db.to_bytes()


# --------------------------------------------------------------------------------------------
# brat standoff
# --------------------------------------------------------------------------------------------

_KINDS = ("ENTITY", "AUTHOR", "UNNAMED")


def brat_conf(entity_labels: list[str], claim_types: list[str], relations: list[str], targets: list[str],
              polarities: list[str]) -> str:
    labels = "|".join(entity_labels)
    return "\n".join([
        "[entities]", *entity_labels, "Claim", "Cue", "Stance", "",
        "[relations]",
        "Cue\tArg1:Claim, Arg2:Cue",
        f"Claimer\tArg1:Claim, Arg2:{labels}",
        f"Holder\tArg1:Stance, Arg2:{labels}",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>", "",
        "[events]", "",
        "[attributes]",
        f"ClaimType\tArg:Claim, Value:{'|'.join(claim_types)}",
        "Checkworthy\tArg:Claim",
        f"ClusterRelation\tArg:Claim, Value:{'|'.join(relations)}",
        f"ClaimerKind\tArg:Claim, Value:{'|'.join(_KINDS)}",
        f"Target\tArg:Stance, Value:{'|'.join(targets)}",
        f"Polarity\tArg:Stance, Value:{'|'.join(polarities)}",
        f"HolderKind\tArg:Stance, Value:{'|'.join(_KINDS)}",
        "",
    ])


def _fragments(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans cut at line breaks (brat fragments hold no newline), white space at their ends trimmed."""
    out = []
    for start, end in sorted(spans):
        pos = start
        for piece in text[start:end].split("\n"):
            if span := strip_span(text, pos, pos + len(piece)):
                out.append(span)
            pos += len(piece) + 1
    return out


def brat_ann(doc: ExportDocument, author: str, unnamed: str) -> str:
    """The ``.ann`` file of one document."""
    text, a = doc.text, doc.annotation
    lines: list[str] = []
    counters = {"T": 0, "R": 0, "A": 0, "N": 0, "#": 0}

    def new(kind: str) -> str:
        counters[kind] += 1
        return f"{kind}{counters[kind]}"

    def textbound(label: str, spans: list[tuple[int, int]]) -> str:
        frags = _fragments(text, spans)
        tid = new("T")
        lines.append(f"{tid}\t{label} {';'.join(f'{s} {e}' for s, e in frags)}\t{' '.join(text[s:e] for s, e in frags)}")
        return tid

    def note(tid: str, items: dict) -> None:
        body = "; ".join(f"{k}={v}" for k, v in items.items() if v is not None)
        if body:
            lines.append(f"{new('#')}\tAnnotatorNotes {tid}\t{body.replace(chr(10), ' ')}")

    mention_tids: dict[str, list[tuple[int, str]]] = {}  # entity_id -> [(start, T id)]
    for m in sorted(a["mentions"], key=lambda m: (m["start"], m["end"])):
        tid = textbound(m["label"], [(m["start"], m["end"])])
        if m["entity_id"]:
            mention_tids.setdefault(m["entity_id"], []).append((m["start"], tid))
            lines.append(f"{new('N')}\tReference {tid} minusma:{m['entity_id']}\t{m['entity_id']}")
        if m["normalized"]:
            note(tid, {k: v for k, v in m["normalized"].items()})

    def link(relation: str, source: str, at: int, who: str) -> str:
        if who in (author, unnamed):
            return who
        candidates = mention_tids.get(who)
        if candidates:
            _start, target = min(candidates, key=lambda c: (abs(c[0] - at), c[0]))
            lines.append(f"{new('R')}\t{relation} Arg1:{source} Arg2:{target}")
        return "ENTITY"

    for c in sorted(a["claims"], key=lambda c: (c["start"], c["end"])):
        tid = textbound("Claim", [(c["start"], c["end"])])
        lines.append(f"{new('A')}\tClaimType {tid} {c['claim_type']}")
        if c["checkworthy"]:
            lines.append(f"{new('A')}\tCheckworthy {tid}")
        if c["cluster_relation"]:
            lines.append(f"{new('A')}\tClusterRelation {tid} {c['cluster_relation']}")
        if c["cue"]:
            cue = textbound("Cue", [(c["cue"]["start"], c["cue"]["end"])])
            lines.append(f"{new('R')}\tCue Arg1:{tid} Arg2:{cue}")
        kind = link("Claimer", tid, c["start"], c["claimer"])
        lines.append(f"{new('A')}\tClaimerKind {tid} {kind}")
        note(tid, {"id": c["id"], "claimer": c["claimer"], "claimer_text": c["claimer_text"],
                   "cluster_id": c["cluster_id"], "quantity": json.dumps(c["quantity"]) if c["quantity"] else None})
    for s in a["stances"]:
        spans = [(e["start"], e["end"]) for e in s["evidence"]]
        if not spans:
            continue
        tid = textbound("Stance", spans)
        lines.append(f"{new('A')}\tTarget {tid} {s['target']}")
        lines.append(f"{new('A')}\tPolarity {tid} {s['polarity']}")
        kind = link("Holder", tid, min(spans)[0], s["holder"])
        lines.append(f"{new('A')}\tHolderKind {tid} {kind}")
        note(tid, {"id": s["id"], "holder": s["holder"], "holder_text": s["holder_text"]})
    return "\n".join(lines) + ("\n" if lines else "")


# --------------------------------------------------------------------------------------------
# JSONL
# --------------------------------------------------------------------------------------------


def jsonl_record(doc: ExportDocument) -> dict:
    a = doc.annotation
    return {
        "doc_id": doc.doc_id, "fold": doc.fold, "text": doc.text,
        "sentences": [{"start": s, "end": e} for s, e in doc.sentences],
        "tokens": [{"start": t.start, "end": t.end, "sentence": t.sentence, "whitespace": w}
                   for t, w in zip(doc.tokens, _whitespace(doc))],
        "schema_version": a["schema_version"], "provenance": a["provenance"],
        "document_stance": a["document_stance"], "mentions": a["mentions"], "claims": a["claims"],
        "stances": a["stances"],
    }


# --------------------------------------------------------------------------------------------
# All files of one format
# --------------------------------------------------------------------------------------------


def export_files(fmt: str, docs: list[ExportDocument]) -> dict[str, bytes]:
    """``{relative path: content}`` of an export in ``fmt`` (one of :data:`FORMATS`)."""
    from ..annotations.schema import load_schema

    if fmt == "jsonl":
        body = "".join(json.dumps(jsonl_record(d), ensure_ascii=False) + "\n" for d in docs)
        return {"documents.jsonl": body.encode("utf-8")}
    per_doc: dict[str, Callable[[ExportDocument], dict[str, bytes]]]
    if fmt == "conll2003":
        def per_doc(d):
            return {f"{d.doc_id}.conll": conll2003(d).encode("utf-8")}
    elif fmt == "spacy":
        def per_doc(d):
            return {f"{d.doc_id}.spacy": spacy_docbin(d)}
    elif fmt == "brat":
        s = load_schema()

        def per_doc(d):
            return {f"{d.doc_id}.txt": d.text.encode("utf-8"),
                    f"{d.doc_id}.ann": brat_ann(d, s.author_holder, s.unnamed_holder).encode("utf-8")}
    else:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    files: dict[str, bytes] = {}
    for d in docs:
        files.update(per_doc(d))
    if fmt == "brat":
        files["annotation.conf"] = brat_conf(list(s.entity_labels), list(s.claim_types), list(s.cluster_relations),
                                             list(s.stance_targets), list(s.stance_polarities)).encode("utf-8")
    return files


# --------------------------------------------------------------------------------------------
# Writing (the edge)
# --------------------------------------------------------------------------------------------


def write_export(fmt: str, files: dict[str, bytes], out: Path) -> list[Path]:
    """Write ``files`` inside ``out``: each file through a temporary file and a rename, then the record of what
    was written (``.minusma-export-<format>.json``). A file that exists and was not written by an earlier
    export of the same format (or was changed since) is never replaced: the export stops before writing
    anything. Files an earlier export wrote and this one does not (a document gone) are removed if unchanged."""
    from ..fileio import write_atomic_bytes

    out.mkdir(parents=True, exist_ok=True)
    record_path = out / RECORD.format(format=fmt)
    try:
        previous = loads(record_path.read_bytes(), record_path) if record_path.exists() else {}
        if not (isinstance(previous, dict) and all(isinstance(v, str) for v in previous.values())):
            raise ValueError("not a record of file names and digests")
    except (OSError, ValueError):  # MinusmaError (not JSON, not UTF-8, nested too deeply) is a ValueError
        raise ExportError(f"{record_path}: unreadable record of an earlier export; remove it or choose another --out") from None
    targets = {name: inside(out, name, "export file") for name in files}
    for name, path in targets.items():
        if path.exists() and (previous.get(name) is None or sha256_bytes(path.read_bytes()) != previous[name]):
            raise ExportError(f"{path}: exists and was not written by `minusma-corpus export --format {fmt}` "
                              "(or was changed since); choose an empty --out directory or move the file away")
    for name, path in targets.items():
        write_atomic_bytes(path, files[name])
    for name, digest in previous.items():
        if name not in files:
            stale = inside(out, name, "export file")
            if stale.is_file() and sha256_bytes(stale.read_bytes()) == digest:
                stale.unlink()
    record = {name: sha256_bytes(content) for name, content in sorted(files.items())}
    write_atomic_bytes(record_path, (json.dumps(record, indent=1) + "\n").encode("utf-8"))
    return [targets[name] for name in sorted(files)]
