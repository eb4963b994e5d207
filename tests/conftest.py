import os
import tempfile
from pathlib import Path

import pytest

# Tests run offline, with their own Hugging Face cache (set before `datasets` is imported anywhere).
_HF_HOME = tempfile.mkdtemp(prefix="minusma-hf-")
os.environ.update({"HF_HOME": _HF_HOME, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
                   "HF_HUB_DISABLE_TELEMETRY": "1"})
os.environ.pop("MINUSMA_CORPUS_RELEASE", None)

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
MANIFEST = ROOT / "corpus" / "manifest.jsonl"
RELEASE = ROOT / "corpus" / "release"
GOLD_SENTENCES = ROOT / "corpus" / "gold" / "sentences"
ANNOTATIONS = ROOT / "annotations"
CHANGELOG = ROOT / "CHANGELOG.md"


@pytest.fixture(scope="session")
def processed():
    from minusma_corpus.build import process

    return {d.row.doc_id: d for d in process(RAW, MANIFEST)}


@pytest.fixture(scope="session")
def kb():
    """The entity knowledge base and the claim clusters."""
    from minusma_corpus.annotations import read_json_list

    return read_json_list(ANNOTATIONS / "entities.json"), read_json_list(ANNOTATIONS / "claim_clusters.json")


@pytest.fixture(scope="session")
def gold():
    """Every gold annotation file, by doc_id."""
    from minusma_corpus.annotations import read_annotation_file

    return {p.stem: read_annotation_file(p) for p in sorted((ANNOTATIONS / "gold").glob("*.json"))}


# Hypothesis profiles: "ci" (the default, and under CI=true) runs every property test with at least 2,000
# examples; "nightly" (HYPOTHESIS_PROFILE=nightly) with 50,000. No deadline: a shared CI machine is slow.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", max_examples=2000, deadline=None, print_blob=True)
settings.register_profile("nightly", max_examples=50_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
