"""Tests that install large things (Label Studio into its own venv, ~1 GB; Debian's chromium with apt-get)
run only when asked: ``MINUSMA_HEAVY_TESTS=1`` (the README's test command and ``.ci/run`` set it)."""

import os

VARIABLE = "MINUSMA_HEAVY_TESTS"
MARKERS = {
    "labelstudio": "needs a real Label Studio server (installed into its own venv, ~1 GB)",
    "browser": "needs headless Chromium (installed with apt-get when missing)",
    "ray": "needs Ray Data, the package's `ray` extra (installed with pip when missing, ~100 MB)",
}


def enabled() -> bool:
    return os.environ.get(VARIABLE, "") not in ("", "0")


def skip_reason(marker: str) -> str:
    return f"{MARKERS[marker]}: run with {VARIABLE}=1 to install what it needs and run it"


def ensure_ray() -> None:
    """Install the package's ``ray`` extra into this interpreter when it is missing (heavy tests only)."""
    import importlib.util
    import subprocess
    import sys

    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("ray.data") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", RAY_REQUIREMENT], check=True)


RAY_REQUIREMENT = "ray[data]>=2.40"  # the `ray` extra of pyproject.toml (a test checks they agree)
