"""The package version, which is the dataset version (cards, Croissant, provenance).

The one place it is written: ``pyproject.toml`` reads it from here (``[tool.hatch.version]``), so importing
the package needs no ``importlib.metadata`` look-up (about 0.15 s)."""

__version__ = "0.2.1"
__release_date__ = "2026-11-29"  # the date of this version's CHANGELOG.md heading (a test keeps them equal)
