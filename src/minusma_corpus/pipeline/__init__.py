"""The pipeline: raw article -> repaired -> cleaned -> segmented (``process``), the lowest layer.

``repair`` (encoding fixes with an offset map) -> ``clean`` (text, blocks, metadata) -> ``segment``
(sentences, tokens); ``corpus`` reads the manifest and raw files; ``process`` ties them together.
"""
