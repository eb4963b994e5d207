"""Tests that install large things (Label Studio into its own venv, ~1 GB; Debian's chromium with apt-get)
run only when asked: ``MINUSMA_HEAVY_TESTS=1`` (the README's test command and ``.ci/run`` set it)."""

import os

VARIABLE = "MINUSMA_HEAVY_TESTS"
MARKERS = {
    "labelstudio": "needs a real Label Studio server (installed into its own venv, ~1 GB)",
    "browser": "needs headless Chromium (installed with apt-get when missing)",
}


def enabled() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


def skip_reason(marker: str) -> str:
    return f"{MARKERS[marker]}: run with {VARIABLE}=1 to install what it needs and run it"
