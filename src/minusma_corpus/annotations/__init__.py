"""Annotations over the processed texts: the schema, the file format and its layout, anchoring,
authoring, validation, agreement, pre-annotation and evaluation. Builds on ``pipeline``."""
