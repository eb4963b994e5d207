"""The segmentation benchmark runs end to end (its figures are measured by running it, not here)."""

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_segment.py"


def test_bench_segment_runs():
    out = subprocess.run([sys.executable, str(SCRIPT), "--seconds", "0.01"], capture_output=True, text=True, check=True)
    rows = {line.split()[0]: line.split() for line in out.stdout.splitlines() if line.startswith(("minusma", "pysbd", "spaCy"))}
    assert set(rows) == {"minusma_corpus", "pysbd", "spaCy"}
    assert float(rows["minusma_corpus"][-2]) == 1.0  # F1 over all gold sentences
