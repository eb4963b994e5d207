"""The benchmarks take any GUM-format directory (made here from sentences written for the test)."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
sys.path.insert(0, str(SCRIPTS))

from bench_preannotate import GumDocument, score  # noqa: E402

PARAGRAPHS = [["Aid for Mali"], ["The convoy reached Gao at 6 P.M.", "Dr. Sy met it.", "1.) Food", "2.) Water."], ["It left."]]


def _gum_dir(tmp_path):
    text, sentences = "", []
    for paragraph in PARAGRAPHS:
        text += "\n\n" if text else ""
        for i, sentence in enumerate(paragraph):
            text += " " if i else ""
            sentences.append([len(text), len(text) + len(sentence)])
            text += sentence
    entities = [{"start": text.index(w), "end": text.index(w) + len(w), "text": w, "type": "place", "wikipedia": w}
                for w in ("Mali", "Gao")]
    (tmp_path / "doc.json").write_text(json.dumps({"text": text, "sentences": sentences, "entities": entities}))
    return tmp_path


def test_bench_segment_scores_a_gum_directory(tmp_path):
    out = subprocess.run([sys.executable, str(SCRIPTS / "bench_segment.py"), "--seconds", "0.01", "--gum",
                          str(_gum_dir(tmp_path))], capture_output=True, text=True, check=True).stdout
    gum_table = out.split("GUM-format set", 1)[1]
    ours = next(line.split() for line in gum_table.splitlines() if line.startswith("minusma_corpus"))
    assert ours[-2] == "1.000"  # F1 over the six sentences
    assert "pysbd" in gum_table and "spaCy" in gum_table and "corpus gold" in out


def test_bench_refuses_a_directory_without_documents(tmp_path):
    for script in ("bench_segment.py", "bench_preannotate.py"):
        run = subprocess.run([sys.executable, str(SCRIPTS / script), "--gum", str(tmp_path)], capture_output=True, text=True)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and "no *.json" in run.stderr


def test_gum_scoring_follows_the_dev_readme():
    text = "U.S. President Jane Doe met the Red Cross in Paris with the team."

    def span(words):
        return text.index(words), text.index(words) + len(words)

    doc = GumDocument("d", text, [(*span("U.S. President Jane Doe"), "person"), (*span("the Red Cross"), "organization"),
                                  (*span("Paris"), "place"), (*span("the team"), "organization")])
    predicted = [(*span("Jane Doe"), "PERSON"),  # inside the person mention: found, correct
                 (*span("U.S."), "GPE"),  # inside a person mention: not a compatible type, not correct
                 (*span("Red Cross"), "ORG"), (*span("Paris"), "GPE"), (*span("with"), "DATE")]  # DATE: not scored
    s = score([doc], lambda _t: predicted)
    assert (s["person"].found, s["person"].gold, s["person"].correct, s["person"].predicted) == (1, 1, 1, 1)
    assert (s["place"].found, s["place"].gold, s["place"].correct, s["place"].predicted) == (1, 1, 1, 2)
    # "the team" has no capitalised word: not counted in recall
    assert (s["ALL"].found, s["ALL"].gold, s["ALL"].correct, s["ALL"].predicted) == (3, 3, 3, 4)


def test_bench_preannotate_runs_on_a_gum_directory(tmp_path):
    out = subprocess.run([sys.executable, str(SCRIPTS / "bench_preannotate.py"), "--gum", str(_gum_dir(tmp_path))],
                         capture_output=True, text=True, check=True).stdout
    row = next(line.split() for line in out.splitlines() if line.startswith("minusma_corpus preannotate"))
    assert row[-3:] == ["1.000", "1.000", "1.000"]  # Mali and Gao, both found, nothing else predicted
