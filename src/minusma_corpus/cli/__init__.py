"""The ``minusma-corpus`` command: ``main`` and the parser (``main``), options shared by several commands
(``options``), and one module per command group: ``pipeline`` (manifest, clean), ``annotate`` (validate,
draft, agreement, preannotate, reanchor, schema), ``publish`` (build, stats, verify), ``explore`` and
``labelstudio`` (``ls ...``). The top layer: nothing below imports it."""

from .main import main, parser

__all__ = ["main", "parser"]
