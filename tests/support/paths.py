"""Paths of the checkout the tests read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "corpus" / "raw"
MANIFEST = ROOT / "corpus" / "manifest.jsonl"
RELEASE = ROOT / "corpus" / "release"
GOLD_SENTENCES = ROOT / "corpus" / "gold" / "sentences"
ANNOTATIONS = ROOT / "annotations"
CHANGELOG = ROOT / "CHANGELOG.md"
FIXTURES = ROOT / "tests" / "fixtures"
