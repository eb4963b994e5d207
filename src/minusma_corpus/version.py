"""The package version, which is the dataset version (cards, Croissant, provenance)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("minusma-corpus")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
