"""Escaping, page paths and ids, small formatters, and the CSS/JS assets of the explorer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
import base64
import hashlib
import html
import re

from .model import LABEL_COLOURS, OTHER_COLOUR


def esc(value) -> str:
    """Text content: ``& < >`` escaped (quotes too, harmlessly); CR kept as a character reference."""
    return html.escape("" if value is None else str(value), quote=True).replace("\r", "&#13;")


def or_dash(value, why: str) -> str:
    """``value`` escaped, or a muted "—" (``why`` as its tooltip) when it is missing."""
    if value is None or str(value) == "":
        return f'<span class="muted" title="{esc(why)}">—</span>'
    return esc(value)


def html_attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {k}="{esc(v)}"' for k, v in pairs if v is not None)


_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")


def safe_id(value: str) -> str:
    """``value`` if it is safe as a file name, HTML id and URL fragment; else a stable hash of it."""
    value = str(value)
    if _SAFE.fullmatch(value) and value not in (".", ".."):
        return value
    return "x" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def mark_key(side: str, annotation_id: str) -> str:
    """The page key (``data-id``) of an annotation: its id, prefixed by ``a-``/``b-`` in a diff."""
    return f"{side}-{safe_id(annotation_id)}" if side else safe_id(annotation_id)


def doc_page(doc_id: str) -> str:
    return f"docs/{safe_id(doc_id)}.html"


def raw_page(doc_id: str) -> str:
    return f"raw/{safe_id(doc_id)}.html"


def entity_page(entity_id: str) -> str:
    return f"entities/{safe_id(entity_id)}.html"


def cluster_anchor(cluster_id: str) -> str:
    return f"cluster-{safe_id(cluster_id)}"


def label_class(label: str, labels: Sequence[str]) -> str:
    return f"lab-{labels.index(label)}" if label in labels else "lab-x"


def token(value) -> str:
    """A CSS class suffix for a schema value (polarity, relation); anything else becomes ``x``."""
    value = str(value)
    return value if re.fullmatch(r"[A-Za-z_]{1,40}", value) else "x"


def _num(n) -> str:
    if n is None:
        return ""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:,.6g}"


def normalized_text(n: dict | None) -> str:
    if not n:
        return ""
    parts = []
    if n.get("iso"):
        parts.append(str(n["iso"]))
    if n.get("number") is not None:
        parts.append(" ".join(x for x in (n.get("currency") or "", _num(n["number"]), n.get("unit") or "") if x))
    text = "; ".join(parts)
    return f"≈ {text}" if text and n.get("approximate") else text


def quantity_text(q: dict | None, with_property: bool = True) -> str:
    if not q:
        return ""
    value = " ".join(x for x in (_num(q.get("number")), q.get("unit") or "") if x)
    if q.get("approximate"):
        value = f"≈ {value}"
    return f"{value} ({q['property']})" if q.get("property") and with_property else value


def context_of(text: str, start: int, end: int, width: int = 70) -> tuple[str, str]:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return ("…" if start > width else "") + left, right + ("…" if end + width < len(text) else "")


def csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=None)
def asset(name: str) -> str:
    return (resources.files("minusma_corpus") / "explore" / "assets" / name).read_text(encoding="utf-8")


def page_css(labels: Sequence[str]) -> str:
    rules = [f".lab-{i}{{background:{LABEL_COLOURS.get(label, OTHER_COLOUR)}}}" for i, label in enumerate(labels)]
    rules.append(f".lab-x{{background:{OTHER_COLOUR}}}")
    return asset("explore.css") + "\n".join(rules) + "\n"


def label_names(labels: Sequence[str] | None, schema=None) -> tuple[str, ...]:
    """``labels``, else the entity labels of ``schema`` (by default schema.yaml's)."""
    if labels is not None:
        return tuple(labels)
    from ..annotations.schema import load_schema

    return tuple((schema or load_schema()).entity_labels)
