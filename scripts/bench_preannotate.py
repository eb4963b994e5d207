#!/usr/bin/env python3
"""Pre-annotation benchmark on outside text: PERSON / ORG / GPE / LOC against GUM-format entity mentions.

A GUM-format directory holds JSON documents with ``text`` and ``entities`` (``start``, ``end``, ``text``,
``type``: person, organization, place, ...): whole noun phrases that GUM links to a Wikipedia identity, not
bare names. Scored as the development set's README describes:

* recall: a GUM mention that contains a capitalised word counts as found when a predicted mention of a
  compatible label lies inside it (person -> PERSON; organization -> ORG, MISSION, ARMED_GROUP;
  place -> GPE, LOC);
* precision: a predicted mention of one of those labels is correct when it lies inside a GUM mention of a
  compatible type.

Rows: the pre-annotator as ``minusma-corpus preannotate`` runs it (knowledge-base gazetteer, field data,
rules, shapes), the same without field data and shapes (the gazetteer and rules of before), and, for every
spaCy pipeline installed (``spacy.util.get_installed_models()``, or ``--spacy NAME``), that pipeline alone
and with the pre-annotator. Nothing is downloaded.

    python scripts/bench_preannotate.py --gum DIR [--spacy NAME ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMPATIBLE = {"person": {"PERSON"}, "organization": {"ORG", "MISSION", "ARMED_GROUP"}, "place": {"GPE", "LOC"}}
LABELS = {label: kind for kind, labels in COMPATIBLE.items() for label in labels}


@dataclass(frozen=True)
class GumDocument:
    doc_id: str
    text: str
    mentions: list[tuple[int, int, str]]  # GUM entity mentions: start, end, type


@dataclass
class Score:
    found: int = 0  # GUM mentions (with a capitalised word) found
    gold: int = 0
    correct: int = 0  # predicted mentions inside a compatible GUM mention
    predicted: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class GumError(Exception):
    pass


def read_gum(directory: Path) -> list[GumDocument]:
    files = sorted(directory.glob("*.json"))
    if not files:
        raise GumError(f"{directory}: no *.json files (expected GUM-format documents with 'text' and 'entities')")
    docs = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            mentions = [(int(e["start"]), int(e["end"]), str(e["type"])) for e in data["entities"]]
            docs.append(GumDocument(path.stem, data["text"], mentions))
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise GumError(f"{path}: not a GUM-format document ({e.__class__.__name__}: {e}); it needs 'text' and "
                           "'entities' [{start, end, type}, ...]") from None
    return docs


def score(docs: Iterable[GumDocument], predict: Callable[[str], list[tuple[int, int, str]]]) -> dict[str, Score]:
    """Per GUM type (and ``ALL``), scored as the module docstring says."""
    scores = {kind: Score() for kind in [*COMPATIBLE, "ALL"]}
    for doc in docs:
        predicted = [(s, e, label) for s, e, label in predict(doc.text) if label in LABELS]
        gold = [(s, e, kind) for s, e, kind in doc.mentions if kind in COMPATIBLE]
        for s, e, kind in gold:
            if not any(w[:1].isupper() for w in doc.text[s:e].split()):
                continue
            hit = any(s <= ps and pe <= e and label in COMPATIBLE[kind] for ps, pe, label in predicted)
            for key in (kind, "ALL"):
                scores[key].gold += 1
                scores[key].found += hit
        for ps, pe, label in predicted:
            ok = any(s <= ps and pe <= e and label in COMPATIBLE[kind] for s, e, kind in gold)
            for key in (LABELS[label], "ALL"):
                scores[key].predicted += 1
                scores[key].correct += ok
    return scores


def table(rows: dict[str, dict[str, Score]]) -> str:
    kinds = [*COMPATIBLE, "ALL"]
    header = f"{'system':48}" + "".join(f" {k[:12]:>20}" for k in kinds)
    sub = f"{'':48}" + "".join(f" {'P':>6} {'R':>6} {'F1':>6}" for _k in kinds)
    lines = [header, sub, "-" * len(sub)]
    for name, scores in rows.items():
        lines.append(f"{name:48}" + "".join(
            f" {scores[k].precision:6.3f} {scores[k].recall:6.3f} {scores[k].f1:6.3f}" for k in kinds))
    gold = next(iter(rows.values())) if rows else {}
    lines.append("GUM mentions with a capitalised word: " + ", ".join(f"{k} {gold[k].gold}" for k in kinds))
    return "\n".join(lines)


def systems(spacy_names: list[str]):
    from minusma_corpus.annotations.fileformat import read_json_list
    from minusma_corpus.annotations.preannotate import gazetteer_from_kb, propose

    gazetteer = gazetteer_from_kb(read_json_list(ROOT / "annotations" / "entities.json"))

    def spans(candidates):
        return [(c.start, c.end, c.label) for c in candidates]

    yield "minusma_corpus preannotate", lambda text: spans(propose(text, gazetteer))
    yield "  without field data and shapes", lambda text: spans(propose(text, gazetteer, field={}))
    for name in spacy_names:
        import spacy

        nlp = spacy.load(name)
        version = f"{name} {nlp.meta.get('version', '')}"
        from minusma_corpus.annotations.preannotate import spacy_candidates

        yield f"spaCy {version} alone", lambda text, nlp=nlp: spans(spacy_candidates(nlp, text))
        yield "  + minusma_corpus preannotate", lambda text, nlp=nlp: spans(propose(text, gazetteer, nlp=nlp))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gum", type=Path, required=True, metavar="DIR", help="a directory of GUM-format JSON documents")
    ap.add_argument("--spacy", action="append", default=None, metavar="NAME",
                    help="a spaCy pipeline to compare (repeatable; default: every installed pipeline package)")
    args = ap.parse_args(argv)
    try:
        docs = read_gum(args.gum)
    except GumError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    import spacy

    names = args.spacy if args.spacy is not None else sorted(spacy.util.get_installed_models())
    print(f"{args.gum}: {len(docs)} documents, {sum(len(d.text) for d in docs):,} characters")
    print("spaCy pipelines: " + (", ".join(names) if names else "none installed (no row for spaCy)") + "\n")
    rows = {name: score(docs, predict) for name, predict in systems(names)}
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
