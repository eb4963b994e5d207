"""Pre-annotation: gazetteer, rules and the spaCy path (a blank pipeline with an entity ruler: nothing downloaded)."""

from minusma_corpus.annotations.preannotate import gazetteer_from_kb, preannotate, rule_candidates

KB = [{"id": "minusma", "label": "MISSION", "name": "MINUSMA", "aliases": ["MINUSMA"]},
      {"id": "mali", "label": "GPE", "name": "Mali", "aliases": ["Mali"]}]
TEXT = "MINUSMA will leave Mali by Dec. 31 after a 15-0 vote. It cost $1.2 billion and about 1,000 Wagner fighters remain."


def _by_label(annotation):
    return {(m["label"], m["exact"]) for m in annotation["mentions"]}


def test_gazetteer_and_rules():
    a = preannotate("d", TEXT, gazetteer_from_kb(KB), doc_date="2023-07-01", created="2026-11-23")
    assert a["provenance"]["status"] == "predicted"
    found = _by_label(a)
    assert {("MISSION", "MINUSMA"), ("GPE", "Mali"), ("DATE", "Dec. 31"), ("MONEY", "$1.2 billion"),
            ("QUANTITY", "about 1,000 Wagner fighters")} <= found
    date = next(m for m in a["mentions"] if m["exact"] == "Dec. 31")
    assert date["normalized"]["iso"] == "2023-12-31"
    money = next(m for m in a["mentions"] if m["label"] == "MONEY")
    assert money["normalized"]["number"] == 1.2e9 and money["normalized"]["currency"] == "USD"
    quantity = next(m for m in a["mentions"] if m["label"] == "QUANTITY")
    assert quantity["normalized"]["approximate"] is True and quantity["normalized"]["unit"] == "Wagner fighters"


def test_rules_skip_years_as_counts():
    assert not [c for c in rule_candidates("in 2013 the mission began") if c.label == "QUANTITY"]


def test_spacy_path_with_blank_pipeline_and_entity_ruler():
    import spacy

    from minusma_corpus.annotations.preannotate import spacy_candidates

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Diop"}, {"label": "GPE", "pattern": "Mali"},
                        {"label": "PERSON", "pattern": "Jane Unknown"}])
    kb = KB + [{"id": "abdoulaye-diop", "label": "PERSON", "name": "Abdoulaye Diop", "aliases": ["Diop"]}]
    text = "Diop told Jane Unknown that the mission must leave Mali."
    candidates = spacy_candidates(nlp, text, gazetteer_from_kb(kb))
    # names the KB knows are linked; a name it does not know is left unlinked for the annotator
    assert [(c.label, c.entity_id, c.source) for c in candidates] == [
        ("PERSON", "abdoulaye-diop", "spacy"), ("PERSON", None, "spacy"), ("GPE", "mali", "spacy")]
    a = preannotate("d", text, {}, nlp=nlp)  # no gazetteer: the spaCy pipeline alone finds them
    assert _by_label(a) == {("PERSON", "Diop"), ("PERSON", "Jane Unknown"), ("GPE", "Mali")}
    assert "spacy" in a["provenance"]["annotator"]
