"""Files that ship inside the package (the release, the schema) and their source-checkout locations."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# Top-level folder of the checkout -> folder inside the installed package (see pyproject's force-include).
_PACKAGED = {"corpus/release": "release", "schema": "schema"}


def resource_path(top: str, name: str | None = None) -> Path:
    """``<package>/<packaged folder>/<name>`` when installed, else ``<checkout>/<top>/<name>``."""
    packaged = Path(str(resources.files("minusma_corpus"))) / _PACKAGED[top]
    checkout = Path(__file__).resolve().parents[2] / top
    for base in (packaged, checkout):
        path = base / name if name else base
        if path.exists():
            return path
    raise FileNotFoundError(f"{name or top} not found in {packaged} or {checkout}")
