"""The one base of every user-facing failure, and reading JSON input with errors that name the file.

Every error the package raises for bad input or a bad release is a ``MinusmaError`` (a ``ValueError``),
whose ``str`` is one line::

    <file>[: document <id>][: annotation <id>][: line N]: <reason>; <what to do>

Each module defines the subclass of its concern (``CorpusError``, ``AnnotationError``, ``LabelStudioError``,
...) with the advice (``hint``) that fits it; ``cli.main`` prints them, and turns environment faults
(permissions, a full disk, a broken pipe) into lines of the same form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class MinusmaError(ValueError):
    """Bad input or a bad release. Built either from a finished message (``str(path) + ": reason"``, the
    older form) or from its parts (``reason`` with ``file=``, ``doc=``, ``annotation=``, ``line=``)."""

    hint = "fix it and run the command again"

    def __init__(self, reason: str = "", *, file: str | Path | None = None, doc: str | None = None,
                 annotation: str | None = None, line: int | None = None, hint: str | None = None):
        self.reason = str(reason)
        self.file = None if file is None else str(file)
        self.doc = doc
        self.annotation = annotation
        self.line = line
        if hint is not None:
            self.hint = hint
        super().__init__(str(self))

    def where(self) -> str:
        parts = [self.file or "", f"document {self.doc}" if self.doc else "",
                 f"annotation {self.annotation}" if self.annotation else "",
                 f"line {self.line}" if self.line is not None else ""]
        return ": ".join(p for p in parts if p)

    def problems_text(self) -> list[str]:
        """One line per problem: where and the reason."""
        where = self.where()
        return [f"{where}: {reason}" if where and reason else where or reason
                for reason in self.reason.splitlines() or [""]]

    def lines(self) -> list[str]:
        """What the command line prints: one line per problem, each ending with what to do (unless its reason
        already says it after a '; ')."""
        return [text if not self.hint or "; " in text else f"{text}; {self.hint}" for text in self.problems_text()]

    def __str__(self) -> str:
        return "\n".join(self.problems_text())


class InputFileError(MinusmaError):
    """An input file that cannot be read as what it should be (not UTF-8, not JSON, the wrong shape)."""

    hint = "fix the file (or restore it from version control) and run the command again"


def read_text(path: Path, what: str = "a file") -> str:
    """The UTF-8 text of ``path``; an error naming the file when it is not UTF-8 or is a directory."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"is a directory, not {what}", file=path, hint=f"give the path of {what}")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputFileError(f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})", file=path,
                             hint="save it as UTF-8 and run the command again") from None


MAX_JSON_DEPTH = 100  # levels of arrays and objects in JSON input; the project's files use fewer than ten


def loads(text: str | bytes, file: str | Path | None, line: int | None = None) -> Any:
    """``json.loads`` with errors naming the file and line. JSON nested more than ``MAX_JSON_DEPTH`` levels
    deep is refused here, at the one place input JSON is parsed, whether Python's parser gives up on it or
    not: what is read can then be walked, validated and printed without running out of stack."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputFileError(f"not valid JSON ({e.msg}, column {e.colno})", file=file,
                             line=e.lineno if line is None else line) from None
    except UnicodeDecodeError as e:  # bytes that are not UTF-8
        raise InputFileError(f"not UTF-8 ({e.reason} at offset {e.start})", file=file, line=line,
                             hint="save it as UTF-8 and run the command again") from None
    except RecursionError:  # deeper than Python's parser goes
        value, too_deep = None, True
    else:
        too_deep = nesting_exceeds(value, MAX_JSON_DEPTH)
    if too_deep:
        raise InputFileError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels of arrays and objects)",
                             file=file, line=line)
    return value


def nesting_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` has more than ``limit`` levels of lists and dicts (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return False


def read_json(path: Path, what: str = "a JSON file") -> Any:
    """The JSON value of a UTF-8 file, or an ``InputFileError`` naming it."""
    return loads(read_text(path, what), path)


def check_shape(value: Any, schema: dict, file: str | Path, what: str, doc: str | None = None,
                line: int | None = None) -> None:
    """Validate ``value`` against a JSON Schema; the first problem becomes an error naming the file."""
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(map(str, e.absolute_path))
        if e.validator == "type":
            wanted = e.validator_value if isinstance(e.validator_value, str) else " or ".join(e.validator_value)
            message = f"{json_type(e.instance)} where {wanted} expected"
        else:
            message = _short(e.message)
        raise InputFileError(f"not {what}: {'at ' + at + ': ' if at else ''}{message}", file=file,
                             doc=doc, line=line)


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type ("object", "array", ...)."""
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", type(None): "null"}.get(type(value), "number")


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
